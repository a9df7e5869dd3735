// End to end: the BUNDLED action run through its action.yml by the emulator's runner, with GitHub's
// recorded webhook payloads, asserting outputs, summary, annotations, the emulator's state and counters.
import { runAction, startSim, webhookExample, webhookExamples, type Sim } from '@userloop/github-sim';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FULL, OWNER, REPO, seed, type History } from './fixture.ts';

const actionDir = fileURLToPath(new URL('..', import.meta.url));
let sim: Sim;
let h: History;

beforeAll(() => {
  if (!existsSync(new URL('../dist/index.mjs', import.meta.url))) throw new Error('Run `pnpm build` first: dist/index.mjs is missing.');
});
beforeEach(async () => {
  sim = await startSim();
  h = seed(sim.store);
});
afterEach(async () => {
  await sim.stop();
});

/** The fields of recorded payloads these tests change. */
interface Payload {
  [key: string]: unknown;
  ref?: string;
  after?: string;
  number?: number;
  repository: { full_name: string; name: string; default_branch: string; owner: { login: string } };
  pull_request?: { merged: boolean; number: number; base: { ref: string } };
}

/** A recorded payload moved to our repository. */
function payload(event: string, action?: string, pick?: (p: Record<string, unknown>) => boolean): Payload {
  const recorded = pick
    ? structuredClone(webhookExamples().find((g) => g.name === event)!.examples.find((e) => pick(e as Record<string, unknown>))!)
    : webhookExample(event, action);
  const p = recorded as unknown as Payload;
  Object.assign(p.repository, { full_name: FULL, name: REPO, default_branch: 'main' });
  p.repository.owner.login = OWNER;
  return p;
}

function pushPayload(): Payload {
  const p = payload('push', undefined, (e) => e.ref === 'refs/heads/master');
  p.ref = 'refs/heads/main';
  p.after = h.head('main');
  return p;
}

/** A recorded `pull_request` `closed` payload for pull request `number`, merged into main. */
function mergedPayload(number: number): Payload {
  const p = payload('pull_request', 'closed');
  Object.assign(p.pull_request!, { merged: true, number });
  p.pull_request!.base.ref = 'main';
  p.number = number;
  return p;
}

/** Runs the bundled action for a push: GITHUB_REF and GITHUB_SHA are the payload's `ref` and `after`, as on GitHub. */
const runPush = (p: Payload, extra: { inputs?: Record<string, string>; env?: Record<string, string> } = {}) =>
  runAction({ actionDir, sim, event: { name: 'push', payload: p }, repository: FULL, ...extra });

const drafts = () => sim.store.listReleases(FULL).filter((r) => r.draft);

describe('bundled action through action.yml', () => {
  it('push to main: creates the draft with every output; a re-run writes nothing', async () => {
    sim.store.setContent(FULL, '.github/userloop.yml', 'draft-release-notes:\n  exclude-labels: [internal]\n', 'main');
    h.merge({ title: 'fix: one' });
    h.release('v2.0.0');
    const issue = h.issue('Export please', 'bob', ['bob', 'carol']);
    const feature = h.merge({ title: 'feat: export', body: '## How to use\n\n```sh\nexport @now\n```', closes: [issue] });
    const bare = h.merge({ title: 'feat: import', user: 'dave' });
    h.merge({ title: 'chore: hidden', labels: ['internal'] });
    sim.resetCounters();

    const r = await runPush(pushPayload(), { env: { GITHUB_RUN_ID: '777' } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const [draft] = drafts();
    expect(drafts()).toHaveLength(1);
    const { 'release-url': releaseUrl, ...outputs } = r.outputs;
    expect(outputs).toEqual({ version: '2.1.0', 'tag-name': 'v2.1.0', 'release-id': String(draft!.id), body: draft!.body, result: 'created' });
    expect(Object.keys(r.outputs)).toContain('release-url');
    expect(releaseUrl).toMatch(/^https:\/\/github\.com\/octo-org\/octo-repo\/releases\//);
    expect(draft).toMatchObject({ tag_name: 'v2.1.0', name: 'v2.1.0', target_commitish: 'main', prerelease: false });
    expect(draft!.body).toContain(`Requested by @bob, @carol\n\n\`\`\`sh\nexport @now\n\`\`\``);
    expect(draft!.body).not.toContain('hidden');
    expect(draft!.body).toContain(`### Needs a usage snippet`);

    expect(r.summary).toContain('## Draft release notes: v2.1.0');
    expect(r.summary).toContain('| Version | 2.1.0 (minor)');
    expect(r.summary).toContain(`| Needs a usage snippet | #${bare}`);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringContaining(`Features without a usage snippet: #${bare}.`) }),
    );
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(feature).toBeGreaterThan(0);

    // Budget: 1 history query (with the token's identity), 1 PR query, 1 query for the closed issues and their
    // comments; REST: config file, releases, one write,
    // and one look at the releases after creating the draft (an overlapping run's copy: core's keepOne).
    expect(sim.counters.graphqlQueries).toBe(3);
    expect(sim.counters.writes).toBe(1);
    expect(r.requests.map((q) => `${(q as { route?: string }).route} ${(q as { status: number }).status}`)).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path} 200',
      'GET /repos/{owner}/{repo}/releases 200',
      'POST /graphql 200',
      'POST /graphql 200',
      'POST /graphql 200',
      'POST /repos/{owner}/{repo}/releases 201',
      'GET /repos/{owner}/{repo}/releases 200',
    ]);

    sim.resetCounters();
    const again = await runPush(pushPayload());
    expect(again.exitCode).toBe(0);
    expect(again.outputs.result).toBe('unchanged');
    expect(again.outputs['release-id']).toBe(String(draft!.id));
    expect(sim.counters.writes).toBe(0);
    expect(again.summary).toContain('unchanged (nothing written)');
    sim.assertClean();
  });

  it('pull_request closed and merged: updates the draft from the base branch head', async () => {
    h.merge({ title: 'fix: one' });
    await runPush(pushPayload());
    const merged = h.merge({ title: 'fix: two' });
    sim.resetCounters();
    const r = await runAction({ actionDir, sim, event: { name: 'pull_request', payload: mergedPayload(merged) }, repository: FULL });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('updated');
    expect(r.outputs['tag-name']).toBe('v0.0.1');
    expect(drafts()).toHaveLength(1);
    expect(drafts()[0]!.body).toContain(`[#${merged}]`);
    expect(sim.counters.writes).toBe(1);
  });

  it('pull_request closed without merge (the recorded payload): skipped, no request at all', async () => {
    const r = await runAction({ actionDir, sim, event: { name: 'pull_request', payload: payload('pull_request', 'closed') }, repository: FULL });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('skipped');
    expect(r.requests).toEqual([]);
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'notice', message: 'The pull request was closed without being merged: nothing to draft.' }));
  });

  it('workflow_dispatch with an empty range: says so, leaves no draft', async () => {
    h.merge({ title: 'fix: one' });
    h.release('v1.0.0');
    const p = payload('workflow_dispatch', undefined, (e) => (e as { ref?: string }).ref === 'refs/heads/main');
    const r = await runAction({ actionDir, sim, event: { name: 'workflow_dispatch', payload: p }, repository: FULL, ref: 'refs/heads/main', sha: h.head('main') });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'none', version: '', 'tag-name': '', 'release-id': '', body: '' });
    expect(r.annotations).toContainEqual(expect.objectContaining({ level: 'notice', message: expect.stringMatching(/^No merged pull request to release between v1\.0\.0 and/) }));
    expect(drafts()).toEqual([]);
    expect(sim.counters.writes).toBe(0);
  });

  it('a bad config fails the step with an annotation on the file', async () => {
    sim.store.setContent(FULL, '.github/userloop.yml', 'draft-release-notes:\n  tag-prefx: v\n', 'main');
    h.merge({ title: 'fix: one' });
    const r = await runPush(pushPayload());
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', file: '.github/userloop.yml', line: 2, message: expect.stringContaining("did you mean 'tag-prefix'") }),
    );
    expect(drafts()).toEqual([]);
  });
});

