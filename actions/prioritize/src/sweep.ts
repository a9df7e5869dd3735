// The scheduled sweep (`schedule`, `workflow_dispatch`): a 👍 fires no webhook event and a duplicate closed by
// a workflow's token fires no workflow, so nothing re-evaluates an issue they change. The sweep reads every
// open issue in pages of 100 with only what tells a change (the 👍 count, the count of duplicate and
// cross-reference timeline items, and the first and last comments, where our reply and the counts it saw are), and
// re-evaluates only the issues whose counts differ from what their reply saw.
import { graphqlAllowing, hasMarker, isBot, PRIORITIZE_MARKER_KIND, readPrioritizeSeen } from '@userloop/core';
import type { PrioritizeDeps, PrioritizeInput, PrioritizeResult } from './main.ts';

/** Most issues one sweep re-evaluates (each costs a GraphQL read and up to three writes); the rest wait for the next sweep. */
export const MAX_SWEEP_EVALUATIONS = 50;

/** Comments read per issue, first and last, to find our reply (written on `opened`, so usually among the first). */
export const SWEEP_COMMENTS = 10;

export const SWEEP_QUERY = /* GraphQL */ `
  query PrioritizeSweep($owner: String!, $repo: String!, $after: String, $comments: Int!) {
    repository(owner: $owner, name: $repo) {
      issues(first: 100, after: $after, states: OPEN, orderBy: { field: CREATED_AT, direction: ASC }) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          number
          author {
            __typename
            login
          }
          reactions(content: THUMBS_UP) {
            totalCount
          }
          duplicateEvents: timelineItems(itemTypes: [MARKED_AS_DUPLICATE_EVENT, UNMARKED_AS_DUPLICATE_EVENT, CROSS_REFERENCED_EVENT]) {
            totalCount
          }
          comments(first: $comments) {
            nodes {
              viewerDidAuthor
              body
            }
          }
          lastComments: comments(last: $comments) {
            nodes {
              viewerDidAuthor
              body
            }
          }
        }
      }
    }
  }
`;

interface SweepPage {
  repository: {
    issues: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: ({
        number: number;
        author: { __typename?: string; login: string } | null;
        reactions: { totalCount: number } | null;
        duplicateEvents: { totalCount: number } | null;
        comments: { nodes: ({ viewerDidAuthor: boolean; body: string } | null)[] | null } | null;
        lastComments: { nodes: ({ viewerDidAuthor: boolean; body: string } | null)[] | null } | null;
      } | null)[] | null;
    };
  } | null;
}

/** What a sweep did. */
export interface SweepResult {
  /** Open issues read. */
  open: number;
  /** GraphQL pages read (100 issues each). */
  pages: number;
  /** Issues without our reply among their first or last comments (never evaluated, or a long thread: left alone). */
  unevaluated: number;
  /** Issues opened by bots (left alone). */
  bots: number;
  /** Issues whose 👍 or duplicate counts differ from what their reply saw. */
  changed: number[];
  /** Changed issues re-evaluated in this run (at most {@link MAX_SWEEP_EVALUATIONS}). */
  evaluated: number[];
  /** Re-evaluated issues whose label, reply or notice was written. */
  written: number[];
  /** Changed issues left for the next sweep (over the cap). */
  deferred: number;
  /** Issues whose re-evaluation failed (a warning each). */
  failed: number[];
}

/**
 * Reads every open issue (pages of 100: about 3 GraphQL points a page) and re-evaluates, through
 * `evaluateOne`, those whose 👍 count or duplicate timeline count differs from the `prioritize-seen`
 * marker of their reply, oldest first, at most {@link MAX_SWEEP_EVALUATIONS}. Issues never evaluated
 * (no reply) and bots' issues are left alone.
 */
export async function sweep(
  input: PrioritizeInput,
  deps: PrioritizeDeps,
  evaluateOne: (number: number) => Promise<PrioritizeResult>,
): Promise<SweepResult> {
  const info = deps.info ?? (() => {});
  const warning = deps.warning ?? info;
  const graphql = deps.octokit.graphql;
  const result: SweepResult = { open: 0, pages: 0, unevaluated: 0, bots: 0, changed: [], evaluated: [], written: [], deferred: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const page: { data: SweepPage } = await graphqlAllowing<SweepPage>(
      graphql,
      SWEEP_QUERY,
      { owner: input.owner, repo: input.repo, after, comments: SWEEP_COMMENTS },
      ['FORBIDDEN'],
    );
    result.pages += 1;
    const issues: NonNullable<SweepPage['repository']>['issues'] | undefined = page.data.repository?.issues;
    if (!issues) throw new Error(`The repository ${input.owner}/${input.repo} was not found or the token cannot read it.`);
    for (const node of issues.nodes ?? []) {
      if (!node) continue;
      result.open += 1;
      if (node.author && isBot(node.author, input.config.bots)) {
        result.bots += 1;
        continue;
      }
      // The reply is written on `opened`, so among the first comments; on an issue that had a thread before
      // prioritize was installed it is among the last ones of its first evaluation.
      const reply = [...(node.comments?.nodes ?? []), ...(node.lastComments?.nodes ?? [])].find((c) => c?.viewerDidAuthor && hasMarker(c.body, PRIORITIZE_MARKER_KIND));
      if (!reply) {
        result.unevaluated += 1;
        continue;
      }
      const seen = readPrioritizeSeen(reply.body);
      if (!seen || seen.thumbsUp !== (node.reactions?.totalCount ?? 0) || seen.duplicateEvents !== (node.duplicateEvents?.totalCount ?? 0)) {
        result.changed.push(node.number);
      }
    }
    if (!issues.pageInfo.hasNextPage || !issues.pageInfo.endCursor || issues.pageInfo.endCursor === after) break;
    after = issues.pageInfo.endCursor;
  }
  info(`Sweep: ${result.open} open issue(s) in ${result.pages} page(s); ${result.changed.length} changed since their last evaluation.`);

  const todo = result.changed.slice(0, MAX_SWEEP_EVALUATIONS);
  result.deferred = result.changed.length - todo.length;
  for (const number of todo) {
    try {
      const one = await evaluateOne(number);
      result.evaluated.push(number);
      const wrote = (one.labelAction === 'added' || one.labelAction === 'replaced') || (one.commentAction !== undefined && one.commentAction !== 'none' && one.commentAction !== 'unchanged') || one.noticeAction === 'created';
      if (wrote) result.written.push(number);
    } catch (error) {
      result.failed.push(number);
      warning(`Could not re-evaluate #${number}: ${(error as Error).message ?? String(error)}`);
      // The same cause (permissions, the budget) would fail every other issue too.
      if (result.failed.length >= 3 && result.evaluated.length === 0) throw error;
    }
  }
  if (result.deferred > 0) info(`${result.deferred} changed issue(s) left for the next sweep (at most ${MAX_SWEEP_EVALUATIONS} a run).`);
  return result;
}
