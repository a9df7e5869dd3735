// The bundled action (dist/index.mjs) run through its action.yml by the emulator's runner, with GitHub's
// recorded pull_request payloads. Rebuild the bundle (`pnpm build`) before running these.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMarker } from '@userloop/core';
import { runAction, seedFromWebhook, startSim, webhookExample, type Sim } from '@userloop/github-sim';

const ACTION = 'actions/require-docs';
const REPO = 'Codertocat/Hello-World';
const HOW_TO_USE = '## How to use\n\n```yaml\n- uses: ./actions/require-docs\n```\n';

let sim: Sim;

beforeEach(async () => {
  sim = await startSim();
});

afterEach(async () => {
  sim.assertClean();
  await sim.stop();
});

type Payload = ReturnType<typeof webhookExample>;
type Pull = { number: number; title: string; body: string | null; draft: boolean; labels: Array<{ name: string }>; base: { sha: string } };

/**
 * A recorded `pull_request` payload, edited the way GitHub would send it for this pull request, and the
 * emulator seeded from it (with the pull request's changed files, which payloads do not carry).
 */
function scenario(action: string, edit: (pr: Pull) => void, files: string[]): { payload: Payload; number: number } {
  const payload = webhookExample('pull_request', action);
  const pr = payload.pull_request as Pull;
  edit(pr);
  seedFromWebhook(sim.store, payload);
  const issue = sim.store.mustIssue(REPO, pr.number);
  issue.pull_request!.files = files.map((filename) => ({ sha: '0'.repeat(40), filename, status: 'added', additions: 1, deletions: 0, changes: 1 }));
  return { payload, number: pr.number };
}

const run = (payload: Payload, event = 'pull_request', inputs: Record<string, string> = {}, token = 'test-token') =>
  runAction({ actionDir: ACTION, sim, event: { name: event, payload }, inputs: { token, ...inputs }, token });

const bodies = (number: number) => sim.store.commentsOf(REPO, number).map((c) => c.body);

