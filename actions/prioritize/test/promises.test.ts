// Keeping promises, the pure decisions: which open issue gets a reminder or a slip notice on a given day, whom a
// reminder goes to and whom a slip notice tells, and the texts (templates checked like the others).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@userloop/core';
import { promiseStep, type PromiseState, reminderOwners, slipPeople } from '../src/promises.ts';
import { renderReminder, renderSlipNotice } from '../src/render.ts';
import { prioritizeConfig } from './helpers.ts';

/** Issue #7, High, promised for Friday 2026-12-11. */
const high = (over: Partial<PromiseState> = {}): PromiseState => ({ number: 7, priority: 'high', due: '2026-12-11', reminded: [], slipped: [], ...over });
const at = (iso: string) => new Date(iso);
const rules = { daysBefore: 2, holidays: [] as string[] };

describe('which issue gets a reminder or a slip notice on a given day', () => {
  it('two business days before the date, every sweep until it passes, then the slip once', () => {
    expect(promiseStep(high(), at('2026-12-08T05:23:00Z'), rules)).toBeNull(); // Tuesday: three business days left
    expect(promiseStep(high(), at('2026-12-09T05:23:00Z'), rules)).toEqual({ kind: 'remind', number: 7, due: '2026-12-11' }); // Wednesday
    expect(promiseStep(high(), at('2026-12-11T23:59:59Z'), rules)).toEqual({ kind: 'remind', number: 7, due: '2026-12-11' }); // the day itself, until its end (UTC)
    expect(promiseStep(high(), at('2026-12-12T00:00:00Z'), rules)).toEqual({ kind: 'slip', number: 7, due: '2026-12-11' });
    expect(promiseStep(high(), at('2027-01-20T05:23:00Z'), rules)).toEqual({ kind: 'slip', number: 7, due: '2026-12-11' });
  });

  it('once per date: a reminder or a notice already posted for that date is not posted again', () => {
    expect(promiseStep(high({ reminded: ['2026-12-11'] }), at('2026-12-10T05:23:00Z'), rules)).toBeNull();
    expect(promiseStep(high({ reminded: ['2026-12-11'] }), at('2026-12-12T05:23:00Z'), rules)).toEqual({ kind: 'slip', number: 7, due: '2026-12-11' });
    expect(promiseStep(high({ reminded: ['2026-12-11'], slipped: ['2026-12-11'] }), at('2026-12-14T05:23:00Z'), rules)).toBeNull();
    // A reminder of another date (the promise before) does not count for this one.
    expect(promiseStep(high({ reminded: ['2026-12-04'] }), at('2026-12-10T05:23:00Z'), rules)).toEqual({ kind: 'remind', number: 7, due: '2026-12-11' });
  });

  it('a new date after a slip is a new promise: its own reminder, then its own notice', () => {
    const repromised = high({ due: '2026-12-18', reminded: ['2026-12-11'], slipped: ['2026-12-11'] });
    expect(promiseStep(repromised, at('2026-12-14T05:23:00Z'), rules)).toBeNull();
    expect(promiseStep(repromised, at('2026-12-16T05:23:00Z'), rules)).toEqual({ kind: 'remind', number: 7, due: '2026-12-18' });
    expect(promiseStep(repromised, at('2026-12-19T05:23:00Z'), rules)).toEqual({ kind: 'slip', number: 7, due: '2026-12-18' });
  });

  it('counts business days: weekends and holidays are skipped; 0 reminds on the day itself', () => {
    const monday = high({ due: '2026-12-14' });
    expect(promiseStep(monday, at('2026-12-09T05:23:00Z'), rules)).toBeNull(); // Wednesday: Thursday and Friday are left
    expect(promiseStep(monday, at('2026-12-10T05:23:00Z'), rules)?.kind).toBe('remind'); // Thursday
    expect(promiseStep(monday, at('2026-12-09T05:23:00Z'), { daysBefore: 2, holidays: ['2026-12-11'] })?.kind).toBe('remind');
    expect(promiseStep(high(), at('2026-12-10T05:23:00Z'), { daysBefore: 0, holidays: [] })).toBeNull();
    expect(promiseStep(high(), at('2026-12-11T05:23:00Z'), { daysBefore: 0, holidays: [] })?.kind).toBe('remind');
  });

  it('Low promises nothing', () => {
    expect(promiseStep(high({ priority: 'low', due: null }), at('2026-12-12T05:23:00Z'), rules)).toBeNull();
  });
});

