/**
 * The priority flowchart of DESIGN.md as pure functions: facts in, a priority and the path taken out.
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
 * Runs the flowchart of DESIGN.md: blocked or new-user experience -> Fix it now; quick or brought up
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
  const lower = new Set(labels.map((l) => l.toLowerCase()));
  for (const p of [...PRIORITIES].reverse()) if (lower.has(names[p].toLowerCase())) return p;
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
