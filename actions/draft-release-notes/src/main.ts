// The flow of draft-release-notes: which branch and commit the event names, then read the releases and the
// range by ancestry, build the notes, place them in the one draft, and write it.
import {
  type EventContext,
  extractUsageSnippet,
  RELEASE_BODY_LIMIT,
  type SupportedEvents,
  unsupportedEvent,
} from '@userloop/core';
import { buildNotes } from './build.ts';
import { emptiedDraft, placeNotes, sortDrafts, type DesiredRelease } from './draft-region.ts';
import { writeDraft } from './draft-write.ts';
import { readRange, readReleases, trustedLogin } from './read.ts';
import { draftKey, findOwnDrafts, planRelease, publishedVersions, renderDraftMarker, selectBaseRelease } from './releases.ts';
import { cutPointer, emptyRangeMessage, keptDraftLine, notice, renderNotes, renderSummary } from './render.ts';
import type { MainDeps, MainInput, MainResult, Skip } from './types.ts';

/**
 * The events this action drafts on: a push to a branch, a merged pull request (the `closed` event), and
 * a manual run. Anything else (`watch`, `issues`, `release`, …) gets a notice and a clean exit.
 */
const HANDLED: SupportedEvents = {
  push: [],
  pull_request: ['closed'],
  pull_request_target: ['closed'],
  workflow_dispatch: [],
};

const branchOf = (ref: string): string | null => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null);

/**
 * Where the release is drafted from, by event, or why this event has nothing to draft (`skip`): an event
 * not in {@link HANDLED}, a tag push or a branch deletion, a pull request closed without merge, and a push
 * or merge to another branch than the `branch` input (when set). Without the input, the event's branch
 * gets its own draft (a maintenance branch keeps its own; the workflow's `branches:` filter picks them).
 */
export function resolveTarget(
  context: Pick<EventContext, 'eventName' | 'action' | 'payload' | 'ref' | 'sha'>,
  inputs: { target?: string | undefined; branch?: string | undefined },
): { target: string; branch: string; skip?: undefined } | { skip: Skip } {
  const unsupported = unsupportedEvent(context, HANDLED, 'draft-release-notes');
  if (unsupported !== null) return { skip: { kind: 'event', notice: unsupported } };
  const payload = context.payload;
  const wanted = inputs.branch;
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const pr = payload.pull_request;
    if (!pr?.merged) return { skip: { kind: 'not-merged' } };
    if (wanted !== undefined && pr.base.ref !== wanted) return { skip: { kind: 'other-branch', via: 'pull-request', branch: pr.base.ref, wanted } };
    const branch = wanted ?? pr.base.ref;
    return { branch, target: inputs.target ?? `refs/heads/${branch}` };
  }
  if (context.eventName === 'push') {
    const pushed = typeof payload['ref'] === 'string' ? payload['ref'] : context.ref;
    if (pushed.startsWith('refs/tags/')) return { skip: { kind: 'tag', tag: pushed.slice('refs/tags/'.length) } };
    const pushedBranch = branchOf(pushed);
    if (pushedBranch === null) return { skip: { kind: 'not-a-branch', ref: pushed } };
    if (payload['deleted'] === true) return { skip: { kind: 'deleted', branch: pushedBranch } };
    if (wanted !== undefined && pushedBranch !== wanted) return { skip: { kind: 'other-branch', via: 'push', branch: pushedBranch, wanted } };
  }
  const refBranch = branchOf(context.ref);
  const branch = wanted ?? refBranch ?? payload.repository?.default_branch ?? 'main';
  const target = inputs.target ?? (refBranch === branch && context.sha ? context.sha : `refs/heads/${branch}`);
  return { branch, target };
}

const ACTION = { create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'deleted', none: 'none' } as const;

