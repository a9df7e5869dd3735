/**
 * The merged pull requests of a release, found by ancestry: the commits reachable from the release's target
 * and not from the last release's tag (`git log base..target`), then the merged pull requests of this
 * repository associated with those commits, with the issues each one closes.
 *
 * Why ancestry and not dates: on a history with a hotfix branch, a backport or a long-lived feature branch,
 * "merged after the last release date" both misses pull requests (a branch merged late with old commits) and
 * takes ones that were already released (a hotfix). Ancestry is what `git` itself answers.
 *
 * How it reads (GraphQL only, no call per pull request):
 * - `Commit.history` of the target, each commit with its parents and its associated pull requests, in pages
 *   of 72-74 commits: the most that keep a query at 1 GraphQL point (a commit's two nested connections are
 *   2 requests; a page of 100 would need 201, 2 points); in the same query, when needed, `Commit.history`
 *   of the base tag, pages of 100 (1 request: its commits nest nothing). A commit is in the range when it
 *   is not an ancestor of the base; it is known not to be one when the base's history (newest first) has
 *   gone past the commit's date without meeting it, and known to be one when the base's history holds it
 *   (the boundary: no page of the target is read for it). The walk stops as soon as every parent of every
 *   commit in the range is classified, so it reads about ceil(commits/74) pages of the target and, for a
 *   base that is an ancestor of the target, usually one page of the base, fetched in the same queries. The
 *   first query also reads the token's identity (`viewer`) and whatever another read rides along in it.
 *
 * Used by `draft-release-notes` (what goes in the notes) and `notify-requesters` (who to tell); the details
 * of those pull requests and the issues they close are read by `pull-requests.ts` (50 a query).
 */
import { ONE_POINT_REQUESTS, type GraphqlClient } from './graphql.ts';

/** A pull request associated with a commit, as `Commit.associatedPullRequests` gives it. */
export interface AssociatedPullRequest {
  number: number;
  merged: boolean;
  /** The merge commit (`null` when unknown or not merged). */
  mergeCommitOid: string | null;
  /** `owner/name` of the pull request's (base) repository. */
  repository: string;
}

/** A commit of the target's history. */
export interface HistoryCommit {
  oid: string;
  /** ISO 8601 committer date. */
  committedDate: string;
  /** Parent object ids (two or more for a merge commit). */
  parents: readonly string[];
  pullRequests: readonly AssociatedPullRequest[];
}

/** One page of a history walk. */
export interface HistoryPage<C> {
  commits: readonly C[];
  hasNextPage: boolean;
}

/** A commit of the base's history: only its identity and date are needed. */
export interface BaseCommit {
  oid: string;
  committedDate: string;
}

/** What a {@link RangeWalk} needs next; both `false` means the walk is complete. */
export interface RangeWalkNeeds {
  target: boolean;
  base: boolean;
}

/**
 * The pure part of the ancestry walk: fed pages of the target's and the base's histories (newest first), it
 * says which page it needs next and, once complete, which commits are in `base..target`.
 *
 * Rules: a commit of the target's history is in the range when it is not an ancestor of the base. It is an
 * ancestor when the base's history contains it; it is not one when the base's history is exhausted or has
 * reached commits older than it without meeting it. Starting from the target, the parents of every commit in
 * the range are classified the same way; commits outside the range stop the walk on their side. A commit
 * whose date is older than one of its ancestors' (clock skew) can be misclassified; GitHub's own
 * `compare` has the same limit for dates but not for ancestry, so the walk errs on the side of keeping a
 * commit in the range (the base walk must pass its date strictly).
 */
export class RangeWalk {
  private readonly seen = new Map<string, HistoryCommit>();
  private readonly order: string[] = [];
  private readonly baseSet = new Set<string>();
  /** Date (ms) of the last commit read from the base's history; +Infinity before the first page. */
  private baseFrontier = Number.POSITIVE_INFINITY;
  private targetDone = false;
  private baseDone: boolean;
  private readonly inRange = new Set<string>();
  private readonly outOfRange = new Set<string>();
  private readonly pending = new Set<string>();

  /**
   * @param targetOid the commit the release is drafted for.
   * @param baseOid the last release's commit, or `null` for a first release (the whole history is in range).
   */
  constructor(
    readonly targetOid: string,
    readonly baseOid: string | null,
  ) {
    this.baseDone = baseOid === null;
    this.pending.add(targetOid);
  }

