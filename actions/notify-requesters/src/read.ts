// Every read of the action, turned into plain data: the releases, the early look for the docs-review issue
// (riding in the release range's first query), the issues to notify, the issues carrying the docs-review
// label, and the newest comments of the issues written to.
//
// The issues to notify are read in batches of 25 per GraphQL query (aliases), each with its labels, lock,
// 👍 reactions, comments (first 100 and last 100: the prioritize ledger lives early, our notices late) and
// the timeline events that name its duplicates (core's shared ledger fragment, the one prioritize reads).
// A longer thread without a trusted prioritize ledger also gets its middle comments read (core's
// `readMiddleComments`, one query per 100), so a "+1" there is not lost. Missing issues (deleted,
// transferred) are left out.
import {
  compact,
  type Octokit,
  graphqlAllowing,
  type GraphqlClient,
  isLedgerPartial,
  LEDGER_ISSUE_FRAGMENT,
  ledgerFactsFromGraphql,
  type LedgerIssueFact,
  type LedgerIssueNode,
  type LedgerReactionFact,
  type LedgerUser,
  readMiddleComments,
  readMoreReactions,
  readPrioritizeMarker,
  type RangeRideAlong,
  type ReleaseInfo,
} from '@userloop/core';

/** Every release of the repository, drafts included (REST, 100 per page). */
export async function readReleases(octokit: Pick<Octokit, 'paginate'>, owner: string, repo: string): Promise<ReleaseInfo[]> {
  return (await octokit.paginate('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 })) as ReleaseInfo[];
}

/**
 * The early look for the release's docs-review issue (which keeps the progress of an earlier run), riding in
 * the release range's first query: the issues carrying the docs-review label (`labeled`) and those its
 * marker's search finds (`marked`), 2 requests (their nodes nest no connection).
 */
export function docsReviewRideAlong(label: string, search: string): RangeRideAlong {
  return {
    repository: LABELED_SELECTION,
    root: MARKED_SELECTION,
    variables: { labels: { type: '[String!]', value: [label] }, search: { type: 'String!', value: search } },
    requests: 2,
  };
}

/** The issues {@link docsReviewRideAlong} found, from the first query's data. */
export function docsReviewFound(data: Record<string, unknown> | null): { labeled: LabeledIssue[]; marked: LabeledIssue[] } {
  const d = (data ?? {}) as { repository?: { labeled?: RawLabeled } | null; marked?: RawLabeled | null };
  return { labeled: labeledIssues(d.repository?.labeled), marked: markedIssues(d.marked) };
}

/** Issues per query: about ceil(issues / 25) queries. */
const ISSUES_PER_QUERY = 25;

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
  /** When it was last closed (ISO 8601); `null` while open. */
  closedAt: string | null;
  author: LedgerUser | null;
  labels: string[];
  reactions: LedgerReactionFact[];
  comments: CommentRead[];
  /** Issues of the same or another repository marked as duplicates of this one. */
  duplicates: LedgerIssueFact[];
}

// The ledger part (author, body, reactions, comments, duplicate timeline) is core's shared fragment, read
// into facts by core's `ledgerFactsFromGraphql`, exactly as prioritize reads it.
const ISSUE_FRAGMENT = /* GraphQL */ `
  fragment NotifyIssue on Issue {
    ...UserloopLedgerIssue
    title
    state
    stateReason
    closedAt
    labels(first: 50) { nodes { name } }
  }
  ${LEDGER_ISSUE_FRAGMENT}
`;

interface RawIssue extends LedgerIssueNode {
  title: string;
  state: string;
  stateReason: string | null;
  closedAt?: string | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
}

/** Turns one raw issue into plain data. */
function normalizeIssue(raw: RawIssue, home: string): IssueRead {
  const facts = ledgerFactsFromGraphql(raw, { home });
  return {
    number: raw.number,
    title: raw.title,
    url: raw.url,
    body: facts.issue.body,
    createdAt: raw.createdAt,
    state: raw.state,
    stateReason: raw.stateReason,
    closedAt: raw.closedAt ?? null,
    author: facts.issue.author,
    labels: compact(raw.labels?.nodes).map((l) => l.name),
    reactions: facts.reactions,
    comments: facts.comments,
    duplicates: facts.duplicates,
  };
}

/**
 * Reads issues by number, {@link ISSUES_PER_QUERY} per query, plus one query per 100 middle comments of a
 * thread longer than 200 comments that has no prioritize marker written by the token's identity (that
 * marker's ledger already holds the middle). Returns them by number, and the queries made.
 */
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
    // A number that is no issue (deleted, or a pull request) is a NOT_FOUND next to the others' data.
    const { data } = await graphqlAllowing<{ repository: (Record<string, RawIssue | null> & { nameWithOwner?: string }) | null }>(
      graphql,
      query,
      { owner, name: repo },
      ['NOT_FOUND'],
    );
    queries += 1;
    const home = (data.repository?.nameWithOwner as string | undefined) ?? `${owner}/${repo}`;
    for (const k of batch.keys()) {
      let raw = data.repository?.[`i${k}`] as RawIssue | null | undefined;
      if (!raw) continue;
      const facts = ledgerFactsFromGraphql(raw, { home });
      // Without a trusted ledger, or with one that keeps only the newest requesters (a very long ledger), the
      // whole thread is read so nobody who asked is missed.
      const ledger = facts.comments.find((c) => c.byViewer && readPrioritizeMarker(c.body) !== null);
      const partial = ledger !== undefined && isLedgerPartial(readPrioritizeMarker(ledger.body));
      if (facts.commentsTruncated && (!ledger || partial)) {
        const more = await readMiddleComments(graphql, { owner, repo, node: raw });
        raw = more.node;
        queries += more.queries;
      }
      if (partial && facts.thumbsUp > facts.reactions.length) {
        const more = await readMoreReactions(graphql, { owner, repo, node: raw });
        raw = more.node;
        queries += more.queries;
      }
      issues.set(raw.number, normalizeIssue(raw, home));
    }
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
}

