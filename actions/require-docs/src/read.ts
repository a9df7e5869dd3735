// The reads of require-docs, through the API (never the pull request's code): in one GraphQL query, the
// pull request as the facts the rules read, its first 100 files, the token's identity, the sticky comment
// among the first 100 comments and the config file at the base commit; more files in pages of 100 (up to
// GitHub's 3,000); and the base commit of a pull request named by the `pull-request` input.
import {
  compact,
  CONFIG_FILE_FIELD,
  configExpression,
  configFromGraphql,
  type ConfigFileNode,
  type ConfigResult,
  hasMarker,
  isAuthoredBy,
  type IssueComment,
  type Octokit,
} from '@userloop/core';
import type { ChangedFile, PullRequestFacts } from './evaluate.ts';
import { MARKER } from './render.ts';

/** GitHub lists at most this many files of a pull request. */
const FILE_LIMIT = 3000;

interface FilesPage {
  nodes: ({ path: string; changeType: string } | null)[] | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface PullRequestNode {
  title: string;
  body: string | null;
  isDraft: boolean;
  changedFiles: number;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  files: FilesPage | null;
  comments: {
    nodes: ({ fullDatabaseId: string | number | null; body: string; url: string; createdAt: string; author: { __typename: string; login: string } | null } | null)[] | null;
    pageInfo: { hasNextPage: boolean };
  };
}

const FILES = `files(first: 100, after: $files) { nodes { path changeType } pageInfo { hasNextPage endCursor } }`;

/** The first query; with the config file at `$configExpression` when the run reads its config here. */
const pullRequestQuery = (config: boolean) => `query RequireDocsPullRequest($owner: String!, $repo: String!, $number: Int!, $files: String${config ? ', $configExpression: String!' : ''}) {
  viewer { login }
  repository(owner: $owner, name: $repo) {${config ? `\n    ${CONFIG_FILE_FIELD}` : ''}
    pullRequest(number: $number) {
      title body isDraft changedFiles
      labels(first: 100) { nodes { name } }
      ${FILES}
      comments(first: 100) {
        nodes { fullDatabaseId body url createdAt author { __typename login } }
        pageInfo { hasNextPage }
      }
    }
  }
}`;

const FILES_QUERY = `query RequireDocsFiles($owner: String!, $repo: String!, $number: Int!, $files: String) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { ${FILES} } }
}`;

/** REST's file status from GraphQL's `PatchStatus` (`DELETED` is REST's `removed`). */
const status = (changeType: string): string => (changeType === 'DELETED' ? 'removed' : changeType.toLowerCase());

/** What the run reads: the facts, the token's login, the sticky comment (`undefined`: not among the first 100), and the config when asked for. */
export interface PullRequestRead {
  facts: PullRequestFacts;
  login: string;
  existing: IssueComment | null | undefined;
  /** The config read in the query (`null`: GitHub cut the file, read it through the contents API). */
  config?: ConfigResult | null;
}

/** Where the config file is read: the base commit, and the `config-path` input. */
export interface ConfigAt {
  ref: string;
  path: string;
}

/**
 * Reads the pull request fresh (a re-run sees today's body and labels), its files, the bot's sticky comment
 * and, with `configAt`, the config file at the base commit, in the same query.
 */
export async function readPullRequest(octokit: Octokit, owner: string, repo: string, pullNumber: number, configAt?: ConfigAt): Promise<PullRequestRead> {
  const vars = { owner, repo, number: pullNumber };
  const data = await octokit.graphql<{ viewer: { login: string }; repository: { pullRequest: PullRequestNode | null; configFile?: ConfigFileNode | null } | null }>(
    pullRequestQuery(configAt !== undefined),
    configAt ? { ...vars, configExpression: configExpression(configAt.ref, configAt.path) } : vars,
  );
  const pull = data.repository?.pullRequest;
  if (!pull) throw new Error(`${owner}/${repo}#${pullNumber} is not a pull request the token can read.`);
  const files: ChangedFile[] = [];
  let page = pull.files;
  while (page) {
    for (const file of compact(page.nodes)) files.push({ filename: file.path, status: status(file.changeType) });
    if (!page.pageInfo.hasNextPage || files.length >= FILE_LIMIT) break;
    const next = await octokit.graphql<{ repository: { pullRequest: { files: FilesPage | null } | null } | null }>(FILES_QUERY, { ...vars, files: page.pageInfo.endCursor });
    page = next.repository?.pullRequest?.files ?? null;
  }
  const login = data.viewer.login;
  // The oldest comment by the token's own account that carries the marker, as core's findMarkedComment picks it.
  // fullDatabaseId: GitHub's comment ids are past 2^31, which the 32-bit `databaseId` cannot answer.
  const mine = compact(pull.comments.nodes).find((c) => c.fullDatabaseId !== null && isAuthoredBy(c.author, login) && hasMarker(c.body, MARKER));
  const existing: IssueComment | null | undefined = mine
    ? { id: Number(mine.fullDatabaseId), body: mine.body, html_url: mine.url, created_at: mine.createdAt, user: mine.author && { login: mine.author.login, type: mine.author.__typename } }
    : pull.comments.pageInfo.hasNextPage
      ? undefined
      : null;
  return {
    facts: {
      title: pull.title,
      body: pull.body,
      draft: pull.isDraft,
      labels: compact(pull.labels?.nodes).map((label) => label.name),
      files: files.slice(0, FILE_LIMIT),
      changedFiles: Math.max(pull.changedFiles, files.length),
    },
    login,
    existing,
    ...(configAt ? { config: configFromGraphql(data.repository?.configFile, { owner, repo, ref: configAt.ref, path: configAt.path }) } : {}),
  };
}

/** The base commit of a pull request: where its config is read from. */
export async function readBaseSha(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<string> {
  return (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pullNumber })).data.base.sha;
}
