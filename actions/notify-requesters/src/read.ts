// The batched GraphQL read of the issues to notify: 25 issues per query (aliases), each with its labels,
// lock, 👍 reactions, comments (first 50 and last 100: the prioritize ledger lives early, our notices late)
// and the timeline events that name its duplicates. Missing issues (deleted, transferred) are left out.
import type { GraphqlClient, LedgerIssueFact, LedgerReactionFact, LedgerUser } from '@userloop/core';

/** Issues per query: about ceil(issues / 25) queries. */
export const ISSUES_PER_QUERY = 25;

/** A comment as the action uses it. */
export interface CommentRead {
  id: number | null;
  url: string;
  body: string;
  createdAt: string;
  author: LedgerUser | null;
  /** Written by the token's own identity: only these comments' markers are trusted. */
  byViewer: boolean;
}

/** One issue, in plain data. */
export interface IssueRead {
  number: number;
  title: string;
  url: string;
  body: string;
  createdAt: string;
  state: string;
  stateReason: string | null;
  locked: boolean;
  author: LedgerUser | null;
  labels: string[];
  reactions: LedgerReactionFact[];
  comments: CommentRead[];
  /** Issues of the same or another repository marked as duplicates of this one. */
  duplicates: LedgerIssueFact[];
}

const ISSUE_FRAGMENT = /* GraphQL */ `
  fragment NotifyComment on IssueComment {
    databaseId
    url
    body
    createdAt
    viewerDidAuthor
    author { __typename login }
  }
  fragment NotifyIssueRef on IssueOrPullRequest {
    __typename
    ... on Issue {
      number
      url
      createdAt
      stateReason
      author { __typename login }
      repository { nameWithOwner }
    }
  }
  fragment NotifyIssue on Issue {
    number
    title
    url
    body
    createdAt
    state
    stateReason
    locked
    author { __typename login }
    labels(first: 50) { nodes { name } }
    reactions(first: 100, content: THUMBS_UP) { nodes { createdAt user { __typename login } } }
    firstComments: comments(first: 50) { totalCount nodes { ...NotifyComment } }
    lastComments: comments(last: 100) { nodes { ...NotifyComment } }
    timelineItems(last: 100, itemTypes: [MARKED_AS_DUPLICATE_EVENT, UNMARKED_AS_DUPLICATE_EVENT, CROSS_REFERENCED_EVENT]) {
      nodes {
        __typename
        ... on MarkedAsDuplicateEvent { createdAt canonical { ...NotifyIssueRef } duplicate { ...NotifyIssueRef } }
        ... on UnmarkedAsDuplicateEvent { createdAt canonical { ...NotifyIssueRef } duplicate { ...NotifyIssueRef } }
        ... on CrossReferencedEvent { createdAt source { ...NotifyIssueRef } }
      }
    }
  }
`;

type Actor = { __typename?: string; login: string } | null;
interface RawComment {
  databaseId: number | null;
  url: string;
  body: string | null;
  createdAt: string;
  viewerDidAuthor?: boolean | null;
  author: Actor;
}
interface RawIssueRef {
  __typename?: string;
  number?: number;
  url?: string;
  createdAt?: string;
  stateReason?: string | null;
  author?: Actor;
  repository?: { nameWithOwner: string };
}
interface RawTimelineItem {
  __typename: string;
  createdAt?: string;
  canonical?: RawIssueRef | null;
  duplicate?: RawIssueRef | null;
  source?: RawIssueRef | null;
}
interface RawIssue {
  number: number;
  title: string;
  url: string;
  body: string | null;
  createdAt: string;
  state: string;
  stateReason: string | null;
  locked: boolean;
  author: Actor;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  reactions: { nodes: ({ createdAt: string; user: Actor } | null)[] | null } | null;
  firstComments: { totalCount: number; nodes: (RawComment | null)[] | null } | null;
  lastComments: { nodes: (RawComment | null)[] | null } | null;
  timelineItems: { nodes: (RawTimelineItem | null)[] | null } | null;
}

