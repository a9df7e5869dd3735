// The KPIs of the summary table: the period's value, the previous period's, the change, and the goal.
import { defaultConfig, type KpiGoals, type Period, type Priority } from '@userloop/core';
import {
  computePeriod,
  computeTrend,
  previousOf,
  type ComputeOptions,
  type PeriodMetrics,
  type Trend,
} from './compute.ts';
import type { ItemRecord, ReleaseRecord } from './model.ts';

/** One row of the KPI table. */
export interface KpiRow {
  id: string;
  label: string;
  unit: 'hours' | 'days' | 'share' | 'count';
  /** Which way is better; `null` when neither (e.g. issues opened). */
  better: 'lower' | 'higher' | null;
  value: number | null;
  previous: number | null;
  /** `value - previous`, unrounded, or null when either is missing (the report shows the change of the rounded values it shows). */
  change: number | null;
  /** How many items the rate or median is computed from, this period and the previous one; null for a count. */
  n: number | null;
  previousN: number | null;
  /** A rate or median of fewer than {@link MIN_SAMPLE} items in either period: its change is not news. */
  fewSamples: boolean;
  goal: number | null;
  /** Met (true), missed (false), or no goal / no data (null). */
  met: boolean | null;
}

interface KpiDef {
  id: string;
  /** What the row measures; a function when it names a setting (the first-response goal in hours). */
  label: string | ((settings: ReportData['settings']) => string);
  unit: KpiRow['unit'];
  better: KpiRow['better'];
  goal?: keyof KpiGoals;
  value: (m: PeriodMetrics) => number | null;
  /** The sample size of a rate or median. */
  n?: (m: PeriodMetrics) => number;
}

/** Fewer items than this in either period and a rate's or median's change is marked as too few to compare. */
export const MIN_SAMPLE = 5;

/** Every KPI, in table order. */
const KPIS: readonly KpiDef[] = [
  { id: 'open', label: 'Open issues', unit: 'count', better: 'lower', value: (m) => m.overall.open.total },
  { id: 'opened', label: 'Issues opened', unit: 'count', better: null, value: (m) => m.overall.opened },
  { id: 'closed', label: 'Issues closed', unit: 'count', better: 'higher', value: (m) => m.overall.closed },
  {
    id: 'first-response-median-hours',
    label: 'Time to first response, median',
    unit: 'hours',
    better: 'lower',
    goal: 'first-response-median-hours',
    value: (m) => m.overall.firstResponse.median,
    n: (m) => m.overall.firstResponse.count,
  },
  {
    id: 'first-response-p90-hours',
    label: 'Time to first response, p90',
    unit: 'hours',
    better: 'lower',
    goal: 'first-response-p90-hours',
    value: (m) => m.overall.firstResponse.p90,
    n: (m) => m.overall.firstResponse.count,
  },
  {
    id: 'answered-within-goal',
    label: (s) => `Answered within ${s.firstResponseHours} h`,
    unit: 'share',
    better: 'higher',
    goal: 'answered-within-goal',
    value: (m) => m.overall.firstResponse.withinGoal,
    n: (m) => m.overall.firstResponse.goalSample,
  },
  { id: 'unanswered', label: 'Waiting for a first response', unit: 'count', better: 'lower', goal: 'unanswered', value: (m) => m.overall.waiting.count },
  { id: 'close-median-days', label: 'Time to close, median', unit: 'days', better: 'lower', goal: 'close-median-days', value: (m) => m.overall.close.all.median, n: (m) => m.overall.close.all.count },
  { id: 'close-p90-days', label: 'Time to close, p90', unit: 'days', better: 'lower', goal: 'close-p90-days', value: (m) => m.overall.close.all.p90, n: (m) => m.overall.close.all.count },
  { id: 'overdue', label: 'Overdue commitments', unit: 'count', better: 'lower', goal: 'overdue', value: (m) => m.overall.commitments.overdue.length },
  {
    id: 'commitments-kept',
    label: 'Commitments kept on time',
    unit: 'share',
    better: 'higher',
    goal: 'commitments-kept',
    value: (m) => m.overall.commitments.keptShare,
    n: (m) => m.overall.commitments.dueInPeriod,
  },
  { id: 'docs-share', label: 'Feature PRs with docs', unit: 'share', better: 'higher', goal: 'docs-share', value: (m) => m.shipping.docsShare, n: (m) => m.shipping.featurePulls - m.shipping.featurePullsDocsUnknown },
  { id: 'merged', label: 'Pull requests merged', unit: 'count', better: null, value: (m) => m.shipping.mergedPulls },
  { id: 'people-notified', label: 'People notified of a release', unit: 'count', better: null, value: (m) => m.shipping.peopleNotified },
  { id: 'proposal-median-hours', label: 'Time to a proposal, median', unit: 'hours', better: 'lower', value: (m) => m.proposals.time.median, n: (m) => m.proposals.time.count },
  { id: 'proposals-waiting', label: 'Proposals waiting for the user', unit: 'count', better: 'lower', value: (m) => m.proposals.waiting },
];

