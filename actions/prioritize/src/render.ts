// Every text the action writes, pure, data in, Markdown out: the reply to the reporter (placed in the bot's
// region of its comment), the notice of a change, the sweep's reminder before a promised date and its notice
// that the date slipped, the clauses saying what changed, the description of a
// label it creates, and the job summary. Every value from users is quoted with core's quoteInline.
import {
  boundPrioritizeMarker,
  COMMENT_LIMIT,
  dueWords,
  findRegion,
  renderMarker,
  renderRegionEnd,
  fillTemplate,
  fitBody,
  markdownTable,
  PRIORITIZE_MARKER_KIND,
  quoteInline,
  PRIORITIZE_SEEN_MARKER_KIND,
  regionRoom,
  replaceRegion,
  renderPrioritizeMarker,
  renderPrioritizeSeen,
  type PrioritizeSeen,
  type Ledger,
  type Place,
  type PrioritizeConfig,
  type PrioritizeMarkerData,
  type PrioritizeProposalState,
  PRIORITY_NAMES,
  type Priority,
  type Requester,
  priorityRank,
  neutraliseMarkers,
  stripMarkers,
  type OutsideRequester,
  quoteBlock,
  REQUEST_MARKER_KIND,
  requesterCount,
  markdownHref,
  stoppedToKeep,
} from '@userloop/core';
import type { Evaluation, Source } from './decide.ts';
import type { SimilarIssue } from './similar.ts';
import { DESIGN_MARKER_KIND, type DesignPlan } from './design.ts';
import type { RequiredField } from './info.ts';
import type { PrioritizeResult, PromisesResult } from './types.ts';

const SIMILAR_KIND = 'prioritize-similar';
const SIMILAR_START = renderMarker(SIMILAR_KIND);
const SIMILAR_END = renderRegionEnd(SIMILAR_KIND);

/** How each priority is named in the reply. */

