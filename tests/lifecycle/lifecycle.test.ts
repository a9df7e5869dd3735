// A month of a team's life on the emulated platform, with exactly what `userloop init` writes installed and
// only people acting: GitHub decides which workflows run, with which token, and how overlapping runs race.
import { hasMarker, NOTIFY_MARKER_KIND, PRIORITIZE_MARKER_KIND } from '../../packages/core/src/index.ts';
import { type PlatformRun, type SimComment } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, setupTeam, type Team } from './team.ts';

let team: Team;
const BOT = 'github-actions[bot]';

/** A release workflow as teams write it: it publishes with the GITHUB_TOKEN, then tells the requesters. */
const RELEASE_WORKFLOW = `name: release
on:
  workflow_dispatch:
    inputs:
      tag:
        type: string
        required: true
permissions: {}
jobs:
  release:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: write
      issues: write
      pull-requests: read
    steps:
      - name: Publish the release
        env:
          GH_TOKEN: \${{ github.token }}
          TAG: \${{ inputs.tag }}
        run: |
          curl -sSf -X POST -H "authorization: token $GH_TOKEN" -H 'content-type: application/json' \\
            "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/releases" \\
            -d "{\\"tag_name\\": \\"$TAG\\", \\"name\\": \\"$TAG\\", \\"target_commitish\\": \\"main\\"}" > /dev/null
      - uses: userloop/userloop/actions/notify-requesters@main
        with:
          tag: \${{ inputs.tag }}
`;

