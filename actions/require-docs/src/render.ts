// What people read: the job summary and the sticky pull request comment. Pure: an Evaluation in, markdown out.
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
