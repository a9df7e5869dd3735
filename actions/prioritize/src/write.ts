// What one evaluation writes on its issue: the managed priority label (created on first use), the reply in
// the bot's region of its comment, and the short notice of a raised priority or a new due date; and any notice
// that must exist once however runs overlap (postOnce: the sweep's reminders and slip notices too). A write the
// token may not make fails with the permission the job needs.
import {
  findMarkedComment,
  httpStatus,
  type IssueComment,
  isLockedError,
  createCommentOnce,
  type Octokit,
  PRIORITIZE_MARKER_KIND,
  type PrioritizeConfig,
  prioritizeLabel,
  type PrioritizeProposalState,
  type PrioritizeSeen,
  renderMarker,
  upsertComment,
  type UpsertCommentOptions,
} from '@userloop/core';
import { CHANGE_MARKER_KIND, changeKey, type ChangeKey, type Evaluation, isNoticeOf } from './decide.ts';
import type { PrioritizeResult } from './types.ts';
import { noticeDue, SLIP_MARKER_KIND } from './promises.ts';
import type { IssueRead, OwnReply } from './read.ts';
import { DESIGN_MARKER_KIND, type DesignPlan } from './design.ts';
import type { InfoLabelPlan } from './info.ts';
import { designWithOwners, placeReply, renderChangeNotice, renderDesign, renderProposalAsk, renderReply } from './render.ts';
import { askedAbout, PROPOSAL_MARKER_KIND } from './proposal.ts';

/** The issue written to, and the client. */
export interface IssueTarget {
  octokit: Pick<Octokit, 'request' | 'paginate'> & Partial<Pick<Octokit, 'graphql'>>;
  owner: string;
  repo: string;
  number: number;
  /** The issue's GraphQL id, when read: a comment is then added with the look for an overlapping copy in one request (core's createCommentOnce). */
  subjectId?: string | undefined;
}

/** Core's upsertComment on the issue written to. */
function upsertOn(to: IssueTarget, comment: Omit<UpsertCommentOptions, 'octokit' | 'owner' | 'repo' | 'issueNumber'>) {
  return upsertComment({ octokit: to.octokit, owner: to.owner, repo: to.repo, issueNumber: to.number, subjectId: to.subjectId, ...comment });
}

/** GitHub's answer to a comment on a locked issue by a token that may not comment there. */
/** An error of a write the token may not make, naming the permission; any other error as it is. */
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

/** Creates a repository label; a 422 (it exists: an overlapping run or a person made it) is fine. */
async function createLabel(to: IssueTarget, label: { name: string; color: string; description: string }): Promise<void> {
  try {
    await to.octokit.request('POST /repos/{owner}/{repo}/labels', { owner: to.owner, repo: to.repo, ...label });
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
  }
}

/** Removes a label from the issue; a 404 (someone removed it already) is fine: the end state is the one wanted. */
async function removeLabel(to: IssueTarget, name: string): Promise<void> {
  try {
    await to.octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { owner: to.owner, repo: to.repo, issue_number: to.number, name });
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}

/**
 * Exactly one managed label, created on first use; labels are left alone once a person removed the managed
 * one. Only the managed labels are touched, one by one: replacing the whole set (PUT) from the read would
 * drop a label someone added since, and any beyond the 100 the read returns. The area label the form's
 * answer names is added in the same request as the priority label (in one of its own when that is not added).
 */
export async function writeLabel(
  to: IssueTarget,
  e: Pick<Evaluation, 'labels' | 'labelRemovedBy' | 'areaLabel'>,
  config: PrioritizeConfig,
  info: (message: string) => void,
): Promise<NonNullable<PrioritizeResult['labelAction']>> {
  const { octokit, owner, repo, number } = to;
  const plan = e.labels;
  const area = e.areaLabel ? [e.areaLabel] : [];
  const add = async (labels: string[]) => {
    if (labels.length === 0) return;
    try {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner, repo, issue_number: number, labels });
    } catch (error) {
      throw permissionError(error, `label #${number}`);
    }
  };
  if (e.labelRemovedBy) {
    info(`${e.labelRemovedBy} removed the priority label; the priority label is left as it is.`);
    await add(area);
    return 'left-to-person';
  }
  if (!plan.want || (!plan.add && plan.remove.length === 0)) {
    await add(area);
    return 'none';
  }
  if (plan.create) {
    const which = (['fix-it-now', 'high', 'low'] as const).find((p) => config.labels[p] === plan.want) ?? 'low';
    try {
      await createLabel(to, prioritizeLabel(config, which));
    } catch (error) {
      throw permissionError(error, `create the label "${plan.want}"`);
    }
  }
  await add([...(plan.add ? [plan.want] : []), ...area]);
  try {
    for (const name of plan.remove) await removeLabel(to, name);
  } catch (error) {
    throw permissionError(error, `label #${number}`);
  }
  return plan.remove.length === 0 ? 'added' : 'replaced';
}

