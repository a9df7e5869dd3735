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
  sections,
  setOutputs,
  z,
  type EventContext,
} from '@userloop/core';
import { main } from './main.ts';

const inputsSchema = z.object({
  token: z.string(),
  'config-path': z.string().default('.github/userloop.yml'),
  target: z.string().optional(),
  branch: z.string().optional(),
  'tag-prefix': z.string().optional(),
  paths: input.list().optional(),
  prerelease: z.string().optional(),
  'bot-login': z.string().optional(),
  'dry-run': input.boolean().default(false),
});

type Inputs = z.output<typeof inputsSchema>;

/** Where the release is drafted from, by event; `null` when this event has nothing to draft. */
export function resolveTarget(context: Pick<EventContext, 'eventName' | 'payload' | 'ref' | 'sha'>, inputs: Pick<Inputs, 'target' | 'branch'>):
  | { target: string; branch: string; skip?: undefined }
  | { skip: string } {
  const payload = context.payload;
  const defaultBranch = payload.repository?.default_branch ?? 'main';
  const refBranch = context.ref.startsWith('refs/heads/') ? context.ref.slice('refs/heads/'.length) : null;
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const pr = payload.pull_request;
    if (!pr?.merged) return { skip: 'The pull request was closed without being merged: nothing to draft.' };
    const branch = inputs.branch ?? pr.base.ref;
    return { branch, target: inputs.target ?? `refs/heads/${branch}` };
  }
  const branch = inputs.branch ?? refBranch ?? defaultBranch;
  const target = inputs.target ?? (refBranch === branch && context.sha ? context.sha : `refs/heads/${branch}`);
  return { branch, target };
}

export async function run(): Promise<boolean> {
  return runAction(async () => {
    const inputs = readInputs(inputsSchema);
    const context = readContext();
    const { owner, repo } = context.repo;
    const where = resolveTarget(context, inputs);
    if (where.skip !== undefined) {
      core.notice(where.skip);
      setOutputs({ result: 'skipped' });
      return;
    }
    const octokit = createOctokit({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl });
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
    const defaultBranch = context.payload.repository?.default_branch ?? where.branch;
    const result = await main(
      {
        owner,
        repo,
        target: where.target,
        branch: where.branch,
        maintenanceBranch: where.branch !== defaultBranch,
        config: parsed.data,
        usageHeadings: full['require-docs']['how-to-use'].headings,
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
    if (result.needsSnippet.length > 0) {
      core.warning(
        `Features without a usage snippet: ${result.needsSnippet.map((n) => `#${n}`).join(', ')}. Add a "${full['require-docs']['how-to-use'].headings[0] ?? 'How to use'}" section to each pull request body.`,
      );
    }
  });
}