  /** Adds the next page of the target's history. */
  addTargetPage(page: HistoryPage<HistoryCommit>): void {
    for (const c of page.commits) {
      if (this.seen.has(c.oid)) continue;
      this.seen.set(c.oid, c);
      this.order.push(c.oid);
    }
    if (!page.hasNextPage) this.targetDone = true;
    this.resolve();
  }

  /** Adds the next page of the base's history. */
  addBasePage(page: HistoryPage<BaseCommit>): void {
    for (const c of page.commits) {
      this.baseSet.add(c.oid);
      const t = Date.parse(c.committedDate);
      if (!Number.isNaN(t)) this.baseFrontier = t;
    }
    if (!page.hasNextPage) this.baseDone = true;
    this.resolve();
  }

  /** What to fetch next. */
  needs(): RangeWalkNeeds {
    let target = false;
    let base = false;
    for (const oid of this.pending) {
      const c = this.seen.get(oid);
      if (!c) target ||= !this.targetDone;
      else base ||= !this.baseDone;
    }
    return { target, base };
  }

  /** `true` once nothing more is needed. */
  get done(): boolean {
    const n = this.needs();
    return !n.target && !n.base;
  }

  /** The commits in the range, in the target's history order (newest first). */
  commits(): HistoryCommit[] {
    return this.order.filter((oid) => this.inRange.has(oid)).map((oid) => this.seen.get(oid)!);
  }

  /** Object ids of the range's parents that are ancestors of the base (where the walk stopped). */
  boundary(): string[] {
    return [...this.outOfRange];
  }

  private classify(c: HistoryCommit): 'in' | 'out' | null {
    if (this.baseSet.has(c.oid)) return 'out';
    if (this.baseDone) return 'in';
    const t = Date.parse(c.committedDate);
    if (!Number.isNaN(t) && this.baseFrontier < t) return 'in';
    return null;
  }

  private resolve(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const oid of [...this.pending]) {
        const c = this.seen.get(oid);
        if (!c) {
          // A parent the base's history holds is an ancestor of the base: out of the range without reading it
          // from the target's history (the boundary costs no page of its own).
          if (this.baseSet.has(oid)) {
            this.pending.delete(oid);
            this.outOfRange.add(oid);
            changed = true;
            continue;
          }
          // Not in the target's history at all once it is exhausted: nothing to classify.
          if (this.targetDone) {
            this.pending.delete(oid);
            changed = true;
          }
          continue;
        }
        const verdict = this.classify(c);
        if (verdict === null) continue;
        this.pending.delete(oid);
        changed = true;
        if (verdict === 'out') {
          this.outOfRange.add(oid);
          continue;
        }
        this.inRange.add(oid);
        for (const p of c.parents) {
          if (!this.inRange.has(p) && !this.outOfRange.has(p)) this.pending.add(p);
        }
      }
    }
  }
}

/** A merged pull request of the range, before its details are read. */
export interface RangePullRequest {
  number: number;
  /** Object ids of the range's commits associated with it. */
  commits: string[];
}

/**
 * Picks the pull requests of a range: merged, in `repository` (`owner/name`, compared case-insensitively;
 * pull requests of other repositories are dropped) and, when the merge commit is known, merged by a commit
 * of the range (a pull request whose commits came in through another pull request, such as the same branch
 * merged into a release branch, is not this release's). Deduplicated, in first-seen order.
 */
export function selectRangePullRequests(commits: readonly HistoryCommit[], repository: string): RangePullRequest[] {
  const inRange = new Set(commits.map((c) => c.oid));
  const repo = repository.toLowerCase();
  const out = new Map<number, RangePullRequest>();
  for (const c of commits) {
    for (const pr of c.pullRequests) {
      if (!pr.merged || pr.repository.toLowerCase() !== repo) continue;
      if (pr.mergeCommitOid !== null && !inRange.has(pr.mergeCommitOid)) continue;
      const entry = out.get(pr.number);
      if (entry) {
        if (!entry.commits.includes(c.oid)) entry.commits.push(c.oid);
      } else out.set(pr.number, { number: pr.number, commits: [c.oid] });
    }
  }
  return [...out.values()];
}


// ---------------------------------------------------------------------------------------------------------
// GraphQL

