/**
 * GraphQL objects over the store. Each model is a plain object with `__typename` and one entry per
 * schema field it really implements: a value, or a function `(args, ctx) => value`. Fields a model
 * does not implement fall back to null / empty in `handler.ts` (`fallback`).
 */
import { createHash } from 'node:crypto';
import type {
  AccessLevel,
  NodeTarget,
  ReactionContent,
  SimComment,
  SimCommit,
  SimEvent,
  SimIssue,
  SimLabel,
  SimReaction,
  SimRelease,
  SimRepository,
  SimUser,
  Store,
} from '../store.ts';
import { paginate, paginateMap, type Keyset, type PageArgs } from './connection.ts';
import { GithubFieldError } from './field-error.ts';

/** What every resolver sees. */
export interface GraphqlContext {
  store: Store;
  viewer: SimUser;
  /** the token's permissions; undefined means full write access */
  permissions?: Record<string, AccessLevel>;
  rateLimit: { cost: number; nodeCount: number; limit: number; used: number; resetAt: string };
  writes: number;
}

export type Model = { __typename: string; [field: string]: unknown; [ACCESS]?: Access };

/**
 * Who may read a model: a token needs `read` of `permission` (or of `alt`) when the repository is
 * private; anyone may read a public repository's objects. Kept under a symbol, out of GraphQL's sight.
 */
interface Access {
  permission: string;
  alt?: string;
  private: boolean;
}
export const ACCESS: unique symbol = Symbol('access');
type Args = Record<string, unknown>;

const WEB = 'https://github.com';
const lower = (s: string) => s.toLowerCase();

// ----- enums -----

const REACTION_TO_GQL: Record<ReactionContent, string> = {
  '+1': 'THUMBS_UP',
  '-1': 'THUMBS_DOWN',
  laugh: 'LAUGH',
  hooray: 'HOORAY',
  confused: 'CONFUSED',
  heart: 'HEART',
  rocket: 'ROCKET',
  eyes: 'EYES',
};
const GQL_TO_REACTION = Object.fromEntries(Object.entries(REACTION_TO_GQL).map(([k, v]) => [v, k])) as Record<string, ReactionContent>;
/** GitHub's order of reactionGroups. */
const REACTION_ORDER: ReactionContent[] = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'];

const upper = (s: string | null | undefined) => (s ? s.toUpperCase().replace(/[ -]/g, '_') : null);

// ----- actors -----

