// The action's boundary: inputs, event, config and client in; outputs, job summary and the step's status out.
import * as core from '@actions/core';
import {
  appendSummary,
  createOctokit,
  type CreateOctokitOptions,
  type Octokit,
  input,
  isForkPullRequest,
  ledgerOptionsFromConfig,
  loadConfig,
  readContext,
  readInputs,
  readWorkflowSubscription,
  requireValidConfig,
  runAction,
  setOutputs,
  z,
} from '@userloop/core';
import { main, needsSubscription, triggerOf, trustedTrigger } from './main.ts';

const inputsSchema = z.object({
  token: z.string(),
  'config-path': z.string().default('.github/userloop.yml'),
  tag: z.string().optional(),
  'webhook-url': z.string().optional(),
  'dry-run': input.boolean().default(false),
});

/**
 * The client of this action. Writes go through main's `WritePacer`, which owns the write policy: the
 * throttling plugin does not retry a rate-limited write (`writeRetries: 0`), so a long `retry-after` reaches
 * the pacer at once and the run stops cleanly, with the summary of what is left, long before the job's
 * timeout; reads wait at most 60 s per rate limit.
 */
export function createNotifyOctokit(options: CreateOctokitOptions): Octokit {
  return createOctokit({ ...options, throttle: { ...options.throttle, writeRetries: 0, maxRetryAfter: 60 } });
}

/** Runs the action: never fails for a notice that could not be delivered; fails on bad config or permissions. */
export async function run(): Promise<boolean> {
  return runAction(async () => {
    const inputs = readInputs(inputsSchema);
    if (inputs['webhook-url']) core.setSecret(inputs['webhook-url']);
    const context = readContext();
    const { owner, repo } = context.repo;
    const octokit = createNotifyOctokit({ token: inputs.token, apiUrl: context.apiUrl, graphqlUrl: context.graphqlUrl });
    const config = requireValidConfig(
      await loadConfig({ octokit, owner, repo, workspace: context.workspace, path: inputs['config-path'] }),
    );
    // One request, only for the events GitHub sends in pairs: does the other run of the pair do the work?
    const subscription = needsSubscription(context, inputs.tag)
      ? await readWorkflowSubscription({
          octokit,
          owner,
          repo,
          workflowRef: process.env['GITHUB_WORKFLOW_REF'],
          sha: process.env['GITHUB_WORKFLOW_SHA'] || process.env['GITHUB_SHA'],
          event: 'release',
        })
      : null;
    // A work-started notice only from a maintainer's act: one request reads the sender's access.
    const trigger = await trustedTrigger(triggerOf(context, inputs.tag, isForkPullRequest(context), subscription), { octokit }, { owner, repo });
    const scale = Number(process.env['USERLOOP_WAIT_SCALE']);
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
      { octokit, ...(Number.isFinite(scale) && scale >= 0 && process.env['USERLOOP_WAIT_SCALE'] ? { waitScale: scale } : {}) },
    );
    setOutputs({
      'notified-issues': result.notifiedIssues,
      'notified-people': result.notifiedPeople.length,
      skipped: result.skipped.length,
      'docs-review-issue': result.docsReview.number ?? '',
    });
    await appendSummary(result.summary);
    for (const n of result.notices) core.notice(n);
    for (const w of result.warnings) core.warning(w);
    if (result.stoppedBy) core.warning(`Stopped at ${result.stoppedBy}: ${result.left.length} write(s) left. Re-run to finish; nobody is told twice.`);
    // A notice that could not be posted is a warning (never a failure): the annotation says who was not told.
    const ref = (issue: number | string) => (typeof issue === 'number' ? `#${issue}` : issue);
    for (const s of result.skipped) {
      const why = { deleted: 'deleted (410)', transferred: 'transferred to another repository (301)', 'not-found': 'not found (404: deleted, transferred or not visible to the token)' }[
        s.reason as 'deleted' | 'transferred' | 'not-found'
      ] as string | undefined;
      if (why) core.warning(`Skipped ${ref(s.issue)}: the issue is ${why}, so nobody on it was told.`);
      else core.info(`skipped ${ref(s.issue)}: ${s.reason}`);
    }
    for (const f of result.failed) core.warning(`Could not notify ${ref(f.issue)} (${f.message}). Re-run to retry it; nobody is told twice.`);
  });
}
