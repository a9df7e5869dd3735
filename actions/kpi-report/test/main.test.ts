// main() through real HTTP against the emulator: what it reads and what it costs, the report issue it
// writes, a re-run that updates in place (or writes nothing), a report too long for one body, and the fan-out.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit, parseConfig } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import type { MainInput } from '../src/main.ts';
import { collectQuery, queryPoints } from '../src/read.ts';
import type { ReportData } from '../src/kpis.ts';
import { runMain } from './run-main.ts';
import { CONFIG_YAML, FULL, seedDataset } from './seed.ts';

let sim: Sim;
let dir: string;

beforeEach(async () => {
  sim = await startSim();
  dir = await mkdtemp(join(tmpdir(), 'kpi-report-'));
});

afterEach(async () => {
  sim.assertClean();
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

const config = parseConfig(CONFIG_YAML, '.github/userloop.yml').config!;

const run = (over: Partial<MainInput> = {}) => runMain(sim, { config, asOf: '2026-11-23T06:00:00Z', ...over });

const reportIssues = () => [...(sim.store.repo(FULL)?.issues.values() ?? [])].filter((i) => i.labels.includes('kpi-report'));

describe('the report from the emulator', () => {
  it('reads the repository in one GraphQL query and reproduces the hand-computed numbers', async () => {
    seedDataset(sim);
    sim.resetCounters();
    const result = await run({ dataPath: join(dir, 'report.json') });
    // One collection query: 100 issues + 15 pull requests + releases + the count of open issues = 249
    // requests -> 2 points, with the token's identity (viewer) riding along for the markers and the report issue.
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.graphqlPoints).toBe(2);
    expect(result.stats).toEqual([{ repository: FULL, calls: 1, issuesRead: 11, pullsRead: 4, incremental: false, points: 2, complete: true }]);
    const m = result.report?.current;
    expect(m?.overall.open).toEqual({ total: 5, 'fix-it-now': 0, high: 3, low: 1, none: 1 });
    expect([m?.overall.opened, m?.overall.closed, m?.overall.reopened]).toEqual([6, 4, 1]);
    expect(m?.overall.firstResponse).toEqual({ count: 6, median: 4, p90: 62, answered: 3, unanswered: 3, closedWithoutReply: 2, withinGoal: 0.75, goalSample: 4 });
    expect(m?.overall.close.all).toEqual({ count: 2, median: 7, p90: 13 });
    expect(m?.overall.commitments).toMatchObject({ dueInPeriod: 2, kept: 1, keptShare: 0.5 });
    expect(m?.overdueByOwner.map((o) => [o.owner, o.items.map((i) => i.number)])).toEqual([
      ['@alice', [2]],
      ['@org/docs-team', [8]],
    ]);
    expect(m?.topRequested.map((i) => [i.number, i.requesters])).toEqual([
      [2, 2],
      [3, 1],
      [4, 1],
    ]);
    expect(m?.shipping).toMatchObject({ mergedPulls: 3, featurePulls: 2, featurePullsWithDocs: 1, docsSkips: 1, docsShare: 0.5, peopleNotified: 5 });
    expect(m?.shipping.releases.map((r) => r.tagName)).toEqual(['v1.2.0']);
    expect(result.report?.trend.series).toEqual({ 'fix-it-now': [0, 0, 0], high: [1, 1, 3], low: [0, 1, 1], none: [0, 0, 1] });
    // The JSON file holds every number.
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as ReportData;
    expect(json.kpis.find((k) => k.id === 'first-response-median-hours')).toMatchObject({ value: 4, previous: 48, goal: 8, met: true });
  });

  it('posts one issue per period with a stable title, and a re-run updates it in place or writes nothing', async () => {
    seedDataset(sim);
    sim.resetCounters();
    const first = await run();
    expect(first.post).toMatchObject({ issue: 'created' });
    expect(sim.counters.writes).toBe(1);
    const [issue] = reportIssues();
    expect(issue?.title).toBe('KPI report 2026-W47');
    expect(issue?.user).toBe('github-actions[bot]');
    // The report is the bot's region of the body (a person's note around it is kept).
    expect(issue?.body?.startsWith('<!-- userloop:kpi-report.start -->\n<!-- userloop:kpi-report {"period":"2026-W47"} -->\n# KPI report 2026-W47\n')).toBe(true);
    expect(issue?.body?.endsWith('\n\n<!-- userloop:kpi-report.end -->')).toBe(true);
    expect(first.post?.issueNumber).toBe(issue?.number);

    // Nothing new: nothing written.
    sim.resetCounters();
    const again = await run();
    expect(again.post?.issue).toBe('unchanged');
    expect(again.post?.issueNumber).toBe(issue?.number);
    expect(sim.counters.writes).toBe(0);

    // Someone answers #4 before the end of the week (a late sync): the same issue is updated.
    sim.store.createComment(FULL, 4, { body: 'Looking.', user: 'alice', created_at: '2026-11-19T10:00:00Z' });
    sim.resetCounters();
    const third = await run();
    expect(third.post?.issue).toBe('updated');
    expect(sim.counters.writes).toBe(1);
    expect(reportIssues()).toHaveLength(1);
    expect(third.report?.current.overall.waiting.count).toBe(2);

    // The next week gets its own issue.
    const next = await run({ asOf: '2026-11-30T06:00:00Z' });
    expect(next.post?.issue).toBe('created');
    expect(reportIssues().map((i) => i.title).sort()).toEqual(['KPI report 2026-W47', 'KPI report 2026-W48']);
  });

  it('does not trust a report marker in an issue someone else opened', async () => {
    seedDataset(sim);
    sim.store.createIssue(FULL, { title: 'KPI report 2026-W47', user: 'mallory', labels: ['kpi-report'], body: '<!-- userloop:kpi-report {"period":"2026-W47"} -->' });
    const first = await run();
    expect(first.post?.issue).toBe('created');
    expect(reportIssues().filter((i) => i.user === 'github-actions[bot]')).toHaveLength(1);
  });

  it('a report over 65,536 characters is one issue body within the limit, each list cut with where the rest is; the job summary has every row', async () => {
    seedDataset(sim);
    // 1,500 open issues waiting for a reply, with long titles.
    for (let i = 0; i < 1500; i += 1) {
      sim.store.createIssue(FULL, { title: `Please look at this ${'y'.repeat(100)} ${i}`, user: `user${i}`, created_at: '2026-11-02T09:00:00Z', events: false });
    }
    sim.resetCounters();
    const first = await run();
    const [issue] = reportIssues();
    // One write: the issue; no comment.
    expect(sim.counters.writes).toBe(1);
    expect(sim.store.commentsOf(FULL, issue?.number ?? 0)).toEqual([]);
    const body = issue?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain(`Waiting for a first response (`);
    // No data-path: the run wrote no JSON file, and the issue promises none.
    expect(body).toMatch(/… and \d+ more: every one is in the job summary of the run \|/);
    expect(body).not.toContain('JSON file');
    // The whole report (the job summary) lists every one of them.
    for (let i = 0; i < 1500; i += 1) expect(first.markdown).toContain(`${'y'.repeat(100)} ${i}`);

    // Re-run: nothing written.
    sim.resetCounters();
    const again = await run();
    expect(again.post).toMatchObject({ issue: 'unchanged' });
    expect(sim.counters.writes).toBe(0);
  });

});

describe('incremental runs through the snapshot', () => {
  it('a second run reads only what changed since the first', async () => {
    seedDataset(sim);
    const snapshotPath = join(dir, 'snapshot.json');
    sim.resetCounters();
    const first = await run({ snapshotPath, post: false });
    expect(first.stats[0]).toMatchObject({ incremental: false, issuesRead: 11, pullsRead: 4 });
    const before = first.report?.current.overall.waiting.count;

    // One issue changes (after everything else: the emulator's clock, like GitHub's, moves forward).
    sim.store.createComment(FULL, 10, { body: 'On it.', user: 'alice', created_at: '2026-11-23T11:00:00Z' });
    sim.resetCounters();
    const second = await run({ snapshotPath, post: false });
    // The changed issue, and #2, updated last at the first run's high-water mark (since is inclusive).
    expect(second.stats[0]).toMatchObject({ incremental: true, issuesRead: 2, pullsRead: 0 });
    expect(sim.counters.graphqlQueries).toBe(1); // one page, the token's identity riding along
    expect(second.stats[0]?.calls).toBe(1);
    const saved = JSON.parse(await readFile(snapshotPath, 'utf8')) as { snapshots: { since: string; items: { number: number; responses: unknown[] }[] }[] };
    expect(saved.snapshots[0]?.since).toBe('2026-11-23T11:00:00Z');
    expect(saved.snapshots[0]?.items.find((i) => i.number === 10)?.responses).toEqual([{ login: 'alice', association: 'COLLABORATOR', at: '2026-11-23T11:00:00Z' }]);
    // The answer came after the week ended: still waiting in W47's report, same numbers as a full read.
    expect(second.report?.current.overall.waiting.count).toBe(before);
    const full = await run({ post: false });
    expect(second.report).toEqual(full.report);
  });

  it('a snapshot whose window starts later than the report needs (more trend periods) falls back to a full read', async () => {
    seedDataset(sim);
    const snapshotPath = join(dir, 'snapshot.json');
    const short = parseConfig(CONFIG_YAML.replace('trend-periods: 3', 'trend-periods: 2'), '.github/userloop.yml').config!;
    expect(short['kpi-report']['trend-periods']).toBe(2);
    const first = await run({ snapshotPath, post: false, config: short });
    expect(first.stats[0]?.incremental).toBe(false);
    const again = await run({ snapshotPath, post: false, config: short });
    expect(again.stats[0]?.incremental).toBe(true);
    const longer = await run({ snapshotPath, post: false });
    expect(longer.stats[0]?.incremental).toBe(false);
    expect(longer.report).toEqual((await run({ post: false })).report);
  });

  it('a damaged or foreign snapshot falls back to a full read', async () => {
    seedDataset(sim);
    const snapshotPath = join(dir, 'snapshot.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(snapshotPath, '{"version":1,"snapshots":[{"repository":"other/repo"}]}'));
    const result = await run({ snapshotPath, post: false });
    expect(result.stats[0]).toMatchObject({ incremental: false, issuesRead: 11 });
  });
});

describe('a read bigger than its points (max-points), spread over runs', () => {
  /** The hand-computed dataset and 250 more open issues, one an hour from Nov 1st: three pages of issues in all. */
  const seedMore = () => {
    seedDataset(sim);
    for (let n = 100; n < 350; n += 1) {
      const created = new Date(Date.parse('2026-11-01T00:00:00Z') + (n - 100) * 3_600_000).toISOString().replace(/\.000Z$/, 'Z');
      sim.store.createIssue(FULL, { number: n, title: `More ${n}`, user: `user${n}`, created_at: created, labels: [], author_association: 'NONE', events: false });
    }
    sim.store.now = new Date('2026-11-23T06:00:00Z');
  };

  it('stops before passing max-points, posts nothing, and the next runs go on to the report one read makes', async () => {
    seedMore();
    const oneRead = await run({ post: false });
    const snapshotPath = join(dir, 'snapshot.json');
    sim.resetCounters();
    const first = await run({ snapshotPath, maxPoints: 3 });
    // One page of 100 issues costs 2 points: a second would pass 3.
    expect(sim.counters.graphqlPoints).toBe(2);
    expect(first.stats[0]).toMatchObject({ complete: false, points: 2, issuesRead: 100, calls: 1 });
    expect(first.complete).toBe(false);
    expect([first.report, first.post]).toEqual([null, null]);
    expect(reportIssues()).toHaveLength(0);
    const saved = JSON.parse(await readFile(snapshotPath, 'utf8')) as { snapshots: { items: unknown[]; resume?: { pass: number; issuesAfter: string | null } }[] };
    expect(saved.snapshots[0]?.items).toHaveLength(100 + 4); // and the four pull requests, riding along
    expect(saved.snapshots[0]?.resume?.issuesAfter).toEqual(expect.any(String));

    // An issue the first run read changes before the next: it is read again, nothing is lost.
    sim.store.createComment(FULL, 100, { body: 'Still broken.', user: 'alice', created_at: '2026-11-23T07:00:00Z' });
    sim.store.now = new Date('2026-11-23T08:00:00Z');
    const runs = [first];
    while (!runs[runs.length - 1]?.complete && runs.length < 10) runs.push(await run({ snapshotPath, maxPoints: 3 }));
    const last = runs[runs.length - 1]!;
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.every((r) => r.stats[0]!.points <= 3)).toBe(true);
    expect(runs.slice(0, -1).every((r) => r.post === null)).toBe(true);
    expect(last.post?.issue).toBe('created');
    expect(reportIssues()).toHaveLength(1);
    // The same report as one read of everything after the change.
    expect(last.report).toEqual((await run({ post: false })).report);
    expect(last.report?.current).toEqual(oneRead.report?.current);
    const done = JSON.parse(await readFile(snapshotPath, 'utf8')) as { snapshots: { resume?: unknown; items: { number: number; responses: unknown[] }[] }[] };
    expect(done.snapshots[0]?.resume).toBeUndefined();
    expect(done.snapshots[0]?.items.find((i) => i.number === 100)?.responses).toHaveLength(1);
  });

  it('without a snapshot there is nothing to go on from: max-points does not stop the read, and the report is posted', async () => {
    seedMore();
    const r = await run({ maxPoints: 3 });
    expect(r.complete).toBe(true);
    expect(r.stats[0]!.points).toBeGreaterThan(3);
    expect(r.post?.issue).toBe('created');
  });

  it('a pull request updated between the runs, behind the cursor of the newest-first pass, is read by the run after', async () => {
    seedMore();
    const snapshotPath = join(dir, 'snapshot.json');
    const first = await run({ snapshotPath, maxPoints: 3, post: false });
    expect(first.complete).toBe(false);
    // #20 rode along in the first query (pull requests newest first): a comment now puts it in front of the cursor.
    sim.store.createComment(FULL, 20, { body: 'Thanks!', user: 'dora', created_at: '2026-11-23T07:00:00Z' });
    sim.store.now = new Date('2026-11-23T08:00:00Z');
    let r = first;
    while (!r.complete) r = await run({ snapshotPath, maxPoints: 3, post: false });
    const next = await run({ snapshotPath, post: false });
    expect(next.stats[0]?.incremental).toBe(true);
    const saved = JSON.parse(await readFile(snapshotPath, 'utf8')) as { snapshots: { items: { kind: string; number: number; responses: { login: string }[] }[] }[] };
    expect(saved.snapshots[0]?.items.find((i) => i.kind === 'pull' && i.number === 20)?.responses.map((x) => x.login)).toContain('dora');
  });

  it('each query\'s points are known before it is sent: the estimate is what GitHub charges for every shape the read uses', async () => {
    seedMore();
    const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0 });
    const shapes = [
      { issues: 100, pulls: 15, releases: true, viewer: true, openCount: true },
      { issues: 100, pulls: 15, releases: false },
      { issues: 50, pulls: 15, releases: true },
      { issues: 50, pulls: null, releases: false },
      { issues: null, pulls: 100, releases: false },
      { issues: null, pulls: 15, releases: true },
    ];
    const charged: number[] = [];
    for (const shape of shapes) {
      const before = sim.counters.graphqlPoints;
      await octokit.graphql(collectQuery(shape), { owner: 'octo-org', name: 'octo-repo' });
      charged.push(sim.counters.graphqlPoints - before);
    }
    expect(shapes.map(queryPoints)).toEqual(charged);
    expect(charged).toEqual([2, 2, 1, 1, 3, 1]);
  });

  it('a read that goes on in a later week keeps its own window and reports that week as one read would', async () => {
    seedMore();
    const snapshotPath = join(dir, 'snapshot.json');
    const first = await run({ snapshotPath, maxPoints: 3, post: false });
    expect(first.complete).toBe(false);
    const nextWeek = '2026-11-30T06:00:00Z';
    sim.store.now = new Date(nextWeek);
    let r = first;
    for (let k = 0; k < 10 && !r.complete; k += 1) r = await run({ snapshotPath, maxPoints: 3, post: false, asOf: nextWeek });
    expect(r.complete).toBe(true);
    expect(r.period).toBe('2026-W48');
    expect(r.report).toEqual((await run({ post: false, asOf: nextWeek })).report);
  });

  it('a pull request merged in the period and updated between the runs, before the read reached it, is in the report the last run posts', async () => {
    seedMore();
    // 30 more pull requests merged in the week: the first run reads only the newest 15.
    for (let n = 400; n < 430; n += 1) {
      sim.store.now = new Date(Date.parse('2026-11-17T00:00:00Z') + (n - 400) * 3_600_000);
      sim.store.createPull(FULL, { number: n, title: `fix: thing ${n}`, user: `dev${n}`, labels: [], files: [{ filename: 'src/a.ts' }], author_association: 'NONE' });
      sim.store.mergePull(FULL, n, 'alice');
    }
    sim.store.now = new Date('2026-11-23T06:00:00Z');
    const snapshotPath = join(dir, 'snapshot.json');
    const first = await run({ snapshotPath, maxPoints: 3, post: false });
    expect(first.complete).toBe(false);
    // The oldest one, not read yet, is commented on: it moves in front of the newest-first cursor.
    sim.store.now = new Date('2026-11-23T07:00:00Z');
    sim.store.createComment(FULL, 400, { body: 'Thanks!', user: 'dora', created_at: '2026-11-23T07:00:00Z' });
    sim.store.now = new Date('2026-11-23T08:00:00Z');
    let r = first;
    for (let k = 0; k < 10 && !r.complete; k += 1) r = await run({ snapshotPath, maxPoints: 3, post: false });
    expect(r.complete).toBe(true);
    expect(r.report?.current.shipping.mergedPulls).toBe(33);
    expect(r.report?.current).toEqual((await run({ post: false })).report?.current);
  });

  it('a repository the points did not reach keeps its snapshot and is read first by the next run', async () => {
    seedMore();
    seedDataset(sim, 'octo-org/other');
    const snapshotPath = join(dir, 'snapshot.json');
    const repositories = [FULL, 'octo-org/other'];
    const first = await run({ snapshotPath, repositories, maxPoints: 2, post: false });
    expect(first.stats.map((s) => [s.repository, s.complete, s.calls])).toEqual([
      [FULL, false, 1],
      ['octo-org/other', false, 0],
    ]);
    let r = first;
    for (let k = 0; k < 10 && !r.complete; k += 1) r = await run({ snapshotPath, repositories, maxPoints: 4, post: false });
    expect(r.complete).toBe(true);
    expect(r.report).toEqual((await run({ repositories, post: false })).report);
  });
});