/** A user, bot or organization. Bots' GraphQL login has no `[bot]` suffix, as on GitHub. */
export function actorModel(ctx: GraphqlContext, login: string | null | undefined): Model | null {
  if (!login) return null;
  const u: SimUser = ctx.store.findUser(login) ?? {
    login,
    id: 0,
    node_id: `U_${Buffer.from(`User:${login}`).toString('base64url')}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
    name: null,
    email: null,
    members: [],
    created_at: ctx.store.nowIso(),
  };
  return userModel(u);
}

export function userModel(u: SimUser, keepBotSuffix = false): Model {
  const isBot = u.type === 'Bot';
  const gqlLogin = isBot && !keepBotSuffix ? u.login.replace(/\[bot\]$/, '') : u.login;
  const url = isBot ? `${WEB}/apps/${u.login.replace(/\[bot\]$/, '')}` : `${WEB}/${u.login}`;
  return {
    __typename: u.type === 'Organization' ? 'Organization' : isBot ? 'Bot' : 'User',
    id: u.node_id,
    databaseId: u.id,
    login: gqlLogin,
    name: u.name,
    email: u.email ?? '',
    url,
    resourcePath: url.slice(WEB.length),
    avatarUrl: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    createdAt: u.created_at,
    updatedAt: u.created_at,
    isSiteAdmin: u.site_admin,
    isViewer: (_: Args, ctx: GraphqlContext) => lower(ctx.viewer.login) === lower(u.login),
  };
}

// ----- repository -----

function findRepo(ctx: GraphqlContext, fullName: string): SimRepository | undefined {
  return ctx.store.repo(fullName);
}

export function repoModel(ctx: GraphqlContext, repo: SimRepository): Model {
  const store = ctx.store;
  const url = `${WEB}/${repo.full_name}`;
  const issueByNumber = (n: number) => repo.issues.get(n);
  return {
    __typename: 'Repository',
    id: repo.node_id,
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.full_name,
    owner: () => actorModel(ctx, repo.owner),
    description: repo.description,
    url,
    resourcePath: `/${repo.full_name}`,
    isPrivate: repo.private,
    visibility: repo.private ? 'PRIVATE' : 'PUBLIC',
    isFork: repo.fork,
    isArchived: repo.archived,
    createdAt: repo.created_at,
    updatedAt: repo.updated_at,
    pushedAt: repo.pushed_at,
    hasIssuesEnabled: true,
    parent: () => (repo.parent ? nullableRepo(ctx, repo.parent) : null),
    viewerPermission: () => {
      const role = store.roleOf(repo, ctx.viewer.login);
      if (role) return role.toUpperCase();
      const write = ctx.permissions === undefined || ctx.permissions['issues'] === 'write' || ctx.permissions['contents'] === 'write';
      return write ? 'WRITE' : 'READ';
    },
    defaultBranchRef: () => refModel(ctx, repo, `refs/heads/${repo.default_branch}`),
    issue: (a: Args) => {
      const i = issueByNumber(a['number'] as number);
      if (!i || i.pull_request) throw new GithubFieldError('NOT_FOUND', `Could not resolve to an Issue with the number of ${String(a['number'])}.`);
      return issueModel(ctx, repo, i);
    },
    pullRequest: (a: Args) => {
      const i = issueByNumber(a['number'] as number);
      if (!i?.pull_request) throw new GithubFieldError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${String(a['number'])}.`);
      return issueModel(ctx, repo, i);
    },
    issueOrPullRequest: (a: Args) => {
      const i = issueByNumber(a['number'] as number);
      if (!i) throw new GithubFieldError('NOT_FOUND', `Could not resolve to an issue or pull request with the number of ${String(a['number'])}.`);
      return issueModel(ctx, repo, i);
    },
    issues: (a: Args) => paginateMap(filterIssues(ctx, repo, a, false), a as PageArgs, (i) => issueModel(ctx, repo, i), {}, issueKeyset(a)),
    pullRequests: (a: Args) => paginateMap(filterIssues(ctx, repo, a, true), a as PageArgs, (i) => issueModel(ctx, repo, i), {}, issueKeyset(a)),
    labels: (a: Args) => {
      let list = [...repo.labels.values()];
      const q = a['query'] as string | undefined;
      if (q) list = list.filter((l) => lower(l.name).includes(lower(q)) || lower(l.description ?? '').includes(lower(q)));
      const order = a['orderBy'] as { field?: string; direction?: string } | undefined;
      if (order?.field === 'NAME') list.sort((x, y) => x.name.localeCompare(y.name));
      if (order?.direction === 'DESC') list.reverse();
      return paginate(list.map((l) => labelModel(ctx, repo, l)), a as PageArgs, 'labels');
    },
    label: (a: Args) => {
      const l = store.findLabel(repo, a['name'] as string);
      return l ? labelModel(ctx, repo, l) : null;
    },
    milestone: (a: Args) => {
      const m = repo.milestones.get(a['number'] as number);
      return m ? milestoneModel(ctx, repo, m.number) : null;
    },
    milestones: (a: Args) =>
      paginate(
        [...repo.milestones.values()]
          .filter((m) => !a['states'] || (a['states'] as string[]).includes(m.state.toUpperCase()))
          .map((m) => milestoneModel(ctx, repo, m.number)),
        a as PageArgs,
        'milestones',
      ),
    releases: (a: Args) => {
      const order = a['orderBy'] as { field?: string; direction?: string } | undefined;
      const list = [...repo.releases];
      if (order?.field === 'NAME') list.sort((x, y) => (x.name ?? x.tag_name).localeCompare(y.name ?? y.tag_name));
      else list.sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id - y.id);
      if (order?.direction === 'DESC') list.reverse();
      return paginate(list.map((r) => releaseModel(ctx, repo, r)), a as PageArgs, 'releases');
    },
    release: (a: Args) => {
      const r = repo.releases.find((x) => x.tag_name === a['tagName']);
      return r ? releaseModel(ctx, repo, r) : null;
    },
    latestRelease: () => {
      const r = store.latestRelease(repo);
      return r ? releaseModel(ctx, repo, r) : null;
    },
    ref: (a: Args) => {
      const name = a['qualifiedName'] as string;
      const full = name.startsWith('refs/') ? name : repo.refs.has(`refs/heads/${name}`) ? `refs/heads/${name}` : `refs/tags/${name}`;
      return repo.refs.has(full) ? refModel(ctx, repo, full) : null;
    },
    refs: (a: Args) => {
      const prefix = a['refPrefix'] as string;
      if (!prefix.endsWith('/')) throw new GithubFieldError('UNPROCESSABLE', 'refPrefix must end with /');
      const q = a['query'] as string | undefined;
      let names = [...repo.refs.keys()].filter((r) => r.startsWith(prefix) && (!q || r.slice(prefix.length).startsWith(q)));
      const order = a['orderBy'] as { field?: string; direction?: string } | undefined;
      if (order?.field === 'TAG_COMMIT_DATE') {
        const date = (r: string) => repo.commits.get(repo.refs.get(r) ?? '')?.committer.date ?? '';
        names.sort((x, y) => date(x).localeCompare(date(y)) || x.localeCompare(y));
      } else names.sort((x, y) => x.localeCompare(y));
      if (order?.direction === 'DESC') names = names.reverse();
      return paginate(names.map((r) => refModel(ctx, repo, r)), a as PageArgs, 'refs');
    },
    object: (a: Args) => {
      const expr = (a['oid'] as string | undefined) ?? (a['expression'] as string | undefined);
      if (!expr) return null;
      // `<rev>:<path>` names a file (a Blob) or a directory (a Tree) at a commit; an empty rev is HEAD.
      const colon = a['expression'] !== undefined ? expr.indexOf(':') : -1;
      if (colon !== -1) return pathModel(store, repo, expr.slice(0, colon) || repo.default_branch, expr.slice(colon + 1));
      const sha = store.resolveRef(repo, expr);
      const c = sha ? repo.commits.get(sha) : undefined;
      return c ? commitModel(ctx, repo, c) : null;
    },
    assignableUsers: (a: Args) =>
      paginate(
        [repo.owner, ...Object.keys(repo.collaborators)].map((l) => actorModel(ctx, l)).filter((m): m is Model => m?.__typename === 'User'),
        a as PageArgs,
        'assignableUsers',
      ),
  };
}

/** The most bytes of a Blob's `text` GitHub's GraphQL API returns. */
const BLOB_TEXT_MAX_BYTES = 512_000;

