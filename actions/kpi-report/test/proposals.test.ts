// Proposed solutions: what prioritize's marker records of a proposal and the reporter's answer, read back from
// the bot's own comments, and the time to a proposal and the proposals waiting for the user, on a week computed
// by hand.
import { describe, expect, it } from 'vitest';
import { renderPrioritizeMarker } from '@userloop/core';
import { computePeriod } from '../src/compute.ts';
import type { ItemRecord } from '../src/model.ts';
import { buildReport } from '../src/kpis.ts';
import { toRecord } from '../src/read.ts';
import { renderReport } from '../src/render.ts';
import { item, options } from './dataset.ts';
import { BOT, issueNode, TRUST } from './issue-node.ts';

type Proposal = NonNullable<NonNullable<ItemRecord['commitment']>['proposal']>;
const proposed = (p: Partial<Proposal> & Pick<Proposal, 'at'>) => ({
  priority: 'low' as const,
  due: null,
  requesters: ['someone'],
  proposal: { first: p.at, answer: null, answeredAt: null, ...p },
});
const closed = (at: string) => ({ type: 'closed' as const, at, reason: 'COMPLETED' });

/**
 * Week 2026-W47 (Monday 16 to Sunday 22 November), business time; the report's end is Monday 23 00:00, i.e.
 * Friday 20 24:00 in business time.
 * - #1 (CLI) opened Monday 09:00, proposal Monday 13:00 (4 h), answered yes Tuesday.
 * - #2 (CLI) opened Tuesday 10:00, proposal Thursday 10:00 (48 h), waiting: Thursday 10:00 to the end, 38 h.
 * - #3 (Docs) opened the Friday before 09:00, first proposal Monday 09:00 (24 h), a second one Wednesday 09:00
 *   that waits: 63 h.
 * - #4 (no area) opened the Monday before, proposal the Wednesday before, answered no Monday 16 12:00: counted as
 *   an answer only.
 * - #5 opened Wednesday, proposal Thursday, closed Friday: not waiting.
 * - #6 opened by a bot: left out.
 * - #7 proposal next week: nothing this week.
 */
const ITEMS = [
  item(1, { labels: ['area: cli'], createdAt: '2026-11-16T09:00:00Z', commitment: proposed({ at: '2026-11-16T13:00:00Z', answer: 'yes', answeredAt: '2026-11-17T09:00:00Z' }) }),
  item(2, { labels: ['area: cli'], createdAt: '2026-11-17T10:00:00Z', commitment: proposed({ at: '2026-11-19T10:00:00Z' }) }),
  item(3, { labels: ['area: docs'], createdAt: '2026-11-13T09:00:00Z', commitment: proposed({ first: '2026-11-16T09:00:00Z', at: '2026-11-18T09:00:00Z' }) }),
  item(4, { createdAt: '2026-11-09T09:00:00Z', commitment: proposed({ at: '2026-11-11T09:00:00Z', answer: 'no', answeredAt: '2026-11-16T12:00:00Z' }) }),
  item(5, { createdAt: '2026-11-18T09:00:00Z', commitment: proposed({ at: '2026-11-19T09:00:00Z' }), changes: [closed('2026-11-20T09:00:00Z')], state: 'CLOSED', closedAt: '2026-11-20T09:00:00Z' }),
  item(6, { createdAt: '2026-11-17T09:00:00Z', author: 'renovate[bot]', authorIsBot: true, commitment: proposed({ at: '2026-11-17T10:00:00Z' }) }),
  item(7, { createdAt: '2026-11-18T09:00:00Z', commitment: proposed({ at: '2026-11-24T09:00:00Z' }) }),
];

