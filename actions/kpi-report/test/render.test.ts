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
  MAX_TABLE_COLUMNS,
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
    const row = { id: 'x', label: 'x', goal: null, met: null, change: null, n: null, previousN: null, fewSamples: false } as const;
    expect(formatChange({ ...row, unit: 'hours', better: 'lower', value: 4, previous: 48 })).toBe('−44 h (better)');
    expect(formatChange({ ...row, unit: 'share', better: 'higher', value: 0.5, previous: 0.75 })).toBe('−25 pp (worse)');
    expect(formatChange({ ...row, unit: 'count', better: null, value: 7, previous: 2 })).toBe('+5');
    expect(formatChange({ ...row, unit: 'count', better: 'lower', value: 3, previous: 3 })).toBe('=');
    expect(formatChange({ ...row, unit: 'count', better: 'lower', value: 3, previous: null })).toBe('–');
  });

  it('the change is the difference of the rounded values shown, so they subtract to it', () => {
    const row = { id: 'x', label: 'x', goal: null, met: null, n: null, previousN: null, fewSamples: false } as const;
    // Shown as 13.8 d and 33 d: −19.2 d, though the unrounded change (−19.28) would round to −19.3.
    expect(formatChange({ ...row, unit: 'days', better: 'lower', value: 13.76, previous: 33.04, change: 13.76 - 33.04 })).toBe('−19.2 d (better)');
    // Shares: 12.5% shows as 13% and 25% as 25%: −12 pp, not the unrounded −12.5 pp rounded to −13.
    expect(formatChange({ ...row, unit: 'share', better: 'higher', value: 0.125, previous: 0.25, change: -0.125 })).toBe('−12 pp (worse)');
    // Values that differ but show the same: no change.
    expect(formatChange({ ...row, unit: 'hours', better: 'lower', value: 8.04, previous: 7.96, change: 0.08 })).toBe('=');
    // Hours stay hours in the summary, so a change never mixes h and d: 72 h − 88.8 h = −16.8 h.
    expect(formatChange({ ...row, unit: 'hours', better: 'lower', value: 72, previous: 88.8, change: -16.8 })).toBe('−16.8 h (better)');
  });

  it('a change of a rate or median from too few items is marked as such, without better or worse', () => {
    const row = { id: 'x', label: 'x', goal: null, met: null, change: 0.75, unit: 'share', better: 'higher', value: 1, previous: 0.25 } as const;
    expect(formatChange({ ...row, n: 2, previousN: 4, fewSamples: true })).toBe('+75 pp (too few items)');
    expect(formatChange({ ...row, n: 20, previousN: 40, fewSamples: false })).toBe('+75 pp (better)');
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
        '| KPI                            |   2026-W47 |   2026-W46 |                 Change |  Goal | Status   |',
        '| :----------------------------- | ---------: | ---------: | ---------------------: | ----: | :------- |',
        '| Open issues                    |          5 |          2 |             +3 (worse) |     – |          |',
        '| Issues opened                  |          6 |          1 |                     +5 |     – |          |',
        '| Issues closed                  |          4 |          0 |            +4 (better) |     – |          |',
        '| Time to first response, median |  4 h (n=6) | 48 h (n=1) |  −44 h (too few items) | ≤ 8 h | ✅ met    |',
        '| Time to first response, p90    | 62 h (n=6) | 48 h (n=1) |  +14 h (too few items) |     – |          |',
        '| Answered within 24 h           |  75% (n=4) |   0% (n=1) | +75 pp (too few items) | ≥ 70% | ✅ met    |',
        '| Waiting for a first response   |          3 |          0 |             +3 (worse) |     – |          |',
        '| Time to close, median          |  7 d (n=2) |    – (n=0) |                      – |     – |          |',
        '| Time to close, p90             | 13 d (n=2) |    – (n=0) |                      – |     – |          |',
        '| Overdue commitments            |          2 |          1 |             +1 (worse) |   ≤ 0 | ❌ missed |',
        '| Commitments kept on time       |  50% (n=2) |   0% (n=1) | +50 pp (too few items) |     – |          |',
        '| Feature PRs with docs          |  50% (n=2) |    – (n=0) |                      – |     – |          |',
        '| Pull requests merged           |          3 |          1 |                     +2 |     – |          |',
        '| People notified of a release   |          5 |          0 |                     +5 |     – |          |',
      ].join('\n'),
    );
  });

  it('the summary says what n and the too-few mark mean, and that durations are business time in UTC', () => {
    expect(body).toContain(
      '\n\nn: the items a rate or median is computed from. *too few items*: fewer than 5 in either period, so the change is noise, not news. ' +
        'pp: percentage points. Changes are the difference of the values shown. ' +
        'Durations are business time in UTC: Monday to Friday, every hour of each; weekends do not count. h: hours, d: days of 24 h.\n\n## Areas',
    );
    // The first-response goal in the label is the setting (24 h here), not the median's goal (8 h).
    expect(data.kpis.find((k) => k.id === 'answered-within-goal')?.label).toBe('Answered within 24 h');
    const holidays = buildReport(ITEMS, RELEASES, options({ holidays: ['2026-11-19', '2026-11-20'] }), goals, ['octo-org/octo-repo']);
    expect(renderReport(holidays, 'KPI report 2026-W47', MARKER)).toContain('weekends and the 2 holidays of the config do not count.');
    const calendar = buildReport(ITEMS, RELEASES, options({ businessDays: false }), goals, ['octo-org/octo-repo']);
    expect(renderReport(calendar, 'KPI report 2026-W47', MARKER)).toContain('Durations are calendar time (UTC)');
  });

  it('has the per-area tables (open by priority; flow and first response) with the unowned row and the total', () => {
    expect(body).toContain(
      [
        '### Open issues by priority',
        '',
        'Open at the end of the period.',
        '',
        '| Area    | Owners           | Open | Fix it now | High | Low | No priority |',
        '| :------ | :--------------- | ---: | ---------: | ---: | --: | ----------: |',
        '| CLI     | `@alice`         |    2 |          0 |    2 |   0 |           0 |',
        '| Docs    | `@org/docs-team` |    1 |          0 |    1 |   0 |           0 |',
        '| Unowned | –                |    2 |          0 |    0 |   1 |           1 |',
        '| All     | –                |    5 |          0 |    3 |   1 |           1 |',
      ].join('\n'),
    );
    expect(body).toContain(
      [
        '| Area    | Opened | Closed | First reply |     ≤ 24 h |   Waiting | Overdue |',
        '| :------ | -----: | -----: | ----------: | ---------: | --------: | ------: |',
        '| CLI     |      3 |      2 |   5 h (n=4) |  67% (n=3) | 2 (2.6 d) |       1 |',
        '| Docs    |      0 |      0 |           – |          – |         0 |       1 |',
        '| Unowned |      3 |      2 |   3 h (n=2) | 100% (n=1) |   1 (0 h) |       0 |',
        '| All     |      6 |      4 |   4 h (n=6) |  75% (n=4) | 3 (2.6 d) |       2 |',
      ].join('\n'),
    );
    expect(body).toContain('≤ 24 h: the share of them answered within the 24 h goal.');
  });

  it(`no table is wider than ${MAX_TABLE_COLUMNS} columns, and the shown values of every KPI subtract to its shown change`, () => {
    const many = buildReport(ITEMS, RELEASES, options({ areas: Array.from({ length: 12 }, (_, i) => ({ name: `Area ${i}`, labels: [`area-${i}`], paths: [], owners: ['@alice'] })) }), goals, ['octo-org/octo-repo', 'octo-org/other']);
    for (const report of [body, renderReport(many, 'KPI report 2026-W47', MARKER)]) {
      const delimiters = report.split('\n').filter((l) => /^\| *:?-+:? *\|/.test(l));
      expect(delimiters.length).toBeGreaterThanOrEqual(9);
      for (const d of delimiters) expect(d.split('|').length - 2).toBeLessThanOrEqual(MAX_TABLE_COLUMNS);
    }
    const rows = body.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| KPI') && !l.startsWith('| :'));
    const number = (cell: string) => Number(/^[-+]?[\d.]+/.exec(cell.replace('−', '-'))?.[0]);
    let checked = 0;
    for (const k of data.kpis) {
      const row = rows.find((r) => r.startsWith(`| ${k.label} `));
      const [, now = '', before = '', change = ''] = (row ?? '').split('|').map((c) => c.trim()).slice(1);
      if (!/\d/.test(now) || !/\d/.test(before) || !/\d/.test(change)) continue;
      expect(Math.round((number(now) - number(before)) * 10) / 10).toBe(number(change));
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('draws the trend as a mermaid xychart-beta block', () => {
    expect(renderTrend(data)).toBe(
      [
        '```mermaid',
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#b60205, #fbca04, #c5def5, #8c959f"}}}}%%',
        'xychart-beta',
        '    title "Open issues by priority, at the end of each week"',
        '    x-axis ["W45", "W46", "W47"]',
        '    y-axis "Open issues" 0 --> 3',
        '    line [0, 0, 0]',
        '    line [1, 1, 3]',
        '    line [0, 1, 1]',
        '    line [0, 0, 1]',
        '```',
        '',
        'Lines: `#b60205` Fix it now (0 now), `#fbca04` High (3 now), `#c5def5` Low (1 now), `#8c959f` No priority (1 now). ' +
          "Each priority's line has its label's colour; issues with no priority are grey.",
        '',
        '',
      ].join('\n'),
    );
  });

  it("colours the trend's lines with the configured label colours, in the order of the lines", () => {
    const custom = { ...data, settings: { ...data.settings, priorityColors: { 'fix-it-now': 'D73A4A', high: 'e99695', low: 'not-a-colour' } } };
    const trend = renderTrend(custom);
    expect(trend).toContain('"plotColorPalette": "#d73a4a, #e99695, #8c959f, #8c959f"');
    expect(trend).toContain('Lines: `#d73a4a` Fix it now (0 now), `#e99695` High (3 now), `#8c959f` Low (1 now)');
  });

  it('puts the details in collapsible sections, balanced', () => {
    expect(body.match(/<details>/g)).toHaveLength(6);
    expect(body.match(/<\/details>/g)).toHaveLength(6);
    expect(body).toContain('<details><summary>Overdue commitments by owner (2)</summary>\n\n| Owner | Issue | Due |\n| - | - | - |\n');
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
    // No data-path: no JSON file is promised.
    expect(body).toContain(`| … and ${3000 - ISSUE_LIST_ROWS} more: every one is in the job summary of the run |`);
    expect(body).not.toContain('JSON file');
    expect(renderReports(data, 'KPI report 2026-W47', { dataPath: 'kpi/report.json' }).body).toContain(
      `| … and ${3000 - ISSUE_LIST_ROWS} more: every one is in the job summary of the run and its JSON file |`,
    );
  });

  it('the footer promises a JSON file only when the run wrote one, and names it', () => {
    expect(whole.trimEnd().endsWith(
      "Metric definitions: see the `kpi-report` README. Every number is available as JSON: the action's `data-path` input writes it to a file, `userloop report --json` prints it.",
    )).toBe(true);
    expect(renderReports(data, 'KPI report 2026-W47', { dataPath: 'kpi/report.json' }).markdown).toContain(
      "Every number is also in the JSON file this run wrote, `kpi/report.json` (the action's `data-path`).\n",
    );
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

describe('the job summary of a report over 1 MB', () => {
  it("is cut by the report's own blocks within 1,000,000 characters: whole tables, then the rows that fit and how many more, then a note", () => {
    // 15,000 open issues nobody answered: the waiting list alone is over 1 MB.
    const many = Array.from({ length: 15_000 }, (_, i) => item(10_000 + i, { title: `A long enough title for issue number ${10_000 + i}` }));
    const data = buildReport(many, [], options(), goals, ['octo-org/octo-repo']);
    const { markdown, body, summary } = renderReports(data, 'KPI report 2026-W47', { dataPath: 'kpi/report.json' });
    expect(markdown.length).toBeGreaterThan(1_000_000);
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(summary.length).toBeLessThanOrEqual(1_000_000);
    expect(markdown.startsWith(summary.slice(0, summary.indexOf('| … and ')))).toBe(true);
    expect(summary).toMatch(/\| … and [\d,]+ more rows \|\n/);
    expect(summary.trimEnd().endsWith("_(The rest of the report did not fit the job summary's 1 MiB: every number is in the JSON file this run wrote, `kpi/report.json`.)_")).toBe(true);
  });
});
