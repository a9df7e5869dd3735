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
  unsupportedEvent,
  z,
  type EventContext,
  type SupportedEvents,
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

/**
 * The events this action drafts on: a push to a branch, a merged pull request (the `closed` event), and
 * a manual run. Anything else (`watch`, `issues`, `release`, …) gets a notice and a clean exit.
 */
export const HANDLED: SupportedEvents = {
  push: [],
  pull_request: ['closed'],
  pull_request_target: ['closed'],
  workflow_dispatch: [],
};

/**
 * Where the release is drafted from, by event, or why this event has nothing to draft (`skip`): an event
 * not in {@link HANDLED}, a tag push or a branch deletion, a pull request closed without merge, and a push
 * or merge to another branch than the `branch` input (when set). Without the input, the event's branch
 * gets its own draft (a maintenance branch keeps its own; the workflow's `branches:` filter picks them).
 */
export function resolveTarget(context: Pick<EventContext, 'eventName' | 'action' | 'payload' | 'ref' | 'sha'>, inputs: Pick<Inputs, 'target' | 'branch'>):
  | { target: string; branch: string; skip?: undefined }
  | { skip: string } {
  const unsupported = unsupportedEvent(context, HANDLED, 'draft-release-notes');
  if (unsupported !== null) return { skip: unsupported };
  const payload = context.payload;
  const defaultBranch = payload.repository?.default_branch ?? 'main';
  const refBranch = context.ref.startsWith('refs/heads/') ? context.ref.slice('refs/heads/'.length) : null;
  const otherBranch = (branch: string) => `${branch} instead of ${inputs.branch} (the \`branch\` input): nothing to draft.`;
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const pr = payload.pull_request;
    if (!pr?.merged) return { skip: 'The pull request was closed without being merged: nothing to draft.' };
    if (inputs.branch !== undefined && pr.base.ref !== inputs.branch) return { skip: `A pull request merged into ${otherBranch(pr.base.ref)}` };
    const branch = inputs.branch ?? pr.base.ref;
    return { branch, target: inputs.target ?? `refs/heads/${branch}` };
  }
  if (context.eventName === 'push') {
    const pushed = typeof payload['ref'] === 'string' ? payload['ref'] : context.ref;
    if (pushed.startsWith('refs/tags/')) return { skip: `A tag push (${pushed.slice('refs/tags/'.length)}): drafts follow branches, nothing to draft.` };
    if (!pushed.startsWith('refs/heads/')) return { skip: `A push to ${pushed || 'an unknown ref'}, not to a branch: nothing to draft.` };
    const pushedBranch = pushed.slice('refs/heads/'.length);
    if (payload['deleted'] === true) return { skip: `The branch ${pushedBranch} was deleted: nothing to draft.` };
    if (inputs.branch !== undefined && pushedBranch !== inputs.branch) return { skip: `A push to ${otherBranch(pushedBranch)}` };
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
