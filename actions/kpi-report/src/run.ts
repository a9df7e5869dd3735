// The action's boundary: inputs, event, client and config in; `main`; then the outputs and the job summary.
import * as core from '@actions/core';
import { actionInputs, appendSummary, input, loadConfig, requireValidConfig, runAction, setOutputs, startAction } from '@userloop/core';
import { main } from './main.ts';
import { jobSummary } from './render.ts';

const inputsSchema = actionInputs({
  period: input.choice(['week', 'month']).default('week'),
  repositories: input.list().optional(),
  mode: input.choice(['report', 'collect', 'render']).default('report'),
  'as-of': input.date().optional(),
  'snapshot-path': input.text().optional(),
  'data-path': input.text().optional(),
  'data-dir': input.text().optional(),
  post: input.boolean().default(true),
  'bot-login': input.text().optional(),
  'max-points': input.integer(1).optional(),
});

/** Reads the inputs, runs `main`, writes outputs and the job summary. */
export async function run(): Promise<boolean> {
  return runAction(async () => {
    const { inputs, context, octokit } = startAction(inputsSchema);
    const { owner, repo } = context.repo;
    const repository = `${owner}/${repo}`;
    const config = requireValidConfig(
      await loadConfig({ octokit, owner, repo, workspace: context.workspace, path: inputs['config-path'] }),
    );
    const result = await main(
      {
        repository,
        repositories: inputs.repositories?.length ? inputs.repositories : [repository],
        mode: inputs.mode,
        period: inputs.period,
        asOf: inputs['as-of'] ?? null,
        snapshotPath: inputs['snapshot-path'] ?? null,
        ...(inputs['max-points'] !== undefined ? { maxPoints: inputs['max-points'] } : {}),
        dataPath: inputs['data-path'] ?? null,
        dataDir: inputs['data-dir'] ?? null,
        post: inputs.post,
        botLogin: inputs['bot-login'] ?? null,
        config,
        workspace: context.workspace,
      },
      { octokit, log: (m) => core.info(m), warn: (m) => core.warning(m) },
    );
    setOutputs({
      period: result.period,
      'issue-number': result.post?.issueNumber ?? '',
      'issue-url': result.post?.issueUrl ?? '',
      'issue-action': result.post?.issue ?? '',
      'data-path': inputs['data-path'] ?? '',
      'items-read': result.stats.reduce((n, s) => n + s.issuesRead + s.pullsRead, 0),
      queries: result.stats.reduce((n, s) => n + s.calls, 0),
      points: result.stats.reduce((n, s) => n + s.points, 0),
      complete: result.complete,
    });
    await appendSummary(jobSummary(result.period, result.stats, result.summary, result.complete));
  });
}
