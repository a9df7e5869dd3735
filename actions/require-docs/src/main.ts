// The flow of one run: which pull request the event names, then read it and its files through the API
// (never its code), evaluate the rules, and keep the one sticky comment up to date. What tests call, with
// an Octokit pointed at the emulator.
import { type EventContext, loadConfig, type Octokit, type RequireDocsConfig, requireValidConfig, type SupportedEvents } from '@userloop/core';
import { keepComment } from './comment.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import { type ConfigAt, readPullRequest } from './read.ts';
import { commentNote, renderSummary, unsupportedEventMessage, type CommentOutcome } from './render.ts';

/** The events require-docs checks a pull request on; any event with the `pull-request` input. */
const HANDLED: SupportedEvents = { pull_request: [], pull_request_target: [], merge_group: [] };

/**
 * The pull request a merge group was made for, from its branch: GitHub names it
 * `gh-readonly-queue/<base branch>/pr-<number>-<head sha>` (the base may hold slashes). `null` otherwise.
 */
export function mergeGroupPullRequest(headRef: string | undefined | null): number | null {
  const m = /^(?:refs\/heads\/)?gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{7,64}$/.exec(headRef ?? '');
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * What to check: a pull request, with the commit its config is read from (`null`: its base, to read) and
 * where it came from; or nothing, for a merge group whose branch names no pull request.
 */
export type Target =
  | { kind: 'pull-request'; number: number; base: string | null; comment: boolean; via: 'event' | 'input' | 'merge-group'; group?: string }
  | { kind: 'pass'; headRef: string | undefined };

/** The pull request to check: the `pull-request` input, else the event's; any other event is an error. */
export function targetOf(context: Pick<EventContext, 'eventName' | 'payload'>, inputs: { comment: boolean; 'pull-request'?: number | undefined }): Target {
  const given = inputs['pull-request'];
  if (given !== undefined) return { kind: 'pull-request', number: given, base: null, comment: inputs.comment, via: 'input' };
  if (!Object.hasOwn(HANDLED, context.eventName)) throw new Error(unsupportedEventMessage(context.eventName));
  if (context.eventName === 'merge_group') {
    const group = (context.payload as { merge_group?: { head_ref?: string; base_sha?: string } }).merge_group;
    const number = mergeGroupPullRequest(group?.head_ref);
    if (number === null) return { kind: 'pass', headRef: group?.head_ref };
    // The queue checks what will merge: the pull request as it is now, against the queue's base. The
    // sticky comment is left as the pull request's own check wrote it.
    return { kind: 'pull-request', number, base: group?.base_sha ?? null, comment: false, via: 'merge-group', group: group?.head_ref ?? '' };
  }
  const pull = context.payload.pull_request;
  if (!pull) throw new Error(unsupportedEventMessage(context.eventName));
  return { kind: 'pull-request', number: pull.number, base: pull.base.sha, comment: inputs.comment, via: 'event' };
}

export interface MainInput {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The config's `require-docs` section, or where to read the file (in the run's one query; invalid: the run fails). */
  config: RequireDocsConfig | ConfigAt;
  /** Whether to keep the sticky comment (input `comment`). */
  comment: boolean;
}

export interface MainDeps {
  octokit: Octokit;
}

export interface MainResult {
  evaluation: Evaluation;
  comment: CommentOutcome;
  summary: string;
}

/** Reads the pull request, evaluates the rules, keeps the sticky comment and renders the job summary. */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const at = 'ref' in input.config ? input.config : undefined;
  const read = await readPullRequest(deps.octokit, input.owner, input.repo, input.pullNumber, at);
  // A config file GitHub's GraphQL API cut (over 512,000 bytes) is read once more, through the contents API.
  const file = at && (read.config ?? (await loadConfig({ octokit: deps.octokit, owner: input.owner, repo: input.repo, ref: at.ref, path: at.path })));
  const config = file ? requireValidConfig(file)['require-docs'] : (input.config as RequireDocsConfig);
  const evaluation = evaluate(read.facts, config);
  const comment = await keepComment(deps.octokit, { ...input, config }, evaluation, read);
  return { evaluation, comment, summary: renderSummary(evaluation, config, commentNote(comment)) };
}
