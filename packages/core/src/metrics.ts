/**
 * Pure metric math shared by the KPI report (and anything else that needs it): medians and
 * nearest-rank percentiles, business time, UTC periods (ISO weeks, calendar months) and the open
 * intervals of an issue that was closed and reopened. No I/O, no clocks: every "now" is an argument.
 */

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * The p-th percentile by the nearest-rank method: sort ascending, take the value at rank
 * `ceil(p / 100 * n)` (1-based; rank at least 1). It is always one of the values, never interpolated.
 * @param values - the sample (any order; not modified)
 * @param p - the percentile, 0 < p <= 100 (50 for the median)
 * @returns the percentile, or `null` for an empty sample
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * The median: the middle value of the sorted sample, or the mean of the two middle values when the
 * sample has an even size (the usual definition, unlike {@link percentile} with p = 50).
 * @param values - the sample (any order; not modified)
 * @returns the median, or `null` for an empty sample
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? null;
  return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * A share as a number between 0 and 1.
 * @param part - the count that meets the condition
 * @param whole - the count it is a share of
 * @returns `part / whole`, or `null` when `whole` is 0 (no data is not 0 %)
 */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function toMs(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${String(value)}`);
  return ms;
}

/** Midnight UTC of the day holding `ms`. */
function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Whether a UTC day is a business day: Monday to Friday and not one of `holidays`.
 * @param at - any instant of the day
 * @param holidays - `YYYY-MM-DD` dates that are not business days
 */
export function isBusinessDay(at: Date | string | number, holidays: readonly string[] = []): boolean {
  const day = dayStart(toMs(at));
  return isWeekday(day) && !holidayDays(holidays).has(day);
}

/**
 * Elapsed business time between two instants in milliseconds: the time that falls on business days
 * (Monday to Friday, UTC, minus `holidays`), counting whole days of 24 hours. Friday 16:00 to Monday
 * 10:00 is 8 + 10 = 18 hours. Negative spans count as 0.
 * @param from - the start
 * @param to - the end
 * @param holidays - `YYYY-MM-DD` dates that are not business days
 */
export function businessMs(from: Date | string | number, to: Date | string | number, holidays: readonly string[] = []): number {
  const a = toMs(from);
  const b = toMs(to);
  if (b <= a) return 0;
  const first = dayStart(a);
  const last = dayStart(b);
  if (first === last) return isBusinessDay(first, holidays) ? b - a : 0;
  let total = (isBusinessDay(first, holidays) ? first + DAY_MS - a : 0) + (isBusinessDay(last, holidays) ? b - last : 0);
  const off = holidayDays(holidays);
  // The whole days between, by arithmetic: five of every seven, then the rest one by one, less the holidays.
  const whole = (last - first) / DAY_MS - 1;
  const from1 = first + DAY_MS;
  let days = Math.floor(whole / 7) * 5;
  for (let k = whole - (whole % 7); k < whole; k += 1) if (isWeekday(from1 + k * DAY_MS)) days += 1;
  if (off.size > 0) for (const day of off) if (day >= from1 && day < last) days -= 1;
  total += days * DAY_MS;
  return total;
}

/** Monday to Friday in UTC (day 0 of the epoch, 1970-01-01, was a Thursday). */
const isWeekday = (dayMs: number): boolean => {
  const day = (((Math.floor(dayMs / DAY_MS) + 4) % 7) + 7) % 7;
  return day !== 0 && day !== 6;
};

const holidaySets = new WeakMap<readonly string[], Set<number>>();
/** The holidays that fall on weekdays, as the first instant of their day (a weekend holiday changes nothing). */
function holidayDays(holidays: readonly string[]): Set<number> {
  let set = holidaySets.get(holidays);
  if (!set) {
    set = new Set(holidays.map((h) => Date.parse(`${h}T00:00:00Z`)).filter((d) => !Number.isNaN(d) && isWeekday(d)));
    holidaySets.set(holidays, set);
  }
  return set;
}

/**
 * Elapsed time between two instants in milliseconds, either calendar time or business time.
 * @param from - the start
 * @param to - the end
 * @param options - `businessDays: true` skips weekends and `holidays` (see {@link businessMs})
 */
export function elapsedMs(
  from: Date | string | number,
  to: Date | string | number,
  options: { businessDays?: boolean; holidays?: readonly string[] } = {},
): number {
  if (options.businessDays) return businessMs(from, to, options.holidays ?? []);
  return Math.max(0, toMs(to) - toMs(from));
}

/** A report period: an ISO week (Monday 00:00 UTC to the next Monday) or a calendar month in UTC. */
export type PeriodKind = 'week' | 'month';

/** One period, half-open: `start <= t < end`, both ISO 8601 in UTC. */
export interface Period {
  kind: PeriodKind;
  /** `2026-W47` for a week (ISO week-numbering year), `2026-11` for a month. */
  key: string;
  /** First instant of the period. */
  start: string;
  /** First instant after the period. */
  end: string;
}

function isoWeekKey(mondayMs: number): string {
  // The ISO week-numbering year is the year of the Thursday of the week.
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The period of a kind that contains an instant.
 * @param kind - `week` (ISO week, starting Monday 00:00 UTC) or `month` (UTC calendar month)
 * @param at - the instant
 */
export function periodContaining(kind: PeriodKind, at: Date | string | number): Period {
  const ms = toMs(at);
  if (kind === 'week') {
    const day = dayStart(ms);
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
    const start = day - weekday * DAY_MS;
    return {
      kind,
      key: isoWeekKey(start),
      start: new Date(start).toISOString(),
      end: new Date(start + 7 * DAY_MS).toISOString(),
    };
  }
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    kind,
    key: `${y}-${String(m + 1).padStart(2, '0')}`,
    start: new Date(Date.UTC(y, m, 1)).toISOString(),
    end: new Date(Date.UTC(y, m + 1, 1)).toISOString(),
  };
}

/**
 * The period `offset` periods away from `period` (negative: earlier).
 * @param period - a period from {@link periodContaining}
 * @param offset - how many periods to move
 */
export function shiftPeriod(period: Period, offset: number): Period {
  if (offset === 0) return period;
  if (period.kind === 'week') return periodContaining('week', toMs(period.start) + offset * 7 * DAY_MS);
  const d = new Date(period.start);
  return periodContaining('month', Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
}

/**
 * The last period that has fully ended at `now`: a run on Monday 2026-11-23 06:00 UTC reports the week
 * 2026-W47 (Monday 16 to Monday 23 November), a run on 1 December reports November.
 * @param kind - `week` or `month`
 * @param now - the time of the run
 */
export function lastCompletePeriod(kind: PeriodKind, now: Date | string | number): Period {
  return shiftPeriod(periodContaining(kind, now), -1);
}

/**
 * The `count` periods ending with `last`, oldest first.
 * @param last - the newest period
 * @param count - how many periods (at least 1)
 */
export function periodsEndingWith(last: Period, count: number): Period[] {
  const out: Period[] = [];
  for (let i = count - 1; i >= 0; i -= 1) out.push(shiftPeriod(last, -i));
  return out;
}

/**
 * Whether an instant falls inside a period (`start <= t < end`).
 * @param period - the period
 * @param at - the instant (`null` is never inside)
 */
export function inPeriod(period: Pick<Period, 'start' | 'end'>, at: Date | string | number | null | undefined): boolean {
  if (at === null || at === undefined) return false;
  const ms = toMs(at);
  return ms >= toMs(period.start) && ms < toMs(period.end);
}

/** A state change of an issue, from its timeline. */
export interface StateChange {
  type: 'closed' | 'reopened';
  /** ISO 8601 */
  at: string;
}

/** A span during which an issue was open: `from <= t < to`; `to` is `null` while it is still open. */
export interface OpenInterval {
  from: string;
  to: string | null;
}

/**
 * The spans during which an issue was open, from its creation time and its close and reopen events
 * (any order; repeated events of the same kind keep the first close and the first reopen after it).
 * @param createdAt - when the issue was opened
 * @param changes - its `closed` and `reopened` events
 */
export function openIntervals(createdAt: string, changes: readonly StateChange[]): OpenInterval[] {
  const sorted = [...changes].sort((a, b) => toMs(a.at) - toMs(b.at));
  const out: OpenInterval[] = [];
  let openSince: string | null = createdAt;
  for (const change of sorted) {
    if (change.type === 'closed' && openSince !== null) {
      out.push({ from: openSince, to: change.at });
      openSince = null;
    } else if (change.type === 'reopened' && openSince === null) {
      openSince = change.at;
    }
  }
  if (openSince !== null) out.push({ from: openSince, to: null });
  return out;
}

/**
 * Whether an issue was open at an instant, given its open intervals.
 * @param intervals - from {@link openIntervals}
 * @param at - the instant
 */
export function isOpenAt(intervals: readonly OpenInterval[], at: Date | string | number): boolean {
  const ms = toMs(at);
  return intervals.some((i) => toMs(i.from) <= ms && (i.to === null || ms < toMs(i.to)));
}