// The newest 100 issues (open or closed) carrying a label: the docs-review finder's selection.
const LABELED_SELECTION = `labeled: issues(first: 100, labels: $labels, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) {
        nodes { number url title body viewerDidAuthor }
      }`;

type RawLabeled = {
  nodes:
    | ({ number: number; url: string; title: string; body: string | null; viewerDidAuthor: boolean } | null)[]
    | null;
};

function labeledIssues(raw: RawLabeled | null | undefined): LabeledIssue[] {
  return compact(raw?.nodes).map((i) => ({
    number: i.number,
    url: i.url,
    title: i.title,
    body: i.body ?? '',
    byViewer: i.viewerDidAuthor === true,
  }));
}

/** Search results other than issues (none are asked for) come as empty objects: they are dropped. */
function markedIssues(raw: RawLabeled | null | undefined): LabeledIssue[] {
  return labeledIssues({ nodes: (raw?.nodes ?? []).filter((n) => typeof n?.number === 'number') });
}

// Issues found by a search for the docs-review marker: the docs-review issue is found again even when a
// person removed its label (the caller keeps only the bot's own, with the release's marker).
const MARKED_SELECTION = `marked: search(type: ISSUE, first: 20, query: $search) {
      nodes { ... on Issue { number url title body viewerDidAuthor } }
    }`;

/**
 * The search query that finds the docs-review issue of `tag` by its marker
 * (`repo:o/r is:issue in:body "userloop:docs-review" "v1.2.0"`).
 */