/** The Blob or Tree at `path` of `rev` (a branch, tag or commit), as `object(expression: "rev:path")` answers; null when nothing is there. */
function pathModel(store: GraphqlContext['store'], repo: SimRepository, rev: string, path: string): Model | null {
  const clean = path.replace(/^\/+|\/+$/g, '');
  const access = { permission: 'contents' as const, private: repo.private };
  const text = clean ? store.getContent(repo, clean, rev) : undefined;
  if (text !== undefined) {
    const bytes = Buffer.byteLength(text);
    const oid = createHash('sha1').update(`blob ${bytes}\0`).update(text).digest('hex');
    // GitHub cuts `text` at 512,000 bytes and says so in `isTruncated`.
    const truncated = bytes > BLOB_TEXT_MAX_BYTES;
    const shown = truncated ? Buffer.from(text).subarray(0, BLOB_TEXT_MAX_BYTES).toString('utf8').replace(/\uFFFD$/, '') : text;
    return { [ACCESS]: access, __typename: 'Blob', id: `B_${Buffer.from(`Blob:${oid}`).toString('base64url')}`, oid, abbreviatedOid: oid.slice(0, 7), byteSize: bytes, isBinary: false, isTruncated: truncated, text: shown };
  }
  if (!store.listDirectory(repo, clean, rev)) return null;
  const oid = createHash('sha1').update(`tree ${repo.full_name}:${rev}:${clean}`).digest('hex');
  return { [ACCESS]: access, __typename: 'Tree', id: `T_${Buffer.from(`Tree:${oid}`).toString('base64url')}`, oid, abbreviatedOid: oid.slice(0, 7) };
}

function nullableRepo(ctx: GraphqlContext, fullName: string): Model | null {
  const r = findRepo(ctx, fullName);
  return r ? repoModel(ctx, r) : null;
}

function filterIssues(ctx: GraphqlContext, repo: SimRepository, a: Args, pulls: boolean): readonly SimIssue[] {
  const filterBy = (a['filterBy'] ?? {}) as Record<string, unknown>;
  const states = (a['states'] as string[] | undefined) ?? (filterBy['states'] as string[] | undefined);
  const labels = (a['labels'] as string[] | undefined) ?? (filterBy['labels'] as string[] | undefined);
  const tests: ((i: SimIssue) => boolean)[] = [];
  if (states?.length) tests.push((i) => states.includes(issueState(i)));
  if (labels?.length) {
    const want = new Set(labels.map(lower));
    tests.push((i) => i.labels.some((l) => want.has(lower(l))));
  }
  if (pulls) {
    if (a['headRefName']) tests.push((i) => i.pull_request?.head.ref === a['headRefName']);
    if (a['baseRefName']) tests.push((i) => i.pull_request?.base.ref === a['baseRefName']);
  }
  const since = filterBy['since'] as string | undefined;
  if (since) tests.push((i) => i.updated_at >= since);
  const assignee = filterBy['assignee'] as string | undefined;
  if (assignee === '*') tests.push((i) => i.assignees.length > 0);
  else if (assignee) tests.push((i) => i.assignees.some((x) => lower(x) === lower(assignee)));
  const createdBy = filterBy['createdBy'] as string | undefined;
  if (createdBy) tests.push((i) => lower(i.user) === lower(createdBy));
  const mentioned = filterBy['mentioned'] as string | undefined;
  if (mentioned) tests.push((i) => (i.body ?? '').toLowerCase().includes(`@${lower(mentioned)}`));
  const milestoneNumber = filterBy['milestoneNumber'] as string | undefined;
  if (milestoneNumber === '*') tests.push((i) => i.milestone !== null);
  else if (milestoneNumber === 'none') tests.push((i) => i.milestone === null);
  else if (milestoneNumber) tests.push((i) => String(i.milestone) === milestoneNumber);
  const keep = (i: SimIssue): boolean => {
    if (Boolean(i.pull_request) !== pulls) return false;
    for (const t of tests) if (!t(i)) return false;
    return true;
  };
  const order = a['orderBy'] as { field?: string; direction?: string } | undefined;
  const { key, desc } = issueOrder(a);
  const id = JSON.stringify([pulls, states, labels, filterBy, order, a['headRefName'], a['baseRefName']]);
  return orderIssues(repo, id, keep, key, desc);
}

/** The order of a repository's issues or pull requests by `orderBy`: its field (default: created), then number. */
function issueOrder(a: Args): { key: (i: SimIssue) => string | number; desc: boolean } {
  const order = a['orderBy'] as { field?: string; direction?: string } | undefined;
  const key: (i: SimIssue) => string | number =
    order?.field === 'UPDATED_AT' ? (i) => i.updated_at : order?.field === 'COMMENTS' ? (i) => i.comments : (i) => i.created_at;
  return { key, desc: order?.direction === 'DESC' };
}

/** Cursors of a repository's issues or pull requests: by the named item's sort key and number, as GitHub's. */
function issueKeyset(a: Args): Keyset<SimIssue> {
  const { key, desc } = issueOrder(a);
  return { key: (i) => [key(i), i.number], desc };
}

/** One ordering of a filtered issue list, kept across queries while the list and its sort keys stay the same. */
interface OrderedIssues {
  /** the filtered issues in store order, and their sort keys, as they were when `ordered` was built */
  source: SimIssue[];
  keys: (string | number)[];
  ordered: SimIssue[];
}

const orderedCache = new WeakMap<SimRepository, Map<string, OrderedIssues>>();
const ORDERED_CACHE_SIZE = 16;

/**
 * The issues of `repo` that `keep` accepts, ordered by `key` (then number). The sort of the same
 * filter is reused while the accepted issues and their keys are unchanged, so paging through 50,000
 * issues 100 at a time sorts once instead of once per page. Checking that is one pass over the
 * repository's issues (no sort, no allocation), so direct writes to the store (tests, snapshots) are
 * seen just like writes through the API.
 */
