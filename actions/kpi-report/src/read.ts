// The reads: the issues, pull requests and releases of each repository through GraphQL, CODEOWNERS, and the
// members of the teams named as owners.
//
// The collector reads GraphQL pages of 100 issues (and pull requests riding along), each with its labels and
// its first 100 comments, reviews, closes and reopens; paged over the repository (no search, no 1,000
// cap). It reads only what the report can see: every open issue, and the issues and pull requests updated
// since the start of the oldest period the report shows (the trend's); an issue closed before that start
// and not touched since counts in no number, so a repository's long closed history costs nothing. A later
// run reads only what was updated since the last one (the snapshot), and drops what fell out of the window.
//
// Point cost with GitHub's formula (requests = sum over connections of the product of the page sizes
// above them; points = round(requests / 100), at least 1):
//   issues(first: 100)                          1
//     labels(first: 20)                       100
//     timelineItems(first: 100)               100
//   pullRequests(first: 15)                     1
//     labels, files, timelineItems        3 x 15 = 45
//   releases(first: 20)                         1
//   total 248 requests -> 2 points for 100 issues + 15 pull requests + the releases.
// Once the issues are read, pull requests go 100 at a time: 1 + 3 x 100 = 301 -> 3 points. An incremental
// read (what changed since the last run: a few issues, as a rule) takes 50 issues a page: 1 + 50 + 50 + 46
// + 1 = 148 -> 1 point. The token's identity (`viewer`, which markers to trust) rides along in the first query.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compact,
  graphqlPoints,
  httpStatus,
  isAuthoredBy,
  isBot,
  leavesTooFew,
  readMarker,
  readNotifyMarker,
  readPrioritizeMarker,
  stoppedToKeep,
  type GraphqlClient,
  type Octokit,
  type PrioritizeMarkerData,
  type TokenHour,
} from '@userloop/core';
import { CODEOWNERS_PATHS, parseCodeowners } from './codeowners.ts';
import type { AreaDef } from './compute.ts';
import type { CollectStats, ItemRecord, NoticeRecord, PromiseRecord, ReadProgress, ReleaseRecord, RepoSnapshot, ResponseRecord, StateChangeRecord } from './model.ts';
import { mergeSnapshot } from './snapshots.ts';

/** Page sizes; the defaults keep every issue page at 2 points. */
const PAGE = { issues: 100, issuesIncremental: 50, pullsAlong: 15, pulls: 100, releases: 20, labels: 20, timeline: 100, files: 100 } as const;

const ACTOR = 'author { __typename login }';

const ISSUE_FIELDS = `
  number title url state stateReason createdAt updatedAt closedAt
  ${ACTOR}
  labels(first: ${PAGE.labels}) { nodes { name } }
  timelineItems(first: ${PAGE.timeline}, itemTypes: [ISSUE_COMMENT, CLOSED_EVENT, REOPENED_EVENT]) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      __typename
      ... on IssueComment { ${ACTOR} authorAssociation createdAt body }
      ... on ClosedEvent { createdAt stateReason }
      ... on ReopenedEvent { createdAt }
    }
  }`;

const PULL_FIELDS = `
  number title url state createdAt updatedAt closedAt mergedAt
  ${ACTOR}
  labels(first: ${PAGE.labels}) { nodes { name } }
  files(first: ${PAGE.files}) { totalCount nodes { path } }
  timelineItems(first: ${PAGE.timeline}, itemTypes: [ISSUE_COMMENT, PULL_REQUEST_REVIEW, CLOSED_EVENT, REOPENED_EVENT]) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      __typename
      ... on IssueComment { ${ACTOR} authorAssociation createdAt body }
      ... on PullRequestReview { ${ACTOR} authorAssociation createdAt }
      ... on ClosedEvent { createdAt }
      ... on ReopenedEvent { createdAt }
    }
  }`;

/**
 * GitHub's cost of a query of this shape, in points: each connection costs one request per node above it
 * (an issue's labels and timeline, a pull request's labels, files and timeline), 100 requests a point,
 * rounded, at least 1.
 */
