// Every number of the report, computed from plain records by pure functions. Definitions are in the
// README ("Metric definitions"); the tests pin them on a hand-computed dataset.
import {
  DAY_MS,
  HOUR_MS,
  dueDeadline,
  globMatcher,
  elapsedMs,
  inPeriod,
  isBot,
  parseConventionalTitle,
  median,
  openIntervals,
  percentile,
  periodsEndingWith,
  priorityFromLabels,
  share,
  shiftPeriod,
  type Period,
  type Priority,
  type UserloopConfig,
  MEMBER_ASSOCIATIONS,
} from '@userloop/core';
import type { ItemRecord, ReleaseRecord, StateChangeRecord } from './model.ts';

/** A priority bucket: the three priorities, or `none` for issues nobody prioritized. */
export type PriorityKey = Priority | 'none';
/** Buckets in display order, most urgent first. */
export const PRIORITY_KEYS: readonly PriorityKey[] = ['fix-it-now', 'high', 'low', 'none'];

/** One product area as the report needs it (the shared `areas` config section). */
export interface AreaDef {
  name: string;
  labels: string[];
  paths: string[];
  /** `@login` or `@org/team` */
  owners: string[];
  /**
   * A CODEOWNERS rule's area: tells whether its line is the one deciding a file's owners (the last matching
   * line, GitHub's rule); used instead of `paths`, so a file counts for one CODEOWNERS area at most.
   */
  decides?: (path: string) => boolean;
}

/** How to count. */
export interface ComputeOptions {
  period: Period;
  areas: AreaDef[];
  /** Extra bot logins (config `bots`); logins ending in `[bot]` and accounts typed Bot always are. */
  bots: string[];
  responderScope: 'anyone' | 'members' | 'owners';
  /** Members of the teams named as owners: `@org/team` -> logins. */
  teamMembers: Record<string, string[]>;
  firstResponseHours: number;
  businessDays: boolean;
  holidays: string[];
  priorityLabels: Record<Priority, string>;
  /** Items carrying this label (the report issues themselves) are left out. */
  excludeLabel: string | null;
  topRequested: number;
  trendPeriods: number;
  feature: { labels: string[]; titleTypes: string[] };
  /** Colours (six hex digits) of the priority labels (prioritize's `label-colors`), for the trend chart; default: the config's defaults. */
  priorityColors?: Record<Priority, string>;
  /** Tells whether a changed file is a doc (require-docs' `docs.globs`). */
  isDocPath: (path: string) => boolean;
  /** Tells whether a changed file is under an area's paths. */
  pathMatcher: (patterns: string[]) => (path: string) => boolean;
  skipLabel: string;
}

/** The counting options from the config, for the report's period, areas and team members. */
export function computeOptions(config: UserloopConfig, period: Period, areas: AreaDef[], teams: Record<string, string[]>): ComputeOptions {
  const k = config['kpi-report'];
  const docs = config['require-docs'];
  return {
    period,
    areas,
    bots: config.bots,
    responderScope: k['responder-scope'],
    teamMembers: teams,
    firstResponseHours: k['first-response-hours'],
    businessDays: k['business-days'],
    holidays: k.holidays,
    priorityLabels: config.prioritize.labels,
    priorityColors: {
      'fix-it-now': config.prioritize['label-colors']['fix-it-now'],
      high: config.prioritize['label-colors'].high,
      low: config.prioritize['label-colors'].low,
    },
    excludeLabel: k.labels[0] ?? null,
    topRequested: k['top-requested'],
    trendPeriods: k['trend-periods'],
    feature: { labels: docs.feature.labels, titleTypes: docs.feature['title-types'] },
    isDocPath: globMatcher(docs.docs.globs),
    pathMatcher: (patterns) => globMatcher(patterns),
    skipLabel: docs['skip-label'],
  };
}

/** A pointer to an issue or pull request in the report. */
export interface ItemRef {
  repository: string;
  number: number;
  title: string;
  url: string;
}

/** Median and p90 of a sample. */
export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

/** Time to first response in a period, in hours. */
interface FirstResponseMetrics extends Distribution {
  /** Items opened in the period that got a response before the period ended. */
  answered: number;
  /** Items opened in the period still open and unanswered at its end (they enter the sample with their wait so far). */
  unanswered: number;
  /** Items opened in the period that were closed without any response (left out of the sample). */
  closedWithoutReply: number;
  /** Answered within the goal / (answered + unanswered that already waited longer than the goal). */
  withinGoal: number | null;
  /** The items `withinGoal` is a share of: answered, plus unanswered that already waited longer than the goal. */
  goalSample: number;
}

/** Open items still waiting for a first response at the end of the period (any age). */
interface WaitingMetrics {
  count: number;
  /** Longest wait in hours, or null. */
  oldestHours: number | null;
  items: (ItemRef & { waitingHours: number })[];
}

