// The plain data the KPI report is computed from: one record per issue or pull request, as kept in the
// snapshot between runs and as uploaded by each job of the many-repository fan-out; and what a read did.
import type { Priority, StateChange } from '@userloop/core';

/** A first-response candidate: a comment or review by someone other than the author (bots by type are dropped when read). */
export interface ResponseRecord {
  login: string;
  /** GitHub's `authorAssociation`: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ... */
  association: string;
  /** ISO 8601 */
  at: string;
}

/** A close or reopen, with the reason GitHub gives for a close. */
export interface StateChangeRecord extends StateChange {
  /** For `closed`: COMPLETED, NOT_PLANNED, DUPLICATE, REOPENED, or null when GitHub did not record one. */
  reason?: string | null;
}

/** What the prioritize bot comment's marker says about the issue. */
interface CommitmentRecord {
  priority: Priority;
  /** `YYYY-MM-DD` or null. */
  due: string | null;
  /** Logins of the requesters (bots already left out by prioritize). */
  requesters: string[];
  /** How many requesters the ledger has in all, when its marker names only the newest (a very long ledger). */
  requesterCount?: number;
  /** How many people asked outside GitHub (no account: recorded with `/requested-by` or prioritize's intake); absent when none. */
  outside?: number;
  /** Required information the first reply asked for: when, and when it was complete (`null` while something is missing). */
  info?: { asked: string; completed: string | null };
  /** The latest proposed solution: the first proposal's time, the latest one's, and the reporter's answer (`null` while they have not answered). */
  proposal?: { first: string; at: string; answer: 'yes' | 'no' | null; answeredAt: string | null };
}

/** What prioritize's scheduled sweep recorded of an issue's promises (its reminder and slip notice markers). */
export interface PromiseRecord {
  /** The promised dates (`YYYY-MM-DD`) its slip notices recorded: each passed with the issue open. */
  slipped: string[];
  /** Each reminder: the promised date, and whom it reminded (the assignees or area owners, `@login`, `@org/team`). */
  reminded: { due: string; owners: string[] }[];
}

/** A release notice posted by the bot (notify-requesters). */
export interface NoticeRecord {
  at: string;
  /** Distinct @-mentioned logins. */
  people: string[];
}

/** One issue or pull request. */
export interface ItemRecord {
  kind: 'issue' | 'pull';
  /** `owner/name` */
  repository: string;
  number: number;
  title: string;
  url: string;
  /** Author login; `null` for a deleted account (ghost). */
  author: string | null;
  /** The author is a bot as GitHub types it (core `isBot` of the GraphQL author: `__typename: Bot`). */
  authorIsBot: boolean;
  createdAt: string;
  updatedAt: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  closedAt: string | null;
  /** GitHub's `stateReason` of the issue (COMPLETED, NOT_PLANNED, DUPLICATE, REOPENED) or null. */
  stateReason: string | null;
  /** Pull requests only. */
  mergedAt?: string | null;
  labels: string[];
  /** Closes and reopens in time order (complete only when `timelineComplete`). */
  changes: StateChangeRecord[];
  /** Comments and reviews by humans other than the author, in time order. */
  responses: ResponseRecord[];
  /** Whether every timeline item was read (otherwise `changes`/`responses` hold the first page only). */
  timelineComplete: boolean;
  commitment: CommitmentRecord | null;
  /** The sweep's reminders and slip notices; absent when it posted none (and in records read before they existed). */
  promises?: PromiseRecord;
  notices: NoticeRecord[];
  /** Changed files (pull requests only); `null` when not read or incomplete. */
  files?: string[] | null;
}

/** A release. */
export interface ReleaseRecord {
  repository: string;
  tagName: string;
  name: string | null;
  url: string;
  isDraft: boolean;
  isPrerelease: boolean;
  publishedAt: string | null;
}

/** Everything read from one repository; kept between runs to read only what changed. */
export interface RepoSnapshot {
  version: 1;
  repository: string;
  /** The `updatedAt` high-water mark: the next run reads issues and pull requests updated at or after it. */
  since: string | null;
  /**
   * The start of the oldest period the report showed: the snapshot holds the open issues and what was
   * updated since. Absent in snapshots written before windows (they hold everything).
   */
  windowStart?: string | null;
  items: ItemRecord[];
  releases: ReleaseRecord[];
  /**
   * Where a read that ran out of its points stopped: `items` hold what it read, and the next run goes on
   * from here. Absent (or null) when the snapshot is complete.
   */
  resume?: ReadProgress | null;
}

/** Where an unfinished read of one repository stopped, to go on from there. */
export interface ReadProgress {
  /** A full read (every open issue and the window) or an incremental one (what changed since `since`). */
  full: boolean;
  /** The mark the read started from (null for a full read): the snapshot keeps it until the read is done. */
  since: string | null;
  /** The window a full read reads (its passes' bounds), kept while it goes on: a cursor belongs to its query. */
  windowStart?: string | null;
  /** The newest `updatedAt` read so far. */
  high: string | null;
  /** GitHub's time at or before the read's first query: what changed after it is read again by the next run. */
  startedAt: string | null;
  /** The pass over issues it was in, and the cursors of that pass and of the pull requests. */
  pass: number;
  issuesAfter: string | null;
  pullsAfter: string | null;
  pullsDone: boolean;
  /** Open issues in all (read by a full read's first query), and how many of them were read. */
  openTotal: number | null;
  openSeen: number;
}

/** What reading one repository did. */
export interface CollectStats {
  repository: string;
  calls: number;
  issuesRead: number;
  pullsRead: number;
  /** Whether it started from a snapshot (incremental) or read everything. */
  incremental: boolean;
  /** GraphQL points spent (GitHub's `rateLimit.cost` of each query). */
  points: number;
  /** Whether the read reached the end (false: it ran out of points; the snapshot says where it stopped). */
  complete: boolean;
}
