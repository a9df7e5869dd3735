// One scenario per action: the event a workflow would get on the generated repository, run through the
// bundled action's action.yml by the emulator's runner, several times (each doing the same work: what a
// run wrote is undone between runs), then once more without undoing (the idempotent re-run, or for
// kpi-report the incremental run after 1% of the issues changed).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Payloads, type RunnerEvent, type Sim } from '@userloop/github-sim';
import { FULL, type Generated } from './generate.ts';
import { checkpoint, graphqlOperation, measureRunner, median, type RunnerRun, type RunSample } from './measure.ts';

export type ActionName = 'prioritize' | 'require-docs' | 'draft-release-notes' | 'notify-requesters' | 'kpi-report';
export const ACTIONS: readonly ActionName[] = ['prioritize', 'require-docs', 'draft-release-notes', 'notify-requesters', 'kpi-report'];

export interface ScenarioResult {
  action: ActionName;
  event: string;
  size: number;
  mode: 'runner';
  runs: number;
  /** Counters of the first run (every timed run does the same work). */
  first: Omit<RunSample, 'outputs' | 'stderr'>;
  msMedian: number;
  msAll: number[];
  actionRssMb: number | null;
  simRssMb: number;
  exitCodes: number[];
  outputs: Record<string, string>;
  /** The run after the timed ones, without undoing their writes. */
  second: { label: string; sample: Omit<RunSample, 'outputs' | 'stderr'>; outputs: Record<string, string> };
  /** Emulator contract violations during this scenario. */
  violations: number;
  notes: string[];
  /**
   * A read spread over runs (kpi-report stops at its `max-points` and the next run goes on): each run of the
   * first timed read, its points and CPU; `first` sums them.
   */
  runsOfFirst?: { points: number; cpuMs: number | null; writes: number }[];
}

type Payload = Record<string, unknown>;

/** The webhook payloads of the generated repository, built as the emulated platform builds them. */
function payloads(sim: Sim): Payloads {
  return new Payloads(sim.store, sim.url, sim.store.mustRepo(FULL));
}

export function openedIssueEvent(sim: Sim, number: number): { name: string; payload: Payload } {
  const issue = sim.store.mustIssue(FULL, number);
  return { name: 'issues', payload: payloads(sim).issues('opened', issue, issue.user) };
}

export function pullOpenedEvent(sim: Sim, number: number): { name: string; payload: Payload } {
  const pr = sim.store.mustIssue(FULL, number);
  return { name: 'pull_request', payload: payloads(sim).pullRequest('opened', pr, pr.user) };
}

export function pushEvent(sim: Sim): { name: string; payload: Payload; sha: string } {
  const sha = sim.store.resolveRef(FULL, 'refs/heads/main')!;
  const before = sim.store.mustRepo(FULL).commits.get(sha)?.parents[0] ?? '0'.repeat(40);
  return { name: 'push', payload: payloads(sim).push('refs/heads/main', before, sha, 'alice', [sha]), sha };
}

export function releaseEvent(sim: Sim, id: number): { name: string; payload: Payload } {
  return { name: 'release', payload: payloads(sim).release('published', sim.store.release(FULL, id)!, 'alice') };
}

export function scheduleEvent(sim: Sim): { name: string; payload: Payload } {
  return { name: 'schedule', payload: payloads(sim).schedule('0 6 * * 1') };
}

const strip = (s: RunSample): Omit<RunSample, 'outputs' | 'stderr'> => {
  const { outputs: _o, stderr: _e, ...rest } = s;
  return rest;
};

interface Plan {
  event: string;
  /** Prepares run `k` (0-based) and returns what to run. */
  prepare: (k: number) => RunnerRun;
  /** Between timed runs: undo (default: undo what the run wrote). */
  undo?: boolean;
  /** The extra run after the timed ones. */
  second: { label: string; prepare: () => RunnerRun };
  notes?: string[];
  cleanup?: () => void;
  /** A run that left its work unfinished (by its outputs) is followed by this one, until one finishes. */
  goOn?: { unfinished: (outputs: Record<string, string>) => boolean; prepare: () => RunnerRun };
}

