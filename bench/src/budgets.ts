// Each figure beside its budget (issue 17 "Fit inside the token's hour", and the team's earlier budgets),
// with the physical limit where there is one (the least any implementation could spend: pages GitHub must
// serve, writes at GitHub's pace), the ratio of the figure to that limit or budget, and whether it holds.
import { notifyRequestersSection, WritePacer } from '@userloop/core';
import type { ColdStart } from './cold-start.ts';
import type { DrafterPeerResult } from './peer-drafter.ts';
import { COMMENT_POST, type LargeReleaseResult, type ScenarioResult, type SweepBenchResult } from './scenarios.ts';

export interface BudgetCheck {
  action: string;
  size: number | null;
  /** What is promised, in words. */
  budget: string;
  /** The figure measured, in words (with its parts). */
  measured: string;
  /** The figure compared (`null` when it was not measured in this run). */
  value: number | null;
  /** The physical limit or the budget it is compared with, in words. */
  limit: string;
  /** `value / limitValue` (`null` when either is missing or the limit is 0). */
  ratio: number | null;
  /** `null`: not measured by this run (see `measured`). */
  holds: boolean | null;
}

/** The GITHUB_TOKEN's GraphQL points an hour, and the share of it kpi-report's full read may take. */
const HOURLY_POINTS = 1000;
const FULL_READ_POINTS = HOURLY_POINTS / 2;
/** GitHub's content writes an hour, and its pace: at least 1 s apart, at most 80 a minute. */
const WRITES_AN_HOUR = 500;
const WRITE_GAP_MS = 1000;
const WRITES_A_MINUTE = 80;
/** The size the 50,000-issue budgets are stated at. */
export const LARGE = 50_000;

