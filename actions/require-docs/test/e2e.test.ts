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

// The client's one second between writes, scaled down: the runs' requests and writes are the same, without the wait.
const WAIT_ENV = { USERLOOP_WAIT_SCALE: '0.001' };

const run = (payload: Payload, event = 'pull_request', inputs: Record<string, string> = {}, token = 'test-token') =>
  runAction({ actionDir: ACTION, sim, event: { name: event, payload }, inputs: { token, ...inputs }, token, env: WAIT_ENV });

const bodies = (number: number) => sim.store.commentsOf(REPO, number).map((c) => c.body);

/** Whether a GraphQL query of the run read the config file at commit `base` (in the run's one query). */
const readsConfigAt = (base: string): boolean =>
  sim.requests.some((q) => q.path === '/graphql' && JSON.stringify(q.body ?? '').includes(`${base}:.github/userloop.yml`));

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
    // GraphQL: one query for the config (none: defaults), the pull request, its files, the identity and the
    // comments; REST: the POST, and the look for an overlapping run's copy after it (core's keepOne).
    expect(sim.counters.rest).toBe(2);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.graphqlPoints).toBe(1);
    expect(sim.counters.writes).toBe(1);

    sim.resetCounters();
    const again = await run(payload);
    expect(again.exitCode).toBe(1);
    expect(again.outputs['comment-id']).toBe(r.outputs['comment-id']);
    expect(sim.counters.writes).toBe(0);
    // A re-run: the one query, nothing else.
    expect(sim.counters.rest).toBe(0);
    expect(sim.counters.graphqlQueries).toBe(1);
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
    expect(readsConfigAt(base)).toBe(true);
  });

  it('refuses other events with a clear message', async () => {
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload: webhookExample('issues', 'opened') }, inputs: { token: 'test-token' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: 'require-docs runs on pull_request, pull_request_target or merge_group events, or with the `pull-request` input (a workflow_dispatch for a pull request a workflow opened); this run is a "issues" event.' }));
  });
});

describe('require-docs in a merge queue and for pull requests a workflow opened (bundled action)', () => {
  /** GitHub's recorded `merge_group` payload, for a group made for pull request `number` of this repository. */
  function mergeGroup(number: number | null, repository: unknown): Payload {
    const payload = webhookExample('merge_group', 'checks_requested');
    const group = payload.merge_group as { head_ref: string; base_sha: string };
    group.head_ref = number === null ? 'refs/heads/some-branch' : `refs/heads/gh-readonly-queue/main/pr-${number}-${'929f8209d40f77f4abc622a499c93a83babdbe64'}`;
    return { ...payload, repository } as Payload;
  }

  it('merge_group: checks the pull request the group names, read-only; fails the group when it lacks docs', async () => {
    const { payload, number } = scenario('opened', (pr) => { pr.title = 'feat: x'; pr.body = null; }, ['src/x.ts']);
    const group = mergeGroup(number, payload.repository);
    const r = await run(group, 'merge_group');
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'false', missing: 'docs,how-to-use', 'comment-id': '' });
    expect(r.summary).toContain(`Merge queue: checked #${number}, the pull request of the merge group \`refs/heads/gh-readonly-queue/main/pr-${number}-`);
    expect(r.summary).toContain('## ❌ Docs check: 2 missing (docs, how to use)');
    expect(sim.counters.writes).toBe(0);
    expect(bodies(number)).toEqual([]);
  });

  it('merge_group: a pull request with docs and how to use passes; the config is read from the group base', async () => {
    const { payload, number } = scenario('opened', (pr) => { pr.title = 'feat: x'; pr.body = HOW_TO_USE; }, ['src/x.ts', 'docs/x.md']);
    const group = mergeGroup(number, payload.repository);
    const base = (group.merge_group as { base_sha: string }).base_sha;
    const r = await run(group, 'merge_group');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'true', missing: '' });
    expect(readsConfigAt(base)).toBe(true);
    expect(sim.counters.writes).toBe(0);
  });

  it('merge_group on a branch that names no pull request: passes with the reason in the summary and a warning', async () => {
    const { payload } = scenario('opened', () => {}, ['README.md']);
    const r = await run(mergeGroup(null, payload.repository), 'merge_group');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ passed: 'true', missing: '' });
    expect(r.summary).toContain("The merge group's branch `refs/heads/some-branch` names no pull request");
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'warning', message: expect.stringContaining('names no pull request') }));
    expect(sim.counters.rest).toBe(0);
  });

  it('workflow_dispatch with the pull-request input checks that pull request and keeps its comment', async () => {
    const { payload, number } = scenario('opened', (pr) => { pr.title = 'feat: opened by a workflow'; pr.body = null; }, ['src/x.ts']);
    const dispatch = { ...webhookExample('workflow_dispatch'), repository: payload.repository } as Payload;
    const r = await run(dispatch, 'workflow_dispatch', { 'pull-request': String(number) });
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ 'is-feature': 'true', passed: 'false' });
    expect(r.summary).toContain(`Checked #${number}, named by the \`pull-request\` input.`);
    expect(bodies(number)).toHaveLength(1);
  });

  it('a pull-request input that is not a number is a clear error naming the input', async () => {
    const { payload } = scenario('opened', () => {}, ['README.md']);
    const dispatch = { ...webhookExample('workflow_dispatch'), repository: payload.repository } as Payload;
    const r = await run(dispatch, 'workflow_dispatch', { 'pull-request': '#12' });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining("input 'pull-request'") }));
  });
});

describe('two runs at once (bundled action, concurrent processes)', () => {
  it('opened and labeled of one pull request at once, 5 rounds: one sticky comment', async () => {
    for (let round = 1; round <= 5; round += 1) {
      const { payload, number } = scenario('opened', (pr) => {
        pr.number += round * 100;
        pr.title = `feat: round ${round}`;
        pr.body = null;
      }, ['src/x.ts']);
      const labeled = { ...payload, action: 'labeled' };
      const [a, b] = await Promise.all([run(payload), run(labeled)]);
      expect([a.exitCode, b.exitCode]).toEqual([1, 1]);
      expect(bodies(number), `round ${round}`).toHaveLength(1);
      expect(a.outputs['comment-id']).toBe(b.outputs['comment-id']);
    }
  });
});
