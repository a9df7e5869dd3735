// The weekly KPI report's incremental snapshot outlives actions/cache: with what `userloop init` writes, the
// Monday report keeps its snapshot in the cache and as a 90-day artifact; a week and an hour later the cache
// entry is gone (7 days without access) and the next Monday's run finds the artifact of the last run through
// the REST API, downloads it with run-id and reads only what changed. Everything through the platform.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type JobRecord, type Platform, type PlatformRun, type Sim } from '../../packages/github-sim/src/index.ts';
import { describeRuns, REPO, ROOT, setupTeam, type Team } from './team.ts';

const BOT = 'github-actions[bot]';
const KPI_WORKFLOW = '.github/workflows/userloop-kpi-report.yml';
const SNAPSHOT_ARTIFACT = 'userloop-kpi-snapshot-acme_notes';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Two Mondays a week apart, at the 07:00 UTC of the schedule `init` writes. */
const FIRST_MONDAY = new Date('2026-11-02T07:00:00Z');
const NEXT_MONDAY = new Date('2026-11-09T07:00:00Z');

/** The history the reports read: 260 issues (three pages of a full read), a third of them closed. */
function seedHistory(sim: Sim): void {
  for (let i = 0; i < 260; i++) {
    const at = new Date(Date.parse('2026-09-01T09:00:00Z') + i * 4 * HOUR).toISOString();
    const closed = i % 3 === 0;
    sim.store.createIssue(REPO, {
      title: `Issue ${i}`,
      user: i % 2 ? 'alice' : 'bob',
      created_at: at,
      updated_at: at,
      ...(closed ? { state: 'closed', state_reason: 'completed', closed_at: at } : {}),
    });
  }
}

/** What one scheduled KPI run did, read from its jobs (the reusable workflow's `report` job reads and renders). */
interface KpiRun {
  run: PlatformRun;
  report: JobRecord;
  /** Outputs of the step that collected (items-read, queries). */
  collected: Record<string, string>;
  /** The run id the artifact lookup found ('' when none). */
  foundRunId: string;
  downloaded: string;
  /** `incremental` or `full`, as the collect step's summary says. */
  read: string;
  /** GraphQL points the repository's GITHUB_TOKEN spent in this run. */
  points: number;
}

/** Fires the Monday schedule at `cron` (the scheduler's minute) with the store clock at `now`; settles; reads the run. */
async function scheduledReport(team: Team, cron: Date, now: Date = cron): Promise<KpiRun> {
  team.sim.store.now = now;
  const before = team.sim.budgets(REPO).graphql.total;
  const since = team.platform.runs.at(-1)?.id ?? 0;
  const started = team.platform.tick(cron);
  expect(started.map((r) => r.workflow)).toEqual([KPI_WORKFLOW]);
  const runs = await team.settle(since);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  const run = started[0] as PlatformRun;
  const report = run.jobs.find((j) => j.name === 'report / report') as JobRecord;
  expect(report, describeRuns([run])).toBeDefined();
  const step = (id: string) => report.steps.find((s) => s.id === id);
  const read = /\| acme\/notes \| (incremental|full) \|/.exec(report.summary)?.[1] ?? '';
  return {
    run,
    report,
    collected: step('collect')?.outputs ?? {},
    foundRunId: step('earlier')?.outputs['run-id'] ?? '',
    downloaded: report.steps.find((s) => s.name === 'Download it')?.outcome ?? 'missing',
    read,
    points: team.sim.budgets(REPO).graphql.total - before,
  };
}

const reportIssues = (sim: Sim) => [...sim.store.mustRepo(REPO).issues.values()].filter((i) => !i.pull_request && i.user === BOT && /KPI/.test(i.title));

