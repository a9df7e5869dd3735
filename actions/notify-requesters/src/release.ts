// The release flow: find the release and what it ships, tell everyone who asked for an issue it resolves,
// keep one notice under overlapping runs, keep the docs-review issue, announce the release once.
import {
  extractUsageSnippet,
  fetchPullRequests,
  fillTemplate,
  findReleaseRange,
  globMatcher,
  type PullRequestDetails,
  type ReleaseInfo,
  versionOf,
} from '@userloop/core';
import { keepDocsReview } from './docs-review.ts';
import { docsChanges, planReleaseNotices, resolvedIssues, selectPreviousRelease, selectRelease, shippedIssues } from './plan.ts';
import { docsReviewOf, doneAfter, nextRuns, type Progress, readProgress, renderProgress, writeBudget, WRITES_PER_HOUR } from './progress.ts';
import { docsReviewFound, docsReviewRideAlong, docsReviewSearch, type IssueRead, readIssues, readRecentComments, readReleases, type RecentComment } from './read.ts';
import { DOCS_REVIEW_MARKER, SNIPPET_HEADING_DEPTH, type NoticePullRequest, type OutsideToTell } from './render.ts';
import type { MainDeps, MainInput, MainResult, Trigger } from './types.ts';
import { announce, askedHere } from './webhook.ts';
import { keepOneNotice, postTargets, Writer } from './writer.ts';

/**
 * Tells everyone who asked for an issue resolved by the release; keeps the docs-review issue; announces.
 * Reads: one REST list of releases, about ceil(commits/74) + ceil(PRs/50) + ceil(issues/25) GraphQL
 * queries; writes: one comment per notified issue (more only past `max-mentions` people), the optional
 * label, and the docs-review issue when it changed, at most `max-writes` and GitHub's 500 an hour. A re-run
 * writes nothing, and reads only the issues the progress in the docs-review issue does not record as done.
 */
