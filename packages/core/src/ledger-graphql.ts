/**
 * The GraphQL side of the ledger: one fragment every action spreads into its issue read, and the one
 * function that turns what it returns into {@link LedgerFacts} (comments, 👍 reactions, duplicates,
 * cross-references) plus the label events `prioritize` pins on. `prioritize` and `notify-requesters` both
 * use it, so the two cannot read the same issue into different ledgers.
 */
import { isAuthoredBy, isBotNodeId } from './people.ts';
import type { LedgerCommentFact, LedgerCrossReferenceFact, LedgerFacts, LedgerIssueFact, LedgerReactionFact, LedgerUser } from './ledger.ts';
import { compact, type GraphqlClient } from './graphql.ts';

/** The name of the fragment in {@link LEDGER_ISSUE_FRAGMENT}: spread it as `...UserloopLedgerIssue` on an `Issue`. */
export const LEDGER_ISSUE_FRAGMENT_NAME = 'UserloopLedgerIssue';

/**
 * A 👍 reaction as the ledger reads it, in the issue's first page and in every further page
 * ({@link readMoreReactions}), so the pages merge into one list of the same shape.
 */
const LEDGER_REACTION_FRAGMENT = /* GraphQL */ `
  fragment UserloopLedgerReaction on Reaction {
    createdAt
    user {
      __typename
      login
      id
    }
  }
`;

/**
 * The `UserloopLedgerComment` fragment on `IssueComment`: what the ledger reads of a comment. Its id and
 * `viewerDidAuthor` come with it (free scalar fields) so a comment read in a middle page is deduplicated and
 * trusted exactly like one read in the first or last page. Part of {@link LEDGER_ISSUE_FRAGMENT}.
 */
const LEDGER_COMMENT_FRAGMENT = /* GraphQL */ `
  fragment UserloopLedgerComment on IssueComment {
    databaseId: fullDatabaseId
    url
    body
    createdAt
    authorAssociation
    viewerDidAuthor
    author {
      __typename
      login
    }
  }
`;

/**
 * GraphQL fragments (`UserloopLedgerIssue` on `Issue`, with `UserloopLedgerComment` and
 * `UserloopLedgerIssueRef`) reading what {@link ledgerFactsFromGraphql} needs: the issue's author and
 * body, its 👍 reactions (first 100), its comments (first 100, with the cursor {@link readMiddleComments}
 * continues from, and last 100), and the last 100 label,
 * duplicate and cross-reference timeline events. Append the string to the query document once and spread
 * `...UserloopLedgerIssue` where an issue is selected; select anything else the action needs beside it.
 */
export const LEDGER_ISSUE_FRAGMENT = /* GraphQL */ `
  fragment UserloopLedgerIssue on Issue {
    number
    url
    body
    createdAt
    author {
      __typename
      login
    }
    reactions(first: 100, content: THUMBS_UP) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...UserloopLedgerReaction
      }
    }
    firstComments: comments(first: 100) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...UserloopLedgerComment
      }
    }
    lastComments: comments(last: 100) {
      nodes {
        ...UserloopLedgerComment
      }
    }
    timelineItems(
      last: 100
      itemTypes: [LABELED_EVENT, UNLABELED_EVENT, MARKED_AS_DUPLICATE_EVENT, UNMARKED_AS_DUPLICATE_EVENT, CROSS_REFERENCED_EVENT]
    ) {
      nodes {
        __typename
        ... on LabeledEvent {
          createdAt
          actor {
            __typename
            login
          }
          label {
            name
          }
        }
        ... on UnlabeledEvent {
          createdAt
          actor {
            __typename
            login
          }
          label {
            name
          }
        }
        ... on MarkedAsDuplicateEvent {
          createdAt
          canonical {
            ...UserloopLedgerIssueRef
          }
          duplicate {
            ...UserloopLedgerIssueRef
          }
        }
        ... on UnmarkedAsDuplicateEvent {
          createdAt
          canonical {
            ...UserloopLedgerIssueRef
          }
          duplicate {
            ...UserloopLedgerIssueRef
          }
        }
        ... on CrossReferencedEvent {
          createdAt
          source {
            __typename
            ...UserloopLedgerIssueRef
            ... on PullRequest {
              number
              url
              repository {
                nameWithOwner
              }
            }
          }
        }
      }
    }
  }

  ${LEDGER_COMMENT_FRAGMENT}
  ${LEDGER_REACTION_FRAGMENT}

  fragment UserloopLedgerIssueRef on IssueOrPullRequest {
    __typename
    ... on Issue {
      number
      url
      createdAt
      stateReason
      author {
        __typename
        login
      }
      repository {
        nameWithOwner
      }
    }
  }
`;

