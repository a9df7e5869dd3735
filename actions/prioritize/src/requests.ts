// Requests from outside GitHub, pure: which people without a GitHub account the thread records (the intake's
// records, in bodies the bot wrote, and maintainers' `/requested-by` commands), which commands need their
// author's access read before they count, and which get an answer instead (not recorded: personal data, no
// name, a bad link). No I/O: main reads the access of the authors this names, once per person and run.
import {
  isAuthoredBy,
  isExcludedUser,
  type OutsideRefusal,
  type OutsideRequester,
  outsideKey,
  parseRequestedBy,
  type PrioritizeMarkerData,
  readMarker,
  readRequestRecord,
  REQUEST_REFUSED_MARKER_KIND,
} from '@userloop/core';
import type { IssueRead } from './read.ts';

/** A `/requested-by` comment whose people count once its author is known to have write access. */
interface PendingCommand {
  commentId: number;
  url: string;
  login: string;
  people: OutsideRequester[];
}

/** A command not recorded, to answer once (its comment, its author, why and the sentence saying it). */
export interface RequestRefusal {
  commentId: number;
  url: string;
  login: string;
  reason: OutsideRefusal | 'access';
  message: string;
}

/** What the thread says of people outside GitHub. */
interface RequestsPlan {
  /** Recorded by the bot (the intake) or by commands already recorded (their people in the marker): they count without a read. */
  accepted: OutsideRequester[];
  /** Commands naming someone new: they count when their author may write. */
  pending: PendingCommand[];
  /** Commands to answer (not answered yet). */
  refused: RequestRefusal[];
}

/** Whether the issue was opened by the intake: written by the token's account, with its record in the body. */
export function isIntakeIssue(read: Pick<IssueRead, 'issue' | 'viewerLogin'>): boolean {
  return isAuthoredBy(read.issue.author, read.viewerLogin) && readRequestRecord(read.issue.body, read.issue.url) !== null;
}

/** The comments (by id) our answers to commands are about. */
function answeredCommands(read: Pick<IssueRead, 'comments'>): Set<number> {
  const out = new Set<number>();
  for (const c of read.comments) {
    if (!c.byViewer) continue;
    const data = readMarker(c.body, REQUEST_REFUSED_MARKER_KIND);
    if (data) out.add(data.comment);
  }
  return out;
}

/**
 * Reads the thread's requests from outside GitHub: the intake's records (the issue's body and the bot's
 * comments), and each person's `/requested-by` commands (bots and the token's account left out). A command
 * already recorded (every person it names is in the previous marker or an intake record) counts as it is;
 * one naming someone new is `pending` on its author's access as read in this run, whoever they recorded
 * before; a command that cannot be recorded is `refused`, unless our answer to it is in the thread.
 */
export function planRequests(read: Pick<IssueRead, 'issue' | 'comments' | 'viewerLogin'>, previous: PrioritizeMarkerData | null, bots: readonly string[]): RequestsPlan {
  const accepted: OutsideRequester[] = [];
  if (isAuthoredBy(read.issue.author, read.viewerLogin)) {
    const record = readRequestRecord(read.issue.body, read.issue.url);
    if (record) accepted.push(record);
  }
  for (const c of read.comments) {
    if (!c.byViewer) continue;
    const record = readRequestRecord(c.body, c.url);
    if (record) accepted.push(record);
  }
  const known = new Set([...(previous?.ledger.outside ?? []), ...accepted].map(outsideKey));
  const answered = answeredCommands(read);
  const excluded = [read.viewerLogin, ...bots];
  const pending: PendingCommand[] = [];
  const refused: RequestRefusal[] = [];
  for (const c of read.comments) {
    if (c.byViewer || c.id === null || !c.author || isExcludedUser(c.author, excluded)) continue;
    const commands = parseRequestedBy(c.body);
    if (commands.length === 0) continue;
    const login = c.author.login;
    const people: OutsideRequester[] = [];
    for (const command of commands) {
      if (command.ok) {
        people.push({ ...command.entry, at: c.createdAt, by: login, source: c.url });
      } else if (!answered.has(c.id) && !refused.some((r) => r.commentId === c.id)) {
        refused.push({ commentId: c.id, url: c.url, login, reason: command.reason, message: command.message });
      }
    }
    if (people.length === 0) continue;
    if (people.every((p) => known.has(outsideKey(p)))) {
      accepted.push(...people);
    } else if (!answered.has(c.id)) {
      pending.push({ commentId: c.id, url: c.url, login, people });
    }
  }
  return { accepted, pending, refused };
}
