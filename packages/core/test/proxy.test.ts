import { afterEach, describe, expect, it } from 'vitest';
import { startSim, startTunnelProxy, type Sim } from '@userloop/github-sim';
import { createOctokit } from '../src/index.ts';
import { proxyFor } from '../src/proxy.ts';

describe('proxyFor: the runner proxy variables', () => {
  const proxy = (url: string, env: NodeJS.ProcessEnv) => proxyFor(url, env)?.href ?? null;

  it('HTTPS_PROXY for https, HTTP_PROXY for http, lower case first, none without them', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128' };
    expect(proxy('https://api.github.com/repos', env)).toBe('http://secure:3128/');
    expect(proxy('http://ghes.example/api/v3', env)).toBe('http://plain:3128/');
    expect(proxy('https://api.github.com/', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toBe('http://lower:1/');
    expect(proxy('https://api.github.com/', { HTTP_PROXY: 'http://plain:3128' })).toBeNull();
    expect(proxy('https://api.github.com/', {})).toBeNull();
  });

  it('a value without a scheme is an http proxy; one that is no URL is a clear error', () => {
    expect(proxy('https://api.github.com/', { HTTPS_PROXY: 'proxy.corp:8080' })).toBe('http://proxy.corp:8080/');
    expect(proxy('https://api.github.com/', { HTTPS_PROXY: 'proxy.corp' })).toBe('http://proxy.corp/');
    expect(() => proxy('https://api.github.com/', { HTTPS_PROXY: 'http://proxy corp' })).toThrow(/HTTPS_PROXY .*not a URL/);
    // Never echoed: a proxy URL often carries a password.
    expect(() => proxy('https://api.github.com/', { HTTPS_PROXY: 'http://me:s3cret@proxy corp' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });

  it('never for loopback hosts', () => {
    const env = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' };
    for (const url of ['http://localhost:8080/', 'http://127.0.0.1:9/', 'http://127.1.2.3/', 'http://[::1]:80/']) expect(proxy(url, env), url).toBeNull();
  });

  it('NO_PROXY: exact hosts, host:port, domains with their subdomains, * for all; case ignored', () => {
    const env = (noProxy: string) => ({ HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy });
    expect(proxy('https://api.github.com/', env('api.github.com'))).toBeNull();
    expect(proxy('https://API.GitHub.com/', env('api.github.COM'))).toBeNull();
    expect(proxy('https://api.github.com/', env('github.com'))).toBeNull();
    expect(proxy('https://api.github.com/', env('.github.com'))).toBeNull();
    expect(proxy('https://api.github.com/', env('other.example, api.github.com:443'))).toBeNull();
    expect(proxy('https://api.github.com/', env('*'))).toBeNull();
    expect(proxy('https://api.github.com/', env('api.github.com:8443'))).toBe('http://p:1/');
    expect(proxy('https://api.github.com/', env('hub.com'))).toBe('http://p:1/');
    expect(proxy('https://api.github.com/', env('other.example'))).toBe('http://p:1/');
    expect(proxy('https://api.github.com/', { HTTPS_PROXY: 'http://p:1', no_proxy: 'github.com', NO_PROXY: 'other.example' })).toBeNull();
  });
});

describe('createOctokit behind a proxy', () => {
  let sim: Sim | null = null;
  afterEach(async () => {
    await sim?.stop();
    sim = null;
  });

  it('sends REST and GraphQL through HTTP_PROXY (CONNECT, with the proxy credentials), and straight to a NO_PROXY host', async () => {
    sim = await startSim();
    const proxy = await startTunnelProxy();
    try {
      const port = new URL(sim.url).port;
      const credentials = proxy.url.replace('http://', 'http://ci%20user:p%40ss@');
      const octokit = createOctokit({ token: 'test-token', env: { HTTP_PROXY: credentials, GITHUB_API_URL: `http://api.github.test:${port}`, GITHUB_GRAPHQL_URL: `http://api.github.test:${port}/graphql` } });
      const limits = await octokit.request('GET /rate_limit');
      expect(limits.status).toBe(200);
      const viewer = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
      expect(viewer.viewer.login).toBe('github-actions[bot]');
      expect(proxy.connects.length).toBeGreaterThanOrEqual(1);
      expect(proxy.connects.every((c) => c.target === `api.github.test:${port}`)).toBe(true);
      expect(proxy.connects[0]?.authorization).toBe(`Basic ${Buffer.from('ci user:p@ss').toString('base64')}`);

      // 0.0.0.0 reaches the emulator directly on Linux; NO_PROXY names it, so the proxy sees nothing more.
      const before = proxy.connects.length;
      const direct = createOctokit({ token: 'test-token', env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org,0.0.0.0', GITHUB_API_URL: `http://0.0.0.0:${port}` } });
      expect((await direct.request('GET /rate_limit')).status).toBe(200);
      expect(proxy.connects.length).toBe(before);
    } finally {
      await proxy.close();
    }
  });
});