function orderIssues(repo: SimRepository, id: string, keep: (i: SimIssue) => boolean, key: (i: SimIssue) => string | number, desc: boolean): readonly SimIssue[] {
  let byFilter = orderedCache.get(repo);
  const hit = byFilter?.get(id);
  if (hit) {
    let k = 0;
    let same = true;
    for (const issue of repo.issues.values()) {
      if (!keep(issue)) continue;
      if (hit.source[k] !== issue || hit.keys[k] !== key(issue)) {
        same = false;
        break;
      }
      k++;
    }
    if (same && k === hit.source.length) return hit.ordered;
  }
  const source: SimIssue[] = [];
  const keys: (string | number)[] = [];
  for (const issue of repo.issues.values()) {
    if (!keep(issue)) continue;
    source.push(issue);
    keys.push(key(issue));
  }
  const idx = source.map((_, k) => k);
  idx.sort((x, y) => {
    const kx = keys[x] as string | number;
    const ky = keys[y] as string | number;
    const c = typeof kx === 'number' && typeof ky === 'number' ? kx - ky : kx < ky ? -1 : kx > ky ? 1 : 0;
    return c || (source[x] as SimIssue).number - (source[y] as SimIssue).number;
  });
  if (desc) idx.reverse();
  const ordered = idx.map((k) => source[k] as SimIssue);
  if (!byFilter) {
    byFilter = new Map();
    orderedCache.set(repo, byFilter);
  }
  byFilter.delete(id);
  byFilter.set(id, { source, keys, ordered });
  if (byFilter.size > ORDERED_CACHE_SIZE) byFilter.delete(byFilter.keys().next().value as string);
  return ordered;
}

function issueState(i: SimIssue): string {
  if (i.pull_request?.merged) return 'MERGED';
  return i.state === 'open' ? 'OPEN' : 'CLOSED';
}

// ----- issues and pull requests -----

function issueUrl(repo: SimRepository, i: SimIssue): string {
  return `${WEB}/${repo.full_name}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`;
}

function refIssue(ctx: GraphqlContext, ref: { repository: string; number: number } | undefined): Model | null {
  if (!ref) return null;
  const r = findRepo(ctx, ref.repository);
  const i = r?.issues.get(ref.number);
  return r && i ? issueModel(ctx, r, i) : null;
}

/** Per query: the pull requests that close each issue (key `owner/repo#number`, lower case), in store order. */
const closingIndexes = new WeakMap<GraphqlContext, { writes: number; index: Map<string, { repo: SimRepository; pr: SimIssue }[]> }>();

/**
 * The pull requests whose closing references name issue `number` of `repo`. The index is built once
 * per query (and again after a mutation of it), not by a scan of every pull request for every issue
 * of a page.
 */
function closingPulls(ctx: GraphqlContext, repo: SimRepository, number: number): { repo: SimRepository; pr: SimIssue }[] {
  let cached = closingIndexes.get(ctx);
  if (!cached || cached.writes !== ctx.writes) {
    const index = new Map<string, { repo: SimRepository; pr: SimIssue }[]>();
    for (const r of ctx.store.repos.values()) {
      for (const p of r.issues.values()) {
        for (const c of p.pull_request?.closing_issues ?? []) {
          const key = `${lower(c.repository)}#${c.number}`;
          const list = index.get(key) ?? [];
          if (list.at(-1)?.pr !== p) list.push({ repo: r, pr: p });
          index.set(key, list);
        }
      }
    }
    cached = { writes: ctx.writes, index };
    closingIndexes.set(ctx, cached);
  }
  return cached.index.get(`${lower(repo.full_name)}#${number}`) ?? [];
}

