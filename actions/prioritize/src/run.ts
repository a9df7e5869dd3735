// The action's boundary: inputs, event and client (core's startAction), the config, main; then outputs and
// the job summary.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { actionInputs, appendSummarySection, input, loadConfig, PACED_WRITES_THROTTLE, requireValidConfig, runAction, setOutputs, startAction } from '@userloop/core';
import { main } from './main.ts';
import { renderSummary } from './render.ts';
import type { IntakeRequest } from './types.ts';

/**
 * Whether the run is the scheduled sweep: the schedule, or a `workflow_dispatch` without a request (one with
 * `request-name` is the intake, see {@link requestOf}).
 */
function isSweep(eventName: string, requestName: string): boolean {
  return eventName === 'schedule' || (eventName === 'workflow_dispatch' && requestName.trim() === '');
}

/** The intake's inputs: a request from outside GitHub (empty on every other event). */
const REQUEST_INPUTS = {
  'request-name': input.text().default(''),
  'request-place': input.text().default(''),
  'request-url': input.text().default(''),
  'request-text': input.text().default(''),
  'issue-number': input
    .text()
    .default('')
    .refine((v) => v.trim() === '' || /^[1-9]\d{0,9}$/.test(v.trim()), 'must be an issue number, such as 42'),
  'issue-title': input.text().default(''),
};

/** The request the intake inputs carry, on a dispatch with a name (`{}` otherwise: the dispatch is the sweep). */
function requestOf(inputs: { [K in keyof typeof REQUEST_INPUTS]: string }, eventName: string, sender: string | undefined): { request?: IntakeRequest } {
  if ((eventName !== 'workflow_dispatch' && eventName !== 'repository_dispatch') || inputs['request-name'].trim() === '') return {};
  const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());
  const issue = opt(inputs['issue-number']);
  const request: IntakeRequest = { name: inputs['request-name'], by: sender ?? 'github-actions[bot]' };
  const place = opt(inputs['request-place']);
  const url = opt(inputs['request-url']);
  const title = opt(inputs['issue-title']);
  const text = opt(inputs['request-text']);
  if (place) request.place = place;
  if (url) request.url = url;
  if (issue) request.issueNumber = Number(issue);
  if (title) request.issueTitle = title;
  if (text) request.text = text;
  return { request };
}

/** Runs the action inside core's error boundary. */
export async function run(): Promise<void> {
  await runAction(async () => {
    // The scheduled sweep's writes belong to its WritePacer, which stops at a rate limit and leaves the rest to
    // the next sweep; an event's reply waits out a rate limit, as GitHub asks (core's default throttle).
    const { inputs, context, octokit } = startAction(actionInputs(REQUEST_INPUTS), {
      throttle: (given, event) => (isSweep(event.eventName, given['request-name']) ? PACED_WRITES_THROTTLE : undefined),
    });
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
    // Without the file in a checkout, an issue's event reads the config inside its first query, at the event's commit.
    const path = inputs['config-path'];
    const inCheckout = context.workspace !== undefined && existsSync(resolve(context.workspace, path));
    const configAt = context.sha && !inCheckout ? { configAt: { ref: context.sha, path, ...(context.workspace ? { workspace: context.workspace } : {}) } } : {};
    const result = await main(
      {
        eventName: context.eventName,
        action: context.action,
        payload: context.payload,
        owner,
        repo,
        serverUrl: context.serverUrl,
        config,
        ...configAt,
        workspace: context.workspace,
        ...requestOf(inputs, context.eventName, context.payload.sender?.login),
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
    await appendSummarySection('prioritize', renderSummary(result));
  });
}
