// GitHub's write limits against the emulator: 80 content writes a minute, 500 an hour, one second apart.
// A 500-issue release in one run; a smaller budget leaves the rest, a re-run reads only what is left (from
// the progress kept in the docs-review issue), and a third run reads none of the issues.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderMarker, WritePacer } from '@userloop/core';
import { startSim, type Sim, type Store } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { doneAfter, fromRanges, nextRuns, readProgress, renderProgress, toRanges, writeBudget } from '../src/progress.ts';
import type { MainDeps, MainInput } from '../src/types.ts';
import { pacerOptions } from '../src/writer.ts';
import { FULL, addIssue, botComments, config, mainInput, mergePr, notices, octokitFor, publish, seedRepo } from './fixture.ts';

let sim: Sim;

beforeEach(async () => {
  sim = await startSim({ contentLimit: true });
  seedRepo(sim.store);
});
afterEach(async () => {
  sim.assertClean();
  await sim.stop();
});

function input(overrides: Record<string, unknown> = {}): MainInput {
  return mainInput(['renovate-helper'], { config: config(overrides) });
}

/** `count` issues (one requester each), closed by pull requests of 10; the first also changes the docs when `docs`. Then v1.1.0. */
function shipMany(s: Store, count: number, docs: boolean): number[] {
  const issues = Array.from({ length: count }, (_, i) => addIssue(s, `user${i}`, `Request ${i}`));
  for (let i = 0; i < count; i += 10) {
    mergePr(s, { title: `fix: batch ${i}`, closes: issues.slice(i, i + 10), files: docs && i === 0 ? ['docs/guide.md'] : ['src/index.ts'] });
  }
  publish(s);
  return issues;
}

/** The pacer on the store's clock, its waits spent by moving it: the emulator's minute and hour move with them, no real wait. */
function storeTime(s: Store): Pick<MainDeps, 'sleep' | 'waitScale' | 'now'> {
  return {
    waitScale: 1,
    now: () => s.now.getTime(),
    sleep: (ms) => {
      s.advance(ms);
      return Promise.resolve();
    },
  };
}

/** The GraphQL queries since the counters were reset that read issues to notify, and the issue numbers they read. */
function issueReads(): { queries: number; numbers: number[] } {
  const reads = sim.requests.filter((r) => r.route === 'POST /graphql' && /query NotifyIssues\b/.test(String((r.body as { query?: unknown } | undefined)?.query ?? '')));
  const numbers = reads.flatMap((r) => [...String((r.body as { query: string }).query).matchAll(/issue\(number: (\d+)\)/g)].map((m) => Number(m[1])));
  return { queries: reads.length, numbers: numbers.sort((a, b) => a - b) };
}

/** The body of an issue. */
function bodyOf(s: Store, number: number | null): string {
  return s.issue(FULL, number ?? 0)?.body ?? '';
}

