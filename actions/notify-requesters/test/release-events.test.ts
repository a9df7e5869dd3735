// Which release events notify, end to end: the BUNDLED action through its action.yml against the emulator.
// GitHub sends `published` + `released` for one full release, `published` (+ `prereleased`) for a
// pre-release, only `released` for a promotion, and nothing at all for a release a workflow published with
// the GITHUB_TOKEN: then the release workflow runs the action itself, with `tag`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { webhookExample, type Sim } from '@userloop/github-sim';
import { releasePayload, runBundled, useBundledAction } from './bundled.ts';
import { FULL, OWNER, REPO, addIssue, comment, mergePr, notices, publish } from './fixture.ts';

let sim: Sim;
let workspace: string;
useBundledAction({ prefix: 'notify-events-', config: 'notify-requesters:\n  min-interval-ms: 0\n  docs-review:\n    enabled: false\n' }, (test) => ({ sim, workspace } = test));

const WORKFLOW = '.github/workflows/notify-requesters.yml';

/** Commits the workflow file at main's head, as GitHub reads it for the run; returns the run's env. */
function installWorkflow(on: string): Record<string, string> {
  const [commit] = sim.store.commitOn(FULL, 'main', [{ message: 'ci: notify-requesters' }]);
  sim.store.setContent(FULL, WORKFLOW, `name: notify-requesters\non:\n${on}\njobs: {}\n`, commit!.sha);
  return { GITHUB_WORKFLOW_REF: `${FULL}/${WORKFLOW}@refs/heads/main`, GITHUB_WORKFLOW_SHA: commit!.sha };
}

const run = (name: string, payload: Record<string, unknown>, env: Record<string, string> = {}, inputs: Record<string, string> = {}) =>
  runBundled(sim, workspace, { name, payload }, { env, inputs });

/** Two issues, each closed by a merged pull request, with a second requester on the first. */
function shipTwo(): [number, number] {
  const a = addIssue(sim.store, 'alice', 'Export');
  comment(sim.store, a, 'bob', '+1');
  const b = addIssue(sim.store, 'carol', 'Import');
  mergePr(sim.store, { title: 'feat: export', closes: [a] });
  mergePr(sim.store, { title: 'feat: import', closes: [b] });
  return [a, b];
}

describe('release events (bundled action)', () => {
  it('a full release sends published and released: the published run leaves it to released after one read; one notice per issue', async () => {
    const [a, b] = shipTwo();
    const env = installWorkflow('  release:\n    types: [published, released]');
    const rel = publish(sim.store);

    sim.resetCounters();
    const published = await run('release', releasePayload('published', rel), env);
    expect(published.exitCode).toBe(0);
    expect(published.outputs['notified-issues']).toBe('[]');
    expect(published.annotations).toContainEqual(
      expect.objectContaining({ level: 'notice', message: expect.stringContaining('v1.1.0 is a full release: the `released` run GitHub started with this one tells everyone') }),
    );
    // The whole cost of the second run of the pair: the workflow file (the config is in the workspace).
    expect(sim.counters.rest).toBe(1);
    expect(sim.counters.graphqlQueries).toBe(0);
    expect(sim.counters.writes).toBe(0);

    const released = await run('release', releasePayload('released', rel), env);
    expect(released.exitCode).toBe(0);
    expect(released.outputs['notified-issues']).toBe(`[${a},${b}]`);
    expect(notices(sim.store, a)).toHaveLength(1);
    expect(notices(sim.store, b)).toHaveLength(1);
  });

  it('a workflow that listens only to published (written before `released` was handled) still notifies on published', async () => {
    const [a] = shipTwo();
    const env = installWorkflow('  release:\n    types: [published]');
    const rel = publish(sim.store);
    const r = await run('release', releasePayload('published', rel), env);
    expect(r.exitCode).toBe(0);
    expect(notices(sim.store, a)).toHaveLength(1);
  });

  it('a pre-release tells nobody (prereleases: false); promoting it fires only `released`, which tells everyone once', async () => {
    const [a, b] = shipTwo();
    const env = installWorkflow('  release:\n    types: [published, released]');
    sim.store.advance(60_000);
    const rel = sim.store.createRelease(FULL, { tag_name: 'v1.1.0', name: 'v1.1.0', prerelease: true, author: 'maintainer' });

    const pre = await run('release', releasePayload('published', rel), env);
    expect(pre.exitCode).toBe(0);
    expect(pre.annotations).toContainEqual(expect.objectContaining({ level: 'notice', message: expect.stringContaining('v1.1.0 is a pre-release') }));
    expect(notices(sim.store, a)).toEqual([]);

    sim.store.advance(3_600_000);
    const promoted = sim.store.updateRelease(FULL, rel.id, { prerelease: false });
    const r = await run('release', releasePayload('released', promoted), env);
    expect(r.exitCode).toBe(0);
    expect(r.outputs['notified-issues']).toBe(`[${a},${b}]`);
    expect(notices(sim.store, a)[0]).toContain('resolved in [**v1.1.0**]');
  });

  it('with prereleases: true a pre-release published with prereleased is told once: the prereleased run leaves it to published', async () => {
    await writeFile(path.join(workspace, '.github', 'userloop.yml'), 'notify-requesters:\n  min-interval-ms: 0\n  prereleases: true\n  docs-review:\n    enabled: false\n');
    const [a] = shipTwo();
    const env = installWorkflow('  release:\n    types: [published, prereleased, released]');
    sim.store.advance(60_000);
    const rel = sim.store.createRelease(FULL, { tag_name: 'v1.1.0-rc.1', name: 'v1.1.0-rc.1', prerelease: true, author: 'maintainer' });

    sim.resetCounters();
    const second = await run('release', releasePayload('prereleased', rel), env);
    expect(second.exitCode).toBe(0);
    expect(second.annotations).toContainEqual(expect.objectContaining({ level: 'notice', message: expect.stringContaining('the `published` run GitHub started with this one handles the pre-release') }));
    expect(sim.counters.graphqlQueries).toBe(0);
    const first = await run('release', releasePayload('published', rel), env);
    expect(first.exitCode).toBe(0);
    expect(notices(sim.store, a)).toHaveLength(1);
    expect(notices(sim.store, a)[0]).toContain('resolved in [**v1.1.0-rc.1**]');

    // Promoted: the same tag, everyone told already: nothing more.
    sim.resetCounters();
    const promoted = await run('release', releasePayload('released', sim.store.updateRelease(FULL, rel.id, { prerelease: false })), env);
    expect(promoted.exitCode).toBe(0);
    expect(sim.counters.writes).toBe(0);
    expect(notices(sim.store, a)).toHaveLength(1);
  });
});

