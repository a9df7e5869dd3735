// Every text the action writes: the release notice, the work-started notice, the docs-review list, the
// job summary and the step's annotations; with the marker kinds that make the bot's notices findable again.
import {
  COMMENT_LIMIT,
  markdownTable,
  NOTIFY_MARKER_KIND,
  quoteBlock,
  quoteCode,
  quoteInline,
  renderMarker,
  renderNotifyMarker,
  type OutsideRequester,
  markdownHref,
} from '@userloop/core';
import type { MainResult } from './types.ts';

/**
 * Marker kind of a release notice: `<!-- userloop:notify {"tag":"v1.2.0","people":["a","b"]} -->`. Core's
 * `NOTIFY_MARKER_KIND`: kpi-report reads the same marker (`readNotifyMarker`) to count the people notified.
 */
export const NOTICE_MARKER = NOTIFY_MARKER_KIND;
/** Marker kind of the work-started notice (once per issue). */
export const WORK_STARTED_MARKER = 'work-started';
/** Marker kind of the docs-review issue: `<!-- userloop:docs-review {"tag":"v1.2.0"} -->`. */
export const DOCS_REVIEW_MARKER = 'docs-review';

// ---------------------------------------------------------------------------------------------------
// Notices

/** Characters of a pull request title or release name a notice repeats at most (GitHub's title limit). */
const TITLE_MAX = 256;
/** Characters of one quoted how-to-use snippet in a notice at most (less when several share the room). */
const NOTICE_SNIPPET_MAX = 10_000;
/** Pull requests named in a notice's "Changed by" line at most (the rest counted). */
const CHANGED_BY_MAX = 10;

/** The level of the shallowest heading of a quoted how-to-use snippet (below the notice's own text). */
export const SNIPPET_HEADING_DEPTH = 4;

/** A pull request as a notice names it. */
export interface NoticePullRequest {
  number: number;
  title: string;
  snippet: string | null;
}

/** What a release notice needs. */
export interface ReleaseNoticeInput {
  tag: string;
  version: string;
  releaseName: string;
  releaseUrl: string;
  /** The upgrade hint, already filled (empty for none). */
  upgradeHint: string;
  pullRequests: readonly NoticePullRequest[];
  /** For a duplicate: the issue it duplicates. */
  duplicateOf?: number;
  people: readonly string[];
  /** The full notice (first comment) or a short one for the next groups of people. */
  first: boolean;
}

/** How a notice that tells more people (the second comment of a split notice, and later) begins. */
const CONTINUED_NOTICE = ':rocket: Telling more people who asked for this:';
/** How a work-started notice that tells more people begins. */
const CONTINUED_WORK_STARTED = ':construction: Work on this has started (telling more people who asked for it).';

/** Whether a notice body of the bot is the first comment of its notice (not one telling more people). */
export function isFirstNotice(body: string): boolean {
  const start = body.trimStart();
  return !start.startsWith(CONTINUED_NOTICE) && !start.startsWith(CONTINUED_WORK_STARTED);
}

/** The mention line: `cc @a @b`. */
function mentions(people: readonly string[]): string {
  return people.length === 0 ? '' : `cc ${people.map((p) => `@${p}`).join(' ')}`;
}

/**
 * Renders a release notice comment, with its hidden marker (the tag and the people it tells). Every text a
 * person wrote is quoted with core's `quoteInline`/`quoteBlock`, and the body fits GitHub's 65,536
 * characters by construction: at most {@link CHANGED_BY_MAX} pull requests are named, each snippet is cut
 * (with a link to its pull request) to its share of the room left, and a snippet with no room left is
 * replaced by a pointer to its pull request.
 */