export function queryPoints(parts: { issues: number | null; pulls: number | null; releases: boolean; openCount?: boolean }): number {
  const requests = (parts.issues === null ? 0 : 1 + 2 * parts.issues) + (parts.pulls === null ? 0 : 1 + 3 * parts.pulls) + (parts.releases ? 1 : 0) + (parts.openCount ? 1 : 0);
  return graphqlPoints(requests);
}

/** The query text for one call: issues (`issues` a page) and/or pull requests (`pulls` a page), the releases, and the token's identity. */
export function collectQuery(parts: { issues: number | null; pulls: number | null; releases: boolean; viewer?: boolean; openCount?: boolean }): string {
  const vars = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  if (parts.issues !== null) {
    vars.push('$after: String', '$since: DateTime', '$states: [IssueState!]');
    fields.push(`issues(first: ${parts.issues}, after: $after, states: $states, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${ISSUE_FIELDS} }
    }`);
  }
  if (parts.pulls !== null) {
    vars.push('$pullsAfter: String');
    fields.push(`pullRequests(first: ${parts.pulls}, after: $pullsAfter, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${PULL_FIELDS} }
    }`);
  }
  if (parts.openCount) fields.push('openIssues: issues(states: OPEN) { totalCount }');
  if (parts.releases) {
    fields.push(`releases(first: ${PAGE.releases}, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { tagName name url isDraft isPrerelease publishedAt }
    }`);
  }
  return `query KpiReport(${vars.join(', ')}) {${parts.viewer ? '\n  viewer { login }' : ''}
  rateLimit { cost limit remaining resetAt }
  repository(owner: $owner, name: $name) {
    ${fields.join('\n    ')}
  }
}`;
}

// --- Shapes of the GraphQL answer (only what is selected). ---------------------------------------------

interface GqlActor {
  __typename: string;
  login: string;
}
interface GqlTimelineNode {
  __typename: string;
  author?: GqlActor | null;
  authorAssociation?: string;
  createdAt?: string;
  body?: string;
  stateReason?: string | null;
}
interface GqlItem {
  number: number;
  title: string;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  stateReason?: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt?: string | null;
  author: GqlActor | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  files?: { totalCount: number; nodes: ({ path: string } | null)[] | null } | null;
  timelineItems: { totalCount: number; pageInfo: { hasNextPage: boolean }; nodes: (GqlTimelineNode | null)[] | null };
}
interface GqlPage<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[] | null;
}
/** A release as selected: the record without its repository. */
type GqlRelease = Omit<ReleaseRecord, 'repository'>;
interface GqlAnswer {
  viewer?: { login: string } | null;
  rateLimit?: { cost: number; limit: number; remaining: number; resetAt: string } | null;
  repository: {
    issues?: GqlPage<GqlItem>;
    openIssues?: { totalCount: number };
    pullRequests?: GqlPage<GqlItem>;
    releases?: { nodes: (GqlRelease | null)[] | null };
  } | null;
}

/** Who may write markers the report trusts: the identity the actions write as. */
export interface Trust {
  /** Logins as REST spells them (`github-actions[bot]`, `my-app[bot]`, or a user); see `isAuthoredBy`. */
  botLogins: string[];
}

function trusted(actor: GqlActor | null | undefined, trust: Trust): boolean {
  return !!actor && trust.botLogins.some((b) => isAuthoredBy(actor, b));
}

/** The distinct people a release notice told (from its marker, as notify-requesters wrote it). */
function noticed(people: readonly string[]): string[] {
  const found = new Map<string, string>();
  for (const login of people) if (!found.has(login.toLowerCase())) found.set(login.toLowerCase(), login);
  return [...found.values()];
}

/** How many people outside GitHub a prioritize marker's ledger has (all of them, when it lists only the newest). */
const outsideCount = (marker: PrioritizeMarkerData): number => Math.max(marker.counts?.outside ?? 0, marker.ledger.outside?.length ?? 0);

