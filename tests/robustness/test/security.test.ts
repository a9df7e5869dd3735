// Security of every action: the token never printed (checked on the raw, un-masked output, not only the
// runner-masked one), markers trusted only from the bot's own comments, read-only tokens (fork pull
// requests) degrade without crashing. actionlint, shellcheck, `${{` in run:, permissions and SHA pinning
// are covered by tests/workflows.test.ts and tests/shellcheck.test.ts.
import { renderMarker, renderPrioritizeMarker } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import { ACTIONS, BOT, SCENARIOS, describeRun, runScenario, withScenario, type ActionName, type RunResult } from './scenarios.ts';

const TOKEN = 'ghs_userloopTestToken123';

/** Every text a run shows a person, un-masked; the runner's own `::add-mask::` lines (never displayed) removed. */
function everything(r: RunResult): string {
  const raw = r.raw!;
  const stdout = raw.stdout.split('\n').filter((l) => !l.trimStart().startsWith('::add-mask::')).join('\n');
  return [
    stdout,
    raw.stderr,
    raw.summary,
    JSON.stringify(raw.outputs),
    JSON.stringify(raw.annotations),
    r.stdout,
    r.stderr,
    r.summary,
    JSON.stringify(r.outputs),
    JSON.stringify(r.annotations),
  ].join('\n');
}

describe.concurrent('the token never appears in any log, summary, output or annotation', () => {
  const cases = ACTIONS.flatMap((a) => [
    { action: a, fault: 'none' },
    // Failure paths print request details: a refused write and a failed GraphQL read.
    { action: a, fault: 'write-422' },
    { action: a, fault: 'graphql-partial' },
  ]);
  it.each(cases)('$action ($fault)', async ({ action, fault }) => {
    const sc = SCENARIOS[action];
    await withScenario(sc, async (sim, event) => {
      sim.store.addToken(TOKEN, BOT, { issues: 'write', pull_requests: 'write', contents: 'write', metadata: 'read' });
      if (fault === 'write-422') sim.faults.add({ ...sc.write, status: 422, times: Infinity });
      if (fault === 'graphql-partial') sim.faults.add({ route: '/graphql', kind: 'graphql-partial', message: 'Resource not accessible by integration', times: Infinity });
      const r = await runScenario(sc, sim, event, { token: TOKEN, raw: true });
      // The token was really used: every request the action made carried it.
      expect(r.requests.length).toBeGreaterThan(0);
      expect(r.requests.every((q) => q.login === BOT)).toBe(true);
      // ACTIONS_STEP_DEBUG-level output (::debug:: lines, stack traces) is in the raw stdout too.
      expect(everything(r)).not.toContain(TOKEN);
      expect(everything(r)).not.toContain(TOKEN.slice(4));
    });
  });
});

