// Every text require-docs writes: the job summary, the sticky pull request comment, and the messages of
// the step (annotations, errors). Pure: an Evaluation (or the target) in, markdown out.
import { markdownTable, neutraliseQuoted } from '@userloop/core';
import type { RequireDocsConfig } from '@userloop/core';
import type { Evaluation, RuleId, RuleStatus } from './evaluate.ts';

/** Marker kind of the sticky comment; its data is {@link CommentMarker}. */
export const MARKER = 'require-docs';

/** Data in the sticky comment's marker, read back by kpi-report. */
export interface CommentMarker {
  feature: boolean;
  passed: boolean;
  missing: RuleId[];
  skipped: boolean;
}

const RULE_NAMES: Record<RuleId, string> = { docs: 'Docs', 'how-to-use': 'How to use', naming: 'Naming' };
const STATUS: Record<RuleStatus, string> = { pass: '✅ done', fail: '❌ missing', 'not-needed': '➖ not needed', off: '➖ off' };

/** The marker data of an evaluation. */
export function markerData(e: Evaluation): CommentMarker {
  return { feature: e.isFeature, passed: e.passed, missing: e.missing, skipped: e.skipped };
}

/** The one-line verdict, e.g. "❌ Docs check: 2 missing (docs, how to use)". */
export function headline(e: Evaluation): string {
  switch (e.outcome) {
    case 'not-feature':
      return '✅ Docs check: not a feature';
    case 'draft':
      return '⏸️ Docs check: waiting for ready for review';
    case 'skipped':
      return '⏭️ Docs check: skipped';
    case 'checked':
      if (e.passed) return '✅ Docs check: all set';
      return `❌ Docs check: ${e.missing.length} missing (${e.missing.map((id) => RULE_NAMES[id].toLowerCase()).join(', ')})`;
  }
}

function rulesTable(e: Evaluation): string {
  const rows = e.rules.map((r) => [RULE_NAMES[r.id], STATUS[r.status], r.detail, r.todo]);
  return markdownTable([['Rule', 'Status', 'Found', 'What to do'], ...rows], { alignDelimiters: false });
}

const skipHint = (label: string) => `Not a user-facing change? Add the \`${label}\` label and a line \`${label}: <reason>\` to the body.`;
const noReason = (label: string) => `The \`${label}\` label is set, but the body has no line \`${label}: <reason>\`, so the rules ran.`;

/** Why the pull request is (or is not) checked, as a sentence. */
function why(e: Evaluation): string {
  if (!e.isFeature) {
    return e.featureReasons.length > 0
      ? `Not a feature: ${e.notFeatureReason} (${e.featureReasons.join(', ')}).`
      : `Not a feature: ${e.notFeatureReason}.`;
  }
  return `A feature (${e.featureReasons.join(', ')}): it ships its doc, a how-to-use snippet for the release notes and, for a new name, a naming review.`;
}

/** The job summary: the verdict, why, the rules table with what to do, notices, and what happened to the comment. */
export function renderSummary(e: Evaluation, config: RequireDocsConfig, commentNote: string): string {
  const label = config['skip-label'];
  const parts = [`## ${headline(e)}`, why(e)];
  if (e.outcome === 'draft') parts.push('Drafts are checked once they are marked ready for review (`skip-drafts` in config).');
  if (e.outcome === 'skipped') parts.push(`Skipped with the \`${label}\` label. Reason: ${e.skipReason}`);
  if (e.outcome === 'checked') {
    parts.push(rulesTable(e));
    if (e.skipWithoutReason) parts.push(noReason(label));
  }
  parts.push(...e.notices.map((notice) => `> [!NOTE]\n> ${notice}`));
  if (commentNote !== '') parts.push(commentNote);
  return `${parts.join('\n\n')}\n`;
}

