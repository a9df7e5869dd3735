import * as core from '@actions/core';
import { fitBody } from './markdown.ts';
import { resolveIdentity } from './identity.ts';
import { isAuthoredBy } from './people.ts';
import { findMarkers, hasMarker, renderMarker } from './markers.ts';
import { keepOne, type KeepOneResult } from './once.ts';
import { sameBody } from './regions.ts';
import type { Octokit } from './octokit.ts';

/** GitHub's limit on a comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

type Client = Pick<Octokit, 'request' | 'paginate'> & Partial<Pick<Octokit, 'graphql'>>;

/** A comment as the REST API lists it (the fields used here). */
export interface IssueComment {
  id: number;
  created_at?: string;
  body?: string | null;
  html_url: string;
  user: { login: string; type?: string } | null;
}

/** Options of {@link upsertComment}. */
export interface UpsertCommentOptions {
  octokit: Client;
  owner: string;
  repo: string;
  /** Issue or pull request number. */
  issueNumber: number;
  /** Marker kind identifying the comment (`prioritize`); rendered into the body when absent. */
  marker: string;
  /** Data carried in the marker (optional). */
  markerData?: unknown;
  /** The comment's markdown. Cut at a block boundary if it exceeds GitHub's limit. */
  body: string;
  /** The login whose comments are trusted; default: the token's identity ({@link resolveIdentity}). */
  botLogin?: string;
  /**
   * The marked comment when the caller already found it in its own read (authored by the bot), or `null`
   * when the caller knows there is none: the comments are then not listed again. Omit to search every page.
   */
  existing?: IssueComment | null;
  /** The issue's GraphQL id: a create and the look after it in one request (see {@link CreateCommentOnceOptions.subjectId}). */
  subjectId?: string | undefined;
}

/** What {@link upsertComment} did. */
export interface UpsertCommentResult {
  id: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
  /** True when the body had to be cut to fit. */
  truncated: boolean;
  /**
   * True when an overlapping run created the same comment first: this run's copy was deleted and `id`/`url`
   * are the other run's (`action` is then `unchanged`: the kept comment is left as that run wrote it).
   */
  lostRace?: boolean;
}


/** Every comment written by `login` (see {@link isAuthoredBy}) that carries a `marker` marker, oldest first, reading every page. */
export async function findMarkedComments(
  octokit: Client,
  params: {
    owner: string;
    repo: string;
    issueNumber: number;
    marker: string;
    login: string;
    /** Only comments updated at or after this ISO time (GitHub's `since`). */
    since?: string | undefined;
  },
  stopAtFirst = false,
): Promise<IssueComment[]> {
  const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: params.owner,
    repo: params.repo,
    issue_number: params.issueNumber,
    per_page: 100,
    ...(params.since ? { since: params.since } : {}),
  });
  const found: IssueComment[] = [];
  for await (const page of pages) {
    for (const comment of page.data as IssueComment[]) {
      // Markers in anyone else's comments are ignored: they could be copied to spoof us.
      if (!isAuthoredBy(comment.user, params.login)) continue;
      if (!hasMarker(comment.body, params.marker)) continue;
      found.push(comment);
      if (stopAtFirst) return found;
    }
  }
  return found;
}

/** Finds the first (oldest) comment written by `login` (see {@link isAuthoredBy}) that carries a `marker` marker, reading every page. */
export async function findMarkedComment(
  octokit: Client,
  params: { owner: string; repo: string; issueNumber: number; marker: string; login: string },
): Promise<IssueComment | undefined> {
  return (await findMarkedComments(octokit, params, true))[0];
}

/** How far back before a create the second look reaches: longer than any run takes from its read to its write. */
const RACE_WINDOW_MS = 10 * 60 * 1000;