export function issueModel(ctx: GraphqlContext, repo: SimRepository, i: SimIssue): Model {
  const store = ctx.store;
  const pr = i.pull_request;
  const url = issueUrl(repo, i);
  const model: Model = {
    [ACCESS]: { permission: pr ? 'pull_requests' : 'issues', private: repo.private },
    __typename: pr ? 'PullRequest' : 'Issue',
    id: i.node_id,
    databaseId: pr ? pr.id : i.id,
    fullDatabaseId: String(pr ? pr.id : i.id),
    number: i.number,
    title: i.title,
    titleHTML: i.title,
    body: i.body ?? '',
    bodyText: i.body ?? '',
    bodyHTML: i.body ?? '',
    url,
    resourcePath: url.slice(WEB.length),
    state: issueState(i),
    stateReason: pr ? null : upper(i.state_reason),
    closed: i.state === 'closed',
    locked: i.locked,
    activeLockReason: upper(i.active_lock_reason),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    lastEditedAt: null,
    publishedAt: i.created_at,
    closedAt: i.closed_at,
    author: () => actorModel(ctx, i.user),
    authorAssociation: () => store.authorAssociation(repo, i),
    repository: () => repoModel(ctx, repo),
    milestone: () => (i.milestone !== null && repo.milestones.has(i.milestone) ? milestoneModel(ctx, repo, i.milestone) : null),
    labels: (a: Args) => {
      const list = store.issueLabels(repo, i);
      return paginate(list.map((l) => labelModel(ctx, repo, l)), a as PageArgs, 'labels');
    },
    assignees: (a: Args) => paginate(i.assignees.map((l) => actorModel(ctx, l) as Model), a as PageArgs, 'assignees'),
    participants: (a: Args) => {
      const logins = [i.user, ...store.commentsOf(repo, i.number).map((c) => c.user)];
      const uniq = [...new Map(logins.map((l) => [lower(l), l])).values()];
      return paginate(uniq.map((l) => actorModel(ctx, l) as Model), a as PageArgs, 'participants');
    },
    comments: (a: Args) => paginate(store.commentsOf(repo, i.number).map((c) => commentModel(ctx, repo, c)), a as PageArgs, 'comments'),
    reactions: (a: Args) => reactionConnection(ctx, repo, i.reactions, a),
    reactionGroups: () => reactionGroups(ctx, repo, i.reactions),
    viewerDidAuthor: () => lower(i.user) === lower(ctx.viewer.login),
    viewerCanUpdate: true,
    timelineItems: (a: Args) => timeline(ctx, repo, i, a),
    timeline: (a: Args) => timeline(ctx, repo, i, a),
    closedByPullRequestsReferences: (a: Args) => {
      const closing = closingPulls(ctx, repo, i.number).filter(({ pr }) => a['includeClosedPrs'] || pr.state !== 'closed' || pr.pull_request?.merged);
      return paginateMap(closing, a as PageArgs, ({ repo: r, pr }) => issueModel(ctx, r, pr));
    },
  };
  if (!pr) return model;
  const headRepo = () => nullableRepo(ctx, pr.head.repo);
  return Object.assign(model, {
    merged: pr.merged,
    mergedAt: pr.merged_at,
    mergedBy: () => actorModel(ctx, pr.merged_by),
    mergeCommit: () => {
      if (!pr.merge_commit_sha) return null;
      return commitModel(ctx, repo, repo.commits.get(pr.merge_commit_sha) ?? syntheticCommit(pr.merge_commit_sha));
    },
    isDraft: pr.draft,
    baseRefName: pr.base.ref,
    headRefName: pr.head.ref,
    baseRefOid: pr.base.sha,
    headRefOid: pr.head.sha,
    baseRepository: () => nullableRepo(ctx, pr.base.repo),
    headRepository: headRepo,
    headRepositoryOwner: () => actorModel(ctx, pr.head.repo.split('/')[0]),
    isCrossRepository: lower(pr.head.repo) !== lower(pr.base.repo),
    maintainerCanModify: false,
    changedFiles: pr.files.length,
    additions: pr.files.reduce((s, f) => s + f.additions, 0),
    deletions: pr.files.reduce((s, f) => s + f.deletions, 0),
    mergeable: pr.merged || i.state === 'closed' ? 'UNKNOWN' : 'MERGEABLE',
    permalink: url,
    files: (a: Args) =>
      paginate(
        pr.files.map((f) => ({
          __typename: 'PullRequestChangedFile',
          path: f.filename,
          additions: f.additions,
          deletions: f.deletions,
          changeType: f.status === 'removed' ? 'DELETED' : upper(f.status),
          viewerViewedState: 'UNVIEWED',
        })),
        a as PageArgs,
        'files',
      ),
    commits: (a: Args) =>
      paginate(
        pr.commits.map((sha) => ({
          __typename: 'PullRequestCommit',
          id: `PURC_${Buffer.from(`${pr.id}:${sha}`).toString('base64url')}`,
          url: `${url}/commits/${sha}`,
          resourcePath: `${url.slice(WEB.length)}/commits/${sha}`,
          commit: () => commitModel(ctx, repo, repo.commits.get(sha) ?? syntheticCommit(sha)),
          pullRequest: () => model,
        })),
        a as PageArgs,
        'commits',
      ),
    closingIssuesReferences: (a: Args) =>
      paginate(
        pr.closing_issues.map((c) => refIssue(ctx, c)).filter((m): m is Model => m !== null),
        a as PageArgs,
        'closingIssuesReferences',
      ),
    reviewRequests: (a: Args) =>
      paginate(
        pr.requested_reviewers.map((l) => ({ __typename: 'ReviewRequest', requestedReviewer: () => actorModel(ctx, l) })),
        a as PageArgs,
        'reviewRequests',
      ),
  });
}

// ----- comments and reactions -----

export function commentModel(ctx: GraphqlContext, repo: SimRepository, c: SimComment): Model {
  const issue = repo.issues.get(c.issue_number);
  const base = issue ? issueUrl(repo, issue) : `${WEB}/${repo.full_name}/issues/${c.issue_number}`;
  return {
    [ACCESS]: issue?.pull_request ? { permission: 'issues', alt: 'pull_requests', private: repo.private } : { permission: 'issues', private: repo.private },
    __typename: 'IssueComment',
    id: c.node_id,
    databaseId: c.id,
    fullDatabaseId: String(c.id),
    body: c.body,
    bodyText: c.body,
    bodyHTML: c.body,
    url: `${base}#issuecomment-${c.id}`,
    resourcePath: `${base.slice(WEB.length)}#issuecomment-${c.id}`,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    publishedAt: c.created_at,
    lastEditedAt: c.updated_at === c.created_at ? null : c.updated_at,
    includesCreatedEdit: c.updated_at !== c.created_at,
    author: () => actorModel(ctx, c.user),
    authorAssociation: () => ctx.store.authorAssociation(repo, c),
    isMinimized: false,
    minimizedReason: null,
    viewerDidAuthor: () => lower(c.user) === lower(ctx.viewer.login),
    viewerCanUpdate: true,
    viewerCanDelete: true,
    issue: () => (issue ? issueModel(ctx, repo, issue) : null),
    pullRequest: () => (issue?.pull_request ? issueModel(ctx, repo, issue) : null),
    repository: () => repoModel(ctx, repo),
    reactions: (a: Args) => reactionConnection(ctx, repo, c.reactions, a),
    reactionGroups: () => reactionGroups(ctx, repo, c.reactions),
  };
}

/**
 * `Reaction.user` is typed `User` in GitHub's schema, yet bots and organizations react too. GitHub answers
 * such an account in a `User`-typed field as a `User` that keeps its own node id (`MDM6Qm90…` / `BOT_…`;
 * seen by sourcecred/sourcecred#1466 and #1407). The login modelled is the one GraphQL gives the account
 * elsewhere (a bot's without `[bot]`): the hardest case for a consumer. Under `reactionGroups.reactors`
 * (the `Reactor` union) the same account is a `Bot`.
 */
function reactingUserModel(ctx: GraphqlContext, login: string | null | undefined): Model | null {
  const actor = actorModel(ctx, login);
  return actor ? { ...actor, __typename: 'User' } : null;
}

function reactionModel(ctx: GraphqlContext, r: SimReaction): Model {
  return {
    __typename: 'Reaction',
    id: r.node_id,
    databaseId: r.id,
    content: REACTION_TO_GQL[r.content],
    createdAt: r.created_at,
    user: () => reactingUserModel(ctx, r.user),
    reactable: null,
  };
}