describe('whom a reminder goes to', () => {
  const areas = [
    { name: 'Export', labels: ['area: export'], owners: ['@maria', '@acme/export-team'] },
    { name: 'Docs', labels: ['docs'], owners: ['@dora', '@maria'] },
  ];
  it('the assignees; without one, the owners of the areas its labels name; else nobody', () => {
    expect(reminderOwners(['gus', 'maria'], ['area: export'], areas)).toEqual(['@gus', '@maria']);
    expect(reminderOwners([], ['Area: Export', 'docs', 'bug'], areas)).toEqual(['@maria', '@acme/export-team', '@dora']);
    expect(reminderOwners([], ['bug'], areas)).toEqual([]);
  });
});

describe('whom a slip notice tells', () => {
  it('the reporter first, then everyone who asked, each once; no bots, nobody who opted out', () => {
    const told = slipPeople(['alice', 'Bob', 'bob', 'renovate[bot]', 'helper', 'carol'], { bots: ['helper'], optOut: ['CAROL'] });
    expect(told).toEqual({ people: ['alice', 'Bob'], more: 0 });
  });

  it('at most 50 mentioned; the rest counted', () => {
    const many = Array.from({ length: 53 }, (_, i) => `user${i}`);
    const told = slipPeople(many, { bots: [], optOut: [] });
    expect(told.people).toHaveLength(50);
    expect(told.people[0]).toBe('user0');
    expect(told.more).toBe(3);
  });
});

describe('the texts', () => {
  const config = prioritizeConfig();
  it('the reminder mentions the owners and says the date, the priority and how many were promised', () => {
    expect(renderReminder({ owners: ['@gus', '@acme/export-team'], due: '2026-12-11', priority: 'high', people: 3 }, config)).toBe(
      '@gus @acme/export-team A reminder: we told 3 people that we would get to this by Friday 2026-12-11, end of day UTC (High). If that date no longer holds, say so here before it passes.\n',
    );
  });

  it('the slip notice tells the people who were promised what happens next, in plain words', () => {
    expect(renderSlipNotice({ people: ['alice', 'bob'], more: 0, due: '2026-12-11', priority: 'high' }, config)).toBe(
      "@alice @bob We said we would get to this by Friday 2026-12-11, end of day UTC, and we did not make it. Sorry. What happens next: it stays open as High and is now on the team's list of overdue promises; we will post a new date here as soon as we have one.\n",
    );
    expect(renderSlipNotice({ people: ['alice'], more: 2, due: '2026-12-11', priority: 'fix-it-now' }, config)).toMatch(/^@alice \(and 2 more people who asked\) We said/);
  });

  it("templates are the team's own; a placeholder the key does not offer is a config error with a suggestion", () => {
    const own = prioritizeConfig('prioritize:\n  remind-days-before: 3\n  templates:\n    reminder: "{owners}: due {due}."\n    slipped: "{requesters}: {due} passed; still {priority}."\n');
    expect(own['remind-days-before']).toBe(3);
    expect(renderReminder({ owners: ['@gus'], due: '2026-12-11', priority: 'high', people: 1 }, own)).toBe('@gus: due Friday 2026-12-11, end of day UTC.\n');
    expect(renderSlipNotice({ people: ['alice'], more: 0, due: '2026-12-11', priority: 'low' }, own)).toBe('@alice: Friday 2026-12-11, end of day UTC passed; still Low.\n');
    const bad = parseConfig('prioritize:\n  templates:\n    reminder: "{owner} by {due}"\n', '.github/userloop.yml');
    expect(bad.errors.map((e) => e.message).join('\n')).toMatch(/unknown placeholder '\{owner\}'; did you mean '\{owners\}'/);
    const off = prioritizeConfig('prioritize:\n  keep-promises: false\n');
    expect(off['keep-promises']).toBe(false);
  });
});