/** What {@link createCommentOnce} needs. */
export interface CreateCommentOnceOptions {
  octokit: Client;
  owner: string;
  repo: string;
  issueNumber: number;
  /** The marker kind the body carries. */
  marker: string;
  /** The whole body, its marker included. */
  body: string;
  /** The login whose marked comments count (the token's identity). */
  login: string;
  /** Which of the bot's comments with the marker are copies of this one (default: all of them). */
  same?: (body: string | null | undefined) => boolean;
  /** How far back before this comment the second look reaches (default 10 minutes). */
  windowMs?: number;
  /** Runs the POST (a caller's write pacing); default: at once. */
  post?: <T>(write: () => Promise<T>) => Promise<T>;
  /**
   * The issue's (or pull request's) GraphQL id, with a client that has `graphql`: the comment is posted with
   * GraphQL's `addComment`, whose answer reads the thread's newest comments back, so the second look costs no
   * request when the thread fits in them (else it is listed through REST). A write GitHub refuses there is
   * sent through REST, whose answer says why in HTTP terms (a locked issue, a missing permission).
   */
  subjectId?: string | undefined;
}

/** A comment as GitHub's GraphQL API gives it (the fields the second look reads). */
interface GraphqlComment {
  /** The REST id. GitHub's comment ids passed 2^31, which `databaseId` (a 32-bit Int) cannot answer: a BigInt, sent as a string. */
  fullDatabaseId: string | number | null;
  url: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  author: { __typename: string; login: string } | null;
}

/** Comments of the thread `addComment` reads back with the comment it added. */
const THREAD_PAGE = 100;

const ADD_COMMENT_MUTATION = /* GraphQL */ `
  mutation UserloopAddComment($subjectId: ID!, $body: String!) {
    addComment(input: { subjectId: $subjectId, body: $body }) {
      commentEdge {
        node {
          ...UserloopAddedComment
        }
      }
      subject {
        ... on Issue {
          comments(last: ${THREAD_PAGE}) {
            ...UserloopThread
          }
        }
        ... on PullRequest {
          comments(last: ${THREAD_PAGE}) {
            ...UserloopThread
          }
        }
      }
    }
  }

  fragment UserloopThread on IssueCommentConnection {
    pageInfo {
      hasPreviousPage
    }
    nodes {
      ...UserloopAddedComment
    }
  }

  fragment UserloopAddedComment on IssueComment {
    fullDatabaseId
    url
    body
    createdAt
    updatedAt
    author {
      __typename
      login
    }
  }
`;

interface AddCommentAnswer {
  addComment: {
    commentEdge: { node: GraphqlComment | null } | null;
    subject: { comments?: { pageInfo: { hasPreviousPage: boolean }; nodes: (GraphqlComment | null)[] | null } | null } | null;
  } | null;
}

/** A GraphQL comment as the REST API would list it. */
const restComment = (c: GraphqlComment): IssueComment => ({
  id: Number(c.fullDatabaseId ?? 0),
  created_at: c.createdAt,
  body: c.body,
  html_url: c.url,
  user: c.author && { login: c.author.login, type: c.author.__typename },
});

/**
 * Posts the comment with GraphQL's `addComment`: the comment, and the thread's newest comments when they are
 * all of it (`null` otherwise, or when that part of the answer failed); `null` when GitHub refused the write.
 * A failure of the request itself (5xx, a dropped connection) is thrown, as for the REST POST, and so is an
 * answer that adds the comment but does not name it (a REST POST then would leave two).
 */
async function addComment(graphql: NonNullable<Client['graphql']>, subjectId: string, body: string): Promise<{ created: IssueComment; thread: GraphqlComment[] | null } | null> {
  let data: AddCommentAnswer | null | undefined;
  try {
    data = await graphql<AddCommentAnswer>(ADD_COMMENT_MUTATION, { subjectId, body });
  } catch (error) {
    const answer = error as { errors?: unknown; data?: AddCommentAnswer | null } | null;
    if (!Array.isArray(answer?.errors)) throw error;
    data = answer.data;
  }
  if (!data?.addComment) return null;
  const node = data.addComment.commentEdge?.node;
  if (!node?.fullDatabaseId) throw new Error(`addComment added a comment on ${subjectId} but its answer does not say which`);
  const comments = data.addComment.subject?.comments;
  const thread = comments && !comments.pageInfo.hasPreviousPage ? (comments.nodes ?? []).filter((c): c is GraphqlComment => c !== null && c.fullDatabaseId !== null) : null;
  return { created: restComment(node), thread };
}

/**
 * Posts a marked comment and settles a race with an overlapping run that posted the same one
 * ({@link keepOne}): the bot's copies posted shortly before or after are listed again, the oldest stays, and
 * this run's copy is deleted when it is not that one. Costs the POST and one read (and a DELETE on a loss).
 */
