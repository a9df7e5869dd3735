// The decision of one event, pure: the read in, the priority, its path, the due date, the ledger, the label
// change and what changed out; and whether a change is worth a notice of its own. No I/O; `main.ts` reads and
// writes around it.
import {
  dueDate,
  buildLedger,
  ledgerOptionsFromConfig,
  isExcludedUser,
  maxPriority,
  mergeLedgers,
  newRequesters as findNewRequesters,
  boundPrioritizeMarker,
  isLedgerPartial,
  parseMarker,
  PRIORITIES,
  priorityRank,
  runFlowchart,
  type BumpReason,
  type FlowchartResult,
  type Ledger,
  type LedgerUser,
  type PrioritizeMarkerData,
  type PrioritizeSeen,
  type Priority,
  readPrioritizeSeen,
  type Requester,
  requesterCount,
  saysPhrase,
  type WebhookPayload,
} from '@userloop/core';
import type { Area, PrioritizeConfig } from '@userloop/core';
import { formArea, parseFormBody, readFormAnswers, type FormField, type IssueForm } from './forms.ts';
import { checkInfo, infoLabelPlan, type InfoLabelPlan, infoState, type RequiredField } from './info.ts';
import type { IssueRead, LabelEventRead } from './read.ts';
import { changeClauses } from './changes.ts';
import { findSimilar, type SimilarIssue } from './similar.ts';
import { findAnswer, needsAsk, type ProposalCandidate, type ProposalReaction, proposalState } from './proposal.ts';

/** Where an answer of the flowchart came from, for the reply's words. */
export type Source =
  | { kind: 'form' }
  | { kind: 'label'; label: string }
  | { kind: 'body' }
  | { kind: 'comment'; login: string; url?: string };

/** The flowchart's answers with where each came from. */
interface Signals {
  blocked: Source | null;
  newUser: Source | null;
  quick: Source | null;
  needsDesign: string | null;
  broughtUpBefore: { people: number; duplicates: number } | null;
  bumps: BumpReason[];
}

/** The label write this event needs (nothing when `add` is null and `remove` empty). */
interface LabelPlan {
  /** The managed label that must be on the issue, or null to leave labels alone. */
  want: string | null;
  /** Whether `want` must be added. */
  add: boolean;
  /** Managed labels to take off. */
  remove: string[];
  /** Whether `want` must be created in the repository first. */
  create: boolean;
}

/** Everything one event decided. */
export interface Evaluation {
  priority: Priority;
  previousPriority: Priority | null;
  flow: FlowchartResult;
  signals: Signals;
  path: string[];
  due: string | null;
  ledger: Ledger;
  newRequesters: Requester[];
  /** A person whose label pins the priority. */
  pinnedBy: string | null;
  /** A person removed the managed label: the action leaves labels alone. */
  labelRemovedBy: string | null;
  /** Clauses saying what changed since the previous evaluation (empty the first time). */
  changes: string[];
  labels: LabelPlan;
  /** The label of the area the form's answer names, to add with the priority label (none when the issue is in an area already). */
  areaLabel: string | null;
  similar: SimilarIssue[];
  marker: PrioritizeMarkerData;
  /** Required information: what is missing (asked in the reply while the marker's `info` says so) and the `needs info` label's write. */
  info: { missing: RequiredField[]; label: InfoLabelPlan };
  /** The proposed solution the marker records (absent while none), and whether the reporter must be asked about it now. */
  proposal: { state: PrioritizeMarkerData['proposal']; ask: boolean };
  /** The marker data differs from the previous one: the reply must be written. */
  replyChanged: boolean;
}

/** The event as far as the decision cares. */
export interface EventFacts {
  name: string;
  action: string;
  /** `labeled`/`unlabeled`: the label and who changed it (from the payload, in case the timeline lags). */
  label?: { name: string; sender: LedgerUser | null; at: string } | null;
}

