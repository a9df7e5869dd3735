// Do what you say, through a week on the emulated platform with exactly what `userloop init` writes: the daily
// prioritize sweep reminds the assignee before the promised date, tells the reporter once it slipped, a
// maintainer's new priority is a new date the reporter hears of, and Monday's KPI report counts the slip and the
// re-promise for the owner. Only people act; the scheduler starts the sweeps.
import { hasMarker, PRIORITIZE_MARKER_KIND, readPrioritizeMarker } from '../../packages/core/src/index.ts';
import { type PlatformRun, type SimComment } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, setupTeam, type Team } from './team.ts';

let team: Team;
const BOT = 'github-actions[bot]';
const SWEEP = '.github/workflows/userloop-prioritize.yml';

beforeAll(async () => {
  team = await setupTeam();
  team.sim.store.now = new Date('2026-11-02T09:00:00Z'); // a Monday
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const ours = (issue: number, kind: string): SimComment[] => team.sim.store.commentsOf(REPO, issue).filter((c) => c.user === BOT && hasMarker(c.body, kind));
const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}
/** The scheduler at `at`: the runs it starts, settled. */
async function tick(at: string): Promise<PlatformRun[]> {
  const since = lastRun();
  team.sim.store.now = new Date(at);
  const started = team.platform.tick();
  await allSucceed(since);
  return started;
}

describe('a promise kept track of, with what `userloop init` writes', () => {
  let bug = 0;

  it('a blocked user: Fix it now, due the next business day; a maintainer assigns it', async () => {
    const since = lastRun();
    bug = team.platform.openIssue({
      user: 'alice',
      title: 'bug: sync loses my notes',
      labels: team.formLabels('bug'),
      body: team.formBody('bug', { 'what-happened': 'After a sync my notes are gone.', 'blocks-you': 'Yes, I am blocked' }),
    });
    await allSucceed(since);
    const reply = ours(bug, PRIORITIZE_MARKER_KIND)[0]?.body;
    expect(readPrioritizeMarker(reply)?.due).toBe('2026-11-03');
    team.sim.store.now = new Date('2026-11-02T10:00:00Z');
    const assigned = lastRun();
    team.platform.assign(bug, ['gus'], { by: MAINTAINER });
    await allSucceed(assigned);
  });

  it("Tuesday's sweep reminds the assignee, once", async () => {
    const started = await tick('2026-11-03T05:23:00Z');
    expect(started.map((r) => r.workflow)).toEqual([SWEEP]);
    const reminders = ours(bug, 'prioritize-reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.body).toMatch(/^@gus A reminder: we told 1 person that we would get to this by Tuesday 2026-11-03, end of day UTC \(Fix it now\)/);
    // A second sweep the same day (a manual dispatch): nothing again.
    const since = lastRun();
    team.platform.dispatch('userloop-prioritize.yml', {}, { by: MAINTAINER });
    expect((await allSucceed(since)).map((r) => `${r.workflow} ${r.event}`)).toEqual([`${SWEEP} workflow_dispatch`]);
    expect(ours(bug, 'prioritize-reminder')).toHaveLength(1);
  });

  it("the date passed with the issue open: Wednesday's sweep tells the reporter what happens next, once", async () => {
    await tick('2026-11-04T05:23:00Z');
    const slips = ours(bug, 'prioritize-slip');
    expect(slips).toHaveLength(1);
    expect(slips[0]?.body).toMatch(/^@alice We said we would get to this by Tuesday 2026-11-03, end of day UTC, and we did not make it\./);
    await tick('2026-11-05T05:23:00Z');
    expect(ours(bug, 'prioritize-slip')).toHaveLength(1);
  });

  it('a maintainer sets High by hand: a new date, and the reporter hears it', async () => {
    const since = lastRun();
    team.sim.store.now = new Date('2026-11-05T10:00:00Z');
    team.platform.label(bug, ['priority: high'], { by: MAINTAINER });
    await allSucceed(since);
    expect(readPrioritizeMarker(ours(bug, PRIORITIZE_MARKER_KIND)[0]?.body)?.due).toBe('2026-11-13');
    const notices = ours(bug, 'prioritize-change');
    expect(notices.at(-1)?.body).toMatch(/^@alice An update: the date we aim for on this issue is now 2026-11-13\./);
  });

  it("Monday's KPI report counts the slip and the re-promise for the assignee who was reminded", async () => {
    const started = await tick('2026-11-09T07:00:00Z');
    expect(started.map((r) => r.workflow)).toContain('.github/workflows/userloop-kpi-report.yml');
    const report = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => i.user === BOT && i.title === 'KPI report 2026-W45');
    expect(report?.body).toContain('## Promises by owner');
    expect(report?.body).toMatch(/\| `@gus` +\| +0 \| +1 \| +1 \|/);
  });
});