describe('the weekly KPI snapshot outlives the cache (a 90-day artifact of the last run)', () => {
  let team: Team;
  let first: KpiRun;
  beforeAll(async () => {
    team = await setupTeam();
    seedHistory(team.sim);
  }, 60_000);
  afterAll(async () => {
    await team?.done();
  });

  it('with no earlier snapshot (no cache entry, no artifact) the first Monday reads everything and posts its report', async () => {
    first = await scheduledReport(team, FIRST_MONDAY);
    expect(first.foundRunId).toBe('');
    expect(first.downloaded).toBe('skipped');
    expect(first.read).toBe('full');
    expect(Number(first.collected['items-read'])).toBeGreaterThanOrEqual(260);
    expect(Number(first.collected.queries)).toBeGreaterThanOrEqual(3);
    expect(reportIssues(team.sim).map((i) => i.title)).toEqual([expect.stringMatching(/2026-W44/)]);
    // The snapshot is kept both ways: a cache entry and an artifact of this run, 90 days.
    expect(team.platform.cacheEntries().map((e) => e.key)).toEqual([`kpi-snapshot-${REPO}/${first.run.id}-1`]);
    const [artifact] = team.sim.store.listArtifacts(REPO, { name: SNAPSHOT_ARTIFACT });
    expect(artifact?.run_id).toBe(first.run.id);
    expect(artifact?.expires_at).toBe('2027-01-31T07:00:00Z');
  }, 120_000);

  it('a week and an hour later the cache entry is gone; the next Monday restores the artifact and reads only what changed, for fewer points', async () => {
    // What happened in the week: two new issues, one old issue closed.
    for (const title of ['Sync loses edits offline', 'Dark mode for the editor']) team.sim.store.createIssue(REPO, { title, user: 'carol', created_at: '2026-11-05T10:00:00Z', updated_at: '2026-11-05T10:00:00Z' });
    team.sim.store.now = new Date('2026-11-06T12:00:00Z');
    team.sim.store.closeIssue(REPO, 2, 'alice', 'completed');

    team.sim.store.now = new Date(NEXT_MONDAY.getTime() + HOUR);
    expect(team.platform.cacheEntries()).toEqual([]);
    // GitHub starts scheduled runs late when it is busy: the 07:00 run starts at 08:00.
    const second = await scheduledReport(team, NEXT_MONDAY, new Date(NEXT_MONDAY.getTime() + HOUR));
    expect(second.foundRunId).toBe(String(first.run.id));
    expect(second.downloaded).toBe('success');
    expect(second.read).toBe('incremental');
    // The week's changes (and last week's report issue), not the 260 issues again.
    expect(Number(second.collected['items-read'])).toBeGreaterThanOrEqual(3);
    expect(Number(second.collected['items-read'])).toBeLessThan(20);
    expect(Number(second.collected.queries)).toBe(1);
    expect(second.points).toBeLessThan(first.points);
    expect(reportIssues(team.sim).map((i) => i.title)).toEqual([expect.stringMatching(/2026-W44/), expect.stringMatching(/2026-W45/)]);
    // This run keeps its own snapshot for the next one: the newest artifact is this run's.
    expect(team.sim.store.listArtifacts(REPO, { name: SNAPSHOT_ARTIFACT }).map((a) => a.run_id)).toEqual([second.run.id, first.run.id]);
    team.sim.assertClean();
  }, 120_000);

  it('after 90 days without a run both are gone (the artifact expired): the run reads all the report can see and still posts', async () => {
    const monday = new Date(NEXT_MONDAY.getTime() + 13 * 7 * DAY); // 2027-02-08, 91 days later
    team.sim.store.now = monday;
    expect(team.platform.cacheEntries()).toEqual([]);
    const third = await scheduledReport(team, monday);
    expect(third.foundRunId).toBe('');
    expect(third.read).toBe('full');
    // A full read of what the report can see: every open issue (the history's closed third ended months
    // before the trend's oldest week, so it is not read) and what changed since, the report issues among them.
    const items = [...team.sim.store.mustRepo(REPO).issues.values()];
    const open = items.filter((i) => i.state === 'open' && !/2027-W05/.test(i.title)).length;
    expect(Number(third.collected['items-read'])).toBeGreaterThanOrEqual(open);
    expect(Number(third.collected['items-read'])).toBeLessThan(items.length);
    expect(reportIssues(team.sim).map((i) => i.title).at(-1)).toMatch(/2027-W05/);
    team.sim.assertClean();
    const budgets = team.sim.budgets(REPO);
    expect(budgets.rest.refused + budgets.graphql.refused).toBe(0);
  }, 120_000);
});

