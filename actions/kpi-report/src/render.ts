// Every text of the action: the report as markdown (a summary first, the details in collapsible sections,
// the trend as a mermaid `xychart-beta` chart), whole for the job summary and bounded for the issue, and the
// job summary of a collect run. Pure: data in, string out.
import { COMMENT_LIMIT, fitBody, markdownTable, PRIORITY_NAMES, quoteCode, quoteInline, renderMarker } from '@userloop/core';
import { PRIORITY_KEYS, type AreaMetrics, type Distribution, type InfoMetrics, type ItemRef, type PriorityKey, type PromiseCounts, type ProposalReport } from './compute.ts';
import { MIN_SAMPLE, type KpiRow, type ReportData } from './kpis.ts';
import type { CollectStats } from './model.ts';

/** The marker kind of the report issue's body. */
export const REPORT_MARKER = 'kpi-report';

/** A piece of the report: `head`, then its `rows` (a table's lines), then `tail`. */
interface Block {
  head: string;
  rows: string[];
  tail: string;
}

const PRIORITY_LABEL: Record<PriorityKey, string> = { ...PRIORITY_NAMES, none: 'No priority' };

/** Text from users (titles) made inert: core's quoteInline (no HTML, no mention, no link, image or emphasis, no bidi control). */
export function inert(text: string): string {
  return quoteInline(text);
}

/** `1.5 h` under 48 hours, else `3.2 d`; `–` for no data. */
export function formatHours(hours: number | null): string {
  if (hours === null) return '–';
  if (hours < 48) return `${round1(hours)} h`;
  return `${round1(hours / 24)} d`;
}

/** `4.5 d`; `–` for no data. */
function formatDays(days: number | null): string {
  return days === null ? '–' : `${round1(days)} d`;
}

/** `75%`; `–` for no data. */
export function formatShare(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}