describe('proposed solutions', () => {
  it('time to a proposal, proposals waiting for the user (and the oldest), answers; per area', () => {
    const p = computePeriod(ITEMS, [], options()).proposals;
    // First proposals in the week: #1 4 h, #2 48 h, #3 24 h, #5 24 h.
    expect(p.time).toEqual({ count: 4, median: 24, p90: 48 });
    expect(p.waiting).toBe(2);
    expect(p.oldestHours).toBe(63);
    expect(p.items.map((i) => [i.number, i.waitingHours])).toEqual([
      [3, 63],
      [2, 38],
    ]);
    expect([p.yes, p.no]).toEqual([1, 1]);
    expect(p.byArea).toEqual([
      { name: 'CLI', owners: ['@alice'], time: { count: 2, median: 26, p90: 48 }, waiting: 1, oldestHours: 38, yes: 1, no: 0 },
      { name: 'Docs', owners: ['@org/docs-team'], time: { count: 1, median: 24, p90: 24 }, waiting: 1, oldestHours: 63, yes: 0, no: 0 },
      { name: 'Unowned', owners: [], time: { count: 1, median: 24, p90: 24 }, waiting: 0, oldestHours: null, yes: 0, no: 1 },
    ]);
    // The week before: #4's proposal waited at its end (#3's latest proposal came later).
    const before = computePeriod(ITEMS, [], options({ period: { ...options().period, key: '2026-W46', start: '2026-11-09T00:00:00Z', end: '2026-11-16T00:00:00Z' } })).proposals;
    expect(before.waiting).toBe(1);
    expect(before.items[0]?.number).toBe(4);
  });

  it('the KPI summary has both numbers; the report a section with the areas and the waiting list', () => {
    const data = buildReport(ITEMS, [], options(), {}, ['octo-org/octo-repo']);
    expect(data.kpis.find((k) => k.id === 'proposal-median-hours')).toMatchObject({ label: 'Time to a proposal, median', value: 24, n: 4 });
    expect(data.kpis.find((k) => k.id === 'proposals-waiting')).toMatchObject({ label: 'Proposals waiting for the user', value: 2, previous: 1 });
    const body = renderReport(data, 'KPI report 2026-W47', '');
    expect(body).toMatch(/\| Time to a proposal, median +\| +24 h \(n=4\) \|/);
    expect(body).toMatch(/\| Proposals waiting for the user +\| +2 \| +1 \|/);
    expect(body).toContain(
      "## Proposed solutions\n\nTime to a proposal (from the issue's opening to its first proposed solution): **24 h** (median, n=4; p90 2 d); **2 waiting for the reporter's answer** (the oldest for 2.6 d); answers in the period: 1 yes, 1 no.\n\n",
    );
    expect(body).toMatch(/\| CLI +\| `@alice` +\| +26 h \(n=2\) \| +1 \(38 h\) \| +1 \| +0 \|/);
    expect(body).toMatch(/\| All +\| – +\| +24 h \(n=4\) \| +2 \(2.6 d\) \| +1 \| +1 \|/);
    expect(body).toContain('<details><summary>Proposals waiting for the reporter (2)</summary>');
    expect(body).toMatch(/\| +2.6 d \| \[#3\]\(https:\/\/github\.com\/octo-org\/octo-repo\/issues\/3\) Item 3 \|/);
    const empty = renderReport(buildReport([], [], options(), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', '');
    expect(empty).toContain('## Proposed solutions\n\nNo solution was proposed, answered or waiting in this period.\n\n');
    expect(empty).not.toContain('Proposals waiting for the reporter (');
  });

  it("reads the proposal and the answer from the bot's reply", () => {
    const reply = (proposal: Record<string, unknown>) => ({
      __typename: 'IssueComment',
      author: BOT,
      authorAssociation: 'NONE',
      createdAt: '2026-11-16T09:00:00Z',
      body: `Thanks.\n\n${renderPrioritizeMarker({ priority: 'low', path: [], due: null, ledger: { requesters: [], places: [] }, proposal: proposal as never })}`,
    });
    const base = { at: '2026-11-17T09:00:00Z', by: 'maria', url: 'https://github.com/o/r/issues/3#issuecomment-9', snippet: true, first: '2026-11-16T11:00:00Z' };
    const waiting = toRecord(issueNode([reply(base)]), 'issue', 'o/r', TRUST);
    expect(waiting.commitment?.proposal).toEqual({ first: '2026-11-16T11:00:00Z', at: '2026-11-17T09:00:00Z', answer: null, answeredAt: null });
    const answered = toRecord(issueNode([reply({ ...base, answer: 'yes', answeredAt: '2026-11-18T09:00:00Z', via: 'reaction' })]), 'issue', 'o/r', TRUST);
    expect(answered.commitment?.proposal).toEqual({ first: '2026-11-16T11:00:00Z', at: '2026-11-17T09:00:00Z', answer: 'yes', answeredAt: '2026-11-18T09:00:00Z' });
  });
});