/**
 * An actor as the fragment reads it. `id` (the global node id) is read only where the schema types the
 * field `User` (a reaction's `user`): there GitHub answers a bot as a `User` with the bot's own node id.
 */
export type LedgerGraphqlActor = { __typename?: string; login: string; id?: string | null } | null;

/** A comment as `UserloopLedgerComment` reads it. */
export interface LedgerGraphqlComment {
  /**
   * The REST id: the fragment asks `fullDatabaseId` under this name (a BigInt, sent as a string), as GitHub's
   * comment ids are past 2^31, where the 32-bit `databaseId` fails the query.
   */
  databaseId: string | number | null;
  url: string;
  body: string | null;
  createdAt: string;
  authorAssociation?: string | null;
  viewerDidAuthor?: boolean | null;
  author: LedgerGraphqlActor;
}

/** An issue or pull request as `UserloopLedgerIssueRef` reads it (pull requests only have `__typename`, or their number and URL as a cross-reference source). */
export interface LedgerGraphqlIssueRef {
  __typename?: string;
  number?: number;
  url?: string;
  createdAt?: string;
  stateReason?: string | null;
  author?: LedgerGraphqlActor;
  repository?: { nameWithOwner: string };
}

/** A timeline item as the fragment reads it (only the fields of its type are present). */
export interface LedgerGraphqlTimelineItem {
  __typename: string;
  createdAt?: string;
  actor?: LedgerGraphqlActor;
  label?: { name: string } | null;
  canonical?: LedgerGraphqlIssueRef | null;
  duplicate?: LedgerGraphqlIssueRef | null;
  source?: LedgerGraphqlIssueRef | null;
}

/** The data of an issue selected with `...UserloopLedgerIssue`. */
export interface LedgerIssueNode {
  number: number;
  url: string;
  body: string | null;
  createdAt: string;
  author: LedgerGraphqlActor;
  reactions: {
    totalCount?: number;
    /** Where {@link readMoreReactions} continues from. */
    pageInfo?: { hasNextPage: boolean; endCursor: string | null } | null;
    nodes: ({ createdAt: string; user: LedgerGraphqlActor } | null)[] | null;
  } | null;
  firstComments: {
    totalCount: number;
    /** Where {@link readMiddleComments} continues from (absent in reads made without it: it then starts over). */
    pageInfo?: { hasNextPage: boolean; endCursor: string | null } | null;
    nodes: (LedgerGraphqlComment | null)[] | null;
  } | null;
  lastComments: { nodes: (LedgerGraphqlComment | null)[] | null } | null;
  timelineItems: { nodes: (LedgerGraphqlTimelineItem | null)[] | null } | null;
}

/** A comment read through the fragment: a ledger fact, plus what the actions need to find their own. */
export interface LedgerGraphqlCommentFact extends LedgerCommentFact {
  /** The REST id (`databaseId`), or `null` when GraphQL has none. */
  id: number | null;
  url: string;
  createdAt: string;
  authorAssociation: string;
  /** Written by the token's own identity (`viewerDidAuthor`, or the author is `viewerLogin`): only these comments' markers are trusted. */
  byViewer: boolean;
}

/** A label added or removed by someone, from the timeline. */
export interface LedgerLabelEvent {
  action: 'labeled' | 'unlabeled';
  label: string;
  actor: LedgerUser | null;
  at: string;
}

/** What {@link ledgerFactsFromGraphql} returns: facts for `buildLedger`, in plain data. */
export interface GraphqlLedgerFacts extends LedgerFacts {
  issue: LedgerIssueFact & { body: string; createdAt: string };
  /** First 100 and last 100 comments (and any middle ones {@link readMiddleComments} added), each once, in that order. */
  comments: LedgerGraphqlCommentFact[];
  /** More comments exist than were read (more than 200, and the middle ones were not read). */
  commentsTruncated: boolean;
  reactions: LedgerReactionFact[];
  /** Issues marked as duplicates of this one and not unmarked, and issues closed as duplicates that reference it. */
  duplicates: LedgerIssueFact[];
  /** Other cross-references (issues, and pull requests flagged `isPullRequest`). */
  crossReferences: LedgerCrossReferenceFact[];
  /** Label changes, oldest first. */
  labelEvents: LedgerLabelEvent[];
  /** The issue this one was marked a duplicate of (the latest `MarkedAsDuplicateEvent` naming it the duplicate, not undone), or `null`. */
  duplicateOf: LedgerIssueFact | null;
  /** How many 👍 the issue has in all (`totalCount`; more than `reactions` holds when not every page was read). */
  thumbsUp: number;
}

