// The pure decisions: which release and which issues it resolves, who on each is told (and who was told
// already), how mentions are split into comments, which notices are copies of one another, and what the
// docs-review issue lists. Plain data in, plain data out.
import {
  buildLedger,
  compareVersions,
  findMarkers,
  isExcludedUser,
  type Ledger,
  type LedgerOptions,
  mergeLedgers,
  type NotifyRequestersConfig,
  parseClosingKeywords,
  type PullRequestDetails,
  readPrioritizeMarker,
  type ReleaseInfo,
  type SemVer,
  splitTag,
  withoutCode,
} from '@userloop/core';
import type { CommentRead, IssueRead } from './read.ts';
import {
  DOCS_REVIEW_MARKER,
  isFirstNotice,
  NOTICE_MARKER,
  renderReleaseNotice,
  renderWorkStarted,
  WORK_STARTED_MARKER,
  type DocsChange,
  type NoticePullRequest,
  type OutsideToTell,
  type ReleaseNoticeInput,
} from './render.ts';
import type { SkipEntry } from './types.ts';

// ---------------------------------------------------------------------------------------------------
// Releases

/**
 * The release a trigger names: the event's release as the list has it now, else the published release with
 * the tag, else the event's release as it was sent; `null` when there is none.
 */
export function selectRelease(releases: readonly ReleaseInfo[], tag: string, fromEvent: ReleaseInfo | null): ReleaseInfo | null {
  return (fromEvent && releases.find((r) => r.id === fromEvent.id)) ?? releases.find((r) => r.tag_name === tag && !r.draft) ?? fromEvent;
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
  const clean = withoutCode(text, { inline: true });
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
function isResolvedByBody(
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

/**
 * Why a resolved issue is not told about a release, read at notification time: `open` (a merge into a
 * branch other than the default one closes nothing, and an issue can be reopened), `not-completed` (closed
 * as not planned or as a duplicate); `null` when it is closed as completed. An issue closed before GitHub
 * recorded a state reason (`null`) counts as completed.
 */
function unresolvedReason(issue: Pick<IssueRead, 'state' | 'stateReason'>): 'open' | 'not-completed' | null {
  if (issue.state !== 'CLOSED') return 'open';
  if (issue.stateReason !== null && issue.stateReason !== 'COMPLETED') return 'not-completed';
  return null;
}

/**
 * The resolved issues that ship in the release (`shipped`), as read: closed as completed by a merged pull
 * request, or named only in the release body and closed since the previous release (`since`) without a
 * notice for another tag. `duplicates`: the issues of this repository marked as duplicates of a shipped one
 * (not shipped themselves), to read next. `skipped`: why the others get nothing.
 */
export function shippedIssues(
  resolved: readonly ResolvedIssue[],
  issues: ReadonlyMap<number, IssueRead>,
  since: string | null,
  tag: string,
): { shipped: Set<number>; duplicates: number[]; skipped: SkipEntry[] } {
  const shipped = new Set<number>();
  const skipped: SkipEntry[] = [];
  for (const r of resolved) {
    const issue = issues.get(r.number);
    if (!issue) {
      if (!r.fromBody) skipped.push({ issue: r.number, reason: 'not-found' });
      continue;
    }
    // Named only in the release body: only if it was closed since the previous release and not announced for another tag.
    if (r.fromBody && !isResolvedByBody(issue, since, tag)) continue;
    // Closed by a merged pull request, but told only while it is closed as completed.
    const unresolved = unresolvedReason(issue);
    if (unresolved) {
      skipped.push({ issue: r.number, reason: unresolved });
      continue;
    }
    shipped.add(r.number);
  }
  const duplicates = new Set<number>();
  for (const n of shipped) {
    for (const d of issues.get(n)!.duplicates) if (!d.repository && !shipped.has(d.number)) duplicates.add(d.number);
  }
  return { shipped, duplicates: [...duplicates], skipped };
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

/**
 * The requester ledger of an issue: the one `prioritize` keeps in its marker (bot comments only), merged
 * with a fresh one built from the same read, so nobody recorded earlier is lost and nobody new is missed.
 * `options` come from core's `ledgerOptionsFromConfig`, the ones prioritize uses (want phrases, community
 * hosts, bots).
 */
function issueLedger(issue: IssueRead, options: LedgerOptions): Ledger {
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

/** Whether the issue carries `label` (none for an empty label). */
export function hasLabel(issue: Pick<IssueRead, 'labels'>, label: string): boolean {
  return label !== '' && issue.labels.some((l) => l.toLowerCase() === label.toLowerCase());
}

/** One issue to comment on and the comments planned for it. */
export interface Target {
  issue: IssueRead;
  comments: PlannedComment[];
  render: (c: PlannedComment) => string;
  /** Add the released label after the comments. */
  label: boolean;
  /** The marker of the notice (`notify` or `work-started`) and, for a release notice, its tag. */
  marker: string;
  tag: string | null;
}

/** The release a notice is about, as every notice of it says it. */
type NoticeRelease = Omit<ReleaseNoticeInput, 'pullRequests' | 'duplicateOf' | 'people' | 'first'>;

/**
 * The release notices: for each shipped issue (in `resolved` order), its requesters not told yet about
 * this tag (on it or on its duplicates); the author of a duplicate is told on the duplicate, where they
 * asked, the rest on the issue. `priorTrace`: a notice about this tag is there already (an earlier run).
 * `skipped`: opted-out issues and duplicates. A locked issue is planned like any other: the token may
 * comment there when it has write access (the GITHUB_TOKEN with `issues: write` has), and when GitHub
 * refuses (403, locked) the writer skips it as `locked`.
 */
export function planReleaseNotices(options: {
  resolved: readonly ResolvedIssue[];
  shipped: ReadonlySet<number>;
  issues: ReadonlyMap<number, IssueRead>;
  duplicates: ReadonlyMap<number, IssueRead>;
  /** The pull requests of the release as a notice names them, by number. */
  pullRequests: ReadonlyMap<number, NoticePullRequest>;
  release: NoticeRelease;
  config: Pick<NotifyRequestersConfig, 'opt-out' | 'max-mentions'>;
  ledger: LedgerOptions;
  bots: readonly string[];
}): { targets: Target[]; skipped: SkipEntry[]; priorTrace: boolean; outside: OutsideToTell[] } {
  const { shipped, release, config } = options;
  // People who asked outside GitHub: no notification reaches them; the team is told to tell them.
  const outside: OutsideToTell[] = [];
  const tag = release.tag;
  const optOutLabel = config['opt-out'].label;
  const skipped: SkipEntry[] = [];
  const targets: Target[] = [];
  const claimed = new Set<number>();
  let priorTrace = false;
  for (const r of options.resolved) {
    if (!shipped.has(r.number)) continue;
    const issue = options.issues.get(r.number)!;
    if (hasLabel(issue, optOutLabel)) {
      skipped.push({ issue: issue.number, reason: 'opted-out' });
      continue;
    }
    const ledger = issueLedger(issue, options.ledger);
    for (const person of ledger.outside ?? []) outside.push({ issue: issue.number, person });
    const dups = issue.duplicates
      .filter((d) => !d.repository && !shipped.has(d.number) && !claimed.has(d.number))
      .map((d) => options.duplicates.get(d.number))
      .filter((d): d is IssueRead => d !== undefined);
    // Told already: anyone named by our notices about this tag on the issue or its duplicates.
    const told = new Set<string>();
    const own = toldAbout(issue.comments, tag);
    for (const t of own.told) told.add(t);
    const dupTold = new Map<number, boolean>();
    for (const d of dups) {
      const t = toldAbout(d.comments, tag);
      dupTold.set(d.number, t.noticed);
      for (const x of t.told) told.add(x);
    }
    if (own.noticed || [...dupTold.values()].some(Boolean)) priorTrace = true;
    const recipients = selectRecipients({ logins: ledger.requesters.map((q) => q.login), bots: options.bots, optedOut: config['opt-out'].logins, told });

    // The author of a duplicate is told on the duplicate (where they asked); the rest on this issue.
    const onDup = new Map<number, string[]>();
    for (const d of dups) {
      claimed.add(d.number);
      if (hasLabel(d, optOutLabel)) {
        skipped.push({ issue: d.number, reason: 'opted-out' });
        continue;
      }
      const author = d.author?.login.toLowerCase();
      onDup.set(d.number, recipients.filter((p) => p.toLowerCase() === author));
    }
    const elsewhere = new Set([...onDup.values()].flat().map((p) => p.toLowerCase()));
    const here = recipients.filter((p) => !elsewhere.has(p.toLowerCase()));

    const pulls = r.pullRequests.flatMap((n) => {
      const pr = options.pullRequests.get(n);
      return pr ? [pr] : [];
    });
    targets.push({
      issue,
      comments: planComments(issue.number, here, own.noticed, config['max-mentions']),
      label: true,
      marker: NOTICE_MARKER,
      tag,
      render: (c) => renderReleaseNotice({ ...release, pullRequests: pulls, people: c.people, first: c.first }),
    });
    for (const d of dups) {
      const people = onDup.get(d.number);
      if (!people) continue;
      targets.push({
        issue: d,
        comments: planComments(d.number, people, dupTold.get(d.number) ?? false, config['max-mentions']),
        label: false,
        marker: NOTICE_MARKER,
        tag,
        render: (c) => renderReleaseNotice({ ...release, pullRequests: [], duplicateOf: issue.number, people: c.people, first: c.first }),
      });
    }
  }
  return { targets, skipped, priorTrace, outside };
}

/**
 * The work-started notice on each issue, once: open, not opted-out issues (locked ones too: see
 * {@link planReleaseNotices}) whose requesters
 * (`exclude`d: the person who started the work) were not all told yet. After the first notice only the
 * people it planned to tell and did not reach yet are told (a split notice stopped by a rate limit);
 * `unchanged`: issues whose notice is complete.
 */
export function planWorkStarted(options: {
  numbers: readonly number[];
  issues: ReadonlyMap<number, IssueRead>;
  config: Pick<NotifyRequestersConfig, 'opt-out' | 'max-mentions'>;
  ledger: LedgerOptions;
  bots: readonly string[];
  exclude: readonly string[];
  /** Who started the work, and in which pull request. */
  assignee: string | null;
  pullRequest: { number: number; title: string } | null;
}): { targets: Target[]; skipped: SkipEntry[]; unchanged: number[] } {
  const { config } = options;
  const targets: Target[] = [];
  const skipped: SkipEntry[] = [];
  const unchanged: number[] = [];
  for (const n of options.numbers) {
    const issue = options.issues.get(n);
    if (!issue) {
      skipped.push({ issue: n, reason: 'not-found' });
      continue;
    }
    if (issue.state !== 'OPEN') {
      skipped.push({ issue: n, reason: 'closed' });
      continue;
    }
    if (hasLabel(issue, config['opt-out'].label)) {
      skipped.push({ issue: n, reason: 'opted-out' });
      continue;
    }
    const told = new Set<string>();
    let noticed = false;
    let planned: string[] | null = null;
    for (const data of ownMarkers(issue.comments, WORK_STARTED_MARKER)) {
      noticed = true;
      const d = data as { people?: unknown; planned?: unknown } | null;
      if (Array.isArray(d?.people)) for (const p of d.people) if (typeof p === 'string') told.add(p.toLowerCase());
      if (Array.isArray(d?.planned)) planned = d.planned.filter((p): p is string => typeof p === 'string');
    }
    // Once per issue: after the first notice, only the people it planned to tell and did not reach yet.
    if (noticed && planned === null) {
      unchanged.push(n);
      continue;
    }
    const ledger = issueLedger(issue, options.ledger);
    const recipients = selectRecipients({
      logins: planned ?? ledger.requesters.map((q) => q.login),
      bots: options.bots,
      optedOut: config['opt-out'].logins,
      told,
      exclude: options.exclude,
    });
    targets.push({
      issue,
      comments: planComments(n, recipients, noticed, config['max-mentions']),
      label: false,
      marker: WORK_STARTED_MARKER,
      tag: null,
      render: (c) =>
        renderWorkStarted({
          issue: n,
          assignee: options.assignee,
          pullRequest: options.pullRequest,
          people: c.people,
          first: c.first,
          ...(c.first ? { planned: recipients } : {}),
        }),
    });
  }
  return { targets, skipped, unchanged };
}

// ---------------------------------------------------------------------------------------------------
// Overlapping runs

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

// ---------------------------------------------------------------------------------------------------
// Docs review

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

/** The tag a docs-review issue body is for, from its marker (`null` when it has none). */
export function docsReviewTag(body: string | null | undefined): string | null {
  const m = findMarkers(body ?? '', DOCS_REVIEW_MARKER)[0];
  const tag = (m?.data as { tag?: unknown } | null | undefined)?.tag;
  return typeof tag === 'string' ? tag : null;
}
