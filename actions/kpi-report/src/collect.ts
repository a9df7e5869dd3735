// The collector: GraphQL pages of 100 issues (and pull requests riding along), each with its labels and
// its first 100 comments, reviews, closes and reopens; paged over the repository (no search, no 1,000
// cap); incremental through a snapshot: a later run reads only what was updated since.
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
// Once the issues are read, pull requests go 100 at a time: 1 + 3 x 100 = 301 -> 3 points.
import { isAuthoredBy, isBot, readNotifyMarker, readPrioritizeMarker } from '@userloop/core';
import type { ItemRecord, NoticeRecord, ReleaseRecord, RepoSnapshot, ResponseRecord, StateChangeRecord } from './model.ts';

/** The GraphQL call the collector needs (an Octokit's `graphql`). */
export type GraphqlFn = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

/** Page sizes; the defaults keep every issue page at 2 points. */
const PAGE = { issues: 100, pullsAlong: 15, pulls: 100, releases: 20, labels: 20, timeline: 100, files: 100 } as const;

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

/** The query text for one call: issues and/or pull requests (with `pulls` per page) and the releases. */
export function collectQuery(parts: { issues: boolean; pulls: number | null; releases: boolean }): string {
  const vars = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  if (parts.issues) {
    vars.push('$after: String', '$since: DateTime');
    fields.push(`issues(first: ${PAGE.issues}, after: $after, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: ASC }) {
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
  if (parts.releases) {
    fields.push(`releases(first: ${PAGE.releases}, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { tagName name url isDraft isPrerelease publishedAt }
    }`);
  }
  return `query KpiReport(${vars.join(', ')}) {
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
interface GqlRelease {
  tagName: string;
  name: string | null;
  url: string;
  isDraft: boolean;
  isPrerelease: boolean;
  publishedAt: string | null;
}
interface GqlAnswer {
  repository: {
    issues?: GqlPage<GqlItem>;
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

/** Turns one GraphQL issue or pull request into a record. */
export function toRecord(node: GqlItem, kind: ItemRecord['kind'], repository: string, trust: Trust): ItemRecord {
  const author = node.author?.login ?? null;
  const changes: StateChangeRecord[] = [];
  const responses: ResponseRecord[] = [];
  const notices: NoticeRecord[] = [];
  let commitment: ItemRecord['commitment'] = null;
  for (const t of node.timelineItems.nodes ?? []) {
    if (!t?.createdAt) continue;
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
          };
        }
        const notice = readNotifyMarker(t.body);
        if (notice) notices.push({ at: t.createdAt, people: noticed(notice.people) });
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
    authorIsBot: node.author?.__typename === 'Bot',
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    state: node.state,
    closedAt: node.closedAt,
    stateReason: node.stateReason ?? null,
    labels: (node.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
    changes: changes.sort(byTime),
    responses: responses.sort(byTime),
    timelineComplete: !node.timelineItems.pageInfo.hasNextPage,
    commitment,
    notices,
  };
  if (kind === 'pull') {
    record.mergedAt = node.mergedAt ?? null;
    const files = node.files;
    record.files = files && files.totalCount <= (files.nodes?.length ?? 0) ? (files.nodes ?? []).flatMap((f) => (f ? [f.path] : [])) : null;
  }
  return record;
}

/** What one collection did. */
export interface CollectStats {
  calls: number;
  issuesRead: number;
  pullsRead: number;
  /** Whether it started from a snapshot (incremental) or read everything. */
  incremental: boolean;
}

/** Merges fresh records into a snapshot (same kind and number: the fresh one wins). */
export function mergeSnapshot(previous: RepoSnapshot | null, fresh: ItemRecord[], releases: ReleaseRecord[], repository: string, since: string | null): RepoSnapshot {
  const byKey = new Map<string, ItemRecord>();
  for (const item of previous?.items ?? []) byKey.set(`${item.kind}#${item.number}`, item);
  for (const item of fresh) byKey.set(`${item.kind}#${item.number}`, item);
  const rel = new Map<string, ReleaseRecord>();
  for (const r of previous?.releases ?? []) rel.set(r.tagName, r);
  for (const r of releases) rel.set(r.tagName, r);
  return {
    version: 1,
    repository,
    since,
    items: [...byKey.values()].sort((a, b) => a.number - b.number || a.kind.localeCompare(b.kind)),
    releases: [...rel.values()].sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '') || a.tagName.localeCompare(b.tagName)),
  };
}

/** Whether a parsed JSON value is a usable snapshot of this repository (else the run reads everything). */
export function isSnapshotOf(value: unknown, repository: string): value is RepoSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RepoSnapshot>;
  return v.version === 1 && v.repository === repository && Array.isArray(v.items) && Array.isArray(v.releases);
}

/**
 * Reads one repository: everything when `previous` is null, else only what was updated at or after
 * `previous.since`, merged into it.
 */
export async function collectRepository(
  graphql: GraphqlFn,
  repository: string,
  previous: RepoSnapshot | null,
  trust: Trust,
): Promise<{ snapshot: RepoSnapshot; stats: CollectStats }> {
  const [owner, name] = repository.split('/');
  if (!owner || !name) throw new Error(`repository must be "owner/name", got ${JSON.stringify(repository)}`);
  const since = previous?.since ?? null;
  const fresh: ItemRecord[] = [];
  let releases: ReleaseRecord[] = [];
  let high = since;
  const seen = (at: string) => {
    if (high === null || Date.parse(at) > Date.parse(high)) high = at;
  };
  let issuesAfter: string | null = null;
  let pullsAfter: string | null = null;
  let issuesDone = false;
  let pullsDone = false;
  let first = true;
  const stats: CollectStats = { calls: 0, issuesRead: 0, pullsRead: 0, incremental: previous !== null };
  while (!issuesDone || !pullsDone) {
    const pulls = pullsDone ? null : issuesDone ? PAGE.pulls : PAGE.pullsAlong;
    const query = collectQuery({ issues: !issuesDone, pulls, releases: first });
    const variables: Record<string, unknown> = { owner, name };
    if (!issuesDone) Object.assign(variables, { after: issuesAfter, since });
    if (pulls !== null) variables.pullsAfter = pullsAfter;
    const answer = (await graphql(query, variables)) as GqlAnswer;
    stats.calls += 1;
    const repo = answer.repository;
    if (!repo) throw new Error(`repository ${repository} not found or not readable with this token`);
    if (first) {
      releases = (repo.releases?.nodes ?? []).flatMap((r) => (r ? [{ repository, ...r }] : []));
      first = false;
    }
    if (!issuesDone) {
      const page = repo.issues;
      for (const node of page?.nodes ?? []) {
        if (!node) continue;
        fresh.push(toRecord(node, 'issue', repository, trust));
        stats.issuesRead += 1;
        seen(node.updatedAt);
      }
      issuesAfter = page?.pageInfo.endCursor ?? null;
      issuesDone = !page?.pageInfo.hasNextPage;
    }
    if (pulls !== null) {
      const page = repo.pullRequests;
      let older = false;
      for (const node of page?.nodes ?? []) {
        if (!node) continue;
        // Newest first: once a pull request is older than the snapshot, every later one is too.
        if (since !== null && Date.parse(node.updatedAt) < Date.parse(since)) {
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
  return { snapshot: mergeSnapshot(previous, fresh, releases, repository, high), stats };
}