export function renderReleaseNotice(input: ReleaseNoticeInput, limit: number = COMMENT_LIMIT): string {
  const release = `[**${quoteInline(input.releaseName, { max: TITLE_MAX })}**](${input.releaseUrl})`;
  const head: string[] = [];
  if (input.duplicateOf !== undefined) {
    head.push(`#${input.duplicateOf}, which this issue duplicates, is resolved in ${release} (version \`${input.version}\`).`);
  } else if (input.first) {
    head.push(`:rocket: This is resolved in ${release} (version \`${input.version}\`).`);
  } else {
    head.push(`${CONTINUED_NOTICE} it is resolved in ${release} (version \`${input.version}\`).`);
  }
  const full = input.first && input.duplicateOf === undefined;
  if (full && input.pullRequests.length > 0) {
    const named = input.pullRequests.slice(0, CHANGED_BY_MAX).map((p) => `#${p.number} (${quoteInline(p.title, { max: TITLE_MAX })})`);
    const more = input.pullRequests.length - named.length;
    head.push('', `Changed by ${named.join(', ')}${more > 0 ? ` and ${more} more pull request(s)` : ''}.`);
  }
  if (input.upgradeHint.trim() !== '') head.push('', `To upgrade: ${quoteCode(input.upgradeHint.trim().replace(/`/g, "'"))}`);
  const tail: string[] = [];
  const cc = mentions(input.people);
  if (cc !== '') tail.push('', cc);
  tail.push('', renderNotifyMarker({ tag: input.tag, people: [...input.people] }));

  const snippets: string[] = [];
  if (full) {
    const quoted = input.pullRequests.filter((pr) => pr.snippet);
    let left = limit - [...head, ...tail].join('\n').length - 2;
    quoted.forEach((pr, i) => {
      const open = `<details><summary>How to use it (from #${pr.number})</summary>`;
      const pointer = `How to use it: see #${pr.number}.`;
      const frame = open.length + '</details>'.length + 8;
      // Each snippet gets an equal share of what is left, the pointers of the next ones set aside.
      const share = Math.floor((left - (quoted.length - i - 1) * (pointer.length + 2)) / (quoted.length - i)) - frame;
      const budget = Math.min(NOTICE_SNIPPET_MAX, share);
      const block = budget >= 300 ? ['', open, '', quoteBlock(pr.snippet!, { max: budget, source: `#${pr.number}` }), '', '</details>'] : ['', pointer];
      snippets.push(...block);
      left -= block.join('\n').length + 1;
    });
  }
  return [...head, ...snippets, ...tail].join('\n');
}