/** What writing the reply did. */
export type ReplyWrite = Pick<PrioritizeResult, 'commentAction' | 'commentId' | 'commentUrl' | 'noticeAction' | 'noticeUrl'>;

/** The reply left as it is: nothing written. */
export function replyAsIs(own: OwnReply): ReplyWrite {
  return { commentAction: 'none', commentId: own.existing?.id ?? null, commentUrl: own.existing?.html_url ?? null, noticeAction: 'none', noticeUrl: null };
}

/**
 * Writes the reply (the bot's region only: a maintainer's note around it is kept) and, as GitHub notifies
 * nobody of an edit, a short comment of its own when the priority went up or a due date was set or moved. A
 * locked issue is a warning (the label was written).
 */
export async function writeReply(
  to: IssueTarget,
  r: { read: IssueRead; evaluation: Evaluation; own: OwnReply; seen: PrioritizeSeen; config: PrioritizeConfig; serverUrl: string; warning: (message: string) => void },
): Promise<ReplyWrite> {
  const { read, evaluation, own, config } = r;
  const out = replyAsIs(own);
  const reporter = read.issue.author && evaluation.ledger.requesters[0]?.via === 'author' ? read.issue.author.login : null;
  const reply = renderReply(evaluation, { config, author: reporter, serverUrl: r.serverUrl, previousBody: own.existing?.body ?? null, seen: r.seen });
  const placed = placeReply(own.existing?.body, reply);
  try {
    const result = await upsertOn(to, { marker: PRIORITIZE_MARKER_KIND, body: placed.body, botLogin: read.viewerLogin, existing: own.existing ?? null });
    out.commentAction = result.action;
    out.commentId = result.id;
    out.commentUrl = result.url;
    if (result.truncated || placed.truncated) r.warning(`The reply to #${to.number} was cut to fit GitHub's comment size limit.`);
    const slipped = read.comments.filter((c) => c.byViewer).flatMap((c) => noticeDue(c.body, SLIP_MARKER_KIND) ?? []);
    const change = changeKey(evaluation, own.previous, slipped);
    if (change) {
      const posted = await postChangeNotice(to, read, change, renderChangeNotice(evaluation, { author: reporter, replyUrl: result.url, config }));
      out.noticeAction = posted.action;
      out.noticeUrl = posted.url;
    }
  } catch (error) {
    if (isLockedError(error)) {
      r.warning(`#${to.number} is locked; the reply was not written (the label was).`);
    } else {
      throw permissionError(error, `comment on #${to.number}`);
    }
  }
  return out;
}

/**
 * Posts the notice of one change once: not when the read shows ours already; after posting, looks again
 * and keeps the oldest notice of the same change (two overlapping runs that both decided the raise).
 */
async function postChangeNotice(to: IssueTarget, read: IssueRead, key: ChangeKey, text: string): Promise<{ action: 'created' | 'exists'; url: string | null }> {
  const already = read.comments.find((c) => c.byViewer && isNoticeOf(c.body, key));
  if (already) return { action: 'exists', url: already.url };
  return postOnce(to, { kind: CHANGE_MARKER_KIND, data: key, text, botLogin: read.viewerLogin, same: (body) => isNoticeOf(body, key) });
}

/** A comment of its own that must exist once: its marker (`kind`, `data`), its text, and how to tell a copy of it. */
export interface OnceNotice {
  kind: string;
  data: unknown;
  text: string;
  /** The token's account, whose comments are trusted. */
  botLogin: string;
  /** Whether a comment body of ours (carrying a `kind` marker) is this notice. */
  same: (body: string | null | undefined) => boolean;
}

/**
 * Posts a notice (a new comment notifies; an edit would not) through core's createCommentOnce: two overlapping
 * runs that both decided to post leave one. `post` runs the POST (a caller's write pacing).
 */
export async function postOnce(
  to: IssueTarget,
  notice: OnceNotice,
  post: <T>(write: () => Promise<T>) => Promise<T> = (write) => write(),
): Promise<{ action: 'created' | 'exists'; url: string | null }> {
  const settled = await createCommentOnce({
    octokit: to.octokit,
    owner: to.owner,
    repo: to.repo,
    issueNumber: to.number,
    marker: notice.kind,
    body: `${notice.text.trimEnd()}\n\n${renderMarker(notice.kind, notice.data)}`,
    login: notice.botLogin,
    same: notice.same,
    // The sweep's notices are paced: an overlapping sweep's copy may come a while after ours.
    windowMs: 60 * 60 * 1000,
    post,
    subjectId: to.subjectId,
  });
  return { action: settled.won ? 'created' : 'exists', url: settled.kept.html_url };
}