function reactionConnection(ctx: GraphqlContext, _repo: SimRepository, list: SimReaction[], a: Args) {
  const content = a['content'] as string | undefined;
  const want = content ? GQL_TO_REACTION[content] : undefined;
  let items = want ? list.filter((r) => r.content === want) : [...list];
  const order = a['orderBy'] as { direction?: string } | undefined;
  items.sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id - y.id);
  if (order?.direction === 'DESC') items = items.reverse();
  const viewerHasReacted = items.some((r) => lower(r.user) === lower(ctx.viewer.login));
  return paginate(items.map((r) => reactionModel(ctx, r)), a as PageArgs, 'reactions', { viewerHasReacted });
}

function reactionGroups(ctx: GraphqlContext, _repo: SimRepository, list: SimReaction[]): Model[] {
  return REACTION_ORDER.map((content) => {
    const of = list.filter((r) => r.content === content);
    const users = of.map((r) => actorModel(ctx, r.user) as Model);
    return {
      __typename: 'ReactionGroup',
      content: REACTION_TO_GQL[content],
      createdAt: of[0]?.created_at ?? null,
      viewerHasReacted: of.some((r) => lower(r.user) === lower(ctx.viewer.login)),
      users: (a: Args) => paginate(users.filter((u) => u.__typename === 'User'), a as PageArgs, 'users'),
      reactors: (a: Args) => paginate(users, a as PageArgs, 'reactors'),
    };
  });
}

// ----- labels, milestones, releases -----

function labelModel(ctx: GraphqlContext, repo: SimRepository, l: SimLabel): Model {
  const url = `${WEB}/${repo.full_name}/labels/${encodeURIComponent(l.name)}`;
  return {
    __typename: 'Label',
    id: l.node_id,
    name: l.name,
    color: l.color,
    description: l.description,
    isDefault: l.default,
    url,
    resourcePath: url.slice(WEB.length),
    repository: () => repoModel(ctx, repo),
    issues: (a: Args) =>
      paginate(
        filterIssues(ctx, repo, { ...a, labels: [l.name] }, false).map((i) => issueModel(ctx, repo, i)),
        a as PageArgs,
        'issues',
      ),
    pullRequests: (a: Args) =>
      paginate(
        filterIssues(ctx, repo, { ...a, labels: [l.name] }, true).map((i) => issueModel(ctx, repo, i)),
        a as PageArgs,
        'pullRequests',
      ),
  };
}

function milestoneModel(ctx: GraphqlContext, repo: SimRepository, number: number): Model {
  const m = repo.milestones.get(number);
  if (!m) return { __typename: 'Milestone' };
  const url = `${WEB}/${repo.full_name}/milestone/${m.number}`;
  return {
    __typename: 'Milestone',
    id: m.node_id,
    number: m.number,
    title: m.title,
    description: m.description,
    state: m.state.toUpperCase(),
    dueOn: m.due_on,
    closed: m.state === 'closed',
    closedAt: m.closed_at,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
    url,
    resourcePath: url.slice(WEB.length),
    creator: () => actorModel(ctx, m.creator),
    repository: () => repoModel(ctx, repo),
    issues: (a: Args) =>
      paginate(
        filterIssues(ctx, repo, a, false)
          .filter((i) => i.milestone === m.number)
          .map((i) => issueModel(ctx, repo, i)),
        a as PageArgs,
        'issues',
      ),
  };
}

function releaseModel(ctx: GraphqlContext, repo: SimRepository, r: SimRelease): Model {
  const url = r.draft ? `${WEB}/${repo.full_name}/releases/tag/untagged-${r.id}` : `${WEB}/${repo.full_name}/releases/tag/${r.tag_name}`;
  const tagRef = `refs/tags/${r.tag_name}`;
  return {
    [ACCESS]: { permission: 'contents', private: repo.private },
    __typename: 'Release',
    id: r.node_id,
    databaseId: r.id,
    name: r.name,
    tagName: r.tag_name,
    description: r.body,
    descriptionHTML: r.body,
    shortDescriptionHTML: r.body,
    isDraft: r.draft,
    isPrerelease: r.prerelease,
    isLatest: () => ctx.store.latestRelease(repo)?.id === r.id,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    updatedAt: r.published_at ?? r.created_at,
    url,
    resourcePath: url.slice(WEB.length),
    author: () => actorModel(ctx, r.author),
    repository: () => repoModel(ctx, repo),
    tag: () => (repo.refs.has(tagRef) ? refModel(ctx, repo, tagRef) : null),
    tagCommit: () => {
      const sha = repo.refs.get(tagRef) ?? ctx.store.resolveRef(repo, r.target_commitish);
      const c = sha ? repo.commits.get(sha) : undefined;
      return c ? commitModel(ctx, repo, c) : null;
    },
    releaseAssets: (a: Args) => paginate([], a as PageArgs, 'releaseAssets'),
  };
}

// ----- refs and commits -----

function refModel(ctx: GraphqlContext, repo: SimRepository, fullRef: string): Model | null {
  const sha = repo.refs.get(fullRef);
  if (sha === undefined) return null;
  const m = /^(refs\/(?:heads|tags)\/|refs\/)(.*)$/.exec(fullRef);
  const prefix = m?.[1] ?? 'refs/';
  const name = m?.[2] ?? fullRef;
  return {
    [ACCESS]: { permission: 'contents', private: repo.private },
    __typename: 'Ref',
    id: `REF_${Buffer.from(`${repo.full_name}:${fullRef}`).toString('base64url')}`,
    name,
    prefix,
    repository: () => repoModel(ctx, repo),
    target: () => commitModel(ctx, repo, repo.commits.get(sha) ?? syntheticCommit(sha)),
    associatedPullRequests: (a: Args) => {
      const branch = prefix === 'refs/heads/' ? name : null;
      const list = branch
        ? filterIssues(ctx, repo, a, true).filter((i) => i.pull_request?.head.ref === branch && lower(i.pull_request.head.repo) === lower(repo.full_name))
        : [];
      return paginate(list.map((i) => issueModel(ctx, repo, i)), a as PageArgs, 'associatedPullRequests');
    },
  };
}