/** Renders the work-started notice, with its hidden marker. */
export function renderWorkStarted(input: {
  issue: number;
  assignee: string | null;
  pullRequest: { number: number; title: string } | null;
  people: readonly string[];
  first: boolean;
  /** On the first comment: everyone it means to tell (a split notice resumes from it after a rate limit). */
  planned?: readonly string[];
}): string {
  const who = input.assignee ? ` by ${quoteInline(`@${input.assignee}`)}` : '';
  const where = input.pullRequest ? ` in #${input.pullRequest.number} (${quoteInline(input.pullRequest.title, { max: TITLE_MAX })})` : '';
  const lines = [
    input.first
      ? `:construction: Work on this has started${who}${where}. Everyone who asked for it will be told when it ships in a release.`
      : CONTINUED_WORK_STARTED,
  ];
  const cc = mentions(input.people);
  if (cc !== '') lines.push('', cc);
  const planned = input.planned && input.planned.length > input.people.length ? { planned: [...input.planned] } : {};
  lines.push('', renderMarker(WORK_STARTED_MARKER, { issue: input.issue, people: [...input.people], ...planned }));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// The docs-review list

/** A pull request of the release that changed docs or copy. */
export interface DocsChange {
  number: number;
  title: string;
  author: string | null;
  labels: string[];
  files: string[];
  /** `false` when the pull request changed more files than were read. */
  filesComplete: boolean;
}

/**
 * Renders the docs-review issue body: one checklist item per pull request, its docs files under it. Fits
 * GitHub's 65,536 characters by construction: when every file does not fit, fewer files are listed per pull
 * request (the rest pointed to on the pull request), and when even the bare checklist does not fit, its
 * last items give way to one line that points to the release.
 */
export function renderDocsReview(input: {
  tag: string;
  releaseName: string;
  releaseUrl: string;
  changes: readonly DocsChange[];
  checked: ReadonlySet<number>;
  maxFiles?: number;
  /** The body's limit; default GitHub's for an issue body. */
  limit?: number;
  /** People who asked outside GitHub for an issue of the release, for the team to tell, and the items already ticked. */
  outside?: readonly OutsideToTell[];
  outsideChecked?: ReadonlySet<string>;
}): string {
  const limit = input.limit ?? COMMENT_LIMIT;
  const head = `Every docs and copy change of [${quoteInline(input.releaseName, { max: TITLE_MAX })}](${input.releaseUrl}), for review. Tick a pull request once its changes are reviewed.\n`;
  const tell = renderOutsideChecklist(input.outside ?? [], input.outsideChecked ?? new Set());
  const marker = `${tell ? `\n\n${tell}` : ''}\n${renderMarker(DOCS_REVIEW_MARKER, { tag: input.tag })}`;
  const item = (c: DocsChange, maxFiles: number): string => {
    const by = c.author ? ` by ${quoteInline(`@${c.author}`)}` : '';
    const lines = [`- [${input.checked.has(c.number) ? 'x' : ' '}] #${c.number} ${quoteInline(c.title, { max: TITLE_MAX })}${by}`];
    for (const f of c.files.slice(0, maxFiles)) lines.push(`  - ${quoteCode(f)}`);
    const more = c.files.length - Math.min(c.files.length, maxFiles);
    if (more > 0 || !c.filesComplete) lines.push(`  - _and ${c.filesComplete ? more : 'more'} other file(s); see the pull request_`);
    return lines.join('\n');
  };
  // [head, ...items, marker].join('\n'): the items' own separators, plus one after the head and one before the marker.
  const room = limit - head.length - marker.length - 2;
  for (const maxFiles of [...new Set([input.maxFiles ?? 30, 10, 3, 0])]) {
    const items = input.changes.map((c) => item(c, maxFiles));
    if (items.join('\n').length <= room) return [head, ...items, marker].join('\n');
  }
  // Even one line per pull request is too long: keep the first items and point to the release for the rest.
  const kept: string[] = [];
  let used = 0;
  for (const [i, c] of input.changes.entries()) {
    const line = item(c, 0);
    const pointer = `- _and ${input.changes.length - i - 1} more pull request(s) with docs changes: see [the release](${input.releaseUrl})_`;
    if (used + line.length + 1 + pointer.length > room) {
      kept.push(`- _and ${input.changes.length - i} more pull request(s) with docs changes: see [the release](${input.releaseUrl})_`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return [head, ...kept, marker].join('\n');
}

/** A person who asked outside GitHub for an issue the release ships: the team tells them where they asked. */
export interface OutsideToTell {
  issue: number;
  person: Pick<OutsideRequester, 'name' | 'place' | 'url'>;
}

/** Most people outside GitHub the docs-review issue lists (the rest are counted). */
const MAX_OUTSIDE_LISTED = 50;

/** One item of the list of people to tell, without its box: the name and place inert, the link where they asked, the issue. */
function outsideItem(o: OutsideToTell): string {
  const place = o.person.place ? ` on ${quoteInline(o.person.place, { max: 40 })}` : '';
  const link = o.person.url ? `: [where they asked](${markdownHref(o.person.url)})` : '';
  return `${quoteInline(o.person.name, { max: 80 })}${place}${link} (asked for #${o.issue})`;
}

/** The items of the list of people to tell that a person ticked in a docs-review body, as {@link outsideItem} writes them. */
export function checkedOutside(body: string | null | undefined): Set<string> {
  const out = new Set<string>();
  for (const m of (body ?? '').matchAll(/^\s*[-*] \[[xX]\] (.+ \(asked for #\d+\))\s*$/gm)) out.add(m[1]!);
  return out;
}

/**
 * The checklist of people who asked outside GitHub and have no account to be notified with: the team tells
 * each where they asked, then ticks them (ticks are kept on updates). At most 50, then how many more.
 */
function renderOutsideChecklist(outside: readonly OutsideToTell[], checked: ReadonlySet<string>): string {
  if (outside.length === 0) return '';
  const items = outside.slice(0, MAX_OUTSIDE_LISTED).map((o) => {
    const text = outsideItem(o);
    return `- [${checked.has(text) ? 'x' : ' '}] ${text}`;
  });
  const more = outside.length - items.length;
  if (more > 0) items.push(`- _and ${more} more: see the issues' prioritize replies_`);
  return `### People outside GitHub to tell\n\nThey asked on a chat server, a forum or a support ticket and get no GitHub notification: tell each where they asked, then tick them.\n\n${items.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------------
// The job summary and the annotations

const REASONS: Record<string, string> = {
  locked: 'locked',
  deleted: 'deleted (410)',
  transferred: 'transferred to another repository (301)',
  'not-found': 'not found (404: deleted, transferred or not visible to the token)',
  'opted-out': 'opted out',
  'not-resolved': 'not resolved',
  closed: 'closed',
  'other-repository': 'in another repository',
  open: 'still open (a merge into a non-default branch closes nothing; or it was reopened)',
  'not-completed': 'closed as not planned or as a duplicate, not as completed',
};

const ref = (n: number | string) => (typeof n === 'number' ? `#${n}` : n);

/** Renders the job summary of a run. */
export function renderSummary(r: MainResult): string {
  const title =
    r.trigger === 'release'
      ? `notify-requesters: ${r.tag ?? 'release'}${r.dryRun ? ' (dry run)' : ''}`
      : `notify-requesters: work started${r.dryRun ? ' (dry run)' : ''}`;
  const lines = [`### ${title}`, ''];
  if (r.trigger === 'none') {
    lines.push(...r.notices, '');
    return lines.join('\n');
  }
  const leftIssues = [...new Set(r.left.filter((l) => l.what === 'notice').map((l) => l.issue))];
  const leftPeople = r.left.reduce((n, l) => n + l.people.length, 0);
  lines.push(
    markdownTable([
      ['', 'Issues', 'Detail'],
      [r.dryRun ? 'Would notify' : 'Sent', r.notifiedIssues.length, `${r.notifiedIssues.map(ref).join(', ')}${r.notifiedPeople.length > 0 ? ` (${r.notifiedPeople.length} people)` : ''}`],
      ['Already told', r.unchanged.length, r.unchanged.map(ref).join(', ')],
      ['Skipped', r.skipped.length, r.skipped.map((s) => `${ref(s.issue)} ${REASONS[s.reason] ?? s.reason}`).join(', ')],
      ['Failed', r.failed.length, r.failed.map((f) => `${ref(f.issue)} ${f.message}`).join('; ')],
      ['Left', leftIssues.length, leftIssues.length > 0 ? `${leftIssues.map(ref).join(', ')} (${leftPeople} people)` : ''],
    ]),
    '',
  );
  if (r.trigger === 'release' && r.docsReview.action !== 'none') {
    const link = r.docsReview.url ? `[#${r.docsReview.number}](${r.docsReview.url})` : r.docsReview.number ? `#${r.docsReview.number}` : '';
    lines.push(`Docs review: ${r.docsReview.action} ${link}`.trimEnd(), '');
  }
  if (r.announcement) lines.push(`Announcement: ${r.announcement.status} (${r.announcement.detail})`, '');
  if (r.stoppedBy || r.failed.length > 0 || r.left.length > 0) {
    const what = r.stoppedBy ? `Writing stopped at ${r.stoppedBy}; ${r.left.length} write(s) are left.` : 'Some notices failed.';
    const dispatch = r.tag ? ` or run the workflow by hand (\`workflow_dispatch\`) with \`tag: ${r.tag}\`` : '';
    lines.push(`**To finish:** ${what} Re-run this job${dispatch}: it resumes from the notices already posted, so nobody is told twice.`, '');
  }
  for (const w of r.warnings) lines.push(`> [!WARNING]\n> ${w}`, '');
  for (const n of r.notices) lines.push(n, '');
  lines.push(`<sub>${r.graphqlQueries} GraphQL queries, ${r.writes} write(s).</sub>`, '');
  return lines.join('\n');
}

/** The skip reasons worth a warning: the issue is gone, so nobody on it was told. */
const GONE = new Set<string>(['deleted', 'transferred', 'not-found']);

/** The step's annotations, in the order they are written: notes, warnings, then what became of each issue left out. */
export function renderAnnotations(r: MainResult): { level: 'notice' | 'warning' | 'info'; message: string }[] {
  const out: { level: 'notice' | 'warning' | 'info'; message: string }[] = [];
  for (const n of r.notices) out.push({ level: 'notice', message: n });
  for (const w of r.warnings) out.push({ level: 'warning', message: w });
  if (r.stoppedBy) out.push({ level: 'warning', message: `Stopped at ${r.stoppedBy}: ${r.left.length} write(s) left. Re-run to finish; nobody is told twice.` });
  // A notice that could not be posted is a warning (never a failure): the annotation says who was not told.
  for (const s of r.skipped) {
    if (GONE.has(s.reason)) out.push({ level: 'warning', message: `Skipped ${ref(s.issue)}: the issue is ${REASONS[s.reason]}, so nobody on it was told.` });
    else out.push({ level: 'info', message: `skipped ${ref(s.issue)}: ${s.reason}` });
  }
  for (const f of r.failed) out.push({ level: 'warning', message: `Could not notify ${ref(f.issue)} (${f.message}). Re-run to retry it; nobody is told twice.` });
  return out;
}
