// Required information and the design checklist on the emulated platform, with exactly what `userloop init`
// writes installed (its workflows, config and issue forms, which its workflows read through the API): the
// reporter's edit and a maintainer's label start the runs GitHub starts, and the bot's own label writes
// (GITHUB_TOKEN) start none.
import { hasMarker, PRIORITIZE_MARKER_KIND, readPrioritizeMarker } from '../../packages/core/src/index.ts';
import { initFiles } from '../../packages/cli/src/init.ts';
import { type PlatformRun } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, setupTeam, type Team } from './team.ts';

let team: Team;
const BOT = 'github-actions[bot]';
const PRIORITIZE = '.github/workflows/userloop-prioritize.yml';

beforeAll(async () => {
  team = await setupTeam();
  team.sim.store.now = new Date('2026-11-02T09:00:00Z'); // a Monday
  // The workflows `init` writes have no checkout: GitHub serves the repository's issue forms through the API.
  for (const f of initFiles()) if (f.path.startsWith('.github/ISSUE_TEMPLATE/')) team.sim.store.setContent(REPO, f.path, f.content);
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const botComments = (issue: number, kind: string) => team.sim.store.commentsOf(REPO, issue).filter((c) => c.user === BOT && hasMarker(c.body, kind));
const labelsOf = (issue: number): string[] => team.sim.store.mustIssue(REPO, issue).labels;
const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}
const events = (runs: readonly PlatformRun[]) => runs.filter((r) => r.workflow === PRIORITIZE).map((r) => `${r.event}.${r.action}`).sort();

describe('with what `userloop init` writes', () => {
  const answers = {
    'what-happened': 'I export a 2 MB note to PDF and the app crashes.',
    'blocks-you': 'No, I have a workaround or it is an annoyance',
    'new-user': 'No',
    steps: '1. Open a 2 MB note\n2. Export to PDF',
    expected: 'A PDF.',
  };
  let bug = 0;

  it('a bug report without the version and the logs: the first reply asks for them, the issue gets needs info', async () => {
    const since = lastRun();
    bug = team.platform.openIssue({ user: 'alice', title: 'bug: export crashes', labels: team.formLabels('bug'), body: team.formBody('bug', answers) });
    const runs = await allSucceed(since);
    // The form's opened and labeled; the bot's own label writes start nothing.
    expect(events(runs)).toEqual(['issues.labeled', 'issues.opened']);
    expect(labelsOf(bug)).toContain('needs info');
    const [reply, ...more] = botComments(bug, PRIORITIZE_MARKER_KIND);
    expect(more).toEqual([]);
    expect(reply?.body).toContain('- **Version**\n- **Logs and configuration**');
  });

  it('the reporter edits the issue: a run on issues.edited takes the label off and the ask out of the reply', async () => {
    const since = lastRun();
    team.sim.store.now = new Date('2026-11-02T11:00:00Z');
    team.platform.editIssue(bug, { by: 'alice', body: team.formBody('bug', { ...answers, version: 'v1.2.0', logs: 'PDF export: out of memory' }) });
    const runs = await allSucceed(since);
    expect(events(runs)).toEqual(['issues.edited']);
    expect(labelsOf(bug)).not.toContain('needs info');
    const reply = botComments(bug, PRIORITIZE_MARKER_KIND)[0]?.body;
    expect(reply).not.toContain('- **Version**');
    const info = readPrioritizeMarker(reply)?.info;
    expect(info?.missing).toEqual([]);
    // Asked as the form came in, complete two hours later (each run's clock is the store's, give or take its run).
    expect(Math.abs(Date.parse(info?.completed ?? '') - Date.parse(info?.asked ?? '') - 2 * 60 * 60 * 1000)).toBeLessThan(60_000);
  });

  it('a maintainer adds needs design: one checklist comment', async () => {
    const since = lastRun();
    team.platform.label(bug, ['needs design'], { by: MAINTAINER });
    const runs = await allSucceed(since);
    expect(events(runs)).toEqual(['issues.labeled']);
    expect(botComments(bug, 'prioritize-design')).toHaveLength(1);
  });
});