describe('many repositories', () => {
  it('collect jobs write JSON; the render job reports on all of them, numbers summed exactly', async () => {
    seedDataset(sim, 'octo-org/octo-repo');
    seedDataset(sim, 'octo-org/other');
    await run({ mode: 'collect', repositories: ['octo-org/octo-repo'], dataPath: join(dir, 'data', 'octo-repo', 'records.json') });
    await run({ mode: 'collect', repositories: ['octo-org/other'], dataPath: join(dir, 'data', 'other', 'records.json') });
    expect(reportIssues()).toHaveLength(0);
    const result = await run({ mode: 'render', dataDir: join(dir, 'data') });
    expect(result.report?.repositories).toEqual(['octo-org/octo-repo', 'octo-org/other']);
    const m = result.report?.current;
    expect(m?.overall.open).toEqual({ total: 10, 'fix-it-now': 0, high: 6, low: 2, none: 2 });
    // The same sample twice: [0,0,1,1,2,2,6,6,8,8,62,62] -> median (2 + 6) / 2 = 4, p90 rank ceil(10.8) = 11 -> 62.
    expect(m?.overall.firstResponse).toMatchObject({ count: 12, median: 4, p90: 62, answered: 6, unanswered: 6 });
    expect(m?.shipping.peopleNotified).toBe(5); // the same five people in both repositories
    const [issue] = reportIssues();
    expect(issue?.body).toContain('[octo-org/other#8](https://github.com/octo-org/other/issues/8)');
    expect(issue?.body).toContain('Repositories: `octo-org/octo-repo`, `octo-org/other`.');
  });

  it('a records file the render job cannot read stops it, naming the file: a report without its repository would look whole', async () => {
    seedDataset(sim, 'octo-org/octo-repo');
    seedDataset(sim, 'octo-org/other');
    const good = join(dir, 'data', 'octo-repo', 'records.json');
    const cut = join(dir, 'data', 'other', 'records.json');
    await run({ mode: 'collect', repositories: ['octo-org/octo-repo'], dataPath: good });
    await run({ mode: 'collect', repositories: ['octo-org/other'], dataPath: cut });
    const text = await readFile(cut, 'utf8');
    const render = () => run({ mode: 'render', dataDir: join(dir, 'data') });
    await writeFile(cut, text.slice(0, text.length / 2));
    await expect(render()).rejects.toThrow(new RegExp(`so their repositories would be missing from the report: ${cut} \\(line \\d+ is damaged or cut short\\)\\.`));
    await writeFile(cut, '{"version":1,"repositories":["octo-org/other"]}');
    await expect(render()).rejects.toThrow(`${cut} (not a records file)`);
    // One snapshot without its repository among good ones, and a second file cut short: both named.
    const parsed = JSON.parse(text) as { version: 1; snapshots: Record<string, unknown>[] };
    await writeFile(cut, JSON.stringify({ version: 1, snapshots: [...parsed.snapshots, { ...parsed.snapshots[0], repository: undefined }] }));
    const goodText = await readFile(good, 'utf8');
    await writeFile(good, goodText.slice(0, 100));
    await expect(render()).rejects.toThrow(`${good} (line 2 is damaged or cut short); ${cut} (1 of its 2 snapshots unusable)`);
    expect(reportIssues()).toHaveLength(0);
    await writeFile(good, goodText);
    await writeFile(cut, text);
    expect((await run({ mode: 'render', dataDir: join(dir, 'data') })).report?.repositories).toEqual(['octo-org/octo-repo', 'octo-org/other']);
  });

  it('a collect job with a snapshot writes the same records to its data path, and the next one both again', async () => {
    seedDataset(sim);
    const snapshotPath = join(dir, 'snapshot.json');
    const dataPath = join(dir, 'records', 'records.json');
    const first = await run({ mode: 'collect', snapshotPath, dataPath });
    expect(first.stats[0]?.incremental).toBe(false);
    const before = await readFile(dataPath, 'utf8');
    expect(before).toBe(await readFile(snapshotPath, 'utf8'));
    sim.store.createComment(FULL, 10, { body: 'Any news?', user: 'someone', created_at: '2026-11-23T11:00:00Z', author_association: 'NONE' });
    const second = await run({ mode: 'collect', snapshotPath, dataPath });
    // The changed issue, and #2, updated last at the first run's high-water mark.
    expect(second.stats[0]).toMatchObject({ incremental: true, issuesRead: 2 });
    const records = await readFile(dataPath, 'utf8');
    expect(records).toBe(await readFile(snapshotPath, 'utf8'));
    expect(records).not.toBe(before);
    expect((await run({ mode: 'render', dataDir: join(dir, 'records'), post: false })).report).toEqual((await run({ post: false })).report);
  });
});
