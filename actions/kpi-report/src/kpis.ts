// The KPIs of the summary table: the period's value, the previous period's, the change, and the goal.
import type { KpiGoals, Period } from '@userloop/core';
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
  /** `value - previous`, or null when either is missing. */
  change: number | null;
  goal: number | null;
  /** Met (true), missed (false), or no goal / no data (null). */
  met: boolean | null;
}

interface KpiDef {
  id: string;
  label: string;
  unit: KpiRow['unit'];
  better: KpiRow['better'];
  goal?: keyof KpiGoals;
  value: (m: PeriodMetrics) => number | null;
}

/** Every KPI, in table order. */
const KPIS: readonly KpiDef[] = [
  { id: 'open', label: 'Open issues', unit: 'count', better: 'lower', value: (m) => m.overall.open.total },
  { id: 'opened', label: 'Issues opened', unit: 'count', better: null, value: (m) => m.overall.opened },
  { id: 'closed', label: 'Issues closed', unit: 'count', better: 'higher', value: (m) => m.overall.closed },
  {
    id: 'first-response-median-hours',
    label: 'First response, median',
    unit: 'hours',
    better: 'lower',
    goal: 'first-response-median-hours',
    value: (m) => m.overall.firstResponse.median,
  },
  {
    id: 'first-response-p90-hours',
    label: 'First response, p90',
    unit: 'hours',
    better: 'lower',
    goal: 'first-response-p90-hours',
    value: (m) => m.overall.firstResponse.p90,
  },
  {
    id: 'answered-within-goal',
    label: 'Answered within goal',
    unit: 'share',
    better: 'higher',
    goal: 'answered-within-goal',
    value: (m) => m.overall.firstResponse.withinGoal,
  },
  { id: 'unanswered', label: 'Waiting for a first response', unit: 'count', better: 'lower', goal: 'unanswered', value: (m) => m.overall.waiting.count },
  { id: 'close-median-days', label: 'Time to close, median', unit: 'days', better: 'lower', goal: 'close-median-days', value: (m) => m.overall.close.all.median },
  { id: 'close-p90-days', label: 'Time to close, p90', unit: 'days', better: 'lower', goal: 'close-p90-days', value: (m) => m.overall.close.all.p90 },
  { id: 'overdue', label: 'Overdue commitments', unit: 'count', better: 'lower', goal: 'overdue', value: (m) => m.overall.commitments.overdue.length },
  {
    id: 'commitments-kept',
    label: 'Commitments kept on time',
    unit: 'share',
    better: 'higher',
    goal: 'commitments-kept',
    value: (m) => m.overall.commitments.keptShare,
  },
  { id: 'docs-share', label: 'Feature PRs with docs', unit: 'share', better: 'higher', goal: 'docs-share', value: (m) => m.shipping.docsShare },
  { id: 'merged', label: 'Pull requests merged', unit: 'count', better: null, value: (m) => m.shipping.mergedPulls },
  { id: 'people-notified', label: 'People notified', unit: 'count', better: null, value: (m) => m.shipping.peopleNotified },
];

/** Whether a value meets a goal in the KPI's better direction (at or under for lower, at or over for higher). */
function meetsGoal(value: number | null, goal: number | null, better: KpiRow['better']): boolean | null {
  if (value === null || goal === null || better === null) return null;
  return better === 'lower' ? value <= goal : value >= goal;
}

/** The KPI rows from this period's and the previous period's numbers. */
function kpiRows(current: PeriodMetrics, previous: PeriodMetrics, goals: KpiGoals): KpiRow[] {
  return KPIS.map((k) => {
    const value = k.value(current);
    const prev = k.value(previous);
    const goal = k.goal ? (goals[k.goal] ?? null) : null;
    return {
      id: k.id,
      label: k.label,
      unit: k.unit,
      better: k.better,
      value,
      previous: prev,
      change: value !== null && prev !== null ? value - prev : null,
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
  return {
    version: 1,
    repositories: [...repositories].sort(),
    period: options.period,
    previous,
    settings: {
      responderScope: options.responderScope,
      firstResponseHours: options.firstResponseHours,
      businessDays: options.businessDays,
    },
    kpis: kpiRows(current, before, goals),
    current,
    trend: computeTrend(items, options),
  };
}
