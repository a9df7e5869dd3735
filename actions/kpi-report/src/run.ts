// The action's boundary: inputs, context, config and client in; outputs, job summary and JSON out.
import * as core from '@actions/core';
import {
  appendSummary,
  createOctokit,
  fitBody,
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
  period: input.choice(['week', 'month']).default('week'),
  repositories: input.list().optional(),
  mode: input.choice(['report', 'collect', 'render']).default('report'),
  'as-of': z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date or time, e.g. 2026-11-23 or 2026-11-23T06:00:00Z')
    .optional(),
  'snapshot-path': z.string().optional(),
  'data-path': z.string().optional(),
  'data-dir': z.string().optional(),
  post: input.boolean().default(true),
  'bot-login': z.string().optional(),
  'config-path': z.string().default('.github/userloop.yml'),
});

/** Reads the inputs, runs `main`, writes outputs and the job summary. */
export async function run(): Promise<boolean> {
  return runAction(async () => {
    const inputs = readInputs(inputsSchema);
    const context = readContext();
    const { owner, repo } = context.repo;
    const repository = `${owner}/${repo}`;
    const octokit = createOctokit({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl });
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
      parts: result.parts,
      'data-path': inputs['data-path'] ?? '',
      'items-read': result.stats.reduce((n, s) => n + s.issuesRead + s.pullsRead, 0),
      queries: result.stats.reduce((n, s) => n + s.calls, 0),
    });
    if (result.markdown !== null) {
      // The job summary holds at most 1 MiB.
      await appendSummary(fitBody(result.markdown, 1_000_000).body);
    } else {
      const lines = result.stats.map((s) => `| ${s.repository} | ${s.incremental ? 'incremental' : 'full'} | ${s.issuesRead} | ${s.pullsRead} | ${s.calls} |`);
      await appendSummary(`## kpi-report: collected ${result.period}\n\n| Repository | Read | Issues | Pull requests | Queries |\n| --- | --- | --: | --: | --: |\n${lines.join('\n')}\n`);
    }
  });
}
