// The work of one event: one GraphQL read, the pure decision, then at most one label write and one comment
// upsert. What tests call, with an Octokit pointed at the emulator.
import {
  errorMessage,
  findMarkedComments,
  graphqlAllowing,
  hasMarker,
  httpStatus,
  isBot,
  isGoneError,
  isLedgerPartial,
  type IssueComment,
  keepOne,
  type LedgerIssueFact,
  type Octokit,
  parseMarker,
  PRIORITIZE_MARKER_KIND,
  type PrioritizeMarkerData,
  type Priority,
  priorityRank,
  readMiddleComments,
  readMoreReactions,
  readPrioritizeMarker,
  readPrioritizeSeen,
  renderMarker,
  type SupportedEvents,
  unsupportedEvent,
  upsertComment,
  type UserloopConfig,
  type WebhookPayload,
} from '@userloop/core';
import { evaluate, type Evaluation, type EventFacts } from './decide.ts';
import { readFormFields } from './forms.ts';
import { normalizeRead, PRIORITIZE_QUERY, type IssueRead, type PrioritizeQueryResult } from './query.ts';
import { placeReply, renderChangeNotice, renderReply, type ChangeKey } from './reply.ts';
import { sweep, type SweepResult } from './sweep.ts';

/** The events this action handles. */
export const HANDLED: SupportedEvents = {
  issues: ['opened', 'edited', 'reopened', 'labeled', 'unlabeled', 'closed'],
  issue_comment: ['created', 'edited'],
  schedule: [],
  workflow_dispatch: [],
};

/** The marker kind of the short notice posted when the priority goes up or a due date is set or moved. */
export const CHANGE_MARKER_KIND = 'prioritize-change';

/** What `main` needs to know. */
export interface PrioritizeInput {
  eventName: string;
  action: string | undefined;
  payload: WebhookPayload;
  owner: string;
  repo: string;
  /** Web URL for profile links (`https://github.com`). */
  serverUrl: string;
  config: UserloopConfig;
  /** Issue form templates (`.github/ISSUE_TEMPLATE/*.yml`) as text. */
  formTemplates?: readonly { path: string; text: string }[];
  /** The time of the decision (due dates count from it). */
  now?: Date;
}

/** Side-effect helpers, injected. */
export interface PrioritizeDeps {
  octokit: Pick<Octokit, 'graphql' | 'request' | 'paginate'>;
  info?: (message: string) => void;
  notice?: (message: string) => void;
  warning?: (message: string) => void;
}

/** What one event did. */
export interface PrioritizeResult {
  /** Why nothing was done (another event, a pull request). */
  skipped?: string;
  priority?: Priority;
  previousPriority?: Priority | null;
  /** The priority differs from the previous one (or was set the first time). */
  changed?: boolean;
  requesters?: number;
  due?: string | null;
  commentId?: number | null;
  commentUrl?: string | null;
  labelAction?: 'none' | 'added' | 'replaced' | 'left-to-person';
  commentAction?: 'created' | 'updated' | 'unchanged' | 'none';
  /** The short notice of a raised priority or a new due date: posted, already there (another run), or none. */
  noticeAction?: 'created' | 'exists' | 'none';
  noticeUrl?: string | null;
  evaluation?: Evaluation;
  /** The issue this result is about (the original, when a duplicate's close re-evaluated it). */
  issueNumber?: number;
  /** The original a duplicate points at, re-evaluated in the same run. */
  original?: PrioritizeResult;
  /** Nodes the token may not read (pull requests without `pull-requests: read`), left out of the ledger. */
  forbidden?: string[];
  /** What a scheduled sweep did. */
  sweep?: SweepResult;
}

