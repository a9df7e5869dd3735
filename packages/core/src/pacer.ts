/**
 * Write pacing under GitHub's secondary rate limits: writes run one at a time, at least `minIntervalMs`
 * apart, never more than `maxPerMinute` in any sliding minute (GitHub's limit is 80 content-creating
 * requests per minute), and after a rate limit nothing is written before its `retry-after` has passed.
 *
 * It sits above the client (whose throttling plugin may already retry a rate-limited request a few
 * times): when a rate limit still comes through, the pacer waits for it and retries while the wait is
 * short enough, and otherwise throws {@link RateLimitedError}, so the caller can stop writing, report
 * what is left and let a re-run finish.
 */
import { httpStatus } from './errors.ts';

/** A rate limit that outlasted the pacer's patience. Everything not yet written should be left for later. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  /** How long GitHub asked to wait, in milliseconds. */
  readonly retryAfterMs: number;
  /** The error the write failed with. */
  override readonly cause: unknown;

  constructor(retryAfterMs: number, cause: unknown) {
    super(`GitHub rate limit: writes must wait ${Math.ceil(retryAfterMs / 1000)} s`);
    this.retryAfterMs = retryAfterMs;
    this.cause = cause;
  }
}

/** Options of {@link WritePacer}; every field has a safe default. */
export interface PacerOptions {
  /** Least time between the end of one write and the start of the next, in ms (default 1000). */
  minIntervalMs?: number;
  /** Most writes started in any 60-second window (default 60, at most 80). */
  maxPerMinute?: number;
  /** Retries of a rate-limited write (default 1). */
  maxRetries?: number;
  /** Longest `retry-after` worth waiting for inside the run, in ms (default 60 000); longer means {@link RateLimitedError}. */
  maxWaitMs?: number;
  /** Multiplies every wait (default 1; tests use 0 or 0.001). */
  waitScale?: number;
  /** Clock (default `Date.now`). */
  now?: () => number;
  /** Sleep (default `setTimeout`). */
  sleep?: (ms: number) => Promise<void>;
}

/** What a pacer has done so far. */
export interface PacerStats {
  /** Writes started (retries included). */
  writes: number;
  /** Rate limits met. */
  rateLimits: number;
  /** Total time spent waiting, in ms (after the scale). */
  waitedMs: number;
}

const MINUTE = 60_000;

/** A header value from an Octokit-style error (`error.response.headers`), case-insensitively. */
function header(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers;
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && v !== undefined && v !== null) return String(v);
  return undefined;
}

/**
 * How long a failed request asks to wait, in ms, when it failed because of a rate limit: a 403 or 429 with
 * `retry-after` (secondary limit), `x-ratelimit-remaining: 0` (primary limit; until `x-ratelimit-reset`) or
 * a "secondary rate limit" message (GitHub's advice: wait at least a minute). `undefined` for any other error.
 *
 * @param error - anything thrown by a request
 * @param now - the current time in ms (for the primary limit's reset time)
 */
export function rateLimitWaitMs(error: unknown, now: number = Date.now()): number | undefined {
  const status = httpStatus(error);
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = header(error, 'retry-after');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
  if (header(error, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(error, 'x-ratelimit-reset'));
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : MINUTE;
  }
  const message = error instanceof Error ? error.message : String((error as { message?: unknown } | null)?.message ?? '');
  if (/secondary rate limit|rate limit exceeded|abuse detection/i.test(message)) return MINUTE;
  return undefined;
}

/**
 * The client throttle of an action whose writes go through a {@link WritePacer}, which owns the write policy:
 * the throttling plugin does not retry a rate-limited write (`writeRetries: 0`), so a long `retry-after`
 * reaches the pacer at once and the run stops cleanly, with what is left in its summary, long before the
 * job's timeout; reads wait at most 60 s per rate limit. Pass it to `startAction` (`{ throttle }`).
 */
export const PACED_WRITES_THROTTLE = { writeRetries: 0, maxRetryAfter: 60 } as const;

/**
 * Runs writes one at a time, paced. Create one per run and send every write through {@link WritePacer.run}.
 *
 * @example
 * const pacer = new WritePacer({ minIntervalMs: config['min-interval-ms'] });
 * await pacer.run(() => octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', params));
 */
export class WritePacer {
  private readonly minIntervalMs: number;
  private readonly maxPerMinute: number;
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  private readonly scale: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly started: number[] = [];
  private lastEnd = Number.NEGATIVE_INFINITY;
  private notBefore = Number.NEGATIVE_INFINITY;
  private queue: Promise<unknown> = Promise.resolve();
  /** Counters, for the summary and tests. */
  readonly stats: PacerStats = { writes: 0, rateLimits: 0, waitedMs: 0 };

  constructor(options: PacerOptions = {}) {
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 1000);
    this.maxPerMinute = Math.min(80, Math.max(1, Math.floor(options.maxPerMinute ?? 60)));
    this.maxRetries = Math.max(0, options.maxRetries ?? 1);
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? MINUTE);
    this.scale = options.waitScale ?? 1;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** How long the next write would wait now, in ms (before the scale). */
  delay(): number {
    const now = this.now();
    let at = Math.max(this.lastEnd + this.minIntervalMs, this.notBefore);
    while (this.started.length > 0 && this.started[0]! <= now - MINUTE) this.started.shift();
    if (this.started.length >= this.maxPerMinute) at = Math.max(at, this.started[this.started.length - this.maxPerMinute]! + MINUTE);
    return Math.max(0, at - now);
  }

  /**
   * Runs `write` when its turn comes (after every earlier write, paced). A rate-limited write is retried
   * after its `retry-after` when that is at most `maxWaitMs` and retries are left; otherwise the call
   * rejects with {@link RateLimitedError}. Any other error is passed through unchanged.
   */
  run<T>(write: () => Promise<T>): Promise<T> {
    const next = this.queue.then(
      () => this.attempt(write, 0),
      () => this.attempt(write, 0),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async attempt<T>(write: () => Promise<T>, retry: number): Promise<T> {
    const wait = this.delay();
    if (wait > 0) {
      const scaled = wait * this.scale;
      this.stats.waitedMs += scaled;
      if (scaled > 0) await this.sleep(scaled);
    }
    const start = this.now();
    this.started.push(start);
    this.stats.writes += 1;
    try {
      return await write();
    } catch (error) {
      const limit = rateLimitWaitMs(error, this.now());
      if (limit === undefined) throw error;
      this.stats.rateLimits += 1;
      this.notBefore = Math.max(this.notBefore, this.now() + limit);
      if (retry >= this.maxRetries || limit > this.maxWaitMs) throw new RateLimitedError(limit, error);
      return this.attempt(write, retry + 1);
    } finally {
      this.lastEnd = Math.max(this.lastEnd, this.now());
    }
  }
}
