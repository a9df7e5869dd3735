// Which requests go through a proxy, the way the Actions runner's own tools decide it (a self-hosted runner
// behind a proxy sets HTTPS_PROXY / HTTP_PROXY and NO_PROXY), and a fetch that sends them there. Node
// ignores those variables, so a request for which a proxy applies goes through undici's ProxyAgent,
// loaded on first use: the bundles carry it in a second file (dist/proxy-agent.mjs) that a run without a
// proxy never reads.
import { httpFetch } from './http-fetch.ts';
import type { fetchThrough } from './proxy-agent.ts';

/**
 * The proxy for a request URL, or null to connect directly: `https_proxy` / `HTTPS_PROXY` for an `https:`
 * URL, `http_proxy` / `HTTP_PROXY` for `http:` (lower case first; a value without a scheme is taken as
 * `http://`; a value that is no URL throws), none for a loopback host (`localhost`, `127.*`, `[::1]`) or a host `no_proxy` / `NO_PROXY`
 * names: comma-separated host names, `host:port`, a domain that matches its subdomains (`example.com` or
 * `.example.com`), or `*` for every host; case does not matter. The same rules as `@actions/http-client`.
 */
export function proxyFor(url: string | URL, env: NodeJS.ProcessEnv = process.env): URL | null {
  const target = typeof url === 'string' ? new URL(url) : url;
  if (target.hostname === '' || bypassesProxy(target, env)) return null;
  const name = target.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = env[name.toLowerCase()] || env[name];
  if (!value) return null;
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const proxy = URL.canParse(text) ? new URL(text) : null;
  // The value is not echoed: a proxy URL often carries `user:password@`.
  if (proxy === null || proxy.hostname === '') throw new Error(`${name} (the proxy for ${target.protocol.slice(0, -1)} requests) is not a URL; set it to http://host:port.`);
  return proxy;
}

function bypassesProxy(target: URL, env: NodeJS.ProcessEnv): boolean {
  const host = target.hostname.toLowerCase();
  if (host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '[0:0:0:0:0:0:0:1]') return true;
  const noProxy = env['no_proxy'] || env['NO_PROXY'] || '';
  if (noProxy === '') return false;
  const port = target.port || (target.protocol === 'http:' ? '80' : target.protocol === 'https:' ? '443' : '');
  const names = [host.toUpperCase(), ...(port ? [`${host.toUpperCase()}:${port}`] : [])];
  return noProxy
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter((item) => item !== '')
    .some((item) => item === '*' || names.some((name) => name === item || name.endsWith(item.startsWith('.') ? item : `.${item}`)));
}

/** What dist/proxy-agent.mjs (./proxy-agent.ts) exports. */
interface ProxyAgentModule {
  fetchThrough: typeof fetchThrough;
}

/**
 * A fetch for Octokit: `httpFetch` (Node's http and https modules), unless {@link proxyFor} names a proxy for the URL; then undici's
 * fetch through a ProxyAgent for that proxy (one per proxy, kept for the run), loaded on first use.
 */
export function proxyAwareFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  let agentModule: Promise<ProxyAgentModule> | null = null;
  const fetches = new Map<string, typeof fetch>();
  return async (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? input : input.url;
    const proxy = proxyFor(url, env);
    if (proxy === null) return httpFetch(input, init);
    agentModule ??= import('./proxy-agent.ts');
    const { fetchThrough } = await agentModule;
    let through = fetches.get(proxy.href);
    if (!through) {
      through = fetchThrough(proxy);
      fetches.set(proxy.href, through);
    }
    return through(input, init);
  };
}
