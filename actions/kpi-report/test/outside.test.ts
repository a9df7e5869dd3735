// People who asked outside GitHub (recorded with `/requested-by` or prioritize's intake, counted in the
// prioritize marker) in the KPI report: the "Most requested" counts include them, an issue the intake opened
// (its author the bot) is ranked like a person's, and the report says how many asked outside GitHub.
import { describe, expect, it } from 'vitest';
import { computePeriod } from '../src/compute.ts';
import { buildReport } from '../src/kpis.ts';
import type { ItemRecord } from '../src/model.ts';
import { renderReport } from '../src/render.ts';
import { item, options } from './dataset.ts';

const MARKER = '<!-- userloop:kpi-report {"period":"2026-W47"} -->';
const commitment = (requesters: string[], more: Partial<NonNullable<ItemRecord['commitment']>> = {}): ItemRecord['commitment'] => ({
  priority: 'high',
  due: null,
  requesters,
  ...more,
});

const ITEMS: ItemRecord[] = [
  // Two GitHub users and two people outside GitHub.
  item(1, { author: 'alice', commitment: commitment(['alice', 'bob'], { outside: 2 }) }),
  // Three GitHub users (a bot in the ledger left out), nobody outside.
  item(2, { author: 'carol', commitment: commitment(['carol', 'dan', 'erin', 'helper-bot']) }),
  // Opened by prioritize's intake for someone on Discord: the bot is its author, the person outside counts.
  item(3, { author: 'github-actions[bot]', authorIsBot: true, commitment: commitment([], { outside: 1 }) }),
  // A bot's issue nobody asked for: left out.
  item(4, { author: 'helper-bot', authorIsBot: true }),
  // Closed before the end of the week: not open, not counted.
  item(5, { author: 'fay', state: 'CLOSED', closedAt: '2026-11-18T09:00:00Z', changes: [{ type: 'closed', at: '2026-11-18T09:00:00Z', reason: 'COMPLETED' }], commitment: commitment(['fay'], { outside: 5 }) }),
  // A long ledger whose marker keeps only the newest requesters: its counts, plus one outside.
  item(6, { author: 'gil', commitment: commitment(['gil'], { requesterCount: 40, outside: 1 }) }),
];

describe('people who asked outside GitHub in the KPI report', () => {
  const m = computePeriod(ITEMS, [], options({ topRequested: 10 }));

  it('"Most requested" counts them with the GitHub requesters, and ranks an issue the intake opened', () => {
    expect(m.topRequested.map((i) => [i.number, i.requesters, i.outside])).toEqual([
      [6, 41, 1],
      [1, 4, 2],
      [2, 3, 0],
      [3, 1, 1],
    ]);
  });

  it('counts everyone who asked outside GitHub for the issues open at the end of the period', () => {
    expect(m.outsideRequesters).toBe(4);
    // The week before, none of them was open yet: nobody is counted.
    const earlier = computePeriod(ITEMS, [], options({ topRequested: 10 }), { kind: 'week', key: '2026-W46', start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' });
    expect(earlier.outsideRequesters).toBe(0);
  });

  it('the report says how many asked outside GitHub, above the "Most requested" table whose counts include them', () => {
    const body = renderReport(buildReport(ITEMS, [], options({ topRequested: 10 }), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', MARKER);
    const line = 'Of the people who asked for the open issues, 4 asked outside GitHub';
    expect(body).toContain(line);
    expect(body.indexOf(line)).toBeLessThan(body.indexOf('Most requested open issues (top 4)'));
    expect(body).toMatch(/^\| +4 \| \[#1\]\(https:\/\/github\.com\/octo-org\/octo-repo\/issues\/1\) Item 1 \| High /m);
    expect(body).toMatch(/^\| +1 \| \[#3\]\(https:\/\/github\.com\/octo-org\/octo-repo\/issues\/3\) Item 3 \| High /m);
  });

  it('says nothing of it when nobody asked outside GitHub', () => {
    const plain = ITEMS.map((i) => ({ ...i, commitment: i.commitment ? { ...i.commitment, outside: undefined } : null })) as ItemRecord[];
    expect(computePeriod(plain, [], options()).outsideRequesters).toBe(0);
    const body = renderReport(buildReport(plain, [], options(), {}, ['octo-org/octo-repo']), 'KPI report 2026-W47', MARKER);
    expect(body).not.toContain('outside GitHub');
  });
});
