// The work of one run: find who to tell, tell them (paced, resumable), keep the docs-review issue, announce.
// What tests call, with an Octokit pointed at the emulator.
import {
  type Area,
  closeIssueCopy,
  COMMENT_LIMIT,
  type EventContext,
  type EventSubscription,
  extractUsageSnippet,
  fetchPullRequests,
  fillTemplate,
  findReleaseRange,
  globMatcher,
  httpStatus,
  versionOf,
  isEvent,
  keepOne,
  type LedgerOptions,
  type NotifyRequestersConfig,
  type Octokit,
  type PullRequestDetails,
  RateLimitedError,
  RedirectedWriteError,
  regionRoom,
  replaceRegion,
  subscribesTo,
  type SupportedEvents,
  UnconfirmedWriteError,
  unsupportedEvent,
  WritePacer,
} from '@userloop/core';
import {
  checkedItems,
  docsChanges,
  DOCS_REVIEW_MARKER,
  docsReviewAssignees,
  docsReviewTag,
  isResolvedByBody,
  issueLedger,
  ownMarkers,
  planComments,
  renderDocsReview,
  renderReleaseNotice,
  renderWorkStarted,
  resolvedIssues,
  sameNotice,
  selectPreviousRelease,
  selectRecipients,
  toldAbout,
  NOTICE_MARKER,
  SNIPPET_HEADING_DEPTH,
  WORK_STARTED_MARKER,
  type NoticePullRequest,
  type PlannedComment,
  type ReleaseInfo,
} from './plan.ts';
import { docsReviewSearch, readIssues, readLabeledIssues, readRecentComments, type IssueRead, type LabeledIssue, type RecentComment } from './read.ts';
import { renderSummary } from './summary.ts';
import { announce, type AnnounceResult } from './webhook.ts';

/** The events this action handles (any event with the `tag` input notifies about that release). */
export const HANDLED: SupportedEvents = {
  release: ['published', 'released', 'prereleased'],
  issues: ['assigned'],
  pull_request: ['opened'],
  pull_request_target: ['opened'],
  workflow_dispatch: [],
};

/** What started the run. */
export type Trigger =
  | { kind: 'release'; tag: string; release: ReleaseInfo | null }
  | { kind: 'issue-assigned'; issue: number; assignee: string | null; sender?: string }
  | { kind: 'pull-request-opened'; pullRequest: number; author: string | null; title: string; body: string | null; sender?: string }
  | { kind: 'none'; reason: string };

/**
 * The tag the `tag` input names: trimmed, `refs/tags/` dropped (so `${{ github.ref }}` of a tag push
 * works); empty for none. A branch or pull request ref is an error naming the input.
 */
export function tagFromInput(value: string | undefined): string {
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
export function needsSubscription(context: Pick<EventContext, 'eventName' | 'action' | 'payload'>, tagInput: string | undefined): boolean {
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

/** The access a person has to the repository, as `GET /repos/{owner}/{repo}/collaborators/{username}/permission` says. */
export type RepositoryPermission = 'admin' | 'write' | 'read' | 'none';

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
export async function trustedTrigger(trigger: Trigger, deps: Pick<MainDeps, 'octokit'>, repository: { owner: string; repo: string }): Promise<Trigger> {
  if (trigger.kind !== 'issue-assigned' && trigger.kind !== 'pull-request-opened') return trigger;
  const act = trigger.kind === 'issue-assigned' ? `assigning #${trigger.issue}` : `opening #${trigger.pullRequest}`;
  const who = trigger.sender;
  if (!who) return { kind: 'none', reason: `The event does not say who is ${act} (no sender): no work-started notice.` };
  let permission: RepositoryPermission = 'none';
  let failure = '';
  try {
    const { data } = await deps.octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repository, username: who });
    permission = (data as { permission?: RepositoryPermission }).permission ?? 'none';
  } catch (error) {
    if (httpStatus(error) !== 404) failure = ` (its access could not be read: ${message(error)})`;
  }
  if (permission === 'admin' || permission === 'write') return trigger;
  return {
    kind: 'none',
    reason: `@${who} has ${permission === 'none' ? 'no' : permission} access to ${repository.owner}/${repository.repo}${failure}: the work-started notice goes out only when someone with write access is ${act}.`,
  };
}

