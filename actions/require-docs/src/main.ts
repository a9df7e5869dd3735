// The work of one run: read the pull request and its files through the API (never its code), evaluate,
// and keep the one sticky comment up to date. What tests call, with an Octokit pointed at the emulator.
import {
  errorMessage,
  findMarkedComment,
  httpStatus,
  neutraliseMentions,
  resolveIdentity,
  upsertComment,
} from '@userloop/core';
import type { Octokit, RequireDocsConfig } from '@userloop/core';
import { FILE_LIMIT, evaluate } from './evaluate.ts';
import type { ChangedFile, Evaluation, PullRequestFacts } from './evaluate.ts';
import { MARKER, markerData, renderComment, renderSummary } from './render.ts';

export interface MainInput {
  owner: string;
  repo: string;
  pullNumber: number;
  config: RequireDocsConfig;
  /** Whether to keep the sticky comment (input `comment`). */
  comment: boolean;
}

export interface MainDeps {
  octokit: Octokit;
}

/** What happened to the sticky comment. */
export type CommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  | { action: 'none'; reason: string }
  | { action: 'denied'; reason: string };

export interface MainResult {
  evaluation: Evaluation;
  comment: CommentOutcome;
  summary: string;
}

const PAGE = 100;

/** Reads the pull request fresh (a re-run sees today's body and labels) and its files, up to GitHub's 3,000. */
export async function readPullRequest(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<PullRequestFacts> {
  const { data: pull } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pullNumber });
  const files: ChangedFile[] = [];
  if (pull.changed_files > 0) {
    const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo, pull_number: pullNumber, per_page: PAGE });
    for await (const page of pages) {
      for (const file of page.data) files.push({ filename: file.filename, status: file.status });
      if (files.length >= FILE_LIMIT || page.data.length < PAGE) break;
    }
  }
  return {
    title: pull.title,
    body: pull.body,
    draft: pull.draft === true,
    labels: pull.labels.map((label) => label.name),
    files: files.slice(0, FILE_LIMIT),
    changedFiles: Math.max(pull.changed_files, files.length),
  };
}

/**
 * Keeps the sticky comment: created or updated while a rule fails or the pull request is skipped
 * (so the skip is on record), otherwise only an existing comment is updated ("all set"). Drafts and
 * `comment: false` write nothing. A read-only token (fork pull requests) is reported, not thrown.
 */
async function keepComment(octokit: Octokit, input: MainInput, e: Evaluation): Promise<CommentOutcome> {
  if (!input.comment) return { action: 'none', reason: 'the `comment` input is false' };
  if (e.outcome === 'draft') return { action: 'none', reason: 'drafts get no comment' };
  const { owner, repo, pullNumber } = input;
  try {
    const needed = (e.outcome === 'checked' && !e.passed) || e.outcome === 'skipped';
    if (!needed) {
      const login = await resolveIdentity(octokit);
      const existing = await findMarkedComment(octokit, { owner, repo, issueNumber: pullNumber, marker: MARKER, login });
      if (!existing) return { action: 'none', reason: 'nothing to ask for' };
    }
    const body = neutraliseMentions(renderComment(e, input.config));
    const result = await upsertComment({ octokit, owner, repo, issueNumber: pullNumber, marker: MARKER, markerData: markerData(e), body });
    return { action: result.action, id: result.id, url: result.url };
  } catch (error: unknown) {
    if (httpStatus(error) !== 403) throw error;
    return { action: 'denied', reason: errorMessage(error) };
  }
}

function commentNote(comment: CommentOutcome): string {
  switch (comment.action) {
    case 'created':
    case 'updated':
      return `The pull request comment was ${comment.action}: ${comment.url}`;
    case 'unchanged':
      return `The pull request comment is up to date: ${comment.url}`;
    case 'none':
      return '';
    case 'denied':
      return `> [!WARNING]\n> Could not comment on the pull request (${comment.reason}). A read-only token does this: a fork pull request under \`pull_request\`, or no \`pull-requests: write\` permission. This summary and the check status carry the result.`;
  }
}

/** Reads the pull request, evaluates the rules, keeps the sticky comment and renders the job summary. */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const facts = await readPullRequest(deps.octokit, input.owner, input.repo, input.pullNumber);
  const evaluation = evaluate(facts, input.config);
  const comment = await keepComment(deps.octokit, input, evaluation);
  return { evaluation, comment, summary: renderSummary(evaluation, input.config, commentNote(comment)) };
}