/** Commitments (due dates promised by prioritize). */
interface CommitmentMetrics {
  overdue: (ItemRef & { due: string; owners: readonly string[] })[];
  dueInPeriod: number;
  kept: number;
  keptShare: number | null;
}

/** The numbers of one area (or overall, or the unowned issues). */
export interface AreaMetrics {
  name: string;
  owners: string[];
  open: Record<PriorityKey, number> & { total: number };
  opened: number;
  closed: number;
  reopened: number;
  firstResponse: FirstResponseMetrics;
  waiting: WaitingMetrics;
  /** Time to close in days, by priority and for all, leaving out not-planned and duplicates. */
  close: Record<PriorityKey | 'all', Distribution>;
  commitments: CommitmentMetrics;
}

/** Shipping in the period. */
interface ShippingMetrics {
  releases: { repository: string; tagName: string; url: string; publishedAt: string }[];
  mergedPulls: number;
  featurePulls: number;
  featurePullsWithDocs: number;
  /** Feature pull requests whose files could not all be read (not counted either way). */
  featurePullsDocsUnknown: number;
  docsSkips: number;
  docsShare: number | null;
  peopleNotified: number;
}

/** One owner's promised dates that fell in a period: kept (closed by the date), slipped, and re-promised after slipping. */
export interface PromiseCounts {
  /** `@login` or `@org/team`: whom the reminder of the date named, else the issue's area owners; or `(no owner)`. */
  owner: string;
  kept: number;
  /** Passed with the issue open (a slip notice recorded it, or the issue was open at the end of the day). */
  slipped: number;
  /** Slipped, and a new date was promised since (the priority changed and prioritize wrote another due date). */
  repromised: number;
}

/** Required information prioritize asked for (its `required-info`): how often it was missing, how long completing it took. */
export interface InfoMetrics {
  /** Issues opened in the period. */
  opened: number;
  /** Of them, those whose first reply asked for missing information. */
  asked: number;
  /** `asked` of `opened`; `null` when none was opened. */
  askedShare: number | null;
  /** Hours from the ask to complete (business time when the report counts it), of the issues completed in the period. */
  completion: Distribution;
  /** Open issues still missing information at the end of the period. */
  waiting: number;
}

/** Proposed solutions (prioritize's `proposals`): how long until one was proposed, and who still has to answer. */
interface ProposalMetrics {
  /** Hours from an issue's opening to its first proposed solution (business time when the report counts it), of the first proposals made in the period. */
  time: Distribution;
  /** Open issues whose latest proposal waits for the reporter's answer at the end of the period. */
  waiting: number;
  /** The longest of those waits in hours, or `null`. */
  oldestHours: number | null;
  /** The reporters' answers given in the period. */
  yes: number;
  no: number;
}

/** Proposed solutions over all issues, the waiting ones (longest wait first), and the same numbers per area (then the unowned issues). */
export interface ProposalReport extends ProposalMetrics {
  items: (ItemRef & { waitingHours: number })[];
  byArea: (ProposalMetrics & { name: string; owners: string[] })[];
}

/** The numbers of one period. */
export interface PeriodMetrics {
  period: Period;
  overall: AreaMetrics;
  areas: AreaMetrics[];
  unowned: AreaMetrics;
  /** Open issues with no area. */
  unownedItems: ItemRef[];
  overdueByOwner: { owner: string; items: (ItemRef & { due: string })[] }[];
  /** Promised dates that fell in the period, per owner (most slipped first); an issue with several owners counts for each. */
  promisesByOwner: PromiseCounts[];
  /** The same over all issues, each promised date once. */
  promises: Omit<PromiseCounts, 'owner'>;
  /** How often information was missing, and how long completing it took. */
  missingInfo: InfoMetrics;
  /** Proposed solutions: the time to the first one, and those waiting for the reporter's answer. */
  proposals: ProposalReport;
  /** Requesters count the people who asked outside GitHub (`outside` of them). */
  topRequested: (ItemRef & { requesters: number; outside: number; priority: PriorityKey })[];
  /** People who asked outside GitHub for the issues open at the end of the period. */
  outsideRequesters: number;
  shipping: ShippingMetrics;
}

/** Open issues by priority at the end of each period of the trend, oldest first. */
export interface Trend {
  periods: string[];
  series: Record<PriorityKey, number[]>;
}

/** An item's author as `isBot` reads it: the snapshot keeps GitHub's `Bot` type as a flag. */
const authorOf = (i: ItemRecord) => ({ login: i.author ?? '', type: i.authorIsBot ? 'Bot' : null });
const ms = (iso: string): number => Date.parse(iso);

/**
 * What the report asks of an item's history again and again (every period, every area it is in), worked
 * out once per record: its closes and reopens in time order and the instants it was open between.
 */
