// The pure decisions: which issues a release resolves, who on each is told (and who was told already),
// how mentions are split into comments, and what every notice says. Plain data in, plain data out.
import {
  buildLedger,
  COMMENT_LIMIT,
  compareVersions,
  findMarkers,
  isExcludedUser,
  mergeLedgers,
  parseClosingKeywords,
  quoteBlock,
  quoteCode,
  quoteInline,
  NOTIFY_MARKER_KIND,
  readPrioritizeMarker,
  renderMarker,
  renderNotifyMarker,
  splitTag,
  type Ledger,
  type LedgerOptions,
  type PullRequestDetails,
  type SemVer,
} from '@userloop/core';
import type { CommentRead, IssueRead } from './read.ts';

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
// Releases

/** A release as `GET /repos/{owner}/{repo}/releases` gives it (the fields used here). */
export interface ReleaseInfo {
  id: number;
  tag_name: string;
  name: string | null;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  published_at: string | null;
  created_at?: string;
}

/**
 * The release before `current`: published (not a draft), not `current` itself, and not a pre-release
 * unless `current` is one. When the tags carry versions with the same prefix, the highest version below
 * `current`'s; otherwise the latest published before it. `null` for a first release.
 */
export function selectPreviousRelease(releases: readonly ReleaseInfo[], current: ReleaseInfo): ReleaseInfo | null {
  const others = releases.filter((r) => !r.draft && r.id !== current.id && r.tag_name !== current.tag_name && (current.prerelease || !r.prerelease));
  const cv = splitTag(current.tag_name);
  if (cv) {
    let best: { r: ReleaseInfo; v: SemVer } | null = null;
    for (const r of others) {
      const v = splitTag(r.tag_name);
      if (!v || v.prefix !== cv.prefix || compareVersions(v.version, cv.version) >= 0) continue;
      if (!best || compareVersions(v.version, best.v) > 0) best = { r, v: v.version };
    }
    if (best) return best.r;
    if (others.some((r) => splitTag(r.tag_name)?.prefix === cv.prefix)) return null;
  }
  const at = (r: ReleaseInfo) => Date.parse(r.published_at ?? r.created_at ?? '') || 0;
  const before = others.filter((r) => at(r) < at(current)).sort((a, b) => at(b) - at(a));
  return before[0] ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Which issues a release resolves

/** Issue numbers of `owner/repo` named in a text: `#12`, `owner/repo#12`, or an issue URL. Code and HTML comments are ignored. */
export function issuesNamedIn(text: string | null | undefined, owner: string, repo: string): number[] {
  if (!text) return [];
  const clean = text
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\S\n]*$|(?![\s\S]))/gm, ' ')
    .replace(/(`+)[^`]*?\1/g, ' ');
  const here = `${owner}/${repo}`.toLowerCase();
  const out: number[] = [];
  const add = (n: number) => {
    if (Number.isSafeInteger(n) && n > 0 && !out.includes(n)) out.push(n);
  };
  for (const m of clean.matchAll(/https?:\/\/[^\s/]+\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+)(?![\w/])/g)) {
    if (`${m[1]}/${m[2]}`.toLowerCase() === here) add(Number(m[3]));
  }
  for (const m of clean.matchAll(/(?:^|[^\w/&])(?:([\w.-]+)\/([\w.-]+))?#(\d+)(?![\w/])/g)) {
    if (m[1] !== undefined && `${m[1]}/${m[2]}`.toLowerCase() !== here) continue;
    add(Number(m[3]));
  }
  return out;
}

/** A resolved issue of this repository and the merged pull requests of the release that closed it. */
export interface ResolvedIssue {
  number: number;
  /** Pull request numbers, in range order (empty for an issue only named in the release body). */
  pullRequests: number[];
  /** Named in the release body (kept only if it turns out to be a closed, completed issue). */
  fromBody: boolean;
}

/**
 * The issues a release resolves: closing references of its pull requests (GitHub's linked issues,
 * connected events included) and closing keywords in their bodies, then issues named in the release body.
 * Only issues of `owner/repo`; others are returned in `elsewhere` (`owner/repo#n`).
 */
export function resolvedIssues(
  pullRequests: readonly PullRequestDetails[],
  releaseBody: string | null | undefined,
  owner: string,
  repo: string,
): { issues: ResolvedIssue[]; elsewhere: string[] } {
  const here = `${owner}/${repo}`.toLowerCase();
  const byNumber = new Map<number, ResolvedIssue>();
  const elsewhere = new Set<string>();
  const prNumbers = new Set(pullRequests.map((p) => p.number));
  const add = (n: number, pr: number | null) => {
    if (pr === null && prNumbers.has(n)) return;
    let entry = byNumber.get(n);
    if (!entry) {
      entry = { number: n, pullRequests: [], fromBody: pr === null };
      byNumber.set(n, entry);
    }
    if (pr !== null) {
      entry.fromBody = false;
      if (!entry.pullRequests.includes(pr)) entry.pullRequests.push(pr);
    }
  };
  for (const pr of pullRequests) {
    for (const issue of pr.closingIssues) {
      if (issue.repository.toLowerCase() === here) add(issue.number, pr.number);
      else elsewhere.add(`${issue.repository}#${issue.number}`);
    }
    for (const ref of parseClosingKeywords(pr.body, { owner, repo })) {
      if (`${ref.owner}/${ref.repo}`.toLowerCase() === here) add(ref.number, pr.number);
      else elsewhere.add(`${ref.owner}/${ref.repo}#${ref.number}`);
    }
  }
  for (const n of issuesNamedIn(releaseBody, owner, repo)) add(n, null);
  return { issues: [...byNumber.values()], elsewhere: [...elsewhere] };
}

