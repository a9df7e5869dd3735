// The bundled action (dist/index.mjs) run through its action.yml by the emulator's runner, as the
// scheduled and dispatched workflow runs it: inputs through env, outputs, job summary, the report issue.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction, startSim, webhookExample, type RunActionOptions, type RunnerEvent, type Sim } from '@userloop/github-sim';
import { readSnapshots } from '../src/snapshots.ts';
import { CONFIG_YAML, FULL, seedDataset } from './seed.ts';

let sim: Sim;
let workspace: string;

beforeEach(async () => {
  sim = await startSim();
  seedDataset(sim);
  sim.store.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'other', collaborators: { alice: 'write' } });
  seedDataset(sim, 'octo-org/other');
  workspace = await mkdtemp(join(tmpdir(), 'kpi-e2e-'));
  await mkdir(join(workspace, '.github'), { recursive: true });
  await writeFile(join(workspace, '.github', 'userloop.yml'), CONFIG_YAML);
  sim.resetCounters();
});

afterEach(async () => {
  sim.assertClean();
  await sim.stop();
  await rm(workspace, { recursive: true, force: true });
});

const schedule = { name: 'schedule', payload: { schedule: '0 6 * * 1' } };
const env = { USERLOOP_WAIT_SCALE: '0.001' };
const reportIssues = () => [...(sim.store.repo(FULL)?.issues.values() ?? [])].filter((i) => i.labels.includes('kpi-report'));
/** Runs the bundled action for FULL in the test's workspace. */
const act = (event: RunnerEvent, inputs: RunActionOptions['inputs'], token?: string) =>
  runAction({ actionDir: 'actions/kpi-report', sim, event, inputs, env, repository: FULL, workspace, ...(token ? { token } : {}) });

