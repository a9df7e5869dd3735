// What main takes and returns, and what a sweep did: shared by main.ts, sweep.ts, write.ts and render.ts.
import type { Octokit, Priority, TokenHour, UserloopConfig, WebhookPayload } from '@userloop/core';
import type { Evaluation } from './decide.ts';

/** What `main` needs to know. */
export interface PrioritizeInput {
  eventName: string;
  action: string | undefined;
  payload: WebhookPayload;
  owner: string;
  repo: string;
  /** Web URL for profile links (`https://github.com`). */
  serverUrl: string;
  /** The config, or how to read it (read only for an event the action handles: no request on the others). */
  config: UserloopConfig | (() => Promise<UserloopConfig>);
  /**
   * With `config` a loader: where the config file is read inside the first query of an issue's event (one
   * request less); the loader then runs on the other events, and when GitHub cut the file. `run.ts` leaves it
   * out when the checkout holds the file.
   */
  configAt?: ConfigAt;
  /** The checkout, where issue form templates (`.github/ISSUE_TEMPLATE/*.yml`) are read from; none without a checkout. */
  workspace?: string;
  /** The time of the decision (due dates count from it). */
  now?: Date;
  /** A request from outside GitHub sent to the intake (`workflow_dispatch` with `request-name`, or `repository_dispatch`). */
  request?: IntakeRequest;
}

/** Where the config file is read through the API: the commit, the path (the `config-path` input), and the checkout it was not in (named when it is missing). */
interface ConfigAt {
  ref: string;
  path: string;
  workspace?: string;
}

/** A request from outside GitHub as the intake receives it (the action's `request-*` and `issue-*` inputs). */
export interface IntakeRequest {
  /** The name the person goes by where they asked. */
  name: string;
  place?: string;
  /** A link to where they asked. */
  url?: string;
  /** The issue to record them on. */
  issueNumber?: number;
  /** Else the title of an open issue to find, or of the issue to open. */
  issueTitle?: string;
  /** Their words, quoted in a new issue or in the record. */
  text?: string;
  /** Who sent it (the event's sender). */
  by: string;
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
  /** The short notice of a raised priority or a new due date: posted, already there (another run), or none. */
  noticeAction?: 'created' | 'exists' | 'none';
  noticeUrl?: string | null;
  evaluation?: Evaluation;
  /** The issue this result is about (the original, when a duplicate's close re-evaluated it). */
  issueNumber?: number;
  /** The original a duplicate points at, re-evaluated in the same run. */
  original?: PrioritizeResult;
  /** Nodes the token may not read (pull requests without `pull-requests: read`), left out of the ledger. */
  forbidden?: string[];
  /** What a scheduled sweep did. */
  sweep?: SweepResult;
  /** The `needs info` label: added while required information is missing, removed once complete. */
  infoLabelAction?: 'added' | 'removed' | 'none';
  /** The design checklist of a needs-design issue: posted, updated to call its owners in, or nothing. */
  designAction?: 'created' | 'updated' | 'unchanged' | 'none';
  designUrl?: string | null;
  /** `/requested-by` commands answered as not recorded in this run. */
  requestsRefused?: number;
  /** What the intake did with a request from outside GitHub. */
  request?: { issue: number; url: string; action: 'opened' | 'recorded' | 'exists' };
  /** The question a proposed solution asks the reporter: posted, already there (another run), or none. */
  proposalAction?: 'created' | 'exists' | 'none';
  proposalUrl?: string | null;
}

/** What a sweep did. */
export interface SweepResult {
  /** Open issues read. */
  open: number;
  /** Open issues in all. */
  total: number;
  /** The end the read started from (oldest on even UTC days, newest on odd ones). */
  from: 'oldest' | 'newest';
  /** What the token had left of its hour where the read stopped to keep half of it (absent: every open issue was read). */
  stoppedAt?: TokenHour;
  /** GraphQL pages read (100 issues each). */
  pages: number;
  /** Issues without our reply among their first or last comments (never evaluated, or a long thread: left alone). */
  unevaluated: number;
  /** Issues opened by bots (left alone). */
  bots: number;
  /** Issues whose 👍 or duplicate counts differ from what their reply saw. */
  changed: number[];
  /** Issues whose proposed solution waits for the reporter's answer (a 👍/👎 on it fires no event), re-evaluated after the changed ones; absent when none. */
  proposals?: number[];
  /** Changed issues re-evaluated in this run (at most 50, the rest next time). */
  evaluated: number[];
  /** Re-evaluated issues whose label, reply or notice was written. */
  written: number[];
  /** Changed issues left for the next sweep (over the cap). */
  deferred: number;
  /** Issues whose re-evaluation failed (a warning each). */
  failed: number[];
  /** Reminders and slip notices (none when `prioritize.keep-promises` is off). */
  promises?: PromisesResult;
}

/** What the sweep did about promised dates. */
export interface PromisesResult {
  /** Issues reminded before their date (one reminder per issue and date). */
  reminded: number[];
  /** Issues whose people were told that the date slipped (one notice per issue and date). */
  slipped: number[];
  /** Issues whose date is near with nobody to remind (no assignee, no area owner). */
  noOwner: number[];
  /** Issues where another run had posted the same notice already. */
  already: number[];
  /** Reminders and notices left for the next sweep (over the cap, or after a rate limit). */
  deferred: number;
  /** Why the notices stopped early (a rate limit), when they did. */
  stoppedBy: string | null;
  /** Issues whose notice could not be posted (a warning each). */
  failed: number[];
}