/** The event facts the decision needs, from the payload (`at`: when a label change is dated, the time of the decision). */
export function eventFacts(name: string, action: string | undefined, payload: WebhookPayload, at: Date): EventFacts {
  const { label, sender } = payload;
  return {
    name,
    // Handled events all have an action (see HANDLED in main.ts).
    action: action ?? '',
    label: label && sender ? { name: label.name, sender: { login: sender.login, ...(sender.type ? { type: sender.type } : {}) }, at: at.toISOString() } : null,
  };
}

/** Inputs of `evaluate`. */
export interface EvaluateInput {
  read: IssueRead;
  config: PrioritizeConfig;
  /** Extra bot logins (the `bots` config section). */
  bots: readonly string[];
  formFields: readonly FormField[];
  /** The issue forms of the checkout, for `required-info` (none: only its label rules apply). */
  forms?: readonly IssueForm[];
  previous: PrioritizeMarkerData | null;
  event: EventFacts;
  now: Date;
  /** A new proposed solution whose author may write (main read their access), and the reactions on the proposal waiting for an answer. */
  proposal?: { proposed: ProposalCandidate | null; reactions: readonly ProposalReaction[] };
  /** The config's areas (`areas`): the form's answer to the area question names one. */
  areas?: readonly Pick<Area, 'name' | 'labels'>[];
}

const lower = (s: string) => s.toLowerCase();

function hasLabel(labels: readonly string[], wanted: readonly string[]): string | null {
  const set = new Set(labels.map(lower));
  return wanted.find((w) => set.has(lower(w))) ?? null;
}

/** The managed label names by priority. */
function labelNames(config: PrioritizeConfig): Record<Priority, string> {
  return { 'fix-it-now': config.labels['fix-it-now'], high: config.labels.high, low: config.labels.low };
}

function priorityOfLabel(config: PrioritizeConfig, label: string): Priority | null {
  const names = labelNames(config);
  return PRIORITIES.find((p) => lower(names[p]) === lower(label)) ?? null;
}

/** Reads the pin: the latest managed-label change by a person (not the token's account, not a bot). */
export function findPin(
  labelEvents: readonly LabelEventRead[],
  currentLabels: readonly string[],
  config: PrioritizeConfig,
  excluded: readonly string[],
): { pinned: Priority | null; by: string | null; removedBy: string | null } {
  const current = new Set(currentLabels.map(lower));
  const managedNow = PRIORITIES.some((p) => current.has(lower(labelNames(config)[p])));
  for (const e of [...labelEvents].reverse()) {
    const p = priorityOfLabel(config, e.label);
    if (!p) continue;
    if (isExcludedUser(e.actor, excluded) || !e.actor) continue;
    if (e.action === 'labeled' && current.has(lower(e.label))) return { pinned: p, by: e.actor.login, removedBy: null };
    if (e.action === 'unlabeled' && !managedNow) return { pinned: null, by: null, removedBy: e.actor.login };
    return { pinned: null, by: null, removedBy: null };
  }
  return { pinned: null, by: null, removedBy: null };
}

/**
 * The area label the form's answer asks for ({@link formArea}): the first label of the area it names, when
 * the issue carries no label of any area and none was ever taken off it (a person moved it out of the
 * areas, or took ours off: left alone). `null` otherwise: never a second area, never against a person.
 */
export function areaLabelToAdd(input: {
  body: string | null | undefined;
  fields: readonly FormField[];
  areas: readonly Pick<Area, 'name' | 'labels'>[];
  labels: readonly string[];
  labelEvents: readonly LabelEventRead[];
}): string | null {
  const areaLabels = new Set(input.areas.flatMap((a) => a.labels).map(lower));
  if (areaLabels.size === 0) return null;
  if (input.labels.some((l) => areaLabels.has(lower(l)))) return null;
  if (input.labelEvents.some((e) => e.action === 'unlabeled' && areaLabels.has(lower(e.label)))) return null;
  const area = formArea(parseFormBody(input.body, input.fields), input.areas);
  return area?.labels[0] ?? null;
}

function sameMarker(a: PrioritizeMarkerData | null, b: PrioritizeMarkerData): boolean {
  // Compared as written: the marker keeps a bounded part of a long ledger.
  return a !== null && JSON.stringify(boundPrioritizeMarker(a)) === JSON.stringify(boundPrioritizeMarker(b));
}

