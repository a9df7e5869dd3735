// The scheduled sweep (`schedule`, `workflow_dispatch`): a 👍 fires no webhook event and a duplicate closed by
// a workflow's token fires no workflow, so nothing re-evaluates an issue they change. The sweep reads every
// open issue in pages of 100 with only what tells a change (the 👍 count, the count of duplicate and
// cross-reference timeline items, and the first and last comments, where our reply and the counts it saw are), and
// re-evaluates only the issues whose counts differ from what their reply saw.
import { type GraphqlClient, isBot } from '@userloop/core';
import type { PrioritizeResult } from './main.ts';
import { readOpenIssues } from './read.ts';

/** Most issues one sweep re-evaluates (each costs a GraphQL read and up to three writes); the rest wait for the next sweep. */
const MAX_SWEEP_EVALUATIONS = 50;

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
  repository: { owner: string; repo: string; bots: readonly string[] },
  deps: { graphql: GraphqlClient; info: (message: string) => void; warning: (message: string) => void },
  evaluateOne: (number: number) => Promise<PrioritizeResult>,
): Promise<SweepResult> {
  const { info, warning } = deps;
  const result: SweepResult = { open: 0, pages: 0, unevaluated: 0, bots: 0, changed: [], evaluated: [], written: [], deferred: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const page = await readOpenIssues(deps.graphql, { owner: repository.owner, repo: repository.repo, after });
    result.pages += 1;
    for (const issue of page.issues) {
      result.open += 1;
      if (issue.author && isBot(issue.author, repository.bots)) {
        result.bots += 1;
        continue;
      }
      if (!issue.replied) {
        result.unevaluated += 1;
        continue;
      }
      const seen = issue.seen;
      if (!seen || seen.thumbsUp !== issue.thumbsUp || seen.duplicateEvents !== issue.duplicateEvents) result.changed.push(issue.number);
    }
    if (!page.hasNextPage || !page.endCursor || page.endCursor === after) break;
    after = page.endCursor;
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
