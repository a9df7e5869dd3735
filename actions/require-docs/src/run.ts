// The action's boundary: inputs, event, config and client in; outputs, job summary and the step's status out.
import * as core from '@actions/core';
import {
  appendSummary,
  createOctokit,
  input,
  loadConfig,
  readContext,
  readInputs,
  requireValidConfig,
  runAction,
  setOutputs,
  z,
} from '@userloop/core';
import { main } from './main.ts';

const inputsSchema = z.object({
  token: z.string(),
  'config-path': z.string().default('.github/userloop.yml'),
  comment: input.boolean().default(true),
  'pull-request': input.integer(1).optional(),
});

const EVENTS = ['pull_request', 'pull_request_target'];

/**
 * The pull request a merge group was made for, from its branch: GitHub names it
 * `gh-readonly-queue/<base branch>/pr-<number>-<head sha>` (the base may hold slashes). `null` otherwise.
 */
export function mergeGroupPullRequest(headRef: string | undefined | null): number | null {
  const m = /^(?:refs\/heads\/)?gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{7,64}$/.exec(headRef ?? '');
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** What to check: a pull request, with the commit its config is read from, and where it came from. */
type Target =
  | { kind: 'pull-request'; number: number; base: string | null; comment: boolean; via: 'event' | 'input' | 'merge-group'; group?: string }
  | { kind: 'pass'; reason: string };

function targetOf(context: ReturnType<typeof readContext>, inputs: { comment: boolean; 'pull-request'?: number | undefined }): Target {
  const given = inputs['pull-request'];
  if (given !== undefined) return { kind: 'pull-request', number: given, base: null, comment: inputs.comment, via: 'input' };
  const pull = context.payload.pull_request;
  if (EVENTS.includes(context.eventName) && pull) {
    return { kind: 'pull-request', number: pull.number, base: pull.base.sha, comment: inputs.comment, via: 'event' };
  }
  if (context.eventName === 'merge_group') {
    const group = (context.payload as { merge_group?: { head_ref?: string; base_sha?: string } }).merge_group;
    const number = mergeGroupPullRequest(group?.head_ref);
    if (number === null) {
      return {
        kind: 'pass',
        reason: `The merge group's branch \`${group?.head_ref ?? '(none)'}\` names no pull request (GitHub names it \`gh-readonly-queue/<base>/pr-<number>-<sha>\`), so there is nothing to check here: the pull request's own check decided before it joined the queue.`,
      };
    }
    // The queue checks what will merge: the pull request as it is now, against the queue's base. The
    // sticky comment is left as the pull request's own check wrote it.
    return { kind: 'pull-request', number, base: group?.base_sha ?? null, comment: false, via: 'merge-group', group: group?.head_ref ?? '' };
  }
  throw new Error(
    `require-docs runs on pull_request, pull_request_target or merge_group events, or with the \`pull-request\` input (a workflow_dispatch for a pull request a workflow opened); this run is a "${context.eventName}" event.`,
  );
}

export async function run(): Promise<boolean> {
  return runAction(async () => {
    const inputs = readInputs(inputsSchema);
    const context = readContext();
    const target = targetOf(context, inputs);
    if (target.kind === 'pass') {
      setOutputs({ 'is-feature': false, passed: true, missing: '', skipped: false, 'skip-reason': '', 'comment-id': '' });
      await appendSummary(`## ✅ Docs check: nothing to check in the merge queue\n\n${target.reason}\n`);
      core.warning(target.reason, { title: 'require-docs' });
      return;
    }
    const { owner, repo } = context.repo;
    const octokit = createOctokit({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl });
    // The pull request named by the input: its base commit, where the config is read from.
    const base = target.base ?? (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: target.number })).data.base.sha;
    // The config comes from the base branch through the API: a pull request cannot relax its own
    // rules, and nothing of the pull request's code is ever read from disk.
    const config = requireValidConfig(
      await loadConfig({ octokit, owner, repo, ref: base, path: inputs['config-path'] }),
    )['require-docs'];
    const result = await main({ owner, repo, pullNumber: target.number, config, comment: target.comment }, { octokit });
    const e = result.evaluation;
    setOutputs({
      'is-feature': e.isFeature,
      passed: e.passed,
      missing: e.missing.join(','),
      skipped: e.skipped,
      'skip-reason': e.skipReason,
      'comment-id': 'id' in result.comment ? result.comment.id : '',
    });
    const where =
      target.via === 'merge-group'
        ? `> Merge queue: checked #${target.number}, the pull request of the merge group \`${target.group}\`, as it is now (its comment is left as its own check wrote it).\n\n`
        : target.via === 'input'
          ? `> Checked #${target.number}, named by the \`pull-request\` input.\n\n`
          : '';
    await appendSummary(`${where}${result.summary}`);
    for (const notice of e.notices) core.notice(notice, { title: 'require-docs' });
    // Thrown after outputs and summary are written: the boundary fails the step, so it can be a required check.
    if (!e.passed) throw new Error(`require-docs: missing ${e.missing.join(', ')}. See the job summary for what to do.`);
  });
}
