// Proposed solutions on the emulated platform, with exactly what `userloop init` writes installed: a
// maintainer's comment with a "Proposed solution" heading starts the run GitHub starts (issue_comment), the
// bundled prioritize asks the reporter once, the reporter's reply answers at its own run, a 👍 on a proposal
// (which fires no event) is read by the daily sweep, and Monday's KPI report shows the time to a proposal and
// the proposals waiting for the user.
import { hasMarker, PRIORITIZE_MARKER_KIND, readPrioritizeMarker } from '../../packages/core/src/index.ts';
import { type PlatformRun } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, setupTeam, type Team } from './team.ts';

let team: Team;
const BOT = 'github-actions[bot]';
const PRIORITIZE = '.github/workflows/userloop-prioritize.yml';

beforeAll(async () => {
  team = await setupTeam();
  team.sim.store.now = new Date('2026-11-02T09:00:00Z'); // a Monday
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const ours = (issue: number, kind: string) => team.sim.store.commentsOf(REPO, issue).filter((c) => c.user === BOT && hasMarker(c.body, kind));
const proposalOf = (issue: number) => readPrioritizeMarker(ours(issue, PRIORITIZE_MARKER_KIND)[0]?.body)?.proposal;
const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}
const prioritizeRuns = (runs: readonly PlatformRun[]) => runs.filter((r) => r.workflow === PRIORITIZE).map((r) => `${r.event}.${r.action ?? ''}`);
const at = (iso: string) => {
  team.sim.store.now = new Date(iso);
};

const PROPOSAL = '## Proposed solution\n\nThe PDF export keeps the whole note in memory. Until 1.4 ships, export in parts:\n\n```sh\nnotes export --split 1MB note.md\n```\n';

describe('a proposed solution validated by the reporter, with what `userloop init` writes', () => {
  let first = 0;
  let second = 0;

  it('the reporter opens two feature requests', async () => {
    const since = lastRun();
    first = team.platform.openIssue({ user: 'alice', title: 'feat: export long notes to PDF', labels: team.formLabels('feature'), body: team.formBody('feature', {}) });
    second = team.platform.openIssue({ user: 'alice', title: 'feat: sync over a proxy', labels: team.formLabels('feature'), body: team.formBody('feature', {}) });
    await allSucceed(since);
    expect(ours(first, PRIORITIZE_MARKER_KIND)).toHaveLength(1);
  });

  it("a maintainer's proposal is recorded and the reporter is asked once; a stranger's heading is not a proposal", async () => {
    at('2026-11-03T09:00:00Z');
    let since = lastRun();
    team.platform.comment(first, { user: 'mallory', body: '## Proposed solution\n\nInstall my paid plugin.' });
    await allSucceed(since);
    expect(proposalOf(first)).toBeUndefined();
    expect(ours(first, 'prioritize-proposal')).toEqual([]);

    at('2026-11-03T10:00:00Z');
    since = lastRun();
    const id = team.platform.comment(first, { user: MAINTAINER, body: PROPOSAL });
    const runs = await allSucceed(since);
    // Our question is written with the GITHUB_TOKEN: it starts no run of its own.
    expect(prioritizeRuns(runs)).toEqual(['issue_comment.created']);
    expect(proposalOf(first)).toMatchObject({ by: MAINTAINER, snippet: true, at: '2026-11-03T10:00:00Z', first: '2026-11-03T10:00:00Z' });
    const [ask, ...more] = ours(first, 'prioritize-proposal');
    expect(more).toEqual([]);
    expect(ask?.body).toMatch(/^@alice, \[maria\]\(.*\/maria\) proposed a solution: \[the proposal\]\(.*#issuecomment-\d+\)\. \*\*Does it solve your problem\?\*\*/);
    expect(ask?.body).toContain(`#issuecomment-${id}`);
  });

  it("the reporter's reply answers: its run records yes", async () => {
    at('2026-11-04T09:00:00Z');
    const since = lastRun();
    team.platform.comment(first, { user: 'alice', body: 'Yes, that works, thanks! Splitting is fine until 1.4.' });
    expect(prioritizeRuns(await allSucceed(since))).toEqual(['issue_comment.created']);
    expect(proposalOf(first)).toMatchObject({ answer: 'yes', via: 'reply', answeredAt: '2026-11-04T09:00:00Z' });
    expect(ours(first, 'prioritize-proposal')).toHaveLength(1);
  });

  it("a 👍 fires no event: the next day's sweep reads the waiting proposal and records the reporter's answer", async () => {
    at('2026-11-04T10:00:00Z');
    let since = lastRun();
    const id = team.platform.comment(second, { user: 'gus', body: '### Proposed solution\n\nSet `HTTPS_PROXY`; the sync honours it since 1.2.' });
    await allSucceed(since);
    expect(proposalOf(second)).toMatchObject({ by: 'gus', snippet: false });
    expect(proposalOf(second)?.url).toMatch(new RegExp(`/${REPO}/issues/${second}#issuecomment-${id}$`));
    expect(ours(second, 'prioritize-proposal')).toHaveLength(1);

    at('2026-11-04T12:00:00Z');
    since = lastRun();
    team.platform.react({ comment: id }, { user: 'alice', content: '-1' });
    expect(await team.settle(since)).toEqual([]);
    expect(proposalOf(second)?.answer).toBeUndefined();

    since = lastRun();
    at('2026-11-05T05:23:00Z');
    team.platform.tick();
    const runs = await allSucceed(since);
    expect(prioritizeRuns(runs)).toEqual(['schedule.']);
    expect(proposalOf(second)).toMatchObject({ answer: 'no', via: 'reaction', answeredAt: '2026-11-04T12:00:00Z' });
  });

  it("a new proposal replaces the declined one, asks again, and waits; Monday's KPI report shows the time to a proposal and the one waiting", async () => {
    at('2026-11-05T10:00:00Z');
    const since = lastRun();
    team.platform.comment(second, { user: MAINTAINER, body: '/proposed-solution\n\nThe 1.3 beta adds a proxy setting in Preferences → Network.' });
    await allSucceed(since);
    expect(proposalOf(second)).toMatchObject({ by: MAINTAINER, first: '2026-11-04T10:00:00Z', at: '2026-11-05T10:00:00Z' });
    expect(proposalOf(second)?.answer).toBeUndefined();
    expect(ours(second, 'prioritize-proposal')).toHaveLength(2);

    const monday = lastRun();
    at('2026-11-09T07:00:00Z');
    team.platform.tick();
    const runs = await allSucceed(monday);
    expect(runs.map((r) => r.workflow)).toContain('.github/workflows/userloop-kpi-report.yml');
    const report = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => i.user === BOT && i.title === 'KPI report 2026-W45');
    // First proposals: #1 opened Monday 09:00, proposed Tuesday 10:00 (25 h); #2 opened Monday 09:00, proposed Wednesday 10:00 (49 h).
    expect(report?.body).toMatch(/\| Time to a proposal, median +\| +37 h \(n=2\) \|/);
    expect(report?.body).toMatch(/\| Proposals waiting for the user +\| +1 \|/);
    expect(report?.body).toContain("**1 waiting for the reporter's answer**");
    // The marker keeps the latest proposal: #2's declined one was replaced, so only #1's yes is counted.
    expect(report?.body).toContain('answers in the period: 1 yes, 0 no.');
  });
});