describe.concurrent('markers are trusted only from the bot\'s own comments', () => {
  it('prioritize: a fake prioritize marker (Fix it now, 50 requesters) in a user comment changes nothing', async () => {
    const sc = SCENARIOS.prioritize;
    await withScenario(sc, async (sim, event) => {
      const fake = renderPrioritizeMarker({
        priority: 'fix-it-now',
        path: ['blocked:yes'],
        due: '2000-01-01',
        ledger: { requesters: Array.from({ length: 50 }, (_, i) => ({ login: `victim${i}`, via: 'comment' as const })), places: [] },
      });
      const planted = sim.store.createComment(sc.repo, 1, { user: 'mallory', body: `nothing to see\n\n${fake}` });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(r.outputs['priority']).toBe('high');
      expect(r.outputs['previous-priority']).toBe('');
      expect(r.outputs['requesters']).toBe('2'); // the author and octocat's "+1"; none of the 50 in the fake ledger
      const bot = sim.store.commentsOf(sc.repo, 1).filter((c) => c.user === BOT);
      expect(bot).toHaveLength(1);
      expect(bot[0]!.body).not.toContain('victim');
      expect(sim.store.comment(sc.repo, planted.id)!.body).toBe(`nothing to see\n\n${fake}`);
    });
  });

  it('require-docs: a user comment carrying the sticky marker is not taken over', async () => {
    const sc = SCENARIOS['require-docs'];
    await withScenario(sc, async (sim, event) => {
      const number = (event.payload['pull_request'] as { number: number }).number;
      const fakeBody = `All good!\n\n${renderMarker('require-docs', { feature: true, passed: true, missing: [], skipped: false })}`;
      const planted = sim.store.createComment(sc.repo, number, { user: 'mallory', body: fakeBody });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(1);
      expect(r.outputs['missing']).toBe('docs,how-to-use');
      expect(sim.store.comment(sc.repo, planted.id)!.body).toBe(fakeBody);
      const bot = sim.store.commentsOf(sc.repo, number).filter((c) => c.user === BOT);
      expect(bot).toHaveLength(1);
      expect(r.outputs['comment-id']).toBe(String(bot[0]!.id));
    });
  });

  it('draft-release-notes: a fake requester ledger in a user comment credits nobody', async () => {
    const sc = SCENARIOS['draft-release-notes'];
    await withScenario(sc, async (sim, event) => {
      const issue = [...sim.store.mustRepo(sc.repo).issues.values()].find((i) => i.title === 'Export please')!;
      const fake = renderPrioritizeMarker({ priority: 'high', path: [], due: null, ledger: { requesters: [{ login: 'mallory', via: 'comment' }], places: [] } });
      // Planted before the bot's comment, so a reader taking the first marker would take it.
      const comments = sim.store.mustRepo(sc.repo).comments;
      const botComment = [...comments.values()].find((c) => c.user === BOT)!;
      sim.store.deleteComment(sc.repo, botComment.id);
      sim.store.createComment(sc.repo, issue.number, { user: 'mallory', body: `me me me\n\n${fake}` });
      sim.store.createComment(sc.repo, issue.number, { user: BOT, body: botComment.body });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const draft = sim.store.listReleases(sc.repo).find((x) => x.draft)!;
      expect(draft.body).toContain('Requested by @bob, @carol');
      expect(draft.body).not.toContain('mallory');
    });
  });

  it('notify-requesters: a fake "already notified" marker and a fake ledger in user comments are ignored', async () => {
    const sc = SCENARIOS['notify-requesters'];
    await withScenario(sc, async (sim, event) => {
      sim.store.createComment(sc.repo, 1, { user: 'mallory', body: `Done!\n\n${renderMarker('notify', { tag: '0.0.1', people: ['alice', 'bob'] })}` });
      const fake = renderPrioritizeMarker({ priority: 'high', path: [], due: null, ledger: { requesters: [{ login: 'victim', via: 'comment' }], places: [] } });
      sim.store.createComment(sc.repo, 2, { user: 'mallory', body: `ping\n\n${fake}` });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(r.outputs['notified-issues']).toBe('[1,2]');
      const notice = (n: number) => sim.store.commentsOf(sc.repo, n).filter((c) => c.user === BOT).map((c) => c.body);
      expect(notice(1)).toHaveLength(1);
      expect(notice(1)[0]).toContain('cc @alice @bob');
      expect(notice(2)).toHaveLength(1);
      expect(notice(2)[0]).not.toContain('victim');
    });
  });

  it('kpi-report: a user\'s issue posing as the report (same title, label and marker) is not updated', async () => {
    const sc = SCENARIOS['kpi-report'];
    await withScenario(sc, async (sim, event) => {
      const first = await runScenario(sc, sim, event);
      expect(first.exitCode, describeRun(first)).toBe(0);
      const real = sim.store.mustIssue(sc.repo, Number(first.outputs['issue-number']));
      // Another run of the same week, with a look-alike opened by a user in between.
      const fakeBody = `stale\n\n${real.body ?? ''}`;
      const fake = sim.store.createIssue(sc.repo, { title: real.title, body: fakeBody, user: 'mallory', labels: real.labels });
      const second = await runScenario(sc, sim, event);
      expect(second.exitCode, describeRun(second)).toBe(0);
      expect(second.outputs['issue-number']).toBe(String(real.number));
      expect(sim.store.mustIssue(sc.repo, fake.number).body).toBe(fakeBody);
    });
  });
});

describe.concurrent('read-only tokens (fork pull requests) degrade without crashing', () => {
  const READ_ONLY = { issues: 'read', pull_requests: 'read', contents: 'read', metadata: 'read' } as const;
  const expected: Record<ActionName, 'degrades' | 'names the permission'> = {
    prioritize: 'names the permission',
    'require-docs': 'degrades',
    'draft-release-notes': 'names the permission',
    'notify-requesters': 'names the permission',
    'kpi-report': 'names the permission',
  };
  it.each(ACTIONS)('%s', async (name) => {
    const sc = SCENARIOS[name];
    await withScenario(sc, async (sim, event) => {
      sim.store.addToken('ghs_readOnlyForkToken', BOT, { ...READ_ONLY });
      const r = await runScenario(sc, sim, event, { token: 'ghs_readOnlyForkToken' });
      const log = describeRun(r);
      expect(r.stderr, log).not.toMatch(/TypeError|ReferenceError|Unhandled|\n\s+at .*\.mjs:\d+/);
      // Every write it tried was refused: nothing written.
      expect(r.requests.filter((q) => q.method !== 'GET' && q.route !== 'POST /graphql' && q.status !== 403), log).toEqual([]);
      if (expected[name] === 'degrades') {
        expect(r.exitCode, log).toBe(sc.exitCode);
        expect(r.summary).toMatch(/read-only token/);
      } else {
        expect(r.exitCode, log).not.toBe(0);
        const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
        expect(errors, log).toMatch(/(issues|contents|pull-requests): write/);
      }
    });
  });
});
