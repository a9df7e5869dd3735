// Requests from outside GitHub on the emulated platform, with exactly what `userloop init` writes installed: a
// maintainer's `/requested-by` command and the intake (repository_dispatch and workflow_dispatch, as a chat
// bot or a support tool sends them) record people without a GitHub account; a command by someone without
// write access (a former maintainer's included) and one with an e-mail address are answered, not recorded;
// at release the docs-review issue lists them for the team to tell, and Monday's KPI report counts them.
import { hasMarker, PRIORITIZE_MARKER_KIND, readPrioritizeMarker, REQUEST_MARKER_KIND, REQUEST_REFUSED_MARKER_KIND } from '../../packages/core/src/index.ts';
import { type PlatformRun } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, setupTeam, type Team } from './team.ts';

let team: Team;
const BOT = 'github-actions[bot]';
const PRIORITIZE = '.github/workflows/userloop-prioritize.yml';
const DANA_URL = 'https://discord.com/channels/11/22/33';

beforeAll(async () => {
  team = await setupTeam();
  team.sim.store.now = new Date('2026-11-02T09:00:00Z');
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const botComments = (issue: number, kind: string) => team.sim.store.commentsOf(REPO, issue).filter((c) => c.user === BOT && hasMarker(c.body, kind));
const ledgerOf = (issue: number) => readPrioritizeMarker(botComments(issue, PRIORITIZE_MARKER_KIND)[0]?.body)?.ledger;
const outsideOf = (issue: number) => (ledgerOf(issue)?.outside ?? []).map((o) => `${o.name}|${o.place ?? ''}|${o.by}`);
const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}

describe('requests from outside GitHub', () => {
  let wish = 0;

  it("a maintainer's /requested-by records Dana with where she asked; the reply names her, inert", async () => {
    let since = lastRun();
    wish = team.platform.openIssue({ user: 'hana', title: 'Dark mode', labels: team.formLabels('feature'), body: team.formBody('feature', {}) });
    await allSucceed(since);
    since = lastRun();
    team.platform.comment(wish, { user: MAINTAINER, body: `Dana asked on our Discord too.\n\n/requested-by "Dana (Discord)" ${DANA_URL}` });
    await allSucceed(since);
    expect(outsideOf(wish)).toEqual([`Dana|Discord|${MAINTAINER}`]);
    expect(ledgerOf(wish)?.outside?.[0]?.url).toBe(DANA_URL);
    const reply = botComments(wish, PRIORITIZE_MARKER_KIND)[0]?.body ?? '';
    expect(reply).toContain('Brought up by 2 people');
    expect(reply).toContain(`Dana ([Discord](${DANA_URL}), outside GitHub)`);
    expect(reply).not.toContain('@Dana');
  });

  it('a command by someone without write access is answered once and not recorded', async () => {
    let since = lastRun();
    team.platform.comment(wish, { user: 'eve', body: '/requested-by "Mallory (Forum)" https://forum.example.com/t/1' });
    await allSucceed(since);
    expect(outsideOf(wish)).toEqual([`Dana|Discord|${MAINTAINER}`]);
    const answers = botComments(wish, REQUEST_REFUSED_MARKER_KIND);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body).toContain('@eve');
    expect(answers[0]?.body).toContain('only people with write access');
    // Another event on the issue: the command is not answered again.
    since = lastRun();
    team.platform.comment(wish, { user: 'ivan', body: 'me too' });
    await allSucceed(since);
    expect(botComments(wish, REQUEST_REFUSED_MARKER_KIND)).toHaveLength(1);
    expect(outsideOf(wish)).toEqual([`Dana|Discord|${MAINTAINER}`]);
  });

  it("a maintainer's command with an e-mail address is answered plainly and not recorded", async () => {
    const since = lastRun();
    team.platform.comment(wish, { user: 'gus', body: '/requested-by "Pat pat@example.com (Support)"' });
    await allSucceed(since);
    const answers = botComments(wish, REQUEST_REFUSED_MARKER_KIND);
    expect(answers).toHaveLength(2);
    expect(answers[1]?.body).toContain('an e-mail address');
    expect(answers[1]?.body).not.toContain('pat@example.com');
    expect(JSON.stringify(ledgerOf(wish))).not.toContain('example.com');
  });

  it('the intake on repository_dispatch finds the issue by its title and records Lee once, however often the chat bot retries', async () => {
    let since = lastRun();
    const payload = { name: 'Lee', place: 'Discord', url: 'https://discord.com/channels/11/22/44', title: 'dark mode', text: 'Please add a dark theme, @everyone wants it' };
    team.platform.repositoryDispatch('userloop-request', payload, { by: MAINTAINER });
    let runs = await allSucceed(since);
    expect(runs.filter((r) => r.workflow === PRIORITIZE).map((r) => r.event)).toEqual(['repository_dispatch']);
    const records = botComments(wish, REQUEST_MARKER_KIND);
    expect(records).toHaveLength(1);
    expect(records[0]?.body).toContain('@\u200Beveryone');
    expect(outsideOf(wish)).toEqual([`Dana|Discord|${MAINTAINER}`, `Lee|Discord|${MAINTAINER}`]);
    since = lastRun();
    team.platform.repositoryDispatch('userloop-request', payload, { by: MAINTAINER });
    runs = await allSucceed(since);
    expect(runs).toHaveLength(1);
    expect(botComments(wish, REQUEST_MARKER_KIND)).toHaveLength(1);
    expect(outsideOf(wish)).toHaveLength(2);
  });

  it('the intake on workflow_dispatch opens an issue for a new request and evaluates it; without a name it stays the sweep', async () => {
    let since = lastRun();
    team.platform.dispatch('userloop-prioritize.yml', { 'request-name': 'Kim', 'request-place': 'Forum', 'request-url': 'https://forum.example.com/t/7', 'issue-title': 'Export to EPUB', 'request-text': 'EPUB export please' }, { by: MAINTAINER });
    await allSucceed(since);
    const opened = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => !i.pull_request && i.title === 'Export to EPUB');
    expect(opened?.user).toBe(BOT);
    expect(opened?.body).toContain('EPUB export please');
    expect(outsideOf(opened!.number)).toEqual([`Kim|Forum|${MAINTAINER}`]);
    expect(team.sim.store.mustIssue(REPO, opened!.number).labels.some((l) => l.startsWith('priority:'))).toBe(true);
    // A person's comment on that issue is heard like on any other.
    since = lastRun();
    team.platform.comment(opened!.number, { user: 'ivan', body: '+1' });
    await allSucceed(since);
    expect(ledgerOf(opened!.number)?.requesters.map((r) => r.login)).toEqual(['ivan']);
    // An e-mail address in the request fails the run, naming the input; nothing is opened.
    since = lastRun();
    team.platform.dispatch('userloop-prioritize.yml', { 'request-name': 'Ana', 'issue-title': 'Sync', 'request-text': 'mail me at ana@example.com' }, { by: MAINTAINER });
    const failed = await team.settle(since);
    expect(failed.map((r) => r.conclusion)).toEqual(['failure']);
    expect(describeRuns(failed)).toContain('request-text');
    expect([...team.sim.store.mustRepo(REPO).issues.values()].some((i) => i.title === 'Sync')).toBe(false);
    // No name: the sweep.
    since = lastRun();
    team.platform.dispatch('userloop-prioritize.yml', {}, { by: MAINTAINER });
    await allSucceed(since);
  });

  it('a former maintainer (write access removed) is refused, though they recorded someone before', async () => {
    const repo = team.sim.store.mustRepo(REPO);
    repo.collaborators.olga = 'write';
    let since = lastRun();
    team.platform.comment(wish, { user: 'olga', body: '/requested-by "Sam (Forum)" https://forum.example.com/t/2' });
    await allSucceed(since);
    expect(outsideOf(wish)).toEqual([`Dana|Discord|${MAINTAINER}`, `Lee|Discord|${MAINTAINER}`, 'Sam|Forum|olga']);
    const answered = botComments(wish, REQUEST_REFUSED_MARKER_KIND).length;
    // Her write access is removed: the marker names her as the one who recorded Sam, which carries no trust.
    repo.collaborators.olga = 'read';
    since = lastRun();
    team.platform.comment(wish, { user: 'olga', body: '/requested-by "Noor (Slack)" https://slack.example.com/archives/C1/p2' });
    await allSucceed(since);
    expect(outsideOf(wish)).toEqual([`Dana|Discord|${MAINTAINER}`, `Lee|Discord|${MAINTAINER}`, 'Sam|Forum|olga']);
    const answers = botComments(wish, REQUEST_REFUSED_MARKER_KIND);
    expect(answers).toHaveLength(answered + 1);
    expect(answers.at(-1)?.body).toContain('@olga');
    expect(answers.at(-1)?.body).toContain('only people with write access');
    expect(JSON.stringify(ledgerOf(wish))).not.toContain('Noor');
  });

  it('at release the docs-review issue lists Dana and Lee for the team to tell', async () => {
    let since = lastRun();
    const pr = team.platform.openPullRequest({ user: 'gus', head: 'dark', title: 'feat: dark mode', labels: ['enhancement'], files: ['src/theme.ts', 'docs/theme.md'], closes: [wish], body: '## How to use\n\n```sh\nnotes config theme dark\n```\n' });
    await allSucceed(since);
    team.platform.mergePullRequest(pr, { by: MAINTAINER });
    await allSucceed(since);
    since = lastRun();
    team.platform.publishRelease({ tag: 'v1.0.0', by: MAINTAINER });
    await allSucceed(since);
    const review = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => i.title === 'Docs review for v1.0.0');
    expect(review?.body).toContain('People outside GitHub to tell');
    expect(review?.body).toContain(`- [ ] Dana on Discord: [where they asked](${DANA_URL}) (asked for #${wish})`);
    expect(review?.body).toContain('- [ ] Lee on Discord');
    expect(review?.body).not.toContain('Mallory');
    expect(review?.body).not.toContain('Noor');
  });

  it("Monday's KPI report counts Kim, who asked outside GitHub for the issue the intake opened", async () => {
    const since = lastRun();
    const monday = new Date('2026-11-09T07:00:00Z');
    team.sim.store.now = monday;
    const started = team.platform.tick(monday);
    expect(started.map((r) => r.workflow)).toContain('.github/workflows/userloop-kpi-report.yml');
    await allSucceed(since);
    const epub = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => !i.pull_request && i.title === 'Export to EPUB')!;
    const report = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => !i.pull_request && i.user === BOT && /KPI/.test(i.title));
    // Dana and the others asked for the dark mode, shipped and closed; Kim's issue is open, opened by the bot.
    expect(report?.body).toContain('Of the people who asked for the open issues, 1 asked outside GitHub');
    // ivan and Kim.
    expect(report?.body).toMatch(new RegExp(`^\\| +2 \\| \\[#${epub.number}\\]\\([^)]+\\) Export to EPUB \\|`, 'm'));
  });

  it('the intake on workflow_dispatch waits out a secondary rate limit on its write, as any event does (only the sweep leaves it to its pacer)', async () => {
    const since = lastRun();
    team.sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues', kind: 'secondary-rate-limit', status: 403, retryAfter: 1, times: 1 });
    team.platform.dispatch('userloop-prioritize.yml', { 'request-name': 'Lou', 'request-place': 'Forum', 'issue-title': 'Print preview' }, { by: MAINTAINER });
    await allSucceed(since);
    const opened = [...team.sim.store.mustRepo(REPO).issues.values()].filter((i) => !i.pull_request && i.title === 'Print preview');
    expect(opened).toHaveLength(1);
    expect(outsideOf(opened[0]!.number)).toEqual([`Lou|Forum|${MAINTAINER}`]);
  });
});