interface GqlCommitNode {
  oid: string;
  committedDate: string;
  parents?: { nodes: ({ oid: string } | null)[] | null } | null;
  associatedPullRequests?: {
    nodes:
      | ({
          number: number;
          merged: boolean;
          mergeCommit: { oid: string } | null;
          repository: { nameWithOwner: string } | null;
        } | null)[]
      | null;
  } | null;
}

interface GqlHistory {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (GqlCommitNode | null)[] | null;
}

interface GqlCommitObject {
  __typename?: string;
  oid?: string;
  history?: GqlHistory;
  target?: GqlCommitObject | null;
}

const TARGET_HISTORY = `history(first: $pageSize, after: $targetCursor) {
          pageInfo { hasNextPage endCursor }
          nodes {
            oid committedDate
            parents(first: 8) { nodes { oid } }
            associatedPullRequests(first: 10) {
              nodes { number merged mergeCommit { oid } repository { nameWithOwner } }
            }
          }
        }`;

const BASE_HISTORY = `history(first: $basePageSize, after: $baseCursor) {
          pageInfo { hasNextPage endCursor }
          nodes { oid committedDate }
        }`;

/** The most commits GitHub serves a page. */
const MAX_PAGE = 100;

/**
 * The most commits a page of the target's history may hold for its query to cost 1 point: the page's
 * `history` connection is 1 request and each of its commits adds 2 (its `parents` and its
 * `associatedPullRequests`), next to `otherRequests` of the rest of the query (the base's history: 1,
 * whatever its page size, as its commits nest no connection). 74 alone, 73 beside the base's history.
 */
function onePointPage(otherRequests: number): number {
  return Math.max(1, Math.floor((ONE_POINT_REQUESTS - 1 - otherRequests) / 2));
}

/**
 * Fields of another read that ride in the range's first query, so that read costs no query of its own (for
 * example the issues notify-requesters looks for before it writes). The first page of commits is cut by
 * what they cost, so the query stays at 1 point.
 */
export interface RangeRideAlong {
  /** Selections inside `repository(owner:, name:)`, each aliased (the range uses `target` and `base`). */
  repository?: string;
  /** Selections at the query's root, each aliased (the range uses `viewer` and `repository`). */
  root?: string;
  /** The variables the selections use: name (without `$`) to its GraphQL type and value. */
  variables?: Readonly<Record<string, { type: string; value: unknown }>>;
  /** The GraphQL requests the selections add by GitHub's formula (a connection at the top is 1). */
  requests: number;
}

/** Options of {@link findReleaseRange}. */
export interface FindReleaseRangeOptions {
  graphql: GraphqlClient;
  owner: string;
  repo: string;
  /**
   * The commit the release is drafted for: an object id, a revision GitHub resolves (`main`,
   * `refs/heads/main`), or `{ tag }`, a tag's commit (lightweight or annotated); resolved once, by the first
   * query, so a push during the walk does not move it.
   */
  target: string | { tag: string };
  /**
   * The last release: its tag name (resolved through `refs/tags/<tag>`, lightweight or annotated) or
   * `{ oid }`; `null` for a first release.
   */
  base: string | { oid: string } | null;
  /**
   * Commits per page of the target's history (at most 100). Default: the most that keep every query at 1
   * point (72-74; a page of 100 commits with their parents and pull requests needs 201 requests, 2 points).
   */
  pageSize?: number;
  /** Stop after this many target commits have been read (default 10,000); the result says `truncated`. */
  maxCommits?: number;
  /** Fields of another read asked in the first query (see {@link RangeRideAlong}); its data is `firstData`. */
  rideAlong?: RangeRideAlong;
}

/** The commits and merged pull requests of a release's range. */
export interface ReleaseRange {
  /** Commits in `base..target`, newest first. */
  commits: HistoryCommit[];
  /** Merged pull requests of the repository in the range (see {@link selectRangePullRequests}). */
  pullRequests: RangePullRequest[];
  /** The base's commit object id (`null` for a first release). */
  baseOid: string | null;
  /** The target's commit object id. */
  targetOid: string;
  /** The login the token acts as (GraphQL `viewer`, read by the first query: no query of its own). */
  viewerLogin: string;
  /** GraphQL queries made. */
  queries: number;
  /** `true` when `maxCommits` stopped the walk before the range was complete. */
  truncated: boolean;
  /** The first query's data, where the `rideAlong` selections are (`repository.<alias>`, `<alias>`); `null` without them. */
  firstData: Record<string, unknown> | null;
}