/** Evaluates one event. Pure and deterministic for the same input. */
export function evaluate(input: EvaluateInput): Evaluation {
  const { read, config, previous, now } = input;
  const excluded = [read.viewerLogin, ...input.bots];
  const author = read.issue.author;
  const authorLogin = author && !isExcludedUser(author, excluded) ? author.login : null;

  // The ledger: fresh from this read, merged with what the marker already recorded (nothing is lost).
  const fresh = buildLedger(
    {
      issue: read.issue,
      comments: read.comments.filter((c) => !c.byViewer),
      reactions: read.reactions,
      duplicates: read.duplicates,
      crossReferences: read.crossReferences,
      outside: read.outside ?? [],
    },
    ledgerOptionsFromConfig({ prioritize: config, bots: input.bots }, [read.viewerLogin]),
  );
  // A marker that keeps only the newest requesters was read with the whole thread: the thread's order leads, so
  // the newest people stay the newest and the marker written is the one read when nothing changed.
  const ledger = previous && isLedgerPartial(previous) ? mergeLedgers(fresh, previous.ledger) : mergeLedgers(previous?.ledger, fresh);
  let added = findNewRequesters(previous?.ledger, ledger);
  // A marker that kept only the newest requesters: the others are not new; only growth past its count is.
  if (previous && isLedgerPartial(previous)) added = added.slice(Math.max(0, added.length - Math.max(0, ledger.requesters.length - (previous.counts?.requesters ?? 0))));

  // Flowchart answers. A phrase counts as said ("this blocks me"), not negated ("this does not block me") nor
  // quoted; a `*` after a word matches its forms (`block* our`: "is blocking our", "blocked our", "blocks our").
  const form = readFormAnswers(read.issue.body, input.formFields, {
    blockedId: config['form-fields'].blocked,
    newUserId: config['form-fields']['new-user'],
    blockedLabel: config['form-fields']['blocked-label'],
    newUserLabel: config['form-fields']['new-user-label'],
  });
  const labels = read.labels;
  const signal = config['signal-labels'];
  const phrases = config.phrases;
  const humanComments = read.comments.filter((c) => !c.byViewer && !isExcludedUser(c.author, excluded));

  let blocked: Source | null = null;
  const blockedLabel = hasLabel(labels, signal.blocked);
  if (form.blocked === true) blocked = { kind: 'form' };
  else if (blockedLabel) blocked = { kind: 'label', label: blockedLabel };
  else if (form.blocked !== false && saysPhrase(`${read.issue.title}\n${form.freeText}`, phrases.blocked)) blocked = { kind: 'body' };
  if (!blocked) {
    const c = humanComments.find((x) => saysPhrase(x.body, phrases.blocked));
    if (c?.author) blocked = { kind: 'comment', login: c.author.login, ...(c.url ? { url: c.url } : {}) };
  }

  let newUser: Source | null = null;
  const newUserLabel = hasLabel(labels, signal['new-user']);
  if (form.newUser === true) newUser = { kind: 'form' };
  else if (newUserLabel) newUser = { kind: 'label', label: newUserLabel };
  else if (form.newUser !== false && saysPhrase(form.freeText, phrases['new-user'])) newUser = { kind: 'body' };

  const needsDesign = hasLabel(labels, signal['needs-design']);
  let quick: Source | null = null;
  if (!needsDesign) {
    const quickLabel = hasLabel(labels, signal.quick);
    if (quickLabel) quick = { kind: 'label', label: quickLabel };
    else if (saysPhrase(`${read.issue.title}\n${form.freeText}`, phrases.quick)) quick = { kind: 'body' };
  }

  const duplicates = ledger.places.filter((p) => p.kind === 'duplicate').length;
  // People who asked outside GitHub have brought it up too.
  const people = requesterCount(ledger);
  const broughtUpBefore = people > 1 || duplicates > 0 ? { people, duplicates } : null;

  // Bumps.
  const bumps: BumpReason[] = [];
  const valued = new Set(config['valued-members'].map(lower));
  const valuedAssoc = new Set<string>(config['valued-associations']);
  const contributorAssoc = new Set<string>(config['contributor-associations']);
  const requesterLogins = new Set(ledger.requesters.map((r) => lower(r.login)));
  const associations: string[] = [];
  if (authorLogin) associations.push(read.issue.authorAssociation);
  for (const c of humanComments) if (c.author && requesterLogins.has(lower(c.author.login)) && c.author.login !== authorLogin) associations.push(c.authorAssociation);
  if ([...requesterLogins].some((l) => valued.has(l)) || associations.some((a) => valuedAssoc.has(a))) bumps.push('valued-member');
  if (associations.some((a) => contributorAssoc.has(a))) bumps.push('contributor');
  if (hasLabel(labels, signal['big-impact'])) bumps.push('big-impact');

  const flow = runFlowchart({
    blocked: blocked !== null,
    newUser: newUser !== null,
    quick: quick !== null,
    broughtUpBefore: broughtUpBefore !== null,
    bumps,
  });

  // A person's label wins; otherwise automatic changes only raise.
  const labelEvents = [...read.labelEvents];
  const ev = input.event.label;
  if (ev && (input.event.action === 'labeled' || input.event.action === 'unlabeled')) {
    const known = labelEvents.some((e) => e.action === input.event.action && lower(e.label) === lower(ev.name) && e.actor?.login === ev.sender?.login);
    if (!known) labelEvents.push({ action: input.event.action, label: ev.name, actor: ev.sender, at: ev.at });
  }
  const pin = findPin(labelEvents, labels, config, excluded);
  const path = [...flow.path];
  let priority: Priority;
  if (pin.pinned) {
    priority = pin.pinned;
    path.push(`pinned:${pin.pinned}`);
  } else {
    priority = flow.priority;
    if (previous && added.length > 0 && priorityRank(priority) < priorityRank('high')) {
      priority = 'high';
      path.push('raised:new-requester');
    }
    if (previous && priorityRank(previous.priority) > priorityRank(priority)) {
      priority = maxPriority(previous.priority, priority) ?? priority;
      path.push(`kept:${priority}`);
    }
  }

  // The due date: kept while the priority stays, set again when it changes.
  let due: string | null;
  if (previous && previous.priority === priority) due = previous.due;
  else due = dueDate(priority, now, { businessDays: config['due-business-days'], weeks: config['due-weeks'] }, config.holidays);

  // Labels: exactly one managed label, never against a person.
  const names = labelNames(config);
  const present = PRIORITIES.map((p) => names[p]).filter((n) => labels.some((l) => lower(l) === lower(n)));
  let plan: LabelPlan = { want: null, add: false, remove: [], create: false };
  if (!pin.removedBy) {
    const want = names[priority];
    const actual = labels.find((l) => lower(l) === lower(want));
    plan = {
      want: actual ?? want,
      add: actual === undefined,
      remove: present
        .filter((n) => lower(n) !== lower(want))
        .map((n) => labels.find((l) => lower(l) === lower(n)) ?? n),
      create: actual === undefined && !read.existingLabels.some((l) => lower(l) === lower(want)),
    };
  }

  // What changed since the last reply.
  const previousPriority = previous?.priority ?? null;
  const changes = previous
    ? changeClauses({
        blockedBy: blocked?.kind === 'comment' && previous.path.includes('blocked:no') ? blocked.login : null,
        added,
        pinnedBy: pin.pinned && pin.by && !previous.path.includes(`pinned:${pin.pinned}`) ? pin.by : null,
        priority: previousPriority !== priority ? { from: previousPriority, to: priority } : null,
      })
    : [];

  const similar =
    input.event.name === 'issues' && input.event.action === 'opened' && config.duplicates.enabled
      ? findSimilar(
          { number: read.issue.number, title: read.issue.title, body: form.freeText },
          [...read.recentIssues, ...read.searchedIssues],
          { max: config.duplicates.max, minScore: config.duplicates['min-similarity'] },
        )
      : [];

  // Required information: asked on the first reply, checked again on every event until it is complete. Only
  // the reporter's replies count as giving it.
  const check = checkInfo({
    body: read.issue.body,
    labels,
    forms: input.forms ?? [],
    rules: config['required-info'],
    replies: authorLogin ? humanComments.filter((c) => c.author?.login.toLowerCase() === authorLogin.toLowerCase()).map((c) => c.body) : [],
  });
  const info = infoState(previous?.info, check.missing, previous === null, now);
  const infoLabel = infoLabelPlan({
    state: info,
    label: config['needs-info-label'],
    labels,
    existingLabels: read.existingLabels,
    labelEvents: read.labelEvents,
    excluded,
  });

  // A proposed solution and the reporter's answer (a reply of theirs, or their 👍/👎 on it); kept as recorded when turned off.
  const proposals = config.proposals;
  const proposal =
    proposals.enabled && authorLogin
      ? proposalState(previous?.proposal, input.proposal?.proposed ?? null, (p) =>
          findAnswer({ proposal: p, reporter: authorLogin, comments: read.comments, reactions: input.proposal?.reactions ?? [], phrases: proposals.phrases }),
        )
      : previous?.proposal;

  // The area the form's answer names (the checkout's forms, else those read for required information).
  const areaLabel = areaLabelToAdd({
    body: read.issue.body,
    fields: input.formFields.length > 0 ? input.formFields : (input.forms ?? []).flatMap((f) => f.fields),
    areas: input.areas ?? [],
    labels,
    labelEvents,
  });

  const marker: PrioritizeMarkerData = { priority, path, due, ledger, ...(info ? { info } : {}), ...(proposal ? { proposal } : {}) };
  return {
    priority,
    previousPriority,
    flow,
    signals: { blocked, newUser, quick, needsDesign, broughtUpBefore, bumps },
    path,
    due,
    ledger,
    newRequesters: added,
    pinnedBy: pin.by,
    labelRemovedBy: pin.removedBy,
    changes,
    labels: plan,
    areaLabel,
    similar,
    marker,
    info: { missing: info && info.missing.length > 0 ? check.missing : [], label: infoLabel },
    proposal: { state: proposal, ask: proposals.enabled && needsAsk(proposal, authorLogin, read.comments) },
    replyChanged: !sameMarker(previous, marker) || similar.length > 0,
  };
}