export async function createCommentOnce(options: CreateCommentOnceOptions): Promise<KeepOneResult<IssueComment>> {
  const { octokit, owner, repo, issueNumber, marker, login } = options;
  const post = options.post ?? ((write) => write());
  const { graphql } = octokit;
  const added = options.subjectId && graphql ? await post(() => addComment(graphql, options.subjectId!, options.body)) : null;
  const created = added?.created ?? ((await post(() => octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: issueNumber, body: options.body }))).data as IssueComment);
  core.debug(`created comment ${created.id} on ${owner}/${repo}#${issueNumber}`);
  const at = created.created_at ? Date.parse(created.created_at) : Number.NaN;
  // An overlapping run's copy was created between its read and ours, moments before or after this one: the
  // comments updated in the window before ours are enough, so a long thread costs one page, not all.
  const since = Number.isNaN(at) ? undefined : new Date(at - (options.windowMs ?? RACE_WINDOW_MS)).toISOString();
  const same = options.same ?? (() => true);
  // The thread `addComment` read back, as GitHub's `since` would list it: the comments updated in the window.
  const thread = added?.thread?.filter((c) => since === undefined || Date.parse(c.updatedAt) >= Date.parse(since)).map(restComment);
  return keepOne({
    created,
    list: async () =>
      (thread ? thread.filter((c) => isAuthoredBy(c.user, login) && hasMarker(c.body, marker)) : await findMarkedComments(octokit, { owner, repo, issueNumber, marker, login, since })).filter((c) => same(c.body)),
    order: (c) => Number(c.id),
    discard: async (mine) => {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: mine.id });
    },
    what: `${marker} comment on ${owner}/${repo}#${issueNumber}`,
  });
}

/**
 * Creates or updates the bot's comment on an issue or pull request, identified by a hidden
 * marker. Reads every page of comments; trusts only comments authored by the token's identity
 * (or `botLogin`); updates in place; writes nothing when the body is unchanged.
 *
 * A create is safe when two runs overlap ({@link keepOne}): after posting, the comments are listed again
 * and only the oldest marked comment of the bot stays; a run whose copy is newer deletes it and returns the
 * other one (`lostRace`). A create therefore costs one more read.
 */
export async function upsertComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { octokit, owner, repo, issueNumber, marker } = options;

  let markerText = '';
  if (!hasMarker(options.body, marker) || options.markerData !== undefined) {
    markerText = renderMarker(marker, options.markerData);
  }
  let content = options.body;
  if (markerText !== '') {
    // Replace a marker already present (stale data) with the fresh one, at the end.
    for (const found of findMarkers(content, marker).reverse()) {
      content = content.slice(0, found.index) + content.slice(found.index + found.length);
    }
  }
  const room = COMMENT_LIMIT - (markerText === '' ? 0 : markerText.length + 2);
  const fitted = fitBody(content, room);
  const body = markerText === '' ? fitted.body : `${fitted.body.trimEnd()}\n\n${markerText}`;

  const existing =
    options.existing !== undefined
      ? (options.existing ?? undefined)
      : await findMarkedComment(octokit, {
          owner,
          repo,
          issueNumber,
          marker,
          login: options.botLogin ?? (await resolveIdentity(octokit)),
        });
  if (existing) {
    if (sameBody(existing.body, body)) {
      return { id: existing.id, url: existing.html_url, action: 'unchanged', truncated: fitted.truncated };
    }
    const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner,
      repo,
      comment_id: existing.id,
      body,
    });
    core.debug(`updated comment ${data.id} on ${owner}/${repo}#${issueNumber}`);
    return { id: Number(data.id), url: data.html_url, action: 'updated', truncated: fitted.truncated };
  }
  const login = options.botLogin ?? (await resolveIdentity(octokit));
  const settled = await createCommentOnce({ octokit, owner, repo, issueNumber, marker, body, login, subjectId: options.subjectId });
  if (!settled.won) {
    return { id: Number(settled.kept.id), url: settled.kept.html_url, action: 'unchanged', truncated: fitted.truncated, lostRace: true };
  }
  return { id: Number(settled.kept.id), url: settled.kept.html_url, action: 'created', truncated: fitted.truncated };
}
