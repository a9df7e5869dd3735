// The reads of draft-release-notes: the repository's releases (REST), the range since the last release by
// ancestry, its pull requests and the issues they close (GraphQL), and the identity whose ledgers are trusted.
import {
  type ClosingIssue,
  type DraftReleaseNotesConfig,
  fetchIssues,
  fetchPullRequests,
  findReleaseRange,
  type Octokit,
  type PullRequestDetails,
  type ReleaseInfo,
  type ReleaseRange,
  resolveIdentity,
} from '@userloop/core';
import { issueKey, keywordIssuesToFetch } from './build.ts';

/** Every release of the repository (drafts too, for a token that can push). */
export async function readReleases(octokit: Octokit, owner: string, repo: string): Promise<ReleaseInfo[]> {
  return (await octokit.paginate('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 })) as ReleaseInfo[];
}

/** What the range holds. */
export interface RangeRead {
  range: ReleaseRange;
  /** The range's pull requests, with their closing issues (and files under a `paths` filter). */
  pullRequests: PullRequestDetails[];
  /** Issues of this repository closed by keyword only, keyed by `issueKey`. */
  keywordIssues: Map<string, ClosingIssue>;
  /** GraphQL queries made. */
  queries: number;
}

/**
 * Reads the range from `baseTag` (null: the first commit) to `target` by ancestry, its pull requests, and the
 * issues their bodies close by keyword that `closingIssuesReferences` did not return.
 */
export async function readRange(
  octokit: Octokit,
  { owner, repo, target, baseTag, config }: { owner: string; repo: string; target: string; baseTag: string | null; config: DraftReleaseNotesConfig },
): Promise<RangeRead> {
  const graphql = octokit.graphql;
  const range = await findReleaseRange({ graphql, owner, repo, target, base: baseTag, maxCommits: config['max-commits'] });
  const numbers = range.pullRequests.map((p) => p.number);
  const details = await fetchPullRequests({ graphql, owner, repo, numbers, files: config.paths.length > 0, issueComments: true });
  let queries = range.queries + details.queries;
  const keywordIssues = new Map<string, ClosingIssue>();
  const toFetch = keywordIssuesToFetch(details.pullRequests, owner, repo);
  if (toFetch.length > 0) {
    const fetched = await fetchIssues({ graphql, owner, repo, numbers: toFetch, comments: true });
    queries += fetched.queries;
    for (const i of fetched.issues) keywordIssues.set(issueKey(i.repository, i.number), i);
  }
  return { range, pullRequests: details.pullRequests, keywordIssues, queries };
}

/**
 * The login whose prioritize markers are trusted: the `bot-login` input, else the token's own identity,
 * read only when an issue is closed (otherwise nobody is credited and it is not needed).
 */
export async function readIdentity(octokit: Octokit, botLogin: string | null | undefined, read: RangeRead): Promise<string> {
  if (botLogin) return botLogin;
  const anyIssues = read.keywordIssues.size > 0 || read.pullRequests.some((p) => p.closingIssues.length > 0);
  return anyIssues ? resolveIdentity(octokit) : '';
}