export interface MainInput {
  owner: string;
  repo: string;
  /** `https://github.com` (GITHUB_SERVER_URL). */
  serverUrl: string;
  trigger: Trigger;
  config: NotifyRequestersConfig;
  /**
   * Headings of the how-to-use section: `require-docs.how-to-use.headings` of the loaded config (the one
   * setting every action reads, so the notice quotes the section require-docs checked).
   */
  usageHeadings: readonly string[];
  /** The top-level `bots` list. */
  bots: readonly string[];
  /**
   * How requesters are counted: core's `ledgerOptionsFromConfig(config)`, the options prioritize uses
   * (`prioritize.phrases.want`, `prioritize.community-hosts`, `bots`).
   */
  ledger: LedgerOptions;
  /** The ownership map (`areas`). */
  areas: readonly Area[];
  /** The chat incoming webhook to announce the release on (empty for none). */
  webhookUrl?: string;
  /** Plan and report, write nothing. */
  dryRun?: boolean;
}

export interface MainDeps {
  octokit: Pick<Octokit, 'request' | 'paginate' | 'graphql'>;
  /** Pacer clock and sleep (tests); default real time. */
  sleep?: (ms: number) => Promise<void>;
  /** Multiplies the pacer's waits (default 1). */
  waitScale?: number;
  /** `fetch` for the webhook (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Why an issue got nothing. `deleted`: GitHub answered 410 Gone; `transferred`: 301 Moved Permanently (the
 * issue lives in another repository now); `not-found`: 404, or missing from the read (deleted, transferred,
 * or not visible to the token: GitHub does not say which).
 */
export type SkipReason =
  | 'locked'
  | 'deleted'
  | 'transferred'
  | 'not-found'
  | 'opted-out'
  | 'not-resolved'
  | 'closed'
  | 'other-repository'
  | 'open'
  | 'not-completed';

/**
 * Why a resolved issue is not told about a release, read at notification time: `open` (a merge into a
 * branch other than the default one closes nothing, and an issue can be reopened), `not-completed` (closed
 * as not planned or as a duplicate); `null` when it is closed as completed. An issue closed before GitHub
 * recorded a state reason (`null`) counts as completed.
 */
export function unresolvedReason(issue: Pick<IssueRead, 'state' | 'stateReason'>): 'open' | 'not-completed' | null {
  if (issue.state !== 'CLOSED') return 'open';
  if (issue.stateReason !== null && issue.stateReason !== 'COMPLETED') return 'not-completed';
  return null;
}

export interface SkipEntry {
  issue: number | string;
  reason: SkipReason;
}
export interface FailEntry {
  issue: number;
  message: string;
}
export interface LeftEntry {
  issue: number;
  /** People still to tell (empty for a comment without mentions, or a label). */
  people: string[];
  what: 'notice' | 'label' | 'docs-review';
}

export interface MainResult {
  trigger: Trigger['kind'];
  tag: string | null;
  /** Issues that got at least one comment in this run (or would, in a dry run). */
  notifiedIssues: number[];
  /** People mentioned in this run. */
  notifiedPeople: string[];
  /** Issues already told everything (a re-run). */
  unchanged: number[];
  skipped: SkipEntry[];
  failed: FailEntry[];
  /** Left for a re-run after a rate limit or the per-run write limit. */
  left: LeftEntry[];
  docsReview: { action: 'created' | 'updated' | 'unchanged' | 'none' | 'left' | 'failed'; number: number | null; url: string | null };
  announcement: AnnounceResult | null;
  /** Why writing stopped early, if it did. */
  stoppedBy: string | null;
  dryRun: boolean;
  graphqlQueries: number;
  writes: number;
  /** Notes for the log (`core.notice`). */
  notices: string[];
  /** Problems that did not fail the step (`core.warning`). */
  warnings: string[];
  summary: string;
}

/** The token cannot write: the step fails (the only failure besides a bad config). */
export class PermissionError extends Error {
  override readonly name = 'PermissionError';
}

type WriteOutcome = { ok: true } | { ok: false; skip: SkipReason } | { ok: false; fail: string } | { ok: false; stop: string };


function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sorts a write error: locked (403), deleted (410 Gone), transferred (301, not followed: see core's
 * `RedirectedWriteError`) and not-found (404) issues are skipped; a write GitHub did not confirm (a dropped
 * connection, a 5xx) fails that issue for a re-run to finish; missing permission fails the step.
 */
export function classifyWriteError(error: unknown): WriteOutcome {
  if (error instanceof RateLimitedError) return { ok: false, stop: `GitHub's rate limit (retry after ${Math.ceil(error.retryAfterMs / 1000)} s)` };
  if (error instanceof RedirectedWriteError) return { ok: false, skip: 'transferred' };
  const s = httpStatus(error);
  const text = message(error);
  if (error instanceof UnconfirmedWriteError) return { ok: false, fail: `${s ?? 'error'}: ${text}` };
  if (s === 403 && /locked/i.test(text)) return { ok: false, skip: 'locked' };
  if (s === 301 || s === 302 || s === 307 || s === 308) return { ok: false, skip: 'transferred' };
  if (s === 410) return { ok: false, skip: 'deleted' };
  if (s === 404) return { ok: false, skip: 'not-found' };
  if (s === 401 || (s === 403 && /not accessible|permission|must have/i.test(text))) {
    throw new PermissionError(
      `The token cannot write to issues (${s}: ${text}). Give the job \`permissions: issues: write\` (and \`pull-requests: read\`, \`contents: read\`).`,
    );
  }
  return { ok: false, fail: `${s ?? 'error'}: ${text}` };
}

/** Sequential, paced writes with a per-run limit; stops everything after a rate limit. */
class Writer {
  readonly pacer: WritePacer;
  writes = 0;
  stoppedBy: string | null = null;