/**
 * A plan whose every timed run gets a new issue or pull request, opened a minute after the last (`create(k)`
 * for run `k`, nothing undone), and whose second run gets the same event on the last one again.
 */
function newItemEachRun(
  actionDir: string,
  sim: Sim,
  event: string,
  eventOf: (sim: Sim, number: number) => RunnerEvent,
  create: (k: number) => { number: number },
): Plan {
  let last = 0;
  return {
    event,
    undo: false,
    prepare: (k) => {
      sim.store.advance(60_000);
      last = create(k).number;
      return { actionDir, event: eventOf(sim, last) };
    },
    second: { label: 'same event again', prepare: () => ({ actionDir, event: eventOf(sim, last) }) },
  };
}

function plan(action: ActionName, sim: Sim, g: Generated): Plan {
  const s = sim.store;
  const actionDir = `actions/${action}`;
  switch (action) {
    case 'prioritize':
      return newItemEachRun(actionDir, sim, 'issues.opened (a new issue)', openedIssueEvent, (k) =>
        s.createIssue(FULL, {
          title: `Export to CSV drops the last row (${k})`,
          body: 'When I export a report, the last row is missing. Version 1.4.',
          user: `newcomer${k}`,
          author_association: 'NONE',
        }),
      );
    case 'require-docs':
      return {
        ...newItemEachRun(actionDir, sim, 'pull_request.opened (feature without docs)', pullOpenedEvent, (k) =>
          s.createPull(FULL, {
            title: `feat: add the --format flag (${k})`,
            body: 'Adds a flag.',
            user: 'user42',
            head: { ref: `format-flag-${k}` },
            files: [{ filename: 'src/cli/format.ts', additions: 40, deletions: 0 }],
            author_association: 'CONTRIBUTOR',
          }),
        ),
        notes: ['exit code 1 is expected: the check fails a feature without docs (and writes its one sticky comment)'],
      };
    case 'draft-release-notes': {
      const run = (): RunnerRun => {
        const e = pushEvent(sim);
        return { actionDir, event: { name: e.name, payload: e.payload }, ref: 'refs/heads/main', sha: e.sha };
      };
      return { event: `push to main (${g.unreleasedPulls} unreleased PRs)`, prepare: run, second: { label: 'same push again', prepare: run } };
    }
    case 'notify-requesters': {
      const run = (): RunnerRun => ({ actionDir, event: releaseEvent(sim, g.notifyReleaseId) });
      return {
        event: 'release.published (resolves 100 issues)',
        prepare: run,
        second: { label: 'same release again', prepare: run },
        notes: ['writes paced at 0 (USERLOOP_WAIT_SCALE=0); with the default pacing (>= 1 s apart) 100+ writes add >= 100 s of waiting'],
      };
    }
    case 'kpi-report': {
      const workspace = mkdtempSync(join(tmpdir(), 'bench-kpi-'));
      const snapshot = join(workspace, 'kpi-snapshot.json');
      const inputs = { period: 'week', 'as-of': s.nowIso(), 'snapshot-path': snapshot };
      const scheduled = (): RunnerRun => ({ actionDir, event: scheduleEvent(sim), inputs, workspace });
      return {
        event: 'schedule (weekly, full read)',
        prepare: () => {
          if (existsSync(snapshot)) rmSync(snapshot);
          return scheduled();
        },
        // A read bigger than max-points (default 500) stops; the next run with the snapshot goes on.
        goOn: { unfinished: (outputs) => outputs.complete === 'false', prepare: scheduled },
        second: {
          label: 'incremental, after 1% of issues changed',
          prepare: () => {
            const later = s.now.getTime() + 60_000;
            const step = 100;
            for (let n = 50; n <= g.issues; n += step) {
              s.createComment(FULL, n, { body: 'Any news?', user: 'someone', created_at: new Date(later + n).toISOString().replace(/\.\d{3}Z$/, 'Z'), author_association: 'NONE' });
            }
            return scheduled();
          },
        },
        cleanup: () => rmSync(workspace, { recursive: true, force: true }),
      };
    }
  }
}