/** `3 (ReleaseRange 1, ReleasePullRequests 1, Viewer 1)`: GraphQL requests in all, by operation. */
function queries(f: ScenarioResult['first']): string {
  const ops = Object.entries(f.graphqlByOperation);
  return ops.length ? `${f.graphqlQueries} (${ops.map(([op, n]) => `${op} ${n}`).join(', ')})` : `${f.graphqlQueries}`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The facts of the generated repository the budgets depend on. */
export interface RepoFacts {
  issues: number;
  pulls: number;
  unreleasedPulls: number;
  unreleasedClosedIssues: number;
  notifyIssueCount: number;
}

/** What the Budgets table needs besides the scenario: the pacer's schedule and the peer on the same push. */
export interface ScenarioContext {
  /** notify-requesters' pacer schedule for this run's writes, ms (see {@link pacedScheduleMs}). */
  pacedMs?: number;
  /** release-drafter's first run on the same push as draft-release-notes. */
  drafter?: DrafterPeerResult | null;
}

type Add = (budget: string, measured: string, value: number | null, limit: string, limitValue: number | null, holds?: boolean | null) => void;

function adder(out: BudgetCheck[], action: string, size: number | null): Add {
  return (budget, measured, value, limit, limitValue, holds) => {
    const ratio = value !== null && limitValue !== null && limitValue > 0 ? value / limitValue : null;
    out.push({ action, size, budget, measured, value, limit, ratio, holds: holds !== undefined ? holds : value !== null && limitValue !== null && value <= limitValue });
  };
}

/**
 * The time `writes` writes take at notify-requesters' default pace (core's WritePacer with the config's
 * `min-interval-ms` and `max-writes-per-minute`), each write taking no time: the pacer's schedule, in ms.
 */
export async function pacedScheduleMs(writes: number): Promise<number> {
  const config = notifyRequestersSection.parse({});
  let clock = 0;
  const pacer = new WritePacer({
    minIntervalMs: config['min-interval-ms'],
    maxPerMinute: config['max-writes-per-minute'],
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  });
  for (let k = 0; k < writes; k += 1) await pacer.run(() => Promise.resolve());
  return clock;
}

/** The least time `writes` writes can take on GitHub: 1 s apart and at most 80 in any minute, ms. */
function physicalWriteMs(writes: number): number {
  if (writes <= 1) return 0;
  const byGap = (writes - 1) * WRITE_GAP_MS;
  const byMinute = Math.floor((writes - 1) / WRITES_A_MINUTE) * 60_000;
  return Math.max(byGap, byMinute);
}

export function checkScenario(r: ScenarioResult, g: RepoFacts, ctx: ScenarioContext = {}): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const add = adder(out, r.action, r.size);
  const f = r.first;
  const second = r.second.sample;
  switch (r.action) {
    case 'prioritize': {
      const requests = f.rest + f.graphqlQueries;
      add('<= 4 requests per common event (issues.opened)', `${requests} (${f.graphqlQueries} GraphQL + ${f.rest} REST)`, requests, 'budget 4', 4);
      break;
    }
    case 'require-docs': {
      const requests = f.rest + f.graphqlQueries;
      add('3 requests on pull_request.opened (config, query, comment)', `${requests} (${f.graphqlQueries} GraphQL + ${f.rest} REST)`, requests, 'budget 3', 3);
      add('one write (the sticky comment)', `${f.writes} write(s)`, f.writes, 'budget 1', 1);
      break;
    }
    case 'draft-release-notes': {
      const commits = g.unreleasedPulls;
      const prs = g.unreleasedPulls;
      const issues = g.unreleasedClosedIssues;
      // The physical limit: GitHub serves at most 100 commits a page, and this budget's page of pull requests
      // and of the issues they close (with their labels, closing references, comments) holds 50; a page
      // costs at least 1 point. No reader can spend fewer points than pages.
      const pages = Math.ceil(commits / 100) + Math.ceil(prs / 50) + Math.ceil(issues / 50);
      const limit = `physical limit ${pages} points: ceil(${commits} commits/100) + ceil(${prs} PRs/50) + ceil(${issues} issues/50) pages, 1 point each`;
      add('GraphQL points <= 1.2 x the pages', `${f.graphqlPoints} points`, f.graphqlPoints, limit, pages, f.graphqlPoints <= 1.2 * pages);
      add(`GraphQL queries <= 1.2 x the pages (${Math.ceil(pages * 1.2)})`, queries(f), f.graphqlQueries, `physical limit ${pages} pages`, pages, f.graphqlQueries <= Math.ceil(pages * 1.2));
      const d = ctx.drafter;
      if (d !== undefined) {
        add(
          'GraphQL points under release-drafter\'s on the same push',
          `${f.graphqlPoints} points`,
          f.graphqlPoints,
          d ? `release-drafter ${d.version}: ${d.first.graphqlPoints} points` : 'release-drafter: not run',
          d ? d.first.graphqlPoints : null,
          d !== null && f.graphqlPoints < d.first.graphqlPoints,
        );
      }
      add('one write', `${f.writes}`, f.writes, 'budget 1', 1, f.writes === 1);
      add('no per-PR REST calls (REST stays constant)', `${f.rest} REST`, f.rest, 'budget 5', 5);
      break;
    }
    case 'notify-requesters': {
      const issues = g.notifyIssueCount;
      const reads = Math.ceil(issues / 25);
      const comments = f.restByRoute[COMMENT_POST] ?? 0;
      add(`reads about ceil(issues/25) = ${reads} GraphQL queries (+ up to 4 for tag, range, PRs)`, queries(f), f.graphqlQueries, `budget ${reads + 4}`, reads + 4);
      add(`exactly one notice per notified issue (${issues} issues)`, `${comments} comments; ${f.writes} writes in all`, comments, `budget ${issues}`, issues, comments === issues);
      if (ctx.pacedMs !== undefined) {
        // Paced: the pacer's schedule for this run's writes, plus the run's own work (its unpaced median time).
        const paced = ctx.pacedMs + r.msMedian;
        const physical = physicalWriteMs(f.writes);
        add(
          `${issues} issues told in about ${secs(physical)} at GitHub's pace (within 1.1 x)`,
          `${secs(paced)} = pacer schedule ${secs(ctx.pacedMs)} for ${f.writes} writes + ${secs(r.msMedian)} work`,
          paced,
          `physical limit ${secs(physical)}: ${f.writes} writes at least 1 s apart, at most ${WRITES_A_MINUTE} a minute`,
          physical,
          paced <= 1.1 * physical,
        );
      }
      break;
    }
    case 'kpi-report': {
      add('one write per report', `${f.writes} write(s)`, f.writes, 'budget 1', 1, f.writes === 1);
      // Within half the hour, or resumable: each run spends at most max-points (500), the next goes on.
      const parts = r.runsOfFirst ?? [{ points: f.graphqlPoints, cpuMs: f.actionCpuMs, writes: f.writes }];
      const most = Math.max(...parts.map((x) => x.points));
      add(
        `full read within half the hour's points, or resumable across runs (stated at ${LARGE.toLocaleString('en')} issues)`,
        parts.length === 1
          ? `${f.graphqlPoints} points in one run`
          : `${f.graphqlPoints} points in ${parts.length} runs (${parts.map((x) => x.points).join(' + ')}), the report posted by the last (writes ${parts.map((x) => x.writes).join(' + ')})`,
        most,
        `budget ${FULL_READ_POINTS} of ${HOURLY_POINTS.toLocaleString('en')} a run`,
        FULL_READ_POINTS,
        most <= FULL_READ_POINTS && parts.slice(0, -1).every((x) => x.writes === 0),
      );
      // The physical limit of a full read: every issue and pull request, 100 a page, 1 point a page.
      const items = g.issues + g.pulls;
      const pages = Math.ceil(items / 100);
      add('GraphQL points of the full read near the pages (<= 2 x)', `${f.graphqlPoints} points, ${queries(f)} queries`, f.graphqlPoints, `physical limit ${pages} points: ceil(${items.toLocaleString('en')} issues and PRs/100) pages`, pages, f.graphqlPoints <= 2 * pages);
      const points = f.graphqlPoints ? second.graphqlPoints / f.graphqlPoints : null;
      add('incremental run after 1% changed: <= 5% of a full run\'s points', `${second.graphqlPoints} of ${f.graphqlPoints} points = ${points === null ? '-' : pct(points)}`, points, 'budget 5%', 0.05);
      const cpu = f.actionCpuMs && second.actionCpuMs !== null ? second.actionCpuMs / f.actionCpuMs : null;
      add(
        'incremental run after 1% changed: <= 5% of a full run\'s CPU (user + sys)',
        f.actionCpuMs && second.actionCpuMs !== null ? `${second.actionCpuMs.toFixed(0)} of ${f.actionCpuMs.toFixed(0)} ms = ${pct(cpu!)}` : 'not measured',
        cpu,
        'budget 5%',
        0.05,
      );
      add(`peak memory under 300 MB (action RSS; stated at ${LARGE.toLocaleString('en')} issues)`, r.actionRssMb === null ? 'not measured' : `${r.actionRssMb} MB`, r.actionRssMb, 'budget 300 MB', 300, r.actionRssMb !== null && r.actionRssMb < 300);
      break;
    }
  }
  const viewer = (f.graphqlByOperation['Viewer'] ?? 0) + (second.graphqlByOperation['Viewer'] ?? 0);
  add('identity read inside the first query: no `Viewer` operation', `${viewer} Viewer queries (first run and re-run)`, viewer, 'budget 0', 0);
  if (r.action !== 'kpi-report') add('a second run with nothing new writes nothing', `${second.writes} writes`, second.writes, 'budget 0', 0);
  return out;
}

