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
});

const EVENTS = ['pull_request', 'pull_request_target'];

export async function run(): Promise<boolean> {
  return runAction(async () => {
    const inputs = readInputs(inputsSchema);
    const context = readContext();
    const pull = context.payload.pull_request;
    if (!EVENTS.includes(context.eventName) || !pull) {
      throw new Error(`require-docs runs on pull_request or pull_request_target events; this run is a "${context.eventName}" event.`);
    }
    const { owner, repo } = context.repo;
    const octokit = createOctokit({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl });
    // The config comes from the base branch through the API: a pull request cannot relax its own
    // rules, and nothing of the pull request's code is ever read from disk.
    const config = requireValidConfig(
      await loadConfig({ octokit, owner, repo, ref: pull.base.sha, path: inputs['config-path'] }),
    )['require-docs'];
    const result = await main({ owner, repo, pullNumber: pull.number, config, comment: inputs.comment }, { octokit });
    const e = result.evaluation;
    setOutputs({
      'is-feature': e.isFeature,
      passed: e.passed,
      missing: e.missing.join(','),
      skipped: e.skipped,
      'skip-reason': e.skipReason,
      'comment-id': 'id' in result.comment ? result.comment.id : '',
    });
    await appendSummary(result.summary);
    for (const notice of e.notices) core.notice(notice, { title: 'require-docs' });
    // Thrown after outputs and summary are written: the boundary fails the step, so it can be a required check.
    if (!e.passed) throw new Error(`require-docs: missing ${e.missing.join(', ')}. See the job summary for what to do.`);
  });
}
