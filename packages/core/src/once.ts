/**
 * The race rule of every create-if-absent write (a bot comment, a draft release, a report issue).
 *
 * Two runs that overlap (GitHub sends `opened` and `labeled` of one issue form at the same moment; two
 * merges land close together) can both look, both find nothing and both create. Workflows are copied
 * without `concurrency:` groups, so the write itself has to be safe: after creating, look again, and among
 * the bot's own items for the same key keep the oldest (the lowest id or number). Every racer sees the
 * same oldest item once its own create is done, so all of them agree which one stays; each loser removes
 * only its own copy and reports the winner.
 */
import * as core from '@actions/core';
import type { Octokit } from './octokit.ts';
import { errorMessage } from './runtime.ts';
import { isGoneError } from './errors.ts';

/** What {@link keepOne} needs. */
export interface KeepOneOptions<T> {
  /** The item this run has just created. */
  created: T;
  /**
   * Lists again, after the create, the bot's own items for the same key (authored by the token's identity,
   * carrying the same marker and key). This run's `created` may or may not be in the answer.
   */
  list: () => Promise<readonly T[]>;
  /** The item's id (comments, releases) or number (issues): the lowest one wins. */
  order: (item: T) => number;
  /**
   * Removes this run's copy when another one won: DELETE for a comment or a draft release; an issue,
   * which the token cannot delete, is closed instead. A 404 or 410 (another run removed it already) is
   * tolerated by {@link keepOne}.
   */
  discard: (mine: T, winner: T) => Promise<void>;
  /** What the items are, for the log (`comment on o/r#3`). */
  what?: string;
}

/** What {@link keepOne} decided. */
export interface KeepOneResult<T> {
  /** The item that stays: `created` when this run won, else the older one. */
  kept: T;
  /** True when this run's item is the one kept. */
  won: boolean;
  /** False when the second look failed: `created` is kept and a duplicate may remain (logged as a warning). */
  checked: boolean;
}

/**
 * Settles a race after a create: lists the bot's items for the key again, keeps the oldest (lowest
 * {@link KeepOneOptions.order}), and when that is not this run's item discards this run's copy (a 404/410
 * while discarding means another run removed it: fine). Costs one read when this run won, a read and a
 * write when it lost. When the second look fails the created item is kept (a duplicate may remain, as
 * before this rule) and a warning says so, rather than failing a run whose write succeeded.
 *
 * @example
 * const { kept } = await keepOne({
 *   created: comment,
 *   list: () => listOwnMarkedComments(),
 *   order: (c) => c.id,
 *   discard: (mine) => octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: mine.id }),
 * });
 */
export async function keepOne<T>(options: KeepOneOptions<T>): Promise<KeepOneResult<T>> {
  const { created, order } = options;
  const what = options.what ?? 'item';
  let listed: readonly T[];
  try {
    listed = await options.list();
  } catch (error: unknown) {
    core.warning(`Could not look again for a duplicate ${what} written by an overlapping run (${errorMessage(error)}); keeping this run's.`);
    return { kept: created, won: true, checked: false };
  }
  let winner = created;
  for (const item of listed) if (order(item) < order(winner)) winner = item;
  if (order(winner) === order(created)) return { kept: created, won: true, checked: true };
  core.info(`An overlapping run wrote the same ${what} first (${order(winner)}); removing this run's copy (${order(created)}).`);
  try {
    await options.discard(created, winner);
  } catch (error: unknown) {
    if (!isGoneError(error)) throw error;
  }
  return { kept: winner, won: false, checked: true };
}

/**
 * The {@link KeepOneOptions.discard} of an issue: the token cannot delete one, so this run's copy is closed
 * as not planned, its labels (and with them the marker's meaning) removed, its body replaced by `body`
 * (which should point at the kept issue).
 */
export async function closeIssueCopy(
  octokit: Pick<Octokit, 'request'>,
  params: { owner: string; repo: string; issueNumber: number; body: string },
): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner: params.owner,
    repo: params.repo,
    issue_number: params.issueNumber,
    state: 'closed',
    state_reason: 'not_planned',
    labels: [],
    body: params.body,
  });
}

/** What {@link keepOneIssue} needs. */
export interface KeepOneIssueOptions<I extends { number: number }> {
  octokit: Pick<Octokit, 'request'>;
  owner: string;
  repo: string;
  /** The issue this run has just opened. */
  created: I;
  /** Lists again the bot's issues of the same key (see {@link KeepOneOptions.list}). */
  list: () => Promise<readonly I[]>;
  /** The body this run's copy is left with when another run's issue is kept: it should point at `kept`. */
  duplicateNote: (kept: I) => string;
  /** What the issue is, for the log (`report issue for 2026-W47`). */
  what: string;
}

/**
 * {@link keepOne} for an issue two overlapping runs may both have opened: the lowest number is kept, and
 * this run's copy, which the token cannot delete, is closed as not planned ({@link closeIssueCopy}).
 */
export function keepOneIssue<I extends { number: number }>(options: KeepOneIssueOptions<I>): Promise<KeepOneResult<I>> {
  const { octokit, owner, repo } = options;
  return keepOne({
    created: options.created,
    list: options.list,
    order: (issue) => issue.number,
    discard: (mine, kept) => closeIssueCopy(octokit, { owner, repo, issueNumber: mine.number, body: options.duplicateNote(kept) }),
    what: options.what,
  });
}