export function docsReviewSearch(owner: string, repo: string, kind: string, tag: string): string {
  return `repo:${owner}/${repo} is:issue in:body "userloop:${kind}" "${tag.replace(/["\\]/g, ' ').trim()}"`;
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
      ${LABELED_SELECTION}
    }
  }`;
  const data = await options.graphql<{ repository: { labeled: RawLabeled } | null }>(query, { owner: options.owner, name: options.repo, labels: [options.label] });
  return labeledIssues(data.repository?.labeled);
}

/** A recent comment as the second look after a create needs it. */
export interface RecentComment {
  id: number | null;
  body: string;
  byViewer: boolean;
}

/** Issues per query of {@link readRecentComments}. */
const RECENT_PER_QUERY = 100;

/**
 * The last 30 comments of each issue, {@link RECENT_PER_QUERY} issues per query (one GraphQL point
 * each): the second look after this run's notices, which finds the copies an overlapping run posted at the
 * same time (they are among the newest comments of the issue: a split notice is a few comments). With `label`, the first query also reads the
 * issues carrying it ({@link readLabeledIssues}), so the docs-review finder costs no query of its own.
 */
export async function readRecentComments(options: {
  graphql: GraphqlClient;
  owner: string;
  repo: string;
  numbers: readonly number[];
  label?: string | null;
  /** With `label`: a search ({@link docsReviewSearch}) whose issues are read in the same first query (`marked`). */
  search?: string | null;
}): Promise<{ comments: Map<number, RecentComment[]>; labeled: LabeledIssue[] | null; marked?: LabeledIssue[] | null; queries: number }> {
  const numbers = [...new Set(options.numbers)].filter((n) => Number.isSafeInteger(n) && n > 0);
  const comments = new Map<number, RecentComment[]>();
  let labeled: LabeledIssue[] | null = null;
  let marked: LabeledIssue[] | null = null;
  let queries = 0;
  const label = options.label ?? null;
  const search = label !== null ? (options.search ?? null) : null;
  for (let i = 0; i < numbers.length || (i === 0 && label !== null); i += RECENT_PER_QUERY) {
    const batch = numbers.slice(i, i + RECENT_PER_QUERY);
    const withLabel = i === 0 && label !== null;
    const aliases = batch.map((n, k) => `i${k}: issue(number: ${n}) { number comments(last: 30) { nodes { fullDatabaseId body viewerDidAuthor } } }`);
    const withSearch = withLabel && search !== null;
    const query = `query NotifyRecentComments($owner: String!, $name: String!${withLabel ? ', $labels: [String!]' : ''}${withSearch ? ', $search: String!' : ''}) {
      repository(owner: $owner, name: $name) {
        ${[...aliases, ...(withLabel ? [LABELED_SELECTION] : [])].join('\n        ')}
      }${withSearch ? `\n      ${MARKED_SELECTION}` : ''}
    }`;
    type Raw = { number: number; comments: { nodes: ({ fullDatabaseId: string | number | null; body: string; viewerDidAuthor: boolean } | null)[] | null } | null };
    const { data } = await graphqlAllowing<{ repository: (Record<string, Raw | null> & { labeled?: RawLabeled }) | null; marked?: RawLabeled | null }>(
      options.graphql,
      query,
      {
        owner: options.owner,
        name: options.repo,
        ...(withLabel ? { labels: [label] } : {}),
        ...(withSearch ? { search } : {}),
      },
      ['NOT_FOUND'],
    );
    queries += 1;
    if (withLabel) labeled = labeledIssues(data.repository?.labeled as RawLabeled | undefined);
    if (withSearch) marked = markedIssues(data.marked);
    for (const k of batch.keys()) {
      const raw = data.repository?.[`i${k}`] as Raw | null | undefined;
      if (!raw) continue;
      comments.set(
        raw.number,
        compact(raw.comments?.nodes).map((c) => ({ id: c.fullDatabaseId === null ? null : Number(c.fullDatabaseId), body: c.body, byViewer: c.viewerDidAuthor === true })),
      );
    }
  }
  return { comments, labeled, ...(search !== null ? { marked } : {}), queries };
}