/** The timeline the reply and the notice promise for each priority. */
const TIMELINES: Record<Priority, string> = {
  'fix-it-now': 'today or tomorrow',
  high: 'this week or next week',
  low: "we won't get to it right away",
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const VIA: Record<Requester['via'], string> = {
  author: 'opened it',
  comment: 'said so in a comment',
  reaction: '👍',
  duplicate: 'opened a duplicate',
};

/** A login as a profile link that does not ping the person. */
function person(login: string, serverUrl: string): string {
  const safe = login.replace(/[^\w.-]/g, '');
  return `[${safe}](${serverUrl}/${encodeURIComponent(safe)})`;
}

function placeText(place: Place): string {
  const ref = place.number !== undefined ? `${place.repository ? `${place.repository}` : ''}#${place.number}` : null;
  switch (place.kind) {
    case 'issue':
      return 'this issue';
    case 'duplicate':
      return `${ref ?? place.url} (duplicate)`;
    case 'cross-reference':
      return ref ?? place.url;
    case 'community':
      return `[${quoteInline(place.host ?? 'link', { max: 60 })}](${markdownHref(place.url)})`;
  }
}

/** The ledger line: "Brought up by 3 people in 2 places: a (opened it), b (👍). Places: this issue, #9 (duplicate)." */
export function renderLedger(ledger: Ledger, template: string, serverUrl: string, maxShown = 20): string {
  // People outside GitHub follow the GitHub users: named inert, with where they asked.
  const everyone = [...ledger.requesters.slice(0, maxShown).map((r) => `${person(r.login, serverUrl)} (${VIA[r.via]})`), ...(ledger.outside ?? []).slice(0, maxShown).map(outsideText)];
  const shown = everyone.slice(0, maxShown);
  const more = requesterCount(ledger) - shown.length;
  if (more > 0) shown.push(`and ${more} more`);
  const places = ledger.places.slice(0, maxShown).map(placeText);
  const morePlaces = ledger.places.length - places.length;
  if (morePlaces > 0) places.push(`and ${morePlaces} more`);
  const line = fillTemplate(template, {
    people: plural(requesterCount(ledger), 'person', 'people'),
    places: plural(ledger.places.length, 'place', 'places'),
    requesters: shown.length > 0 ? shown.join(', ') : 'nobody yet',
    'place-list': places.join(', '),
  });
  return ledger.places.length > 1 && !template.includes('{place-list}') ? `${line} Places: ${places.join(', ')}.` : line;
}

function sourceWords(source: Source, subject: 'blocked' | 'new-user' | 'quick'): string {
  if (subject === 'blocked') {
    if (source.kind === 'form' || source.kind === 'body') return 'You said this blocks you';
    if (source.kind === 'label') return 'It is marked as a blocker';
    return `${source.login} said this blocks them`;
  }
  if (subject === 'new-user') {
    if (source.kind === 'form') return "You are new to the project, and a new user's first steps matter most to us";
    return "It affects a new user's experience";
  }
  return 'It looks like a quick change';
}

const BUMP_WORDS: Record<string, string> = {
  'valued-member': 'it comes from a valued member of our community',
  contributor: 'a contributor needs it',
  'big-impact': 'we believe it has a big impact',
};

/** The reason, in words, for the priority told (no final period). */
function reasonText(e: Pick<Evaluation, 'signals' | 'flow' | 'path' | 'pinnedBy' | 'priority'> & { ledger?: Pick<Ledger, 'requesters' | 'places'> }): string {
  const pinned = e.path.find((s) => s.startsWith('pinned:'));
  if (pinned && e.pinnedBy) return `${e.pinnedBy} on our team set this priority`;
  let reason: string;
  const s = e.signals;
  switch (e.flow.decidedBy) {
    case 'blocked':
      reason = sourceWords(s.blocked ?? { kind: 'body' }, 'blocked');
      break;
    case 'new-user':
      reason = sourceWords(s.newUser ?? { kind: 'body' }, 'new-user');
      break;
    case 'quick':
      reason = sourceWords(s.quick ?? { kind: 'body' }, 'quick');
      break;
    case 'brought-up-before': {
      const b = s.broughtUpBefore;
      reason =
        b && b.people > 1
          ? `${b.people} people have asked for this`
          : `It has come up before (${plural(b?.duplicates ?? 1, 'duplicate', 'duplicates')})`;
      break;
    }
    default: {
      // "Brought up before" is more than one person or a duplicate (the flowchart's question). One person in
      // several places is neither, but "it hasn't come up before" would contradict the ledger line right below it.
      const elsewhere = (e.ledger?.places.length ?? 0) > 1;
      const people = e.ledger?.requesters.length ?? 0;
      reason = elsewhere
        ? `It doesn't block you and ${people === 1 ? 'only one person has' : 'nobody else has'} asked for it so far`
        : "It doesn't block you and it hasn't come up before";
    }
  }
  if (e.flow.bumps.length > 0) {
    const words = e.flow.bumps.map((b) => BUMP_WORDS[b] ?? b);
    reason += `, and ${words.join(' and ')}, so we moved it up a level`;
  }
  if (e.path.includes('raised:new-requester')) reason += `; more people have asked for it since`;
  if (e.path.some((p) => p.startsWith('kept:'))) reason += `; we keep the priority we gave it before`;
  return reason;
}

/** The "possible duplicates" list, wrapped in hidden delimiters so later updates keep it. */
function renderSimilar(similar: readonly SimilarIssue[], template: string): string {
  if (similar.length === 0) return '';
  const list = similar.map((s) => `- #${s.number} ${quoteInline(s.title, { max: 120 })}`).join('\n');
  return `${SIMILAR_START}\n${fillTemplate(template, { list })}\n${SIMILAR_END}`;
}

/** The similar-issues section of a previous reply (our own comment), to keep it on updates. */
export function previousSimilar(body: string | null | undefined): string {
  const region = findRegion(body, SIMILAR_KIND);
  return region && body ? body.slice(region.start, region.end) : '';
}

/**
 * Renders the reply without its marker (core's upsertComment appends the marker after fitting the body to
 * GitHub's limit), and the marker data to carry.
 */
export function renderReply(
  e: Evaluation,
  options: { config: PrioritizeConfig; author: string | null; serverUrl: string; previousBody?: string | null; seen?: PrioritizeSeen },
): { body: string; markerData: PrioritizeMarkerData } {
  const t = options.config.templates;
  const opening = fillTemplate(t[e.priority], {
    author: options.author ? person(options.author, options.serverUrl) : 'everyone',
    priority: PRIORITY_NAMES[e.priority],
    reason: reasonText(e),
    timeline: TIMELINES[e.priority],
    due: e.due ? dueWords(e.due) : '',
  }).replace(/ \(by \)/g, '');
  const parts = [opening];
  // What is still missing of what the team needs to debug it, while the marker says it was asked for.
  if (e.info.missing.length > 0) parts.push(renderMissingInfo(e.info.missing, t['missing-info'], options.author ? person(options.author, options.serverUrl) : 'everyone'));
  if (e.changes.length > 0) {
    const changes = e.changes.join('; ');
    parts.push(fillTemplate(t.changed, { changes: `${changes}.` }));
  }
  parts.push(renderLedger(e.ledger, t.ledger, options.serverUrl));
  const similar = e.similar.length > 0 ? renderSimilar(e.similar, t.duplicates) : previousSimilar(options.previousBody);
  if (similar) parts.push(similar);
  parts.push(`<sub>How we decided: ${pathWords(e.path)}.</sub>`);
  // First, so a reply cut to GitHub's size limit keeps it.
  const seen = options.seen ? `${renderPrioritizeSeen(options.seen)}\n` : '';
  return { body: `${seen}${parts.join('\n\n')}\n`, markerData: boundPrioritizeMarker(e.marker) };
}

/**
 * The whole comment to write: the reply and its marker placed in the bot's region of the previous comment
 * (core's owned regions), so a note a maintainer added above or below the reply stays as they wrote it. The
 * reply is cut to fit GitHub's limit with that note counted; the marker, last in the region, is never cut.
 */
export function placeReply(previousBody: string | null | undefined, reply: { body: string; markerData: PrioritizeMarkerData }, limit = COMMENT_LIMIT): { body: string; truncated: boolean } {
  const strip = [PRIORITIZE_MARKER_KIND, PRIORITIZE_SEEN_MARKER_KIND];
  const marker = renderPrioritizeMarker(reply.markerData);
  const room = regionRoom(previousBody, PRIORITIZE_MARKER_KIND, limit, strip, 'the prioritize reply', marker.length + 300) - marker.length - 2;
  const fitted = fitBody(reply.body.trimEnd(), room);
  const placed = replaceRegion(previousBody, PRIORITIZE_MARKER_KIND, `${fitted.body.trimEnd()}\n\n${marker}`, { strip, what: 'the prioritize reply' });
  return { body: placed.body, truncated: fitted.truncated };
}

/**
 * The short comment posted when the priority goes up or a due date is set or moved: an edit of the reply
 * notifies nobody, a new comment notifies everyone subscribed, and the mention makes sure the reporter is.
 */
export function renderChangeNotice(e: Pick<Evaluation, 'priority' | 'previousPriority' | 'due'>, options: { author: string | null; replyUrl: string; config: PrioritizeConfig }): string {
  const who = options.author ? `@${options.author.replace(/[^\w-]/g, '')} ` : '';
  const due = e.due ? ` (by ${e.due})` : '';
  const what =
    e.previousPriority && priorityRank(e.priority) > priorityRank(e.previousPriority)
      ? `the priority of this issue went up from ${PRIORITY_NAMES[e.previousPriority]} to **${PRIORITY_NAMES[e.priority]}**`
      : `the date we aim for on this issue is now ${e.due ?? 'unset'}`;
  const link = /^https?:\/\//.test(options.replyUrl) ? ` [Why](${options.replyUrl})` : '';
  return `${who}An update: ${what}. We plan to get to it ${TIMELINES[e.priority]}${due}.${link}\n`;
}

/**
 * The reminder before a promised date (`templates.reminder`), to the assignees or area owners (`@login`,
 * `@org/team`, mentioned so they are notified): the date, the priority and how many people were promised.
 */
export function renderReminder(r: { owners: readonly string[]; due: string; priority: Priority; people: number }, config: PrioritizeConfig): string {
  return `${fillTemplate(config.templates.reminder, {
    owners: r.owners.join(' '),
    due: dueWords(r.due),
    priority: PRIORITY_NAMES[r.priority],
    people: plural(r.people, 'person', 'people'),
  }).trim()}\n`;
}

/**
 * The notice that a promised date passed with the issue open (`templates.slipped`), mentioning the people who
 * were promised (logins from the reply's marker), and how many more asked when there are too many to mention.
 */
export function renderSlipNotice(r: { people: readonly string[]; more: number; due: string; priority: Priority }, config: PrioritizeConfig): string {
  const mentions = r.people.map((login) => `@${login}`).join(' ');
  const requesters = r.more > 0 ? `${mentions} (and ${plural(r.more, 'more person', 'more people')} who asked)` : mentions;
  return `${fillTemplate(config.templates.slipped, { requesters, due: dueWords(r.due), priority: PRIORITY_NAMES[r.priority] }).trim()}\n`;
}

/** A field name as the team wrote it (form label or `required-info` entry), on one line, unable to open a marker. */
function teamText(text: string): string {
  return neutraliseMarkers(text.replace(/\s+/g, ' ').trim());
}

/**
 * The ask for what is missing (`templates.missing-info`): the fields by the names the team gave them (their
 * form labels), one a line. Nothing of the issue's body is repeated.
 */
export function renderMissingInfo(missing: readonly Pick<RequiredField, 'name'>[], template: string, author: string): string {
  const fields = missing.map((m) => `- **${teamText(m.name)}**`).join('\n');
  return fillTemplate(template, { author, fields });
}

/**
 * The question a proposed solution asks the reporter (`proposals.ask`): the reporter mentioned once (so they
 * are notified), the proposer as a profile link that does not ping, and a link to the proposal.
 */
export function renderProposalAsk(p: Pick<PrioritizeProposalState, 'by' | 'url'>, options: { reporter: string; template: string; serverUrl: string }): string {
  const link = /^https?:\/\//.test(p.url) ? `[the proposal](${markdownHref(p.url)})` : 'above';
  return `${fillTemplate(options.template, { reporter: `@${options.reporter.replace(/[^\w-]/g, '')}`, by: person(p.by, options.serverUrl), link }).trim()}\n`;
}

/** The proposal in the job summary: who proposed it, and the reporter's answer or that it waits for one. */
function proposalWords(p: PrioritizeProposalState): string {
  const answer = p.answer ? `answered ${p.answer} (${p.via === 'reaction' ? 'a reaction' : 'a reply'})` : 'waiting for the reporter';
  return `by ${p.by}${p.snippet ? ', with a snippet' : ''}: ${answer}`;
}

/**
 * The design checklist comment (`needs-design.checklist`) and, when the issue is Fix it now, who decides
 * (`needs-design.owners`, the owners mentioned so they are notified) or that no area names an owner.
 */
export function renderDesign(plan: Pick<DesignPlan, 'urgent' | 'owners'>, config: PrioritizeConfig['needs-design']): string {
  const parts = [config.checklist.trim()];
  if (plan.urgent) parts.push(renderDesignOwners(plan.owners, config));
  return `${parts.join('\n\n')}\n`;
}

/** The line calling the owners in on a Fix it now issue, or saying that no area of its labels has owners. */
function renderDesignOwners(owners: readonly string[], config: PrioritizeConfig['needs-design']): string {
  if (owners.length === 0) {
    return 'This is **Fix it now** and no area of its labels names an owner (`areas` in `.github/userloop.yml`), so nobody was called in to decide.';
  }
  return fillTemplate(config.owners, { owners: owners.join(', ') }).trim();
}

/** A checklist posted before the issue became Fix it now, with the owners called in added below it (the rest kept as it is). */
export function designWithOwners(previousBody: string, added: readonly string[], config: PrioritizeConfig['needs-design']): string {
  return `${stripMarkers(previousBody, DESIGN_MARKER_KIND).trimEnd()}\n\n${renderDesignOwners(added, config)}\n`;
}

const STEP_WORDS: Record<string, string> = {
  blocked: 'blocks someone?',
  'new-user': "affects a new user's experience?",
  quick: 'quick change?',
  'brought-up-before': 'brought up before?',
};

/** The flowchart path in words: "blocks someone? no → … → High". */
export function pathWords(path: readonly string[]): string {
  return path
    .map((step) => {
      const [kind, value] = step.split(':');
      if (kind && STEP_WORDS[kind]) return `${STEP_WORDS[kind]} ${value}`;
      if (kind === 'bump') return `bump (${value})`;
      if (kind === 'pinned') return `set by hand to ${PRIORITY_NAMES[value as Priority] ?? value}`;
      if (kind === 'raised') return 'raised: new requester';
      if (kind === 'kept') return `kept at ${PRIORITY_NAMES[value as Priority] ?? value}`;
      return step;
    })
    .join(' → ');
}

/** The job summary of one event: what was decided, why, and what was written (a few lines and a small table). */
export function renderSummary(result: PrioritizeResult): string {
  if (result.sweep) {
    const s = result.sweep;
    return markdownTable([
      ['Sweep', ''],
      ['Open issues read', `${s.open}${s.stoppedAt ? ` of ${s.total}, the ${s.from} first (${stoppedToKeep(s.stoppedAt)}; the next day's sweep starts from the other end)` : ''} (${s.pages} page(s) of 100)`],
      ['Changed (👍 or duplicates)', s.changed.length > 0 ? s.changed.map((n) => `#${n}`).join(', ') : 'none'],
      ...(s.proposals ? [['Proposals waiting for the reporter (read again)', s.proposals.map((n) => `#${n}`).join(', ')]] : []),
      ['Re-evaluated', String(s.evaluated.length)],
      ['Written', s.written.length > 0 ? s.written.map((n) => `#${n}`).join(', ') : 'none'],
      ['Left for the next sweep', String(s.deferred)],
      ['Without a reply (never evaluated)', String(s.unevaluated)],
      ['Opened by bots', String(s.bots)],
      ...(s.failed.length > 0 ? [['Failed', s.failed.map((n) => `#${n}`).join(', ')]] : []),
      ...(s.promises ? promiseRows(s.promises) : []),
    ]);
  }
  const forbidden = forbiddenNote(result);
  const e = result.evaluation;
  if (!e || !result.priority) return `${result.skipped ?? 'Nothing to do.'}${forbidden}`;
  const original = result.original?.priority ? `\n\nThe original #${result.original.issueNumber ?? ''} was re-evaluated:\n\n${renderSummary({ ...result.original })}` : '';
  const rows: string[][] = [
    ['Priority', PRIORITY_NAMES[result.priority]],
    ['Previous', result.previousPriority ? PRIORITY_NAMES[result.previousPriority] : '(none)'],
    ['Path', pathWords(e.path)],
    ['Due', result.due ?? '(none)'],
    ['Requesters', String(result.requesters ?? 0)],
    ['Places', String(e.ledger.places.length)],
    ['Label', result.labelAction ?? 'none'],
    ['Reply', `${result.commentAction ?? 'none'}${result.commentUrl ? ` (${result.commentUrl})` : ''}`],
  ];
  if (result.noticeAction && result.noticeAction !== 'none') rows.push(['Notice', `${result.noticeAction}${result.noticeUrl ? ` (${result.noticeUrl})` : ''}`]);
  if (e.changes.length > 0) rows.push(['What changed', e.changes.join('; ')]);
  if (e.info.missing.length > 0) rows.push(['Missing information', e.info.missing.map((m) => teamText(m.name)).join('; ')]);
  if (result.infoLabelAction && result.infoLabelAction !== 'none') rows.push(['Needs-info label', result.infoLabelAction]);
  if (e.areaLabel) rows.push(['Area label (from the form)', `added ${teamText(e.areaLabel)}`]);
  if (result.designAction && result.designAction !== 'none') rows.push(['Design checklist', `${result.designAction}${result.designUrl ? ` (${result.designUrl})` : ''}`]);
  if (e.proposal.state) rows.push(['Proposed solution', proposalWords(e.proposal.state)]);
  if (result.proposalAction && result.proposalAction !== 'none') rows.push(['Asked the reporter', `${result.proposalAction}${result.proposalUrl ? ` (${result.proposalUrl})` : ''}`]);
  const title = result.issueNumber !== undefined ? [`#${result.issueNumber}`, ''] : ['', ''];
  return `${markdownTable([title, ...rows])}${forbidden}${original}`;
}

/** The sweep's rows about promised dates: reminders, slip notices, and what was left. */
function promiseRows(p: PromisesResult): string[][] {
  const list = (ns: readonly number[]) => (ns.length > 0 ? ns.map((n) => `#${n}`).join(', ') : 'none');
  return [
    ['Reminded before the promised date', list(p.reminded)],
    ['Told the promised date slipped', list(p.slipped)],
    ...(p.noOwner.length > 0 ? [['Date near, nobody to remind (no assignee, no area owner)', list(p.noOwner)]] : []),
    ...(p.deferred > 0 ? [['Reminders and notices left for the next sweep', `${p.deferred}${p.stoppedBy ? ` (stopped by ${p.stoppedBy})` : ''}`]] : []),
    ...(p.failed.length > 0 ? [['Reminders and notices not posted', list(p.failed)]] : []),
  ];
}

/** One sentence when the token could not read some nodes (said once, however many). */
function forbiddenNote(result: PrioritizeResult): string {
  const all = [...(result.forbidden ?? []), ...(result.original?.forbidden ?? [])];
  if (all.length === 0) return '';
  return `\n\n${all.length} item(s) mentioning this issue could not be read (GitHub answered FORBIDDEN: pull requests need \`pull-requests: read\` in the job's \`permissions:\`); they were left out of the ledger.`;
}

// ---------------------------------------------------------------------------------------------------
// Requests from outside GitHub: the ledger's words for them, the intake's issue and record, the answer to
// a `/requested-by` command that was not recorded.

/** Where a person outside GitHub asked, in words: `[Discord](link)`, `Discord`, or the link's host. */
function outsidePlace(o: Pick<OutsideRequester, 'place' | 'url'>): string {
  let label = o.place ?? '';
  if (!label && o.url) {
    try {
      label = new URL(o.url).hostname;
    } catch {
      label = 'link';
    }
  }
  const text = label ? quoteInline(label, { max: 40 }) : '';
  return o.url ? `[${text || 'link'}](${markdownHref(o.url)})` : text;
}

/** A person outside GitHub in the ledger line: their name (inert, never a mention) and where they asked. */
function outsideText(o: Pick<OutsideRequester, 'name' | 'place' | 'url'>): string {
  const where = outsidePlace(o);
  return `${quoteInline(o.name, { max: 80 })} (${where ? `${where}, ` : ''}outside GitHub)`;
}

/** The intake's record, as its marker carries it. */
export type IntakeRecord = Pick<OutsideRequester, 'name' | 'place' | 'url' | 'by' | 'at'>;

/** The request's own words, quoted inert and bounded (a link to where it was said when cut). */
function requestWords(text: string | undefined, url: string | undefined): string {
  const t = (text ?? '').trim();
  if (!t) return '';
  const quoted = quoteBlock(t, { max: 4_000, ...(url ? { source: { label: 'where they asked', url } } : {}) });
  return `\n\n${quoted
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n')}`;
}

/** The body of an issue the intake opens for a request from outside GitHub: who asked, where, their words, and the record's marker. */
export function renderIntakeIssue(record: IntakeRecord, text: string | undefined): string {
  const where = outsidePlace(record);
  const head = `This request came from outside GitHub: **${quoteInline(record.name, { max: 80 })}** asked for it${where ? ` on ${where}` : ''}. Recorded by ${quoteInline(record.by)} through the userloop intake; comment here or 👍 it if you want it too.`;
  return `${head}${requestWords(text, record.url)}\n\n${renderMarker(REQUEST_MARKER_KIND, record)}\n`;
}

/** The comment recording one more person from outside GitHub on an existing issue, with the record's marker. */
export function renderIntakeRecord(record: IntakeRecord, text: string | undefined): string {
  const where = outsidePlace(record);
  return `Asked for outside GitHub too: **${quoteInline(record.name, { max: 80 })}**${where ? ` on ${where}` : ''} (recorded by ${quoteInline(record.by)} through the userloop intake).${requestWords(text, record.url)}\n\n${renderMarker(REQUEST_MARKER_KIND, record)}\n`;
}

/** The answer to a `/requested-by` command that was not recorded: why, plainly, to its author. */
export function renderRequestRefusal(r: { login: string; url: string; reason: string; message: string }): string {
  const who = `@${r.login.replace(/[^\w-]/g, '')}`;
  const link = `[your \`/requested-by\` comment](${markdownHref(r.url)})`;
  if (r.reason === 'access') {
    return `${who}, ${link} was not recorded: only people with write access to this repository can record a request from outside GitHub. If you asked for it yourself, a 👍 on the issue counts you.\n`;
  }
  const fix = r.reason === 'personal-data' ? ' Please edit your comment to remove it.' : '';
  return `${who}, ${link} was not recorded: ${r.message}.${fix}\n`;
}