/**
 * Whether an issue named only in the release body ships in this release: closed as completed, closed after
 * the previous release was published (`since`; `null` for a first release), and not already announced by
 * the bot's notice for another tag. "Regression from #45" names an issue that shipped long ago: it gets
 * nothing.
 */
export function isResolvedByBody(
  issue: Pick<IssueRead, 'state' | 'stateReason' | 'closedAt' | 'comments'>,
  since: string | null = null,
  tag: string | null = null,
): boolean {
  if (issue.state !== 'CLOSED' || (issue.stateReason !== null && issue.stateReason !== 'COMPLETED')) return false;
  if (since !== null) {
    const closed = Date.parse(issue.closedAt ?? '');
    const after = Date.parse(since);
    if (!Number.isFinite(closed) || (Number.isFinite(after) && closed <= after)) return false;
  }
  for (const data of ownMarkers(issue.comments, NOTICE_MARKER)) {
    const noticeTag = (data as { tag?: unknown } | null)?.tag;
    if (typeof noticeTag === 'string' && noticeTag !== tag) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Who is told

/** The bot's own markers of `kind` in the comments (a marker in anyone else's comment is ignored). */
export function ownMarkers(comments: readonly CommentRead[], kind: string): unknown[] {
  const out: unknown[] = [];
  for (const c of comments) {
    if (!c.byViewer) continue;
    for (const m of findMarkers(c.body, kind)) out.push(m.data);
  }
  return out;
}

/** What the bot's notices about `tag` on these comments say: whether there is one, and who they told (lower-case). */
export function toldAbout(comments: readonly CommentRead[], tag: string): { noticed: boolean; told: Set<string> } {
  const told = new Set<string>();
  let noticed = false;
  for (const data of ownMarkers(comments, NOTICE_MARKER)) {
    const d = data as { tag?: unknown; people?: unknown } | null;
    if (!d || d.tag !== tag) continue;
    noticed = true;
    if (Array.isArray(d.people)) for (const p of d.people) if (typeof p === 'string') told.add(p.toLowerCase());
  }
  return { noticed, told };
}

/** Whether the bot already posted the work-started notice on the issue. */
export function hasWorkStarted(comments: readonly CommentRead[]): boolean {
  return ownMarkers(comments, WORK_STARTED_MARKER).length > 0;
}

/**
 * The requester ledger of an issue: the one `prioritize` keeps in its marker (bot comments only), merged
 * with a fresh one built from the same read, so nobody recorded earlier is lost and nobody new is missed.
 * `options` come from core's `ledgerOptionsFromConfig`, the ones prioritize uses (want phrases, community
 * hosts, bots).
 */
export function issueLedger(issue: IssueRead, options: LedgerOptions): Ledger {
  let previous: Ledger | null = null;
  for (const c of issue.comments) {
    if (!c.byViewer) continue;
    const data = readPrioritizeMarker(c.body);
    if (data) {
      previous = data.ledger;
      break;
    }
  }
  const fresh = buildLedger(
    {
      issue: { number: issue.number, url: issue.url, author: issue.author, body: issue.body, createdAt: issue.createdAt },
      comments: issue.comments.filter((c) => !c.byViewer),
      reactions: issue.reactions,
      duplicates: issue.duplicates,
    },
    options,
  );
  return mergeLedgers(previous, fresh);
}

/** Who to tell, in ledger order: not a bot, not opted out, not told already, not excluded (the assignee). */
export function selectRecipients(options: {
  logins: readonly string[];
  bots: readonly string[];
  optedOut: readonly string[];
  told: ReadonlySet<string>;
  exclude?: readonly string[];
}): string[] {
  const skip = new Set([...options.optedOut, ...(options.exclude ?? [])].map((l) => l.toLowerCase()));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const login of options.logins) {
    const key = login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (isExcludedUser({ login }, options.bots) || skip.has(key) || options.told.has(key)) continue;
    out.push(login);
  }
  return out;
}

/** Splits `items` into groups of at most `size` (none for an empty list). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  const n = Math.max(1, Math.floor(size));
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** One comment to post. */
export interface PlannedComment {
  issue: number;
  /** The people it mentions (and records as told). */
  people: string[];
  /** The first comment of this issue's notice (carries the full text). */
  first: boolean;
}

/**
 * The comments of one issue's notice: the recipients split into groups of `maxMentions`; when nobody is
 * left to tell, one comment without mentions if the issue has no notice yet, otherwise none (a re-run).
 */
export function planComments(issue: number, recipients: readonly string[], noticed: boolean, maxMentions: number): PlannedComment[] {
  const groups = chunk(recipients, maxMentions);
  if (groups.length === 0) return noticed ? [] : [{ issue, people: [], first: true }];
  return groups.map((people, i) => ({ issue, people, first: !noticed && i === 0 }));
}

// ---------------------------------------------------------------------------------------------------
// Rendering

/** Characters of a pull request title or release name a notice repeats at most (GitHub's title limit). */
const TITLE_MAX = 256;
/** Characters of one quoted how-to-use snippet in a notice at most (less when several share the room). */
export const NOTICE_SNIPPET_MAX = 10_000;
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
export const CONTINUED_NOTICE = ':rocket: Telling more people who asked for this:';
/** How a work-started notice that tells more people begins. */
export const CONTINUED_WORK_STARTED = ':construction: Work on this has started (telling more people who asked for it).';

/** Whether a notice body of the bot is the first comment of its notice (not one telling more people). */
export function isFirstNotice(body: string): boolean {
  const start = body.trimStart();
  return !start.startsWith(CONTINUED_NOTICE) && !start.startsWith(CONTINUED_WORK_STARTED);
}

/**
 * Whether two notices of the bot on one issue are copies of the same notice (two runs that overlapped):
 * both the first comment of their notice, or telling at least one person in common, or both telling
 * nobody. The caller passes notices of one kind and one release only.
 */
export function sameNotice(
  a: { body: string; people: readonly string[] },
  b: { body: string; people: readonly string[] },
): boolean {
  if (isFirstNotice(a.body) && isFirstNotice(b.body)) return true;
  if (a.people.length === 0 && b.people.length === 0) return true;
  const theirs = new Set(b.people.map((p) => p.toLowerCase()));
  return a.people.some((p) => theirs.has(p.toLowerCase()));
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
// Docs review

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

/** The pull requests that changed a file matching `isDocs`, with only those files, by number. */
export function docsChanges(pullRequests: readonly PullRequestDetails[], isDocs: (path: string) => boolean): DocsChange[] {
  return [...pullRequests].sort((a, b) => a.number - b.number).flatMap((pr) => {
    const files = pr.files.filter(isDocs);
    if (files.length === 0) return [];
    return [{ number: pr.number, title: pr.title, author: pr.author?.login ?? null, labels: pr.labels, files, filesComplete: pr.filesComplete }];
  });
}

/** An area of the ownership map (the fields used here). */
export interface AreaLike {
  name: string;
  labels: readonly string[];
  paths: readonly string[];
  owners: readonly string[];
}

/**
 * The people to assign the docs-review issue to: owners (users; teams cannot be assigned) of every area
 * whose label is on one of the pull requests or whose paths match one of their docs files. Deduplicated, in
 * area order; at most 10 (GitHub's limit).
 */
export function docsReviewAssignees(changes: readonly DocsChange[], areas: readonly AreaLike[], matcher: (globs: readonly string[]) => (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const area of areas) {
    const labels = new Set(area.labels.map((l) => l.toLowerCase()));
    const inPaths = area.paths.length > 0 ? matcher(area.paths) : () => false;
    const hit = changes.some((c) => c.labels.some((l) => labels.has(l.toLowerCase())) || c.files.some(inPaths));
    if (!hit) continue;
    for (const owner of area.owners) {
      const login = owner.replace(/^@/, '');
      if (login.includes('/')) continue;
      if (!out.some((o) => o.toLowerCase() === login.toLowerCase())) out.push(login);
    }
  }
  return out.slice(0, 10);
}

/** Pull request numbers whose checklist item is ticked in an existing docs-review body (`- [x] #12 …`). */
export function checkedItems(body: string | null | undefined): Set<number> {
  const out = new Set<number>();
  for (const m of (body ?? '').matchAll(/^\s*[-*] \[[xX]\] #(\d+)\b/gm)) out.add(Number(m[1]));
  return out;
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
}): string {
  const limit = input.limit ?? COMMENT_LIMIT;
  const head = `Every docs and copy change of [${quoteInline(input.releaseName, { max: TITLE_MAX })}](${input.releaseUrl}), for review. Tick a pull request once its changes are reviewed.\n`;
  const marker = `\n${renderMarker(DOCS_REVIEW_MARKER, { tag: input.tag })}`;
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

/** The tag a docs-review issue body is for, from its marker (`null` when it has none). */
export function docsReviewTag(body: string | null | undefined): string | null {
  const m = findMarkers(body ?? '', DOCS_REVIEW_MARKER)[0];
  const tag = (m?.data as { tag?: unknown } | null | undefined)?.tag;
  return typeof tag === 'string' ? tag : null;
}