interface History {
  changes: readonly StateChangeRecord[];
  /** The time of each of `changes`, in milliseconds. */
  changeMs: readonly number[];
  createdMs: number;
  /** The `[from, to)` it was open in, in milliseconds, one pair after the other; the last `to` is Infinity while open. */
  open: readonly number[];
  /** The end of the promised due date's day ({@link dueDeadline}), or null when none is promised. */
  deadline: number | null;
}
/** Where a record keeps its {@link History} while the report is computed (a symbol: never written to JSON). */
const HISTORY = Symbol('history');

/** The item's closes and reopens; when its timeline was not read to the end, its current state fills in. */
function history(item: ItemRecord): History {
  const withHistory = item as ItemRecord & { [HISTORY]?: History };
  const known = withHistory[HISTORY];
  if (known) return known;
  let changes = item.changes;
  const closedAt = item.mergedAt ?? item.closedAt;
  if (item.state !== 'OPEN' && closedAt) {
    const last = changes[changes.length - 1];
    if (!item.timelineComplete || !last || last.type !== 'closed') {
      if (!changes.some((c) => c.type === 'closed' && c.at === closedAt)) {
        changes = [...changes, { type: 'closed', at: closedAt, reason: item.stateReason }];
      }
    }
  }
  let changeMs = changes.map((c) => ms(c.at));
  if (changeMs.some((t, k) => k > 0 && t < changeMs[k - 1]!)) {
    changes = [...changes].sort((a, b) => ms(a.at) - ms(b.at));
    changeMs = changes.map((c) => ms(c.at));
  }
  const intervals = openIntervals(item.createdAt, changes);
  // Of its exact length: an array grown by push keeps room for 17 numbers, and a report holds a history per record.
  const open = new Array<number>(intervals.length * 2);
  for (let k = 0; k < intervals.length; k += 1) {
    open[2 * k] = ms(intervals[k]!.from);
    open[2 * k + 1] = intervals[k]!.to === null ? Infinity : ms(intervals[k]!.to!);
  }
  const h: History = { changes, changeMs, createdMs: ms(item.createdAt), open, deadline: item.commitment?.due ? dueDeadline(item.commitment.due) : null };
  Object.defineProperty(withHistory, HISTORY, { value: h, enumerable: false });
  return h;
}

const stateChanges = (item: ItemRecord): readonly StateChangeRecord[] => history(item).changes;

/**
 * Whether the item was open at the end of a period that ends at `end`, i.e. at its last millisecond:
 * an item opened exactly at `end` belongs to the next period, one closed exactly at `end` was still open.
 */
export function openAt(item: ItemRecord, end: string | number): boolean {
  return openBefore(history(item), typeof end === 'number' ? end : ms(end));
}

/** {@link openAt} of a history, the end in milliseconds. */
function openBefore(h: History, end: number): boolean {
  const last = end - 1;
  if (h.createdMs > last) return false;
  for (let k = 0; k < h.open.length; k += 2) if (h.open[k]! <= last && last < h.open[k + 1]!) return true;
  return false;
}

/** The item's priority: the prioritize marker, else a priority label, else `none`. */
function priorityOf(item: ItemRecord, labels: Record<Priority, string>): PriorityKey {
  return item.commitment?.priority ?? priorityFromLabels(item.labels, labels) ?? 'none';
}

/**
 * What the report asks of an item under one set of options, again and again (each period, each area),
 * worked out once: its priority, whether it counts, its areas and their owners, its first response.
 */
interface Facts {
  /** The options they were worked out for. */
  options: ComputeOptions;
  priority: PriorityKey;
  /** Carries the excluded label (a report issue itself): in no number. */
  excluded: boolean;
  /** Opened by a bot: in no number but shipping's. */
  botAuthor: boolean;
  /** Names of the areas it belongs to. */
  areas: readonly string[];
  /** Those areas' owners (`@login`, `@org/team`), each once. */
  owners: readonly string[];
  /**
   * Its earliest qualifying response at any time: a period's first response is this one when it came
   * before the period's end, else there is none yet.
   */
  firstResponseMs: number | null;
}

/** No areas, or no owners: one empty list for every item that has none. */
const NO_NAMES: readonly string[] = Object.freeze([]);

/** Each area's path matcher, per options object. */
const AREA_MATCHERS = new WeakMap<ComputeOptions, ((path: string) => boolean)[]>();
/**
 * Where a record keeps its {@link Facts} and the options they were worked out for: a report computes its
 * periods and its trend with one options object; other options work them out again.
 */
const FACTS = Symbol('facts');