  constructor(
    private readonly config: NotifyRequestersConfig,
    private readonly dryRun: boolean,
    deps: MainDeps,
  ) {
    this.pacer = new WritePacer({
      minIntervalMs: config['min-interval-ms'],
      maxPerMinute: config['max-writes-per-minute'],
      maxRetries: 1,
      maxWaitMs: 60_000,
      ...(deps.waitScale !== undefined ? { waitScale: deps.waitScale } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
  }

  get stopped(): boolean {
    return this.stoppedBy !== null;
  }

  async write(fn: () => Promise<unknown>): Promise<WriteOutcome> {
    if (this.stoppedBy !== null) return { ok: false, stop: this.stoppedBy };
    if (this.writes >= this.config['max-writes']) {
      this.stoppedBy = `the limit of ${this.config['max-writes']} writes per run (max-writes)`;
      return { ok: false, stop: this.stoppedBy };
    }
    this.writes += 1;
    if (this.dryRun) return { ok: true };
    try {
      await this.pacer.run(fn);
      return { ok: true };
    } catch (error) {
      const outcome = classifyWriteError(error);
      if ('stop' in outcome) this.stoppedBy = outcome.stop;
      return outcome;
    }
  }
}

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

/** The least room the docs-review list needs in its issue (its heading and a pointer to the release). */
const DOCS_REVIEW_MIN_ROOM = 1_000;

const hasLabel = (issue: Pick<IssueRead, 'labels'>, label: string): boolean =>
  label !== '' && issue.labels.some((l) => l.toLowerCase() === label.toLowerCase());

/** One issue to comment on and the comments planned for it. */
interface Target {
  issue: IssueRead;
  comments: PlannedComment[];
  render: (c: PlannedComment) => string;
  /** Add the released label after the comments. */
  label: boolean;
  /** The marker of the notice (`notify` or `work-started`) and, for a release notice, its tag. */
  marker: string;
  tag: string | null;
}

/** A notice comment this run created. */
interface Posted {
  target: Target;
  id: number;
  body: string;
  people: string[];
}

/** Posts the planned comments of each target in order; records what happened. */
async function postTargets(
  targets: readonly Target[],
  writer: Writer,
  deps: MainDeps,
  input: Pick<MainInput, 'owner' | 'repo' | 'config'>,
  result: MainResult,
): Promise<Posted[]> {
  const { owner, repo } = input;
  const people = new Set(result.notifiedPeople.map((p) => p.toLowerCase()));
  const created: Posted[] = [];
  for (const target of targets) {
    const number = target.issue.number;
    let posted = 0;
    let done = true;
    for (const [i, planned] of target.comments.entries()) {
      const body = target.render(planned);
      const outcome = await writer.write(async () => {
        const { data } = await deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, body });
        created.push({ target, id: Number(data.id), body, people: planned.people });
      });
      if (outcome.ok) {
        posted += 1;
        for (const p of planned.people) {
          if (people.has(p.toLowerCase())) continue;
          people.add(p.toLowerCase());
          result.notifiedPeople.push(p);
        }
        continue;
      }
      done = false;
      if ('skip' in outcome) result.skipped.push({ issue: number, reason: outcome.skip });
      else if ('fail' in outcome) result.failed.push({ issue: number, message: outcome.fail });
      else for (const rest of target.comments.slice(i)) result.left.push({ issue: number, people: rest.people, what: 'notice' });
      break;
    }
    if (posted > 0) result.notifiedIssues.push(number);
    else if (target.comments.length === 0) result.unchanged.push(number);
    const label = input.config['released-label'];
    if (done && target.label && label !== '' && !hasLabel(target.issue, label)) {
      const outcome = await writer.write(() =>
        deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner, repo, issue_number: number, labels: [label] }),
      );
      if (!outcome.ok) {
        if ('stop' in outcome) result.left.push({ issue: number, people: [], what: 'label' });
        else if ('fail' in outcome) result.failed.push({ issue: number, message: `label: ${outcome.fail}` });
      }
    }
  }
  return created;
}