/** Runs one action's scenario `runs` times plus its second run. */
export async function runScenario(action: ActionName, sim: Sim, g: Generated, runs: number): Promise<ScenarioResult> {
  const p = plan(action, sim, g);
  const violationsBefore = sim.violations.length;
  const samples: RunSample[] = [];
  const undo = p.undo === false ? undefined : checkpoint(sim.store);
  let runsOfFirst: ScenarioResult['runsOfFirst'];
  for (let k = 0; k < runs; k += 1) {
    if (k > 0 && undo) undo();
    const parts = [await measureRunner(sim, p.prepare(k))];
    while (p.goOn && p.goOn.unfinished(parts[parts.length - 1]!.outputs) && parts.length < 20) parts.push(await measureRunner(sim, p.goOn.prepare()));
    if (k === 0 && parts.length > 1) runsOfFirst = parts.map((x) => ({ points: x.graphqlPoints, cpuMs: x.actionCpuMs, writes: x.writes }));
    samples.push(combine(parts));
  }
  const second = await measureRunner(sim, p.second.prepare());
  p.cleanup?.();
  const first = samples[0]!;
  const notes = [...(p.notes ?? [])];
  for (const smp of [...samples, second]) {
    // `(node:12345) ExperimentalWarning: ...`: without the process id, the same warning is noted once.
    if (smp.stderr.trim()) notes.push(`stderr: ${smp.stderr.trim().replace(/\(node:\d+\)/g, '(node)').split('\n').slice(0, 3).join(' | ')}`);
  }
  return {
    action,
    event: p.event,
    size: g.size,
    mode: 'runner',
    runs,
    first: strip(first),
    msMedian: median(samples.map((x) => x.ms)),
    msAll: samples.map((x) => Math.round(x.ms)),
    actionRssMb: Math.max(...samples.map((x) => x.actionRssMb ?? 0)) || null,
    simRssMb: Math.max(...samples.map((x) => x.simRssMb)),
    exitCodes: samples.map((x) => x.exitCode),
    outputs: first.outputs,
    second: { label: p.second.label, sample: strip(second), outputs: second.outputs },
    violations: sim.violations.length - violationsBefore,
    notes: [...new Set(notes)],
    ...(runsOfFirst ? { runsOfFirst } : {}),
  };
}

