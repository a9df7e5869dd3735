import { describe, expect, it } from 'vitest';
import { computePeriod, computeTrend, firstResponse, isFeaturePull, openAt } from '../src/compute.ts';
import { buildReport } from '../src/kpis.ts';
import { ITEMS, RELEASES, item, options } from './dataset.ts';

// Hand computation (business time: weekends do not count):
//  #1  Mon 16 09:00, answered 11:00 -> 2 h; closed Tue 17 09:00 -> 1 d; due 11-17, kept.
//  #2  Fri 20 16:00, reply Mon 23 10:00 is after the week -> waiting 8 h (Fri 16:00-24:00); due 11-20: overdue.
//  #4  Wed 18 10:00, no reply -> waiting 14 + 24 + 24 = 62 h (over the 24 h goal).
//  #9  Mon 16 00:00 (first instant), answered 06:00 -> 6 h; closed as duplicate (left out of close times).
//  #10 Sun 22 23:59:59 (last second), no reply -> waiting 0 business hours.
//  PR 20 Tue 17 09:00, answered 10:00 -> 1 h.   #6, PR 21: closed without a reply.
//  sample [0, 1, 2, 6, 8, 62]: median (2 + 6) / 2 = 4; p90 rank ceil(0.9 x 6) = 6 -> 62.
//  within goal: #1, #9, PR 20 = 3; missed: #4 (62 h > 24 h); #2 and #10 are still within the goal -> 3 / 4.
//  #5  Mon 2 09:00 -> closed, reopened Tue 17, closed Thu 19 09:00: 10 business days + 3 = 13 d.
//  close times [1, 13]: median 7, p90 rank ceil(1.8) = 2 -> 13.