function facts(item: ItemRecord, options: ComputeOptions): Facts {
  const withFacts = item as ItemRecord & { [FACTS]?: Facts };
  const known = withFacts[FACTS];
  if (known?.options === options) return known;
  let matchers = AREA_MATCHERS.get(options);
  if (!matchers) {
    matchers = options.areas.map((a) => a.decides ?? options.pathMatcher(a.paths));
    AREA_MATCHERS.set(options, matchers);
  }
  const excludeLabel = options.excludeLabel?.toLowerCase();
  const areas = areasOf(item, options, matchers);
  const owners = areas.length === 0 ? NO_NAMES : [...new Set(areas.flatMap((name) => options.areas.find((a) => a.name === name)?.owners ?? []))];
  const ownerLogins = options.responderScope === 'owners' ? owners.flatMap((o) => expandOwner(o, options)) : [];
  const at = firstResponse(item, Infinity, options.responderScope, options.bots, ownerLogins);
  const f: Facts = {
    options,
    priority: priorityOf(item, options.priorityLabels),
    excluded: excludeLabel !== undefined && item.labels.some((l) => l.toLowerCase() === excludeLabel),
    botAuthor: isBot(authorOf(item), options.bots),
    areas,
    owners,
    firstResponseMs: at === null ? null : ms(at),
  };
  Object.defineProperty(withFacts, FACTS, { value: f, enumerable: false, writable: true });
  return f;
}

/**
 * Names of the areas an item belongs to: any of the area's labels (any case), or for a pull request a
 * changed file under its paths (`matchers`: each area's, in order).
 */
function areasOf(item: ItemRecord, options: Pick<ComputeOptions, 'areas'>, matchers: readonly ((path: string) => boolean)[]): readonly string[] {
  if (options.areas.length === 0) return NO_NAMES;
  const labels = new Set(item.labels.map((l) => l.toLowerCase()));
  const names = options.areas
    .filter((area, k) => {
      if (area.labels.some((l) => labels.has(l.toLowerCase()))) return true;
      if (item.kind === 'pull' && item.files && (area.decides || area.paths.length > 0)) return item.files.some(matchers[k]!);
      return false;
    })
    .map((a) => a.name);
  return names.length === 0 ? NO_NAMES : names;
}

/** Items in order of repository, then number (most lists hold one repository's: no string to compare then). */
function byRepositoryAndNumber(a: Pick<ItemRecord, 'repository' | 'number'>, b: Pick<ItemRecord, 'repository' | 'number'>): number {
  return a.repository === b.repository ? a.number - b.number : a.repository.localeCompare(b.repository);
}

function ref(item: ItemRecord): ItemRef {
  return { repository: item.repository, number: item.number, title: item.title, url: item.url };
}

/**
 * {@link ref} and how long the item has waited. Here and for the other lists, each entry is one object
 * literal: spreading a `ref` into a new object costs forty times as much, for each of tens of thousands.
 */
function waitingRef(item: ItemRecord, waitingHours: number): ItemRef & { waitingHours: number } {
  return { repository: item.repository, number: item.number, title: item.title, url: item.url, waitingHours };
}

function distribution(values: number[]): Distribution {
  return { count: values.length, median: median(values), p90: percentile(values, 90) };
}

const NO_OWNERS: ReadonlySet<string> = new Set();

/**
 * The earliest qualifying response before `before` (an instant, or its milliseconds), or null. The earliest
 * by time, not by place in the list: a period's first response is then the item's first ever when that one
 * came before the period's end, whatever order a records file holds them in.
 */
export function firstResponse(
  item: ItemRecord,
  before: string | number,
  scope: ComputeOptions['responderScope'],
  bots: readonly string[],
  ownerLogins: readonly string[],
): string | null {
  const owners = scope === 'owners' ? new Set(ownerLogins.map((l) => l.toLowerCase())) : NO_OWNERS;
  const end = typeof before === 'number' ? before : ms(before);
  const author = item.author?.toLowerCase();
  let first: { at: string; ms: number } | null = null;
  for (const r of item.responses) {
    const t = ms(r.at);
    if (t >= end || (first !== null && t >= first.ms)) continue;
    const login = r.login.toLowerCase();
    if (login === author) continue;
    if (isBot(r.login, bots)) continue;
    const member = MEMBER_ASSOCIATIONS.has(r.association);
    // Owners scope: the area's owners; an item without owners falls back to members.
    if (scope === 'members' && !member) continue;
    if (scope === 'owners' && (owners.size > 0 ? !owners.has(login) : !member)) continue;
    first = { at: r.at, ms: t };
  }
  return first?.at ?? null;
}

