/**
 * What merged pull requests say: the issues a body closes with GitHub's closing keywords, and the details of
 * pull requests and issues read in batches (labels, files, closing issues with their comments, where the
 * requester ledger lives) for release notes and notices.
 */
import { graphqlAllowing, ONE_POINT_REQUESTS, type GraphqlClient } from './graphql.ts';
import { withoutCode } from './markdown.ts';

/** An issue reference (`owner/repo#number`). */
export interface IssueRef {
  owner: string;
  repo: string;
  number: number;
}

const KEYWORD_REF =
  /(?:^|[^\w/])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?::)?\s+(?:(?:https?:\/\/[^\s/]+\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+))|(?:([\w.-]+)\/([\w.-]+))?#(\d+))(?![\w/])/gi;

/**
 * The issues a pull request body closes with GitHub's closing keywords (`close`, `closes`, `closed`, `fix`,
 * `fixes`, `fixed`, `resolve`, `resolves`, `resolved`, optionally followed by a colon) before `#123`,
 * `owner/repo#123` or an issue URL. Code (fenced, indented by a fence, inline) and HTML comments are ignored,
 * as GitHub ignores them. Deduplicated, in order of appearance.
 */
export function parseClosingKeywords(body: string | null | undefined, repo: { owner: string; repo: string }): IssueRef[] {
  if (!body) return [];
  const text = withoutCode(body, { inline: true });
  const refs: IssueRef[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(KEYWORD_REF)) {
    const owner = m[1] ?? m[4] ?? repo.owner;
    const name = m[2] ?? m[5] ?? repo.repo;
    const number = Number(m[3] ?? m[6]);
    const key = `${owner.toLowerCase()}/${name.toLowerCase()}#${number}`;
    if (!Number.isSafeInteger(number) || number <= 0 || seen.has(key)) continue;
    seen.add(key);
    refs.push({ owner, repo: name, number });
  }
  return refs;
}

/** A person as GraphQL gives them (`type` is `User`, `Bot`, `Organization`, ...; `login` has no `[bot]` suffix for bots). */
export interface Actor {
  login: string;
  type: string;
}

/** A comment of a closing issue (for the requester ledger). */
export interface ClosingIssueComment {
  author: Actor | null;
  body: string;
}

/** An issue closed by a pull request. */
export interface ClosingIssue {
  /** `owner/name` of the issue's repository. */
  repository: string;
  number: number;
  title: string;
  url: string;
  state: string;
  author: Actor | null;
  /** The first 100 comments (only when requested). */
  comments: ClosingIssueComment[];
}

/** A pull request with what release notes and notices need. */
export interface PullRequestDetails {
  number: number;
  title: string;
  body: string;
  url: string;
  mergedAt: string | null;
  author: Actor | null;
  labels: string[];
  /** Changed file paths (only when requested; the first 100 unless `filesComplete`). */
  files: string[];
  /** `false` when the pull request changes more files than were read. */
  filesComplete: boolean;
  /** Issues linked as closed by the pull request (GitHub's `closingIssuesReferences`, first 25). */
  closingIssues: ClosingIssue[];
}

/** Options of {@link fetchPullRequests}. */
export interface FetchPullRequestsOptions {
  graphql: GraphqlClient;
  owner: string;
  repo: string;
  numbers: readonly number[];
  /**
   * Pull requests per query (default and maximum 50). With `files` (3 connections a pull request), more than
   * 50 are read 49 a query, the most that keep a query at 1 point (50 would need 150 requests, 2 points).
   */
  batchSize?: number;
  /** Read changed file paths (first 100 per pull request). */
  files?: boolean;
  /** Read the closing issues' first 100 comments (where the requester ledger lives). */
  issueComments?: boolean;
}

const ACTOR = 'author { __typename login }';

function issueFields(comments: boolean): string {
  return `number title url state repository { nameWithOwner } ${ACTOR}${
    comments ? ` comments(first: 100) { nodes { ${ACTOR} body } }` : ''
  }`;
}

interface GqlActor {
  __typename?: string;
  login: string;
}
interface GqlIssue {
  number: number;
  title: string;
  url: string;
  state: string;
  repository: { nameWithOwner: string } | null;
  author: GqlActor | null;
  comments?: { nodes: ({ author: GqlActor | null; body: string } | null)[] | null } | null;
}
interface GqlPullRequest {
  number: number;
  title: string;
  body: string | null;
  url: string;
  mergedAt: string | null;
  author: GqlActor | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  files?: { pageInfo: { hasNextPage: boolean }; nodes: ({ path: string } | null)[] | null } | null;
  closingIssuesReferences: { nodes: (GqlIssue | null)[] | null } | null;
}

