/**
 * GitHub's platform limits, as the emulator enforces them: hourly budgets (the `GITHUB_TOKEN`'s 1,000 REST
 * requests and 1,000 GraphQL points per hour per repository), the search API's 30 requests a minute, the
 * secondary content-creation limits (80 a minute, 500 an hour) and the length limits of bodies, titles and
 * label names.
 *
 * ## Which clock
 *
 * Two clocks move in a test: real time (what the actions' own pacing waits on) and the store's clock
 * `store.now` (which a test sets or advances, and which never moves by itself). Time elapsed between two
 * instants is the larger of what the two clocks say. So an hour has passed when either a real hour or an
 * hour of `store.now` has passed: a test that advances the store by 61 s frees the minute's content
 * limit, and an action that really waits 61 s is freed too. Nothing resets while both clocks stand still.
 */
import { SimError } from './store.ts';

/** One moment on both clocks, in ms. */
export interface Instant {
  real: number;
  store: number;
}

/** Time from `a` to `b`, in ms: the larger of the two clocks' differences. */
export function elapsed(a: Instant, b: Instant): number {
  return Math.max(b.real - a.real, b.store - a.store);
}

const HOUR = 3600_000;
export const MINUTE = 60_000;

/** What one hourly budget stands at. */
export interface BudgetState {
  /** requests (REST) or points (GraphQL) allowed in the hour */
  limit: number;
  /** spent in the current hour */
  used: number;
  remaining: number;
  /** seconds until the hour ends and `used` starts again from 0 */
  resetInSeconds: number;
  /** refused because the budget was spent, since the emulator started */
  refused: number;
  /** spent since the emulator started, over every hour */
  total: number;
}

/** The search API's budget: 30 requests a minute. */
export const SEARCH_PER_MINUTE = 30;

/**
 * An hourly budget, as GitHub keeps it: the hour starts with the first request charged to it, and when
 * the hour is over the next request starts a new one. `windowMs` gives another window (the search API's
 * budget is a minute's).
 */
export class HourlyBudget {
  private used = 0;
  private start: Instant | undefined;
  private refused = 0;
  private total = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number = HOUR,
  ) {}

  private roll(now: Instant): void {
    if (!this.start || elapsed(this.start, now) >= this.windowMs) {
      this.start = now;
      this.used = 0;
    }
  }

  /** Spends `amount` if the budget has it; returns false (and spends nothing) when it does not. */
  charge(amount: number, now: Instant): boolean {
    this.roll(now);
    if (this.used + amount > this.limit) {
      this.refused++;
      return false;
    }
    this.used += amount;
    this.total += amount;
    return true;
  }

  /** Spends `amount` without checking (for budgets the emulator reports but does not enforce). */
  spend(amount: number, now: Instant): void {
    this.roll(now);
    this.used += amount;
    this.total += amount;
  }

  state(now: Instant): BudgetState {
    const active = this.start !== undefined && elapsed(this.start, now) < this.windowMs;
    const used = active ? this.used : 0;
    const resetMs = active ? this.windowMs - elapsed(this.start!, now) : this.windowMs;
    return {
      limit: this.limit,
      used,
      remaining: Math.max(0, this.limit - used),
      resetInSeconds: Math.ceil(resetMs / 1000),
      refused: this.refused,
      total: this.total,
    };
  }
}

/** GitHub's secondary limits on content-creating requests. */
export const CONTENT_PER_MINUTE = 80;
export const CONTENT_PER_HOUR = 500;

/** What a content limiter answers: allowed, or refused with the seconds to wait. */
export type ContentVerdict = { ok: true } | { ok: false; retryAfter: number; window: 'minute' | 'hour' };

/** The content-creating requests of one user (or one repository's GITHUB_TOKEN) within the last hour. */
export class ContentLimiter {
  private times: Instant[] = [];

  /** Records one content-creating request at `now`, or refuses it when a limit is reached. */
  take(now: Instant): ContentVerdict {
    while (this.times.length && elapsed(this.times[0]!, now) >= HOUR) this.times.shift();
    const inMinute = this.times.filter((t) => elapsed(t, now) < MINUTE);
    if (inMinute.length >= CONTENT_PER_MINUTE) {
      return { ok: false, window: 'minute', retryAfter: Math.max(1, Math.ceil((MINUTE - elapsed(inMinute[0]!, now)) / 1000)) };
    }
    if (this.times.length >= CONTENT_PER_HOUR) {
      return { ok: false, window: 'hour', retryAfter: Math.max(1, Math.ceil((HOUR - elapsed(this.times[0]!, now)) / 1000)) };
    }
    this.times.push(now);
    return { ok: true };
  }

  /** Content-creating requests in the last minute and the last hour. */
  usage(now: Instant): { minute: number; hour: number } {
    const hour = this.times.filter((t) => elapsed(t, now) < HOUR);
    return { minute: hour.filter((t) => elapsed(t, now) < MINUTE).length, hour: hour.length };
  }
}

// ----- length limits -----

/** GitHub's length limits, in characters. */
export const MAX_ISSUE_BODY = 65_536;
export const MAX_COMMENT_BODY = 65_536;
export const MAX_RELEASE_BODY = 125_000;
export const MAX_ISSUE_TITLE = 256;
export const MAX_LABEL_NAME = 50;

/**
 * Length as GitHub counts it: GitHub validates in Ruby, where `String#length` counts Unicode code points,
 * so an emoji outside the Basic Multilingual Plane is one character (JavaScript's `length` says 2).
 */
export function githubLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** True when `value` is a string longer than `max` characters as GitHub counts them. */
export function tooLong(value: unknown, max: number): value is string {
  // code points <= UTF-16 units, so a string within `max` units never needs counting
  return typeof value === 'string' && value.length > max && githubLength(value) > max;
}

/**
 * Throws GitHub's 422 Validation Failed for a field over its length limit:
 * `{ resource, code: 'custom', field, message: '<field> is too long (maximum is N characters)' }`.
 */
export function assertLength(resource: string, field: string, value: unknown, max: number): void {
  if (tooLong(value, max)) {
    throw new SimError(422, 'Validation Failed', [{ resource, code: 'custom', field, message: `${field} is too long (maximum is ${max} characters)` }]);
  }
}
