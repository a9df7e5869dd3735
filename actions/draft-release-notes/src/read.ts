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
  // The pull requests with their closing issues, without the issues' comments: read inside every page, 100
  // comments of up to 25 issues of each of 50 pull requests cost 14 points a page. The comments (where the
  // requester ledger lives) are read once per issue below, 50 issues a query.
  const details = await fetchPullRequests({ graphql, owner, repo, numbers, files: config.paths.length > 0 });
  let queries = range.queries + details.queries;
  const keywordNumbers = new Set(keywordIssuesToFetch(details.pullRequests, owner, repo));
  const wanted = new Map<string, Set<number>>([[`${owner}/${repo}`, new Set(keywordNumbers)]]);
  for (const pr of details.pullRequests) {
    for (const issue of pr.closingIssues) {
      const numbersOf = wanted.get(issue.repository) ?? new Set<number>();
      wanted.set(issue.repository, numbersOf.add(issue.number));
    }
  }
  const withComments = new Map<string, ClosingIssue>();
  for (const [repository, issueNumbers] of wanted) {
    if (issueNumbers.size === 0) continue;
    const [issueOwner = owner, issueRepo = repo] = repository.split('/');
    // Another repository's issues may be out of the token's reach (FORBIDDEN, tolerated): their authors are credited instead.
    const fetched = await fetchIssues({ graphql, owner: issueOwner, repo: issueRepo, numbers: [...issueNumbers].sort((a, b) => a - b), comments: true });
    queries += fetched.queries;
    for (const i of fetched.issues) withComments.set(issueKey(i.repository, i.number), i);
  }
  const pullRequests = details.pullRequests.map((pr) => ({
    ...pr,
    closingIssues: pr.closingIssues.map((i) => withComments.get(issueKey(i.repository, i.number)) ?? i),
  }));
  const keywordIssues = new Map<string, ClosingIssue>();
  for (const n of keywordNumbers) {
    const issue = withComments.get(issueKey(`${owner}/${repo}`, n));
    if (issue) keywordIssues.set(issueKey(issue.repository, issue.number), issue);
  }
  return { range, pullRequests, keywordIssues, queries };
}

/** The login whose prioritize markers are trusted: the `bot-login` input, else the token's own identity, read by the range's first query. */
export function trustedLogin(botLogin: string | null | undefined, read: RangeRead): string {
  return botLogin || read.range.viewerLogin;
}
