// What a run takes and gives: the trigger it acts on, main's input and dependencies, and its result.
import {
  type Area,
  type LedgerOptions,
  type NotifyRequestersConfig,
  type Octokit,
  type ReleaseInfo,
} from '@userloop/core';
import type { AnnounceResult } from './webhook.ts';

/** What started the run. */
export type Trigger =
  | { kind: 'release'; tag: string; release: ReleaseInfo | null }
  | { kind: 'issue-assigned'; issue: number; assignee: string | null; sender?: string }
  | { kind: 'pull-request-opened'; pullRequest: number; author: string | null; title: string; body: string | null; sender?: string }
  | { kind: 'none'; reason: string };

export interface MainInput {
  owner: string;
  repo: string;
  /** `https://github.com` (GITHUB_SERVER_URL). */
  serverUrl: string;
  trigger: Trigger;
  config: NotifyRequestersConfig;
  /**
   * Headings of the how-to-use section: `require-docs.how-to-use.headings` of the loaded config (the one
   * setting every action reads, so the notice quotes the section require-docs checked).
   */
  usageHeadings: readonly string[];
  /** The top-level `bots` list. */
  bots: readonly string[];
  /**
   * How requesters are counted: core's `ledgerOptionsFromConfig(config)`, the options prioritize uses
   * (`prioritize.phrases.want`, `prioritize.community-hosts`, `bots`).
   */
  ledger: LedgerOptions;
  /** The ownership map (`areas`). */
  areas: readonly Area[];
  /** The chat incoming webhook to announce the release on (empty for none). */
  webhookUrl?: string;
  /** Plan and report, write nothing. */
  dryRun?: boolean;
}

export interface MainDeps {
  octokit: Pick<Octokit, 'request' | 'paginate' | 'graphql'>;
  /** Pacer clock and sleep (tests); default real time. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock of the pacer and the hourly write budget (tests); default `Date.now`. */
  now?: () => number;
  /** Multiplies the pacer's waits (default 1). */
  waitScale?: number;
  /** `fetch` for the webhook (default the global one). */
  fetch?: typeof fetch;
}

/**
 * Why an issue got nothing. `deleted`: GitHub answered 410 Gone; `transferred`: 301 Moved Permanently (the
 * issue lives in another repository now); `not-found`: 404, or missing from the read (deleted, transferred,
 * or not visible to the token: GitHub does not say which).
 */
export type SkipReason =
  | 'locked'
  | 'deleted'
  | 'transferred'
  | 'not-found'
  | 'opted-out'
  | 'not-resolved'
  | 'closed'
  | 'other-repository'
  | 'open'
  | 'not-completed';

export interface SkipEntry {
  issue: number | string;
  reason: SkipReason;
}
interface FailEntry {
  issue: number;
  message: string;
}
interface LeftEntry {
  issue: number;
  /** People still to tell (empty for a comment without mentions, or a label). */
  people: string[];
  what: 'notice' | 'label' | 'docs-review';
}

export interface MainResult {
  trigger: Trigger['kind'];
  tag: string | null;
  /** Issues that got at least one comment in this run (or would, in a dry run). */
  notifiedIssues: number[];
  /** People mentioned in this run. */
  notifiedPeople: string[];
  /** Issues already told everything (a re-run). */
  unchanged: number[];
  skipped: SkipEntry[];
  failed: FailEntry[];
  /** Left for a re-run after a rate limit or the per-run write limit. */
  left: LeftEntry[];
  docsReview: { action: 'created' | 'updated' | 'unchanged' | 'none' | 'left' | 'failed'; number: number | null; url: string | null };
  announcement: AnnounceResult | null;
  /** Why writing stopped early, if it did. */
  stoppedBy: string | null;
  dryRun: boolean;
  graphqlQueries: number;
  writes: number;
  /** Notes for the log (`core.notice`). */
  notices: string[];
  /** Problems that did not fail the step (`core.warning`). */
  warnings: string[];
  summary: string;
}