function syntheticCommit(sha: string): SimCommit {
  const who = { name: 'unknown', email: 'unknown@example.com', date: '1970-01-01T00:00:00Z', login: null };
  return { sha, node_id: `C_${Buffer.from(`Commit:${sha}`).toString('base64url')}`, message: '', parents: [], author: who, committer: who };
}

/** Commits reachable from `head`, newest committer date first (git log's default order). */
function history(repo: SimRepository, head: SimCommit): SimCommit[] {
  const out: SimCommit[] = [];
  const seen = new Set<string>([head.sha]);
  const queue: SimCommit[] = [head];
  while (queue.length) {
    let best = 0;
    for (let k = 1; k < queue.length; k++) {
      const a = queue[k] as SimCommit;
      const b = queue[best] as SimCommit;
      if (a.committer.date > b.committer.date) best = k;
    }
    const c = queue.splice(best, 1)[0] as SimCommit;
    out.push(c);
    for (const p of c.parents) {
      if (seen.has(p)) continue;
      seen.add(p);
      const pc = repo.commits.get(p);
      if (pc) queue.push(pc);
    }
  }
  return out;
}

function gitActor(ctx: GraphqlContext, a: SimCommit['author']): Model {
  return {
    __typename: 'GitActor',
    name: a.name,
    email: a.email,
    date: a.date,
    avatarUrl: '',
    user: () => (a.login ? actorModel(ctx, a.login) : null),
  };
}

function commitModel(ctx: GraphqlContext, repo: SimRepository, c: SimCommit): Model {
  const url = `${WEB}/${repo.full_name}/commit/${c.sha}`;
  const [headline = '', ...rest] = c.message.split('\n');
  return {
    [ACCESS]: { permission: 'contents', private: repo.private },
    __typename: 'Commit',
    id: c.node_id,
    oid: c.sha,
    abbreviatedOid: c.sha.slice(0, 7),
    message: c.message,
    messageHeadline: headline,
    messageBody: rest.join('\n').replace(/^\n+/, ''),
    committedDate: c.committer.date,
    authoredDate: c.author.date,
    pushedDate: c.committer.date,
    url,
    commitUrl: url,
    resourcePath: url.slice(WEB.length),
    author: () => gitActor(ctx, c.author),
    committer: () => gitActor(ctx, c.committer),
    authors: (a: Args) => paginate([gitActor(ctx, c.author)], a as PageArgs, 'authors'),
    repository: () => repoModel(ctx, repo),
    parents: (a: Args) =>
      paginate(
        c.parents.map((p) => commitModel(ctx, repo, repo.commits.get(p) ?? syntheticCommit(p))),
        a as PageArgs,
        'parents',
      ),
    history: (a: Args) => {
      let list = history(repo, c);
      const since = a['since'] as string | undefined;
      const until = a['until'] as string | undefined;
      if (since) list = list.filter((x) => x.committer.date >= since);
      if (until) list = list.filter((x) => x.committer.date <= until);
      const author = a['author'] as { emails?: string[]; id?: string } | undefined;
      if (author?.emails?.length) list = list.filter((x) => author.emails?.includes(x.author.email));
      if (author?.id) {
        const target = ctx.store.findNode(author.id);
        const login = target?.kind === 'User' ? target.user.login : undefined;
        list = list.filter((x) => login !== undefined && lower(x.author.login ?? '') === lower(login));
      }
      return paginate(list.map((x) => commitModel(ctx, repo, x)), a as PageArgs, 'history');
    },
    associatedPullRequests: (a: Args) => {
      const list = [...repo.issues.values()].filter((i) => {
        const p = i.pull_request;
        return p && (p.merge_commit_sha === c.sha || p.commits.includes(c.sha) || p.head.sha === c.sha);
      });
      list.sort((x, y) => x.number - y.number);
      return paginate(list.map((i) => issueModel(ctx, repo, i)), a as PageArgs, 'associatedPullRequests');
    },
  };
}

// ----- timeline -----

const EVENT_TYPES: Record<SimEvent['event'], string> = {
  labeled: 'LabeledEvent',
  unlabeled: 'UnlabeledEvent',
  closed: 'ClosedEvent',
  reopened: 'ReopenedEvent',
  marked_as_duplicate: 'MarkedAsDuplicateEvent',
  unmarked_as_duplicate: 'UnmarkedAsDuplicateEvent',
  'cross-referenced': 'CrossReferencedEvent',
  connected: 'ConnectedEvent',
  disconnected: 'DisconnectedEvent',
  assigned: 'AssignedEvent',
  unassigned: 'UnassignedEvent',
  commented: 'IssueComment',
  locked: 'LockedEvent',
  unlocked: 'UnlockedEvent',
  renamed: 'RenamedTitleEvent',
  milestoned: 'MilestonedEvent',
  demilestoned: 'DemilestonedEvent',
  merged: 'MergedEvent',
  referenced: 'ReferencedEvent',
  ready_for_review: 'ReadyForReviewEvent',
  convert_to_draft: 'ConvertToDraftEvent',
};

/** `LabeledEvent` -> `LABELED_EVENT` (the IssueTimelineItemsItemType spelling). */
const itemType = (typename: string) => typename.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

