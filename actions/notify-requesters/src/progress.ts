// The progress of a release's notices, kept in a marker inside the bot's part of the release's docs-review
// issue (the issue the run reads anyway): which resolved issues are done, which are left, and the writes of
// the runs in the last hour. A re-run reads only the issues not recorded as done, and writes no more than
// what GitHub's hourly content limit has left. Plain data in, decisions out (the clock is a parameter).
import { type MarkerData, readMarker, readRegion, renderMarker } from '@userloop/core';
import { docsReviewTag } from './plan.ts';
import type { LabeledIssue } from './read.ts';
import { DOCS_REVIEW_MARKER } from './render.ts';
import type { SkipEntry } from './types.ts';

/** The marker kind of the progress (registered in core's `MARKER_SCHEMAS`). */
const PROGRESS_MARKER = 'notify-progress';

/** GitHub's secondary limit on content-creating requests: 500 an hour (80 a minute, paced by the writer). */
export const WRITES_PER_HOUR = 500;

const HOUR = 3_600_000;

/** The longest progress marker written (a release whose done issues are scattered over many ranges writes none). */
const PROGRESS_MAX_CHARS = 6_000;

type ProgressData = MarkerData<'notify-progress'>;
type Run = ProgressData['runs'][number];

/** A release's progress as a run reads it. */
export interface Progress {
  /** Resolved issues told everything (or settled) by an earlier run. */
  done: Set<number>;
  /** Resolved issues an earlier run left. */
  left: Set<number>;
  /** The runs of the last hours that wrote, with their writes. */
  runs: Run[];
}

/** Issue numbers as inclusive ranges `[first, last]`, ascending. */
export function toRanges(numbers: Iterable<number>): [number, number][] {
  const sorted = [...new Set(numbers)].filter((n) => Number.isSafeInteger(n) && n > 0).sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

/** The numbers of ranges written by {@link toRanges}; an inverted range holds none. */
export function fromRanges(ranges: readonly (readonly [number, number])[]): Set<number> {
  const out = new Set<number>();
  for (const [first, last] of ranges) for (let n = first; n <= last; n += 1) out.add(n);
  return out;
}

/**
 * The progress of `tag` in the body of its docs-review issue: the marker inside the bot's region only (a
 * marker a person typed around the list is not the bot's), for this tag only; `null` when there is none or
 * it does not validate (then every resolved issue is read). The caller passes only an issue the token's
 * own identity opened.
 */
export function readProgress(body: string | null | undefined, tag: string): Progress | null {
  const region = readRegion(body, DOCS_REVIEW_MARKER);
  if (region.state !== 'region') return null;
  const data = readMarker(region.content, 'notify-progress');
  if (!data || data.tag !== tag) return null;
  return { done: fromRanges(data.done), left: fromRanges(data.left), runs: data.runs };
}

/**
 * The docs-review issue of `tag` among issues found by its label or marker: the oldest one the token's own
 * identity opened (GitHub's `viewerDidAuthor`) whose docs-review marker names the tag; `null` when none.
 */
export function docsReviewOf(issues: readonly LabeledIssue[], tag: string): LabeledIssue | null {
  return [...issues].filter((i) => i.byViewer && docsReviewTag(i.body) === tag).sort((a, b) => a.number - b.number)[0] ?? null;
}

/**
 * The writes this run may make: `maxWrites`, and never more than GitHub's 500 an hour less what the runs
 * recorded in the last hour wrote. `earlier`: those writes, for the message.
 */
export function writeBudget(maxWrites: number, runs: readonly Run[], now: number): { writes: number; earlier: number; until: number | null } {
  const recent = runs.filter((r) => now - Date.parse(r.at) < HOUR && Date.parse(r.at) <= now);
  const earlier = recent.reduce((sum, r) => sum + r.writes, 0);
  const until = recent.length > 0 ? Math.min(...recent.map((r) => Date.parse(r.at))) + HOUR : null;
  return { writes: Math.max(0, Math.min(maxWrites, WRITES_PER_HOUR - earlier)), earlier, until };
}

/**
 * Skips a later run may see differently (the issue closed as completed, unlocked or readable by then, or a
 * write GitHub refused as gone that a re-run finds there after all): not done. A deleted issue costs its
 * re-run one node of a query.
 */
const TRANSIENT: ReadonlySet<SkipEntry['reason']> = new Set(['open', 'not-completed', 'locked', 'not-found', 'deleted', 'transferred']);

/**
 * The resolved issues done after this run: those done before, and those this run read whose notices (and
 * label) are all written and whose duplicates' notices are too. Not done: an issue with anything left or
 * failed, a skip that may change, and an issue with people who asked outside GitHub (the docs-review list
 * of them is rebuilt from their issues, so those are read on every run).
 */
export function doneAfter(options: {
  resolved: readonly number[];
  before: ReadonlySet<number>;
  read: readonly number[];
  /** Duplicate issue number → the resolved issue it was told for. */
  duplicateOf: ReadonlyMap<number, number>;
  left: readonly { issue: number }[];
  failed: readonly { issue: number }[];
  skipped: readonly SkipEntry[];
  outside: readonly { issue: number }[];
}): { done: Set<number>; left: number[] } {
  const open = new Set<number>();
  const owner = (n: number) => options.duplicateOf.get(n) ?? n;
  for (const l of options.left) open.add(owner(l.issue));
  for (const f of options.failed) open.add(owner(f.issue));
  for (const s of options.skipped) if (typeof s.issue === 'number' && TRANSIENT.has(s.reason)) open.add(owner(s.issue));
  for (const o of options.outside) open.add(o.issue);
  const resolved = new Set(options.resolved);
  const done = new Set([...options.before].filter((n) => resolved.has(n)));
  for (const n of options.read) if (resolved.has(n) && !open.has(n)) done.add(n);
  return { done, left: options.resolved.filter((n) => !done.has(n)) };
}

/**
 * The progress marker line of `tag`, or `''` when it would be longer than {@link PROGRESS_MAX_CHARS}
 * (then none is written and a re-run reads every issue). `runs`: the earlier runs of the last hour and
 * this one's writes.
 */
export function renderProgress(tag: string, done: Iterable<number>, left: Iterable<number>, runs: readonly Run[]): string {
  const line = renderMarker(PROGRESS_MARKER, { tag, done: toRanges(done), left: toRanges(left), runs: runs.slice(-20) } satisfies ProgressData);
  return line.length <= PROGRESS_MAX_CHARS ? line : '';
}

/** The runs kept in the next marker: when this run wrote, the last hour's and this one's; otherwise the same (so a run that wrote nothing leaves the marker as it was). */
export function nextRuns(runs: readonly Run[], now: number, writes: number): Run[] {
  if (writes <= 0) return [...runs];
  return [...runs.filter((r) => now - Date.parse(r.at) < HOUR), { at: new Date(now).toISOString(), writes }];
}