describe('kpi-report through action.yml', () => {
  it('a scheduled run posts the week\'s report, writes the summary, outputs and JSON; a re-run writes nothing', async () => {
    const inputs = { period: 'week', 'as-of': '2026-11-23T06:00:00Z', 'data-path': 'kpi/report.json', 'snapshot-path': 'kpi/snapshot.json' };
    const first = await act(schedule, inputs);
    expect(first.stderr).not.toContain('Error');
    expect(first.exitCode).toBe(0);
    const [issue] = reportIssues();
    expect(first.outputs).toEqual({
      period: '2026-W47',
      'issue-number': String(issue?.number),
      'issue-url': `https://github.com/${FULL}/issues/${issue?.number}`,
      'issue-action': 'created',
      'data-path': 'kpi/report.json',
      'items-read': '15',
      queries: '1',
      points: '2',
      complete: 'true',
    });
    // One query (2 points): the collection, with the token's identity (viewer) riding along.
    expect(sim.counters).toMatchObject({ graphqlQueries: 1, graphqlPoints: 2, writes: 1 });
    expect(first.summary).toContain('# KPI report 2026-W47');
    expect(first.summary).toMatch(/\| Time to first response, median +\| +4 h \(n=6\) \| +48 h \(n=1\) \| +−44 h \(too few items\) \| ≤ 8 h \| ✅ met +\|/);
    // The run wrote its JSON file: the report says so, and where.
    expect(first.summary).toContain("Every number is also in the JSON file this run wrote, `kpi/report.json` (the action's `data-path`).");
    // One part: the issue body is the summary, as the bot's region of the body.
    expect(`<!-- userloop:kpi-report.start -->\n${first.summary.trimEnd()}\n\n<!-- userloop:kpi-report.end -->`).toBe(issue?.body);
    const json = JSON.parse(await readFile(join(workspace, 'kpi', 'report.json'), 'utf8')) as { period: { key: string }; kpis: { id: string; value: number }[] };
    expect(json.period.key).toBe('2026-W47');
    expect(json.kpis.find((k) => k.id === 'overdue')?.value).toBe(2);

    sim.resetCounters();
    const again = await act(schedule, inputs);
    expect(again.exitCode).toBe(0);
    expect(again.outputs['issue-action']).toBe('unchanged');
    expect(again.outputs['items-read']).toBe('1'); // the snapshot: only #2, updated last, at the high-water mark
    expect(sim.counters.writes).toBe(0);
    expect(reportIssues()).toHaveLength(1);
  });

  it('with a GitHub App token: the report issue is the app\'s, a re-run finds it and writes nothing; bot-login names who writes the markers', async () => {
    // GET /user answers 403 for an App token as for the GITHUB_TOKEN: the identity must come from GraphQL viewer.
    sim.store.addUser({ login: 'my-app[bot]', type: 'Bot' });
    sim.store.addToken('app-token', 'my-app[bot]', { issues: 'write', pull_requests: 'read', contents: 'read' });
    // prioritize and notify-requesters wrote the dataset's markers as github-actions[bot].
    const inputs = { token: 'app-token', period: 'week', 'as-of': '2026-11-23T06:00:00Z', 'data-path': 'kpi/report.json', 'bot-login': 'github-actions[bot]' };
    const run = () => act(schedule, inputs, 'app-token');
    const first = await run();
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.outputs['issue-action']).toBe('created');
    expect(reportIssues().map((i) => i.user)).toEqual(['my-app[bot]']);
    const json = JSON.parse(await readFile(join(workspace, 'kpi', 'report.json'), 'utf8')) as { kpis: { id: string; value: number }[] };
    expect(json.kpis.find((k) => k.id === 'people-notified')?.value).toBe(5);
    expect(json.kpis.find((k) => k.id === 'overdue')?.value).toBe(2);

    sim.resetCounters();
    const again = await run();
    expect(again.exitCode).toBe(0);
    expect(again.outputs['issue-action']).toBe('unchanged');
    expect(again.outputs['issue-number']).toBe(first.outputs['issue-number']);
    expect(sim.counters.writes).toBe(0);
    expect(reportIssues()).toHaveLength(1);
  });

  it('a dispatched monthly run reports the last month', async () => {
    const event = { name: 'workflow_dispatch', payload: { ...webhookExample('workflow_dispatch'), inputs: { period: 'month' } } };
    const r = await act(event, { period: 'month', 'as-of': '2026-12-01T06:00:00Z' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.period).toBe('2026-11');
    expect(reportIssues().map((i) => i.title)).toEqual(['KPI report 2026-11']);
    expect(r.summary).toContain('Month **2026-11**, 2026-11-01 to 2026-11-30 (UTC), compared with 2026-10.');
  });

  it('the fan-out: a collect job per repository, then one render job', async () => {
    for (const repo of ['octo-org/octo-repo', 'octo-org/other']) {
      const r = await act(schedule, { mode: 'collect', repositories: repo, 'data-path': `artifacts/kpi-${repo.replace('/', '-')}/records.json`, 'as-of': '2026-11-23T06:00:00Z' });
      expect(r.exitCode).toBe(0);
      expect(r.outputs['issue-number']).toBe('');
      expect(r.summary).toContain('## kpi-report: collected 2026-W47');
    }
    expect(sim.counters.writes).toBe(0);
    const render = await act(schedule, { mode: 'render', 'data-dir': 'artifacts', 'as-of': '2026-11-23T06:00:00Z' });
    expect(render.exitCode).toBe(0);
    expect(render.outputs['items-read']).toBe('0');
    expect(render.summary).toContain('Repositories: `octo-org/octo-repo`, `octo-org/other`.');
    expect(render.summary).toContain('| All     | –                |   10 |');
  });

  describe('reads that share a token: each leaves the token half of its hour', () => {
    const TOKEN = 'run-token';
    const asOf = '2026-11-23T06:00:00Z';
    /** The repository's GITHUB_TOKEN (1,000 points an hour, shared by its workflows), and `count` more open issues in each of `repos`. */
    const setup = (count: number, repos: readonly string[] = [FULL]) => {
      sim.store.addToken(TOKEN, 'github-actions[bot]', { issues: 'write', contents: 'read', pull_requests: 'read' }, { kind: 'github-token', repository: FULL });
      for (const repo of repos) {
        for (let n = 100; n < 100 + count; n += 1) sim.store.createIssue(repo, { number: n, title: `More ${n}`, user: `user${n}`, created_at: '2026-11-10T10:00:00Z', labels: [], events: false });
      }
    };
    const remaining = () => sim.budgets(FULL).graphql.remaining;
    /** The repository's other workflows spent all but `left` of the token's points this hour. */
    const leave = (left: number) => sim.spendGraphqlPoints(FULL, remaining() - left);
    const STOPPED_BY_TOKEN = /stopped with \d+ of the token's 1000 points left this hour, kept for its other uses, the next run goes on from there/;

    it('fan-out jobs reading at once share the half down to 500 (a query each past it at most); an hour later they go on, nothing lost', async () => {
      const repos = [FULL, 'octo-org/other'];
      setup(250, repos);
      // 6 points above the line, where each read needs 6 (3 pages of 100 issues, 2 points a page).
      leave(506);
      const collect = (repo: string) =>
        act(schedule, { mode: 'collect', repositories: repo, 'snapshot-path': `kpi/${repo.replace('/', '-')}.json`, 'data-path': `artifacts/${repo.replace('/', '-')}/records.json`, 'as-of': asOf }, TOKEN);
      const first = await Promise.all(repos.map(collect));
      for (const r of first) expect(r.exitCode, r.stderr).toBe(0);
      const stopped = first.filter((r) => r.outputs.complete === 'false');
      expect(stopped.length).toBeGreaterThan(0);
      for (const r of stopped) expect(r.stdout).toMatch(STOPPED_BY_TOKEN);
      // Together they spent down to 500, and past it by at most a query of each (2 points): each job
      // decides on what the token had left after its own last query.
      const spent = first.reduce((n, r) => n + Number(r.outputs.points), 0);
      expect(spent).toBe(506 - remaining());
      expect(remaining()).toBeGreaterThanOrEqual(500 - 2 * 2);
      expect(remaining()).toBeLessThanOrEqual(500);
      // An hour later the token's hour starts again: both go on from their snapshots and finish.
      sim.store.now = new Date(sim.store.now.getTime() + 61 * 60_000);
      const next = await Promise.all(repos.map(collect));
      for (const r of next) expect(r.outputs).toMatchObject({ complete: 'true' });
      // Nothing lost: each repository's records are those of one read from nothing.
      const numbers = async (file: string) => (await readSnapshots(join(workspace, file))).flatMap((x) => x.items.map((i) => `${i.kind}#${i.number}`)).sort();
      for (const repo of repos) {
        const name = repo.replace('/', '-');
        await act(schedule, { mode: 'collect', repositories: repo, 'data-path': `control/${name}.json`, 'as-of': asOf }, TOKEN);
        const control = await numbers(`control/${name}.json`);
        expect(control.length).toBeGreaterThan(250);
        expect(await numbers(`artifacts/${name}/records.json`)).toEqual(control);
      }
      const render = await act(schedule, { mode: 'render', 'data-dir': 'artifacts', 'as-of': asOf }, TOKEN);
      expect(render.exitCode, render.stderr).toBe(0);
      expect(render.summary).toContain('Repositories: `octo-org/octo-repo`, `octo-org/other`.');
    });

    it('a max-points below half keeps the line at half: 300 reads from 506 down to 500, and stops', async () => {
      setup(500);
      leave(506);
      const r = await act(schedule, { period: 'week', 'as-of': asOf, 'snapshot-path': 'kpi/snapshot.json', 'max-points': '300' }, TOKEN);
      expect(r.outputs).toMatchObject({ complete: 'false', queries: '3', points: '6' });
      expect(r.stdout).toContain("stopped with 500 of the token's 1000 points left this hour, kept for its other uses");
      expect(remaining()).toBe(500);
    });

    it('a max-points above half the token\'s hour may take that much of it: 900 of 1,000 leaves the token 100', async () => {
      setup(500);
      leave(105);
      const r = await act(schedule, { period: 'week', 'as-of': asOf, 'snapshot-path': 'kpi/snapshot.json', 'max-points': '900' }, TOKEN);
      expect(r.outputs).toMatchObject({ complete: 'false', queries: '2', points: '4' });
      expect(r.stdout).toContain("stopped with 101 of the token's 1000 points left this hour, kept for its other uses");
      expect(remaining()).toBe(101);
    });

    it('a token its other uses keep below the line still gets through: a query a run, and the report is posted', async () => {
      setup(250);
      leave(400);
      const runs = [];
      do {
        runs.push(await act(schedule, { period: 'week', 'as-of': asOf, 'snapshot-path': 'kpi/snapshot.json' }, TOKEN));
      } while (runs.at(-1)?.outputs.complete !== 'true' && runs.length < 8);
      // Three pages, one a run; the third run also looks again at what changed while the read went on (the
      // first query of that look goes too), and posts.
      expect(runs.map((r) => r.outputs.queries)).toEqual(['1', '1', '2']);
      for (const r of runs.slice(0, -1)) expect(r.stdout).toMatch(STOPPED_BY_TOKEN);
      expect(runs.at(-1)?.outputs['issue-action']).toBe('created');
      expect(reportIssues()).toHaveLength(1);
    });

    it('below the line, one job reading two repositories reads each every run, and posts the report on both', async () => {
      const repos = [FULL, 'octo-org/other'];
      setup(150, repos);
      leave(400);
      const runs = [];
      do {
        runs.push(await act(schedule, { period: 'week', 'as-of': asOf, 'snapshot-path': 'kpi/snapshot.json', repositories: repos.join(',') }, TOKEN));
      } while (runs.at(-1)?.outputs.complete !== 'true' && runs.length < 8);
      expect(runs[0]?.stdout).toMatch(/octo-org\/octo-repo: full read, 100 issues .* in 1 queries/);
      expect(runs[0]?.stdout).toMatch(/octo-org\/other: full read, 100 issues .* in 1 queries/);
      expect(runs).toHaveLength(2);
      expect(runs.at(-1)?.summary).toContain('Repositories: `octo-org/octo-repo`, `octo-org/other`.');
      expect(reportIssues()).toHaveLength(1);
    });
  });

  it('a read bigger than max-points stops with a warning and no report; the next run goes on and posts it', async () => {
    for (let n = 100; n < 250; n += 1) {
      sim.store.createIssue(FULL, { number: n, title: `More ${n}`, user: `user${n}`, created_at: '2026-11-10T10:00:00Z', labels: [], events: false });
    }
    const inputs = { period: 'week', 'as-of': '2026-11-23T06:00:00Z', 'snapshot-path': 'kpi/snapshot.json', 'max-points': '2' };
    const first = await act(schedule, inputs);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ complete: 'false', points: '2', 'issue-number': '' });
    expect(first.stderr + first.stdout).toContain('::warning::the read is not finished (2 points spent); no report this run.');
    expect(first.summary).toContain('## kpi-report: 2026-W47 not reported yet');
    expect(first.summary).toContain('the next run with that snapshot goes on from where it stopped');
    expect(reportIssues()).toHaveLength(0);
    // The next runs go on; the last also reads what changed since the read began (here, nothing) and posts.
    let second = await act(schedule, inputs);
    for (let k = 0; k < 3 && second.outputs.complete !== 'true'; k += 1) second = await act(schedule, inputs);
    expect(second.outputs).toMatchObject({ complete: 'true', 'issue-action': 'created' });
    expect(reportIssues()).toHaveLength(1);
    expect(second.summary).toContain('# KPI report 2026-W47');
  });

  it('a bad config fails the step with an annotation on the file', async () => {
    await writeFile(join(workspace, '.github', 'userloop.yml'), 'kpi-report:\n  respnder-scope: owners\n');
    const r = await act(schedule, {});
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.some((a) => a.level === 'error' && a.file === '.github/userloop.yml' && /respnder-scope/.test(a.message))).toBe(true);
    expect(sim.counters.writes).toBe(0);
  });
});
