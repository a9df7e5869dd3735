// The one GraphQL read of an event: the issue with labels, comments (first and last 100), 👍 reactions,
// the timeline events the ledger and the label pin need, the priority labels, the token's login, and, on
// `opened`, one page of recent open issues for the duplicate check.
import type { LedgerCommentFact, LedgerCrossReferenceFact, LedgerIssueFact, LedgerReactionFact, LedgerUser } from '@userloop/core';

export const PRIORITIZE_QUERY = /* GraphQL */ `
  query Prioritize($owner: String!, $repo: String!, $number: Int!, $withRecent: Boolean!, $fix: String!, $high: String!, $low: String!) {
    viewer {
      login
    }
    repository(owner: $owner, name: $repo) {
      nameWithOwner
      fixLabel: label(name: $fix) {
        name
      }
      highLabel: label(name: $high) {
        name
      }
      lowLabel: label(name: $low) {
        name
      }
      issue(number: $number) {
        number
        url
        title
        body
        createdAt
        state
        stateReason
        authorAssociation
        author {
          __typename
          login
        }
        labels(first: 100) {
          nodes {
            name
          }
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
            ...PrioritizeComment
          }
        }
        lastComments: comments(last: 100) {
          nodes {
            ...PrioritizeComment
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
                ...PrioritizeIssueRef
              }
              duplicate {
                ...PrioritizeIssueRef
              }
            }
            ... on UnmarkedAsDuplicateEvent {
              createdAt
              canonical {
                ...PrioritizeIssueRef
              }
              duplicate {
                ...PrioritizeIssueRef
              }
            }
            ... on CrossReferencedEvent {
              createdAt
              source {
                __typename
                ...PrioritizeIssueRef
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
      recentIssues: issues(first: 100, states: OPEN, orderBy: { field: CREATED_AT, direction: DESC }) @include(if: $withRecent) {
        nodes {
          number
          title
          body
          url
        }
      }
    }
  }

  fragment PrioritizeComment on IssueComment {
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

  fragment PrioritizeIssueRef on IssueOrPullRequest {
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

type Actor = { __typename?: string; login: string } | null;
interface RawComment {
  databaseId: number | null;
  url: string;
  body: string;
  createdAt: string;
  authorAssociation: string;
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
type RawTimelineItem =
  | { __typename: 'LabeledEvent' | 'UnlabeledEvent'; createdAt: string; actor: Actor; label: { name: string } }
  | { __typename: 'MarkedAsDuplicateEvent' | 'UnmarkedAsDuplicateEvent'; createdAt: string; canonical: RawIssueRef | null; duplicate: RawIssueRef | null }
  | { __typename: 'CrossReferencedEvent'; createdAt: string; source: RawIssueRef | null }
  | { __typename: string };

/** The raw response of `PRIORITIZE_QUERY` (only what is read). */
export interface PrioritizeQueryResult {
  viewer: { login: string };
  repository: {
    nameWithOwner: string;
    fixLabel: { name: string } | null;
    highLabel: { name: string } | null;
    lowLabel: { name: string } | null;
    issue: {
      number: number;
      url: string;
      title: string;
      body: string;
      createdAt: string;
      state: string;
      stateReason: string | null;
      authorAssociation: string;
      author: Actor;
      labels: { nodes: ({ name: string } | null)[] | null } | null;
      reactions: { totalCount: number; nodes: ({ createdAt: string; user: Actor } | null)[] | null };
      firstComments: { totalCount: number; nodes: (RawComment | null)[] | null };
      lastComments: { nodes: (RawComment | null)[] | null };
      timelineItems: { nodes: (RawTimelineItem | null)[] | null };
    } | null;
    recentIssues?: { nodes: ({ number: number; title: string; body: string; url: string } | null)[] | null };
  } | null;
}

/** A comment as the action uses it. */
export interface CommentRead extends LedgerCommentFact {
  id: number | null;
  authorAssociation: string;
  byViewer: boolean;
}

/** A label change by someone, oldest first. */
export interface LabelEventRead {
  action: 'labeled' | 'unlabeled';
  label: string;
  actor: LedgerUser | null;
  at: string;
}

/** The read, in plain data. */
export interface IssueRead {
  viewerLogin: string;
  repository: string;
  existingLabels: string[];
  issue: LedgerIssueFact & { title: string; state: string; stateReason: string | null; authorAssociation: string };
  labels: string[];
  comments: CommentRead[];
  /** More comments exist than the read saw (first 100 + last 100). */
  commentsTruncated: boolean;
  reactions: LedgerReactionFact[];
  labelEvents: LabelEventRead[];
  duplicates: LedgerIssueFact[];
  crossReferences: LedgerCrossReferenceFact[];
  recentIssues: { number: number; title: string; body: string; url: string }[];
}

const user = (a: Actor | undefined): LedgerUser | null => (a ? { login: a.login, ...(a.__typename ? { type: a.__typename } : {}) } : null);

function compact<T>(nodes: (T | null)[] | null | undefined): T[] {
  return (nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}

function issueRef(ref: RawIssueRef | null | undefined, home: string): LedgerIssueFact | null {
  if (!ref || ref.__typename === 'PullRequest' || typeof ref.number !== 'number' || !ref.url) return null;
  const repo = ref.repository?.nameWithOwner;
  return {
    number: ref.number,
    url: ref.url,
    author: user(ref.author),
    ...(ref.createdAt ? { createdAt: ref.createdAt } : {}),
    ...(repo && repo.toLowerCase() !== home.toLowerCase() ? { repository: repo } : {}),
  };
}

/** Turns the raw response into plain data. Throws when the repository or issue is missing. */
export function normalizeRead(raw: PrioritizeQueryResult, issueNumber: number): IssueRead {
  const repo = raw.repository;
  if (!repo) throw new Error('The repository was not found or the token cannot read it.');
  const issue = repo.issue;
  if (!issue) throw new Error(`Issue #${issueNumber} was not found (or it is a pull request).`);
  const home = repo.nameWithOwner;

  const seen = new Set<string>();
  const comments: CommentRead[] = [];
  for (const c of [...compact(issue.firstComments.nodes), ...compact(issue.lastComments.nodes)]) {
    const key = c.databaseId !== null ? String(c.databaseId) : c.url;
    if (seen.has(key)) continue;
    seen.add(key);
    const author = user(c.author);
    comments.push({
      id: c.databaseId,
      url: c.url,
      body: c.body ?? '',
      createdAt: c.createdAt,
      author,
      authorAssociation: c.authorAssociation,
      byViewer: c.viewerDidAuthor === true || (author !== null && author.login.toLowerCase() === raw.viewer.login.toLowerCase()),
    });
  }

  const labelEvents: LabelEventRead[] = [];
  const dupes = new Map<string, LedgerIssueFact>();
  const crossReferences: LedgerCrossReferenceFact[] = [];
  const items = compact(issue.timelineItems.nodes).slice().sort((a, b) => {
    const ta = 'createdAt' in a ? Date.parse(a.createdAt) : 0;
    const tb = 'createdAt' in b ? Date.parse(b.createdAt) : 0;
    return ta - tb;
  });
  for (const item of items) {
    if ((item.__typename === 'LabeledEvent' || item.__typename === 'UnlabeledEvent') && 'label' in item) {
      labelEvents.push({
        action: item.__typename === 'LabeledEvent' ? 'labeled' : 'unlabeled',
        label: item.label.name,
        actor: user(item.actor),
        at: item.createdAt,
      });
    } else if ((item.__typename === 'MarkedAsDuplicateEvent' || item.__typename === 'UnmarkedAsDuplicateEvent') && 'canonical' in item) {
      const canonical = issueRef(item.canonical, home);
      const duplicate = issueRef(item.duplicate, home);
      // Only events where this issue is the canonical one add people; marking this issue a duplicate of another does not.
      const isThis = canonical !== null && canonical.number === issue.number && !canonical.repository;
      if (!isThis || !duplicate || (duplicate.number === issue.number && !duplicate.repository)) continue;
      if (item.__typename === 'MarkedAsDuplicateEvent') dupes.set(duplicate.url, duplicate);
      else dupes.delete(duplicate.url);
    } else if (item.__typename === 'CrossReferencedEvent' && 'source' in item) {
      const source = item.source;
      if (!source?.url || typeof source.number !== 'number') continue;
      const sourceRepo = source.repository?.nameWithOwner;
      const other = sourceRepo && sourceRepo.toLowerCase() !== home.toLowerCase() ? sourceRepo : undefined;
      if (source.__typename === 'Issue' && source.stateReason === 'DUPLICATE') {
        // Closed as a duplicate and pointing here: its author asked for the same thing.
        const ref = issueRef(source, home);
        if (ref && !(ref.number === issue.number && !ref.repository)) dupes.set(ref.url, ref);
        continue;
      }
      crossReferences.push({
        url: source.url,
        number: source.number,
        ...(other ? { repository: other } : {}),
        ...(source.__typename === 'PullRequest' ? { isPullRequest: true } : {}),
      });
    }
  }

  return {
    viewerLogin: raw.viewer.login,
    repository: home,
    existingLabels: [repo.fixLabel, repo.highLabel, repo.lowLabel].filter((l): l is { name: string } => l !== null).map((l) => l.name),
    issue: {
      number: issue.number,
      url: issue.url,
      title: issue.title,
      body: issue.body ?? '',
      createdAt: issue.createdAt,
      author: user(issue.author),
      state: issue.state,
      stateReason: issue.stateReason,
      authorAssociation: issue.authorAssociation,
    },
    labels: compact(issue.labels?.nodes).map((l) => l.name),
    comments,
    commentsTruncated: issue.firstComments.totalCount > comments.length,
    reactions: compact(issue.reactions.nodes).map((r) => ({ user: user(r.user), content: 'THUMBS_UP', createdAt: r.createdAt })),
    labelEvents,
    duplicates: [...dupes.values()],
    crossReferences,
    recentIssues: compact(repo.recentIssues?.nodes),
  };
}
