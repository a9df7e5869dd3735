// What a long read leaves the token of its hour: half of it, or what a read allowed more than half leaves.
import { describe, expect, it } from 'vitest';
import { leavesTooFew } from '../src/graphql.ts';

describe('leavesTooFew', () => {
  const token = (remaining: number, limit = 1000) => ({ limit, remaining });

  it('keeps half of the hour: a query goes while it leaves at least half', () => {
    expect(leavesTooFew(token(504), 4)).toBe(false); // leaves 500
    expect(leavesTooFew(token(503), 4)).toBe(true); // would leave 499
    expect(leavesTooFew(token(2504, 5000), 4)).toBe(false); // a personal access token's 5,000: 2,500 kept
    expect(leavesTooFew(token(2503, 5000), 4)).toBe(true);
  });

  it('a read allowed less than half (max-points 300) still keeps only half, not what 300 would leave', () => {
    expect(leavesTooFew(token(504), 4, 300)).toBe(false);
    expect(leavesTooFew(token(503), 4, 300)).toBe(true);
  });

  it('a read allowed more than half keeps what it leaves: 900 of 1,000 keeps 100; the whole hour or more keeps nothing', () => {
    expect(leavesTooFew(token(104), 4, 900)).toBe(false);
    expect(leavesTooFew(token(103), 4, 900)).toBe(true);
    expect(leavesTooFew(token(4), 4, 1000)).toBe(false);
    expect(leavesTooFew(token(3), 4, 5000)).toBe(true); // GitHub would refuse it anyway
  });
});
