// The action's edge: inputs, context, config, client; then main; then outputs and the job summary.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import {
  appendSummarySection,
  createOctokit,
  loadConfig,
  readContext,
  readInputs,
  requireValidConfig,
  runAction,
  setOutputs,
  defaultConfig,
  unsupportedEvent,
  z,
} from '@userloop/core';
import { HANDLED, main } from './main.ts';
import { summaryMarkdown } from './summary.ts';

const inputs = z.object({
  token: z.string({ error: 'a GitHub token is required (default `${{ github.token }}`)' }),
  'config-path': z.string().default('.github/userloop.yml'),
});

/** Issue form templates from the checked-out workspace (none without a checkout). */
async function readFormTemplates(workspace: string): Promise<{ path: string; text: string }[]> {
  if (!workspace) return [];
  const dir = join(workspace, '.github', 'ISSUE_TEMPLATE');
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: { path: string; text: string }[] = [];
  for (const name of names.sort()) {
    if (!/\.ya?ml$/i.test(name) || name === 'config.yml' || name === 'config.yaml') continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    if (text.length > 0 && text.length < 512 * 1024) out.push({ path: `.github/ISSUE_TEMPLATE/${name}`, text });
  }
  return out;
}

/** Runs the action inside core's error boundary. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const input = readInputs(inputs);
    const context = readContext();
    const octokit = createOctokit({ token: input.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl });
    const handled = unsupportedEvent(context, HANDLED) === null;
    // Read the config only for events we handle (saves a request on the others).
    const config = handled
      ? requireValidConfig(
          await loadConfig({
            octokit,
            owner: context.repo.owner,
            repo: context.repo.repo,
            ...(context.sha ? { ref: context.sha } : {}),
            ...(context.workspace ? { workspace: context.workspace } : {}),
            path: input['config-path'],
          }),
        )
      : defaultConfig();
    const result = await main(
      {
        eventName: context.eventName,
        action: context.action,
        payload: context.payload,
        owner: context.repo.owner,
        repo: context.repo.repo,
        serverUrl: context.serverUrl,
        config,
        formTemplates: await readFormTemplates(context.workspace),
      },
      { octokit, info: core.info, notice: core.notice, warning: core.warning },
    );
    if (result.skipped) return;
    setOutputs({
      priority: result.priority,
      previousPriority: result.previousPriority ?? '',
      changed: result.changed ?? false,
      requesters: result.requesters ?? 0,
      dueDate: result.due ?? '',
      commentId: result.commentId ?? '',
    });
    await appendSummarySection('prioritize', summaryMarkdown(result));
  });
}