describe('control: the same two Mondays without the artifact path', () => {
  let team: Team;
  let root: string;
  let platform: Platform;
  beforeAll(async () => {
    team = await setupTeam();
    seedHistory(team.sim);
    // A copy of userloop whose reusable workflow keeps the snapshot in the cache only.
    root = mkdtempSync(path.join(os.tmpdir(), 'userloop-no-artifact-'));
    cpSync(path.join(ROOT, 'actions', 'kpi-report'), path.join(root, 'actions', 'kpi-report'), { recursive: true, filter: (src) => !src.includes('node_modules') });
    const doc = parseYaml(readFileSync(path.join(ROOT, '.github/workflows/kpi-report.yml'), 'utf8')) as { jobs: Record<string, { steps?: Array<{ name?: string }> }> };
    for (const job of Object.values(doc.jobs)) if (job.steps) job.steps = job.steps.filter((s) => s.name !== 'Download it');
    mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(root, '.github/workflows/kpi-report.yml'), stringifyYaml(doc));
    platform = createPlatform({ sim: team.sim, repository: REPO, checkout: team.checkout, actionRepos: { 'userloop/userloop': root } });
  }, 60_000);
  afterAll(async () => {
    await platform?.settle();
    await team?.done();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the next Monday reads everything again: the incremental read above comes from the artifact', async () => {
    const control = { ...team, platform, settle: async (since = 0) => (await platform.settle()).filter((r) => r.id > since) };
    const first = await scheduledReport(control, FIRST_MONDAY);
    expect(first.read).toBe('full');
    const second = await scheduledReport(control, NEXT_MONDAY, new Date(NEXT_MONDAY.getTime() + HOUR));
    expect(second.foundRunId).toBe(String(first.run.id)); // the artifact is there, nothing downloads it
    expect(second.read).toBe('full');
    expect(second.points).toBeGreaterThanOrEqual(first.points);
    team.sim.assertClean();
  }, 240_000);
});

describe('a first read bigger than max-points: no report until the read is done, nothing read twice or lost', () => {
  let team: Team;
  beforeAll(async () => {
    team = await setupTeam();
    seedHistory(team.sim);
    // init's workflow, told to spend at most 2 points a run (a page of 100 issues): the 260 issues take three runs.
    const written = readFileSync(path.join(team.checkout, KPI_WORKFLOW), 'utf8');
    expect(written).toMatch(/\n    with:\n/);
    team.write(KPI_WORKFLOW, written.replace('\n    with:\n', '\n    with:\n      max-points: "2"\n'));
  }, 60_000);
  afterAll(async () => {
    await team?.done();
  });

  it('the Monday run stops at its points, keeps its snapshot and posts nothing; runs by hand go on and the last posts the report', async () => {
    const first = await scheduledReport(team, FIRST_MONDAY);
    expect(first.run.conclusion).toBe('success');
    expect(first.collected).toMatchObject({ complete: 'false', points: '2', 'items-read': '100' });
    expect(first.report.summary).toContain('2026-W44 not reported yet');
    expect(reportIssues(team.sim)).toEqual([]);
    // The unfinished snapshot is kept both ways, as after any run.
    expect(team.platform.cacheEntries().map((e) => e.key)).toEqual([`kpi-snapshot-${REPO}/${first.run.id}-1`]);
    expect(team.sim.store.listArtifacts(REPO, { name: SNAPSHOT_ARTIFACT }).map((a) => a.run_id)).toEqual([first.run.id]);

    // An hour later, by hand (the Actions tab): each run goes on from the last one's snapshot.
    const read: number[] = [Number(first.collected['items-read'])];
    let last: KpiRun = first;
    for (let k = 1; k <= 5 && last.collected.complete !== 'true'; k += 1) {
      team.sim.store.now = new Date(FIRST_MONDAY.getTime() + k * HOUR);
      const since = team.platform.runs.at(-1)?.id ?? 0;
      const run = team.platform.dispatch(KPI_WORKFLOW.replace('.github/workflows/', ''), {}, { by: 'maria' });
      expect(describeRuns((await team.settle(since)).filter((r) => r.conclusion !== 'success'))).toBe('');
      const report = run.jobs.find((j) => j.name === 'report / report') as JobRecord;
      last = { ...last, run, report, collected: report.steps.find((s) => s.id === 'collect')?.outputs ?? {} };
      expect(Number(last.collected.points)).toBeLessThanOrEqual(2);
      read.push(Number(last.collected['items-read']));
    }
    expect(last.collected.complete).toBe('true');
    // Three runs read the 260 issues; a fourth (the third run's 2 points had no room for it) reads again what
    // was updated since the read began, which a cursor may have passed over, and posts.
    expect(read.length).toBe(4);
    // Each issue read once by the spread read (the report issue of no week yet, the 260 of the history); the
    // last look, only the few updated at its start.
    expect(read.slice(0, 3).reduce((a, b) => a + b, 0)).toBe(260);
    expect(read[3]).toBeLessThan(10);
    expect(reportIssues(team.sim).map((i) => i.title)).toEqual([expect.stringMatching(/2026-W44/)]);
    team.sim.assertClean();
  }, 240_000);
});