function toHistoryCommit(n: GqlCommitNode): HistoryCommit {
  return {
    oid: n.oid,
    committedDate: n.committedDate,
    parents: (n.parents?.nodes ?? []).flatMap((p) => (p ? [p.oid] : [])),
    pullRequests: (n.associatedPullRequests?.nodes ?? []).flatMap((pr) =>
      pr
        ? [
            {
              number: pr.number,
              merged: pr.merged,
              mergeCommitOid: pr.mergeCommit?.oid ?? null,
              repository: pr.repository?.nameWithOwner ?? '',
            },
          ]
        : [],
    ),
  };
}

function peelCommit(obj: GqlCommitObject | null | undefined): GqlCommitObject | null {
  let cur = obj ?? null;
  for (let i = 0; cur && i < 4; i += 1) {
    if (cur.history || cur.__typename === 'Commit') return cur;
    cur = cur.target ?? null;
  }
  return null;
}

/**
 * Finds the commits in `base..target` by walking `Commit.history` over GraphQL (pages of 72-74, 1 point
 * each; the base's history is read in the same queries, 100 a page, only as far as needed), and the merged
 * pull requests of this repository associated with them. About ceil(commits/74) queries, one more for a
 * target that is an annotated tag.
 * @throws when the target commit or the base tag does not exist.
 */
