/**
 * The team's priority flowchart (actions/prioritize/README.md, "What it does") as pure functions: facts in,
 * a priority and the path taken out.
 * Shared by `prioritize` (which decides) and `kpi-report` (which reads priorities back from labels and
 * markers).
 */

/** A priority, from the most to the least urgent. */
export type Priority = 'fix-it-now' | 'high' | 'low';

/** Every priority, least urgent first (index = rank). */
export const PRIORITIES: readonly Priority[] = ['low', 'high', 'fix-it-now'];

/** The default label of each priority (configurable in `.github/userloop.yml`, `prioritize.labels`). */
export const DEFAULT_PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  'fix-it-now': 'priority: fix it now',
  high: 'priority: high',
  low: 'priority: low',
};

/** How each priority is said to a person. */
export const PRIORITY_NAMES: Readonly<Record<Priority, string>> = {
  'fix-it-now': 'Fix it now',
  high: 'High',
  low: 'Low',
};

/** The questions of the flowchart, in the order they are asked. */
export type FlowchartStep = 'blocked' | 'new-user' | 'quick' | 'brought-up-before';

/** The reasons a priority may be bumped one level. */
export type BumpReason = 'valued-member' | 'contributor' | 'big-impact';

/** The answers the flowchart needs, gathered by the caller from forms, labels, phrases and the ledger. */
export interface PriorityFacts {
  /** A user is blocked by it. */
  blocked: boolean;
  /** It affects a new user's experience. */
  newUser: boolean;
  /** It is a quick change (under 30 minutes). */
  quick: boolean;
  /** It has been brought up before: more than one person, or a duplicate. */
  broughtUpBefore: boolean;
  /** Reasons to bump the flowchart's answer one level (any number of reasons bump one level). */
  bumps?: readonly BumpReason[];
}

/**
 * One step of the path, as written in the marker: `blocked:yes`, `quick:no`, `bump:big-impact`,
 * `pinned:<label>`, `raised:<reason>`, `kept:<priority>`.
 */
export type PathStep = string;

/** What the flowchart decided and why. */
export interface FlowchartResult {
  /** The priority after bumps. */
  priority: Priority;
  /** The flowchart's own answer before bumps. */
  flowchart: Priority;
  /** The step that decided the flowchart's answer (`null` for the fall-through to Low). */
  decidedBy: FlowchartStep | null;
  /** The bump reasons that applied (deduplicated, in a fixed order). */
  bumps: BumpReason[];
  /** The questions asked with their answers, then the bumps: `['blocked:no', 'new-user:yes', 'bump:valued-member']`. */
  path: PathStep[];
}

const STEPS: readonly { step: FlowchartStep; key: keyof Omit<PriorityFacts, 'bumps'>; yes: Priority }[] = [
  { step: 'blocked', key: 'blocked', yes: 'fix-it-now' },
  { step: 'new-user', key: 'newUser', yes: 'fix-it-now' },
  { step: 'quick', key: 'quick', yes: 'high' },
  { step: 'brought-up-before', key: 'broughtUpBefore', yes: 'high' },
];

const BUMP_ORDER: readonly BumpReason[] = ['valued-member', 'contributor', 'big-impact'];

/** The rank of a priority: low 0, high 1, fix-it-now 2. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** The more urgent of two priorities (`null` counts as nothing). */
export function maxPriority(a: Priority | null | undefined, b: Priority | null | undefined): Priority | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return priorityRank(a) >= priorityRank(b) ? a : b;
}

/** One level more urgent, capped at Fix it now. */
export function bumpPriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(priorityRank(priority) + 1, PRIORITIES.length - 1)] as Priority;
}

/** Whether a string is a priority id. */
export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/**
 * Runs the flowchart: blocked or new-user experience -> Fix it now; quick or brought up
 * before -> High; otherwise Low. Then one level up when any bump reason applies (never above Fix it now).
 * The path lists each question asked, in order, until the first "yes".
 */
export function runFlowchart(facts: PriorityFacts): FlowchartResult {
  const path: PathStep[] = [];
  let flowchart: Priority = 'low';
  let decidedBy: FlowchartStep | null = null;
  for (const { step, key, yes } of STEPS) {
    const answer = facts[key];
    path.push(`${step}:${answer ? 'yes' : 'no'}`);
    if (answer) {
      flowchart = yes;
      decidedBy = step;
      break;
    }
  }
  const bumps = BUMP_ORDER.filter((reason) => facts.bumps?.includes(reason));
  for (const reason of bumps) path.push(`bump:${reason}`);
  const priority = bumps.length > 0 ? bumpPriority(flowchart) : flowchart;
  return { priority, flowchart, decidedBy, bumps, path };
}

/** The priority a set of label names carries (the most urgent managed label wins), or `null`. */
export function priorityFromLabels(
  labels: readonly string[],
  names: Readonly<Record<Priority, string>> = DEFAULT_PRIORITY_LABELS,
): Priority | null {
  for (let k = PRIORITIES.length - 1; k >= 0; k -= 1) {
    const p = PRIORITIES[k]!;
    const name = names[p].toLowerCase();
    if (labels.some((l) => l.toLowerCase() === name)) return p;
  }
  return null;
}

/**
 * The date `days` business days (Monday to Friday, skipping `holidays` given as `YYYY-MM-DD`) after
 * `from`, as `YYYY-MM-DD` in UTC. `days = 0` is `from` itself when it is a business day, else the next one.
 */