function toUser(a: LedgerGraphqlActor | undefined): LedgerUser | null {
  if (!a) return null;
  const type = isBotNodeId(a.id) ? 'Bot' : a.__typename;
  return { login: a.login, ...(type ? { type } : {}) };
}

function issueRef(ref: LedgerGraphqlIssueRef | null | undefined, home: string): LedgerIssueFact | null {
  if (!ref || (ref.__typename !== undefined && ref.__typename !== 'Issue') || typeof ref.number !== 'number' || !ref.url) return null;
  const repo = ref.repository?.nameWithOwner;
  return {
    number: ref.number,
    url: ref.url,
    author: toUser(ref.author),
    ...(ref.createdAt ? { createdAt: ref.createdAt } : {}),
    ...(repo && repo.toLowerCase() !== home.toLowerCase() ? { repository: repo } : {}),
  };
}

const at = (item: LedgerGraphqlTimelineItem): number => {
  const t = item.createdAt ? Date.parse(item.createdAt) : NaN;
  return Number.isNaN(t) ? 0 : t;
};

/**
 * Turns an issue selected with `...UserloopLedgerIssue` ({@link LEDGER_ISSUE_FRAGMENT}) into ledger facts.
 * Pure. `home` is the repository read (`owner/name`): issues of other repositories get `repository`.
 * `viewerLogin`, when given, also marks comments whose author is that identity (see `isAuthoredBy`) as the
 * viewer's. Duplicates: `MarkedAsDuplicateEvent`s naming this issue canonical (undone by
 * `UnmarkedAsDuplicateEvent`), and issues closed as duplicates whose cross-reference points here; marking
 * this issue a duplicate of another adds nobody.
 */
export function ledgerFactsFromGraphql(node: LedgerIssueNode, options: { home: string; viewerLogin?: string }): GraphqlLedgerFacts {
  const { home, viewerLogin } = options;
  const seen = new Set<string>();
  const comments: LedgerGraphqlCommentFact[] = [];
  for (const c of [...compact(node.firstComments?.nodes), ...compact(node.lastComments?.nodes)]) {
    const key = c.databaseId !== null ? String(c.databaseId) : c.url;
    if (seen.has(key)) continue;
    seen.add(key);
    const author = toUser(c.author);
    comments.push({
      id: c.databaseId === null ? null : Number(c.databaseId),
      url: c.url,
      body: c.body ?? '',
      createdAt: c.createdAt,
      author,
      authorAssociation: c.authorAssociation ?? 'NONE',
      byViewer: c.viewerDidAuthor === true || (viewerLogin !== undefined && isAuthoredBy(c.author, viewerLogin)),
    });
  }

  const isThis = (ref: LedgerIssueFact | null): boolean => ref !== null && ref.number === node.number && !ref.repository;
  const labelEvents: LedgerLabelEvent[] = [];
  const dupes = new Map<string, LedgerIssueFact>();
  const crossReferences: LedgerCrossReferenceFact[] = [];
  let duplicateOf: LedgerIssueFact | null = null;
  const items = compact(node.timelineItems?.nodes)
    .slice()
    .sort((a, b) => at(a) - at(b));
  for (const item of items) {
    if (item.__typename === 'LabeledEvent' || item.__typename === 'UnlabeledEvent') {
      if (!item.label) continue;
      labelEvents.push({
        action: item.__typename === 'LabeledEvent' ? 'labeled' : 'unlabeled',
        label: item.label.name,
        actor: toUser(item.actor),
        at: item.createdAt ?? '',
      });
    } else if (item.__typename === 'MarkedAsDuplicateEvent' || item.__typename === 'UnmarkedAsDuplicateEvent') {
      const canonical = issueRef(item.canonical, home);
      const duplicate = issueRef(item.duplicate, home);
      if (isThis(duplicate) && canonical && !isThis(canonical)) {
        if (item.__typename === 'MarkedAsDuplicateEvent') duplicateOf = canonical;
        else if (duplicateOf?.url === canonical.url) duplicateOf = null;
        continue;
      }
      if (!isThis(canonical) || !duplicate || isThis(duplicate)) continue;
      if (item.__typename === 'MarkedAsDuplicateEvent') dupes.set(duplicate.url, duplicate);
      else dupes.delete(duplicate.url);
    } else if (item.__typename === 'CrossReferencedEvent') {
      const source = item.source;
      if (!source?.url || typeof source.number !== 'number') continue;
      if (source.__typename === 'Issue' && source.stateReason === 'DUPLICATE') {
        // Closed as a duplicate and pointing here (how GitHub shows "marked as duplicate" on this side).
        const ref = issueRef(source, home);
        if (ref && !isThis(ref)) dupes.set(ref.url, ref);
        continue;
      }
      const sourceRepo = source.repository?.nameWithOwner;
      const other = sourceRepo && sourceRepo.toLowerCase() !== home.toLowerCase() ? sourceRepo : undefined;
      crossReferences.push({
        url: source.url,
        number: source.number,
        ...(other ? { repository: other } : {}),
        ...(source.__typename === 'PullRequest' ? { isPullRequest: true } : {}),
      });
    }
  }

  return {
    issue: { number: node.number, url: node.url, author: toUser(node.author), body: node.body ?? '', createdAt: node.createdAt },
    comments,
    commentsTruncated: (node.firstComments?.totalCount ?? 0) > comments.length,
    reactions: compact(node.reactions?.nodes).map((r) => ({ user: toUser(r.user), content: 'THUMBS_UP', createdAt: r.createdAt })),
    duplicates: [...dupes.values()],
    crossReferences,
    labelEvents,
    duplicateOf,
    thumbsUp: Math.max(node.reactions?.totalCount ?? 0, compact(node.reactions?.nodes).length),
  };
}

