// Measuring one action run: the emulator's counters, wall time, the action process's peak RSS and CPU time
// (a preload script records `process.resourceUsage()`'s maxRSS, user and system time when node exits) and
// the bench process's own RSS (emulator + store), sampled while the run lasts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type RunnerEvent, type Sim, type Store } from '@userloop/github-sim';
import { FULL } from './generate.ts';

interface Counts {
  rest: number;
  graphqlQueries: number;
  graphqlPoints: number;
  writes: number;
  restByRoute: Record<string, number>;
  /** GraphQL requests by operation name (`Viewer`, `ReleaseRange`, ...; `(anonymous)` without one). */
  graphqlByOperation: Record<string, number>;
  /** GraphQL points charged, by operation name. */
  graphqlPointsByOperation: Record<string, number>;
  /** Issues looked up by number in GraphQL queries (`issue(number: N)` fields, as notify-requesters reads them). */
  issuesReadByNumber: number;
}

export interface RunSample extends Counts {
  ms: number;
  exitCode: number;
  /** Peak RSS of the action's node process, MB (runner mode). */
  actionRssMb: number | null;
  /** CPU time (user + system) of the action's node processes, ms (runner mode). */
  actionCpuMs: number | null;
  /** Peak RSS of the bench process (emulator and store) while the run lasted, MB. */
  simRssMb: number;
  outputs: Record<string, string>;
  stderr: string;
}

/** What every peer's measurement holds: which tool, on which repository, its two runs, what the emulator found. */
export interface PeerRunBase {
  name: string;
  version: string;
  size: number;
  first: Omit<RunSample, 'outputs' | 'stderr'>;
  second: Omit<RunSample, 'outputs' | 'stderr'>;
  /** Routes the emulator does not implement or rejected (a finding), and how many violations in all. */
  violations: number;
  violationKinds: string[];
  error: string | null;
}

const dir = mkdtempSync(join(tmpdir(), 'userloop-bench-'));
const preload = join(dir, 'peak-rss.cjs');
writeFileSync(
  preload,
  // One line per node process: peak RSS (KiB), user and system CPU time (microseconds).
  "process.on('exit', () => { try { const u = process.resourceUsage(); require('node:fs').appendFileSync(process.env.BENCH_PEAK_FILE, [u.maxRSS, u.userCPUTime, u.systemCPUTime].join(' ') + '\\n'); } catch {} });\n",
);

/** Removes the bench's temporary directory. */
export function cleanup(): void {
  rmSync(dir, { recursive: true, force: true });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The operation name of a logged GraphQL request (`query Viewer { ... }` -> `Viewer`). */
export function graphqlOperation(body: unknown): string {
  const query = body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
  if (typeof query !== 'string') return '(no query)';
  // Comments (`#graphql` tags, as in the peer's queries) are skipped.
  return /^\s*(?:query|mutation)\s+([A-Za-z_]\w*)/.exec(query.replace(/#[^\n]*/g, ''))?.[1] ?? '(anonymous)';
}

/** The emulator's counters, and the GraphQL requests logged since `from` by operation name. */
function countsOf(sim: Sim, from: number): Counts {
  const c = sim.counters;
  const graphqlByOperation: Record<string, number> = {};
  const graphqlPointsByOperation: Record<string, number> = {};
  let issuesReadByNumber = 0;
  for (const r of sim.requests.slice(from)) {
    if (r.route !== 'POST /graphql') continue;
    const op = graphqlOperation(r.body);
    graphqlByOperation[op] = (graphqlByOperation[op] ?? 0) + 1;
    graphqlPointsByOperation[op] = (graphqlPointsByOperation[op] ?? 0) + (r.points ?? 0);
    const query = (r.body as { query?: unknown } | undefined)?.query;
    if (typeof query === 'string') issuesReadByNumber += query.match(/\bissue\(number:/g)?.length ?? 0;
  }
  return { rest: c.rest, graphqlQueries: c.graphqlQueries, graphqlPoints: c.graphqlPoints, writes: c.writes, restByRoute: { ...c.restByRoute }, graphqlByOperation, graphqlPointsByOperation, issuesReadByNumber };
}

/** Samples this process's RSS until stopped; returns the peak in MB. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6);
  };
}

export interface RunnerRun {
  actionDir: string;
  event: RunnerEvent;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  workspace?: string;
  ref?: string;
  sha?: string;
}

let peakCounter = 0;

/** Runs the bundled action through its action.yml with the emulator's runner, and measures it. */
export async function measureRunner(sim: Sim, run: RunnerRun): Promise<RunSample> {
  const peakFile = join(dir, `peak-${(peakCounter += 1)}.txt`);
  sim.resetCounters();
  const from = sim.requests.length;
  const stop = rssSampler();
  const t0 = performance.now();
  const r = await runAction({
    actionDir: run.actionDir,
    sim,
    event: run.event,
    inputs: { token: 'test-token', ...run.inputs },
    env: { USERLOOP_WAIT_SCALE: '0', NODE_OPTIONS: `--require ${preload}`, BENCH_PEAK_FILE: peakFile, ...run.env },
    repository: FULL,
    stepTimeoutMs: 600_000,
    ...(run.workspace ? { workspace: run.workspace } : {}),
    ...(run.ref ? { ref: run.ref } : {}),
    ...(run.sha ? { sha: run.sha } : {}),
  });
  const ms = performance.now() - t0;
  const simRssMb = stop();
  let actionRssMb: number | null = null;
  let actionCpuMs: number | null = null;
  try {
    const lines = readFileSync(peakFile, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    actionRssMb = Math.round(Math.max(...lines.map((l) => l[0] ?? 0)) / 1024);
    actionCpuMs = lines.reduce((sum, l) => sum + ((l[1] ?? 0) + (l[2] ?? 0)) / 1000, 0);
  } catch {
    actionRssMb = null;
  }
  return { ...countsOf(sim, from), ms, exitCode: r.exitCode, actionRssMb, actionCpuMs, simRssMb, outputs: r.outputs, stderr: r.stderr };
}

/** Runs a function against the emulator in this process, and measures it. */
export async function measureInProcess(sim: Sim, fn: () => Promise<unknown>): Promise<RunSample> {
  sim.resetCounters();
  const from = sim.requests.length;
  const stop = rssSampler();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  return { ...countsOf(sim, from), ms, exitCode: 0, actionRssMb: null, actionCpuMs: null, simRssMb: stop(), outputs: {}, stderr: '' };
}

/**
 * Remembers the repository's state, and returns a function that undoes what a run wrote: comments added
 * to existing issues, issues created (with their comments) and releases created. Lets every timed run do
 * the same work as the first.
 */
export function checkpoint(store: Store): () => void {
  const repo = store.mustRepo(FULL);
  const nextNumber = repo.next_number;
  const nextId = store.nextId;
  return () => {
    for (const [id, c] of repo.comments) if (id >= nextId && c.issue_number < nextNumber) store.deleteComment(repo, id);
    for (const [n, issue] of repo.issues) {
      if (n < nextNumber) continue;
      for (const id of issue.comment_ids) repo.comments.delete(id);
      repo.issues.delete(n);
    }
    repo.next_number = nextNumber;
    repo.releases = repo.releases.filter((r) => r.id < nextId);
  };
}
