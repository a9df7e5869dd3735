// The action's boundary: inputs, event, config and client in; outputs, job summary and the step's status out.
import * as core from '@actions/core';
import { actionInputs, appendSummary, input, runAction, setOutputs, startAction } from '@userloop/core';
import { main, targetOf } from './main.ts';
import { readBaseSha } from './read.ts';
import { failureMessage, noPullRequestReason, renderPassSummary, renderWhere } from './render.ts';

const inputsSchema = actionInputs({
  comment: input.boolean().default(true),
  'pull-request': input.integer(1).optional(),
});

export async function run(): Promise<boolean> {
  return runAction(async () => {
    const { inputs, context, octokit } = startAction(inputsSchema);
    const target = targetOf(context, inputs);
    if (target.kind === 'pass') {
      const reason = noPullRequestReason(target.headRef);
      setOutputs({ 'is-feature': false, passed: true, missing: '', skipped: false, 'skip-reason': '', 'comment-id': '' });
      await appendSummary(renderPassSummary(reason));
      core.warning(reason, { title: 'require-docs' });
      return;
    }
    const { owner, repo } = context.repo;
    // The config comes from the base commit, read in the run's one query (for a pull request named by the
    // input, its base is read first): a pull request cannot relax its own rules, and nothing of its code is
    // ever read.
    const base = target.base ?? (await readBaseSha(octokit, owner, repo, target.number));
    const result = await main({ owner, repo, pullNumber: target.number, config: { ref: base, path: inputs['config-path'] }, comment: target.comment }, { octokit });
    const e = result.evaluation;
    setOutputs({
      'is-feature': e.isFeature,
      passed: e.passed,
      missing: e.missing.join(','),
      skipped: e.skipped,
      'skip-reason': e.skipReason,
      'comment-id': 'id' in result.comment ? result.comment.id : '',
    });
    await appendSummary(`${renderWhere(target)}${result.summary}`);
    for (const notice of e.notices) core.notice(notice, { title: 'require-docs' });
    // Thrown after outputs and summary are written: the boundary fails the step, so it can be a required check.
    if (!e.passed) throw new Error(failureMessage(e));
  });
}
