// What main takes and returns, and why an event has nothing to draft: shared by main.ts and render.ts.
import type { DraftReleaseNotesConfig, Octokit } from '@userloop/core';

/** Why an event has nothing to draft (the notice is rendered in render.ts). */
export type Skip =
  | { kind: 'event'; notice: string }
  | { kind: 'not-merged' }
  | { kind: 'tag'; tag: string }
  | { kind: 'not-a-branch'; ref: string }
  | { kind: 'deleted'; branch: string }
  | { kind: 'other-branch'; via: 'pull-request' | 'push'; branch: string; wanted: string };

/** What `main` needs. */
export interface MainInput {
  owner: string;
  repo: string;
  /** The commit to draft for: an object id, or a branch (`main`, `refs/heads/main`) resolved by GitHub. */
  target: string;
  /** The branch the release is made from (`target_commitish`, and which releases count as its last one). */
  branch: string | null;
  /** `true` when `branch` is not the repository's default branch (its draft is kept apart). */
  maintenanceBranch?: boolean;
  config: DraftReleaseNotesConfig;
  /**
   * Headings of the how-to-use section: `require-docs.how-to-use.headings` of the loaded config (the one
   * setting every action reads, so the notes quote the section require-docs checked).
   */
  usageHeadings: readonly string[];
  /** The top-level `bots` list of the configuration. */
  bots?: readonly string[];
  /** `https://github.com` (or the GHES web URL). */
  serverUrl: string;
  /** The run's URL, for the pointer to the full notes when the body is cut. */
  runUrl?: string | null;
  /** The login whose prioritize markers are trusted (input `bot-login`; default: the token's own identity). */
  botLogin?: string | null;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
}

/** The client `main` uses. */
export interface MainDeps {
  octokit: Octokit;
}

/** What happened. */
export interface MainResult {
  action: 'created' | 'updated' | 'unchanged' | 'deleted' | 'none';
  dryRun: boolean;
  version: string | null;
  tagName: string | null;
  releaseId: number | null;
  releaseUrl: string | null;
  /** The body written (or that would be), cut to the limit. */
  body: string;
  /** The whole notes (same as `body` unless cut). */
  fullBody: string;
  truncated: boolean;
  baseTag: string | null;
  commits: number;
  pullRequests: number;
  needsSnippet: number[];
  graphqlQueries: number;
  /** Markdown for the job summary. */
  summary: string;
  notices: string[];
}