export function addBusinessDays(from: Date | string, days: number, holidays: readonly string[] = []): string {
  const skip = new Set(holidays);
  const d = new Date(typeof from === 'string' ? from : from.getTime());
  if (Number.isNaN(d.getTime())) throw new Error(`addBusinessDays: not a date: ${String(from)}`);
  d.setUTCHours(0, 0, 0, 0);
  const isBusiness = (x: Date) => x.getUTCDay() !== 0 && x.getUTCDay() !== 6 && !skip.has(x.toISOString().slice(0, 10));
  while (!isBusiness(d)) d.setUTCDate(d.getUTCDate() + 1);
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isBusiness(d)) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

/** How far each priority's promise reaches (the `prioritize` config's `due-business-days` and `due-weeks`). */
export interface DueRules {
  /** Business days after the rating's day: Fix it now's promise, and High's when set (the old meaning). */
  businessDays: { 'fix-it-now': number; high?: number | undefined };
  /** High's promise: the last business day of the week this many weeks after the rating's week (1 = next week). */
  weeks: { high: number };
}

/** The default rules: Fix it now the next business day, High the Friday of next week. */
export const DEFAULT_DUE_RULES: DueRules = { businessDays: { 'fix-it-now': 1 }, weeks: { high: 1 } };

/** The time zone a due date's day is counted in, as said to people. */
export const DUE_TIME_ZONE = 'UTC';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function utcDay(from: Date | string, what: string): Date {
  const d = new Date(typeof from === 'string' ? from : from.getTime());
  if (Number.isNaN(d.getTime())) throw new Error(`${what}: not a date: ${String(from)}`);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

function businessDay(d: Date, skip: ReadonlySet<string>): boolean {
  return d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !skip.has(d.toISOString().slice(0, 10));
}

/**
 * The last business day (Monday to Friday, not one of `holidays`) of the UTC week (Monday to Sunday) that is
 * `weeks` weeks after the week of `from`, as `YYYY-MM-DD`: `weeks = 1` on any day of a week is the Friday of the
 * next week (or the Thursday before it when that Friday is a holiday). A week with no business day at all
 * gives the first business day after it.
 */
export function endOfWeek(from: Date | string, weeks: number, holidays: readonly string[] = []): string {
  const skip = new Set(holidays);
  const d = utcDay(from, 'endOfWeek');
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - sinceMonday + 7 * Math.max(0, Math.floor(weeks)) + 4); // that week's Friday
  const monday = new Date(d.getTime() - 4 * 86_400_000);
  while (d.getTime() >= monday.getTime() && !businessDay(d, skip)) d.setUTCDate(d.getUTCDate() - 1);
  if (d.getTime() < monday.getTime()) {
    d.setUTCDate(d.getUTCDate() + 8); // the Monday after that week, then on to a business day
    while (!businessDay(d, skip)) d.setUTCDate(d.getUTCDate() + 1);
  }
  return d.toISOString().slice(0, 10);
}

/**
 * The `days`-th business day after the day of `from` (UTC), counted from that day whether or not it is a
 * business day: a Friday or a Saturday plus 1 is the Monday. `days = 0` is that day when it is a business
 * day, else the next one.
 */
export function nextBusinessDay(from: Date | string, days = 1, holidays: readonly string[] = []): string {
  const skip = new Set(holidays);
  const d = utcDay(from, 'nextBusinessDay');
  let left = Math.max(0, Math.floor(days));
  if (left === 0) while (!businessDay(d, skip)) d.setUTCDate(d.getUTCDate() + 1);
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (businessDay(d, skip)) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

/**
 * The date promised for a priority rated at `ratedAt`, as `YYYY-MM-DD` (a UTC day; the promise holds until the
 * end of that day, see {@link dueDeadline}): Fix it now "today or tomorrow" is `businessDays.fix-it-now` business
 * days after the rating's day (default 1: the next business day); High "this week or next week" is the end of
 * the week `weeks.high` weeks after the rating's week (default 1: the Friday of next week), or
 * `businessDays.high` business days when that is set; Low has none (`null`). The one rule behind the reply and
 * the KPI report.
 */
export function dueDate(priority: Priority, ratedAt: Date | string, rules: DueRules = DEFAULT_DUE_RULES, holidays: readonly string[] = []): string | null {
  if (priority === 'low') return null;
  if (priority === 'fix-it-now') return nextBusinessDay(ratedAt, rules.businessDays['fix-it-now'], holidays);
  const days = rules.businessDays.high;
  return days !== undefined ? nextBusinessDay(ratedAt, days, holidays) : endOfWeek(ratedAt, rules.weeks.high, holidays);
}

/** The instant a due date lapses: the end of its day in {@link DUE_TIME_ZONE} (the next midnight UTC), in ms. */
export function dueDeadline(due: string): number {
  const start = Date.parse(`${due}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || Number.isNaN(start)) throw new Error(`dueDeadline: not a date YYYY-MM-DD: ${due}`);
  return start + 86_400_000;
}

/** A due date as said to a person: "Friday 2026-12-11, end of day UTC". */
export function dueWords(due: string): string {
  const day = WEEKDAYS[new Date(`${due}T00:00:00Z`).getUTCDay()] ?? '';
  return `${day} ${due}, end of day ${DUE_TIME_ZONE}`;
}