describe('events it does not draft on (review fixes)', () => {
  const SUPPORTED = 'draft-release-notes runs on push, pull_request (closed), pull_request_target (closed) and workflow_dispatch';

  it.each([
    ['watch', 'started'],
    ['issues', 'opened'],
    ['release', 'published'],
    ['pull_request', 'opened'],
  ])('%s.%s: a notice naming the event and the supported ones, exit 0, no request, no write', async (event, action) => {
    h.merge({ title: 'feat: export' });
    const r = await runAction({ actionDir, sim, event: { name: event, payload: payload(event, action) }, repository: FULL, ref: 'refs/heads/main', sha: h.head('main') });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('skipped');
    expect(r.annotations).toEqual([{ level: 'notice', message: `${SUPPORTED}; nothing to do for ${event}.${action}.` }]);
    expect(r.requests).toEqual([]);
    expect(drafts()).toEqual([]);
    expect(sim.counters.writes).toBe(0);
  });

  it('a tag push: a notice and a clean exit, nothing drafted', async () => {
    h.merge({ title: 'feat: export' });
    const p = pushPayload();
    p.ref = 'refs/tags/v9.9.9';
    const r = await runPush(p);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('skipped');
    expect(r.annotations).toEqual([{ level: 'notice', message: 'A tag push (v9.9.9): drafts follow branches, nothing to draft.' }]);
    expect(r.requests).toEqual([]);
    expect(drafts()).toEqual([]);
  });

  it('with the `branch` input, a push to another branch is skipped; the configured branch is drafted', async () => {
    h.merge({ title: 'feat: export' });
    const other = pushPayload();
    other.ref = 'refs/heads/feature/x';
    const skipped = await runPush(other, { inputs: { branch: 'main' } });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.outputs.result).toBe('skipped');
    expect(skipped.annotations).toEqual([{ level: 'notice', message: 'A push to feature/x instead of main (the `branch` input): nothing to draft.' }]);
    expect(skipped.requests).toEqual([]);

    const drafted = await runPush(pushPayload(), { inputs: { branch: 'main' } });
    expect(drafted.exitCode).toBe(0);
    expect(drafted.outputs.result).toBe('created');
    expect(drafts()).toHaveLength(1);
  });

  it('a branch deletion push: skipped', async () => {
    const p = pushPayload();
    Object.assign(p, { deleted: true, after: '0000000000000000000000000000000000000000' });
    const r = await runPush(p);
    expect(r.exitCode).toBe(0);
    expect(r.annotations).toEqual([{ level: 'notice', message: 'The branch main was deleted: nothing to draft.' }]);
    expect(r.requests).toEqual([]);
  });

  it('pull_request_target closed and merged is drafted like pull_request', async () => {
    h.merge({ title: 'fix: one' });
    const merged = h.merge({ title: 'fix: two' });
    const r = await runAction({ actionDir, sim, event: { name: 'pull_request_target', payload: mergedPayload(merged) }, repository: FULL });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.result).toBe('created');
    expect(drafts()[0]!.body).toContain(`[#${merged}]`);
  });
});