describe('require-docs end to end (bundled action)', () => {
  it('the recorded "opened" payload (a README update, no feature signal) passes and writes nothing', async () => {
    const { payload } = scenario('opened', () => {}, ['README.md']);
    const r = await run(payload);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({ 'is-feature': 'false', passed: 'true', missing: '', skipped: 'false', 'skip-reason': '', 'comment-id': '' });
    expect(r.summary).toContain('## ✅ Docs check: not a feature');
    expect(sim.counters.writes).toBe(0);
  });

  it('a feat(scope)! title without docs fails the step, comments once, and a re-run writes nothing', async () => {
    const { payload, number } = scenario('reopened', (pr) => { pr.title = 'feat(api)!: rename the search option'; pr.body = null; }, ['src/search.ts']);
    const r = await run(payload);
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'false', missing: 'docs,how-to-use', skipped: 'false' });
    expect(r.outputs['comment-id']).toMatch(/^\d+$/);
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: 'require-docs: missing docs, how-to-use. See the job summary for what to do.' }));
    expect(r.summary).toContain('## ❌ Docs check: 2 missing (docs, how to use)');
    expect(r.summary).toContain('A feature (title `feat(api)!:`)');
    expect(bodies(number)).toHaveLength(1);
    expect(parseMarker(bodies(number)[0], 'require-docs')).toEqual({ feature: true, passed: false, missing: ['docs', 'how-to-use'], skipped: false });
    // config (404: defaults), pull, files, comments, POST; GraphQL: viewer (the token's identity)
    // + 1 look for an overlapping run's copy after the POST (core's keepOne)
    expect(sim.counters.rest).toBe(6);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.graphqlPoints).toBe(1);
    expect(sim.counters.writes).toBe(1);

    sim.resetCounters();
    const again = await run(payload);
    expect(again.exitCode).toBe(1);
    expect(again.outputs['comment-id']).toBe(r.outputs['comment-id']);
    expect(sim.counters.writes).toBe(0);
    expect(sim.counters.rest).toBe(4);
    expect(bodies(number)).toHaveLength(1);
  });

  it('a feature label with docs and how to use passes; the earlier comment turns into "all set"', async () => {
    const { payload, number } = scenario('labeled', (pr) => { pr.labels = [{ name: 'feature' }]; pr.body = null; }, ['src/search.ts']);
    expect((await run(payload)).exitCode).toBe(1);
    sim.store.updateIssue(REPO, number, { body: HOW_TO_USE });
    sim.store.mustIssue(REPO, number).pull_request!.files.push({ sha: '1'.repeat(40), filename: 'docs/search.md', status: 'added', additions: 1, deletions: 0, changes: 1 });
    (payload.pull_request as Pull).body = HOW_TO_USE;

    sim.resetCounters();
    const r = await run(payload);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'true', missing: '' });
    expect(sim.counters.writes).toBe(1);
    expect(bodies(number)).toEqual([
      '### ✅ Docs check: all set\n\nIn place: docs, how to use. Thank you!\n\n<!-- userloop:require-docs {"feature":true,"passed":true,"missing":[],"skipped":false} -->',
    ]);
  });

  it('the skip label with a reason passes and is counted in the outputs and the marker', async () => {
    const { payload, number } = scenario('labeled', (pr) => {
      pr.title = 'feat: internal retry tuning';
      pr.labels = [{ name: 'skip-docs' }];
      pr.body = 'skip-docs: no user-facing change';
    }, ['src/retry.ts']);
    const r = await run(payload);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'true', skipped: 'true', 'skip-reason': 'no user-facing change' });
    expect(parseMarker(bodies(number)[0], 'require-docs')).toEqual({ feature: true, passed: true, missing: [], skipped: true });
  });

  it('the skip label without a reason fails', async () => {
    const { payload } = scenario('labeled', (pr) => { pr.title = 'feat: x'; pr.labels = [{ name: 'skip-docs' }]; pr.body = 'Internal.'; }, ['src/x.ts']);
    const r = await run(payload);
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ skipped: 'false', passed: 'false' });
    expect(r.summary).toContain('The `skip-docs` label is set, but the body has no line `skip-docs: <reason>`, so the rules ran.');
  });

  it('a draft (converted_to_draft) is skipped until ready for review', async () => {
    const { payload } = scenario('converted_to_draft', (pr) => { pr.title = 'feat: x'; pr.body = null; }, ['src/x.ts']);
    const r = await run(payload);
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('## ⏸️ Docs check: waiting for ready for review');
    expect(sim.counters.writes).toBe(0);
  });

  it('pull_request_target from a fork with a read-only token: fails with a clear summary, no crash, no comment', async () => {
    sim.store.addToken('fork-token', 'github-actions[bot]', { pull_requests: 'read', issues: 'read', contents: 'read', metadata: 'read' });
    const { payload, number } = scenario('synchronize', (pr) => { pr.title = 'feat: x'; pr.body = null; }, ['src/x.ts']);
    const r = await run(payload, 'pull_request_target', {}, 'fork-token');
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ passed: 'false', missing: 'docs,how-to-use', 'comment-id': '' });
    expect(r.summary).toContain('Could not comment on the pull request (GitHub API error 403: Resource not accessible by integration');
    expect(r.stderr).not.toMatch(/TypeError|Unhandled|at .*index\.mjs/);
    expect(bodies(number)).toEqual([]);
  });

  it('a bad glob in config fails with an annotation on its line', async () => {
    const { payload } = scenario('opened', (pr) => { pr.title = 'feat: x'; }, ['src/x.ts']);
    const base = (payload.pull_request as Pull).base.sha;
    sim.store.setContent(REPO, '.github/userloop.yml', 'require-docs:\n  docs:\n    globs:\n      - docs/**\n      - "docs/"\n', base);
    const r = await run(payload);
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', file: '.github/userloop.yml', line: 5, message: expect.stringContaining('invalid glob "docs/": a folder matches no file; write "docs/**"') }),
    );
    expect(sim.counters.writes).toBe(0);
  });

  it('reads the config from the base commit', async () => {
    const { payload } = scenario('opened', (pr) => { pr.title = 'feat: x'; pr.body = null; }, ['src/x.ts']);
    const base = (payload.pull_request as Pull).base.sha;
    sim.store.setContent(REPO, '.github/userloop.yml', 'require-docs:\n  docs: { enabled: false }\n  how-to-use: { enabled: false }\n', base);
    const r = await run(payload, 'pull_request', { comment: 'false' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'true' });
    expect(sim.requests.some((q) => q.path.startsWith(`/repos/${REPO}/contents/.github%2Fuserloop.yml?ref=${base}`) || q.path.startsWith(`/repos/${REPO}/contents/.github/userloop.yml?ref=${base}`))).toBe(true);
  });

  it('refuses other events with a clear message', async () => {
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload: webhookExample('issues', 'opened') }, inputs: { token: 'test-token' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: 'require-docs runs on pull_request or pull_request_target events; this run is a "issues" event.' }));
  });
});