describe('a release published by a workflow (no release event): a step of that workflow, with `tag`', () => {
  it('a tag-push job passes `${{ github.ref }}`: refs/tags/ is dropped and the release is announced', async () => {
    const [a, b] = shipTwo();
    const rel = publish(sim.store, 'v1.1.0');
    const push: Record<string, unknown> = { ...(webhookExample('push') as Record<string, unknown>), ref: 'refs/tags/v1.1.0' };
    const payload = { ...push, repository: { ...(push['repository'] as object), name: REPO, full_name: FULL, owner: { login: OWNER, name: OWNER } } };
    const r = await run('push', payload, {}, { tag: 'refs/tags/v1.1.0' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['notified-issues']).toBe(`[${a},${b}]`);
    expect(notices(sim.store, a)[0]).toContain(`(https://github.com/${FULL}/releases/tag/${rel.tag_name})`);
  });

  it('workflow_dispatch with a tag notifies; a re-run writes nothing', async () => {
    const [a] = shipTwo();
    publish(sim.store, 'v1.1.0');
    const dispatch = webhookExample('workflow_dispatch') as Record<string, unknown>;
    const payload = { ...dispatch, inputs: { tag: 'v1.1.0' }, repository: { ...(dispatch['repository'] as object), name: REPO, full_name: FULL, owner: { login: OWNER } } };
    expect((await run('workflow_dispatch', payload, {}, { tag: 'v1.1.0' })).exitCode).toBe(0);
    expect(notices(sim.store, a)).toHaveLength(1);
    sim.resetCounters();
    expect((await run('workflow_dispatch', payload, {}, { tag: 'v1.1.0' })).exitCode).toBe(0);
    expect(sim.counters.writes).toBe(0);
  });

  it('a branch ref or a tag without a release is a clear error naming the input', async () => {
    shipTwo();
    const push: Record<string, unknown> = { ...(webhookExample('push') as Record<string, unknown>) };
    const payload = { ...push, repository: { ...(push['repository'] as object), name: REPO, full_name: FULL, owner: { login: OWNER, name: OWNER } } };
    const branch = await run('push', payload, {}, { tag: 'refs/heads/main' });
    expect(branch.exitCode).toBe(1);
    expect(branch.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('The `tag` input is "refs/heads/main", a ref that is not a tag') }));
    const missing = await run('push', payload, {}, { tag: 'v9.9.9' });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('No published release has the tag v9.9.9') }));
    expect(sim.counters.writes).toBe(0);
  });
});
