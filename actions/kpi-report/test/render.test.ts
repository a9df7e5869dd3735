import { COMMENT_LIMIT as BODY_LIMIT } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import { buildReport, type ReportData } from '../src/kpis.ts';
import {
  formatChange,
  formatHours,
  formatShare,
  inert,
  renderReport,
  renderTrend,
  renderReports,
  ISSUE_LIST_ROWS,
} from '../src/render.ts';
import { ITEMS, RELEASES, item, options } from './dataset.ts';

const MARKER = '<!-- userloop:kpi-report {"period":"2026-W47"} -->';
const goals = { 'first-response-median-hours': 8, overdue: 0, 'answered-within-goal': 0.7 };

describe('formatting', () => {
  it('hours, days and shares', () => {
    expect(formatHours(null)).toBe('–');
    expect(formatHours(0)).toBe('0 h');
    expect(formatHours(1.25)).toBe('1.3 h');
    expect(formatHours(47.9)).toBe('47.9 h');
    expect(formatHours(48)).toBe('2 d');
    expect(formatHours(62)).toBe('2.6 d');
    expect(formatShare(2 / 3)).toBe('67%');
    expect(formatShare(null)).toBe('–');
  });

  it('the change says whether it is better', () => {
    const row = { id: 'x', label: 'x', goal: null, met: null, value: 1, previous: 2 } as const;
    expect(formatChange({ ...row, unit: 'hours', better: 'lower', change: -44 })).toBe('−44 h (better)');
    expect(formatChange({ ...row, unit: 'share', better: 'higher', change: -0.25 })).toBe('−25 pp (worse)');
    expect(formatChange({ ...row, unit: 'count', better: null, change: 5 })).toBe('+5');
    expect(formatChange({ ...row, unit: 'count', better: 'lower', change: 0 })).toBe('=');
    expect(formatChange({ ...row, unit: 'count', better: 'lower', change: null })).toBe('–');
  });

  it('titles are inert: no HTML, no mentions, no links', () => {
    // core's quoteInline: the parentheses and the `://` are escaped too, so no autolink is left.
    expect(inert('<details> @alice [x](http://e) *b* `c`\n|')).toBe('&lt;details&gt; @\u200Balice \\[x\\]\\(http:\u200B//e\\) \\*b\\* \\`c\\` \\|');
  });
});

