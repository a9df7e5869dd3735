// The one write of require-docs: the sticky pull request comment, kept through core's upsertComment.
import { errorMessage, findMarkedComment, httpStatus, neutraliseMentions, upsertComment, type IssueComment } from '@userloop/core';
import type { Octokit, RequireDocsConfig } from '@userloop/core';
import type { Evaluation } from './evaluate.ts';
import { MARKER, markerData, renderComment, type CommentOutcome } from './render.ts';

/** The pull request the comment is kept on, and whether to keep it (input `comment`). */
export interface CommentTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  config: RequireDocsConfig;
  comment: boolean;
}

/** What the read found: the token's login and its sticky comment (`undefined`: past the comments read). */
export interface CommentRead {
  login: string;
  existing: IssueComment | null | undefined;
}

/**
 * Keeps the sticky comment: created or updated while a rule fails or the pull request is skipped
 * (so the skip is on record), otherwise only an existing comment is updated ("all set"). Drafts and
 * `comment: false` write nothing. A read-only token (fork pull requests) is reported, not thrown.
 */
export async function keepComment(octokit: Octokit, target: CommentTarget, e: Evaluation, read: CommentRead): Promise<CommentOutcome> {
  if (!target.comment) return { action: 'none', reason: 'the `comment` input is false' };
  if (e.outcome === 'draft') return { action: 'none', reason: 'drafts get no comment' };
  const { owner, repo, pullNumber } = target;
  try {
    const needed = (e.outcome === 'checked' && !e.passed) || e.outcome === 'skipped';
    const { login } = read;
    const existing = read.existing === undefined ? ((await findMarkedComment(octokit, { owner, repo, issueNumber: pullNumber, marker: MARKER, login })) ?? null) : read.existing;
    if (!needed && !existing) return { action: 'none', reason: 'nothing to ask for' };
    const body = neutraliseMentions(renderComment(e, target.config));
    const result = await upsertComment({ octokit, owner, repo, issueNumber: pullNumber, marker: MARKER, markerData: markerData(e), body, botLogin: login, existing });
    return { action: result.action, id: result.id, url: result.url };
  } catch (error: unknown) {
    if (httpStatus(error) !== 403) throw error;
    return { action: 'denied', reason: errorMessage(error) };
  }
}