function areaMetrics(name: string, owners: string[], items: ItemRecord[], options: ComputeOptions, period: Period): AreaMetrics {
  const time = { businessDays: options.businessDays, holidays: options.holidays };
  const dur = (from: number, to: number) => elapsedMs(from, to, time);
  const issues = items.filter((i) => i.kind === 'issue');

  const open = { total: 0, 'fix-it-now': 0, high: 0, low: 0, none: 0 } as AreaMetrics['open'];
  let opened = 0;
  let closed = 0;
  let reopened = 0;
  const closeValues: Record<PriorityKey | 'all', number[]> = { 'fix-it-now': [], high: [], low: [], none: [], all: [] };
  const overdue: CommitmentMetrics['overdue'] = [];
  let dueInPeriod = 0;
  let kept = 0;
  const startMs = ms(period.start);
  const endMs = ms(period.end);
  const within = (t: number) => t >= startMs && t < endMs;
  for (const issue of issues) {
    const priority = facts(issue, options).priority;
    const isOpen = openAt(issue, endMs);
    if (isOpen) {
      open.total += 1;
      open[priority] += 1;
    }
    const h = history(issue);
    if (within(h.createdMs)) opened += 1;
    const changes = h.changes;
    let lastClose = -1;
    let reopenedIn = false;
    for (let k = 0; k < changes.length; k += 1) {
      if (!within(h.changeMs[k]!)) continue;
      if (changes[k]!.type === 'reopened') reopenedIn = true;
      else if (changes[k]!.type === 'closed') lastClose = k;
    }
    if (reopenedIn) reopened += 1;
    if (lastClose >= 0 && !isOpen) {
      closed += 1;
      const reason = changes[lastClose]!.reason;
      if (reason !== 'NOT_PLANNED' && reason !== 'DUPLICATE') {
        const days = dur(h.createdMs, h.changeMs[lastClose]!) / DAY_MS;
        closeValues[priority].push(days);
        closeValues.all.push(days);
      }
    }
    const due = issue.commitment?.due;
    // The end of the due date's day (the next midnight UTC): a due date is kept when closed before it.
    const deadline = h.deadline;
    if (due && deadline !== null) {
      if (isOpen && deadline <= endMs) overdue.push({ repository: issue.repository, number: issue.number, title: issue.title, url: issue.url, due, owners: facts(issue, options).owners });
      if (within(deadline - DAY_MS)) {
        dueInPeriod += 1;
        if (changes.some((c, k) => c.type === 'closed' && c.reason !== 'NOT_PLANNED' && h.changeMs[k]! < deadline)) kept += 1;
      }
    }
  }

  // First response: issues and pull requests (by humans: bots' are not among `items`).
  const sample: number[] = [];
  let answered = 0;
  let unanswered = 0;
  let closedWithoutReply = 0;
  let withinGoal = 0;
  let missed = 0;
  const goalMs = options.firstResponseHours * HOUR_MS;
  const waiting: WaitingMetrics['items'] = [];
  for (const item of items) {
    const createdMs = history(item).createdMs;
    if (createdMs >= endMs) continue;
    const ever = facts(item, options).firstResponseMs;
    const first = ever !== null && ever < endMs ? ever : null;
    const isOpen = openAt(item, endMs);
    if (first === null && isOpen) {
      waiting.push(waitingRef(item, dur(createdMs, endMs) / HOUR_MS));
    }
    if (!within(createdMs)) continue;
    if (first !== null) {
      const value = dur(createdMs, first);
      answered += 1;
      sample.push(value / HOUR_MS);
      if (value <= goalMs) withinGoal += 1;
      else missed += 1;
    } else if (isOpen) {
      const value = dur(createdMs, endMs);
      unanswered += 1;
      sample.push(value / HOUR_MS);
      if (value > goalMs) missed += 1;
    } else {
      closedWithoutReply += 1;
    }
  }
  waiting.sort((a, b) => b.waitingHours - a.waitingHours || a.number - b.number);

  return {
    name,
    owners,
    open,
    opened,
    closed,
    reopened,
    firstResponse: {
      ...distribution(sample),
      answered,
      unanswered,
      closedWithoutReply,
      withinGoal: share(withinGoal, withinGoal + missed),
      goalSample: withinGoal + missed,
    },
    waiting: { count: waiting.length, oldestHours: waiting[0]?.waitingHours ?? null, items: waiting },
    close: {
      'fix-it-now': distribution(closeValues['fix-it-now']),
      high: distribution(closeValues.high),
      low: distribution(closeValues.low),
      none: distribution(closeValues.none),
      all: distribution(closeValues.all),
    },
    commitments: { overdue, dueInPeriod, kept, keptShare: share(kept, dueInPeriod) },
  };
}

function expandOwner(owner: string, options: Pick<ComputeOptions, 'teamMembers'>): string[] {
  if (owner.includes('/')) return options.teamMembers[owner.toLowerCase()] ?? options.teamMembers[owner] ?? [];
  return [owner.replace(/^@/, '')];
}

