// The one GraphQL read of an event: the issue with labels, comments (first and last 100), 👍 reactions
// (first 100, and the count), the count of duplicate and cross-reference timeline items,
// the timeline events the ledger and the label pin need, the priority labels, the token's login, and, on
// `opened`, one page of recent open issues for the duplicate check.
import {
  compact,
  LEDGER_ISSUE_FRAGMENT,
  type LedgerCrossReferenceFact,
  ledgerFactsFromGraphql,
  type LedgerGraphqlCommentFact,
  type LedgerIssueFact,
  type LedgerIssueNode,
  type LedgerLabelEvent,
  type LedgerReactionFact,
} from '@userloop/core';

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
        ...UserloopLedgerIssue
        duplicateEvents: timelineItems(itemTypes: [MARKED_AS_DUPLICATE_EVENT, UNMARKED_AS_DUPLICATE_EVENT, CROSS_REFERENCED_EVENT]) {
          totalCount
        }
        title
        state
        stateReason
        authorAssociation
        labels(first: 100) {
          nodes {
            name
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

  ${LEDGER_ISSUE_FRAGMENT}
`;

/** The raw response of `PRIORITIZE_QUERY` (only what is read). */
export interface PrioritizeQueryResult {
  viewer: { login: string };
  repository: {
    nameWithOwner: string;
    fixLabel: { name: string } | null;
    highLabel: { name: string } | null;
    lowLabel: { name: string } | null;
    issue:
      | (LedgerIssueNode & {
          title: string;
          state: string;
          stateReason: string | null;
          authorAssociation: string;
          duplicateEvents?: { totalCount: number } | null;
          labels: { nodes: ({ name: string } | null)[] | null } | null;
        })
      | null;
    recentIssues?: { nodes: ({ number: number; title: string; body: string; url: string } | null)[] | null };
  } | null;
}

/** A comment as the action uses it (core's ledger comment from the shared fragment). */
export type CommentRead = LedgerGraphqlCommentFact;

/** A label change by someone, oldest first. */
export type LabelEventRead = LedgerLabelEvent;

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
  /** The issue this one was marked a duplicate of (timeline), or `null`. */
  duplicateOf: LedgerIssueFact | null;
  /** 👍 reactions in all (`totalCount`). */
  thumbsUp: number;
  /** Duplicate and cross-reference timeline items in all (what the sweep compares). */
  duplicateEvents: number;
  recentIssues: { number: number; title: string; body: string; url: string }[];
}

/** Turns the raw response into plain data (the ledger facts through core's `ledgerFactsFromGraphql`). Throws when the repository or issue is missing. */
export function normalizeRead(raw: PrioritizeQueryResult, issueNumber: number): IssueRead {
  const repo = raw.repository;
  if (!repo) throw new Error('The repository was not found or the token cannot read it.');
  const issue = repo.issue;
  if (!issue) throw new Error(`Issue #${issueNumber} was not found (or it is a pull request).`);
  const home = repo.nameWithOwner;
  const facts = ledgerFactsFromGraphql(issue, { home, viewerLogin: raw.viewer.login });
  return {
    viewerLogin: raw.viewer.login,
    repository: home,
    existingLabels: [repo.fixLabel, repo.highLabel, repo.lowLabel].filter((l): l is { name: string } => l !== null).map((l) => l.name),
    issue: {
      ...facts.issue,
      title: issue.title,
      state: issue.state,
      stateReason: issue.stateReason,
      authorAssociation: issue.authorAssociation,
    },
    labels: compact(issue.labels?.nodes).map((l) => l.name),
    comments: facts.comments,
    commentsTruncated: facts.commentsTruncated,
    reactions: facts.reactions,
    labelEvents: facts.labelEvents,
    duplicates: facts.duplicates,
    crossReferences: facts.crossReferences,
    duplicateOf: facts.duplicateOf,
    thumbsUp: facts.thumbsUp,
    duplicateEvents: issue.duplicateEvents?.totalCount ?? 0,
    recentIssues: compact(repo.recentIssues?.nodes),
  };
}
