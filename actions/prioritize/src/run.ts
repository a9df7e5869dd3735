// The action's boundary: inputs, event and client (core's startAction), the config, main; then outputs and
// the job summary.
import * as core from '@actions/core';
import { actionInputs, appendSummarySection, loadConfig, PACED_WRITES_THROTTLE, requireValidConfig, runAction, setOutputs, startAction } from '@userloop/core';
import { main } from './main.ts';
import { renderSummary } from './render.ts';

/** The events that run the sweep (see main's HANDLED). */
const SWEEP_EVENTS = new Set(['schedule', 'workflow_dispatch']);

/** Runs the action inside core's error boundary. */
export async function run(): Promise<void> {
  await runAction(async () => {
    // The scheduled sweep's writes belong to its WritePacer, which stops at a rate limit and leaves the rest to
    // the next sweep; an event's reply waits out a rate limit, as GitHub asks (core's default throttle).
    const sweeping = SWEEP_EVENTS.has(process.env['GITHUB_EVENT_NAME'] ?? '');
    const { inputs, context, octokit } = startAction(actionInputs({}), sweeping ? { throttle: PACED_WRITES_THROTTLE } : {});
    const { owner, repo } = context.repo;
    const config = async () =>
      requireValidConfig(
        await loadConfig({
          octokit,
          owner,
          repo,
          ...(context.sha ? { ref: context.sha } : {}),
          ...(context.workspace ? { workspace: context.workspace } : {}),
          path: inputs['config-path'],
        }),
      );
    const result = await main(
      { eventName: context.eventName, action: context.action, payload: context.payload, owner, repo, serverUrl: context.serverUrl, config, workspace: context.workspace },
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
    await appendSummarySection('prioritize', renderSummary(result));
  });
}