function permissionError(error: unknown, what: string): Error {
  const s = httpStatus(error);
  if (s === 403 || s === 401 || s === 404) {
    const message = (error as { message?: string }).message ?? '';
    return new Error(
      `Could not ${what} (HTTP ${s}: ${message.split('\n')[0]}). The token needs \`issues: write\`: add \`permissions: { issues: write }\` to the job.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Handles one event. Throws only for what the user must fix (permissions) or infrastructure failures. */
export async function main(input: PrioritizeInput, deps: PrioritizeDeps): Promise<PrioritizeResult> {
  const info = deps.info ?? (() => {});
  const notice = deps.notice ?? info;
  const warning = deps.warning ?? info;
  const unsupported = unsupportedEvent({ eventName: input.eventName, action: input.action }, HANDLED, 'prioritize');
  if (unsupported !== null) {
    notice(unsupported);
    return { skipped: unsupported };
  }
  if (input.eventName === 'schedule' || input.eventName === 'workflow_dispatch') {
    // 👍 reactions fire no event at all: a scheduled sweep finds the issues whose count changed.
    const ctx: IssueContext = { input, deps, info, notice, warning };
    const done = await sweep(ctx.input, deps, (n) => evaluateIssue(ctx, n, { name: input.eventName, action: 'sweep', label: null }));
    return { sweep: done };
  }
  const issue = input.payload.issue;
  if (!issue || typeof issue.number !== 'number') {
    const skipped = `The ${input.eventName} payload has no issue; nothing to do.`;
    notice(skipped);
    return { skipped };
  }
  if (issue.pull_request) {
    const skipped = `#${issue.number} is a pull request; prioritize only handles issues.`;
    notice(skipped);
    return { skipped };
  }

  const bots = input.config.bots;
  if (issue.user && isBot(issue.user, bots)) {
    const skipped = `#${issue.number} was opened by ${issue.user.login}, a bot; prioritize only handles issues people open.`;
    notice(skipped);
    return { skipped };
  }
  const closedAsDuplicate = input.eventName === 'issues' && input.action === 'closed';
  if (closedAsDuplicate && issue.state_reason !== 'duplicate') {
    const skipped = `#${issue.number} was closed (${issue.state_reason ?? 'no reason'}), not as a duplicate; nothing to do.`;
    notice(skipped);
    return { skipped };
  }

  const ctx: IssueContext = { input, deps, info, notice, warning };
  const event: EventFacts = eventFacts(input);
  if (closedAsDuplicate) {
    // GitHub sends events for the duplicate only: find its original and evaluate that one in this run.
    const read = await readIssue(ctx, issue.number, false);
    const original = originalOf(read.read, bots);
    if (!original) {
      const skipped = `#${issue.number} was closed as a duplicate without naming the original; nothing to re-evaluate.`;
      notice(skipped);
      return { skipped, ...(read.forbidden.length ? { forbidden: read.forbidden } : {}) };
    }
    info(`#${issue.number} was closed as a duplicate of #${original}: re-evaluating #${original}.`);
    return evaluateIssue(ctx, original, { name: 'issues', action: 'duplicate', label: null });
  }

  const result = await evaluateIssue(ctx, issue.number, event);
  // "Duplicate of #6" in a comment marks this issue a duplicate: re-evaluate the original too. GitHub marks
  // a duplicate this way only for people with access to the repository (triage or more), so a stranger's
  // comment cannot add an issue's author to another issue's requesters.
  const comment = input.eventName === 'issue_comment' && input.action === 'created' ? input.payload.comment : undefined;
  const commentBy = comment?.user?.login ?? '';
  const trusted = comment !== undefined && MAINTAINER_ASSOCIATIONS.has(comment.author_association ?? '') && commentBy !== '' && !isBot(commentBy, bots);
  const said = trusted ? duplicateOfComment(comment.body ?? '') : null;
  if (said !== null && said !== issue.number && !result.skipped) {
    info(`#${issue.number} was marked a duplicate of #${said}: re-evaluating #${said}.`);
    // The original's timeline shows the duplicate only as a mention until it is closed: name it a duplicate.
    const duplicate: LedgerIssueFact = {
      number: issue.number,
      url: issue.html_url,
      author: issue.user ? { login: issue.user.login, ...(issue.user.type ? { type: issue.user.type } : {}) } : null,
      ...(issue.created_at ? { createdAt: issue.created_at } : {}),
    };
    try {
      result.original = await evaluateIssue(ctx, said, { name: 'issues', action: 'duplicate', label: null }, [duplicate]);
    } catch (error: unknown) {
      // This issue's own update is done; an original that does not exist (or is a pull request) is only worth a warning.
      warning(`Could not re-evaluate #${said}, named as the original of #${issue.number}: ${errorMessage(error)}`);
    }
  }
  return result;
}

/** The author associations of people with access to the repository (GitHub lets them mark duplicates). */
const MAINTAINER_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** The event facts the decision needs, from the payload. */
function eventFacts(input: PrioritizeInput): EventFacts {
  const payloadLabel = input.payload.label;
  return {
    name: input.eventName,
    // Handled events all have an action (see HANDLED).
    action: input.action ?? '',
    label:
      payloadLabel && input.payload.sender
        ? { name: payloadLabel.name, sender: { login: input.payload.sender.login, ...(input.payload.sender.type ? { type: input.payload.sender.type } : {}) }, at: (input.now ?? new Date()).toISOString() }
        : null,
  };
}

/** `#6` from a "Duplicate of #6" line (GitHub's own way of marking a duplicate in a comment), or `null`. */
export function duplicateOfComment(body: string): number | null {
  const m = /^\s*duplicate of #(\d+)\b/im.exec(body);
  return m ? Number(m[1]) : null;
}

/** The original (same repository) an issue was marked a duplicate of: the timeline's `marked_as_duplicate`, else a person's "Duplicate of #N" comment. */
function originalOf(read: IssueRead, bots: readonly string[]): number | null {
  const fact: LedgerIssueFact | null = read.duplicateOf;
  if (fact && !fact.repository && fact.number !== read.issue.number) return fact.number;
  for (const c of [...read.comments].reverse()) {
    if (c.byViewer || !c.author || isBot(c.author, bots)) continue;
    const n = duplicateOfComment(c.body);
    if (n !== null && n !== read.issue.number) return n;
  }
  return null;
}

interface IssueContext {
  input: PrioritizeInput;
  deps: PrioritizeDeps;
  info: (message: string) => void;
  notice: (message: string) => void;
  warning: (message: string) => void;
}

/** The one GraphQL read of an issue (plus the middle of a long thread and 👍 beyond 100 when nothing covers them). */
async function readIssue(ctx: IssueContext, number: number, withRecent: boolean): Promise<{ read: IssueRead; forbidden: string[] }> {
  const { input, deps } = ctx;
  const config = input.config.prioritize;
  const { owner, repo } = input;
  const graphql = deps.octokit.graphql;
  const { data: raw, tolerated: forbidden } = await graphqlAllowing<PrioritizeQueryResult>(
    graphql,
    PRIORITIZE_QUERY,
    { owner, repo, number, withRecent, fix: config.labels['fix-it-now'], high: config.labels.high, low: config.labels.low },
    ['FORBIDDEN'],
  );
  if (!raw.repository?.issue && forbidden.length > 0) {
    throw new Error(`The token may not read #${number} (FORBIDDEN: ${forbidden.join(', ')}). The job needs \`issues: write\`.`);
  }
  let read = normalizeRead(raw, number);
  let node = raw.repository?.issue;
  // More than 200 comments and our marker is not in the first or last 100: read the middle ones too (one
  // query per 100), so the ledger counts a "+1" there and our comment is found if it sits there. With our
  // marker in view, its ledger already holds the middle.
  const own = findOwnComment(read);
  // A marker that keeps only the newest requesters (a very long ledger): the thread is read whole to rebuild it.
  const partial = isLedgerPartial(own.previous);
  if (node && read.commentsTruncated && (!own.existing || partial)) {
    node = (await readMiddleComments(graphql, { owner, repo, node })).node;
  }
  // More than 100 👍: the rest are read unless our reply saw the same count (its ledger already names them).
  const seen = own.existing ? readPrioritizeSeen(own.existing.body) : null;
  if (node && read.thumbsUp > read.reactions.length && (partial || seen?.thumbsUp !== read.thumbsUp)) {
    node = (await readMoreReactions(graphql, { owner, repo, node })).node;
  }
  if (node && node !== raw.repository?.issue) {
    read = normalizeRead({ ...raw, repository: raw.repository ? { ...raw.repository, issue: node } : null }, number);
  }
  return { read, forbidden };
}

/** Reads one issue, decides, and writes the label, the reply and, when the priority went up, a notice. `moreDuplicates` are issues known to be duplicates of it that its timeline does not show as such yet. */
export async function evaluateIssue(ctx: IssueContext, number: number, event: EventFacts, moreDuplicates: readonly LedgerIssueFact[] = []): Promise<PrioritizeResult> {
  const { input, deps, info, notice, warning } = ctx;
  const config = input.config.prioritize;
  const { owner, repo } = input;
  const withRecent = event.name === 'issues' && event.action === 'opened' && config.duplicates.enabled && config.duplicates.max > 0;
  const { read, forbidden } = await readIssue(ctx, number, withRecent);
  for (const d of moreDuplicates) {
    if (d.number === number || read.duplicates.some((x) => x.url === d.url)) continue;
    read.duplicates.push(d);
    read.crossReferences = read.crossReferences.filter((x) => x.url !== d.url);
  }
  if (forbidden.length > 0) {
    info(`The token may not read ${forbidden.length} node(s) of #${number} (pull requests need \`pull-requests: read\`); they were left out.`);
  }
  const author = read.issue.author;
  if (author && isBot(author, [...input.config.bots, read.viewerLogin])) {
    const skipped = `#${number} was opened by ${author.login}, a bot; prioritize only handles issues people open.`;
    notice(skipped);
    return { skipped, issueNumber: number };
  }

  // Our own comment, found in the same read; only comments the token's identity wrote are trusted.
  let { existing, previous } = findOwnComment(read);
  const decide = () =>
    evaluate({
      read,
      config,
      bots: input.config.bots,
      formFields: readFormFields(input.formTemplates ?? []),
      previous,
      event,
      now: input.now ?? new Date(),
    });
  let evaluation = decide();
  info(`#${number}: ${evaluation.priority} (${evaluation.path.join(' → ')}); ${evaluation.ledger.requesters.length} requester(s).`);

  // Label: exactly one managed label, created on first use.
  let labelAction: PrioritizeResult['labelAction'] = 'none';
  const plan = evaluation.labels;
  if (evaluation.labelRemovedBy) {
    labelAction = 'left-to-person';
    info(`${evaluation.labelRemovedBy} removed the priority label; labels are left as they are.`);
  } else if (plan.want && (plan.add || plan.remove.length > 0)) {
    if (plan.create) {
      const which = (['fix-it-now', 'high', 'low'] as const).find((p) => config.labels[p] === plan.want) ?? 'low';
      try {
        await deps.octokit.request('POST /repos/{owner}/{repo}/labels', {
          owner,
          repo,
          name: plan.want,
          color: config['label-colors'][which],
          description: `userloop priority: ${which === 'fix-it-now' ? 'fix it now (today or tomorrow)' : which === 'high' ? 'high (this week or next)' : 'low (not right away)'}`,
        });
      } catch (error) {
        if (httpStatus(error) !== 422) throw permissionError(error, `create the label "${plan.want}"`);
      }
    }
    // Only the managed labels are touched, one by one: replacing the whole set (PUT) from the read would
    // drop a label someone added since, and any beyond the 100 the read returns.
    try {
      if (plan.add) {
        await deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
          owner,
          repo,
          issue_number: number,
          labels: [plan.want],
        });
      }
      for (const name of plan.remove) {
        try {
          await deps.octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
            owner,
            repo,
            issue_number: number,
            name,
          });
        } catch (error) {
          // 404: someone removed it already; the end state is the one wanted.
          if (httpStatus(error) !== 404) throw error;
        }
      }
      labelAction = plan.remove.length === 0 ? 'added' : 'replaced';
    } catch (error) {
      throw permissionError(error, `label #${number}`);
    }
  }

  // Reply: written only when the decision or the ledger changed.
  let commentAction: PrioritizeResult['commentAction'] = 'none';
  let commentId: number | null = existing?.id ?? null;
  let commentUrl: string | null = existing?.html_url ?? null;
  let noticeAction: PrioritizeResult['noticeAction'] = 'none';
  let noticeUrl: string | null = null;
  // The counts the sweep compares (👍, duplicates): a reply that saw others is rewritten even when nothing
  // else changed, or every sweep would read this issue again.
  const seenNow = { thumbsUp: read.thumbsUp, duplicateEvents: read.duplicateEvents };
  const seenDiffers = (reply: IssueComment | null): boolean => {
    if (!reply) return false;
    const before = readPrioritizeSeen(reply.body);
    return before?.thumbsUp !== seenNow.thumbsUp || before.duplicateEvents !== seenNow.duplicateEvents;
  };
  if ((evaluation.replyChanged || seenDiffers(existing)) && existing) {
    // An overlapping run may have updated the reply since our read: its marker is the previous state then,
    // or this run would write its older read over the other's and drop whoever that run added.
    const fresh = await rereadReply(deps, owner, repo, existing.id);
    if (fresh === null) {
      existing = null;
      previous = null;
      evaluation = decide();
    } else if (normalise(fresh.body ?? '') !== normalise(existing.body ?? '')) {
      info(`The reply to #${number} changed since it was read (an overlapping run); deciding again from it.`);
      existing = fresh;
      previous = readPrioritizeMarker(fresh.body);
      evaluation = decide();
    }
  }
  const seenChanged = seenDiffers(existing);
  if (evaluation.replyChanged || seenChanged) {
    const reporter = read.issue.author && evaluation.ledger.requesters[0]?.via === 'author' ? read.issue.author.login : null;
    const reply = renderReply(evaluation, { config, author: reporter, serverUrl: input.serverUrl, previousBody: existing?.body ?? null, seen: seenNow });
    const placed = placeReply(existing?.body, reply);
    try {
      const result = await upsertComment({
        octokit: deps.octokit,
        owner,
        repo,
        issueNumber: number,
        marker: PRIORITIZE_MARKER_KIND,
        // The bot's region only: a maintainer's note around the reply is kept.
        body: placed.body,
        botLogin: read.viewerLogin,
        existing: existing ?? null,
      });
      commentAction = result.action;
      commentId = result.id;
      commentUrl = result.url;
      if (result.truncated || placed.truncated) warning(`The reply to #${number} was cut to fit GitHub's comment size limit.`);
      // GitHub notifies nobody of an edit: a raised priority or a new due date gets a short comment of its own.
      const change = changeKey(evaluation, previous);
      if (change) {
        const posted = await postChangeNotice(ctx, read, change, renderChangeNotice(evaluation, { author: reporter, replyUrl: result.url, config }));
        noticeAction = posted.action;
        noticeUrl = posted.url;
      }
    } catch (error) {
      if (httpStatus(error) === 403 && /locked/i.test((error as Error).message ?? '')) {
        warning(`#${number} is locked; the reply was not written (the label was).`);
      } else {
        throw permissionError(error, `comment on #${number}`);
      }
    }
  }

  return {
    issueNumber: number,
    priority: evaluation.priority,
    previousPriority: evaluation.previousPriority,
    changed: evaluation.previousPriority !== evaluation.priority,
    requesters: evaluation.ledger.requesters.length,
    due: evaluation.due,
    commentId,
    commentUrl,
    labelAction,
    commentAction,
    noticeAction,
    noticeUrl,
    evaluation,
    ...(forbidden.length > 0 ? { forbidden } : {}),
  };
}