/** The 50,000-issue budgets of kpi-report, when the run did not include that size: shown, not held. */
export function notRunAtLarge(): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const add = adder(out, 'kpi-report', LARGE);
  const how = `not run: pnpm bench --sizes ${LARGE}`;
  add(`full read within half the hour's points, or resumable across runs (stated at ${LARGE.toLocaleString('en')} issues)`, how, null, `budget ${FULL_READ_POINTS} of ${HOURLY_POINTS.toLocaleString('en')} a run`, FULL_READ_POINTS, null);
  add(`peak memory under 300 MB (action RSS; stated at ${LARGE.toLocaleString('en')} issues)`, how, null, 'budget 300 MB', 300, null);
  return out;
}

/** A release resolving 500 issues: one run, inside the hour's 500 writes, and a re-run that reads only what is left. */
export function checkLargeRelease(l: LargeReleaseResult, pacedMs: number): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const add = adder(out, 'notify-requesters', l.size);
  const f = l.first;
  // The release needs a notice per issue and the docs-review issue (which records what was told, so a re-run
  // reads only the rest): one run can make no more than the hour's writes, the rest waits for the next hour.
  const oneRun = Math.min(l.issues, WRITES_AN_HOUR - 1);
  add(
    `a ${l.issues}-issue release: one run tells what the hour's writes allow, a re-run the rest`,
    `${l.noticesFirst} notices and the docs-review issue in the first run (a re-run in the same hour wrote ${l.noticesRerun})`,
    l.noticesFirst,
    `physical limit ${oneRun} notices: ${l.issues + 1} writes needed (${l.issues} notices and the docs-review issue), ${WRITES_AN_HOUR} an hour`,
    oneRun,
    l.noticesFirst >= oneRun,
  );
  add(`that run inside the hour's ${WRITES_AN_HOUR} content writes`, `${f.writes} writes`, f.writes, `physical limit ${WRITES_AN_HOUR} writes an hour`, WRITES_AN_HOUR);
  const physical = physicalWriteMs(f.writes);
  add(
    'that run paced inside the hour',
    `${secs(pacedMs)} pacer schedule for ${f.writes} writes`,
    pacedMs,
    `physical limit ${secs(physical)} (1 s apart); budget 3,600 s`,
    physical,
    pacedMs <= 3_600_000,
  );
  const left = Math.max(0, l.issues - l.noticesFirst);
  add(
    'a re-run reads only what is left',
    `${l.rerun.issuesReadByNumber} issue lookups (first run ${f.issuesReadByNumber}: each issue and its recent comments), ${l.rerun.graphqlQueries} GraphQL queries (${l.rerun.graphqlPoints} points), ${l.rerun.writes} writes`,
    l.rerun.issuesReadByNumber,
    `${left} issues left by the first run`,
    left,
  );
  return out;
}