/**
 * Drafts (or refreshes) the release notes of `target` and upserts the one draft release: one REST read of
 * the releases, about ceil(commits/74) + ceil(PRs/50) + ceil(closed issues/50) GraphQL queries of 1 point
 * each, and at most one write.
 */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const { owner, repo, config } = input;
  const { octokit } = deps;
  const prefix = config['tag-prefix'];
  const notices: string[] = [];

  // The last release of the branch, and this action's draft for its key.
  const releases = await readReleases(octokit, owner, repo);
  const base = selectBaseRelease(releases, prefix, input.branch);
  const baseTag = base?.release.tag_name ?? null;
  const key = draftKey(prefix, config.paths, input.maintenanceBranch ? input.branch : null);
  const drafts = findOwnDrafts(releases, key);
  const { existing, duplicates, edited } = sortDrafts(drafts);
  if (existing && duplicates.length > 0) notices.push(notice.duplicates(drafts.length, key, existing.html_url));
  for (const d of edited) if (existing) notices.push(notice.editedDuplicate(d.html_url, existing.html_url));

  // The range, its pull requests and the issues they close; then the notes.
  const read = await readRange(octokit, { owner, repo, target: input.target, baseTag, config });
  if (read.range.truncated) notices.push(notice.truncatedRange(config['max-commits'], baseTag));
  const built = buildNotes({
    config,
    bots: input.bots ?? [],
    owner,
    repo,
    serverUrl: input.serverUrl,
    pullRequests: read.pullRequests,
    keywordIssues: read.keywordIssues,
    identity: trustedLogin(input.botLogin, read),
    base: base ? { tag: base.release.tag_name, version: base.version } : null,
    published: publishedVersions(releases, prefix),
    snippet: (body) => extractUsageSnippet(body, input.usageHeadings, { demoteTo: 5 }),
    usageHeading: input.usageHeadings[0] ?? 'How to use',
    marker: renderDraftMarker(key),
  });

  // The notes are the bot's region of the draft: a maintainer's text around them and the name they chose stay.
  const fullBody = built.model ? renderNotes(built.model) : '';
  const release = built.model && built.tag && built.name ? { tag: built.tag, name: built.name } : null;
  const placed = release ? placeNotes(existing, fullBody, release.name, RELEASE_BODY_LIMIT, cutPointer(input.runUrl)) : null;
  if (existing && release && placed && placed.name !== release.name) notices.push(notice.renamed(placed.name, release.tag));
  // Nothing left to release: a draft a maintainer edited is kept, the bot's part emptied (never deleted).
  const emptied = !placed && existing ? emptiedDraft(existing, renderDraftMarker(key), keptDraftLine(baseTag)) : null;
  if (existing && emptied) notices.push(notice.emptied(existing.html_url));
  const desired: DesiredRelease | null =
    release && placed
      ? { tag_name: release.tag, name: placed.name, body: placed.body, prerelease: config.prerelease !== '', target_commitish: input.branch ?? read.range.targetOid }
      : emptied;

  const plan = planRelease(existing, desired);
  const dryRun = input.dryRun ?? false;
  const written = dryRun ? null : await writeDraft({ octokit, owner, repo, key, plan, duplicates });
  const gone = plan.action === 'delete' || plan.action === 'none';
  const releaseUrl = gone ? null : (written?.html_url ?? existing?.html_url ?? null);
  // A run that lost the race to create the draft left the other run's draft as it is.
  if (written?.lostRace) notices.push(notice.lostRace(releaseUrl));
  if (!built.model && !emptied) notices.push(emptyRangeMessage(baseTag, read.range.targetOid));

  const result: MainResult = {
    action: written?.lostRace ? 'unchanged' : ACTION[plan.action],
    dryRun,
    version: built.version,
    tagName: built.tag,
    releaseId: gone ? null : (written?.id ?? existing?.id ?? null),
    releaseUrl,
    body: desired?.body ?? '',
    fullBody,
    truncated: placed?.truncated ?? false,
    baseTag,
    commits: read.range.commits.length,
    pullRequests: read.range.pullRequests.length,
    needsSnippet: built.needsSnippet,
    graphqlQueries: read.queries,
    summary: '',
    notices,
  };
  result.summary = renderSummary(result, built);
  return result;
}
