// Which issue a duplicate belongs to, pure: GitHub's timeline (`marked_as_duplicate`) or a "Duplicate of #N"
// comment, GitHub's own way of marking a duplicate in a comment.
import { isBot, type LedgerIssueFact, MEMBER_ASSOCIATIONS, type WebhookIssue } from '@userloop/core';
import type { IssueRead } from './read.ts';

/** `#6` from a "Duplicate of #6" line, or `null`. */
function duplicateOfComment(body: string): number | null {
  const m = /^\s*duplicate of #(\d+)\b/im.exec(body);
  return m ? Number(m[1]) : null;
}

/**
 * The original a new comment marks its issue a duplicate of, or `null`. GitHub marks a duplicate this way
 * only for people with access to the repository (triage or more), so a stranger's comment (or a bot's)
 * cannot add an issue's author to another issue's requesters.
 */
export function markedOriginal(
  comment: { body?: string | null; user?: { login: string } | null; author_association?: string | null } | undefined,
  bots: readonly string[],
): number | null {
  const by = comment?.user?.login ?? '';
  const trusted = comment !== undefined && MEMBER_ASSOCIATIONS.has(comment.author_association ?? '') && by !== '' && !isBot(by, bots);
  return trusted ? duplicateOfComment(comment.body ?? '') : null;
}

/** The original (same repository) an issue was marked a duplicate of: the timeline's `marked_as_duplicate`, else a person's "Duplicate of #N" comment. */
export function originalOf(read: IssueRead, bots: readonly string[]): number | null {
  const fact: LedgerIssueFact | null = read.duplicateOf;
  if (fact && !fact.repository && fact.number !== read.issue.number) return fact.number;
  for (const c of [...read.comments].reverse()) {
    if (c.byViewer || !c.author || isBot(c.author, bots)) continue;
    const n = duplicateOfComment(c.body);
    if (n !== null && n !== read.issue.number) return n;
  }
  return null;
}

/** Issues known to be duplicates of the read one that its timeline does not show as such yet join its duplicates (no longer mere mentions). */
export function addDuplicates(read: IssueRead, more: readonly LedgerIssueFact[]): void {
  for (const d of more) {
    if (d.number === read.issue.number || read.duplicates.some((x) => x.url === d.url)) continue;
    read.duplicates.push(d);
    read.crossReferences = read.crossReferences.filter((x) => x.url !== d.url);
  }
}

/** An issue of a webhook payload as a duplicate in the ledger. */
export function duplicateFact(issue: WebhookIssue): LedgerIssueFact {
  return {
    number: issue.number,
    url: issue.html_url,
    author: issue.user ? { login: issue.user.login, ...(issue.user.type ? { type: issue.user.type } : {}) } : null,
    ...(issue.created_at ? { createdAt: issue.created_at } : {}),
  };
}