function toActor(a: GqlActor | null | undefined): Actor | null {
  return a ? { login: a.login, type: a.__typename ?? 'User' } : null;
}

function toIssue(i: GqlIssue, fallbackRepo: string): ClosingIssue {
  return {
    repository: i.repository?.nameWithOwner ?? fallbackRepo,
    number: i.number,
    title: i.title,
    url: i.url,
    state: i.state,
    author: toActor(i.author),
    comments: (i.comments?.nodes ?? []).flatMap((c) => (c ? [{ author: toActor(c.author), body: c.body }] : [])),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Reads pull requests by number, 50 per query (aliases; with files, 49 past 50, for 1 point a query), with
 * labels, optionally files, and their closing issue references (optionally with the issues' comments). Pull requests that do not exist are left
 * out.
 * @returns the pull requests in the order of `numbers`, and the number of queries made.
 */
export async function fetchPullRequests(
  options: FetchPullRequestsOptions,
): Promise<{ pullRequests: PullRequestDetails[]; queries: number }> {
  const { graphql, owner, repo } = options;
  const numbers = [...new Set(options.numbers)];
  const most = Math.min(50, Math.max(1, options.batchSize ?? 50));
  // Each pull request's connections are 1 request each: labels, closing issues, and files when asked. One
  // query of up to 50 costs at most what splitting it would; past that, every query stays at 1 point.
  const connections = options.files ? 3 : 2;
  const size = numbers.length <= most || options.issueComments ? most : Math.min(most, Math.floor(ONE_POINT_REQUESTS / connections));
  const fields = `number title body url mergedAt ${ACTOR}
      labels(first: 100) { nodes { name } }
      ${options.files ? 'files(first: 100) { pageInfo { hasNextPage } nodes { path } }' : ''}
      closingIssuesReferences(first: 25) { nodes { ${issueFields(options.issueComments ?? false)} } }`;
  const out: PullRequestDetails[] = [];
  let queries = 0;
  for (const batch of chunks(numbers, size)) {
    const aliases = batch.map((n, i) => `pr${i}: pullRequest(number: ${Number(n)}) { ...ReleasePullRequest }`);
    const query = `query ReleasePullRequests($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        ${aliases.join('\n        ')}
      }
    }
    fragment ReleasePullRequest on PullRequest { ${fields} }`;
    const { data } = await graphqlAllowing<{ repository: Record<string, GqlPullRequest | null> | null }>(graphql, query, {
      owner,
      name: repo,
    }, ['NOT_FOUND']);
    queries += 1;
    batch.forEach((_n, i) => {
      const pr = data.repository?.[`pr${i}`];
      if (!pr) return;
      out.push({
        number: pr.number,
        title: pr.title,
        body: pr.body ?? '',
        url: pr.url,
        mergedAt: pr.mergedAt,
        author: toActor(pr.author),
        labels: (pr.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
        files: (pr.files?.nodes ?? []).flatMap((f) => (f ? [f.path] : [])),
        filesComplete: !(pr.files?.pageInfo.hasNextPage ?? false),
        closingIssues: (pr.closingIssuesReferences?.nodes ?? []).flatMap((i) => (i ? [toIssue(i, `${owner}/${repo}`)] : [])),
      });
    });
  }
  return { pullRequests: out, queries };
}

/**
 * Reads issues of one repository by number, 50 per query (aliases), optionally with their first 100
 * comments. Numbers that are pull requests, do not exist or the token may not read are left out.
 */
export async function fetchIssues(options: {
  graphql: GraphqlClient;
  owner: string;
  repo: string;
  numbers: readonly number[];
  comments?: boolean;
}): Promise<{ issues: ClosingIssue[]; queries: number }> {
  const { graphql, owner, repo } = options;
  const out: ClosingIssue[] = [];
  let queries = 0;
  for (const batch of chunks([...new Set(options.numbers)], 50)) {
    const aliases = batch.map((n, i) => `i${i}: issue(number: ${Number(n)}) { ...ReleaseIssue }`);
    const query = `query ReleaseIssues($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        ${aliases.join('\n        ')}
      }
    }
    fragment ReleaseIssue on Issue { ${issueFields(options.comments ?? false)} }`;
    const { data } = await graphqlAllowing<{ repository: Record<string, GqlIssue | null> | null }>(graphql, query, {
      owner,
      name: repo,
    }, ['NOT_FOUND', 'FORBIDDEN']);
    queries += 1;
    batch.forEach((_n, i) => {
      const issue = data.repository?.[`i${i}`];
      if (issue) out.push(toIssue(issue, `${owner}/${repo}`));
    });
  }
  return { issues: out, queries };
}