/** Each bundle's size and its start to first request. */
export function checkColdStart(c: ColdStart): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const add = adder(out, c.action, null);
  add('bundle under 500 KiB', `${(c.bundleBytes / 1024).toFixed(0)} KiB`, c.bundleBytes / 1024, 'budget 500 KiB', 500, c.bundleBytes < 500 * 1024);
  add(
    'start to first request under 120 ms',
    c.firstRequestMs === null ? 'no request' : `${c.firstRequestMs.toFixed(0)} ms`,
    c.firstRequestMs,
    'budget 120 ms',
    120,
    c.firstRequestMs !== null && c.firstRequestMs < 120,
  );
  return out;
}

/** Measured elsewhere: the test suite's time (the coordinator times `pnpm test`; the bench never runs it). */
export function notMeasuredHere(): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  adder(out, '(repository)', null)('`pnpm test` under 3 minutes on 2 cores', 'not measured by the bench: the coordinator times `pnpm test` on the 2-core machine', null, 'budget 180 s', 180, null);
  return out;
}

/** prioritize's sweep with the GITHUB_TOKEN: its pages leave the token half of its hour. */
export function checkSweep(w: SweepBenchResult): BudgetCheck[] {
  const out: BudgetCheck[] = [];
  const add = adder(out, 'prioritize', w.size);
  add(
    "sweep: its pages leave the GITHUB_TOKEN half of its hour",
    `${w.pagePoints} points for ${w.pages} page${w.pages === 1 ? '' : 's'} (${w.read.toLocaleString('en')} of ${w.open.toLocaleString('en')} open issues, the ${w.from} first); ${w.sample.graphqlPoints} points in all with the re-evaluations`,
    w.pagePoints,
    `budget ${FULL_READ_POINTS} of ${HOURLY_POINTS.toLocaleString('en')} points`,
    FULL_READ_POINTS,
  );
  return out;
}
