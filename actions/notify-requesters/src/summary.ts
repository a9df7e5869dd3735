// The job summary: what was sent, skipped, failed and left, and how to retry.
import { markdownTable } from '@userloop/core';
import type { MainResult } from './main.ts';

const REASONS: Record<string, string> = {
  locked: 'locked',
  deleted: 'deleted (410)',
  transferred: 'transferred to another repository (301)',
  'not-found': 'not found (404: deleted, transferred or not visible to the token)',
  'opted-out': 'opted out',
  'not-resolved': 'not resolved',
  closed: 'closed',
  'other-repository': 'in another repository',
  open: 'still open (a merge into a non-default branch closes nothing; or it was reopened)',
  'not-completed': 'closed as not planned or as a duplicate, not as completed',
};

const ref = (n: number | string) => (typeof n === 'number' ? `#${n}` : n);

/** Renders the job summary of a run. */
export function renderSummary(r: MainResult): string {
  const title =
    r.trigger === 'release'
      ? `notify-requesters: ${r.tag ?? 'release'}${r.dryRun ? ' (dry run)' : ''}`
      : `notify-requesters: work started${r.dryRun ? ' (dry run)' : ''}`;
  const lines = [`### ${title}`, ''];
  if (r.trigger === 'none') {
    lines.push(...r.notices, '');
    return lines.join('\n');
  }
  const leftIssues = [...new Set(r.left.filter((l) => l.what === 'notice').map((l) => l.issue))];
  const leftPeople = r.left.reduce((n, l) => n + l.people.length, 0);
  lines.push(
    markdownTable([
      ['', 'Issues', 'Detail'],
      [r.dryRun ? 'Would notify' : 'Sent', r.notifiedIssues.length, `${r.notifiedIssues.map(ref).join(', ')}${r.notifiedPeople.length > 0 ? ` (${r.notifiedPeople.length} people)` : ''}`],
      ['Already told', r.unchanged.length, r.unchanged.map(ref).join(', ')],
      ['Skipped', r.skipped.length, r.skipped.map((s) => `${ref(s.issue)} ${REASONS[s.reason] ?? s.reason}`).join(', ')],
      ['Failed', r.failed.length, r.failed.map((f) => `${ref(f.issue)} ${f.message}`).join('; ')],
      ['Left', leftIssues.length, leftIssues.length > 0 ? `${leftIssues.map(ref).join(', ')} (${leftPeople} people)` : ''],
    ]),
    '',
  );
  if (r.trigger === 'release' && r.docsReview.action !== 'none') {
    const link = r.docsReview.url ? `[#${r.docsReview.number}](${r.docsReview.url})` : r.docsReview.number ? `#${r.docsReview.number}` : '';
    lines.push(`Docs review: ${r.docsReview.action} ${link}`.trimEnd(), '');
  }
  if (r.announcement) lines.push(`Announcement: ${r.announcement.status} (${r.announcement.detail})`, '');
  if (r.stoppedBy || r.failed.length > 0 || r.left.length > 0) {
    const what = r.stoppedBy ? `Writing stopped at ${r.stoppedBy}; ${r.left.length} write(s) are left.` : 'Some notices failed.';
    const dispatch = r.tag ? ` or run the workflow by hand (\`workflow_dispatch\`) with \`tag: ${r.tag}\`` : '';
    lines.push(`**To finish:** ${what} Re-run this job${dispatch}: it resumes from the notices already posted, so nobody is told twice.`, '');
  }
  for (const w of r.warnings) lines.push(`> [!WARNING]\n> ${w}`, '');
  for (const n of r.notices) lines.push(n, '');
  lines.push(`<sub>${r.graphqlQueries} GraphQL queries, ${r.writes} write(s).</sub>`, '');
  return lines.join('\n');
}