describe('the report', () => {
  const data = buildReport(ITEMS, RELEASES, options(), goals, ['octo-org/octo-repo']);
  const body = renderReport(data, 'KPI report 2026-W47', MARKER);

  it('starts with the marker, the title, the period and the KPI summary', () => {
    expect(body.startsWith(`${MARKER}\n# KPI report 2026-W47\n\nWeek **2026-W47**, 2026-11-16 to 2026-11-22 (UTC), compared with 2026-W46. Repositories: \`octo-org/octo-repo\`.\n\n## Summary\n\nGoals met: **2 of 3**.\n\n`)).toBe(true);
    expect(body).toContain(
      [
        '| KPI                          | 2026-W47 | 2026-W46 |          Change |  Goal | Status   |',
        '| :--------------------------- | -------: | -------: | --------------: | ----: | :------- |',
        '| Open issues                  |        5 |        2 |      +3 (worse) |     – |          |',
        '| Issues opened                |        6 |        1 |              +5 |     – |          |',
        '| Issues closed                |        4 |        0 |     +4 (better) |     – |          |',
        '| First response, median       |      4 h |      2 d |  −44 h (better) | ≤ 8 h | ✅ met    |',
        '| First response, p90          |    2.6 d |      2 d |   +14 h (worse) |     – |          |',
        '| Answered within goal         |      75% |       0% | +75 pp (better) | ≥ 70% | ✅ met    |',
        '| Waiting for a first response |        3 |        0 |      +3 (worse) |     – |          |',
        '| Time to close, median        |      7 d |        – |               – |     – |          |',
        '| Time to close, p90           |     13 d |        – |               – |     – |          |',
        '| Overdue commitments          |        2 |        1 |      +1 (worse) |   ≤ 0 | ❌ missed |',
        '| Commitments kept on time     |      50% |       0% | +50 pp (better) |     – |          |',
        '| Feature PRs with docs        |      50% |        – |               – |     – |          |',
        '| Pull requests merged         |        3 |        1 |              +2 |     – |          |',
        '| People notified              |        5 |        0 |              +5 |     – |          |',
      ].join('\n'),
    );
  });

  it('has the per-area table with the unowned row and the total', () => {
    expect(body).toContain('| CLI     | `@alice`         |    2 |          0 |    2 |   0 |           0 |      3 |      2 |                     5 h |         67% | 2 (oldest 2.6 d) |       1 |');
    expect(body).toContain('| Unowned | –                |    2 |          0 |    0 |   1 |           1 |      3 |      2 |                     3 h |        100% |   1 (oldest 0 h) |       0 |');
  });

  it('draws the trend as a mermaid xychart-beta block', () => {
    expect(renderTrend(data)).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '    title "Open issues by priority"',
        '    x-axis ["W45", "W46", "W47"]',
        '    y-axis "Open issues" 0 --> 3',
        '    line [0, 0, 0]',
        '    line [1, 1, 3]',
        '    line [0, 1, 1]',
        '    line [0, 0, 1]',
        '```',
        '',
        'Lines, in order: 1. Fix it now: 0, 2. High: 3, 3. Low: 1, 4. No priority: 1 (now).',
        '',
        '',
      ].join('\n'),
    );
  });

  it('puts the details in collapsible sections, balanced', () => {
    expect(body.match(/<details>/g)).toHaveLength(6);
    expect(body.match(/<\/details>/g)).toHaveLength(6);
    expect(body).toContain('<details><summary>Overdue commitments by owner (2)</summary>\n\n| Owner            | Issue ');
    expect(body).toContain('| `@org/docs-team` | [#8](https://github.com/octo-org/octo-repo/issues/8) Item 8 | 2026-11-13 |');
    expect(body).toContain('- People notified of a release: 5\n');
  });

  it('a many-repository report names the repository of each item', () => {
    const multi = buildReport(ITEMS, RELEASES, options(), goals, ['octo-org/octo-repo', 'octo-org/other']);
    expect(renderReport(multi, 'KPI report 2026-W47', MARKER)).toContain('[octo-org/octo-repo#8](https://github.com/octo-org/octo-repo/issues/8) Item 8');
  });
});

describe('a report too long for one issue', () => {
  // 3,000 open issues waiting for a reply, with long titles: about 600 KB of rows.
  const many = Array.from({ length: 3000 }, (_, i) =>
    item(1000 + i, { author: `user${i}`, createdAt: '2026-11-02T09:00:00Z', title: `A long title ${'x'.repeat(120)} ${i}` }),
  );
  const data: ReportData = buildReport(many, [], options({ topRequested: 100 }), {}, ['octo-org/octo-repo']);
  const { markdown: whole, body } = renderReports(data, 'KPI report 2026-W47');
  const waitingRow = /^\| +[0-9.]+ [hd] \| \[#\d+\]/;

  it('is one issue body within the limit: each list cut at ISSUE_LIST_ROWS rows, saying where the rest is', () => {
    expect(whole.length).toBeGreaterThan(BODY_LIMIT * 5);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body.startsWith('<!-- userloop:kpi-report {"period":"2026-W47"} -->')).toBe(true);
    expect(body.split('\n').filter((l) => waitingRow.test(l))).toHaveLength(ISSUE_LIST_ROWS);
    expect(body).toContain(`| … and ${3000 - ISSUE_LIST_ROWS} more: every one is in the job summary of the run and its JSON file |`);
  });

  it('the whole report (the job summary) loses nothing: every one of the 3,000 rows', () => {
    const rows = whole.split('\n').filter((l) => waitingRow.test(l));
    expect(new Set(rows.map((r) => /#(\d+)\]/.exec(r)?.[1])).size).toBe(3000);
  });

  it('the body is valid on its own: balanced <details>, every table row under a header', () => {
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
    const lines = body.split('\n');
    lines.forEach((line, i) => {
      if (!line.startsWith('|')) return;
      // Walk up to the start of this table: its second line must be the delimiter row.
      let start = i;
      while (start > 0 && lines[start - 1]?.startsWith('|')) start -= 1;
      expect(lines[start + 1]).toMatch(/^\| *:?-+/);
    });
  });
});