function round1(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/**
 * A KPI value as the summary shows it, in whole steps of its unit: tenths of an hour or a day, whole percent,
 * whole counts. The shown text and the change are both made from it, so the shown values subtract to the
 * shown change.
 */
function shownSteps(row: Pick<KpiRow, 'unit'>, value: number | null): number | null {
  if (value === null) return null;
  if (row.unit === 'hours' || row.unit === 'days') return Math.round(value * 10);
  if (row.unit === 'share') return Math.round(value * 100);
  return value;
}

/** Whole steps of a unit as text: `32.7 h` (hours stay hours, so a row never mixes units), `3.5 d`, `75%`, `12`. */
function stepsText(row: Pick<KpiRow, 'unit'>, steps: number, share = '%'): string {
  if (row.unit === 'hours') return `${tenths(steps)} h`;
  if (row.unit === 'days') return `${tenths(steps)} d`;
  if (row.unit === 'share') return `${steps}${share}`;
  return String(steps);
}

function tenths(steps: number): string {
  return Number.isInteger(steps / 10) ? String(steps / 10) : (steps / 10).toFixed(1);
}

function formatValue(row: Pick<KpiRow, 'unit'>, value: number | null): string {
  const steps = shownSteps(row, value);
  return steps === null ? '–' : stepsText(row, steps);
}

/** A KPI value and, for a rate or median, how many items it is computed from: `50% (n=8)`. */
function formatKpiValue(row: Pick<KpiRow, 'unit'>, value: number | null, n: number | null): string {
  return n === null ? formatValue(row, value) : `${formatValue(row, value)} (n=${n})`;
}

/**
 * The change column: the difference of the two values as shown (rounded the same way), signed, in the KPI's
 * unit (shares in percentage points), and whether it is better; a rate or median of fewer than
 * {@link MIN_SAMPLE} items in either period is marked as too few instead.
 */
export function formatChange(row: KpiRow): string {
  const now = shownSteps(row, row.value);
  const before = shownSteps(row, row.previous);
  if (now === null || before === null) return '–';
  const change = now - before;
  if (change === 0) return '=';
  const text = `${change > 0 ? '+' : '−'}${stepsText(row, Math.abs(change), ' pp')}`;
  if (row.fewSamples) return `${text} (too few items)`;
  if (row.better === null) return text;
  const better = row.better === 'lower' ? change < 0 : change > 0;
  return `${text} ${better ? '(better)' : '(worse)'}`;
}

function formatGoal(row: KpiRow): string {
  if (row.goal === null) return '–';
  return `${row.better === 'lower' ? '≤' : '≥'} ${formatValue(row, row.goal)}`;
}

function formatMet(met: boolean | null): string {
  return met === null ? '' : met ? '✅ met' : '❌ missed';
}

/** A link to an item: `#12` in a one-repository report, `owner/name#12` otherwise, then its title. */
function itemLink(item: ItemRef, multi: boolean): string {
  const id = multi ? `${item.repository}#${item.number}` : `#${item.number}`;
  return `[${id}](${item.url}) ${inert(item.title)}`;
}

function owners(list: readonly string[]): string {
  // In code spans, so the weekly edit never pings anyone.
  return list.length === 0 ? '–' : list.map((o) => `\`${o}\``).join(' ');
}

function table(rows: string[][], align?: ('l' | 'c' | 'r')[], alignDelimiters = true): string {
  return markdownTable(rows, { ...(align ? { align } : {}), alignDelimiters });
}

/**
 * A table as a block: its header and delimiter row, then one row a line. `aligned`: cells padded so the
 * pipes line up; not for a list of items, which can have tens of thousands of rows (padding each to the
 * longest title would leave room in the job summary for fewer of them).
 */
function tableBlock(before: string, rows: string[][], after: string, align?: ('l' | 'c' | 'r')[], aligned = true): Block {
  const lines = table(rows, align, aligned).split('\n');
  const header = lines.slice(0, 2).join('\n');
  return { head: `${before}${header}\n`, rows: lines.slice(2).map((l) => `${l}\n`), tail: after };
}

/** Where the run puts the report besides the issue: the JSON file it wrote (the `data-path` input), if any. */
export interface ReportOutputs {
  /** The JSON file of every number the run wrote; null or absent: none was written. */
  dataPath?: string | null;
}

/**
 * A list of items as a block: a table whose cells are not padded (see {@link tableBlock}), a row for each
 * of the first `cap` items, then a line saying how many more the job summary (and the JSON file, when the
 * run wrote one) holds: the issue is one bounded body; the job summary has room for every row.
 */
function listBlock<T>(header: string[], items: readonly T[], row: (item: T) => string[], cap: number, outputs: ReportOutputs, align?: ('l' | 'c' | 'r')[]): Block {
  const rows = items.slice(0, cap).map(row);
  if (items.length > cap) {
    const more = `… and ${items.length - cap} more: every one is in the job summary of the run${outputs.dataPath ? ' and its JSON file' : ''}`;
    rows.push([more, ...header.slice(1).map(() => '')]);
  }
  return tableBlock('', [header, ...rows], '', align, false);
}

/** The last line: where the numbers are as JSON, as true for this run (the action with or without `data-path`, the CLI). */
function footer(outputs: ReportOutputs): string {
  const json = outputs.dataPath
    ? `Every number is also in the JSON file this run wrote, ${quoteCode(outputs.dataPath)} (the action's \`data-path\`).`
    : "Every number is available as JSON: the action's `data-path` input writes it to a file, `userloop report --json` prints it.";
  return `Metric definitions: see the \`kpi-report\` README. ${json}\n`;
}

function details(summary: string, inner: Block): Block {
  return {
    head: `<details><summary>${summary}</summary>\n\n${inner.head}`,
    rows: inner.rows,
    tail: `${inner.tail}\n</details>\n\n`,
  };
}

function text(markdown: string): Block {
  return { head: markdown, rows: [], tail: '' };
}

/** How the report measures durations: business time (UTC days Monday to Friday, holidays left out) or calendar time. */
function timeNote(settings: Pick<ReportData['settings'], 'businessDays' | 'holidays'>): string {
  if (!settings.businessDays) return 'Durations are calendar time (UTC); h: hours, d: days of 24 h.';
  const holidays = settings.holidays === 1 ? ' and the 1 holiday of the config' : settings.holidays > 1 ? ` and the ${settings.holidays} holidays of the config` : '';
  return `Durations are business time in UTC: Monday to Friday, every hour of each; weekends${holidays} do not count. h: hours, d: days of 24 h.`;
}

/** The line under the summary table: what n, the too-few mark and pp mean, and how durations are measured. */
function summaryLegend(settings: ReportData['settings']): string {
  return (
    `n: the items a rate or median is computed from. *too few items*: fewer than ${MIN_SAMPLE} in either period, so the change is noise, not news. ` +
    `pp: percentage points. Changes are the difference of the values shown. ${timeNote(settings)}`
  );
}

function periodLine(data: ReportData): string {
  const start = data.period.start.slice(0, 10);
  const last = new Date(Date.parse(data.period.end) - 1).toISOString().slice(0, 10);
  const kind = data.period.kind === 'week' ? 'Week' : 'Month';
  const repos = data.repositories.map((r) => `\`${r}\``).join(', ');
  return `${kind} **${data.period.key}**, ${start} to ${last} (UTC), compared with ${data.previous.key}. Repositories: ${repos}.\n\n`;
}

/** The colour of issues without a priority in the trend chart: a neutral grey, weaker than any priority's. */
const NO_PRIORITY_COLOR = '8c959f';

/** Each bucket's line colour: the priority label's colour (Fix it now the strongest by default), grey for none. */
function trendColors(settings: ReportData['settings']): Record<PriorityKey, string> {
  const valid = (c: string | undefined) => (c && /^[0-9a-f]{6}$/i.test(c) ? c.toLowerCase() : NO_PRIORITY_COLOR);
  const c = settings.priorityColors;
  return { 'fix-it-now': valid(c['fix-it-now']), high: valid(c.high), low: valid(c.low), none: NO_PRIORITY_COLOR };
}

/**
 * The mermaid trend chart of open issues by priority: each line in its priority label's colour (mermaid's
 * `plotColorPalette`, in the order of the lines), and a legend under it (xychart draws none) naming each
 * line's colour (GitHub shows a swatch next to a colour in backticks) and its count now.
 */
export function renderTrend(data: ReportData): string {
  const { periods, series } = data.trend;
  const max = Math.max(1, ...PRIORITY_KEYS.flatMap((k) => series[k]));
  const label = (key: string) => (data.period.kind === 'week' ? key.slice(5) : key);
  const colors = trendColors(data.settings);
  const palette = PRIORITY_KEYS.map((k) => `#${colors[k]}`).join(', ');
  const lines = [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `    title "Open issues by priority, at the end of each ${data.period.kind}"`,
    `    x-axis [${periods.map((p) => `"${label(p)}"`).join(', ')}]`,
    `    y-axis "Open issues" 0 --> ${max}`,
    ...PRIORITY_KEYS.map((k) => `    line [${series[k].join(', ')}]`),
    '```',
  ];
  const legend = PRIORITY_KEYS.map((k) => `\`#${colors[k]}\` ${PRIORITY_LABEL[k]} (${series[k][series[k].length - 1] ?? 0} now)`).join(', ');
  return `${lines.join('\n')}\n\nLines: ${legend}. Each priority's line has its label's colour; issues with no priority are grey.\n\n`;
}

/** The most columns a table of the report has, so that it fits the width of an issue on GitHub. */
export const MAX_TABLE_COLUMNS = 7;

/** A value and the items it is computed from: `15 h (n=5)`; just `–` when there are none. */
function withN(text: string, n: number): string {
  return n === 0 ? '–' : `${text} (n=${n})`;
}

/** An area's open issues by priority at the end of the period. */
function areaOpenRow(a: AreaMetrics): string[] {
  return [a.name, owners(a.owners), String(a.open.total), ...PRIORITY_KEYS.map((k) => String(a.open[k]))];
}

/** An area's flow and timeliness in the period. */
function areaFlowRow(a: AreaMetrics): string[] {
  const fr = a.firstResponse;
  return [
    a.name,
    String(a.opened),
    String(a.closed),
    withN(formatHours(fr.median), fr.count),
    withN(formatShare(fr.withinGoal), fr.goalSample),
    a.waiting.count === 0 ? '0' : `${a.waiting.count} (${formatHours(a.waiting.oldestHours)})`,
    String(a.commitments.overdue.length),
  ];
}

/** The areas in two tables that fit an issue's width: open issues by priority, then flow and timeliness. */
function areaBlocks(data: ReportData): Block[] {
  const m = data.current;
  const all = [...m.areas, m.unowned, m.overall];
  const goal = `${data.settings.firstResponseHours} h`;
  const open = tableBlock(
    '## Areas\n\n### Open issues by priority\n\nOpen at the end of the period.\n\n',
    [['Area', 'Owners', 'Open', ...PRIORITY_KEYS.map((k) => PRIORITY_LABEL[k])], ...all.map(areaOpenRow)],
    '\n',
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
  const flow = tableBlock(
    '### Flow and first response\n\n',
    [['Area', 'Opened', 'Closed', 'First reply', `≤ ${goal}`, 'Waiting', 'Overdue'], ...all.map(areaFlowRow)],
    `\nOpened, Closed: issues, in the period. First reply: median time to a first response of the issues and pull requests opened in the period. ` +
      `≤ ${goal}: the share of them answered within the ${goal} goal. Waiting: open items with no first response yet (the longest wait). ` +
      `Overdue: open issues past their promised date. ${timeNote(data.settings)}\n\n`,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  return [open, flow];
}

/** Promised dates of the period per owner: kept, slipped, re-promised, and the same over all. */
function promisesBlock(m: ReportData['current']): Block {
  const head = '## Promises by owner\n\n';
  const p = m.promises;
  if (p.kept + p.slipped === 0) return text(`${head}No promised date fell in this period.\n\n`);
  const intro = `Promised dates that fell in the period: **${p.kept} kept** (closed by the date), **${p.slipped} slipped** (still open when it passed), ${p.repromised} of them re-promised (a new date set since).\n\n`;
  const row = (owner: string, c: Omit<PromiseCounts, 'owner'>) => [owner, String(c.kept), String(c.slipped), String(c.repromised)];
  return tableBlock(
    `${head}${intro}`,
    [['Owner', 'Kept', 'Slipped', 'Re-promised'], ...m.promisesByOwner.map((o) => row(owners([o.owner]), o)), row('All', p)],
    '\n',
    ['l', 'r', 'r', 'r'],
  );
}

/** Required information: how often the first reply asked for it, how long completing it took, who still waits. */
function missingInfoText(i: InfoMetrics): string {
  const head = '## Missing information\n\n';
  if (i.asked === 0 && i.completion.count === 0 && i.waiting === 0) return `${head}No issue was missing information to debug it in this period.\n\n`;
  const took =
    i.completion.count === 0
      ? 'none was completed in the period'
      : `completing it took ${formatHours(i.completion.median)} (median; p90 ${formatHours(i.completion.p90)}) for the ${i.completion.count} completed in the period`;
  return `${head}Of ${i.opened} issues opened, **${i.asked} (${formatShare(i.askedShare)})** were missing information we need to debug them; ${took}; ${i.waiting} open issues still wait for it.\n\n`;
}

/**
 * Proposed solutions: the time to the first one and the proposals waiting for the reporter's answer, over all
 * and per area (a table when areas are configured).
 */
function proposalsBlock(p: ProposalReport): Block {
  const head = '## Proposed solutions\n\n';
  if (p.time.count === 0 && p.waiting === 0 && p.yes + p.no === 0) return text(`${head}No solution was proposed, answered or waiting in this period.\n\n`);
  const time =
    p.time.count === 0
      ? 'no issue got its first proposed solution in the period'
      : `time to a proposal (from the issue's opening to its first proposed solution): **${formatHours(p.time.median)}** (median, n=${p.time.count}; p90 ${formatHours(p.time.p90)})`;
  const waiting = p.waiting === 0 ? 'no proposal waits for the reporter' : `**${p.waiting} waiting for the reporter's answer** (the oldest for ${formatHours(p.oldestHours)})`;
  const intro = `${time.charAt(0).toUpperCase()}${time.slice(1)}; ${waiting}; answers in the period: ${p.yes} yes, ${p.no} no.\n\n`;
  if (p.byArea.length <= 1) return text(`${head}${intro}`);
  const row = (name: string, who: readonly string[], m: Omit<ProposalReport, 'items' | 'byArea'>) => [
    name,
    owners(who),
    withN(formatHours(m.time.median), m.time.count),
    m.waiting === 0 ? '0' : `${m.waiting} (${formatHours(m.oldestHours)})`,
    String(m.yes),
    String(m.no),
  ];
  return tableBlock(
    `${head}${intro}`,
    [['Area', 'Owners', 'Time to a proposal (median)', 'Waiting for the user (oldest)', 'Answered yes', 'Answered no'], ...p.byArea.map((a) => row(a.name, a.owners, a)), row('All', [], p)],
    '\n',
    ['l', 'l', 'r', 'r', 'r', 'r'],
  );
}

function dist(d: Distribution, fmt: (n: number | null) => string): string[] {
  return [String(d.count), fmt(d.median), fmt(d.p90)];
}

/** The report as blocks, in order. */
function reportBlocks(data: ReportData, title: string, marker: string, outputs: ReportOutputs, listCap = Number.POSITIVE_INFINITY): Block[] {
  const multi = data.repositories.length > 1;
  const m = data.current;
  const blocks: Block[] = [];
  blocks.push(text(`${marker}\n# ${inert(title)}\n\n${periodLine(data)}`));

  const kpiRows = [
    ['KPI', data.period.key, data.previous.key, 'Change', 'Goal', 'Status'],
    ...data.kpis.map((k) => [k.label, formatKpiValue(k, k.value, k.n), formatKpiValue(k, k.previous, k.previousN), formatChange(k), formatGoal(k), formatMet(k.met)]),
  ];
  const met = data.kpis.filter((k) => k.met === true).length;
  const goals = data.kpis.filter((k) => k.met !== null).length;
  blocks.push(
    tableBlock(
      `## Summary\n\n${goals > 0 ? `Goals met: **${met} of ${goals}**.\n\n` : ''}`,
      kpiRows,
      `\n${summaryLegend(data.settings)}\n\n`,
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
  );

  blocks.push(...areaBlocks(data));

  blocks.push(promisesBlock(m));
  blocks.push(text(missingInfoText(m.missingInfo)));
  blocks.push(proposalsBlock(m.proposals));
  if (m.proposals.waiting > 0) {
    blocks.push(
      details(
        `Proposals waiting for the reporter (${m.proposals.waiting})`,
        listBlock(['Waiting', 'Issue'], m.proposals.items, (i) => [formatHours(i.waitingHours), itemLink(i, multi)], listCap, outputs, ['r', 'l']),
      ),
    );
  }

  blocks.push(text(`## Trend\n\n${renderTrend(data)}`));

  const overdueCount = m.overall.commitments.overdue.length;
  blocks.push(
    details(
      `Overdue commitments by owner (${overdueCount})`,
      overdueCount === 0
        ? text('No open issue is past its due date.\n')
        : listBlock(['Owner', 'Issue', 'Due'], m.overdueByOwner.flatMap((o) => o.items.map((i) => [o.owner, i] as const)), ([owner, i]) => [owners([owner]), itemLink(i, multi), i.due], listCap, outputs),
    ),
  );

  if (m.outsideRequesters > 0) {
    blocks.push(text(`Of the people who asked for the open issues, ${m.outsideRequesters} asked outside GitHub (a chat server, a forum, a support ticket; recorded with \`/requested-by\` or the intake): the requester counts include them.\n`));
  }
  blocks.push(
    details(
      `Most requested open issues (top ${m.topRequested.length})`,
      m.topRequested.length === 0
        ? text('No open issues.\n')
        : listBlock(['Requesters', 'Issue', 'Priority'], m.topRequested, (i) => [String(i.requesters), itemLink(i, multi), PRIORITY_LABEL[i.priority]], listCap, outputs, ['r', 'l', 'l']),
    ),
  );

  blocks.push(
    details(
      `Waiting for a first response (${m.overall.waiting.count})`,
      m.overall.waiting.count === 0
        ? text('Every open issue and pull request has had a first response.\n')
        : listBlock(['Waiting', 'Item'], m.overall.waiting.items, (i) => [formatHours(i.waitingHours), itemLink(i, multi)], listCap, outputs, ['r', 'l']),
    ),
  );

  blocks.push(
    details(
      `Unowned open issues (${m.unownedItems.length})`,
      m.unownedItems.length === 0
        ? text('Every open issue belongs to an area.\n')
        : listBlock(['Issue'], m.unownedItems, (i) => [itemLink(i, multi)], listCap, outputs),
    ),
  );

  const fr = m.overall.firstResponse;
  const all = [...m.areas, m.unowned, m.overall];
  const frTable = table(
    [
      ['Area', 'Items', 'Median', 'p90', `Within ${data.settings.firstResponseHours} h`],
      ...all.map((a) => [a.name, ...dist(a.firstResponse, formatHours), formatShare(a.firstResponse.withinGoal)]),
    ],
    ['l', 'r', 'r', 'r', 'r'],
  );
  const closeTable = table(
    [
      ['Priority', 'Closed', 'Median', 'p90'],
      ...[...PRIORITY_KEYS, 'all' as const].map((k) => [k === 'all' ? 'All' : PRIORITY_LABEL[k], ...dist(m.overall.close[k], formatDays)]),
    ],
    ['l', 'r', 'r', 'r'],
  );
  blocks.push(
    details(
      'First response and time to close',
      text(
        `First response (scope: ${data.settings.responderScope}; goal ${data.settings.firstResponseHours} h): ${fr.answered} answered, ` +
          `${fr.unanswered} still waiting (counted with their wait so far), ${fr.closedWithoutReply} closed without a reply.\n\n` +
          `${frTable}\n\nTime to close (not planned and duplicates left out):\n\n${closeTable}\n\n${timeNote(data.settings)}\n`,
      ),
    ),
  );

  const s = m.shipping;
  const releases = s.releases.length === 0 ? 'none' : s.releases.map((r) => `[${inert(multi ? `${r.repository}@${r.tagName}` : r.tagName)}](${r.url})`).join(', ');
  blocks.push(
    details(
      'Shipping',
      text(
        `- Releases: ${s.releases.length} (${releases})\n` +
          `- Pull requests merged: ${s.mergedPulls}\n` +
          `- Feature pull requests: ${s.featurePulls}, with docs: ${s.featurePullsWithDocs} (${formatShare(s.docsShare)})${s.featurePullsDocsUnknown > 0 ? `, files not readable: ${s.featurePullsDocsUnknown}` : ''}\n` +
          `- Docs skipped with the skip label: ${s.docsSkips}\n` +
          `- People notified of a release: ${s.peopleNotified}\n`,
      ),
    ),
  );
  blocks.push(text(footer(outputs)));
  return blocks;
}

function blockText(b: Block): string {
  return b.head + b.rows.join('') + b.tail;
}

/** The length of {@link blockText}, without joining it. */
function blockLength(b: Block): number {
  return b.head.length + b.rows.reduce((n, row) => n + row.length, 0) + b.tail.length;
}

/** The whole report as one markdown string. */
export function renderReport(data: ReportData, title: string, marker: string, outputs: ReportOutputs = {}): string {
  return reportBlocks(data, title, marker, outputs).map(blockText).join('');
}

/** Rows of each list the issue shows; the job summary shows them all. */
export const ISSUE_LIST_ROWS = 25;

/** The report rendered for each place it goes. */
export interface RenderedReports {
  /** Whole (the CLI prints it): joined when first read, as it can be many MB. */
  readonly markdown: string;
  /** The issue's one body: each list cut at {@link ISSUE_LIST_ROWS} rows with a line saying where the rest is. */
  body: string;
  /** The job summary: the whole report when it fits GitHub's 1 MiB, else as much of it as fits. */
  summary: string;
}

/**
 * The report whole, for the job summary; and as the issue's one body, each list cut at
 * {@link ISSUE_LIST_ROWS} rows, fitted to GitHub's limit as a last resort. One write per report, however
 * large the repository.
 */
export function renderReports(data: ReportData, title: string, outputs: ReportOutputs = {}): RenderedReports {
  const marker = renderMarker(REPORT_MARKER, { period: data.period.key });
  const blocks = reportBlocks(data, title, marker, outputs);
  const whole = blocks.reduce((n, b) => n + blockLength(b), 0) <= SUMMARY_LIMIT ? blocks.map(blockText).join('') : null;
  let markdown = whole;
  return {
    get markdown() {
      markdown ??= blocks.map(blockText).join('');
      return markdown;
    },
    body: fitBody(reportBlocks(data, title, marker, outputs, ISSUE_LIST_ROWS).map(blockText).join(''), COMMENT_LIMIT).body,
    summary: whole ?? fitBlocks(blocks, SUMMARY_LIMIT, outputs),
  };
}

/** The most characters of the job summary (GitHub takes 1 MiB a step). */
const SUMMARY_LIMIT = 1_000_000;

/**
 * The report's blocks within `limit` characters, cut by the blocks themselves (no markdown is parsed: a
 * report of 10,000 issues is over 1 MB, and parsing it took seconds and hundreds of MB): whole blocks while
 * they fit; the first that does not keeps the rows that fit and says how many it left out; then a line
 * saying the rest of the report did not fit.
 */
function fitBlocks(blocks: readonly Block[], limit: number, outputs: ReportOutputs): string {
  const where = outputs.dataPath ? `: every number is in the JSON file this run wrote, ${quoteCode(outputs.dataPath)}` : '';
  const end = `\n\n_(The rest of the report did not fit the job summary's 1 MiB${where}.)_\n`;
  const room = limit - end.length;
  const more = (n: number) => `| … and ${n.toLocaleString('en-US')} more rows |\n`;
  let out = '';
  for (const b of blocks) {
    if (out.length + blockLength(b) <= room) {
      out += blockText(b);
      continue;
    }
    let part = b.head;
    let kept = 0;
    for (const row of b.rows) {
      if (out.length + part.length + row.length + more(b.rows.length).length + b.tail.length > room) break;
      part += row;
      kept += 1;
    }
    if (kept > 0) out += `${part}${more(b.rows.length - kept)}${b.tail}`;
    break;
  }
  return `${out.trimEnd()}${end}`;
}

/** The job summary (it holds at most 1 MiB): the report as {@link renderReports} bounded it, or, for a `collect` run, what was read. */
export function jobSummary(period: string, stats: readonly CollectStats[], summary: string | null, complete = true): string {
  if (summary !== null && complete) return summary;
  const lines = stats.map((s) => `| ${s.repository} | ${s.incremental ? 'incremental' : 'full'}${s.complete ? '' : ', unfinished'} | ${s.issuesRead} | ${s.pullsRead} | ${s.calls} | ${s.points} |`);
  const table = lines.length > 0 ? `\n\n| Repository | Read | Issues | Pull requests | Queries | Points |\n| --- | --- | --: | --: | --: | --: |\n${lines.join('\n')}` : '';
  if (complete) return `## kpi-report: collected ${period}${table}\n`;
  return `## kpi-report: ${period} not reported yet${table}\n\n${UNFINISHED}\n`;
}

/** What a run whose read ran out of points tells: why there is no report, and what happens next. */
export const UNFINISHED =
  'The read stopped at its `max-points` (GraphQL points a run may spend of the token\'s hour), or where the token would have had less than ' +
  'half of its hour left for its other uses, before every issue was read. ' +
  'What it read is kept in the snapshot, and the next run with that snapshot goes on from where it stopped; ' +
  'the report is posted once everything is read. Run the workflow again after the hour, or raise `max-points`.';
