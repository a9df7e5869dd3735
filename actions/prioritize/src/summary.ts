// The job summary of one event: what was decided, why, and what was written.
import { markdownTable } from '@userloop/core';
import type { PrioritizeResult } from './main.ts';
import { pathWords, PRIORITY_TITLES } from './reply.ts';

/** The summary's markdown (a few lines and a small table). */
export function summaryMarkdown(result: PrioritizeResult): string {
  if (result.sweep) {
    const s = result.sweep;
    return markdownTable([
      ['Sweep', ''],
      ['Open issues read', `${s.open} (${s.pages} page(s) of 100)`],
      ['Changed (👍 or duplicates)', s.changed.length > 0 ? s.changed.map((n) => `#${n}`).join(', ') : 'none'],
      ['Re-evaluated', String(s.evaluated.length)],
      ['Written', s.written.length > 0 ? s.written.map((n) => `#${n}`).join(', ') : 'none'],
      ['Left for the next sweep', String(s.deferred)],
      ['Without a reply (never evaluated)', String(s.unevaluated)],
      ['Opened by bots', String(s.bots)],
      ...(s.failed.length > 0 ? [['Failed', s.failed.map((n) => `#${n}`).join(', ')]] : []),
    ]);
  }
  const forbidden = forbiddenNote(result);
  const e = result.evaluation;
  if (!e || !result.priority) return `${result.skipped ?? 'Nothing to do.'}${forbidden}`;
  const original = result.original?.priority ? `\n\nThe original #${result.original.issueNumber ?? ''} was re-evaluated:\n\n${summaryMarkdown({ ...result.original })}` : '';
  const rows: string[][] = [
    ['Priority', PRIORITY_TITLES[result.priority]],
    ['Previous', result.previousPriority ? PRIORITY_TITLES[result.previousPriority] : '(none)'],
    ['Path', pathWords(e.path)],
    ['Due', result.due ?? '(none)'],
    ['Requesters', String(result.requesters ?? 0)],
    ['Places', String(e.ledger.places.length)],
    ['Label', result.labelAction ?? 'none'],
    ['Reply', `${result.commentAction ?? 'none'}${result.commentUrl ? ` (${result.commentUrl})` : ''}`],
  ];
  if (result.noticeAction && result.noticeAction !== 'none') rows.push(['Notice', `${result.noticeAction}${result.noticeUrl ? ` (${result.noticeUrl})` : ''}`]);
  if (e.changes.length > 0) rows.push(['What changed', e.changes.join('; ')]);
  const title = result.issueNumber !== undefined ? [`#${result.issueNumber}`, ''] : ['', ''];
  return `${markdownTable([title, ...rows])}${forbidden}${original}`;
}

/** One sentence when the token could not read some nodes (said once, however many). */
function forbiddenNote(result: PrioritizeResult): string {
  const all = [...(result.forbidden ?? []), ...(result.original?.forbidden ?? [])];
  if (all.length === 0) return '';
  return `\n\n${all.length} item(s) mentioning this issue could not be read (GitHub answered FORBIDDEN: pull requests need \`pull-requests: read\` in the job's \`permissions:\`); they were left out of the ledger.`;
}
