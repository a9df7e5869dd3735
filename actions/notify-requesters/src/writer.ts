// The writes of a run: the paced writer (sequential writes, a per-run limit, a stop
// at a rate limit), how a write error is sorted, posting the planned notices, and the second look that
// keeps one notice when two runs overlapped.
import {
  httpStatus,
  isLockedError,
  keepOne,
  type NotifyRequestersConfig,
  RateLimitedError,
  RedirectedWriteError,
  type PacerOptions,
  UnconfirmedWriteError,
  WritePacer,
} from '@userloop/core';
import { hasLabel, ownMarkers, sameNotice, type Target } from './plan.ts';
import { readRecentComments, type RecentComment } from './read.ts';
import type { MainDeps, MainInput, MainResult, SkipReason } from './types.ts';

/** The pacer's wait scale from `USERLOOP_WAIT_SCALE` (a number, 0 or more), for main's deps; none when unset. */
export function pacing(env: NodeJS.ProcessEnv): Pick<MainDeps, 'waitScale'> {
  const scale = Number(env['USERLOOP_WAIT_SCALE']);
  return Number.isFinite(scale) && scale >= 0 && env['USERLOOP_WAIT_SCALE'] ? { waitScale: scale } : {};
}

/** The token cannot write: the step fails (the only failure besides a bad config). */
class PermissionError extends Error {
  override readonly name = 'PermissionError';
}

type WriteOutcome = { ok: true } | { ok: false; skip: SkipReason } | { ok: false; fail: string } | { ok: false; stop: string };

/** The message of anything thrown, for a warning. */
export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sorts a write error: locked (403), deleted (410 Gone), transferred (301, not followed: see core's
 * `RedirectedWriteError`) and not-found (404) issues are skipped; a write GitHub did not confirm (a dropped
 * connection, a 5xx) fails that issue for a re-run to finish; missing permission fails the step.
 */
export function classifyWriteError(error: unknown): WriteOutcome {
  if (error instanceof RateLimitedError) return { ok: false, stop: `GitHub's rate limit (retry after ${Math.ceil(error.retryAfterMs / 1000)} s)` };
  if (error instanceof RedirectedWriteError) return { ok: false, skip: 'transferred' };
  const s = httpStatus(error);
  const text = message(error);
  if (error instanceof UnconfirmedWriteError) return { ok: false, fail: `${s ?? 'error'}: ${text}` };
  if (isLockedError(error)) return { ok: false, skip: 'locked' };
  if (s === 301 || s === 302 || s === 307 || s === 308) return { ok: false, skip: 'transferred' };
  if (s === 410) return { ok: false, skip: 'deleted' };
  if (s === 404) return { ok: false, skip: 'not-found' };
  if (s === 401 || (s === 403 && /not accessible|permission|must have/i.test(text))) {
    throw new PermissionError(
      `The token cannot write to issues (${s}: ${text}). Give the job \`permissions: issues: write\` (and \`pull-requests: read\`, \`contents: read\`).`,
    );
  }
  return { ok: false, fail: `${s ?? 'error'}: ${text}` };
}

