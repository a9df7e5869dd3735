// The work of one event: one GraphQL read, the pure decision, then at most one label write and one comment
// upsert. What tests call, with an Octokit pointed at the emulator.
import {
  hasMarker,
  PRIORITIZE_MARKER_KIND,
  readMiddleComments,
  readPrioritizeMarker,
  unsupportedEvent,
  upsertComment,
  type GraphqlClient,
  type IssueComment,
  type Octokit,
  type PrioritizeMarkerData,
  type Priority,
  type SupportedEvents,
  type UserloopConfig,
  type WebhookPayload,
} from '@userloop/core';
import { evaluate, type Evaluation } from './decide.ts';
import { readFormFields } from './forms.ts';
import { normalizeRead, PRIORITIZE_QUERY, type IssueRead, type PrioritizeQueryResult } from './query.ts';
import { renderReply } from './reply.ts';

/** The events this action handles. */
export const HANDLED: SupportedEvents = {
  issues: ['opened', 'edited', 'reopened', 'labeled', 'unlabeled'],
  issue_comment: ['created', 'edited'],
};

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
  evaluation?: Evaluation;
}

function status(error: unknown): number | undefined {
  return (error as { status?: number } | null)?.status;
}

function permissionError(error: unknown, what: string): Error {
  const s = status(error);
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

  const config = input.config.prioritize;
  const { owner, repo } = input;
  const raw = await deps.octokit.graphql<PrioritizeQueryResult>(PRIORITIZE_QUERY, {
    owner,
    repo,
    number: issue.number,
    withRecent: input.eventName === 'issues' && input.action === 'opened' && config.duplicates.enabled && config.duplicates.max > 0,
    fix: config.labels['fix-it-now'],
    high: config.labels.high,
    low: config.labels.low,
  });
  let read = normalizeRead(raw, issue.number);
  // More than 200 comments and our marker is not in the first or last 100: read the middle ones too (one
  // query per 100), so the ledger counts a "+1" there and our comment is found if it sits there. With our
  // marker in view, its ledger already holds the middle.
  const node = raw.repository?.issue;
  if (node && read.commentsTruncated && !read.comments.some((c) => c.byViewer && hasMarker(c.body, PRIORITIZE_MARKER_KIND))) {
    const more = await readMiddleComments(deps.octokit.graphql as unknown as GraphqlClient, { owner, repo, node });
    read = normalizeRead({ ...raw, repository: raw.repository ? { ...raw.repository, issue: more.node } : null }, issue.number);
  }

  // Our own comment, found in the same read; only comments the token's identity wrote are trusted.
  const { existing, previous } = findOwnComment(read);

  const payloadLabel = input.payload.label;
  const evaluation = evaluate({
    read,
    config,
    bots: input.config.bots,
    formFields: readFormFields(input.formTemplates ?? []),
    previous,
    event: {
      name: input.eventName,
      // Handled events all have an action (see HANDLED).
      action: input.action ?? '',
      label:
        payloadLabel && input.payload.sender
          ? { name: payloadLabel.name, sender: { login: input.payload.sender.login, ...(input.payload.sender.type ? { type: input.payload.sender.type } : {}) }, at: (input.now ?? new Date()).toISOString() }
          : null,
    },
    now: input.now ?? new Date(),
  });
  info(`#${issue.number}: ${evaluation.priority} (${evaluation.path.join(' → ')}); ${evaluation.ledger.requesters.length} requester(s).`);

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
        if (status(error) !== 422) throw permissionError(error, `create the label "${plan.want}"`);
      }
    }
    // Only the managed labels are touched, one by one: replacing the whole set (PUT) from the read would
    // drop a label someone added since, and any beyond the 100 the read returns.
    try {
      if (plan.add) {
        await deps.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
          owner,
          repo,
          issue_number: issue.number,
          labels: [plan.want],
        });
      }
      for (const name of plan.remove) {
        try {
          await deps.octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
            owner,
            repo,
            issue_number: issue.number,
            name,
          });
        } catch (error) {
          // 404: someone removed it already; the end state is the one wanted.
          if (status(error) !== 404) throw error;
        }
      }
      labelAction = plan.remove.length === 0 ? 'added' : 'replaced';
    } catch (error) {
      throw permissionError(error, `label #${issue.number}`);
    }
  }

  // Reply: written only when the decision or the ledger changed.
  let commentAction: PrioritizeResult['commentAction'] = 'none';
  let commentId: number | null = existing?.id ?? null;
  let commentUrl: string | null = existing?.html_url ?? null;
  if (evaluation.replyChanged) {
    const author = read.issue.author && evaluation.ledger.requesters[0]?.via === 'author' ? read.issue.author.login : null;
    const reply = renderReply(evaluation, { config, author, serverUrl: input.serverUrl, previousBody: existing?.body ?? null });
    try {
      const result = await upsertComment({
        octokit: deps.octokit,
        owner,
        repo,
        issueNumber: issue.number,
        marker: PRIORITIZE_MARKER_KIND,
        markerData: reply.markerData,
        body: reply.body,
        botLogin: read.viewerLogin,
        existing: existing ?? null,
      });
      commentAction = result.action;
      commentId = result.id;
      commentUrl = result.url;
      if (result.truncated) warning(`The reply to #${issue.number} was cut to fit GitHub's comment size limit.`);
    } catch (error) {
      if (status(error) === 403 && /locked/i.test((error as Error).message ?? '')) {
        warning(`#${issue.number} is locked; the reply was not written (the label was).`);
      } else {
        throw permissionError(error, `comment on #${issue.number}`);
      }
    }
  }

  return {
    priority: evaluation.priority,
    previousPriority: evaluation.previousPriority,
    changed: evaluation.previousPriority !== evaluation.priority,
    requesters: evaluation.ledger.requesters.length,
    due: evaluation.due,
    commentId,
    commentUrl,
    labelAction,
    commentAction,
    evaluation,
  };
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