/** One measurement of work spread over runs: counts, time and CPU summed, the peaks the highest, the last run's outputs. */
function combine(parts: RunSample[]): RunSample {
  if (parts.length === 1) return parts[0]!;
  const sum = (f: (x: RunSample) => number) => parts.reduce((n, x) => n + f(x), 0);
  const merge = (f: (x: RunSample) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const x of parts) for (const [k, v] of Object.entries(f(x))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const last = parts[parts.length - 1]!;
  const cpu = parts.every((x) => x.actionCpuMs !== null) ? sum((x) => x.actionCpuMs ?? 0) : null;
  const rss = Math.max(...parts.map((x) => x.actionRssMb ?? 0)) || null;
  return {
    rest: sum((x) => x.rest),
    graphqlQueries: sum((x) => x.graphqlQueries),
    graphqlPoints: sum((x) => x.graphqlPoints),
    writes: sum((x) => x.writes),
    restByRoute: merge((x) => x.restByRoute),
    graphqlByOperation: merge((x) => x.graphqlByOperation),
    graphqlPointsByOperation: merge((x) => x.graphqlPointsByOperation),
    issuesReadByNumber: sum((x) => x.issuesReadByNumber),
    ms: sum((x) => x.ms),
    exitCode: Math.max(...parts.map((x) => x.exitCode)),
    actionRssMb: rss,
    actionCpuMs: cpu,
    simRssMb: Math.max(...parts.map((x) => x.simRssMb)),
    outputs: last.outputs,
    stderr: parts.map((x) => x.stderr).join(''),
  };
}

/** notify-requesters on a release that resolves more issues than the default scenario, then its re-run. */
export interface LargeReleaseResult {
  size: number;
  /** Issues the release resolves. */
  issues: number;
  first: Omit<RunSample, 'outputs' | 'stderr'>;
  /** The same release again, right after: reads only what the first run left. */
  rerun: Omit<RunSample, 'outputs' | 'stderr'>;
  /** Notices (comments on the resolved issues) each run wrote. */
  noticesFirst: number;
  noticesRerun: number;
  exitCodes: number[];
  outputs: Record<string, string>;
  violations: number;
}

export const COMMENT_POST = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

/** Runs notify-requesters on the generated release (`g.notifyIssues.length` issues) once, then again. */
export async function runLargeRelease(sim: Sim, g: Generated): Promise<LargeReleaseResult> {
  const violationsBefore = sim.violations.length;
  const run = (): RunnerRun => ({ actionDir: 'actions/notify-requesters', event: releaseEvent(sim, g.notifyReleaseId) });
  const first = await measureRunner(sim, run());
  const rerun = await measureRunner(sim, run());
  return {
    size: g.size,
    issues: g.notifyIssues.length,
    first: strip(first),
    rerun: strip(rerun),
    noticesFirst: first.restByRoute[COMMENT_POST] ?? 0,
    noticesRerun: rerun.restByRoute[COMMENT_POST] ?? 0,
    exitCodes: [first.exitCode, rerun.exitCode],
    outputs: first.outputs,
    violations: sim.violations.length - violationsBefore,
  };
}

/** prioritize's scheduled sweep with the repository's GITHUB_TOKEN, on a fresh hour. */
export interface SweepBenchResult {
  size: number;
  /** Open issues in the repository, and how many the sweep read (it stops at half the token's hour). */
  open: number;
  read: number;
  pages: number;
  /** The end the pages came from (oldest first on even UTC days, newest first on odd ones), as the queries asked. */
  from: 'oldest' | 'newest';
  /** Points of the pages, and what the token had left of its hour after the run. */
  pagePoints: number;
  remaining: number;
  sample: Omit<RunSample, 'outputs' | 'stderr'>;
  exitCode: number;
  violations: number;
}

/** The repository's GITHUB_TOKEN in the sweep's run: 1,000 points an hour, refused when spent, as on GitHub. */
const SWEEP_TOKEN = 'bench-sweep-token';

/**
 * Runs prioritize's sweep (the `schedule` event) once with the repository's GITHUB_TOKEN, on an hour of its
 * own, then takes out the comments it posted (its labels and edited replies stay; the scenarios have run).
 */
export async function runSweep(sim: Sim, g: Generated): Promise<SweepBenchResult> {
  const violationsBefore = sim.violations.length;
  const requestsBefore = sim.requests.length;
  const undo = checkpoint(sim.store);
  sim.store.addToken(SWEEP_TOKEN, 'github-actions[bot]', { issues: 'write', contents: 'read', pull_requests: 'read' }, { kind: 'github-token', repository: FULL });
  const open = [...sim.store.mustRepo(FULL).issues.values()].filter((i) => !i.pull_request && i.state === 'open').length;
  const r = await measureRunner(sim, { actionDir: 'actions/prioritize', event: scheduleEvent(sim), inputs: { token: SWEEP_TOKEN } });
  const remaining = sim.budgets(FULL).graphql.remaining;
  undo();
  const pages = r.graphqlByOperation['PrioritizeSweep'] ?? 0;
  const page = sim.requests.slice(requestsBefore).find((x) => x.route === 'POST /graphql' && graphqlOperation(x.body) === 'PrioritizeSweep');
  const direction = (page?.body as { variables?: { direction?: string } } | undefined)?.variables?.direction;
  return {
    size: g.size,
    open,
    read: Math.min(open, pages * 100),
    pages,
    from: direction === 'DESC' ? 'newest' : 'oldest',
    pagePoints: r.graphqlPointsByOperation['PrioritizeSweep'] ?? 0,
    remaining,
    sample: strip(r),
    exitCode: r.exitCode,
    violations: sim.violations.length - violationsBefore,
  };
}