/** Whether a pull request is a feature: a feature label (any case) or a conventional title `feat:`, `feat(x):`, `feat!:`. */
export function isFeaturePull(item: ItemRecord, feature: ComputeOptions['feature']): boolean {
  const labels = new Set(item.labels.map((l) => l.toLowerCase()));
  if (feature.labels.some((l) => labels.has(l.toLowerCase()))) return true;
  const type = parseConventionalTitle(item.title)?.type;
  return type !== undefined && feature.titleTypes.some((t) => t.toLowerCase() === type);
}

function shipping(items: ItemRecord[], releases: ReleaseRecord[], options: ComputeOptions, period: Period): ShippingMetrics {
  const merged = items.filter((i) => i.kind === 'pull' && inPeriod(period, i.mergedAt ?? null));
  const features = merged.filter((i) => isFeaturePull(i, options.feature));
  let withDocs = 0;
  let unknown = 0;
  let skips = 0;
  for (const pull of features) {
    if (pull.labels.some((l) => l.toLowerCase() === options.skipLabel.toLowerCase())) skips += 1;
    if (pull.files == null) unknown += 1;
    else if (pull.files.some(options.isDocPath)) withDocs += 1;
  }
  const people = new Set<string>();
  for (const item of items) {
    for (const notice of item.notices) {
      if (inPeriod(period, notice.at)) for (const p of notice.people) people.add(p.toLowerCase());
    }
  }
  return {
    releases: releases
      .filter((r) => !r.isDraft && r.publishedAt && inPeriod(period, r.publishedAt))
      .sort((a, b) => ms(a.publishedAt ?? '') - ms(b.publishedAt ?? ''))
      .map((r) => ({ repository: r.repository, tagName: r.tagName, url: r.url, publishedAt: r.publishedAt ?? '' })),
    mergedPulls: merged.length,
    featurePulls: features.length,
    featurePullsWithDocs: withDocs,
    featurePullsDocsUnknown: unknown,
    docsSkips: skips,
    docsShare: share(withDocs, features.length - unknown),
    peopleNotified: people.size,
  };
}

/** The requesters of an issue: the prioritize ledger, else its author; bots left out. */
function requestersOf(item: ItemRecord, bots: readonly string[]): string[] {
  const logins = item.commitment ? item.commitment.requesters : item.author ? [item.author] : [];
  const seen = new Map<string, string>();
  for (const login of logins) if (!isBot(login, bots)) seen.set(login.toLowerCase(), login);
  return [...seen.values()];
}

/**
 * Every number of one period: overall, per area, for the unowned issues; commitments by owner; the
 * most-requested open issues; shipping.
 */
export function computePeriod(items: readonly ItemRecord[], releases: readonly ReleaseRecord[], options: ComputeOptions, period: Period = options.period): PeriodMetrics {
  const endMs = ms(period.end);
  const counted = items.filter((i) => !facts(i, options).excluded);
  const areaNames = (item: ItemRecord) => facts(item, options).areas;
  const ownersOf = (item: ItemRecord) => facts(item, options).owners;
  // Items opened by bots are left out of every metric but shipping (a merged bot pull request still shipped).
  const forMetrics = counted.filter((i) => !facts(i, options).botAuthor);

  const overall = areaMetrics('All', [], forMetrics, options, period);
  const areas = options.areas.map((area) =>
    areaMetrics(area.name, area.owners, forMetrics.filter((i) => areaNames(i).includes(area.name)), options, period),
  );
  const unownedSet = forMetrics.filter((i) => areaNames(i).length === 0);
  const unowned = areaMetrics('Unowned', [], unownedSet, options, period);
  const unownedItems = unownedSet
    .filter((i) => i.kind === 'issue' && openAt(i, endMs))
    .sort(byRepositoryAndNumber)
    .map(ref);

  const byOwner = new Map<string, (ItemRef & { due: string })[]>();
  for (const o of overall.commitments.overdue) {
    for (const owner of o.owners.length > 0 ? o.owners : ['(no owner)']) {
      const list = byOwner.get(owner) ?? [];
      list.push({ repository: o.repository, number: o.number, title: o.title, url: o.url, due: o.due });
      byOwner.set(owner, list);
    }
  }
  const overdueByOwner = [...byOwner.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([owner, list]) => ({ owner, items: list.sort((a, b) => (a.due === b.due ? a.number - b.number : a.due < b.due ? -1 : 1)) }));

  const { promisesByOwner, promises } = promiseCounts(forMetrics, ownersOf, period);

  // The open issues people asked for: an issue prioritize's intake opened (the bot's, recording someone who
  // asked outside GitHub) is one too, though its author is a bot.
  const requested = counted.filter((i) => i.kind === 'issue' && openAt(i, endMs) && (!facts(i, options).botAuthor || (i.commitment?.outside ?? 0) > 0));
  const requesterCount = (i: ItemRecord) => Math.max(requestersOf(i, options.bots).length, i.commitment?.requesterCount ?? 0) + (i.commitment?.outside ?? 0);
  const topRequested = requested
    .map((item) => ({ item, requesters: requesterCount(item) }))
    .sort((a, b) => b.requesters - a.requesters || byRepositoryAndNumber(a.item, b.item))
    .slice(0, options.topRequested)
    .map(({ item: i, requesters }) => ({ repository: i.repository, number: i.number, title: i.title, url: i.url, requesters, outside: i.commitment?.outside ?? 0, priority: facts(i, options).priority }));

  return {
    period,
    overall,
    areas,
    unowned,
    unownedItems,
    overdueByOwner,
    promisesByOwner,
    promises,
    missingInfo: infoMetrics(forMetrics, options, period),
    proposals: proposalReport(forMetrics, areaNames, options, period),
    topRequested,
    outsideRequesters: requested.reduce((n, i) => n + (i.commitment?.outside ?? 0), 0),
    shipping: shipping(counted, [...releases], options, period),
  };
}

