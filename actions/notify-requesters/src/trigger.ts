// Which release or issue a run is about: the `tag` input, or the event (a release published, an issue
// assigned, a pull request opened), with the two checks that need a read: whether the workflow's other run
// of a pair GitHub sends does the work, and whether a work-started event is a maintainer's act.
import {
  canWrite,
  type EventContext,
  type EventSubscription,
  isEvent,
  isForkPullRequest,
  type Octokit,
  readPermission,
  readWorkflowSubscription,
  type ReleaseInfo,
  subscribesTo,
  type SupportedEvents,
  unsupportedEvent,
} from '@userloop/core';
import type { Trigger } from './types.ts';

/** The events this action handles (any event with the `tag` input notifies about that release). */
const HANDLED: SupportedEvents = {
  release: ['published', 'released', 'prereleased'],
  issues: ['assigned'],
  pull_request: ['opened'],
  pull_request_target: ['opened'],
  workflow_dispatch: [],
};

/**
 * The tag the `tag` input names: trimmed, `refs/tags/` dropped (so `${{ github.ref }}` of a tag push
 * works); empty for none. A branch or pull request ref is an error naming the input.
 */
function tagFromInput(value: string | undefined): string {
  const tag = (value ?? '').trim().replace(/^refs\/tags\//, '');
  if (/^refs\//.test(tag)) {
    throw new Error(
      `The \`tag\` input is "${tag}", a ref that is not a tag. Pass the release's tag, e.g. \`v1.2.0\` or \`\${{ github.ref_name }}\` in a job run by a tag push.`,
    );
  }
  if (/\s/.test(tag)) throw new Error(`The \`tag\` input is "${tag}": a tag has no spaces. Pass one tag, e.g. \`v1.2.0\`.`);
  return tag;
}

/**
 * Whether deciding a `release` event needs the workflow's own subscription (see `triggerOf`): a full
 * release's `published` (GitHub sends `released` with it) and `prereleased` (sent with `published`).
 */
function needsSubscription(context: Pick<EventContext, 'eventName' | 'action' | 'payload'>, tagInput: string | undefined): boolean {
  if (tagFromInput(tagInput) !== '' || context.eventName !== 'release' || !context.payload.release) return false;
  return (context.action === 'published' && context.payload.release.prerelease !== true) || context.action === 'prereleased';
}

/**
 * Decides what an event asks for. `tagInput` is the `tag` input (a step of a release workflow,
 * workflow_dispatch, or any event to backfill). `subscription` is the running workflow's `on: release`
 * (core's `readWorkflowSubscription`; `null` when unknown).
 *
 * One publish, one run: GitHub sends `published` and `released` for a full release, `published` and
 * `prereleased` for a pre-release (not `prereleased` when a draft is published), and only `released` when
 * a pre-release is promoted. So `released` always notifies; `published` notifies a pre-release, and a full
 * release only when the workflow does not also listen to `released`; `prereleased` notifies only when the
 * workflow does not listen to `published`. When the subscription is unknown every event notifies: the
 * notices' markers and the keep-one rule still make the second run write nothing.
 */
export function triggerOf(
  context: Pick<EventContext, 'eventName' | 'action' | 'payload'>,
  tagInput: string | undefined,
  isFork = false,
  subscription: EventSubscription | null = null,
): Trigger {
  const tag = tagFromInput(tagInput);
  if (tag) return { kind: 'release', tag, release: null };
  const p = context.payload;
  if (context.eventName === 'release') {
    if (!p.release) return { kind: 'none', reason: 'The release event has no release.' };
    if (!isEvent(context, 'release', 'published', 'released', 'prereleased')) {
      return { kind: 'none', reason: `Nothing to do on release ${context.action ?? ''}: notices go out when a release is published (published, released).` };
    }
    const release = p.release as ReleaseInfo;
    if (subscription && context.action === 'published' && !release.prerelease && subscribesTo(subscription, 'released')) {
      return {
        kind: 'none',
        reason: `${release.tag_name} is a full release: the \`released\` run GitHub started with this one tells everyone (this workflow listens to both), so this run does nothing.`,
      };
    }
    if (subscription && context.action === 'prereleased' && subscribesTo(subscription, 'published')) {
      return { kind: 'none', reason: `${release.tag_name}: the \`published\` run GitHub started with this one handles the pre-release, so this run does nothing.` };
    }
    return { kind: 'release', tag: release.tag_name, release };
  }
  if (context.eventName === 'issues') {
    if (context.action !== 'assigned') return { kind: 'none', reason: `Nothing to do on issues ${context.action ?? ''}: the work-started notice goes out on assigned.` };
    if (!p.issue || p.issue.pull_request) return { kind: 'none', reason: 'Assigned a pull request, not an issue: nothing to do.' };
    const assignee = (p as { assignee?: { login?: string } | null }).assignee?.login ?? null;
    return { kind: 'issue-assigned', issue: p.issue.number, assignee, ...(p.sender?.login ? { sender: p.sender.login } : {}) };
  }
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    if (context.action !== 'opened') return { kind: 'none', reason: `Nothing to do on pull_request ${context.action ?? ''}: the work-started notice goes out on opened.` };
    if (!p.pull_request) return { kind: 'none', reason: 'The event has no pull request.' };
    // A fork's pull request is anyone's: on `pull_request_target` it even runs with a token that can write.
    // Only a branch of this repository counts (and only its opener's write access, see `trustedTrigger`).
    if (isFork) {
      return { kind: 'none', reason: 'A pull request from a fork does not start the work-started notice: it goes out when a maintainer assigns the issue.' };
    }
    return {
      kind: 'pull-request-opened',
      pullRequest: p.pull_request.number,
      author: p.pull_request.user?.login ?? null,
      title: p.pull_request.title,
      body: p.pull_request.body,
      ...(p.sender?.login ? { sender: p.sender.login } : {}),
    };
  }
  if (context.eventName === 'workflow_dispatch') return { kind: 'none', reason: 'Run with the `tag` input to notify about a release.' };
  if (context.eventName === 'push' || context.eventName === 'workflow_run' || context.eventName === 'schedule') {
    return {
      kind: 'none',
      reason: `Nothing to do on ${context.eventName} without the \`tag\` input: in a release workflow, pass the tag it published (e.g. \`tag: \${{ steps.release.outputs.tag_name }}\`).`,
    };
  }
  return { kind: 'none', reason: unsupportedEvent(context, HANDLED, 'notify-requesters') ?? `Nothing to do on ${context.eventName}.` };
}

