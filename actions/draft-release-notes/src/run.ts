// The action's boundary: inputs, event, config and client in; outputs, job summary and the step's status out.
import * as core from '@actions/core';
import { actionInputs, appendSummary, input, loadConfig, requireValidConfig, runAction, sections, setOutputs, startAction } from '@userloop/core';
import { main, resolveTarget } from './main.ts';
import { needsSnippetWarning, skipNotice } from './render.ts';

const inputsSchema = actionInputs({
  target: input.text().optional(),
  branch: input.text().optional(),
  'tag-prefix': input.text().optional(),
  paths: input.list().optional(),
  prerelease: input.text().optional(),
  'bot-login': input.text().optional(),
  'dry-run': input.boolean().default(false),
});

export async function run(): Promise<boolean> {
  return runAction(async () => {
    const { inputs, context, octokit } = startAction(inputsSchema);
    const { owner, repo } = context.repo;
    const where = resolveTarget(context, inputs);
    if (where.skip !== undefined) {
      core.notice(skipNotice(where.skip));
      setOutputs({ result: 'skipped' });
      return;
    }
    const full = requireValidConfig(
      await loadConfig({ octokit, owner, repo, ref: where.branch, workspace: context.workspace, path: inputs['config-path'] }),
    );
    // Inputs override the section (a monorepo runs one job per package: tag-prefix + paths).
    const overrides = {
      ...full['draft-release-notes'],
      ...(inputs['tag-prefix'] !== undefined ? { 'tag-prefix': inputs['tag-prefix'] } : {}),
      ...(inputs.paths !== undefined ? { paths: inputs.paths } : {}),
      ...(inputs.prerelease !== undefined ? { prerelease: inputs.prerelease === 'false' ? '' : inputs.prerelease } : {}),
    };
    const parsed = sections['draft-release-notes'].safeParse(overrides);
    if (!parsed.success) {
      throw new Error(`Invalid tag-prefix, paths or prerelease input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const usageHeadings = full['require-docs']['how-to-use'].headings;
    const defaultBranch = context.payload.repository?.default_branch ?? where.branch;
    const result = await main(
      {
        owner,
        repo,
        target: where.target,
        branch: where.branch,
        maintenanceBranch: where.branch !== defaultBranch,
        config: parsed.data,
        usageHeadings,
        bots: full.bots,
        serverUrl: context.serverUrl,
        runUrl: context.runId ? `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}` : null,
        botLogin: inputs['bot-login'] ?? null,
        dryRun: inputs['dry-run'],
      },
      { octokit },
    );
    setOutputs({
      version: result.version ?? '',
      'tag-name': result.tagName ?? '',
      'release-id': result.releaseId ?? '',
      'release-url': result.releaseUrl ?? '',
      body: result.body,
      result: result.action,
    });
    await appendSummary(result.summary);
    for (const n of result.notices) core.notice(n);
    if (result.needsSnippet.length > 0) core.warning(needsSnippetWarning(result.needsSnippet, usageHeadings[0] ?? 'How to use'));
  });
}