/** Whether a value meets a goal in the KPI's better direction (at or under for lower, at or over for higher). */
function meetsGoal(value: number | null, goal: number | null, better: KpiRow['better']): boolean | null {
  if (value === null || goal === null || better === null) return null;
  return better === 'lower' ? value <= goal : value >= goal;
}

/** The KPI rows from this period's and the previous period's numbers. */
function kpiRows(current: PeriodMetrics, previous: PeriodMetrics, goals: KpiGoals, settings: ReportData['settings']): KpiRow[] {
  return KPIS.map((k) => {
    const value = k.value(current);
    const prev = k.value(previous);
    const goal = k.goal ? (goals[k.goal] ?? null) : null;
    const n = k.n ? k.n(current) : null;
    const previousN = k.n ? k.n(previous) : null;
    return {
      id: k.id,
      label: typeof k.label === 'string' ? k.label : k.label(settings),
      unit: k.unit,
      better: k.better,
      value,
      previous: prev,
      change: value !== null && prev !== null ? value - prev : null,
      n,
      previousN,
      fewSamples: n !== null && previousN !== null && Math.min(n, previousN) < MIN_SAMPLE,
      goal,
      met: meetsGoal(value, goal, k.better),
    };
  });
}

/** Everything the report shows, and the JSON file written next to it. */
export interface ReportData {
  version: 1;
  repositories: string[];
  period: Period;
  previous: Period;
  settings: {
    responderScope: ComputeOptions['responderScope'];
    firstResponseHours: number;
    businessDays: boolean;
    /** How many holidays the business time leaves out. */
    holidays: number;
    /** The priority labels' colours (six hex digits), for the trend chart. */
    priorityColors: Record<Priority, string>;
  };
  kpis: KpiRow[];
  current: PeriodMetrics;
  trend: Trend;
}

/** Computes the whole report over the records of one or more repositories. */
export function buildReport(
  items: readonly ItemRecord[],
  releases: readonly ReleaseRecord[],
  options: ComputeOptions,
  goals: KpiGoals,
  repositories: string[],
): ReportData {
  const previous = previousOf(options);
  const current = computePeriod(items, releases, options);
  const before = computePeriod(items, releases, options, previous);
  const settings: ReportData['settings'] = {
    responderScope: options.responderScope,
    firstResponseHours: options.firstResponseHours,
    businessDays: options.businessDays,
    holidays: options.holidays.length,
    priorityColors: options.priorityColors ?? priorityColorsOf(defaultConfig()),
  };
  return {
    version: 1,
    repositories: [...repositories].sort(),
    period: options.period,
    previous,
    settings,
    kpis: kpiRows(current, before, goals, settings),
    current,
    trend: computeTrend(items, options),
  };
}

function priorityColorsOf(config: ReturnType<typeof defaultConfig>): Record<Priority, string> {
  const c = config.prioritize['label-colors'];
  return { 'fix-it-now': c['fix-it-now'], high: c.high, low: c.low };
}
