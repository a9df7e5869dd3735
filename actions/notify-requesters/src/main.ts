// The work of one run: the flow the trigger names (a release's notices, or the work-started notice), then
// the job summary. What tests call, with an Octokit pointed at the emulator.
import { notifyRelease } from './release.ts';
import { renderSummary } from './render.ts';
import type { MainDeps, MainInput, MainResult, Trigger } from './types.ts';
import { notifyAssigned, notifyPullRequestOpened } from './work-started.ts';

function emptyResult(kind: Trigger['kind'], dryRun: boolean): MainResult {
  return {
    trigger: kind,
    tag: null,
    notifiedIssues: [],
    notifiedPeople: [],
    unchanged: [],
    skipped: [],
    failed: [],
    left: [],
    docsReview: { action: 'none', number: null, url: null },
    announcement: null,
    stoppedBy: null,
    dryRun,
    graphqlQueries: 0,
    writes: 0,
    notices: [],
    warnings: [],
    summary: '',
  };
}

/**
 * Runs the action for one trigger (see trigger.ts for the events and the `tag` input that name one). A
 * re-run writes nothing. Never throws for a notification that could not be delivered; throws for missing
 * permissions.
 */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const trigger = input.trigger;
  const result = emptyResult(trigger.kind, input.dryRun ?? false);
  switch (trigger.kind) {
    case 'none':
      result.notices.push(trigger.reason);
      break;
    case 'release':
      await notifyRelease(input, deps, trigger, result);
      break;
    case 'issue-assigned':
      await notifyAssigned(input, deps, trigger, result);
      break;
    case 'pull-request-opened':
      await notifyPullRequestOpened(input, deps, trigger, result);
      break;
  }
  result.summary = renderSummary(result);
  return result;
}