/** Turns one GraphQL issue or pull request into a record. */
export function toRecord(node: GqlItem, kind: ItemRecord['kind'], repository: string, trust: Trust): ItemRecord {
  const author = node.author?.login ?? null;
  const changes: StateChangeRecord[] = [];
  const responses: ResponseRecord[] = [];
  const notices: NoticeRecord[] = [];
  let commitment: ItemRecord['commitment'] = null;
  const promises: PromiseRecord = { slipped: [], reminded: [] };
  for (const t of compact(node.timelineItems.nodes)) {
    if (!t.createdAt) continue;
    if (t.__typename === 'ClosedEvent') changes.push({ type: 'closed', at: t.createdAt, reason: t.stateReason ?? null });
    else if (t.__typename === 'ReopenedEvent') changes.push({ type: 'reopened', at: t.createdAt });
    else if (t.__typename === 'IssueComment' || t.__typename === 'PullRequestReview') {
      const actor = t.author ?? null;
      if (trusted(actor, trust) && t.body) {
        const marker = readPrioritizeMarker(t.body);
        if (marker) {
          commitment = {
            priority: marker.priority,
            due: marker.due,
            requesters: marker.ledger.requesters.map((r) => r.login),
            ...(marker.counts ? { requesterCount: marker.counts.requesters } : {}),
            ...(outsideCount(marker) > 0 ? { outside: outsideCount(marker) } : {}),
            ...(marker.info ? { info: { asked: marker.info.asked, completed: marker.info.missing.length === 0 ? (marker.info.completed ?? null) : null } } : {}),
            ...(marker.proposal ? { proposal: { first: marker.proposal.first, at: marker.proposal.at, answer: marker.proposal.answer ?? null, answeredAt: marker.proposal.answeredAt ?? null } } : {}),
          };
        }
        const notice = readNotifyMarker(t.body);
        if (notice) notices.push({ at: t.createdAt, people: noticed(notice.people) });
        const slip = readMarker(t.body, 'prioritize-slip');
        if (slip && !promises.slipped.includes(slip.due)) promises.slipped.push(slip.due);
        const reminder = readMarker(t.body, 'prioritize-reminder');
        if (reminder) promises.reminded.push({ due: reminder.due, owners: reminder.owners });
      }
      if (!actor || isBot(actor)) continue;
      if (author !== null && actor.login.toLowerCase() === author.toLowerCase()) continue;
      responses.push({ login: actor.login, association: t.authorAssociation ?? 'NONE', at: t.createdAt });
    }
  }
  const byTime = (a: { at: string }, b: { at: string }) => Date.parse(a.at) - Date.parse(b.at);
  const record: ItemRecord = {
    kind,
    repository,
    number: node.number,
    title: node.title,
    url: node.url,
    author,
    authorIsBot: isBot(node.author),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    state: node.state,
    closedAt: node.closedAt,
    stateReason: node.stateReason ?? null,
    labels: compact(node.labels?.nodes).map((l) => l.name),
    changes: changes.sort(byTime),
    responses: responses.sort(byTime),
    timelineComplete: !node.timelineItems.pageInfo.hasNextPage,
    commitment,
    ...(promises.slipped.length > 0 || promises.reminded.length > 0 ? { promises } : {}),
    notices,
  };
  if (kind === 'pull') {
    record.mergedAt = node.mergedAt ?? null;
    const files = node.files;
    record.files = files && files.totalCount <= (files.nodes?.length ?? 0) ? compact(files.nodes).map((f) => f.path) : null;
  }
  return record;
}

/** `owner` and `repo` of an `owner/name`. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error(`repository must be "owner/name", got ${JSON.stringify(repository)}`);
  return { owner, repo };
}

/** One pass over a repository's issues, oldest update first: which states, updated since when (null: all), and before when. */
interface IssuePass {
  states: 'OPEN'[] | null;
  since: string | null;
  /** The pass ends at the first issue updated at or after this (a pass before it read those). */
  until?: string;
}

/**
 * Whether a snapshot can be continued for a report whose oldest period starts at `windowStart`: it holds
 * everything updated since its own window's start (a snapshot of before windows held everything).
 */
function continues(previous: RepoSnapshot | null, windowStart: string): previous is RepoSnapshot {
  return previous !== null && (previous.windowStart == null || Date.parse(previous.windowStart) <= Date.parse(windowStart));
}