/** What became of one promised date of an issue: kept or slipped, and re-promised after slipping. */
interface PromiseOutcome {
  due: string;
  kept: boolean;
  repromised: boolean;
}

/**
 * The promised dates of an issue that fell in the period and what became of each: the date its reply promises
 * now, and the dates its slip notices recorded (a date that slipped before a new one was promised). Kept: closed
 * (not as not planned) before the end of the date's day, as the commitments KPI counts it. Slipped: not kept, and
 * a slip notice recorded it or the issue was open at the end of the day. Re-promised: slipped, and the reply now
 * promises a later date. A date neither kept nor slipped (closed as not planned in time) is left out.
 */
function promiseOutcomes(issue: ItemRecord, period: Period): PromiseOutcome[] {
  const current = issue.commitment?.due ?? null;
  const recorded = issue.promises?.slipped ?? [];
  const inIt = recorded.filter((d) => inPeriod(period, `${d}T00:00:00Z`));
  if (current !== null && inPeriod(period, `${current}T00:00:00Z`)) inIt.push(current);
  if (inIt.length === 0) return [];
  const dates = [...new Set(inIt)].sort();
  const changes = stateChanges(issue);
  const out: PromiseOutcome[] = [];
  for (const due of dates) {
    const deadline = dueDeadline(due);
    const kept = due === current && changes.some((c) => c.type === 'closed' && c.reason !== 'NOT_PLANNED' && ms(c.at) < deadline);
    const slipped = !kept && (recorded.includes(due) || openAt(issue, deadline));
    if (!kept && !slipped) continue;
    out.push({ due, kept, repromised: slipped && current !== null && current > due });
  }
  return out;
}

/** The owners of a promised date: whom its reminder named, else the issue's area owners, else `(no owner)`. */
function promiseOwners(issue: ItemRecord, due: string, areaOwners: readonly string[]): string[] {
  const reminded = issue.promises?.reminded.filter((r) => r.due === due).flatMap((r) => r.owners) ?? [];
  const owners = reminded.length > 0 ? reminded : areaOwners;
  return owners.length > 0 ? [...new Set(owners)] : ['(no owner)'];
}

/** Kept, slipped and re-promised dates of the period, per owner and over all. */
function promiseCounts(
  issues: readonly ItemRecord[],
  ownersOf: (item: ItemRecord) => readonly string[],
  period: Period,
): { promisesByOwner: PromiseCounts[]; promises: Omit<PromiseCounts, 'owner'> } {
  const byOwner = new Map<string, PromiseCounts>();
  const all = { kept: 0, slipped: 0, repromised: 0 };
  const add = (to: Omit<PromiseCounts, 'owner'>, o: PromiseOutcome) => {
    if (o.kept) to.kept += 1;
    else to.slipped += 1;
    if (o.repromised) to.repromised += 1;
  };
  for (const issue of issues) {
    if (issue.kind !== 'issue') continue;
    for (const outcome of promiseOutcomes(issue, period)) {
      add(all, outcome);
      for (const owner of promiseOwners(issue, outcome.due, ownersOf(issue))) {
        const counts = byOwner.get(owner) ?? { owner, kept: 0, slipped: 0, repromised: 0 };
        add(counts, outcome);
        byOwner.set(owner, counts);
      }
    }
  }
  const promisesByOwner = [...byOwner.values()].sort((a, b) => b.slipped - a.slipped || b.kept - a.kept || a.owner.localeCompare(b.owner));
  return { promisesByOwner, promises: all };
}

/**
 * Required information in a period: of the issues opened in it, how many the first reply asked for missing
 * information; how long (from the ask) the issues completed in the period took; how many open issues still
 * miss it at the end.
 */
