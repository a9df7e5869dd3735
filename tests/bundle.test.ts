// The action bundles are built with plugins that drop parts of zod and undici (scripts/bundle-plugins.mjs).
// Every end-to-end test exercises the trimmed fetch; this one proves the proxy path, which loopback
// requests never take (@actions/http-client bypasses the proxy for 127.0.0.1), and the size budget.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundlePlugins } from '../scripts/bundle-plugins.mjs';
import { repoRoot } from './helpers/repo-files.ts';

const servers: Server[] = [];
const dir = mkdtempSync(join(tmpdir(), 'userloop-bundle-'));
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});
const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => {
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

describe('action bundles', () => {
  it('fetch through a proxy still works with the trimmed undici (the same plugins as the bundles)', async () => {
    const target = await listen(createServer((_req, res) => res.end('hello from the target')));
    let tunnels = 0;
    const proxy = createServer();
    proxy.on('connect', (req, socket) => {
      tunnels += 1;
      const [host, port] = String(req.url).split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    const proxyPort = await listen(proxy);

    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, "export { fetch, ProxyAgent } from 'undici';\n");
    const out = join(dir, 'out.mjs');
    await build({ absWorkingDir: repoRoot, entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', nodePaths: [join(repoRoot, 'node_modules/.pnpm/node_modules')], plugins: bundlePlugins, banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
    const undici = (await import(pathToFileURL(out).href)) as { fetch: typeof fetch; ProxyAgent: new (uri: string) => unknown };
    const dispatcher = new undici.ProxyAgent(`http://127.0.0.1:${proxyPort}`);
    const response = await undici.fetch(`http://127.0.0.1:${target}/`, { dispatcher } as RequestInit);
    expect(await response.text()).toBe('hello from the target');
    expect(tunnels).toBe(1);
  });

  it('every committed bundle is under the 1 MB (1 MiB) budget', () => {
    const actions = readdirSync(join(repoRoot, 'actions'));
    expect(actions.length).toBeGreaterThanOrEqual(5);
    for (const name of actions) expect(statSync(join(repoRoot, 'actions', name, 'dist', 'index.mjs')).size, name).toBeLessThan(1024 * 1024);
  });
});
