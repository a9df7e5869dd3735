// Promises by owner: the reminder and slip notice markers prioritize's sweep writes, read back from the bot's own
// comments, and the kept, slipped and re-promised dates of a week counted per owner on a dataset computed by hand.
import { describe, expect, it } from 'vitest';
import { periodContaining, renderMarker } from '@userloop/core';
import { computePeriod } from '../src/compute.ts';
import { buildReport } from '../src/kpis.ts';
import { toRecord } from '../src/read.ts';
import { renderReport } from '../src/render.ts';
import { item, options } from './dataset.ts';
import { BOT, issueNode, TRUST } from './issue-node.ts';

const closed = (at: string, reason = 'COMPLETED') => ({ type: 'closed' as const, at, reason });
const commitment = (due: string | null) => ({ priority: 'high' as const, due, requesters: ['someone'] });

/**
 * Week 2026-W47 (Monday 16 to Sunday 22 November). Area CLI (`area: cli`) is owned by `@alice`.
 * - #1 due Tuesday 17, closed that morning: kept (@alice, its area).
 * - #2 due Wednesday 18, reminded to @gus, still open: slipped (@gus).
 * - #3 slipped Thursday 19 (its notice recorded it; reminded to @gus), promised again for the 27th: slipped, re-promised (@gus).
 * - #4 due Friday 20, closed Saturday 21: slipped (@alice).
 * - #5 due Friday 20, closed as not planned on the 19th: withdrawn, neither.
 * - #6 due Tuesday 24: next week.
 * - #7 due Wednesday 18, open, no area, never reminded: slipped, (no owner).
 * - #8 opened by a bot: left out.
 */
const ITEMS = [
  item(1, { labels: ['area: cli'], commitment: commitment('2026-11-17'), changes: [closed('2026-11-17T09:00:00Z')], state: 'CLOSED', closedAt: '2026-11-17T09:00:00Z' }),
  item(2, { labels: ['area: cli'], commitment: commitment('2026-11-18'), promises: { slipped: [], reminded: [{ due: '2026-11-18', owners: ['@gus'] }] } }),
  item(3, { commitment: commitment('2026-11-27'), promises: { slipped: ['2026-11-19'], reminded: [{ due: '2026-11-19', owners: ['@gus'] }] } }),
  item(4, { labels: ['area: cli'], commitment: commitment('2026-11-20'), changes: [closed('2026-11-21T10:00:00Z')], state: 'CLOSED', closedAt: '2026-11-21T10:00:00Z' }),
  item(5, { labels: ['area: cli'], commitment: commitment('2026-11-20'), changes: [closed('2026-11-19T10:00:00Z', 'NOT_PLANNED')], state: 'CLOSED', closedAt: '2026-11-19T10:00:00Z', stateReason: 'NOT_PLANNED' }),
  item(6, { labels: ['area: cli'], commitment: commitment('2026-11-24') }),
  item(7, { commitment: commitment('2026-11-18') }),
  item(8, { author: 'renovate[bot]', authorIsBot: true, commitment: commitment('2026-11-18') }),
];

describe('promises by owner', () => {
  it('counts each promised date of the week once: kept, slipped, re-promised; per whom it was reminded to, else the area owners (most slipped first)', () => {
    const m = computePeriod(ITEMS, [], options());
    expect(m.promises).toEqual({ kept: 1, slipped: 4, repromised: 1 });
    expect(m.promisesByOwner).toEqual([
      { owner: '@gus', kept: 0, slipped: 2, repromised: 1 },
      { owner: '@alice', kept: 1, slipped: 1, repromised: 0 },
      { owner: '(no owner)', kept: 0, slipped: 1, repromised: 0 },
    ]);
  });

  it('the week before had none; the report says so, and shows the table for this week', () => {
    const previous = computePeriod(ITEMS, [], options(), periodContaining('week', '2026-11-10T00:00:00Z'));
    expect(previous.promises).toEqual({ kept: 0, slipped: 0, repromised: 0 });
    const body = renderReport(buildReport(ITEMS, [], options(), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', '<!-- userloop:kpi-report {"period":"2026-W47"} -->');
    expect(body).toContain('## Promises by owner\n\nPromised dates that fell in the period: **1 kept** (closed by the date), **4 slipped** (still open when it passed), 1 of them re-promised (a new date set since).\n\n');
    expect(body).toMatch(/\| `@gus` +\| +0 \| +2 \| +1 \|/);
    expect(body).toMatch(/\| `\(no owner\)` +\| +0 \| +1 \| +0 \|/);
    expect(body).toMatch(/\| All +\| +1 \| +4 \| +1 \|/);
    const empty = renderReport(buildReport([], [], options(), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', '');
    expect(empty).toContain('## Promises by owner\n\nNo promised date fell in this period.\n\n');
  });
});

describe('reading the sweep\'s notices', () => {
  const bot = BOT;
  const mallory = { __typename: 'User', login: 'mallory' };
  const comment = (author: unknown, body: string) => ({ __typename: 'IssueComment', author, authorAssociation: 'NONE', createdAt: '2026-11-20T10:00:00Z', body });
  const node = issueNode;
  const trust = TRUST;

  it("records the slipped dates and each reminder's owners from the bot's own comments only", () => {
    const r = toRecord(
      node([
        comment(bot, `@gus A reminder…\n\n${renderMarker('prioritize-reminder', { due: '2026-11-19', owners: ['@gus'] })}`),
        comment(bot, `@vic We said…\n\n${renderMarker('prioritize-slip', { due: '2026-11-19', people: ['vic'] })}`),
        comment(mallory, renderMarker('prioritize-slip', { due: '2026-11-26', people: ['vic'] })),
      ]),
      'issue',
      'o/r',
      trust,
    );
    expect(r.promises).toEqual({ slipped: ['2026-11-19'], reminded: [{ due: '2026-11-19', owners: ['@gus'] }] });
    expect(toRecord(node([]), 'issue', 'o/r', trust).promises).toBeUndefined();
  });
});