/**
 * The second look after this run's notices (core's `keepOne` rule): two runs that overlapped (two
 * `assigned` events, a workflow without `concurrency:`) both found nobody told and both posted. One
 * GraphQL read of the newest comments of every issue written to (100 issues per query; `recent` when the
 * caller read them already); on each, of the bot's copies of the same notice the oldest stays and this run
 * deletes its own newer copy. A loser's issue and people are not counted as notified by this run: the
 * other run told them. `firstLost`: this run's first notice was the other run's copy.
 */
async function keepOneNotice(
  created: readonly Posted[],
  writer: Writer,
  deps: MainDeps,
  input: Pick<MainInput, 'owner' | 'repo'>,
  result: MainResult,
  prefetched?: Map<number, RecentComment[]>,
): Promise<{ firstLost: boolean }> {
  if (created.length === 0) return { firstLost: false };
  const { owner, repo } = input;
  const graphql = deps.octokit.graphql;
  let recent: Map<number, RecentComment[]>;
  if (prefetched) {
    recent = prefetched;
  } else {
    try {
      const read = await readRecentComments({ graphql, owner, repo, numbers: created.map((c) => c.target.issue.number) });
      result.graphqlQueries += read.queries;
      recent = read.comments;
    } catch (error) {
      result.warnings.push(`Could not look again for notices an overlapping run posted at the same time (${message(error)}); a duplicate may remain.`);
      return { firstLost: false };
    }
  }
  const lost = new Map<number, Posted[]>();
  const won = new Map<number, Posted[]>();
  for (const mine of created) {
    const number = mine.target.issue.number;
    const copies = (recent.get(number) ?? []).flatMap((c): Posted[] => {
      if (!c.byViewer || c.id === null) return [];
      return ownMarkers([{ id: c.id, url: '', body: c.body, createdAt: '', author: null, byViewer: true }], mine.target.marker).flatMap((data) => {
        const d = data as { tag?: unknown; people?: unknown } | null;
        if (mine.target.tag !== null && d?.tag !== mine.target.tag) return [];
        const people = Array.isArray(d?.people) ? d.people.filter((p): p is string => typeof p === 'string') : [];
        return [{ target: mine.target, id: c.id!, body: c.body, people }];
      });
    });
    const settled = await keepOne<Posted>({
      created: mine,
      list: () => Promise.resolve(copies.filter((c) => c.id === mine.id || sameNotice(mine, c))),
      order: (c) => c.id,
      discard: async (copy) => {
        writer.writes += 1;
        await deps.octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: copy.id });
      },
      what: `notice on #${number}`,
    }).catch((error: unknown) => {
      result.warnings.push(`Could not remove this run's copy of a notice on #${number} that an overlapping run also posted (${message(error)}).`);
      return null;
    });
    const bucket = settled && !settled.won ? lost : won;
    bucket.set(number, [...(bucket.get(number) ?? []), mine]);
  }
  const first = created[0]!;
  const firstLost = (lost.get(first.target.issue.number) ?? []).includes(first);
  if (lost.size === 0) return { firstLost };
  // What this run reports as its own: only the notices it kept.
  const keptPeople = new Set([...won.values()].flat().flatMap((p) => p.people.map((x) => x.toLowerCase())));
  const lostPeople = new Set([...lost.values()].flat().flatMap((p) => p.people.map((x) => x.toLowerCase())));
  result.notifiedPeople = result.notifiedPeople.filter((p) => keptPeople.has(p.toLowerCase()) || !lostPeople.has(p.toLowerCase()));
  for (const number of lost.keys()) {
    if (won.has(number)) continue;
    result.notifiedIssues = result.notifiedIssues.filter((n) => n !== number);
    if (!result.unchanged.includes(number)) result.unchanged.push(number);
  }
  result.notices.push(
    `An overlapping run posted the same notice at the same time on ${[...lost.keys()].map((n) => `#${n}`).join(', ')}: its copy was kept and this run's removed, so each issue has one.`,
  );
  return { firstLost };
}

