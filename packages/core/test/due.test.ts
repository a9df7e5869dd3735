import { describe, expect, it } from 'vitest';
import { dueDate, dueDeadline, dueWords, endOfWeek, nextBusinessDay } from '../src/priority.ts';

describe('the due date promised for a priority', () => {
  it.each([
    ['2026-12-04T16:00:00Z', '2026-12-11'], // Friday -> Friday of next week (not 2026-12-18)
    ['2026-11-30T08:00:00Z', '2026-12-11'], // Monday -> Friday of next week
    ['2026-12-05T10:00:00Z', '2026-12-11'], // Saturday: still the week of 2026-11-30
    ['2026-12-06T23:59:00Z', '2026-12-11'], // Sunday
    ['2026-12-07T00:00:00Z', '2026-12-18'], // the next Monday starts the next week
  ])('High rated at %s is due %s', (at, expected) => {
    expect(dueDate('high', at)).toBe(expected);
  });
  it('High: a holiday on that Friday moves the date back to the Thursday; a week of holidays to the Monday after', () => {
    expect(dueDate('high', '2026-12-04T16:00:00Z', undefined, ['2026-12-11'])).toBe('2026-12-10');
    expect(endOfWeek('2026-12-04', 1, ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11'])).toBe('2026-12-14');
    expect(endOfWeek('2026-12-02', 0)).toBe('2026-12-04');
  });
  it.each([
    ['2026-12-04T16:00:00Z', '2026-12-07'], // Friday -> Monday
    ['2026-12-05T10:00:00Z', '2026-12-07'], // Saturday -> Monday, not Tuesday
    ['2026-12-08T10:00:00Z', '2026-12-09'],
  ])('Fix it now rated at %s is due %s (the next business day)', (at, expected) => {
    expect(dueDate('fix-it-now', at)).toBe(expected);
  });
  it('Low has none; the old business-day count for High still works when set', () => {
    expect(dueDate('low', '2026-12-04T16:00:00Z')).toBeNull();
    expect(dueDate('high', '2026-12-04T16:00:00Z', { businessDays: { 'fix-it-now': 1, high: 10 }, weeks: { high: 1 } })).toBe('2026-12-18');
    expect(dueDate('high', '2026-12-04T16:00:00Z', { businessDays: { 'fix-it-now': 1 }, weeks: { high: 2 } })).toBe('2026-12-18');
    expect(nextBusinessDay('2026-12-05', 0)).toBe('2026-12-07');
  });
  it('lapses at the end of the day, UTC, and says so', () => {
    expect(dueDeadline('2026-12-11')).toBe(Date.parse('2026-12-12T00:00:00Z'));
    expect(() => dueDeadline('next week')).toThrow(/not a date YYYY-MM-DD: next week/);
    expect(dueWords('2026-12-11')).toBe('Friday 2026-12-11, end of day UTC');
  });
});
