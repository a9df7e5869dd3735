// The job summary of one event: what was decided, why, and what was written.
import { markdownTable } from '@userloop/core';
import type { PrioritizeResult } from './main.ts';
import { pathWords, PRIORITY_TITLES } from './reply.ts';

/** The summary's markdown (a few lines and a small table). */
export function summaryMarkdown(result: PrioritizeResult): string {
  const e = result.evaluation;
  if (!e || !result.priority) return result.skipped ?? 'Nothing to do.';
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
  if (e.changes.length > 0) rows.push(['What changed', e.changes.join('; ')]);
  return markdownTable([['', ''], ...rows]);
}