describe('computePeriod on the hand-computed week 2026-W47', () => {
  const m = computePeriod(ITEMS, RELEASES, options());

  it('counts open issues by priority at the last millisecond of the week', () => {
    expect(m.period).toEqual({ kind: 'week', key: '2026-W47', start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' });
    // #2 high (marker), #3 low (label), #4 high (label), #8 high (marker), #10 none; #11 opened at the end instant is not in.
    expect(m.overall.open).toEqual({ total: 5, 'fix-it-now': 0, high: 3, low: 1, none: 1 });
  });

  it('counts opened, closed and reopened issues at the UTC edges, leaving out bots and the report itself', () => {
    expect(m.overall.opened).toBe(6); // 1, 2, 4, 6, 9 (first instant), 10 (last second)
    expect(m.overall.closed).toBe(4); // 1, 5, 6 (not planned), 9 (duplicate)
    expect(m.overall.reopened).toBe(1); // 5
  });

  it('measures time to first response in business hours with unanswered issues kept in the sample', () => {
    expect(m.overall.firstResponse).toEqual({
      count: 6,
      median: 4,
      p90: 62,
      answered: 3,
      unanswered: 3,
      closedWithoutReply: 2,
      withinGoal: 0.75,
      // 3 answered (all within the goal) and 1 unanswered that already waited longer than it: 3 of 4.
      goalSample: 4,
    });
  });

  it('lists what is still waiting for a first response, oldest first', () => {
    expect(m.overall.waiting.count).toBe(3);
    expect(m.overall.waiting.oldestHours).toBe(62);
    expect(m.overall.waiting.items.map((i) => [i.number, i.waitingHours])).toEqual([
      [4, 62],
      [2, 8],
      [10, 0],
    ]);
  });

  it('measures time to close by priority, leaving out not planned and duplicates', () => {
    expect(m.overall.close).toEqual({
      'fix-it-now': { count: 1, median: 1, p90: 1 },
      high: { count: 0, median: null, p90: null },
      low: { count: 1, median: 13, p90: 13 },
      none: { count: 0, median: null, p90: null },
      all: { count: 2, median: 7, p90: 13 },
    });
  });

  it('tracks commitments: overdue by owner and the share kept on time', () => {
    expect(m.overall.commitments.dueInPeriod).toBe(2); // #1 (11-17), #2 (11-20)
    expect(m.overall.commitments.kept).toBe(1);
    expect(m.overall.commitments.keptShare).toBe(0.5);
    expect(m.overdueByOwner).toEqual([
      { owner: '@alice', items: [expect.objectContaining({ number: 2, due: '2026-11-20' })] },
      { owner: '@org/docs-team', items: [expect.objectContaining({ number: 8, due: '2026-11-13' })] },
    ]);
  });

  it('ranks open issues by requesters (ledger, bots left out; the author when there is no ledger)', () => {
    expect(m.topRequested.map((i) => [i.number, i.requesters, i.priority])).toEqual([
      [2, 2, 'high'],
      [3, 1, 'low'],
      [4, 1, 'high'],
    ]);
  });

  it('splits by area (labels, and paths for pull requests) and lists unowned issues', () => {
    const cli = m.areas.find((a) => a.name === 'CLI');
    expect(cli?.open).toEqual({ total: 2, 'fix-it-now': 0, high: 2, low: 0, none: 0 });
    expect([cli?.opened, cli?.closed, cli?.reopened]).toEqual([3, 2, 1]);
    // #1 2 h, #2 8 h (waiting), #4 62 h (waiting), PR 20 1 h (src/cli/**)
    expect(cli?.firstResponse).toMatchObject({ count: 4, median: 5, p90: 62, answered: 2, unanswered: 2 });
    expect(cli?.firstResponse.withinGoal).toBeCloseTo(2 / 3, 10);
    expect(cli?.commitments.overdue.map((o) => o.number)).toEqual([2]);
    const docs = m.areas.find((a) => a.name === 'Docs');
    expect(docs?.open.total).toBe(1);
    expect(docs?.firstResponse).toMatchObject({ count: 0, median: null, p90: null });
    expect(m.unownedItems.map((i) => i.number)).toEqual([3, 10]);
    expect(m.unowned.open.total).toBe(2);
  });

  it('counts shipping: releases, merged and feature pull requests, docs, skips, people notified', () => {
    expect(m.shipping).toEqual({
      releases: [
        { repository: 'octo-org/octo-repo', tagName: 'v1.2.0', url: 'https://github.com/octo-org/octo-repo/releases/tag/v1.2.0', publishedAt: '2026-11-19T10:00:00Z' },
      ],
      mergedPulls: 3, // 20, 21 and the bot's 22
      featurePulls: 2, // 20 (feat title), 21 (enhancement label)
      featurePullsWithDocs: 1,
      featurePullsDocsUnknown: 0,
      docsSkips: 1,
      docsShare: 0.5,
      peopleNotified: 5, // uma, vic, wes, zed, amy (Uma counted once)
    });
  });
});

describe('scopes and time modes', () => {
  it('members scope: only OWNER, MEMBER or COLLABORATOR responses count', () => {
    const m = computePeriod(ITEMS, RELEASES, options({ responderScope: 'members' }));
    // #3 (answered only by xena, NONE) now waits: Tue 10 12:00 -> Mon 23 00:00 = 12 + 3 x 24 + 5 x 24 = 204 h;
    // #8 (answered only by dora, NONE): Tue 3 10:00 -> 14 + 3 x 24 + 5 x 24 + 5 x 24 = 326 h.
    expect(m.overall.waiting.items.map((i) => [i.number, i.waitingHours])).toEqual([
      [8, 326],
      [3, 204],
      [4, 62],
      [2, 8],
      [10, 0],
    ]);
  });

  it('owners scope: the area owners (teams expanded); unowned items fall back to members', () => {
    const items = ITEMS;
    const o = options({ responderScope: 'owners' });
    expect(firstResponse(items[7]!, o.period.end, 'owners', o.bots, ['dora'])).toBe('2026-11-03T11:00:00Z');
    expect(firstResponse(items[7]!, o.period.end, 'owners', o.bots, ['alice'])).toBeNull();
    const m = computePeriod(ITEMS, RELEASES, o);
    // #9 (unowned) was answered by dan (NONE): not a member, so it closed without a reply.
    expect(m.overall.firstResponse).toMatchObject({ answered: 2, unanswered: 3, closedWithoutReply: 3 });
  });

  it("the first response is the earliest by time, in any order a records file holds the responses, and each period sees the one before its end", () => {
    const responses = [
      { login: 'bob', association: 'MEMBER', at: '2026-11-25T09:00:00Z' },
      { login: 'dora', association: 'MEMBER', at: '2026-11-17T09:00:00Z' },
      { login: 'erin', association: 'NONE', at: '2026-11-16T10:00:00Z' },
    ];
    const o = options({ responderScope: 'members', businessDays: false });
    const it1 = item(1, { responses });
    expect(firstResponse(it1, o.period.end, 'members', o.bots, [])).toBe('2026-11-17T09:00:00Z');
    expect(firstResponse(it1, '2026-11-17T09:00:00Z', 'members', o.bots, [])).toBeNull();
    expect(firstResponse(it1, Infinity, 'anyone', o.bots, [])).toBe('2026-11-16T10:00:00Z');
    // Opened 2026-11-16 09:00, answered by a member 24 h later, within the report's week.
    expect(computePeriod([it1], [], o).overall.firstResponse).toMatchObject({ answered: 1, median: 24 });
  });

  it('calendar time when business days are off', () => {
    const m = computePeriod(ITEMS, RELEASES, options({ businessDays: false }));
    // #4 Wed 18 10:00 -> Mon 23 00:00 = 110 h; #2 Fri 16:00 -> Mon 00:00 = 56 h; #10 1 s.
    expect(m.overall.waiting.items.map((i) => [i.number, i.waitingHours])).toEqual([
      [4, 110],
      [2, 56],
      [10, 1 / 3600],
    ]);
    expect(m.overall.close.low).toEqual({ count: 1, median: 17, p90: 17 }); // Nov 2 09:00 -> Nov 19 09:00
  });

  it('holidays do not count as business time', () => {
    const m = computePeriod(ITEMS, RELEASES, options({ holidays: ['2026-11-19'] }));
    expect(m.overall.waiting.items[0]).toMatchObject({ number: 4, waitingHours: 38 });
  });
});

describe('the previous period, the trend and the KPI rows', () => {
  const report = buildReport(ITEMS, RELEASES, options(), { 'first-response-median-hours': 8, overdue: 0, 'answered-within-goal': 0.7 }, ['octo-org/octo-repo']);

  it('computes the previous week from the same records', () => {
    const kpi = Object.fromEntries(report.kpis.map((k) => [k.id, [k.value, k.previous, k.change, k.goal, k.met]]));
    expect(kpi).toEqual({
      open: [5, 2, 3, null, null],
      opened: [6, 1, 5, null, null],
      closed: [4, 0, 4, null, null],
      'first-response-median-hours': [4, 48, -44, 8, true],
      'first-response-p90-hours': [62, 48, 14, null, null],
      'answered-within-goal': [0.75, 0, 0.75, 0.7, true],
      unanswered: [3, 0, 3, null, null],
      'close-median-days': [7, null, null, null, null],
      'close-p90-days': [13, null, null, null, null],
      overdue: [2, 1, 1, 0, false],
      'commitments-kept': [0.5, 0, 0.5, null, null],
      'docs-share': [0.5, null, null, null, null],
      merged: [3, 1, 2, null, null],
      'people-notified': [5, 0, 5, null, null],
      // No solution was proposed in the dataset (proposals.test.ts counts them).
      'proposal-median-hours': [null, null, null, null, null],
      'proposals-waiting': [0, 0, 0, null, null],
    });
  });

  it('draws open issues by priority at the end of each period', () => {
    expect(computeTrend(ITEMS, options())).toEqual({
      periods: ['2026-W45', '2026-W46', '2026-W47'],
      series: { 'fix-it-now': [0, 0, 0], high: [1, 1, 3], low: [0, 1, 1], none: [0, 0, 0 + 1] },
    });
    expect(report.trend.periods).toHaveLength(3);
  });
});

describe('small rules', () => {
  it('feature pull requests by label or conventional title', () => {
    const f = { labels: ['feature'], titleTypes: ['feat'] };
    const pull = (title: string, labels: string[] = []) => item(1, { kind: 'pull', title, labels });
    expect(isFeaturePull(pull('feat: x'), f)).toBe(true);
    expect(isFeaturePull(pull('feat(cli): x'), f)).toBe(true);
    expect(isFeaturePull(pull('feat!: x'), f)).toBe(true);
    expect(isFeaturePull(pull('Feat(a)!: x'), f)).toBe(true);
    expect(isFeaturePull(pull('fix: x'), f)).toBe(false);
    expect(isFeaturePull(pull('feature: x'), f)).toBe(false);
    expect(isFeaturePull(pull('x', ['Feature']), f)).toBe(true);
  });

  it('open at the end: closed exactly at the end counts as open, opened exactly at the end does not', () => {
    const end = '2026-11-23T00:00:00Z';
    expect(openAt(item(1, { createdAt: end }), end)).toBe(false);
    expect(openAt(item(1, { createdAt: '2026-11-20T00:00:00Z', changes: [{ type: 'closed', at: end }], state: 'CLOSED', closedAt: end }), end)).toBe(true);
  });

  it('an incomplete timeline falls back to the current state', () => {
    const i = item(1, { createdAt: '2026-11-01T00:00:00Z', state: 'CLOSED', closedAt: '2026-11-10T00:00:00Z', stateReason: 'COMPLETED', timelineComplete: false });
    expect(openAt(i, '2026-11-09T00:00:00Z')).toBe(true);
    expect(openAt(i, '2026-11-11T00:00:00Z')).toBe(false);
  });
});
