import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  businessMs,
  elapsedMs,
  inPeriod,
  isBusinessDay,
  isOpenAt,
  lastCompletePeriod,
  median,
  openIntervals,
  percentile,
  periodContaining,
  periodsEndingWith,
  share,
  shiftPeriod,
} from '../src/metrics.ts';

const DAY = 24 * HOUR_MS;

describe('median and nearest-rank percentile', () => {
  it('median of odd and even samples, in any order', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([8, 2, 6, 0, 62, 1])).toBe(4);
  });

  it('p90 by nearest rank: rank ceil(0.9 n), never interpolated', () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9); // rank 9
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10); // rank ceil(9.9) = 10
    expect(percentile([0, 1, 2, 6, 8, 62], 90)).toBe(62); // rank ceil(5.4) = 6
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2); // rank 2 (the median is 2.5)
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });

  it('share is null without data', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(3, 4)).toBe(0.75);
  });
});

describe('business time', () => {
  it('skips Saturdays, Sundays and holidays (UTC)', () => {
    expect(isBusinessDay('2026-11-20T23:59:59Z')).toBe(true); // Friday
    expect(isBusinessDay('2026-11-21T00:00:00Z')).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-22T12:00:00Z')).toBe(false); // Sunday
    expect(isBusinessDay('2026-11-19T12:00:00Z', ['2026-11-19'])).toBe(false);
  });

  it('Friday 16:00 to Monday 10:00 is 18 business hours', () => {
    expect(businessMs('2026-11-20T16:00:00Z', '2026-11-23T10:00:00Z') / HOUR_MS).toBe(18);
    expect(elapsedMs('2026-11-20T16:00:00Z', '2026-11-23T10:00:00Z') / HOUR_MS).toBe(66);
    expect(elapsedMs('2026-11-20T16:00:00Z', '2026-11-23T10:00:00Z', { businessDays: true }) / HOUR_MS).toBe(18);
  });

  it('a span inside a weekend is 0; a backwards span is 0; two weeks are 10 business days', () => {
    expect(businessMs('2026-11-21T01:00:00Z', '2026-11-22T23:00:00Z')).toBe(0);
    expect(businessMs('2026-11-23T00:00:00Z', '2026-11-20T00:00:00Z')).toBe(0);
    expect(businessMs('2026-11-02T09:00:00Z', '2026-11-16T09:00:00Z') / HOUR_MS).toBe(240);
  });

  it('business time over long spans is the day-by-day count (weekends, holidays on weekdays and weekends, partial days)', () => {
    const dayByDay = (from: number, to: number, holidays: readonly string[]) => {
      let total = 0;
      for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
        const weekday = new Date(day).getUTCDay();
        if (weekday === 0 || weekday === 6 || holidays.includes(new Date(day).toISOString().slice(0, 10))) continue;
        total += Math.min(to, day + DAY) - Math.max(from, day);
      }
      return Math.max(0, total);
    };
    const holidays = ['2026-12-25', '2026-12-26', '2027-01-01', '2026-11-26', '2025-07-04'];
    const base = Date.parse('2025-06-01T00:00:00Z');
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let k = 0; k < 400; k += 1) {
      const from = base + Math.floor(next() * 600 * DAY);
      const to = from + Math.floor(next() * (k % 2 === 0 ? 3 : 500) * DAY);
      expect(businessMs(from, to, holidays)).toBe(dayByDay(from, to, holidays));
    }
    expect(businessMs('2026-12-24T12:00:00Z', '2026-12-28T12:00:00Z', holidays) / HOUR_MS).toBe(24);
    expect(businessMs('2026-11-18T10:00:00Z', '2026-11-23T00:00:00Z', ['2026-11-19']) / HOUR_MS).toBe(38);
  });
});

describe('UTC periods', () => {
  it('ISO weeks start on Monday 00:00 UTC', () => {
    expect(periodContaining('week', '2026-11-22T23:59:59.999Z')).toEqual({
      kind: 'week',
      key: '2026-W47',
      start: '2026-11-16T00:00:00.000Z',
      end: '2026-11-23T00:00:00.000Z',
    });
    expect(periodContaining('week', '2026-11-23T00:00:00Z').key).toBe('2026-W48');
  });

  it('ISO week-numbering years at the turn of the year', () => {
    expect(periodContaining('week', '2026-12-31T12:00:00Z').key).toBe('2026-W53');
    expect(periodContaining('week', '2027-01-03T12:00:00Z').key).toBe('2026-W53');
    expect(periodContaining('week', '2027-01-04T00:00:00Z').key).toBe('2027-W01');
    expect(periodContaining('week', '2024-12-30T00:00:00Z').key).toBe('2025-W01');
    expect(periodContaining('week', '2021-01-03T00:00:00Z').key).toBe('2020-W53');
  });

  it('calendar months, including December to January and February of a leap year', () => {
    expect(periodContaining('month', '2026-12-31T23:59:59Z')).toEqual({
      kind: 'month',
      key: '2026-12',
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
    expect(periodContaining('month', '2028-02-29T10:00:00Z').end).toBe('2028-03-01T00:00:00.000Z');
    expect(shiftPeriod(periodContaining('month', '2027-01-15T00:00:00Z'), -1).key).toBe('2026-12');
  });

  it('the last complete period and the trend periods', () => {
    expect(lastCompletePeriod('week', '2026-11-23T06:00:00Z').key).toBe('2026-W47');
    expect(lastCompletePeriod('month', '2026-12-01T00:00:00Z').key).toBe('2026-11');
    expect(lastCompletePeriod('month', '2027-01-01T06:00:00Z').key).toBe('2026-12');
    expect(periodsEndingWith(periodContaining('week', '2027-01-05T00:00:00Z'), 3).map((p) => p.key)).toEqual([
      '2026-W52',
      '2026-W53',
      '2027-W01',
    ]);
  });

  it('periods are half-open', () => {
    const w = periodContaining('week', '2026-11-18T00:00:00Z');
    expect(inPeriod(w, '2026-11-16T00:00:00Z')).toBe(true);
    expect(inPeriod(w, '2026-11-23T00:00:00Z')).toBe(false);
    expect(inPeriod(w, null)).toBe(false);
  });
});

describe('open intervals of reopened issues', () => {
  it('closed, reopened, closed again', () => {
    const intervals = openIntervals('2026-11-02T09:00:00Z', [
      { type: 'closed', at: '2026-11-19T09:00:00Z' },
      { type: 'reopened', at: '2026-11-17T09:00:00Z' },
      { type: 'closed', at: '2026-11-05T09:00:00Z' },
    ]);
    expect(intervals).toEqual([
      { from: '2026-11-02T09:00:00Z', to: '2026-11-05T09:00:00Z' },
      { from: '2026-11-17T09:00:00Z', to: '2026-11-19T09:00:00Z' },
    ]);
    expect(isOpenAt(intervals, '2026-11-10T00:00:00Z')).toBe(false);
    expect(isOpenAt(intervals, '2026-11-18T00:00:00Z')).toBe(true);
    expect(isOpenAt(intervals, '2026-11-19T09:00:00Z')).toBe(false);
  });

  it('still open after a reopen; repeated events are ignored', () => {
    const intervals = openIntervals('2026-11-01T00:00:00Z', [
      { type: 'closed', at: '2026-11-02T00:00:00Z' },
      { type: 'closed', at: '2026-11-03T00:00:00Z' },
      { type: 'reopened', at: '2026-11-04T00:00:00Z' },
    ]);
    expect(intervals).toEqual([
      { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
      { from: '2026-11-04T00:00:00Z', to: null },
    ]);
  });
});