/** The pacer of a run's writes: `min-interval-ms` apart, at most `max-writes-per-minute` in any minute (GitHub: 1 s, 80). */
export function pacerOptions(config: Pick<NotifyRequestersConfig, 'min-interval-ms' | 'max-writes-per-minute'>, deps: Pick<MainDeps, 'waitScale' | 'sleep' | 'now'>): PacerOptions {
  return {
    minIntervalMs: config['min-interval-ms'],
    maxPerMinute: config['max-writes-per-minute'],
    maxRetries: 1,
    maxWaitMs: 60_000,
    ...(deps.waitScale !== undefined ? { waitScale: deps.waitScale } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  };
}

/**
 * Sequential, paced writes with a per-run limit; stops everything after a rate limit. `budget`: the writes
 * this run may make (default `max-writes`) and why it ends there; `reserve`: writes kept for the last ones
 * (`write(fn, { last: true })`: the docs-review issue that records the progress), so the notices stop first.
 */
export class Writer {
  readonly pacer: WritePacer;
  writes = 0;
  stoppedBy: string | null = null;
  private readonly budget: { writes: number; reason: string };
  reserve = 0;
  private rateLimited = false;

  constructor(
    private readonly config: NotifyRequestersConfig,
    private readonly dryRun: boolean,
    deps: MainDeps,
    budget?: { writes: number; reason: string },
  ) {
    this.pacer = new WritePacer(pacerOptions(config, deps));
    this.budget = budget ?? { writes: config['max-writes'], reason: `the limit of ${config['max-writes']} writes per run (max-writes)` };
  }

  get stopped(): boolean {
    return this.stoppedBy !== null;
  }

  async write(fn: () => Promise<unknown>, options: { last?: boolean } = {}): Promise<WriteOutcome> {
    // After a rate limit nothing more is written; after the budget, only the reserved last writes.
    if (this.stoppedBy !== null && (this.rateLimited || !options.last)) return { ok: false, stop: this.stoppedBy };
    if (this.writes >= this.budget.writes - (options.last ? 0 : this.reserve)) {
      this.stoppedBy ??= this.budget.reason;
      return { ok: false, stop: this.stoppedBy };
    }
    this.writes += 1;
    if (this.dryRun) return { ok: true };
    try {
      await this.pacer.run(fn);
      return { ok: true };
    } catch (error) {
      const outcome = classifyWriteError(error);
      if ('stop' in outcome) {
        this.stoppedBy = outcome.stop;
        this.rateLimited = true;
      }
      return outcome;
    }
  }
}

/** A notice comment this run created. */
interface Posted {
  target: Target;
  id: number;
  body: string;
  people: string[];
}

/** Posts the planned comments of each target in order, then the released label of each issue told everything; records what happened. */
export async function postTargets(
  targets: readonly Target[],
  writer: Writer,
  deps: MainDeps,
  input: Pick<MainInput, 'owner' | 'repo' | 'config'>,
  result: MainResult,
): Promise<Posted[]> {
  const { owner, repo } = input;
  const people = new Set(result.notifiedPeople.map((p) => p.toLowerCase()));
  const created: Posted[] = [];
  const label = input.config['released-label'];
  const toLabel: number[] = [];
  for (const target of targets) {
    const number = target.issue.number;
    let posted = 0;
    let done = true;
    for (const [i, planned] of target.comments.entries()) {
      const body = target.render(planned);
      const outcome = await writer.write(async () => {
        const { data } = await deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, body });
        created.push({ target, id: Number(data.id), body, people: planned.people });
      });
      if (outcome.ok) {
        posted += 1;
        for (const p of planned.people) {
          if (people.has(p.toLowerCase())) continue;
          people.add(p.toLowerCase());
          result.notifiedPeople.push(p);
        }
        continue;
      }
      done = false;
      if ('skip' in outcome) result.skipped.push({ issue: number, reason: outcome.skip });
      else if ('fail' in outcome) result.failed.push({ issue: number, message: outcome.fail });
      else for (const rest of target.comments.slice(i)) result.left.push({ issue: number, people: rest.people, what: 'notice' });
      break;
    }
    if (posted > 0) result.notifiedIssues.push(number);
    else if (target.comments.length === 0) result.unchanged.push(number);
    if (done && target.label && label !== '' && !hasLabel(target.issue, label)) toLabel.push(number);
  }
  // The labels after every notice: the notices people wait for go first when the budget runs out.
  for (const number of toLabel) {
    const outcome = await writer.write(() =>
      deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner, repo, issue_number: number, labels: [label] }),
    );
    if (!outcome.ok) {
      if ('stop' in outcome) result.left.push({ issue: number, people: [], what: 'label' });
      else if ('fail' in outcome) result.failed.push({ issue: number, message: `label: ${outcome.fail}` });
    }
  }
  return created;
}

