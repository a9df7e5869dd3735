// The issue's budget on a fixed dataset: 10,000 issues with 50,000 comments cost at most 2 GraphQL
// points per 100 issues the report can see (the open ones and those updated since the trend's oldest
// week); an incremental run after 1% of the issues changed costs at most 5% of that.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCompletePeriod, parseConfig, periodsEndingWith } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import { runMain } from './run-main.ts';
import { FULL, NAME, OWNER, prioritizeComment } from './seed.ts';

const ISSUES = 10_000;
const COMMENTS_PER_ISSUE = 5;

let sim: Sim;
let dir: string;

beforeAll(async () => {
  sim = await startSim();
  dir = await mkdtemp(join(tmpdir(), 'kpi-budget-'));
  const s = sim.store;
  s.createRepo({ owner: { login: OWNER, type: 'Organization' }, name: NAME, collaborators: { alice: 'write' } });
  const base = Date.parse('2026-01-05T00:00:00Z');
  for (let n = 1; n <= ISSUES; n += 1) {
    // One issue every 40 minutes; its comments within the next 30 minutes.
    const created = base + n * 40 * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
    s.createIssue(FULL, { number: n, title: `Issue ${n}`, user: `user${n % 500}`, created_at: iso(created), labels: n % 3 === 0 ? ['area: cli'] : [], events: false });
    prioritizeComment(s, FULL, n, iso(created + 60_000), n % 2 === 0 ? 'high' : 'low', null, [`user${n % 500}`]);
    for (let c = 1; c < COMMENTS_PER_ISSUE; c += 1) {
      s.createComment(FULL, n, { body: 'A reply.', user: c % 2 === 0 ? 'alice' : `user${(n + c) % 500}`, created_at: iso(created + c * 5 * 60_000) });
    }
    if (n % 4 === 0) {
      s.now = new Date(created + 25 * 60_000);
      s.closeIssue(FULL, n, 'alice');
    }
  }
  s.now = new Date(base + (ISSUES + 10) * 40 * 60_000);
}, 120_000);

afterAll(async () => {
  sim.assertClean();
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

const config = parseConfig('areas:\n  - name: CLI\n    labels: [\'area: cli\']\n    owners: [\'@alice\']\n', '.github/userloop.yml').config!;

const run = () =>
  runMain(sim, { config, asOf: sim.store.now.toISOString(), snapshotPath: join(dir, 'snapshot.json'), post: false, botLogin: 'github-actions[bot]' });

describe('budget: 10,000 issues with 50,000 comments', () => {
  let firstPoints = 0;

  it('a full read costs at most 2 GraphQL points per 100 issues', async () => {
    expect([...(sim.store.repo(FULL)?.comments.size ? [sim.store.repo(FULL)?.comments.size] : [])]).toEqual([50_000]);
    sim.resetCounters();
    const result = await run();
    firstPoints = sim.counters.graphqlPoints;
    // What the report can see: every open issue, and the closed ones updated since the start of the
    // trend's oldest week; the closed history before it is not read.
    const [oldest] = periodsEndingWith(lastCompletePeriod('week', sim.store.now), config['kpi-report']['trend-periods']);
    const windowStart = Date.parse(oldest!.start);
    let inWindow = 0;
    for (let n = 1; n <= ISSUES; n += 1) if (n % 4 !== 0 || Date.parse('2026-01-05T00:00:00Z') + n * 40 * 60_000 + 25 * 60_000 >= windowStart) inWindow += 1;
    expect(inWindow).toBeLessThan(ISSUES * 0.85);
    const pages = Math.ceil(inWindow / 100) + 1; // the pass over the window, then the older open issues
    expect(result.stats[0]).toMatchObject({ incremental: false, issuesRead: inWindow, pullsRead: 0 });
    expect(sim.counters.graphqlQueries).toBeLessThanOrEqual(pages);
    expect(firstPoints).toBeLessThanOrEqual(2 * pages); // round(248 or 201 requests / 100) = 2 a page
    expect(firstPoints).toBeLessThan(2 * (ISSUES / 100)); // less than reading all 10,000
    expect(sim.counters.rest).toBe(0);
    // Every issue and its prioritize marker was read: open issues at the end of the period by priority.
    const end = Date.parse(result.report?.period.end ?? '');
    const open = { high: 0, low: 0 };
    for (let n = 1; n <= ISSUES; n += 1) {
      if (n % 4 !== 0 && Date.parse('2026-01-05T00:00:00Z') + n * 40 * 60_000 < end) open[n % 2 === 0 ? 'high' : 'low'] += 1;
    }
    expect(result.report?.current.overall.open).toEqual({ total: open.high + open.low, 'fix-it-now': 0, ...open, none: 0 });
  }, 120_000);

  it('after 1% of the issues changed, an incremental run costs at most 5% of the full read', async () => {
    const later = sim.store.now.getTime() + 60_000;
    for (let n = 50; n <= ISSUES; n += 100) {
      sim.store.createComment(FULL, n, { body: 'Any news?', user: 'someone', created_at: new Date(later + n).toISOString() });
    }
    sim.resetCounters();
    const result = await run();
    // 100 changed issues, plus the one at the previous high-water mark (since is inclusive): three pages of
    // 50 issues, 1 point each (a page of 100 costs 2).
    expect(result.stats[0]).toMatchObject({ incremental: true, issuesRead: 101, calls: 3 });
    expect(sim.counters.graphqlPoints).toBe(3);
    expect(sim.counters.graphqlPoints / firstPoints).toBeLessThanOrEqual(0.05);
  }, 120_000);
});