/** Tells everyone who asked for an issue resolved by the release; keeps the docs-review issue; announces. */
async function notifyRelease(input: MainInput, deps: MainDeps, trigger: Extract<Trigger, { kind: 'release' }>, result: MainResult): Promise<void> {
  const { owner, repo, config } = input;
  const graphql = deps.octokit.graphql;
  const releases = (await deps.octokit.paginate('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 })) as ReleaseInfo[];
  const release =
    (trigger.release && releases.find((r) => r.id === trigger.release!.id)) ??
    releases.find((r) => r.tag_name === trigger.tag && !r.draft) ??
    trigger.release;
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

  // The release's commit, peeled from the tag (lightweight or annotated).
  const refData = await graphql<{
    repository: { ref: { target: { __typename: string; oid?: string; target?: { oid?: string } | null } | null } | null } | null;
  }>(
    `query NotifyTag($owner: String!, $name: String!, $ref: String!) {
      repository(owner: $owner, name: $name) {
        ref(qualifiedName: $ref) { target { __typename oid ... on Tag { target { oid } } } }
      }
    }`,
    { owner, name: repo, ref: `refs/tags/${tag}` },
  );
  result.graphqlQueries += 1;
  const target = refData.repository?.ref?.target;
  const targetOid = target?.__typename === 'Tag' ? target.target?.oid : target?.oid;
  if (!targetOid) throw new Error(`The tag ${tag} of the release was not found in ${owner}/${repo}.`);

  const range = await findReleaseRange({ graphql, owner, repo, target: targetOid, base: previous ? previous.tag_name : null });
  result.graphqlQueries += range.queries;
  if (range.truncated) result.warnings.push(`The release range is larger than 10,000 commits; only the newest were read.`);
  const docsEnabled = config['docs-review'].enabled;
  const details = await fetchPullRequests({ graphql, owner, repo, numbers: range.pullRequests.map((p) => p.number), files: docsEnabled });
  result.graphqlQueries += details.queries;
  const prs = new Map<number, PullRequestDetails>(details.pullRequests.map((p) => [p.number, p]));

  const resolved = resolvedIssues(details.pullRequests, release.body, owner, repo);
  resolved.issues.sort((a, b) => a.number - b.number);
  for (const e of resolved.elsewhere) result.skipped.push({ issue: e, reason: 'other-repository' });
  const read = await readIssues({ graphql, owner, repo, numbers: resolved.issues.map((i) => i.number) });
  result.graphqlQueries += read.queries;

  const canonical = new Set<number>();
  for (const r of resolved.issues) {
    const issue = read.issues.get(r.number);
    if (!issue) {
      if (!r.fromBody) result.skipped.push({ issue: r.number, reason: 'not-found' });
      continue;
    }
    // Named only in the release body: only if it was closed since the previous release and not announced for another tag.
    if (r.fromBody && !isResolvedByBody(issue, previous?.published_at ?? null, tag)) continue;
    // Closed by a merged pull request, but told only while it is closed as completed.
    const unresolved = unresolvedReason(issue);
    if (unresolved) {
      result.skipped.push({ issue: r.number, reason: unresolved });
      continue;
    }
    canonical.add(r.number);
  }
  const dupNumbers = new Set<number>();
  for (const n of canonical) {
    for (const d of read.issues.get(n)!.duplicates) if (!d.repository && !canonical.has(d.number)) dupNumbers.add(d.number);
  }
  const dupRead = await readIssues({ graphql, owner, repo, numbers: [...dupNumbers] });
  if (dupNumbers.size > 0) result.graphqlQueries += dupRead.queries;

  const snippetOf = (body: string | null | undefined): string | null =>
    extractUsageSnippet(body, input.usageHeadings, { demoteTo: SNIPPET_HEADING_DEPTH });
  const hint = fillTemplate(config['upgrade-hint'], { version, tag, name: releaseName });
  const optOutLabel = config['opt-out'].label;
  const optedOut = config['opt-out'].logins;
  const noticePrs = (numbers: readonly number[]): NoticePullRequest[] =>
    numbers.flatMap((n) => {
      const pr = prs.get(n);
      return pr ? [{ number: n, title: pr.title, snippet: snippetOf(pr.body) }] : [];
    });

  let priorTrace = false;
  const targets: Target[] = [];
  const claimed = new Set<number>();
  for (const r of resolved.issues) {
    if (!canonical.has(r.number)) continue;
    const issue = read.issues.get(r.number)!;
    if (hasLabel(issue, optOutLabel)) {
      result.skipped.push({ issue: issue.number, reason: 'opted-out' });
      continue;
    }
    const ledger = issueLedger(issue, input.ledger);
    const dups = issue.duplicates
      .filter((d) => !d.repository && !canonical.has(d.number) && !claimed.has(d.number))
      .map((d) => dupRead.issues.get(d.number))
      .filter((d): d is IssueRead => d !== undefined);
    // Told already: anyone named by our notices about this tag on the issue or its duplicates.
    const told = new Set<string>();
    const own = toldAbout(issue.comments, tag);
    for (const t of own.told) told.add(t);
    const dupTold = new Map<number, boolean>();
    for (const d of dups) {
      const t = toldAbout(d.comments, tag);
      dupTold.set(d.number, t.noticed);
      for (const x of t.told) told.add(x);
    }
    if (own.noticed || [...dupTold.values()].some(Boolean)) priorTrace = true;
    const recipients = selectRecipients({ logins: ledger.requesters.map((q) => q.login), bots: input.bots, optedOut, told });

    // The author of a duplicate is told on the duplicate (where they asked); the rest on this issue.
    const onDup = new Map<number, string[]>();
    for (const d of dups) {
      claimed.add(d.number);
      if (d.locked) {
        result.skipped.push({ issue: d.number, reason: 'locked' });
        continue;
      }
      if (hasLabel(d, optOutLabel)) {
        result.skipped.push({ issue: d.number, reason: 'opted-out' });
        continue;
      }
      const author = d.author?.login.toLowerCase();
      onDup.set(d.number, recipients.filter((p) => p.toLowerCase() === author));
    }
    const elsewhere = new Set([...onDup.values()].flat().map((p) => p.toLowerCase()));
    const here = recipients.filter((p) => !elsewhere.has(p.toLowerCase()));

    if (issue.locked) {
      result.skipped.push({ issue: issue.number, reason: 'locked' });
    } else {
      const pulls = noticePrs(r.pullRequests);
      targets.push({
        issue,
        comments: planComments(issue.number, here, own.noticed, config['max-mentions']),
        label: true,
        marker: NOTICE_MARKER,
        tag,
        render: (c) =>
          renderReleaseNotice({ tag, version, releaseName, releaseUrl: release.html_url, upgradeHint: hint, pullRequests: pulls, people: c.people, first: c.first }),
      });
    }
    for (const d of dups) {
      const people = onDup.get(d.number);
      if (!people) continue;
      targets.push({
        issue: d,
        comments: planComments(d.number, people, dupTold.get(d.number) ?? false, config['max-mentions']),
        label: false,
        marker: NOTICE_MARKER,
        tag,
        render: (c) =>
          renderReleaseNotice({
            tag,
            version,
            releaseName,
            releaseUrl: release.html_url,
            upgradeHint: hint,
            pullRequests: [],
            duplicateOf: issue.number,
            people: c.people,
            first: c.first,
          }),
      });
    }
  }

  const writer = new Writer(config, input.dryRun ?? false, deps);
  const created = await postTargets(targets, writer, deps, input, result);
  // One read after the notices: the second look for copies an overlapping run posted, and the
  // docs-review issue of this release.
  const label = config['docs-review'].label;
  const ofThisRelease = (issues: readonly LabeledIssue[]) =>
    issues.filter((i) => i.byViewer && docsReviewTag(i.body) === tag).sort((a, b) => a.number - b.number);
  const look =
    created.length > 0 || docsEnabled
      ? await readRecentComments({
          graphql,
          owner,
          repo,
          numbers: created.map((c) => c.target.issue.number),
          label: docsEnabled ? label : null,
          search: docsEnabled ? docsReviewSearch(owner, repo, DOCS_REVIEW_MARKER, tag) : null,
        })
      : null;
  if (look) result.graphqlQueries += look.queries;
  // Of two runs that overlapped, the one whose first notice was kept announces the release.
  const { firstLost } = await keepOneNotice(created, writer, deps, input, result, look?.comments);
  if (firstLost) priorTrace = true;

  // The docs-review issue: one per release, found again by its label and marker, or by a search for its
  // marker when a person removed the label. A label removed on purpose is not put back: only the body is
  // updated. The list is the bot's region of the body: a note a person added above or below it stays.
  if (docsEnabled) {
    const changes = docsChanges(details.pullRequests, globMatcher(config['docs-review'].globs));
    // The oldest, should two have been left by overlapping runs of an older version.
    const candidates = [...(look?.labeled ?? []), ...(look?.marked ?? []).filter((m) => !(look?.labeled ?? []).some((l) => l.number === m.number))];
    const found = ofThisRelease(candidates)[0];
    if (found) priorTrace = true;
    const strip = [DOCS_REVIEW_MARKER];
    // What a person wrote around the list is kept whole; the list gets the rest of GitHub's limit.
    const room = regionRoom(found?.body, DOCS_REVIEW_MARKER, COMMENT_LIMIT, strip);
    if (found && room < DOCS_REVIEW_MIN_ROOM) {
      result.warnings.push(`The docs-review issue #${found.number} has no room left for its list: the text around it fills GitHub's ${COMMENT_LIMIT.toLocaleString('en')} characters. Shorten it and re-run.`);
    } else if (changes.length > 0 || found) {
      const list = renderDocsReview({
        tag,
        releaseName,
        releaseUrl: release.html_url,
        changes,
        checked: checkedItems(found?.body),
        limit: room,
      });
      const body = replaceRegion(found?.body, DOCS_REVIEW_MARKER, list, { strip, what: `the docs-review issue of ${tag}` }).body;
      const assignees = docsReviewAssignees(changes, input.areas, globMatcher);
      const title = fillTemplate(config['docs-review'].title, { version, tag, name: releaseName });
      if (found && found.body.replace(/\r\n/g, '\n').trimEnd() === body.trimEnd()) {
        result.docsReview = { action: 'unchanged', number: found.number, url: found.url };
      } else {
        let created: { number: number; html_url: string } | null = null;
        const write = found
          ? () => deps.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: found.number, body })
          : async () => {
              const create = (who: string[]) =>
                deps.octokit.request('POST /repos/{owner}/{repo}/issues', {
                  owner,
                  repo,
                  title,
                  body,
                  labels: [config['docs-review'].label],
                  ...(who.length > 0 ? { assignees: who } : {}),
                });
              let response;
              try {
                response = await create(assignees);
              } catch (error) {
                // An owner who cannot be assigned (no access to the repository): open it unassigned.
                if (httpStatus(error) !== 422 || assignees.length === 0 || !/assignee/i.test(message(error))) throw error;
                result.warnings.push(`Could not assign the docs-review issue to ${assignees.map((a) => `@${a}`).join(', ')}; opened it unassigned.`);
                response = await create([]);
              }
              created = { number: response.data.number, html_url: response.data.html_url };
            };
        const outcome = await writer.write(write);
        if (outcome.ok) {
          let made = created as { number: number; html_url: string } | null;
          let lost = false;
          if (made && !input.dryRun) {
            // Two runs that overlapped both found none and both opened one: keep the oldest (core's
            // keepOne). An issue cannot be deleted with this token, so the newer copy is closed as not
            // planned, without the label or the marker, pointing at the one kept.
            try {
              const settled = await keepOne<{ number: number; html_url: string }>({
                created: made,
                list: async () => {
                  result.graphqlQueries += 1;
                  return ofThisRelease(await readLabeledIssues({ graphql, owner, repo, label })).map((i) => ({ number: i.number, html_url: i.url }));
                },
                order: (i) => i.number,
                discard: async (mine, kept) => {
                  writer.writes += 1;
                  await closeIssueCopy(deps.octokit, { owner, repo, issueNumber: mine.number, body: `Opened twice by two runs at the same time: the docs review of ${tag} is #${kept.number}.` });
                },
                what: `docs-review issue of ${tag}`,
              });
              if (!settled.won) {
                made = settled.kept;
                lost = true;
                priorTrace = true;
                result.notices.push(`An overlapping run opened the docs-review issue of ${tag} at the same time: #${made.number} is kept, this run's copy is closed.`);
              }
            } catch (error) {
              result.warnings.push(`Could not close this run's copy of the docs-review issue that an overlapping run also opened (${message(error)}).`);
            }
          }
          result.docsReview = found
            ? { action: 'updated', number: found.number, url: found.url }
            : { action: lost ? 'unchanged' : 'created', number: made?.number ?? null, url: made?.html_url ?? null };
        } else if ('stop' in outcome) {
          result.docsReview = { action: 'left', number: found?.number ?? null, url: found?.url ?? null };
          result.left.push({ issue: found?.number ?? 0, people: [], what: 'docs-review' });
        } else {
          result.docsReview = { action: 'failed', number: found?.number ?? null, url: found?.url ?? null };
          result.warnings.push(`The docs-review issue could not be written: ${'fail' in outcome ? outcome.fail : outcome.skip}`);
        }
      }
    }
  }

  result.writes = writer.writes;
  result.stoppedBy = writer.stoppedBy;

  // The announcement: once, on the first run for this release (a re-run finds our notices and stays quiet).
  if (input.webhookUrl) {
    if (priorTrace) {
      result.announcement = { status: 'skipped', detail: 'already announced (this release was handled by an earlier or overlapping run)' };
    } else if (input.dryRun) {
      result.announcement = { status: 'skipped', detail: 'dry run' };
    } else {
      const snippets = details.pullRequests.flatMap((pr) => {
        const snippet = snippetOf(pr.body);
        return snippet ? [{ number: pr.number, title: pr.title, snippet }] : [];
      });
      result.announcement = await announce({
        url: input.webhookUrl,
        name: releaseName,
        version,
        releaseUrl: release.html_url,
        snippets,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      if (result.announcement.status === 'failed') result.warnings.push(`The release announcement failed: ${result.announcement.detail}`);
    }
  }
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
  const graphql = deps.octokit.graphql;
  if (!config['work-started'].enabled) {
    result.notices.push('The work-started notice is off (notify-requesters.work-started.enabled).');
    return;
  }
  const read = await readIssues({ graphql, owner, repo, numbers });
  result.graphqlQueries += read.queries;
  const targets: Target[] = [];
  for (const n of numbers) {
    const issue = read.issues.get(n);
    if (!issue) {
      result.skipped.push({ issue: n, reason: 'not-found' });
      continue;
    }
    if (issue.state !== 'OPEN') {
      result.skipped.push({ issue: n, reason: 'closed' });
      continue;
    }
    if (issue.locked) {
      result.skipped.push({ issue: n, reason: 'locked' });
      continue;
    }
    if (hasLabel(issue, config['opt-out'].label)) {
      result.skipped.push({ issue: n, reason: 'opted-out' });
      continue;
    }
    const told = new Set<string>();
    let noticed = false;
    let planned: string[] | null = null;
    for (const data of ownMarkers(issue.comments, WORK_STARTED_MARKER)) {
      noticed = true;
      const d = data as { people?: unknown; planned?: unknown } | null;
      if (Array.isArray(d?.people)) for (const p of d.people) if (typeof p === 'string') told.add(p.toLowerCase());
      if (Array.isArray(d?.planned)) planned = d.planned.filter((p): p is string => typeof p === 'string');
    }
    // Once per issue: after the first notice, only the people it planned to tell and did not reach yet.
    if (noticed && planned === null) {
      result.unchanged.push(n);
      continue;
    }
    const ledger = issueLedger(issue, input.ledger);
    const recipients = selectRecipients({
      logins: planned ?? ledger.requesters.map((q) => q.login),
      bots: input.bots,
      optedOut: config['opt-out'].logins,
      told,
      exclude: context.exclude,
    });
    targets.push({
      issue,
      comments: planComments(n, recipients, noticed, config['max-mentions']),
      label: false,
      marker: WORK_STARTED_MARKER,
      tag: null,
      render: (c) =>
        renderWorkStarted({
          issue: n,
          assignee: context.assignee,
          pullRequest: context.pullRequest,
          people: c.people,
          first: c.first,
          ...(c.first ? { planned: recipients } : {}),
        }),
    });
  }
  const writer = new Writer(config, input.dryRun ?? false, deps);
  await keepOneNotice(await postTargets(targets, writer, deps, input, result), writer, deps, input, result);
  result.writes = writer.writes;
  result.stoppedBy = writer.stoppedBy;
}

/**
 * Runs the action for one trigger. Reads: one REST list of releases, about ceil(commits/100) +
 * ceil(PRs/50) + ceil(issues/25) GraphQL queries; writes: one comment per notified issue (more only past
 * `max-mentions` people), the optional label, and the docs-review issue when it changed. A re-run writes
 * nothing. Never throws for a notification that could not be delivered; throws for missing permissions.
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
      await notifyWorkStarted(input, deps, [trigger.issue], { assignee: trigger.assignee, pullRequest: null, exclude: trigger.assignee ? [trigger.assignee] : [] }, result);
      break;
    case 'pull-request-opened': {
      const graphql = deps.octokit.graphql;
      const { pullRequests, queries } = await fetchPullRequests({ graphql, owner: input.owner, repo: input.repo, numbers: [trigger.pullRequest] });
      result.graphqlQueries += queries;
      const pr = pullRequests[0] ?? { number: trigger.pullRequest, title: trigger.title, body: trigger.body ?? '', closingIssues: [] };
      const { issues } = resolvedIssues([{ ...(pr as PullRequestDetails), body: pr.body }], null, input.owner, input.repo);
      if (issues.length === 0) {
        result.notices.push(`#${trigger.pullRequest} closes no issue of this repository: no work-started notice.`);
        break;
      }
      await notifyWorkStarted(
        input,
        deps,
        issues.map((i) => i.number),
        { assignee: trigger.author, pullRequest: { number: trigger.pullRequest, title: pr.title }, exclude: trigger.author ? [trigger.author] : [] },
        result,
      );
      break;
    }
  }
  result.summary = renderSummary(result);
  return result;
}

export { NOTICE_MARKER, WORK_STARTED_MARKER };
