// A team's first day with `userloop init --product Lumen --areas "Editor=@alice, Sync=@bob"`: a reporter picks
// the area in the issue form, prioritize turns the answer into the area's label (the workflows `init` writes
// have no checkout: the forms come through the API), and Monday's KPI report counts the issue in its area
// instead of "Unowned". Everything through the platform.
import { hasMarker, PRIORITIZE_MARKER_KIND } from '../../packages/core/src/index.ts';
import { initFiles } from '../../packages/cli/src/init.ts';
import { parseAreas } from '../../packages/cli/src/starter.ts';
import { type PlatformRun } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, setupTeam, type Team } from './team.ts';

const BOT = 'github-actions[bot]';
const INIT = { product: 'Lumen', areas: parseAreas('Editor=@alice, Sync=@bob') };
let team: Team;

beforeAll(async () => {
  team = await setupTeam({}, INIT);
  team.sim.store.now = new Date('2026-11-03T09:00:00Z'); // a Tuesday
  // The workflows `init` writes have no checkout: GitHub serves the config and the issue forms through the API.
  for (const f of initFiles(INIT)) if (f.path.startsWith('.github/ISSUE_TEMPLATE/') || f.path === '.github/userloop.yml') team.sim.store.setContent(REPO, f.path, f.content);
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const labelsOf = (issue: number): string[] => [...team.sim.store.mustIssue(REPO, issue).labels].sort();
const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}

/** The row of `area` in the report's "Open issues by priority" table: its cells. */
function openRow(body: string, area: string): string[] {
  const table = body.slice(body.indexOf('### Open issues by priority'));
  const line = table.split('\n').find((l) => l.startsWith(`| ${area} `));
  return (line ?? '').split('|').map((c) => c.trim()).slice(1, -1);
}

describe('the area a reporter picks in the form', () => {
  const bug = {
    'what-happened': 'I type in a long note and the cursor jumps to the top.',
    'blocks-you': 'No, I have a workaround or it is an annoyance',
    'new-user': 'No',
    steps: '1. Open a long note\n2. Type',
    expected: 'The cursor stays.',
    version: '2.4.0',
  };
  const issues: Record<string, number> = {};

  it('the forms init writes ask it; the bug and the feature answered with an area get its label, "Not sure" none', async () => {
    expect(team.formBody('bug', { ...bug, area: 'Editor' })).toContain('### Which part of Lumen is it about?\n\nEditor');
    let since = lastRun();
    issues['editor'] = team.platform.openIssue({ user: 'carol', title: 'bug: the cursor jumps', labels: team.formLabels('bug'), body: team.formBody('bug', { ...bug, area: 'Editor' }) });
    await allSucceed(since);
    expect(labelsOf(issues['editor'])).toEqual(['area: editor', 'bug', 'needs info', 'priority: low']);

    since = lastRun();
    issues['sync'] = team.platform.openIssue({
      user: 'dan',
      title: 'feature: sync over the office proxy',
      labels: team.formLabels('feature'),
      body: team.formBody('feature', { goal: 'Sync my notes at work.', problem: 'The proxy blocks it.', area: 'Sync', 'blocks-you': 'No, it would help', 'new-user': 'No' }),
    });
    await allSucceed(since);
    expect(labelsOf(issues['sync'])).toEqual(['area: sync', 'enhancement', 'priority: low']);

    since = lastRun();
    issues['unsure'] = team.platform.openIssue({ user: 'erin', title: 'bug: a blank page', labels: team.formLabels('bug'), body: team.formBody('bug', { ...bug, area: 'Not sure' }) });
    await allSucceed(since);
    expect(labelsOf(issues['unsure']).filter((l) => l.startsWith('area:'))).toEqual([]);
    for (const n of Object.values(issues)) {
      expect(team.sim.store.commentsOf(REPO, n).filter((c) => c.user === BOT && hasMarker(c.body, PRIORITIZE_MARKER_KIND))).toHaveLength(1);
    }
  });

  it('a maintainer moves an issue to another area: the next run leaves their label alone', async () => {
    const since = lastRun();
    team.platform.unlabel(issues['editor']!, 'area: editor', { by: MAINTAINER });
    team.platform.label(issues['editor']!, ['area: sync'], { by: MAINTAINER });
    await allSucceed(since);
    team.platform.comment(issues['editor']!, { user: 'carol', body: 'It also happens in short notes.' });
    await allSucceed(since);
    expect(labelsOf(issues['editor']!).filter((l) => l.startsWith('area:'))).toEqual(['area: sync']);
    team.platform.unlabel(issues['editor']!, 'area: sync', { by: MAINTAINER });
    team.platform.label(issues['editor']!, ['area: editor'], { by: MAINTAINER });
    await allSucceed(since);
    expect(labelsOf(issues['editor']!).filter((l) => l.startsWith('area:'))).toEqual(['area: editor']);
  });

  it("Monday's KPI report counts each issue under its area and owner, the unsure one as Unowned", async () => {
    const since = lastRun();
    team.sim.store.now = new Date('2026-11-09T07:00:00Z');
    const started = team.platform.tick();
    expect(started.map((r) => r.workflow)).toContain('.github/workflows/userloop-kpi-report.yml');
    await allSucceed(since);
    const report = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => i.user === BOT && /^KPI report/.test(i.title));
    expect(report, 'the KPI report issue').toBeDefined();
    const body = report?.body ?? '';
    // Area, owners, open, then open by priority.
    expect(openRow(body, 'Editor').slice(0, 3)).toEqual(['Editor', '`@alice`', '1']);
    expect(openRow(body, 'Sync').slice(0, 3)).toEqual(['Sync', '`@bob`', '1']);
    expect(openRow(body, 'Unowned')[2]).toBe('1');
  });
});
