import { describe, expect, it } from 'vitest';
import { RateLimitedError, WritePacer, rateLimitWaitMs } from '../src/pacer.ts';

/** A fake clock: sleeping moves time forward. */
function clock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

const limited = (retryAfter: string | undefined, status = 403, message = 'You have exceeded a secondary rate limit.') =>
  Object.assign(new Error(message), { status, response: { headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } } });

describe('rateLimitWaitMs', () => {
  it('reads retry-after, the primary reset, or the secondary message; nothing for other errors', () => {
    expect(rateLimitWaitMs(limited('30'))).toBe(30_000);
    expect(rateLimitWaitMs(limited('5', 429))).toBe(5000);
    expect(rateLimitWaitMs(limited(undefined))).toBe(60_000);
    const primary = Object.assign(new Error('API rate limit exceeded'), {
      status: 403,
      response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1010' } },
    });
    expect(rateLimitWaitMs(primary, 1_000_000)).toBe(10_000);
    expect(rateLimitWaitMs(Object.assign(new Error('Unable to create comment because issue is locked.'), { status: 403 }))).toBeUndefined();
    expect(rateLimitWaitMs(Object.assign(new Error('Not Found'), { status: 404 }))).toBeUndefined();
    expect(rateLimitWaitMs('boom')).toBeUndefined();
  });
});

describe('WritePacer', () => {
  it('runs writes one at a time, at least minIntervalMs apart', async () => {
    const c = clock();
    const pacer = new WritePacer({ minIntervalMs: 1000, now: c.now, sleep: c.sleep });
    const starts: number[] = [];
    let running = 0;
    const write = async () => {
      expect(running).toBe(0);
      running += 1;
      starts.push(c.now());
      c.advance(200);
      running -= 1;
    };
    await Promise.all([pacer.run(write), pacer.run(write), pacer.run(write)]);
    expect(starts.map((s) => s - starts[0]!)).toEqual([0, 1200, 2400]);
    expect(pacer.stats.writes).toBe(3);
  });

  it('keeps at most maxPerMinute writes in any minute', async () => {
    const c = clock();
    const pacer = new WritePacer({ minIntervalMs: 0, maxPerMinute: 3, now: c.now, sleep: c.sleep });
    const starts: number[] = [];
    for (let i = 0; i < 5; i += 1) await pacer.run(async () => void starts.push(c.now()));
    const t0 = starts[0]!;
    expect(starts.map((s) => s - t0)).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  it('caps maxPerMinute at 80, GitHub’s secondary limit', async () => {
    const c = clock();
    const pacer = new WritePacer({ minIntervalMs: 0, maxPerMinute: 500, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 81; i += 1) await pacer.run(async () => undefined);
    expect(c.sleeps).toEqual([60_000]);
  });

  it('honours retry-after: waits, retries, and holds every later write back too', async () => {
    const c = clock();
    const pacer = new WritePacer({ minIntervalMs: 0, maxRetries: 1, now: c.now, sleep: c.sleep });
    let calls = 0;
    const result = await pacer.run(async () => {
      calls += 1;
      if (calls === 1) throw limited('20');
      return c.now();
    });
    expect(calls).toBe(2);
    expect(c.sleeps).toEqual([20_000]);
    expect(result).toBe(1_020_000);
    expect(pacer.stats.rateLimits).toBe(1);
  });

  it('throws RateLimitedError when the wait is too long or retries run out, and passes other errors through', async () => {
    const c = clock();
    const pacer = new WritePacer({ minIntervalMs: 0, maxWaitMs: 10_000, now: c.now, sleep: c.sleep });
    const error = await pacer.run(() => Promise.reject(limited('600'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(600_000);
    const notFound = Object.assign(new Error('Not Found'), { status: 404 });
    await expect(pacer.run(() => Promise.reject(notFound))).rejects.toBe(notFound);
    // The queue goes on after a failure, after the retry-after the limit asked for.
    await expect(pacer.run(async () => 'ok')).resolves.toBe('ok');
    expect(c.sleeps.at(-1)).toBe(600_000);
  });

  it('scales waits (tests run with 0)', async () => {
    const c = clock();
    const pacer = new WritePacer({ minIntervalMs: 1000, waitScale: 0, now: c.now, sleep: c.sleep });
    await pacer.run(async () => undefined);
    await pacer.run(async () => undefined);
    expect(c.sleeps).toEqual([]);
  });
});