function infoMetrics(items: readonly ItemRecord[], options: Pick<ComputeOptions, 'businessDays' | 'holidays'>, period: Period): InfoMetrics {
  let opened = 0;
  let asked = 0;
  let waiting = 0;
  const hours: number[] = [];
  const startMs = ms(period.start);
  const endMs = ms(period.end);
  for (const issue of items) {
    if (issue.kind !== 'issue') continue;
    const info = issue.commitment?.info;
    const createdMs = history(issue).createdMs;
    if (createdMs >= startMs && createdMs < endMs) {
      opened += 1;
      if (info) asked += 1;
    }
    if (!info || ms(info.asked) >= endMs) continue;
    if (info.completed && inPeriod(period, info.completed)) {
      hours.push(elapsedMs(info.asked, info.completed, { businessDays: options.businessDays, holidays: options.holidays }) / HOUR_MS);
    }
    if ((!info.completed || ms(info.completed) >= endMs) && openAt(issue, endMs)) waiting += 1;
  }
  return { opened, asked, askedShare: share(asked, opened), completion: distribution(hours), waiting };
}

/**
 * Proposed solutions of some issues in a period: the time from opening to the first proposal (of the first
 * proposals made in the period), the open issues whose latest proposal waits for the reporter's answer at the
 * end of the period (and how long), and the answers given in it. The marker keeps the latest proposal only: an
 * earlier period sees the latest proposal made before its end, or none.
 */
function proposalMetrics(items: readonly ItemRecord[], options: Pick<ComputeOptions, 'businessDays' | 'holidays'>, period: Period): ProposalMetrics & { items: (ItemRef & { waitingHours: number })[] } {
  const time = { businessDays: options.businessDays, holidays: options.holidays };
  const dur = (from: string, to: string) => elapsedMs(from, to, time) / HOUR_MS;
  const hours: number[] = [];
  const waiting: (ItemRef & { waitingHours: number })[] = [];
  let yes = 0;
  let no = 0;
  for (const issue of items) {
    const p = issue.kind === 'issue' ? issue.commitment?.proposal : undefined;
    if (!p) continue;
    if (inPeriod(period, p.first)) hours.push(dur(issue.createdAt, p.first));
    if (p.answer && p.answeredAt && inPeriod(period, p.answeredAt)) {
      if (p.answer === 'yes') yes += 1;
      else no += 1;
    }
    const answeredBy = p.answer && p.answeredAt ? ms(p.answeredAt) < ms(period.end) : false;
    if (ms(p.at) < ms(period.end) && !answeredBy && openAt(issue, ms(period.end))) waiting.push(waitingRef(issue, dur(p.at, period.end)));
  }
  waiting.sort((a, b) => b.waitingHours - a.waitingHours || a.number - b.number);
  return { time: distribution(hours), waiting: waiting.length, oldestHours: waiting[0]?.waitingHours ?? null, yes, no, items: waiting };
}

/** {@link proposalMetrics} over all issues, and per area (an issue of several areas counts for each), then the unowned ones. */
function proposalReport(items: readonly ItemRecord[], areasOfItem: (item: ItemRecord) => readonly string[], options: Pick<ComputeOptions, 'areas' | 'businessDays' | 'holidays'>, period: Period): ProposalReport {
  const { items: waiting, ...overall } = proposalMetrics(items, options, period);
  const only = ({ items: _items, ...m }: ReturnType<typeof proposalMetrics>): ProposalMetrics => m;
  const byArea = [
    ...options.areas.map((a) => ({ name: a.name, owners: a.owners, ...only(proposalMetrics(items.filter((i) => areasOfItem(i).includes(a.name)), options, period)) })),
    { name: 'Unowned', owners: [], ...only(proposalMetrics(items.filter((i) => areasOfItem(i).length === 0), options, period)) },
  ];
  return { ...overall, items: waiting, byArea };
}

/** Open issues by priority at the end of each of the last `trendPeriods` periods (ending with the report's). */
export function computeTrend(items: readonly ItemRecord[], options: ComputeOptions): Trend {
  const periods = periodsEndingWith(options.period, options.trendPeriods);
  const issues = items.filter((i) => i.kind === 'issue' && !facts(i, options).botAuthor && !facts(i, options).excluded);
  const ends = periods.map((p) => ms(p.end));
  const counts = periods.map((): Record<PriorityKey, number> => ({ 'fix-it-now': 0, high: 0, low: 0, none: 0 }));
  for (const issue of issues) {
    const h = history(issue);
    const priority = facts(issue, options).priority;
    for (let k = 0; k < ends.length; k += 1) if (openBefore(h, ends[k]!)) counts[k]![priority] += 1;
  }
  const series: Trend['series'] = { 'fix-it-now': [], high: [], low: [], none: [] };
  for (const c of counts) for (const key of PRIORITY_KEYS) series[key].push(c[key]);
  return { periods: periods.map((p) => p.key), series };
}

/** The previous period of the report (for the change column). */
export function previousOf(options: Pick<ComputeOptions, 'period'>): Period {
  return shiftPeriod(options.period, -1);
}