function compact<T>(nodes: readonly (T | null | undefined)[] | null | undefined): T[] {
  return (nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}

const user = (a: Actor | undefined): LedgerUser | null => (a ? { login: a.login, ...(a.__typename ? { type: a.__typename } : {}) } : null);

function issueRef(ref: RawIssueRef | null | undefined, home: string): LedgerIssueFact | null {
  if (!ref || ref.__typename !== 'Issue' || typeof ref.number !== 'number' || !ref.url) return null;
  const repo = ref.repository?.nameWithOwner;
  return {
    number: ref.number,
    url: ref.url,
    author: user(ref.author),
    ...(ref.createdAt ? { createdAt: ref.createdAt } : {}),
    ...(repo && repo.toLowerCase() !== home.toLowerCase() ? { repository: repo } : {}),
  };
}

/** Turns one raw issue into plain data. Exported for tests. */
export function normalizeIssue(raw: RawIssue, home: string): IssueRead {
  const seen = new Set<string>();
  const comments: CommentRead[] = [];
  for (const c of [...compact(raw.firstComments?.nodes), ...compact(raw.lastComments?.nodes)]) {
    const key = c.databaseId !== null ? String(c.databaseId) : c.url;
    if (seen.has(key)) continue;
    seen.add(key);
    comments.push({
      id: c.databaseId,
      url: c.url,
      body: c.body ?? '',
      createdAt: c.createdAt,
      author: user(c.author),
      byViewer: c.viewerDidAuthor === true,
    });
  }
  const dupes = new Map<string, LedgerIssueFact>();
  const items = compact(raw.timelineItems?.nodes)
    .slice()
    .sort((a, b) => Date.parse(a.createdAt ?? '') - Date.parse(b.createdAt ?? '') || 0);
  const isThis = (ref: LedgerIssueFact | null): boolean => ref !== null && ref.number === raw.number && !ref.repository;
  for (const item of items) {
    if (item.__typename === 'MarkedAsDuplicateEvent' || item.__typename === 'UnmarkedAsDuplicateEvent') {
      const canonical = issueRef(item.canonical, home);
      const duplicate = issueRef(item.duplicate, home);
      if (!isThis(canonical) || !duplicate || isThis(duplicate)) continue;
      if (item.__typename === 'MarkedAsDuplicateEvent') dupes.set(duplicate.url, duplicate);
      else dupes.delete(duplicate.url);
    } else if (item.__typename === 'CrossReferencedEvent') {
      // An issue closed as a duplicate that mentions this one (how GitHub shows "marked as duplicate" here).
      if (item.source?.stateReason !== 'DUPLICATE') continue;
      const ref = issueRef(item.source, home);
      if (ref && !isThis(ref)) dupes.set(ref.url, ref);
    }
  }
  return {
    number: raw.number,
    title: raw.title,
    url: raw.url,
    body: raw.body ?? '',
    createdAt: raw.createdAt,
    state: raw.state,
    stateReason: raw.stateReason,
    locked: raw.locked,
    author: user(raw.author),
    labels: compact(raw.labels?.nodes).map((l) => l.name),
    reactions: compact(raw.reactions?.nodes).map((r) => ({ user: user(r.user), content: 'THUMBS_UP', createdAt: r.createdAt })),
    comments,
    duplicates: [...dupes.values()],
  };
}

/**
 * Runs a query whose aliases may name issues that do not exist (deleted, transferred, or a pull request):
 * GitHub answers those with `NOT_FOUND` errors next to the others' data; only such errors are tolerated.
 */
async function queryAllowingMissing<T>(graphql: GraphqlClient, query: string, vars: Record<string, unknown>): Promise<T> {
  try {
    return await graphql<T>(query, vars);
  } catch (error) {
    const e = error as { data?: unknown; errors?: { type?: string }[] };
    if (e.data && Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === 'NOT_FOUND')) return e.data as T;
    throw error;
  }
}

/** Reads issues by number, {@link ISSUES_PER_QUERY} per query. Returns them by number, and the queries made. */
export async function readIssues(options: {
  graphql: GraphqlClient;
  owner: string;
  repo: string;
  numbers: readonly number[];
}): Promise<{ issues: Map<number, IssueRead>; queries: number }> {
  const { graphql, owner, repo } = options;
  const numbers = [...new Set(options.numbers)].filter((n) => Number.isSafeInteger(n) && n > 0);
  const issues = new Map<number, IssueRead>();
  let queries = 0;
  for (let i = 0; i < numbers.length; i += ISSUES_PER_QUERY) {
    const batch = numbers.slice(i, i + ISSUES_PER_QUERY);
    const aliases = batch.map((n, k) => `i${k}: issue(number: ${n}) { ...NotifyIssue }`);
    const query = `query NotifyIssues($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        nameWithOwner
        ${aliases.join('\n        ')}
      }
    }
    ${ISSUE_FRAGMENT}`;
    const data = await queryAllowingMissing<{ repository: (Record<string, RawIssue | null> & { nameWithOwner?: string }) | null }>(
      graphql,
      query,
      { owner, name: repo },
    );
    queries += 1;
    const home = (data.repository?.nameWithOwner as string | undefined) ?? `${owner}/${repo}`;
    batch.forEach((_n, k) => {
      const raw = data.repository?.[`i${k}`] as RawIssue | null | undefined;
      if (raw) issues.set(raw.number, normalizeIssue(raw, home));
    });
  }
  return { issues, queries };
}

/** An issue of this repository carrying the docs-review label, as the finder needs it. */
export interface LabeledIssue {
  number: number;
  url: string;
  title: string;
  body: string;
  byViewer: boolean;
  assignees: string[];
}

/** The most recent 100 issues (open or closed) with `label`, newest first: one query. */
export async function readLabeledIssues(options: {
  graphql: GraphqlClient;
  owner: string;
  repo: string;
  label: string;
}): Promise<LabeledIssue[]> {
  const query = `query NotifyLabeled($owner: String!, $name: String!, $labels: [String!]) {
    repository(owner: $owner, name: $name) {
      issues(first: 100, labels: $labels, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) {
        nodes { number url title body viewerDidAuthor assignees(first: 20) { nodes { login } } }
      }
    }
  }`;
  const data = await options.graphql<{
    repository: {
      issues: {
        nodes:
          | ({ number: number; url: string; title: string; body: string | null; viewerDidAuthor: boolean; assignees: { nodes: ({ login: string } | null)[] | null } | null } | null)[]
          | null;
      };
    } | null;
  }>(query, { owner: options.owner, name: options.repo, labels: [options.label] });
  return compact(data.repository?.issues.nodes).map((i) => ({
    number: i.number,
    url: i.url,
    title: i.title,
    body: i.body ?? '',
    byViewer: i.viewerDidAuthor === true,
    assignees: compact(i.assignees?.nodes).map((a) => a.login),
  }));
}
