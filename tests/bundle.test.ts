// The action bundles (scripts/bundle.mjs): each under the size ceiling, with undici (the proxy client) in a
// second file, dist/proxy-agent.mjs, that a run reads only behind a proxy. The proxy path is run here the
// way a self-hosted runner behind a proxy runs it: the built action through its action.yml, HTTP_PROXY in
// the job's environment, the API at a host name only the proxy can reach. Rebuild (`pnpm build`) first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction, seedFromWebhook, startSim, startTunnelProxy, webhookExample, type Sim, type TunnelProxy } from '../packages/github-sim/src/index.ts';
import { repoRoot } from './helpers/repo-files.ts';

/**
 * The ceiling no dist/index.mjs may pass (the runner reads and compiles it on every run). The budget is
 * lower, 500 KiB: `pnpm bench` reports each bundle against it (bench/src/budgets.ts).
 */
const BUNDLE_CEILING = 1024 * 1024;

const actions = readdirSync(join(repoRoot, 'actions'));

describe('action bundles', () => {
  it('every bundle is under 1 MiB, carries no undici, and has the proxy file beside it', () => {
    expect(actions.length).toBeGreaterThanOrEqual(5);
    for (const name of actions) {
      const dist = join(repoRoot, 'actions', name, 'dist');
      expect(statSync(join(dist, 'index.mjs')).size, name).toBeLessThan(BUNDLE_CEILING);
      const index = readFileSync(join(dist, 'index.mjs'), 'utf8');
      // undici's own error codes: in the proxy file, never in the bundle every run loads.
      expect(index, name).not.toContain('UND_ERR_');
      expect(index, name).toContain('import("./proxy-agent.mjs")');
      expect(readFileSync(join(dist, 'proxy-agent.mjs'), 'utf8'), name).toContain('UND_ERR_');
    }
  });
});

describe('an action behind a proxy (require-docs, through action.yml)', () => {
  const REPO = 'Codertocat/Hello-World';
  let sim: Sim;
  let proxy: TunnelProxy;
  beforeEach(async () => {
    sim = await startSim();
    proxy = await startTunnelProxy();
  });
  afterEach(async () => {
    sim.assertClean();
    await proxy.close();
    await sim.stop();
  });

  /** The recorded `pull_request.opened` payload, a README change: the action reads the pull request (and the config). */
  function run(host: string, env: Record<string, string>) {
    const payload = webhookExample('pull_request', 'opened');
    seedFromWebhook(sim.store, payload);
    const number = (payload.pull_request as { number: number }).number;
    sim.store.mustIssue(REPO, number).pull_request!.files = [{ sha: '0'.repeat(40), filename: 'README.md', status: 'added', additions: 1, deletions: 0, changes: 1 }];
    const base = `http://${host}:${new URL(sim.url).port}`;
    return runAction({ actionDir: 'actions/require-docs', sim, event: { name: 'pull_request', payload }, inputs: { token: 'test-token' }, token: 'test-token', apiUrl: base, graphqlUrl: `${base}/graphql`, env });
  }

  it('HTTP_PROXY set: every request goes through the proxy (CONNECT, with its credentials) and the run passes', async () => {
    const r = await run('api.github.test', { HTTP_PROXY: proxy.url.replace('http://', 'http://runner:s%40cret@') });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'false', passed: 'true' });
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBeGreaterThanOrEqual(1);
    expect(proxy.connects.length).toBeGreaterThanOrEqual(1);
    for (const c of proxy.connects) {
      expect(c.target).toBe(`api.github.test:${new URL(sim.url).port}`);
      expect(c.authorization).toBe(`Basic ${Buffer.from('runner:s@cret').toString('base64')}`);
    }
  });

  it('NO_PROXY naming the API host: no request goes through the proxy and the run passes', async () => {
    // 0.0.0.0 reaches the emulator on Linux without being a loopback name the client always exempts.
    const r = await run('0.0.0.0', { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org, 0.0.0.0' });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'false', passed: 'true' });
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBeGreaterThanOrEqual(1);
    expect(proxy.connects).toEqual([]);
  });
});
