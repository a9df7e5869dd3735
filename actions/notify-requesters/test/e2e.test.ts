// End to end: the BUNDLED action run through its action.yml by the runner, against the emulator, with
// GitHub's recorded webhook payloads.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedFromWebhook, webhookExample, type Sim } from '@userloop/github-sim';
import { runBundled, useBundledAction } from './bundled.ts';

const REPO = 'Codertocat/Hello-World';
let sim: Sim;
let workspace: string;
useBundledAction(
  { prefix: 'notify-e2e-', config: 'notify-requesters:\n  min-interval-ms: 0\n  upgrade-hint: npm i hello-world@{version}\n', seed: false },
  (test) => ({ sim, workspace } = test),
);

const bot = (n: number) => sim.store.commentsOf(REPO, n).filter((c) => c.user === 'github-actions[bot]').map((c) => c.body);

const run = (event: { name: string; payload: Record<string, unknown> }) => runBundled(sim, workspace, event);

describe('notify-requesters (bundled, through action.yml)', () => {
  it('on the recorded `release published` payload: one notice per resolved issue, outputs, summary; a re-run writes nothing', async () => {
    const payload = webhookExample('release', 'published');
    seedFromWebhook(sim.store, payload);
    const s = sim.store;
    s.commitOn(REPO, 'master', [{ message: 'Initial commit' }]);
    s.advance(60_000);
    const issue = s.createIssue(REPO, { title: 'Say hello in French', user: 'alice' }).number;
    s.createComment(REPO, issue, { user: 'bob', body: '+1' });
    s.addReaction(REPO, { issue }, 'carol', '+1');
    const locked = s.createIssue(REPO, { title: 'Heated', user: 'dave' }).number;
    s.lockIssue(REPO, locked, 'too heated', 'Codertocat');
    s.advance(60_000);
    const [commit] = s.commitOn(REPO, 'master', [{ message: 'feat: bonjour' }]);
    s.createPull(REPO, {
      title: 'feat: bonjour',
      user: 'Codertocat',
      body: `Closes #${issue}, fixes #${locked}\n\n## How to use\n\n\`hello --lang fr\`\n`,
      merged: true,
      merge_commit_sha: commit!.sha,
      commits: [commit!.sha],
      files: [{ filename: 'docs/fr.md' }, { filename: 'src/hello.js' }],
    });
    // Merged into the default branch, the closing keywords close both issues as completed (as GitHub does).
    s.closeIssue(REPO, issue, 'Codertocat', 'completed', commit!.sha);
    s.closeIssue(REPO, locked, 'Codertocat', 'completed', commit!.sha);
    s.setRef(REPO, 'refs/tags/0.0.1', commit!.sha);
    sim.resetCounters();

    const first = await run({ name: 'release', payload });
    expect(first.stderr).not.toMatch(/Error(?!.*ExperimentalWarning)/);
    expect(first.exitCode).toBe(0);
    const docsReview = [...s.mustRepo('Codertocat', 'Hello-World').issues.values()].find((i) => i.title === 'Docs review for 0.0.1')!;
    // The locked issue is told too: the GITHUB_TOKEN may comment on a locked conversation.
    expect(first.outputs).toEqual({
      'notified-issues': `[${issue},${locked}]`,
      'notified-people': '4',
      skipped: '0',
      'docs-review-issue': String(docsReview.number),
    });
    const [notice, ...more] = bot(issue);
    expect(more).toEqual([]);
    expect(notice).toContain('resolved in [**0.0.1**](https://github.com/Codertocat/Hello-World/releases/tag/0.0.1) (version `0.0.1`)');
    expect(notice).toContain('To upgrade: `npm i hello-world@0.0.1`');
    expect(notice).toContain('`hello --lang fr`');
    expect(notice).toContain('cc @alice @bob @carol');
    expect(bot(locked)).toHaveLength(1);
    expect(docsReview.body).toContain('  - `docs/fr.md`');
    expect(first.summary).toContain('### notify-requesters: 0.0.1');
    // Budget: one notice per issue + the docs-review issue; reads in a handful of GraphQL queries.
    expect(sim.counters.writes).toBe(3);
    expect(sim.counters.graphqlQueries).toBeLessThanOrEqual(6);

    sim.resetCounters();
    const second = await run({ name: 'release', payload });
    expect(second.exitCode).toBe(0);
    expect(sim.counters.writes).toBe(0);
    expect(second.outputs['notified-issues']).toBe('[]');
    expect(bot(issue)).toHaveLength(1);
  });

  it('on the recorded `release published` payload, a locked resolved issue: its requesters are told there (the GITHUB_TOKEN may comment on a locked conversation)', async () => {
    const payload = webhookExample('release', 'published');
    seedFromWebhook(sim.store, payload);
    const s = sim.store;
    s.commitOn(REPO, 'master', [{ message: 'Initial commit' }]);
    const locked = s.createIssue(REPO, { title: 'Heated', user: 'dave' }).number;
    s.createComment(REPO, locked, { user: 'erin', body: '+1' });
    s.lockIssue(REPO, locked, 'too heated', 'Codertocat');
    const [commit] = s.commitOn(REPO, 'master', [{ message: 'fix: calm down' }]);
    s.createPull(REPO, { title: 'fix: calm down', user: 'Codertocat', body: `Fixes #${locked}`, merged: true, merge_commit_sha: commit!.sha, commits: [commit!.sha], files: [{ filename: 'src/hello.js' }] });
    s.closeIssue(REPO, locked, 'Codertocat', 'completed', commit!.sha);
    s.setRef(REPO, 'refs/tags/0.0.1', commit!.sha);

    const r = await run({ name: 'release', payload });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['notified-issues']).toBe(`[${locked}]`);
    expect(r.outputs['notified-people']).toBe('2');
    expect(r.outputs['skipped']).toBe('0');
    const [notice, ...more] = bot(locked);
    expect(more).toEqual([]);
    expect(notice).toContain('resolved in [**0.0.1**](https://github.com/Codertocat/Hello-World/releases/tag/0.0.1)');
    expect(notice).toContain('cc @dave @erin');
    expect(r.summary).not.toContain(`#${locked} locked`);
  });

  it('on the recorded `issues assigned` payload: the work-started notice, once', async () => {
    const payload = webhookExample('issues', 'assigned');
    seedFromWebhook(sim.store, payload);
    const issue = (payload.issue as { number: number }).number;
    sim.store.createComment(REPO, issue, { user: 'bob', body: 'me too' });
    const first = await run({ name: 'issues', payload });
    expect(first.exitCode).toBe(0);
    expect(first.outputs['notified-issues']).toBe(`[${issue}]`);
    expect(bot(issue)).toHaveLength(1);
    expect(bot(issue)[0]).toContain('cc @bob');
    sim.resetCounters();
    const second = await run({ name: 'issues', payload });
    expect(second.exitCode).toBe(0);
    expect(sim.counters.writes).toBe(0);
  });

  it('fails the step on a bad config, with an annotation on the file', async () => {
    await writeFile(path.join(workspace, '.github', 'userloop.yml'), 'notify-requesters:\n  max-mentions: 500\n');
    const payload = webhookExample('release', 'published');
    seedFromWebhook(sim.store, payload);
    const r = await run({ name: 'release', payload });
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.some((a) => a.level === 'error' && a.file === '.github/userloop.yml')).toBe(true);
  });

  it('workflow_dispatch without a tag does nothing, with a notice', async () => {
    const payload = webhookExample('workflow_dispatch');
    seedFromWebhook(sim.store, payload);
    const r = await run({ name: 'workflow_dispatch', payload });
    expect(r.exitCode).toBe(0);
    expect(r.annotations.some((a) => a.level === 'notice' && /tag/.test(a.message))).toBe(true);
    expect(sim.counters.writes).toBe(0);
  });

  it('an event it does not handle (watch): a notice naming it and the supported events, exit 0, no write', async () => {
    const payload = webhookExample('watch', 'started');
    seedFromWebhook(sim.store, payload);
    const r = await run({ name: 'watch', payload });
    expect(r.exitCode).toBe(0);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message:
          'notify-requesters runs on release (published, released, prereleased), issues (assigned), pull_request (opened), pull_request_target (opened) and workflow_dispatch; nothing to do for watch.started.',
      }),
    );
    expect(sim.counters.writes).toBe(0);
  });
});