function eventModel(ctx: GraphqlContext, repo: SimRepository, issue: SimIssue, e: SimEvent): Model | null {
  const typename = EVENT_TYPES[e.event];
  if (typename === 'IssueComment') {
    const c = e.comment_id === undefined ? undefined : repo.comments.get(e.comment_id);
    return c ? commentModel(ctx, repo, c) : null;
  }
  if (issue.pull_request === undefined && ['MergedEvent', 'ReadyForReviewEvent', 'ConvertToDraftEvent'].includes(typename)) return null;
  const self = () => issueModel(ctx, repo, issue);
  const label = e.label ? ctx.store.findLabel(repo, e.label.name) : undefined;
  const labelObj = () =>
    label ? labelModel(ctx, repo, label) : { __typename: 'Label', id: '', name: e.label?.name ?? '', color: e.label?.color ?? 'ededed' };
  const other = (ref: { repository: string; number: number } | undefined) => refIssue(ctx, ref);
  const cross = (ref: { repository: string } | undefined) => (ref ? lower(ref.repository) !== lower(repo.full_name) : false);
  const commit = () => {
    if (!e.commit_id) return null;
    return commitModel(ctx, repo, repo.commits.get(e.commit_id) ?? syntheticCommit(e.commit_id));
  };
  const base: Model = {
    __typename: typename,
    id: e.node_id,
    databaseId: e.id,
    createdAt: e.created_at,
    actor: () => actorModel(ctx, e.actor),
    url: `${issueUrl(repo, issue)}#event-${e.id}`,
    resourcePath: `${issueUrl(repo, issue).slice(WEB.length)}#event-${e.id}`,
  };
  switch (e.event) {
    case 'labeled':
    case 'unlabeled':
      return { ...base, label: labelObj, labelable: self };
    case 'closed':
      return {
        ...base,
        closable: self,
        stateReason: upper(e.state_reason ?? null),
        closer: () => {
          if (e.commit_id) return commit();
          const pr = [...repo.issues.values()].find(
            (p) =>
              p.pull_request?.merged &&
              p.pull_request.closing_issues.some((c) => c.number === issue.number && lower(c.repository) === lower(repo.full_name)),
          );
          return pr ? issueModel(ctx, repo, pr) : null;
        },
      };
    case 'reopened':
      return { ...base, closable: self, stateReason: 'REOPENED' };
    case 'marked_as_duplicate':
    case 'unmarked_as_duplicate':
      return { ...base, canonical: () => other(e.subject), duplicate: self, isCrossRepository: cross(e.subject) };
    case 'cross-referenced': {
      const src = e.source;
      const srcIssue = src ? findRepo(ctx, src.repository)?.issues.get(src.number) : undefined;
      const willClose = Boolean(
        srcIssue?.pull_request?.closing_issues.some((c) => c.number === issue.number && lower(c.repository) === lower(repo.full_name)),
      );
      return {
        ...base,
        source: () => other(src),
        target: self,
        isCrossRepository: cross(src),
        referencedAt: e.created_at,
        willCloseTarget: willClose,
      };
    }
    case 'connected':
    case 'disconnected':
      return { ...base, source: self, subject: () => other(e.subject), isCrossRepository: cross(e.subject) };
    case 'assigned':
    case 'unassigned':
      return { ...base, assignable: self, assignee: () => actorModel(ctx, e.assignee), user: () => actorModel(ctx, e.assignee) };
    case 'locked':
      return { ...base, lockable: self, lockReason: upper(e.lock_reason ?? null) };
    case 'unlocked':
      return { ...base, lockable: self };
    case 'renamed':
      return { ...base, subject: self, previousTitle: e.rename?.from ?? '', currentTitle: e.rename?.to ?? '' };
    case 'milestoned':
    case 'demilestoned':
      return { ...base, subject: self, milestoneTitle: e.milestone?.title ?? '' };
    case 'merged':
      return { ...base, pullRequest: self, commit, mergeRefName: issue.pull_request?.base.ref ?? '' };
    case 'referenced':
      return { ...base, subject: self, commit, commitRepository: () => repoModel(ctx, repo), isCrossRepository: false };
    default:
      return { ...base, pullRequest: self };
  }
}

function timeline(ctx: GraphqlContext, repo: SimRepository, issue: SimIssue, a: Args) {
  const types = a['itemTypes'] as string[] | undefined;
  const since = a['since'] as string | undefined;
  const all: Model[] = [];
  for (const e of issue.timeline) {
    if (since && e.created_at < since) continue;
    if (types?.length && !types.includes(itemType(EVENT_TYPES[e.event]))) continue;
    const m = eventModel(ctx, repo, issue, e);
    if (m) all.push(m);
  }
  const skip = typeof a['skip'] === 'number' ? (a['skip'] as number) : 0;
  const list = all.slice(skip);
  return paginate(list, a as PageArgs, 'timelineItems', {
    filteredCount: all.length,
    pageCount: list.length,
    updatedAt: issue.updated_at,
  });
}

// ----- nodes -----

/** The model for a node id the store assigned, or null. */
export function nodeModel(ctx: GraphqlContext, target: NodeTarget | undefined): Model | null {
  if (!target) return null;
  switch (target.kind) {
    case 'User':
      return userModel(target.user);
    case 'Repository':
      return repoModel(ctx, target.repo);
    case 'Issue':
    case 'PullRequest':
      return issueModel(ctx, target.repo, target.issue);
    case 'IssueComment':
      return commentModel(ctx, target.repo, target.comment);
    case 'Label':
      return labelModel(ctx, target.repo, target.label);
    case 'Milestone':
      return milestoneModel(ctx, target.repo, target.milestone.number);
    case 'Release':
      return releaseModel(ctx, target.repo, target.release);
    case 'Reaction':
      return reactionModel(ctx, target.reaction);
    case 'Commit':
      return commitModel(ctx, target.repo, target.commit);
    case 'Event':
      return eventModel(ctx, target.repo, target.issue, target.event);
    case 'Team':
      return { __typename: 'Team', id: target.team.node_id, databaseId: target.team.id, name: target.team.name, slug: target.team.slug };
    default:
      return null;
  }
}