export async function findReleaseRange(options: FindReleaseRangeOptions): Promise<ReleaseRange> {
  const { graphql, owner, repo } = options;
  const targetTag = typeof options.target === 'string' ? null : options.target.tag;
  const target = typeof options.target === 'string' ? options.target : `refs/tags/${options.target.tag}`;
  const pageSize = options.pageSize === undefined ? null : Math.min(MAX_PAGE, Math.max(1, options.pageSize));
  const maxCommits = options.maxCommits ?? 10_000;
  const ride = options.rideAlong ?? null;
  let baseTag: string | null = null;
  let baseOid: string | null = null;
  if (typeof options.base === 'string') baseTag = options.base;
  else if (options.base) baseOid = options.base.oid;

  const isOid = targetTag === null && /^[0-9a-f]{40}$/i.test(target);
  let targetOid: string | null = isOid ? target.toLowerCase() : null;
  let walk: RangeWalk | null = null;
  let targetCursor: string | null = null;
  let baseCursor: string | null = null;
  let queries = 0;
  let read = 0;
  let truncated = false;
  let first = true;
  let viewerLogin = '';
  let firstData: Record<string, unknown> | null = null;
  const notFound = () =>
    targetTag !== null
      ? `The tag ${targetTag} of the release was not found in ${owner}/${repo}.`
      : `The target commit ${target} was not found in ${owner}/${repo}.`;

  for (;;) {
    const needs: RangeWalkNeeds = walk ? walk.needs() : { target: true, base: baseTag !== null || baseOid !== null };
    if (!needs.target && !needs.base) break;
    if (needs.target && read >= maxCommits) {
      truncated = true;
      break;
    }
    const parts: string[] = [];
    const varDefs = ['$owner: String!', '$name: String!'];
    const vars: Record<string, unknown> = { owner, name: repo };
    // Every query at 1 point: the target's page shrinks by what the rest of the query costs (the base's
    // history is 1 request, 2 in the first query, which asks it of a lightweight and an annotated tag).
    const others = (needs.base ? (first && baseTag !== null ? 2 : 1) : 0) + (first && ride ? ride.requests : 0);
    if (needs.target) {
      varDefs.push('$pageSize: Int!', '$targetCursor: String');
      vars.pageSize = pageSize ?? onePointPage(others);
      vars.targetCursor = targetCursor;
      if (targetOid !== null) {
        parts.push(`target: object(oid: $target) { __typename ... on Commit { oid ${TARGET_HISTORY} } }`);
        varDefs.push('$target: GitObjectID!');
        vars.target = targetOid;
      } else if (targetTag !== null) {
        // A lightweight tag's commit, read with its first page; an annotated tag's commit is read by the next
        // query (its history asked a second time, inside the Tag, would count twice in the query's cost).
        parts.push(`target: ref(qualifiedName: $target) { target { __typename oid
          ... on Commit { ${TARGET_HISTORY} }
          ... on Tag { target { __typename oid } } } }`);
        varDefs.push('$target: String!');
        vars.target = target;
      } else {
        parts.push(`target: object(expression: $target) { __typename ... on Commit { oid ${TARGET_HISTORY} } }`);
        varDefs.push('$target: String!');
        vars.target = target;
      }
    }
    if (needs.base) {
      varDefs.push('$basePageSize: Int!', '$baseCursor: String');
      vars.basePageSize = MAX_PAGE;
      vars.baseCursor = first && baseTag !== null ? null : baseCursor;
      if (first && baseTag !== null) {
        // The tag's object: a commit (lightweight tag) or a Tag object pointing at one (annotated).
        parts.push(`base: ref(qualifiedName: $baseRef) { target { __typename
          ... on Commit { oid ${BASE_HISTORY} }
          ... on Tag { target { __typename ... on Commit { oid ${BASE_HISTORY} } } } } }`);
        varDefs.push('$baseRef: String!');
        vars.baseRef = `refs/tags/${baseTag}`;
      } else {
        parts.push(`base: object(oid: $base) { __typename ... on Commit { oid ${BASE_HISTORY} } }`);
        varDefs.push('$base: GitObjectID!');
        vars.base = baseOid;
      }
    }
    if (first && ride) {
      if (ride.repository) parts.push(ride.repository);
      for (const [name, v] of Object.entries(ride.variables ?? {})) {
        varDefs.push(`$${name}: ${v.type}`);
        vars[name] = v.value;
      }
    }
    const query = `query ReleaseRange(${varDefs.join(', ')}) {
      ${first ? 'viewer { login }' : ''}
      repository(owner: $owner, name: $name) {
        ${parts.join('\n        ')}
      }${first && ride?.root ? `\n      ${ride.root}` : ''}
    }`;
    const data = await graphql<{
      viewer?: { login: string };
      repository: { target?: GqlCommitObject | null; base?: { target?: GqlCommitObject | null } & GqlCommitObject | null } | null;
    }>(query, vars);
    queries += 1;
    if (first && ride) firstData = data as unknown as Record<string, unknown>;
    if (data.viewer) viewerLogin = data.viewer.login;
    const repository = data.repository;
    if (!repository) throw new Error(`Repository ${owner}/${repo} not found.`);

    let basePage: HistoryPage<BaseCommit> | null = null;
    if (needs.base) {
      const baseCommit = first && baseTag !== null ? peelCommit(repository.base?.target) : peelCommit(repository.base);
      if (!baseCommit?.history || !baseCommit.oid) {
        throw new Error(
          baseTag !== null && first
            ? `The tag ${baseTag} of the last release was not found (refs/tags/${baseTag}); cannot find the release range.`
            : `The commit ${baseOid ?? ''} of the last release was not found; cannot find the release range.`,
        );
      }
      baseOid = baseCommit.oid;
      basePage = {
        commits: (baseCommit.history.nodes ?? []).flatMap((n) => (n ? [{ oid: n.oid, committedDate: n.committedDate }] : [])),
        hasNextPage: baseCommit.history.pageInfo.hasNextPage,
      };
      baseCursor = baseCommit.history.pageInfo.endCursor;
    }
    let targetPage: HistoryPage<HistoryCommit> | null = null;
    if (needs.target) {
      const object = targetOid === null && targetTag !== null ? (repository.target as { target?: GqlCommitObject | null } | null | undefined)?.target : repository.target;
      const t = object?.history ? object : null;
      if (t?.history && t.oid) {
        targetOid ??= t.oid;
        const nodes = (t.history.nodes ?? []).flatMap((n) => (n ? [toHistoryCommit(n)] : []));
        read += nodes.length;
        targetCursor = t.history.pageInfo.endCursor;
        targetPage = { commits: nodes, hasNextPage: t.history.pageInfo.hasNextPage && targetCursor !== null };
      } else if (targetOid === null && targetTag !== null && object?.__typename === 'Tag' && object.target?.oid) {
        // An annotated tag: its commit's history comes with the next query.
        targetOid = object.target.oid;
      } else throw new Error(notFound());
    }
    walk ??= new RangeWalk(targetOid!, baseOid);
    if (targetPage) walk.addTargetPage(targetPage);
    if (basePage) walk.addBasePage(basePage);
    first = false;
  }

  const commits = walk ? walk.commits() : [];
  return {
    commits,
    pullRequests: selectRangePullRequests(commits, `${owner}/${repo}`),
    baseOid,
    targetOid: targetOid ?? target,
    viewerLogin,
    queries,
    truncated,
    firstData,
  };
}