/** The query of {@link readMiddleComments}: one page of an issue's comments, read as `UserloopLedgerComment`. */
export const LEDGER_COMMENTS_PAGE_QUERY = /* GraphQL */ `
  query UserloopLedgerComments($owner: String!, $name: String!, $number: Int!, $first: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      issue(number: $number) {
        comments(first: $first, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            ...UserloopLedgerComment
          }
        }
      }
    }
  }
  ${LEDGER_COMMENT_FRAGMENT}
`;

interface CommentsPage {
  repository: {
    issue: {
      comments: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: (LedgerGraphqlComment | null)[] | null } | null;
    } | null;
  } | null;
}

const commentKey = (c: LedgerGraphqlComment): string => (c.databaseId !== null ? String(c.databaseId) : c.url);

/**
 * Reads the comments {@link LEDGER_ISSUE_FRAGMENT} skips on a long thread (those between the first 100 and
 * the last 100), so a "+1" in the middle of a 500-comment issue still makes its author a requester. Pages
 * `comments(first: 100, after:)` from the first page's `endCursor` with {@link LEDGER_COMMENTS_PAGE_QUERY}
 * and stops where the last 100 begin: one query per 100 missing comments (none when nothing is missing).
 *
 * Returns the node with the middle comments appended to `firstComments.nodes` (in order), so
 * {@link ledgerFactsFromGraphql} reads every comment once and reports `commentsTruncated: false`, and the
 * number of queries made. Call it only when the facts say `commentsTruncated` and nothing else (a trusted
 * ledger marker) already covers the middle.
 *
 * @param graphql - the GraphQL client (`octokit.graphql`)
 * @param options - the repository (`owner`, `repo`) and the issue as read with the fragment (`node`)
 */