describe("GitHub's write limits", () => {
  it('a 500-issue release in one run: 500 notices, 500 writes, one second apart and never refused, nothing left', { timeout: 240_000 }, async () => {
    const s = sim.store;
    const issues = shipMany(s, 500, false);
    sim.requests.length = 0;
    sim.resetCounters();

    const started = s.now.getTime();
    const result = await main(input({ 'min-interval-ms': 1000 }), { octokit: octokitFor(sim), ...storeTime(s) });
    expect(result.failed).toEqual([]);
    expect(result.left).toEqual([]);
    expect(result.stoppedBy).toBeNull();
    expect(result.notifiedIssues).toHaveLength(500);
    expect(result.writes).toBe(500);
    expect(sim.counters.writes).toBe(500);
    expect(sim.contentUsage('test-token').hour).toBe(500);
    for (const n of [issues[0]!, issues[250]!, issues[499]!]) expect(notices(s, n)).toHaveLength(1);
    // Reads: tag 1 + range + pull requests + the docs-review lookup 1 + ceil(500/25) = 20 issue reads + ceil(500/100) = 5 second looks.
    expect(issueReads()).toEqual({ queries: 20, numbers: [...issues].sort((a, b) => a - b) });
    expect(result.graphqlQueries).toBe(sim.counters.graphqlQueries);
    expect(sim.counters.graphqlQueries).toBeLessThanOrEqual(32);
    // One second apart on the emulator's clock: 500 writes took at least 499 s, never refused (80 a minute, 500 an hour).
    expect(s.now.getTime() - started).toBeGreaterThanOrEqual(499_000);
    expect(sim.requests.filter((r) => r.status === 403)).toEqual([]);
    console.log(`500 issues: ${sim.counters.writes} writes, ${sim.counters.graphqlQueries} GraphQL queries (${sim.counters.graphqlPoints} points), ${sim.counters.rest} REST requests`);
  });

  it('with a smaller budget the rest is left and recorded; a re-run reads only the left issues and finishes them once; a third run writes nothing and reads none', { timeout: 120_000 }, async () => {
    const s = sim.store;
    const issues = shipMany(s, 60, true);
    const sorted = [...issues].sort((a, b) => a - b);
    sim.requests.length = 0;
    sim.resetCounters();

    // Run 1: 40 writes: 39 notices, then the docs-review issue (its write kept for last) with the progress.
    const first = await main(input({ 'max-writes': 40 }), { octokit: octokitFor(sim), ...storeTime(s) });
    console.log(`60 issues, max-writes 40: ${sim.counters.writes} writes, ${sim.counters.graphqlQueries} GraphQL queries (${sim.counters.graphqlPoints} points)`);
    expect(first.writes).toBe(40);
    expect(sim.counters.writes).toBe(40);
    expect(first.notifiedIssues).toEqual(sorted.slice(0, 39));
    expect(first.left.map((l) => l.issue)).toEqual(sorted.slice(39));
    expect(first.stoppedBy).toMatch(/max-writes/);
    expect(first.docsReview.action).toBe('created');
    expect(issueReads().numbers).toEqual(sorted);
    const recorded = readProgress(bodyOf(s, first.docsReview.number), 'v1.1.0');
    expect(recorded && [...recorded.done].sort((a, b) => a - b)).toEqual(sorted.slice(0, 39));
    expect(recorded && [...recorded.left].sort((a, b) => a - b)).toEqual(sorted.slice(39));
    expect(recorded?.runs.map((r) => r.writes)).toEqual([40]);

    // Run 2: reads only the 21 issues left (one query of 25) and tells them, once.
    s.advance(120_000);
    sim.requests.length = 0;
    sim.resetCounters();
    const second = await main(input({ 'max-writes': 40 }), { octokit: octokitFor(sim), ...storeTime(s) });
    console.log(`re-run: ${sim.counters.writes} writes, ${sim.counters.graphqlQueries} GraphQL queries (${sim.counters.graphqlPoints} points), issues read ${issueReads().numbers.length}`);
    expect(issueReads()).toEqual({ queries: 1, numbers: sorted.slice(39) });
    expect(second.notifiedIssues).toEqual(sorted.slice(39));
    expect(second.left).toEqual([]);
    expect(second.unchanged.sort((a, b) => a - b)).toEqual(sorted.slice(0, 39));
    expect(second.docsReview.action).toBe('updated');
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(21);
    expect(sim.counters.writes).toBe(22);
    for (const n of issues) expect(notices(s, n)).toHaveLength(1);
    const after = readProgress(bodyOf(s, first.docsReview.number), 'v1.1.0');
    expect(after?.done.size).toBe(60);
    expect(after?.left.size).toBe(0);
    expect(after?.runs.map((r) => r.writes)).toEqual([40, 22]);

    // Run 3: the progress says nothing is left: no issue read, nothing written.
    sim.requests.length = 0;
    sim.resetCounters();
    const third = await main(input({ 'max-writes': 40 }), { octokit: octokitFor(sim), ...storeTime(s) });
    console.log(`third run: ${sim.counters.writes} writes, ${sim.counters.graphqlQueries} GraphQL queries (${sim.counters.graphqlPoints} points), ${sim.counters.rest} REST`);
    expect(issueReads()).toEqual({ queries: 0, numbers: [] });
    expect(sim.counters.writes).toBe(0);
    expect(third.notifiedIssues).toEqual([]);
    expect(third.unchanged).toHaveLength(60);
    expect(third.docsReview.action).toBe('unchanged');
    // The tag, the range, the pull requests and the docs-review issue with the progress: nothing else.
    expect(third.graphqlQueries).toBe(sim.counters.graphqlQueries);
    expect(sim.counters.graphqlQueries).toBeLessThanOrEqual(4);
    expect(sim.counters.rest).toBe(1);
    for (const n of issues) expect(botComments(s, n)).toHaveLength(1);
  });

  it('the notices go first, then the labels, and the docs-review issue last: what does not fit is left', async () => {
    const s = sim.store;
    const issues = shipMany(s, 10, true);
    sim.requests.length = 0;
    const result = await main(input({ 'max-writes': 13, 'released-label': 'released' }), { octokit: octokitFor(sim), waitScale: 0 });
    const posts = sim.requests.filter((r) => r.method === 'POST' && r.route !== 'POST /graphql').map((r) => r.route);
    expect(posts).toEqual([
      ...Array.from({ length: 10 }, () => 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'),
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
      'POST /repos/{owner}/{repo}/issues',
    ]);
    expect(result.writes).toBe(13);
    expect(result.left).toEqual(issues.slice(2).map((n) => ({ issue: n, people: [], what: 'label' })));
    // The issues whose label is left are not done: a re-run reads them.
    const recorded = readProgress(bodyOf(s, result.docsReview.number), 'v1.1.0');
    expect([...recorded!.done].sort((a, b) => a - b)).toEqual(issues.slice(0, 2));
  });

  it("a re-run within the hour writes only what is left of GitHub's 500; a progress marker a person wrote is not trusted", async () => {
    const s = sim.store;
    const issues = shipMany(s, 30, true);
    const now = Date.now();
    const data = { tag: 'v1.1.0', done: [], left: toRanges(issues), runs: [{ at: new Date(now - 10 * 60_000).toISOString(), writes: 490 }] };
    const body = (by: string, progress: unknown) =>
      [
        '<!-- userloop:docs-review.start -->',
        `Docs review by ${by}`,
        renderMarker('docs-review', { tag: 'v1.1.0' }),
        renderMarker('notify-progress', progress),
        '<!-- userloop:docs-review.end -->',
      ].join('\n');
    // A person's copy first, saying everything is done: not the bot's, so not its progress.
    s.createIssue(FULL, { title: 'Docs review for v1.1.0', user: 'mallory', body: body('mallory', { ...data, done: toRanges(issues), left: [], runs: [] }), labels: ['docs-review'] });
    const mine = s.createIssue(FULL, { title: 'Docs review for v1.1.0', user: 'github-actions[bot]', body: body('the bot', data), labels: ['docs-review'] }).number;
    sim.requests.length = 0;
    sim.resetCounters();

    const result = await main(input(), { octokit: octokitFor(sim), waitScale: 0, now: () => now });
    // 500 - 490 = 10 writes: 9 notices and the docs-review issue.
    expect(result.writes).toBe(10);
    expect(result.notifiedIssues).toHaveLength(9);
    expect(result.stoppedBy).toMatch(/500 writes an hour \(an earlier run of v1\.1\.0 made 490 in the last hour; re-run after /);
    expect(result.left).toHaveLength(21);
    expect(result.docsReview.number).toBe(mine);
    const recorded = readProgress(bodyOf(s, result.docsReview.number), 'v1.1.0');
    expect(recorded?.runs.map((r) => r.writes)).toEqual([490, 10]);

    // An hour later the budget is whole again: the rest in one run.
    const later = await main(input(), { octokit: octokitFor(sim), waitScale: 0, now: () => now + 3_600_000 });
    expect(later.notifiedIssues).toHaveLength(21);
    expect(later.left).toEqual([]);
    for (const n of issues) expect(notices(s, n)).toHaveLength(1);
  });
});

describe('the progress and the budget (pure)', () => {
  it('keeps issue numbers as ranges', () => {
    expect(toRanges([5, 1, 2, 3, 9, 10, 3])).toEqual([
      [1, 3],
      [5, 5],
      [9, 10],
    ]);
    expect([...fromRanges(toRanges([7, 8, 12]))]).toEqual([7, 8, 12]);
  });

  it('an issue is done when nothing of it (or of its duplicates) is left or failed, and it was read or done before', () => {
    const r = doneAfter({
      resolved: [1, 2, 3, 4, 5, 6, 7],
      before: new Set([1, 99]),
      read: [2, 3, 4, 5, 6],
      duplicateOf: new Map([[50, 3]]),
      left: [{ issue: 50 }],
      failed: [{ issue: 4 }],
      skipped: [{ issue: 5, reason: 'open' }],
      outside: [{ issue: 6 }],
    });
    expect([...r.done].sort()).toEqual([1, 2]);
    expect(r.left).toEqual([3, 4, 5, 6, 7]);
  });

  it("the hourly budget: 500 less the last hour's runs, at most max-writes", () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    const runs = [
      { at: '2025-01-01T10:30:00Z', writes: 400 },
      { at: '2025-01-01T11:30:00Z', writes: 300 },
    ];
    expect(writeBudget(500, runs, now)).toEqual({ writes: 200, earlier: 300, until: Date.parse('2025-01-01T12:30:00Z') });
    expect(writeBudget(100, runs, now).writes).toBe(100);
    expect(writeBudget(500, [{ at: '2025-01-01T11:50:00Z', writes: 600 }], now).writes).toBe(0);
    expect(nextRuns(runs, now, 0)).toEqual(runs);
    expect(nextRuns(runs, now, 5)).toEqual([runs[1], { at: '2025-01-01T12:00:00.000Z', writes: 5 }]);
    expect(readProgress(`<!-- userloop:docs-review.start -->\n${renderProgress('v2', [1, 2], [3], [])}\n<!-- userloop:docs-review.end -->`, 'v1')).toBeNull();
    // Outside the bot's region it is not read.
    expect(readProgress(renderProgress('v2', [1, 2], [3], []), 'v2')).toBeNull();
  });
});

describe('pacing', () => {
  /** Starts of `count` instant writes through a pacer on a fake clock. */
  async function starts(options: ReturnType<typeof pacerOptions>, count: number): Promise<number[]> {
    let clock = 0;
    const pacer = new WritePacer({ ...options, now: () => clock, sleep: (ms) => Promise.resolve(void (clock += ms)) });
    const at: number[] = [];
    for (let i = 0; i < count; i += 1) await pacer.run(() => Promise.resolve(void at.push(clock)));
    return at;
  }
  const mostInAMinute = (at: readonly number[]) => Math.max(...at.map((t, i) => at.slice(i).filter((u) => u < t + 60_000).length));

  it("the defaults follow GitHub's limits: one second apart, never more than 80 in a minute", async () => {
    const defaults = config({ 'min-interval-ms': 1000 });
    const opts = pacerOptions(defaults, {});
    expect(opts).toMatchObject({ minIntervalMs: 1000, maxPerMinute: 80 });
    const at = await starts(opts, 150);
    for (let i = 1; i < at.length; i += 1) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    // 100 writes in about 100 s.
    expect(at[99]! - at[0]!).toBe(99_000);
    expect(mostInAMinute(at)).toBeLessThanOrEqual(80);
    // Without the second between writes, the minute's 80 still holds.
    const fast = await starts(pacerOptions(config({ 'min-interval-ms': 0 }), {}), 200);
    expect(mostInAMinute(fast)).toBe(80);
  });

  it('measured on the emulator (waits scaled by 0.01): every write at least the scaled second after the one before', { timeout: 60_000 }, async () => {
    await sim.stop();
    sim = await startSim({ contentLimit: false });
    seedRepo(sim.store);
    shipMany(sim.store, 30, false);
    sim.requests.length = 0;
    const result = await main(input({ 'min-interval-ms': 1000 }), { octokit: octokitFor(sim), waitScale: 0.01 });
    expect(result.writes).toBe(30);
    const at = sim.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments').map((r) => r.at!);
    expect(at).toHaveLength(30);
    for (let i = 1; i < at.length; i += 1) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(10);
  });
});
