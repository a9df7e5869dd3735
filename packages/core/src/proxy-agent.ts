// The proxy half of ./proxy.ts, kept in its own module so that only a run behind a proxy loads undici:
// scripts/bundle.mjs builds it into each action's dist/proxy-agent.mjs, next to dist/index.mjs.
import { fetch as undiciFetch, ProxyAgent } from 'undici';

/**
 * A fetch that sends every request through `proxy` (tunnelled with CONNECT), with the proxy's user name
 * and password, if its URL has them, as Basic proxy authorization.
 */
export function fetchThrough(proxy: URL): typeof fetch {
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  const dispatcher = new ProxyAgent({
    uri: `${proxy.protocol}//${proxy.host}`,
    ...(user || password ? { token: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {}),
  });
  return (async (input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as typeof fetch;
}