const normalise = (text: string): string => text.replace(/\r\n/g, '\n').trimEnd();

/** Our reply as it is now (`null` when it was deleted). */
async function rereadReply(deps: PrioritizeDeps, owner: string, repo: string, id: number): Promise<IssueComment | null> {
  try {
    const { data } = await deps.octokit.request('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id });
    return data as IssueComment;
  } catch (error) {
    if (isGoneError(error)) return null;
    throw error;
  }
}

/** The change worth a notice: the priority went up, or (same priority) a due date was set or moved. `null` otherwise, and the first time. */
function changeKey(e: Evaluation, previous: PrioritizeMarkerData | null): ChangeKey | null {
  if (!previous) return null;
  const up = priorityRank(e.priority) > priorityRank(previous.priority);
  const dueMoved = e.priority === previous.priority && e.due !== null && e.due !== previous.due;
  return up || dueMoved ? { priority: e.priority, due: e.due } : null;
}

const sameChange = (body: string | null | undefined, key: ChangeKey): boolean => {
  const data = parseMarker(body, CHANGE_MARKER_KIND) as Partial<ChangeKey> | undefined;
  return !!data && data.priority === key.priority && (data.due ?? null) === key.due;
};

/**
 * Posts the notice of one change once: not when the read shows ours already; after posting, looks again
 * and keeps the oldest notice of the same change (two overlapping runs that both decided the raise).
 */
async function postChangeNotice(ctx: IssueContext, read: IssueRead, key: ChangeKey, text: string): Promise<{ action: 'created' | 'exists'; url: string | null }> {
  const { input, deps } = ctx;
  const { owner, repo } = input;
  const number = read.issue.number;
  const already = read.comments.find((c) => c.byViewer && sameChange(c.body, key));
  if (already) return { action: 'exists', url: already.url };
  const { data } = await deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner,
    repo,
    issue_number: number,
    body: `${text.trimEnd()}\n\n${renderMarker(CHANGE_MARKER_KIND, key)}`,
  });
  const created = data as IssueComment;
  const since = created.created_at ? new Date(Date.parse(created.created_at) - 60 * 60 * 1000).toISOString() : undefined;
  const settled = await keepOne<IssueComment>({
    created,
    list: async () =>
      (await findMarkedComments(deps.octokit, { owner, repo, issueNumber: number, marker: CHANGE_MARKER_KIND, login: read.viewerLogin, ...(since ? { since } : {}) })).filter((c) =>
        sameChange(c.body, key),
      ),
    order: (c) => Number(c.id),
    discard: async (mine) => {
      await deps.octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: mine.id });
    },
    what: `priority notice on ${owner}/${repo}#${number}`,
  });
  return settled.won ? { action: 'created', url: created.html_url } : { action: 'exists', url: settled.kept.html_url };
}

/** Our own comment in the read (every comment of the issue unless our marker was already in view). */
function findOwnComment(read: IssueRead): { existing: IssueComment | null; previous: PrioritizeMarkerData | null } {
  for (const c of read.comments) {
    if (!c.byViewer || c.id === null) continue;
    if (!hasMarker(c.body, PRIORITIZE_MARKER_KIND)) continue;
    // A damaged marker in our own comment: update that comment rather than add a second one.
    return { existing: { id: c.id, body: c.body, html_url: c.url ?? '', user: { login: read.viewerLogin } }, previous: readPrioritizeMarker(c.body) };
  }
  return { existing: null, previous: null };
}