/** Whose markers count, as a run knows it: a login given, or the token's own, read by the first query. */
interface Identity {
  /** The `bot-login` input, when the other actions write as another account than this token. */
  botLogin: string | null;
  /** The token's own login (GraphQL `viewer`); null until the first query read it. */
  viewer: string | null;
}

/**
 * The GraphQL points a read may spend (shared by every repository of a run), what it spent, and what the
 * token had left of its hour after the last query (GitHub's `rateLimit`; null before the first, or where
 * GitHub reports none).
 */
interface PointBudget {
  max: number;
  spent: number;
  token: TokenHour | null;
  /** Why the read stopped before the end: the run's `max`, or what the token keeps for its other uses. */
  stopped: 'max-points' | 'token' | null;
}

/** Where a read that ran out of points stopped, in words. */
function stoppedWhy(budget: PointBudget): string {
  const t = budget.token;
  return budget.stopped === 'token' && t ? stoppedToKeep(t) : `stopped at the run's ${budget.max} points`;
}

/**
 * Why `budget` has no room for a query of `points` (null: it has): see {@link PointBudget}. So that every
 * run gets on, the run's first query goes whatever `max` says, and the first query of each read (of each
 * repository, and the look again at what changed while a read went on) whatever the token keeps: a token
 * kept below its line by its other uses still finishes a read, a query or two a run. An unlimited read (no
 * snapshot a later run could go on from) is never stopped: it waits out the hour if it must.
 */
function noRoomFor(points: number, budget: PointBudget, firstOfRead: boolean): PointBudget['stopped'] {
  if (budget.spent > 0 && budget.spent + points > budget.max) return 'max-points';
  const t = budget.token;
  return !firstOfRead && t && Number.isFinite(budget.max) && leavesTooFew(t, points, budget.max) ? 'token' : null;
}

/** GitHub's time one hour before the rate limit's reset: at or before the first query of the hour. */
const hourStart = (resetAt: string | undefined): string | null =>
  resetAt && !Number.isNaN(Date.parse(resetAt)) ? new Date(Date.parse(resetAt) - 3_600_000).toISOString() : null;

