// Missing information: what prioritize's marker records of required information asked for, read back from the
// bot's own comments, and how often it was missing and how long completing it took, on a week computed by hand.
import { describe, expect, it } from 'vitest';
import { renderPrioritizeMarker } from '@userloop/core';
import { computePeriod } from '../src/compute.ts';
import { buildReport } from '../src/kpis.ts';
import { toRecord } from '../src/read.ts';
import { renderReport } from '../src/render.ts';
import { item, options } from './dataset.ts';
import { BOT, issueNode, TRUST } from './issue-node.ts';

const asked = (at: string, completed: string | null = null) => ({ priority: 'low' as const, due: null, requesters: ['someone'], info: { asked: at, completed } });
const closed = (at: string) => ({ type: 'closed' as const, at, reason: 'COMPLETED' });

/**
 * Week 2026-W47 (Monday 16 to Sunday 22 November), business time.
 * - #1 opened and asked Monday 09:00, complete 13:00: 4 h.
 * - #2 opened and asked Tuesday 10:00, complete Thursday 10:00: 48 h.
 * - #3 opened and asked Wednesday, never complete, open: waiting.
 * - #4 opened Thursday, complete at once: never asked.
 * - #5 opened and asked Friday, complete the next Monday: waiting at the end of the week.
 * - #6 opened and asked the Wednesday before, complete Monday 16 09:00: 72 business hours, completed this week.
 * - #7 opened by a bot: left out.
 * - #8 opened and asked Thursday, closed Friday without it: not waiting.
 */
const ITEMS = [
  item(1, { createdAt: '2026-11-16T09:00:00Z', commitment: asked('2026-11-16T09:00:00Z', '2026-11-16T13:00:00Z') }),
  item(2, { createdAt: '2026-11-17T10:00:00Z', commitment: asked('2026-11-17T10:00:00Z', '2026-11-19T10:00:00Z') }),
  item(3, { createdAt: '2026-11-18T09:00:00Z', commitment: asked('2026-11-18T09:00:00Z') }),
  item(4, { createdAt: '2026-11-19T09:00:00Z', commitment: { priority: 'low', due: null, requesters: ['someone'] } }),
  item(5, { createdAt: '2026-11-20T09:00:00Z', commitment: asked('2026-11-20T09:00:00Z', '2026-11-23T09:00:00Z') }),
  item(6, { createdAt: '2026-11-11T09:00:00Z', commitment: asked('2026-11-11T09:00:00Z', '2026-11-16T09:00:00Z') }),
  item(7, { createdAt: '2026-11-17T09:00:00Z', author: 'renovate[bot]', authorIsBot: true, commitment: asked('2026-11-17T09:00:00Z') }),
  item(8, { createdAt: '2026-11-19T09:00:00Z', commitment: asked('2026-11-19T09:00:00Z'), changes: [closed('2026-11-20T09:00:00Z')], state: 'CLOSED', closedAt: '2026-11-20T09:00:00Z' }),
];

describe('missing information', () => {
  it('how often the first reply asked, how long completing it took, how many still wait', () => {
    expect(computePeriod(ITEMS, [], options()).missingInfo).toEqual({
      opened: 6,
      asked: 5,
      askedShare: 5 / 6,
      completion: { count: 3, median: 48, p90: 72 },
      waiting: 2,
    });
    expect(computePeriod(ITEMS, [], options({ businessDays: false })).missingInfo.completion).toEqual({ count: 3, median: 48, p90: 120 });
  });

  it('the report says it in one paragraph, and when nothing was missing', () => {
    const body = renderReport(buildReport(ITEMS, [], options(), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', '');
    expect(body).toContain(
      '## Missing information\n\nOf 6 issues opened, **5 (83%)** were missing information we need to debug them; completing it took 2 d (median; p90 3 d) for the 3 completed in the period; 2 open issues still wait for it.\n\n',
    );
    const empty = renderReport(buildReport([], [], options(), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', '');
    expect(empty).toContain('## Missing information\n\nNo issue was missing information to debug it in this period.\n\n');
  });

  it("reads when it was asked and completed from the bot's reply; still missing is not complete", () => {
    const reply = (info: { asked: string; missing: string[]; completed?: string }) => ({
      __typename: 'IssueComment',
      author: BOT,
      authorAssociation: 'NONE',
      createdAt: '2026-11-16T09:00:00Z',
      body: `Thanks.\n\n${renderPrioritizeMarker({ priority: 'low', path: [], due: null, ledger: { requesters: [], places: [] }, info })}`,
    });
    const done = toRecord(issueNode([reply({ asked: '2026-11-16T09:00:00.000Z', missing: [], completed: '2026-11-17T09:00:00.000Z' })]), 'issue', 'o/r', TRUST);
    expect(done.commitment?.info).toEqual({ asked: '2026-11-16T09:00:00.000Z', completed: '2026-11-17T09:00:00.000Z' });
    const open = toRecord(issueNode([reply({ asked: '2026-11-16T09:00:00.000Z', missing: ['version'] })]), 'issue', 'o/r', TRUST);
    expect(open.commitment?.info).toEqual({ asked: '2026-11-16T09:00:00.000Z', completed: null });
  });
});