/**
 * The second look after this run's notices (core's `keepOne` rule): two runs that overlapped (two
 * `assigned` events, a workflow without `concurrency:`) both found nobody told and both posted. One
 * GraphQL read of the newest comments of every issue written to (100 issues per query; `recent` when the
 * caller read them already); on each, of the bot's copies of the same notice the oldest stays and this run
 * deletes its own newer copy. A loser's issue and people are not counted as notified by this run: the
 * other run told them. `firstLost`: this run's first notice was the other run's copy.
 */
export async function keepOneNotice(
  created: readonly Posted[],
  writer: Writer,
  deps: MainDeps,
  input: Pick<MainInput, 'owner' | 'repo'>,
  result: MainResult,
  prefetched?: Map<number, RecentComment[]>,
): Promise<{ firstLost: boolean }> {
  if (created.length === 0) return { firstLost: false };
  const { owner, repo } = input;
  const graphql = deps.octokit.graphql;
  let recent: Map<number, RecentComment[]>;
  if (prefetched) {
    recent = prefetched;
  } else {
    try {
      const read = await readRecentComments({ graphql, owner, repo, numbers: created.map((c) => c.target.issue.number) });
      result.graphqlQueries += read.queries;
      recent = read.comments;
    } catch (error) {
      result.warnings.push(`Could not look again for notices an overlapping run posted at the same time (${message(error)}); a duplicate may remain.`);
      return { firstLost: false };
    }
  }
  const lost = new Map<number, Posted[]>();
  const won = new Map<number, Posted[]>();
  for (const mine of created) {
    const number = mine.target.issue.number;
    const copies = (recent.get(number) ?? []).flatMap((c): Posted[] => {
      if (!c.byViewer || c.id === null) return [];
      return ownMarkers([{ id: c.id, url: '', body: c.body, createdAt: '', author: null, byViewer: true }], mine.target.marker).flatMap((data) => {
        const d = data as { tag?: unknown; people?: unknown } | null;
        if (mine.target.tag !== null && d?.tag !== mine.target.tag) return [];
        const people = Array.isArray(d?.people) ? d.people.filter((p): p is string => typeof p === 'string') : [];
        return [{ target: mine.target, id: c.id!, body: c.body, people }];
      });
    });
    const settled = await keepOne<Posted>({
      created: mine,
      list: () => Promise.resolve(copies.filter((c) => c.id === mine.id || sameNotice(mine, c))),
      order: (c) => c.id,
      discard: async (copy) => {
        writer.writes += 1;
        await deps.octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: copy.id });
      },
      what: `notice on #${number}`,
    }).catch((error: unknown) => {
      result.warnings.push(`Could not remove this run's copy of a notice on #${number} that an overlapping run also posted (${message(error)}).`);
      return null;
    });
    const bucket = settled && !settled.won ? lost : won;
    bucket.set(number, [...(bucket.get(number) ?? []), mine]);
  }
  const first = created[0]!;
  const firstLost = (lost.get(first.target.issue.number) ?? []).includes(first);
  if (lost.size === 0) return { firstLost };
  // What this run reports as its own: only the notices it kept.
  const keptPeople = new Set([...won.values()].flat().flatMap((p) => p.people.map((x) => x.toLowerCase())));
  const lostPeople = new Set([...lost.values()].flat().flatMap((p) => p.people.map((x) => x.toLowerCase())));
  result.notifiedPeople = result.notifiedPeople.filter((p) => keptPeople.has(p.toLowerCase()) || !lostPeople.has(p.toLowerCase()));
  for (const number of lost.keys()) {
    if (won.has(number)) continue;
    result.notifiedIssues = result.notifiedIssues.filter((n) => n !== number);
    if (!result.unchanged.includes(number)) result.unchanged.push(number);
  }
  result.notices.push(
    `An overlapping run posted the same notice at the same time on ${[...lost.keys()].map((n) => `#${n}`).join(', ')}: its copy was kept and this run's removed, so each issue has one.`,
  );
  return { firstLost };
}