const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * Reads one repository: with a snapshot that covers the window, only what was updated at or after
 * `previous.since`, merged into it; else every open issue and what was updated since `windowStart`. A read
 * the snapshot says was left unfinished goes on where it stopped. Before a query that would take the read
 * past `budget.max` points, or the token below what it keeps (core's `leavesTooFew`), it stops: the snapshot
 * keeps what was read and where (`resume`).
 * The first query also reads the token's identity when `identity.viewer` is still unknown.
 */
async function collectRepository(
  graphql: GraphqlClient,
  repository: string,
  previous: RepoSnapshot | null,
  identity: Identity,
  windowStart: string,
  budget: PointBudget,
): Promise<{ snapshot: RepoSnapshot; stats: CollectStats }> {
  const { owner, repo: name } = splitRepository(repository);
  const from = continues(previous, windowStart) ? previous : null;
  const progress = from?.resume ?? null;
  const full = progress ? progress.full : from === null;
  const since = progress ? progress.since : (from?.since ?? null);
  // A read that goes on keeps its own window (a later week's starts later; what fell out is dropped on merge).
  const readWindow = progress?.windowStart ?? windowStart;
  // Incremental: everything updated since the last run. Full: everything updated in the window, then the
  // open issues last updated before it, unless the count of open issues (riding along) says none is left.
  const passes: IssuePass[] = full ? [{ states: null, since: readWindow }, { states: ['OPEN'], since: null, until: readWindow }] : [{ states: null, since }];
  let openTotal = progress?.openTotal ?? null;
  let openSeen = progress?.openSeen ?? 0;
  // Pull requests come newest first: stop at the last run's mark, or at the window's start.
  const pullsSince = since ?? readWindow;
  let trust: Trust | null = null;
  const fresh: ItemRecord[] = [];
  let releases: ReleaseRecord[] = [];
  let high = progress ? progress.high : since;
  const seen = (at: string) => {
    if (high === null || Date.parse(at) > Date.parse(high)) high = at;
  };
  let startedAt = progress?.startedAt ?? null;
  let pass = progress?.pass ?? 0;
  let issuesAfter = progress?.issuesAfter ?? null;
  let pullsAfter = progress?.pullsAfter ?? null;
  let pullsDone = progress?.pullsDone ?? false;
  let first = true;
  const stats: CollectStats = { repository, calls: 0, issuesRead: 0, pullsRead: 0, incremental: !full, points: 0, complete: true };
  while (pass < passes.length || !pullsDone) {
    const issues = passes[pass];
    const pulls = pullsDone ? null : issues ? PAGE.pullsAlong : PAGE.pulls;
    const shape = { issues: issues === undefined ? null : full ? PAGE.issues : PAGE.issuesIncremental, pulls, releases: first, viewer: identity.viewer === null, openCount: first && full && !progress };
    const stop = noRoomFor(queryPoints(shape), budget, first);
    if (stop) {
      budget.stopped = stop;
      stats.complete = false;
      break;
    }
    const query = collectQuery(shape);
    const variables: Record<string, unknown> = { owner, name };
    if (issues) Object.assign(variables, { after: issuesAfter, since: issues.since, states: issues.states });
    if (pulls !== null) variables.pullsAfter = pullsAfter;
    const answer = await graphql<GqlAnswer>(query, variables);
    stats.calls += 1;
    const cost = answer.rateLimit?.cost ?? queryPoints(shape);
    budget.spent += cost;
    if (answer.rateLimit) budget.token = { limit: answer.rateLimit.limit, remaining: answer.rateLimit.remaining };
    stats.points += cost;
    startedAt ??= hourStart(answer.rateLimit?.resetAt);
    if (answer.viewer?.login) identity.viewer = answer.viewer.login;
    trust ??= { botLogins: [identity.botLogin || identity.viewer || ''].filter((l) => l !== '') };
    const repo = answer.repository;
    if (!repo) throw new Error(`repository ${repository} not found or not readable with this token`);
    if (first) {
      releases = compact(repo.releases?.nodes).map((r) => ({ repository, ...r }));
      openTotal = repo.openIssues?.totalCount ?? openTotal;
      first = false;
    }
    if (issues) {
      const page = repo.issues;
      let ended = !page?.pageInfo.hasNextPage;
      for (const node of compact(page?.nodes)) {
        if (issues.until !== undefined && Date.parse(node.updatedAt) >= Date.parse(issues.until)) {
          ended = true;
          break;
        }
        fresh.push(toRecord(node, 'issue', repository, trust));
        stats.issuesRead += 1;
        if (node.state === 'OPEN') openSeen += 1;
        seen(node.updatedAt);
      }
      issuesAfter = page?.pageInfo.endCursor ?? null;
      if (ended) {
        pass += 1;
        issuesAfter = null;
        // Every open issue was updated in the window: the pass over the older open ones has nothing to read.
        if (pass === 1 && full && openTotal !== null && openSeen >= openTotal) pass += 1;
      }
    }
    if (pulls !== null) {
      const page = repo.pullRequests;
      let older = false;
      for (const node of compact(page?.nodes)) {
        // Newest first: once a pull request is older than the mark, every later one is too.
        if (Date.parse(node.updatedAt) < Date.parse(pullsSince)) {
          older = true;
          break;
        }
        fresh.push(toRecord(node, 'pull', repository, trust));
        stats.pullsRead += 1;
        seen(node.updatedAt);
      }
      pullsAfter = page?.pageInfo.endCursor ?? null;
      pullsDone = older || !page?.pageInfo.hasNextPage;
    }
  }
  if (!stats.complete) {
    const resume: ReadProgress = { full, since, windowStart: readWindow, high, startedAt, pass, issuesAfter, pullsAfter, pullsDone, openTotal, openSeen };
    // The mark stays where the read started: nothing read so far is taken as seen by the next incremental read.
    return { snapshot: mergeSnapshot(from, fresh, releases, repository, from?.since ?? null, windowStart, resume), stats };
  }
  // A read spread over runs: what changed between its runs may sit behind its cursors (a pull request, newest
  // first, moved in front of the cursor; an old open issue moved past the open pass's bound), so whatever
  // changed since the read's start is read again, in this run when the points allow (else the next goes on):
  // a report never misses it.
  const mark = progress ? earlier(high, startedAt) : high;
  const snapshot = mergeSnapshot(from, fresh, releases, repository, mark, windowStart);
  if (!progress) return { snapshot, stats };
  const more = await collectRepository(graphql, repository, snapshot, identity, windowStart, budget);
  const m = more.stats;
  return {
    snapshot: more.snapshot,
    stats: { ...stats, calls: stats.calls + m.calls, issuesRead: stats.issuesRead + m.issuesRead, pullsRead: stats.pullsRead + m.pullsRead, points: stats.points + m.points, complete: m.complete },
  };
}

/**
 * Reads every repository, each from its snapshot in `previous` when there is one that covers the window
 * (incremental, or going on with a read left unfinished), else every open issue and what was updated since
 * `windowStart` (the start of the oldest period the report shows), spending at most `maxPoints` GraphQL
 * points: a repository whose read ran out keeps what was read and where in its snapshot, and a repository
 * not reached keeps its earlier snapshot, if any. The markers trusted are `botLogin`'s, else the token's
 * own; the token's login (`viewerLogin`) is read by the first query, with no query of its own.
 */
export async function readRepositories(
  graphql: GraphqlClient,
  repositories: readonly string[],
  previous: readonly RepoSnapshot[],
  options: { botLogin: string | null; windowStart: string; maxPoints: number; log?: (message: string) => void },
): Promise<{ snapshots: RepoSnapshot[]; stats: CollectStats[]; viewerLogin: string | null }> {
  const snapshots: RepoSnapshot[] = [];
  const stats: CollectStats[] = [];
  const identity: Identity = { botLogin: options.botLogin, viewer: null };
  const budget: PointBudget = { max: options.maxPoints, spent: 0, token: null, stopped: null };
  for (const repository of repositories) {
    const before = previous.find((s) => s.repository.toLowerCase() === repository.toLowerCase()) ?? null;
    const read = await collectRepository(graphql, repository, before, identity, options.windowStart, budget);
    const s = read.stats;
    options.log?.(
      `${repository}: ${s.incremental ? 'incremental' : 'full'} read, ${s.issuesRead} issues and ${s.pullsRead} pull requests in ${s.calls} queries (${s.points} points)${s.complete ? '' : `; ${stoppedWhy(budget)}, the next run goes on from there`}`,
    );
    snapshots.push(read.snapshot);
    stats.push(s);
  }
  return { snapshots, stats, viewerLogin: identity.viewer };
}

/** The areas of the repository's CODEOWNERS: from the checked-out workspace, else through the API; none when there is no file. */
export async function readCodeownersAreas(octokit: Pick<Octokit, 'request'>, repository: string, workspace: string): Promise<AreaDef[]> {
  for (const path of CODEOWNERS_PATHS) {
    const local = workspace ? await readFile(join(workspace, path), 'utf8').catch(() => null) : null;
    if (local !== null) return parseCodeowners(local);
  }
  const { owner, repo } = splitRepository(repository);
  for (const path of CODEOWNERS_PATHS) {
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path });
      const file = data as { content?: string; encoding?: string };
      if (file.content) return parseCodeowners(Buffer.from(file.content, 'base64').toString('utf8'));
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
  }
  return [];
}

/** Members of the teams named as owners (owners scope only); a team that cannot be read counts as empty, with a warning. */
export async function readTeamMembers(
  octokit: Pick<Octokit, 'paginate'>,
  areas: readonly AreaDef[],
  warn?: (message: string) => void,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const teams = new Set(areas.flatMap((a) => a.owners.filter((o) => o.includes('/')).map((o) => o.toLowerCase())));
  for (const team of teams) {
    const [org, slug] = team.replace(/^@/, '').split('/');
    try {
      const members = await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', { org: org ?? '', team_slug: slug ?? '', per_page: 100 });
      out[team] = (members as { login: string }[]).map((m) => m.login);
    } catch (error) {
      out[team] = [];
      warn?.(`cannot read the members of ${team} (${httpStatus(error) ?? 'error'}); the token needs read access to the organization's teams. Its members are not counted as owners.`);
    }
  }
  return out;
}