/**
 * The sticky comment's body (the marker is added by core's upsertComment): the rules table while
 * something is missing, a short line once all is set, skipped or no longer a feature. It repeats what the
 * pull request's author wrote (headings, the skip reason, the chosen name), so the whole body goes through
 * core's `neutraliseQuoted`: raw HTML shown as text, every @-mention form neutralised, bidi controls
 * removed, `<!--` broken.
 */
export function renderComment(e: Evaluation, config: RequireDocsConfig): string {
  const label = config['skip-label'];
  const parts = [`### ${headline(e)}`];
  if (e.outcome === 'checked' && !e.passed) {
    parts.push(why(e), rulesTable(e), ...e.notices.map((notice) => `> [!NOTE]\n> ${notice}`));
    parts.push(`${e.skipWithoutReason ? noReason(label) : skipHint(label)} The check runs again when the body or the code changes.`);
  } else if (e.outcome === 'checked') {
    const done = e.rules.filter((r) => r.status === 'pass').map((r) => RULE_NAMES[r.id].toLowerCase());
    parts.push(done.length > 0 ? `In place: ${done.join(', ')}. Thank you!` : 'Nothing is required for this pull request.');
  } else if (e.outcome === 'skipped') {
    parts.push(`Skipped with the \`${label}\` label. Reason: ${e.skipReason}`);
  } else {
    parts.push(why(e));
  }
  return `${neutraliseQuoted(parts.join('\n\n'))}\n`;
}

/** What happened to the sticky comment. */
export type CommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  | { action: 'none'; reason: string }
  | { action: 'denied'; reason: string };

/** Where the pull request checked came from, as the job summary says it. */
export interface CheckedTarget {
  number: number;
  via: 'event' | 'input' | 'merge-group';
  group?: string | undefined;
}

/** What happened to the sticky comment, for the job summary (empty when nothing was to be written). */
export function commentNote(comment: CommentOutcome): string {
  switch (comment.action) {
    case 'created':
    case 'updated':
      return `The pull request comment was ${comment.action}: ${comment.url}`;
    case 'unchanged':
      return `The pull request comment is up to date: ${comment.url}`;
    case 'none':
      return '';
    case 'denied':
      return `> [!WARNING]\n> Could not comment on the pull request (${comment.reason}). A read-only token does this: a fork pull request under \`pull_request\`, or no \`pull-requests: write\` permission. This summary and the check status carry the result.`;
  }
}

/** The line above the job summary saying which pull request was checked when the event did not name it. */
export function renderWhere(target: CheckedTarget): string {
  if (target.via === 'merge-group') {
    return `> Merge queue: checked #${target.number}, the pull request of the merge group \`${target.group}\`, as it is now (its comment is left as its own check wrote it).\n\n`;
  }
  return target.via === 'input' ? `> Checked #${target.number}, named by the \`pull-request\` input.\n\n` : '';
}

/** Why a merge group whose branch names no pull request passes (the job summary and a warning say it). */
export function noPullRequestReason(headRef: string | undefined): string {
  return `The merge group's branch \`${headRef ?? '(none)'}\` names no pull request (GitHub names it \`gh-readonly-queue/<base>/pr-<number>-<sha>\`), so there is nothing to check here: the pull request's own check decided before it joined the queue.`;
}

/** The job summary of a merge group with no pull request to check. */
export function renderPassSummary(reason: string): string {
  return `## ✅ Docs check: nothing to check in the merge queue\n\n${reason}\n`;
}

/** The error that fails the step when a rule is missing. */
export function failureMessage(e: Evaluation): string {
  return `require-docs: missing ${e.missing.join(', ')}. See the job summary for what to do.`;
}

/** The error of an event that names no pull request to check. */
export function unsupportedEventMessage(eventName: string): string {
  return `require-docs runs on pull_request, pull_request_target or merge_group events, or with the \`pull-request\` input (a workflow_dispatch for a pull request a workflow opened); this run is a "${eventName}" event.`;
}