/** The marker kind of the short notice posted when the priority goes up or a due date is set or moved. */
export const CHANGE_MARKER_KIND = 'prioritize-change';

/** What one change notice is about: the priority and due date it tells (one notice per pair). */
export interface ChangeKey {
  priority: Priority;
  due: string | null;
}

/**
 * The change worth a notice: the priority went up, or (same priority) a due date was set or moved, or a new date
 * was set after the previous one slipped (`slipped`: the dates our slip notices name; their notice said a new
 * date would be posted, whichever way the priority went). `null` otherwise, and the first time.
 */
export function changeKey(e: Pick<Evaluation, 'priority' | 'due'>, previous: PrioritizeMarkerData | null, slipped: readonly string[] = []): ChangeKey | null {
  if (!previous) return null;
  const up = priorityRank(e.priority) > priorityRank(previous.priority);
  const dueMoved = e.priority === previous.priority && e.due !== null && e.due !== previous.due;
  const repromised = previous.due !== null && slipped.includes(previous.due) && e.due !== null && e.due !== previous.due;
  return up || dueMoved || repromised ? { priority: e.priority, due: e.due } : null;
}

/** Whether a comment is our notice of the change `key`. */
export function isNoticeOf(body: string | null | undefined, key: ChangeKey): boolean {
  const data = parseMarker(body, CHANGE_MARKER_KIND) as Partial<ChangeKey> | undefined;
  return !!data && data.priority === key.priority && (data.due ?? null) === key.due;
}

/**
 * Whether the counts the sweep compares (👍, duplicates) differ from what a reply saw: such a reply is
 * rewritten even when nothing else changed, or every sweep would read its issue again. No reply, no.
 */
export function seenDiffers(reply: { body?: string | null } | null, seen: PrioritizeSeen): boolean {
  if (!reply) return false;
  const before = readPrioritizeSeen(reply.body);
  return before?.thumbsUp !== seen.thumbsUp || before.duplicateEvents !== seen.duplicateEvents;
}