export async function notifyRelease(input: MainInput, deps: MainDeps, trigger: Extract<Trigger, { kind: 'release' }>, result: MainResult): Promise<void> {
  const { owner, repo, config } = input;
  const graphql = deps.octokit.graphql;
  const releases = await readReleases(deps.octokit, owner, repo);
  const release = selectRelease(releases, trigger.tag, trigger.release);
  if (!release) throw new Error(`No published release has the tag ${trigger.tag}. Check the \`tag\` input.`);
  result.tag = release.tag_name;
  if (release.draft) {
    result.notices.push(`${release.tag_name} is a draft: notices go out when it is published.`);
    return;
  }
  if (release.prerelease && !config.prereleases) {
    result.notices.push(`${release.tag_name} is a pre-release: set \`notify-requesters.prereleases: true\` to notify on pre-releases.`);
    return;
  }
  const tag = release.tag_name;
  const version = versionOf(tag);
  const releaseName = release.name?.trim() || tag;
  const previous = selectPreviousRelease(releases, release);

  // The range's first query also finds the release's docs-review issue, which keeps the progress of an
  // earlier run (no query of its own).
  const docsEnabled = config['docs-review'].enabled;
  const label = docsEnabled ? config['docs-review'].label : null;
  const search = docsEnabled ? docsReviewSearch(owner, repo, DOCS_REVIEW_MARKER, tag) : null;
  const range = await findReleaseRange({
    graphql,
    owner,
    repo,
    target: { tag },
    base: previous ? previous.tag_name : null,
    ...(label !== null && search !== null ? { rideAlong: docsReviewRideAlong(label, search) } : {}),
  });
  result.graphqlQueries += range.queries;
  const early = docsEnabled ? docsReviewFound(range.firstData) : { labeled: null, marked: null };
  if (range.truncated) result.warnings.push(`The release range is larger than 10,000 commits; only the newest were read.`);
  const details = await fetchPullRequests({ graphql, owner, repo, numbers: range.pullRequests.map((p) => p.number), files: docsEnabled });
  result.graphqlQueries += details.queries;

  const resolved = resolvedIssues(details.pullRequests, release.body, owner, repo);
  resolved.issues.sort((a, b) => a.number - b.number);
  for (const e of resolved.elsewhere) result.skipped.push({ issue: e, reason: 'other-repository' });
  // The progress an earlier run of this release recorded in its docs-review issue: only the issues it did
  // not record as done are read.
  const earlyDocs = docsEnabled ? docsReviewOf([...(early.labeled ?? []), ...(early.marked ?? [])], tag) : null;
  const before = earlyDocs ? readProgress(earlyDocs.body, tag) : null;
  const toRead = before ? resolved.issues.filter((i) => !before.done.has(i.number)) : resolved.issues;
  if (before) {
    const done = resolved.issues.filter((i) => before.done.has(i.number)).map((i) => i.number);
    result.unchanged.push(...done);
    result.notices.push(`An earlier run of ${tag} recorded ${done.length} of ${resolved.issues.length} issue(s) as done in the docs-review issue #${earlyDocs!.number}: this run read only the ${toRead.length} left.`);
  }
  const read = await readIssues({ graphql, owner, repo, numbers: toRead.map((i) => i.number) });
  result.graphqlQueries += read.queries;
  const shipped = shippedIssues(toRead, read.issues, previous?.published_at ?? null, tag);
  result.skipped.push(...shipped.skipped);
  const dupRead = await readIssues({ graphql, owner, repo, numbers: shipped.duplicates });
  if (shipped.duplicates.length > 0) result.graphqlQueries += dupRead.queries;

  const pullRequests = noticePullRequests(details.pullRequests, input.usageHeadings);
  const plan = planReleaseNotices({
    resolved: toRead,
    shipped: shipped.shipped,
    issues: read.issues,
    duplicates: dupRead.issues,
    pullRequests,
    release: { tag, version, releaseName, releaseUrl: release.html_url, upgradeHint: fillTemplate(config['upgrade-hint'], { version, tag, name: releaseName }) },
    config,
    ledger: input.ledger,
    bots: input.bots,
  });
  result.skipped.push(...plan.skipped);

  // Never more than GitHub's 500 writes an hour, the earlier runs of this release in the last hour included;
  // one write is kept for the docs-review issue (which records the progress) when there will be one.
  const clock = deps.now ?? Date.now;
  const budget = writeBudget(config['max-writes'], before?.runs ?? [], clock());
  const writer = new Writer(
    config,
    input.dryRun ?? false,
    deps,
    budget.writes < config['max-writes']
      ? {
          writes: budget.writes,
          reason: `GitHub's limit of ${WRITES_PER_HOUR} writes an hour (an earlier run of ${tag} made ${budget.earlier} in the last hour; re-run after ${new Date(budget.until ?? clock()).toISOString()})`,
        }
      : undefined,
  );
  if (docsEnabled && (earlyDocs || plan.outside.length > 0 || docsChanges(details.pullRequests, globMatcher(config['docs-review'].globs)).length > 0)) writer.reserve = 1;
  const created = await postTargets(plan.targets, writer, deps, input, result);
  // One read after the notices: the second look for copies an overlapping run posted, and the
  // docs-review issue of this release (the first read's, when this run posted nothing).
  const look =
    created.length > 0
      ? await readRecentComments({ graphql, owner, repo, numbers: created.map((c) => c.target.issue.number), label, search })
      : docsEnabled
        ? { comments: new Map<number, RecentComment[]>(), labeled: early.labeled, marked: early.marked, queries: 0 }
        : null;
  if (look) result.graphqlQueries += look.queries;
  // Of two runs that overlapped, the one whose first notice was kept announces the release.
  const { firstLost } = await keepOneNotice(created, writer, deps, input, result, look?.comments);
  const progress = (found: string | undefined): string =>
    progressLine({ tag, resolved: resolved.issues.map((i) => i.number), before, later: found ? readProgress(found, tag) : null, read: read.issues, result, outside: plan.outside, writes: writer.writes, now: clock() });
  const docs = await keepDocsReview(input, deps, writer, result, { release, tag, version, releaseName, pullRequests: details.pullRequests }, look, plan.outside, progress);
  if (plan.outside.length > 0) {
    const where = config['docs-review'].enabled ? ' (listed in the docs-review issue)' : '';
    result.notices.push(`${plan.outside.length} person(s) asked outside GitHub for an issue of ${tag} and get no GitHub notification: tell them where they asked${where}: ${plan.outside.slice(0, 20).map((o) => `${o.person.name} (#${o.issue})`).join(', ')}.`);
  }

  result.writes = writer.writes;
  result.stoppedBy = writer.stoppedBy;

  // The announcement: once, on the first run for this release (a re-run finds our notices and stays quiet).
  await announceRelease(input, deps, result, { release, version, releaseName, pullRequests, priorTrace: plan.priorTrace || firstLost || docs.priorTrace, outside: plan.outside });
}

/**
 * The progress marker after this run's notices: done what an earlier (or an overlapping) run recorded and
 * what this run finished; this run's writes counted when it wrote (the docs-review write included).
 */
function progressLine(o: {
  tag: string;
  resolved: number[];
  before: Progress | null;
  later: Progress | null;
  read: ReadonlyMap<number, IssueRead>;
  result: MainResult;
  outside: readonly OutsideToTell[];
  writes: number;
  now: number;
}): string {
  if (o.resolved.length === 0) return '';
  const duplicateOf = new Map<number, number>();
  for (const issue of o.read.values()) for (const d of issue.duplicates) if (!d.repository) duplicateOf.set(d.number, issue.number);
  const { done, left } = doneAfter({
    resolved: o.resolved,
    before: new Set([...(o.before?.done ?? []), ...(o.later?.done ?? [])]),
    read: [...o.read.keys()],
    duplicateOf,
    left: o.result.left,
    failed: o.result.failed,
    skipped: o.result.skipped,
    outside: o.outside,
  });
  const previous = o.later ?? o.before;
  const same = previous !== null && sameSet(previous.done, done) && sameSet(previous.left, new Set(left));
  return renderProgress(o.tag, done, left, nextRuns(previous?.runs ?? [], o.now, o.writes > 0 || !same ? o.writes + 1 : 0));
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((n) => b.has(n));
}

/** The pull requests of the release as a notice names them (with their how-to-use snippet), by number, in range order. */
function noticePullRequests(pullRequests: readonly PullRequestDetails[], usageHeadings: readonly string[]): Map<number, NoticePullRequest> {
  return new Map(
    pullRequests.map((pr) => [pr.number, { number: pr.number, title: pr.title, snippet: extractUsageSnippet(pr.body, usageHeadings, { demoteTo: SNIPPET_HEADING_DEPTH }) }]),
  );
}

/** Announces the release on the chat webhook, unless an earlier or overlapping run handled it (`priorTrace`) or it is a dry run. */
async function announceRelease(
  input: Pick<MainInput, 'webhookUrl' | 'dryRun'>,
  deps: Pick<MainDeps, 'fetch'>,
  result: MainResult,
  shipped: { release: ReleaseInfo; version: string; releaseName: string; pullRequests: ReadonlyMap<number, NoticePullRequest>; priorTrace: boolean; outside?: readonly OutsideToTell[] },
): Promise<void> {
  if (!input.webhookUrl) return;
  if (shipped.priorTrace) {
    result.announcement = { status: 'skipped', detail: 'already announced (this release was handled by an earlier or overlapping run)' };
  } else if (input.dryRun) {
    result.announcement = { status: 'skipped', detail: 'dry run' };
  } else {
    const snippets = [...shipped.pullRequests.values()].flatMap((pr) => (pr.snippet ? [{ number: pr.number, title: pr.title, snippet: pr.snippet }] : []));
    result.announcement = await announce({
      url: input.webhookUrl,
      name: shipped.releaseName,
      version: shipped.version,
      releaseUrl: shipped.release.html_url,
      snippets,
      askedBy: askedHere(input.webhookUrl, (shipped.outside ?? []).map((o) => o.person)),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    if (result.announcement.status === 'failed') result.warnings.push(`The release announcement failed: ${result.announcement.detail}`);
  }
}
