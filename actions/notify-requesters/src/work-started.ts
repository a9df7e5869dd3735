// The work-started flow: when a maintainer assigns an issue or opens a pull request that closes it, the
// people who asked for the issue are told, once per issue.
import { fetchPullRequests, type PullRequestDetails } from '@userloop/core';
import { planWorkStarted, resolvedIssues } from './plan.ts';
import { readIssues } from './read.ts';
import type { MainDeps, MainInput, MainResult, Trigger } from './types.ts';
import { keepOneNotice, postTargets, Writer } from './writer.ts';

/** The work-started notice on the assigned issue; the assignee is not told about their own work. */
export async function notifyAssigned(input: MainInput, deps: MainDeps, trigger: Extract<Trigger, { kind: 'issue-assigned' }>, result: MainResult): Promise<void> {
  const exclude = trigger.assignee ? [trigger.assignee] : [];
  await notifyWorkStarted(input, deps, [trigger.issue], { assignee: trigger.assignee, pullRequest: null, exclude }, result);
}

/** The work-started notice on every issue of this repository the opened pull request closes; its author is not told. */
export async function notifyPullRequestOpened(
  input: MainInput,
  deps: MainDeps,
  trigger: Extract<Trigger, { kind: 'pull-request-opened' }>,
  result: MainResult,
): Promise<void> {
  const graphql = deps.octokit.graphql;
  const { pullRequests, queries } = await fetchPullRequests({ graphql, owner: input.owner, repo: input.repo, numbers: [trigger.pullRequest] });
  result.graphqlQueries += queries;
  const pr = pullRequests[0] ?? { number: trigger.pullRequest, title: trigger.title, body: trigger.body ?? '', closingIssues: [] };
  const { issues } = resolvedIssues([{ ...(pr as PullRequestDetails), body: pr.body }], null, input.owner, input.repo);
  if (issues.length === 0) {
    result.notices.push(`#${trigger.pullRequest} closes no issue of this repository: no work-started notice.`);
    return;
  }
  await notifyWorkStarted(
    input,
    deps,
    issues.map((i) => i.number),
    { assignee: trigger.author, pullRequest: { number: trigger.pullRequest, title: pr.title }, exclude: trigger.author ? [trigger.author] : [] },
    result,
  );
}

/** The work-started notice on each issue, once. */
async function notifyWorkStarted(
  input: MainInput,
  deps: MainDeps,
  numbers: readonly number[],
  context: { assignee: string | null; pullRequest: { number: number; title: string } | null; exclude: string[] },
  result: MainResult,
): Promise<void> {
  const { owner, repo, config } = input;
  if (!config['work-started'].enabled) {
    result.notices.push('The work-started notice is off (notify-requesters.work-started.enabled).');
    return;
  }
  const read = await readIssues({ graphql: deps.octokit.graphql, owner, repo, numbers });
  result.graphqlQueries += read.queries;
  const plan = planWorkStarted({ numbers, issues: read.issues, config, ledger: input.ledger, bots: input.bots, ...context });
  result.skipped.push(...plan.skipped);
  result.unchanged.push(...plan.unchanged);
  const writer = new Writer(config, input.dryRun ?? false, deps);
  await keepOneNotice(await postTargets(plan.targets, writer, deps, input, result), writer, deps, input, result);
  result.writes = writer.writes;
  result.stoppedBy = writer.stoppedBy;
}
