// The action's boundary: inputs, event, config and client in; outputs, job summary and annotations out.
import * as core from '@actions/core';
import {
  actionInputs,
  appendSummary,
  input,
  ledgerOptionsFromConfig,
  loadConfig,
  PACED_WRITES_THROTTLE,
  requireValidConfig,
  runAction,
  setOutputs,
  startAction,
} from '@userloop/core';
import { main } from './main.ts';
import { renderAnnotations } from './render.ts';
import { eventTrigger } from './trigger.ts';
import { pacing } from './writer.ts';

const inputsSchema = actionInputs({
  tag: input.text().optional(),
  'webhook-url': input.text().optional(),
  'dry-run': input.boolean().default(false),
});

/** Runs the action: never fails for a notice that could not be delivered; fails on bad config or permissions. */
export async function run(): Promise<boolean> {
  return runAction(async () => {
    const { inputs, context, octokit } = startAction(inputsSchema, { throttle: PACED_WRITES_THROTTLE });
    if (inputs['webhook-url']) core.setSecret(inputs['webhook-url']);
    const { owner, repo } = context.repo;
    const config = requireValidConfig(await loadConfig({ octokit, owner, repo, workspace: context.workspace, path: inputs['config-path'] }));
    const trigger = await eventTrigger(context, inputs.tag, octokit, process.env);
    const result = await main(
      {
        owner,
        repo,
        serverUrl: context.serverUrl,
        trigger,
        config: config['notify-requesters'],
        usageHeadings: config['require-docs']['how-to-use'].headings,
        bots: config.bots,
        ledger: ledgerOptionsFromConfig(config),
        areas: config.areas,
        ...(inputs['webhook-url'] ? { webhookUrl: inputs['webhook-url'] } : {}),
        dryRun: inputs['dry-run'],
      },
      { octokit, ...pacing(process.env) },
    );
    setOutputs({
      'notified-issues': result.notifiedIssues,
      'notified-people': result.notifiedPeople.length,
      skipped: result.skipped.length,
      'docs-review-issue': result.docsReview.number ?? '',
    });
    await appendSummary(result.summary);
    const annotate = { notice: core.notice, warning: core.warning, info: core.info };
    for (const { level, message } of renderAnnotations(result)) annotate[level](message);
  });
}
