// The clauses of the reply's "What changed" line: the wording of the changes `evaluate` found, kept apart
// from render.ts so the decision can record them without depending on the renderer.
import { PRIORITY_NAMES, type Priority, type Requester } from '@userloop/core';

/** What changed since the previous reply, as the facts `evaluate` found. */
export interface ChangeFacts {
  /** Who said in a comment that it blocks them (it did not block anyone before). */
  blockedBy: string | null;
  /** People who asked for it since. */
  added: readonly Requester[];
  /** Who set the priority by hand since. */
  pinnedBy: string | null;
  /** The priority before and now, when it changed. */
  priority: { from: Priority | null; to: Priority } | null;
}

/** The clauses of the reply's "What changed" line (no final period). */
export function changeClauses(c: ChangeFacts): string[] {
  const changes: string[] = [];
  if (c.blockedBy) changes.push(`${c.blockedBy} said it blocks them`);
  if (c.added.length > 0) {
    const shown = c.added.slice(0, 5).map((r) => r.login);
    const more = c.added.length > shown.length ? ` and ${c.added.length - shown.length} more` : '';
    changes.push(`${c.added.length === 1 ? '1 more person' : `${c.added.length} more people`} asked for it (${shown.join(', ')}${more})`);
  }
  if (c.pinnedBy) changes.push(`${c.pinnedBy} set the priority by hand`);
  if (c.priority) changes.push(`the priority went from ${c.priority.from ? PRIORITY_NAMES[c.priority.from] : 'none'} to ${PRIORITY_NAMES[c.priority.to]}`);
  return changes;
}