/**
 * The `needs info` label (`needs-info-label`): created with its colour on first use, added while required
 * information is missing, removed once it is complete (a 404 on removing: someone removed it already).
 */
export async function writeInfoLabel(to: IssueTarget, plan: InfoLabelPlan, config: PrioritizeConfig): Promise<NonNullable<PrioritizeResult['infoLabelAction']>> {
  const { octokit, owner, repo, number } = to;
  if (!plan.add && !plan.remove) return 'none';
  try {
    if (plan.create) await createLabel(to, { ...prioritizeLabel(config, 'needs-info'), name: plan.label });
    if (plan.add) {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner, repo, issue_number: number, labels: [plan.label] });
      return 'added';
    }
    await removeLabel(to, plan.label);
    return 'removed';
  } catch (error) {
    throw permissionError(error, `label #${number}`);
  }
}

/**
 * The design checklist of a needs-design issue: one comment of its own, found by its marker (core's
 * upsertComment: an overlapping run's copy is removed after a create), posted once, or updated to call the
 * owners in when the issue became Fix it now; the users among those are assigned, since an edit notifies
 * nobody. A locked issue is a warning.
 */
export async function writeDesign(
  to: IssueTarget,
  r: { plan: DesignPlan; existing: IssueComment | null; read: IssueRead; config: PrioritizeConfig; warning: (message: string) => void },
): Promise<{ action: NonNullable<PrioritizeResult['designAction']>; url: string | null }> {
  const { plan, read } = r;
  let { existing } = r;
  if (plan.write === 'none') return { action: 'none', url: existing?.html_url ?? null };
  if (plan.write === 'create' && !existing && read.commentsTruncated) {
    // A thread too long to read whole may hold the checklist in the middle: a checklist once posted is
    // left as people ticked it, so it is looked for before one is written.
    const found = await findMarkedComment(to.octokit, { owner: to.owner, repo: to.repo, issueNumber: to.number, marker: DESIGN_MARKER_KIND, login: read.viewerLogin });
    if (found) return { action: 'unchanged', url: found.html_url };
    existing = null;
  }
  const body = plan.write === 'call-owners' && existing ? designWithOwners(existing.body ?? '', plan.added, r.config['needs-design']) : renderDesign(plan, r.config['needs-design']);
  try {
    const result = await upsertOn(to, {
      marker: DESIGN_MARKER_KIND,
      markerData: { owners: plan.owners },
      body,
      botLogin: read.viewerLogin,
      existing,
    });
    if (plan.assign.length > 0) {
      try {
        await to.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/assignees', { owner: to.owner, repo: to.repo, issue_number: to.number, assignees: plan.assign });
      } catch (error) {
        // An owner who cannot be assigned (no account, no access): named in the checklist all the same.
        if (httpStatus(error) !== 422) throw error;
        r.warning(`Could not assign ${plan.assign.join(', ')} to #${to.number} (HTTP 422); the design checklist names them.`);
      }
    }
    return { action: result.action, url: result.url };
  } catch (error) {
    if (isLockedError(error)) {
      r.warning(`#${to.number} is locked; the design checklist was not written.`);
      return { action: 'none', url: existing?.html_url ?? null };
    }
    throw permissionError(error, `comment on #${to.number}`);
  }
}

/**
 * The question a proposed solution asks the reporter: a comment of its own (a new comment notifies them), one
 * per proposal however runs overlap (the read showed none; core's createCommentOnce after posting). A locked
 * issue is a warning.
 */
export async function writeProposalAsk(
  to: IssueTarget,
  r: { proposal: Pick<PrioritizeProposalState, 'by' | 'url'>; reporter: string; botLogin: string; config: PrioritizeConfig; serverUrl: string; warning: (message: string) => void },
): Promise<{ action: NonNullable<PrioritizeResult['proposalAction']>; url: string | null }> {
  const { url } = r.proposal;
  const text = renderProposalAsk(r.proposal, { reporter: r.reporter, template: r.config.proposals.ask, serverUrl: r.serverUrl });
  try {
    return await postOnce(to, { kind: PROPOSAL_MARKER_KIND, data: { url }, text, botLogin: r.botLogin, same: (body) => askedAbout(body) === url });
  } catch (error) {
    if (isLockedError(error)) {
      r.warning(`#${to.number} is locked; the reporter was not asked about the proposed solution.`);
      return { action: 'none', url: null };
    }
    throw permissionError(error, `comment on #${to.number}`);
  }
}
