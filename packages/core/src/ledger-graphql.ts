/**
 * The GraphQL side of the ledger: one fragment every action spreads into its issue read, and the one
 * function that turns what it returns into {@link LedgerFacts} (comments, 👍 reactions, duplicates,
 * cross-references) plus the label events `prioritize` pins on. `prioritize` and `notify-requesters` both
 * use it, so the two cannot read the same issue into different ledgers.
 */
import { isAuthoredBy } from './identity.ts';
import type { LedgerCommentFact, LedgerCrossReferenceFact, LedgerFacts, LedgerIssueFact, LedgerReactionFact, LedgerUser } from './ledger.ts';

/** The name of the fragment in {@link LEDGER_ISSUE_FRAGMENT}: spread it as `...UserloopLedgerIssue` on an `Issue`. */
export const LEDGER_ISSUE_FRAGMENT_NAME = 'UserloopLedgerIssue';

/**
 * GraphQL fragments (`UserloopLedgerIssue` on `Issue`, with `UserloopLedgerComment` and
 * `UserloopLedgerIssueRef`) reading what {@link ledgerFactsFromGraphql} needs: the issue's author and
 * body, its 👍 reactions (first 100), its comments (first 100 and last 100), and the last 100 label,
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
      nodes {
        createdAt
        user {
          __typename
          login
        }
      }
    }
    firstComments: comments(first: 100) {
      totalCount
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

  fragment UserloopLedgerComment on IssueComment {
    databaseId
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

/** An actor as the fragment reads it. */
export type LedgerGraphqlActor = { __typename?: string; login: string } | null;

/** A comment as `UserloopLedgerComment` reads it. */
export interface LedgerGraphqlComment {
  databaseId: number | null;
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
  reactions: { totalCount?: number; nodes: ({ createdAt: string; user: LedgerGraphqlActor } | null)[] | null } | null;
  firstComments: { totalCount: number; nodes: (LedgerGraphqlComment | null)[] | null } | null;
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
  /** First 100 and last 100 comments, each once, in that order. */
  comments: LedgerGraphqlCommentFact[];
  /** More comments exist than were read (more than 200). */
  commentsTruncated: boolean;
  reactions: LedgerReactionFact[];
  /** Issues marked as duplicates of this one and not unmarked, and issues closed as duplicates that reference it. */
  duplicates: LedgerIssueFact[];
  /** Other cross-references (issues, and pull requests flagged `isPullRequest`). */
  crossReferences: LedgerCrossReferenceFact[];
  /** Label changes, oldest first. */
  labelEvents: LedgerLabelEvent[];
}

function compact<T>(nodes: readonly (T | null | undefined)[] | null | undefined): T[] {
  return (nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}

function toUser(a: LedgerGraphqlActor | undefined): LedgerUser | null {
  return a ? { login: a.login, ...(a.__typename ? { type: a.__typename } : {}) } : null;
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
      id: c.databaseId,
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
  };
}