export async function readMiddleComments<T extends LedgerIssueNode>(
  graphql: GraphqlClient,
  options: { owner: string; repo: string; node: T },
): Promise<{ node: T; queries: number }> {
  const { node } = options;
  const first = compact(node.firstComments?.nodes);
  const last = compact(node.lastComments?.nodes);
  const known = new Set(first.map(commentKey));
  const lastKeys = new Set(last.map(commentKey).filter((k) => !known.has(k)));
  let missing = (node.firstComments?.totalCount ?? 0) - known.size - lastKeys.size;
  if (missing <= 0) return { node, queries: 0 };
  const middle: LedgerGraphqlComment[] = [];
  // Without the first page's cursor (a read made without it), start over: the first page is then read again.
  let after = node.firstComments?.pageInfo ? node.firstComments.pageInfo.endCursor : null;
  let queries = 0;
  for (;;) {
    const data = await graphql<CommentsPage>(LEDGER_COMMENTS_PAGE_QUERY, {
      owner: options.owner,
      name: options.repo,
      number: node.number,
      first: Math.min(100, Math.max(missing, 1)),
      after,
    });
    queries += 1;
    const page = data.repository?.issue?.comments;
    let reachedLast = false;
    for (const c of compact(page?.nodes)) {
      const key = commentKey(c);
      if (lastKeys.has(key)) {
        reachedLast = true;
        break;
      }
      if (known.has(key)) continue;
      known.add(key);
      middle.push(c);
      missing -= 1;
    }
    if (reachedLast || missing <= 0 || !page?.pageInfo.hasNextPage || !page.pageInfo.endCursor || page.pageInfo.endCursor === after) break;
    after = page.pageInfo.endCursor;
  }
  const firstComments = node.firstComments ?? { totalCount: 0, nodes: [] };
  return { node: { ...node, firstComments: { ...firstComments, nodes: [...first, ...middle] } }, queries };
}

/** The query of {@link readMoreReactions}: one page of an issue's 👍 reactions after a cursor. */
export const LEDGER_REACTIONS_PAGE_QUERY = /* GraphQL */ `
  query UserloopLedgerReactions($owner: String!, $name: String!, $number: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      issue(number: $number) {
        reactions(first: 100, after: $after, content: THUMBS_UP) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            ...UserloopLedgerReaction
          }
        }
      }
    }
  }
  ${LEDGER_REACTION_FRAGMENT}
`;

interface ReactionsPage {
  repository: {
    issue: {
      reactions: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({ createdAt: string; user: LedgerGraphqlActor } | null)[] | null;
      } | null;
    } | null;
  } | null;
}

/** Most pages {@link readMoreReactions} reads by default (100 👍 each, after the fragment's first 100). */
export const MAX_REACTION_PAGES = 20;

/**
 * Reads the 👍 reactions {@link LEDGER_ISSUE_FRAGMENT} leaves out (it reads the first 100), so the 101st
 * person to react is a requester too. Pages `reactions(first: 100, after:)` from the fragment's `endCursor`
 * with {@link LEDGER_REACTIONS_PAGE_QUERY}: one query (1 point) per 100 more, at most `maxPages`
 * ({@link MAX_REACTION_PAGES}); reactors beyond that are counted (`thumbsUp`) but not named. Call it only
 * when nothing else covers them (a ledger marker that saw the same `totalCount` already names them).
 *
 * Returns the node with the reactions appended, the number of queries, and whether every page was read.
 *
 * @param graphql - the GraphQL client (`octokit.graphql`)
 * @param options - the repository (`owner`, `repo`), the issue as read with the fragment (`node`), `maxPages`
 */
export async function readMoreReactions<T extends LedgerIssueNode>(
  graphql: GraphqlClient,
  options: { owner: string; repo: string; node: T; maxPages?: number },
): Promise<{ node: T; queries: number; complete: boolean }> {
  const { node } = options;
  const reactions = node.reactions;
  const nodes = compact(reactions?.nodes);
  if (!reactions || (reactions.totalCount ?? 0) <= nodes.length || !reactions.pageInfo?.hasNextPage) {
    return { node, queries: 0, complete: true };
  }
  const maxPages = options.maxPages ?? MAX_REACTION_PAGES;
  let after = reactions.pageInfo.endCursor;
  let queries = 0;
  let complete = false;
  while (queries < maxPages) {
    const data = await graphql<ReactionsPage>(LEDGER_REACTIONS_PAGE_QUERY, { owner: options.owner, name: options.repo, number: node.number, after });
    queries += 1;
    const page = data.repository?.issue?.reactions;
    nodes.push(...compact(page?.nodes));
    if (!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor || page.pageInfo.endCursor === after) {
      complete = true;
      break;
    }
    after = page.pageInfo.endCursor;
  }
  return { node: { ...node, reactions: { ...reactions, nodes, pageInfo: { hasNextPage: !complete, endCursor: after } } }, queries, complete };
}