/**
 * Keeps a work-started trigger only when it is a maintainer's act: the person who made the event (the
 * payload's `sender`: who assigned, who opened the pull request) has write access to the repository
 * (`admin` or `write`, which covers the maintain role), read with one request
 * (`GET /repos/{owner}/{repo}/collaborators/{username}/permission`, which any token may make). The payload's
 * `author_association` is not used: MEMBER and COLLABORATOR include people with read or triage access only,
 * and an assignment carries no association for the person who assigned. An app (`…[bot]`), an unknown user
 * (404) or a failed read counts as no write access, so nobody is pinged on a stranger's act. Any other
 * trigger is returned as it is.
 *
 * @returns the trigger, or a `none` trigger whose reason says who lacked write access
 */
async function trustedTrigger(trigger: Trigger, octokit: Pick<Octokit, 'request'>, repository: { owner: string; repo: string }): Promise<Trigger> {
  if (trigger.kind !== 'issue-assigned' && trigger.kind !== 'pull-request-opened') return trigger;
  const act = trigger.kind === 'issue-assigned' ? `assigning #${trigger.issue}` : `opening #${trigger.pullRequest}`;
  const who = trigger.sender;
  if (!who) return { kind: 'none', reason: `The event does not say who is ${act} (no sender): no work-started notice.` };
  const { permission, error } = await readPermission(octokit, repository, who);
  const failure = error === null ? '' : ` (its access could not be read: ${error})`;
  if (canWrite(permission)) return trigger;
  return {
    kind: 'none',
    reason: `@${who} has ${permission === 'none' ? 'no' : permission} access to ${repository.owner}/${repository.repo}${failure}: the work-started notice goes out only when someone with write access is ${act}.`,
  };
}

/**
 * The trigger of this run: {@link triggerOf} the event and the `tag` input, reading the workflow's
 * subscription (one request, only for the events GitHub sends in pairs: does the other run of the pair do
 * the work?) from `GITHUB_WORKFLOW_REF` at `GITHUB_WORKFLOW_SHA` (else `GITHUB_SHA`), then kept only when it
 * is a maintainer's act ({@link trustedTrigger}: one request reads the sender's access).
 */
export async function eventTrigger(
  context: Pick<EventContext, 'eventName' | 'action' | 'payload' | 'repo'>,
  tagInput: string | undefined,
  octokit: Pick<Octokit, 'request'>,
  env: NodeJS.ProcessEnv,
): Promise<Trigger> {
  const { owner, repo } = context.repo;
  const subscription = needsSubscription(context, tagInput)
    ? await readWorkflowSubscription({
        octokit,
        owner,
        repo,
        workflowRef: env['GITHUB_WORKFLOW_REF'],
        sha: env['GITHUB_WORKFLOW_SHA'] || env['GITHUB_SHA'],
        event: 'release',
      })
    : null;
  return trustedTrigger(triggerOf(context, tagInput, isForkPullRequest(context), subscription), octokit, { owner, repo });
}