beforeAll(async () => {
  team = await setupTeam({ '.github/workflows/release.yml': RELEASE_WORKFLOW });
  team.sim.store.now = new Date('2026-11-02T09:00:00Z'); // a Monday
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const botComments = (issue: number, kind?: string): SimComment[] =>
  team.sim.store.commentsOf(REPO, issue).filter((c) => c.user === BOT && (kind === undefined || hasMarker(c.body, kind)));
const labelsOf = (issue: number): string[] => team.sim.store.mustIssue(REPO, issue).labels;
const later = (minutes: number): void => {
  team.sim.store.now = new Date(team.sim.store.now.getTime() + minutes * 60_000);
};
const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
/** Settles the runs started since `since` and expects each to be accepted and to succeed. */
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}

describe('a month of a team on GitHub, with what `userloop init` writes', () => {
  let bug = 0;
  let feature = 0;
  let dup = 0;

  it('a bug form sends opened and labeled at once: two prioritize runs, one reply, Fix it now', async () => {
    const since = lastRun();
    bug = team.platform.openIssue({
      user: 'alice',
      title: 'bug: export crashes on large notes',
      labels: team.formLabels('bug'),
      body: team.formBody('bug', {
        'what-happened': 'I export a 2 MB note to PDF and the app crashes.',
        'blocks-you': 'Yes, I am blocked',
      }),
    });
    const runs = await allSucceed(since);
    expect(runs.map((r) => `${r.workflow} ${r.event}.${r.action}`).sort()).toEqual([
      '.github/workflows/userloop-prioritize.yml issues.labeled',
      '.github/workflows/userloop-prioritize.yml issues.opened',
    ]);
    expect(botComments(bug, PRIORITIZE_MARKER_KIND)).toHaveLength(1);
    expect(labelsOf(bug)).toContain('priority: fix it now');
  });

  it('a feature request is Low; a second person asking raises it to High, with a comment that notifies', async () => {
    let since = lastRun();
    feature = team.platform.openIssue({
      user: 'bob',
      title: 'Tags for notes',
      labels: team.formLabels('feature'),
      body: team.formBody('feature', {}),
    });
    await allSucceed(since);
    expect(labelsOf(feature)).toContain('priority: low');
    later(60);
    since = lastRun();
    team.platform.comment(feature, { user: 'carol', body: '+1, we need this too' });
    await allSucceed(since);
    expect(labelsOf(feature)).toContain('priority: high');
    expect(labelsOf(feature)).not.toContain('priority: low');
    expect(botComments(feature, PRIORITIZE_MARKER_KIND)).toHaveLength(1);
    // The raise is a new comment (an edit notifies nobody).
    expect(botComments(feature, 'prioritize-change')).toHaveLength(1);
    expect(botComments(feature, 'prioritize-change')[0]?.body).toContain('@bob');
  });

  it('👍 reactions start no workflow; the daily sweep counts them', async () => {
    const since = lastRun();
    for (const user of ['dave', 'erin', 'frank']) team.platform.react({ issue: feature }, { user, content: '+1' });
    await team.settle(since);
    expect(team.platform.runs.filter((r) => r.id > since)).toEqual([]);
    later(24 * 60);
    team.sim.store.now = new Date('2026-11-03T05:23:00Z');
    const sweep = team.platform.tick();
    expect(sweep.map((r) => r.workflow)).toEqual(['.github/workflows/userloop-prioritize.yml']);
    await allSucceed(since);
    const reply = botComments(feature, PRIORITIZE_MARKER_KIND)[0]?.body ?? '';
    for (const user of ['bob', 'carol', 'dave', 'erin', 'frank']) expect(reply).toContain(user);
  });

  it('closing a duplicate runs for the duplicate only, and raises the original in that same run', async () => {
    const since = lastRun();
    later(60);
    dup = team.platform.openIssue({ user: 'gina', title: 'bug: export to PDF crashes', labels: team.formLabels('bug'), body: team.formBody('bug', { 'blocks-you': 'No, I have a workaround or it is an annoyance' }) });
    await allSucceed(since);
    const before = lastRun();
    team.platform.close(dup, { by: MAINTAINER, reason: 'duplicate', duplicateOf: bug });
    const runs = await allSucceed(before);
    expect(runs.map((r) => (r.payload.issue as { number: number }).number)).toEqual([dup]);
    expect(botComments(bug, PRIORITIZE_MARKER_KIND)[0]?.body).toContain('gina');
  });

  it('two assignees send two assigned events: one work-started notice', async () => {
    const since = lastRun();
    later(60);
    team.platform.assign(bug, [MAINTAINER, 'gus'], { by: MAINTAINER });
    const runs = await allSucceed(since);
    expect(runs.filter((r) => r.workflow.endsWith('notify-requesters.yml'))).toHaveLength(2);
    const notices = botComments(bug).filter((c) => !hasMarker(c.body, PRIORITIZE_MARKER_KIND) && c.body.includes('@alice'));
    expect(notices).toHaveLength(1);
  });

  it("a bot's issue gets no priority and no reply, even when a person comments", async () => {
    const since = lastRun();
    const dashboard = team.platform.openIssue({ user: 'renovate[bot]', title: 'Dependency Dashboard', body: 'This issue lists Renovate updates.' });
    team.platform.comment(dashboard, { user: 'carol', body: 'Can we merge the lodash update?' });
    await allSucceed(since);
    expect(labelsOf(dashboard).filter((l) => l.startsWith('priority:'))).toEqual([]);
    expect(botComments(dashboard)).toEqual([]);
  });

  let fix = 0;
  let tags = 0;

  it('a feature PR without docs fails require-docs with one sticky comment; with docs and a snippet it passes', async () => {
    let since = lastRun();
    later(24 * 60);
    const bare = team.platform.openPullRequest({ user: 'gus', head: 'tags-wip', title: 'feat: tags for notes', files: ['src/tags.ts'], labels: ['enhancement'], closes: [feature] });
    const runs = await team.settle(since);
    const checks = runs.filter((r) => r.workflow.endsWith('require-docs.yml'));
    expect(checks.length, describeRuns(runs)).toBeGreaterThan(0);
    expect(checks.every((r) => r.conclusion === 'failure'), describeRuns(runs)).toBe(true);
    expect(botComments(bare)).toHaveLength(1);
    team.platform.close(bare, { by: 'gus' });
    await team.settle();

    since = lastRun();
    tags = team.platform.openPullRequest({
      user: 'gus',
      head: 'tags',
      title: 'feat: tags for notes',
      labels: ['enhancement'],
      files: ['src/tags.ts', 'docs/tags.md'],
      closes: [feature],
      body: 'Adds tags.\n\n## How to use\n\n```sh\nnotes tag add work\n```\n',
    });
    fix = team.platform.openPullRequest({ user: MAINTAINER, head: 'fix-export', title: 'fix: export large notes', files: ['src/export.ts'], closes: [bug], body: `Fixes #${bug}` });
    await allSucceed(since);
    // Passing at once, it has nothing to ask for: no comment at all.
    expect(botComments(tags)).toEqual([]);
  });

  it('the merge queue asks require-docs for the queued commit: it passes, nothing stuck', async () => {
    const since = lastRun();
    team.platform.enqueue(tags, { by: MAINTAINER });
    const runs = await allSucceed(since);
    expect(runs.map((r) => `${r.workflow} ${r.event}`)).toEqual(['.github/workflows/userloop-require-docs.yml merge_group']);
  });

  it('two merges at once: one draft release with both changes and the snippet', async () => {
    const since = lastRun();
    later(60);
    team.platform.mergePullRequest(tags, { by: MAINTAINER });
    team.platform.mergePullRequest(fix, { by: MAINTAINER });
    await allSucceed(since);
    const drafts = team.sim.store.mustRepo(REPO).releases.filter((r) => r.draft);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.body).toContain('notes tag add work');
    expect(drafts[0]?.body).toContain('export large notes');
    expect(team.sim.store.mustIssue(REPO, feature).state).toBe('closed');
    expect(team.sim.store.mustIssue(REPO, bug).state).toBe('closed');
  });

  it('a release published by a release workflow on the GITHUB_TOKEN starts nothing; its notify step tells everyone who asked', async () => {
    const since = lastRun();
    later(24 * 60);
    const run = team.platform.dispatch('release.yml', { tag: 'v1.0.0' }, { by: MAINTAINER });
    await allSucceed(since);
    // The release exists, made by the workflow's token, and no `release` event started a workflow.
    expect(team.sim.store.mustRepo(REPO).releases.find((r) => r.tag_name === 'v1.0.0' && !r.draft)?.author).toBe(BOT);
    expect(team.platform.runs.filter((r) => r.id > since).map((r) => r.id)).toEqual([run.id]);
    // Each person once, where they asked: the author of a duplicate on the duplicate.
    for (const [issue, people] of [[bug, ['alice']], [dup, ['gina']], [feature, ['bob', 'carol', 'dave', 'erin', 'frank']]] as const) {
      const notices = botComments(issue, NOTIFY_MARKER_KIND).filter((c) => c.body.includes('v1.0.0'));
      expect(notices, `#${issue}`).toHaveLength(1);
      for (const who of people) expect(notices[0]?.body, `#${issue} tells ${who}`).toContain(`@${who}`);
    }
  });

  it('a pre-release tells nobody; promoting it fires released (not published) and tells the people who asked, once', async () => {
    let since = lastRun();
    later(24 * 60);
    const wish = team.platform.openIssue({ user: 'hana', title: 'Dark mode', labels: team.formLabels('feature'), body: team.formBody('feature', {}) });
    const pr = team.platform.openPullRequest({
      user: 'gus',
      head: 'dark',
      title: 'feat: dark mode',
      labels: ['enhancement'],
      files: ['src/theme.ts', 'docs/theme.md'],
      closes: [wish],
      body: '## How to use\n\n```sh\nnotes config theme dark\n```\n',
    });
    await allSucceed(since);
    team.platform.mergePullRequest(pr, { by: MAINTAINER });
    await allSucceed(since);
    since = lastRun();
    team.platform.publishRelease({ tag: 'v1.1.0-rc.1', prerelease: true, by: MAINTAINER });
    await allSucceed(since);
    expect(botComments(wish, NOTIFY_MARKER_KIND)).toEqual([]);
    since = lastRun();
    team.platform.promotePrerelease('v1.1.0-rc.1', { by: MAINTAINER });
    const runs = await allSucceed(since);
    expect(runs.filter((r) => r.workflow.endsWith('notify-requesters.yml')).map((r) => `${r.event}.${r.action}`)).toEqual(['release.released']);
    const notices = botComments(wish, NOTIFY_MARKER_KIND);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.body).toContain('@hana');
    expect(notices[0]?.body).toContain('v1.1.0-rc.1');
  });

  it("Monday's schedule posts the weekly KPI report through the reusable workflow; prioritize leaves it alone", async () => {
    const since = lastRun();
    team.sim.store.now = new Date('2026-11-09T07:00:00Z');
    const started = team.platform.tick();
    expect(started.map((r) => r.workflow)).toContain('.github/workflows/userloop-kpi-report.yml');
    await allSucceed(since);
    const botIssues = [...team.sim.store.mustRepo(REPO).issues.values()].filter((i) => !i.pull_request && i.user === BOT);
    // One docs-review issue per release, and one report, for the week that ended (2 to 8 November).
    expect(botIssues.map((i) => i.title).sort()).toEqual(['Docs review for v1.0.0', 'Docs review for v1.1.0-rc.1', 'KPI report 2026-W45']);
    const reports = botIssues.filter((i) => i.title.startsWith('KPI'));
    const report = reports[0]!;
    expect(report.labels.filter((l) => l.startsWith('priority:'))).toEqual([]);
    team.platform.comment(report.number, { user: MAINTAINER, body: 'Good week: the export fix shipped.' });
    await allSucceed(since);
    expect(botComments(report.number, PRIORITIZE_MARKER_KIND)).toEqual([]);
  });

  it('the whole month: every workflow accepted, every payload as GitHub sends it, inside the GITHUB_TOKEN budgets', async () => {
    await team.settle();
    expect(team.platform.runs.filter((r) => r.conclusion === 'startup_failure').map((r) => `${r.workflow}: ${r.errors.join(' ')}`)).toEqual([]);
    expect(team.platform.payloadErrors).toEqual([]);
    team.sim.assertClean();
    const budgets = team.sim.budgets(REPO);
    expect(budgets.rest.refused + budgets.graphql.refused).toBe(0);
    expect(budgets.rest.used).toBeLessThan(1000);
    expect(budgets.graphql.used).toBeLessThan(1000);
  });
});
