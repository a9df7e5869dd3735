// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- types of bottleneck/light.js, which ships none
/// <reference path="./types/bottleneck-light.d.ts" />
import * as core from '@actions/core';
import { Octokit as OctokitCore } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { httpStatus } from './errors.ts';
import { proxyAwareFetch } from './proxy.ts';

/** Octokit's core (`request`, `graphql`, `hook`) with `paginate`, retries and rate-limit handling. */
const UserloopOctokit = OctokitCore.plugin(paginateRest, retry, throttling);

/**
 * The GitHub client every action uses: `request`, `paginate` and `graphql`. There are no generated
 * `rest.*` methods (the bundles do not ship them): call `request('GET /repos/{owner}/{repo}/…')`.
 */
export type Octokit = InstanceType<typeof UserloopOctokit>;

/** How rate limits and write pacing are handled. */
export interface ThrottleOptions {
  /** Turn rate-limit handling and write pacing off entirely (default: on). */
  enabled?: boolean;
  /** Retries after a primary or secondary rate limit before giving up (default 3). */
  retries?: number;
  /** Longest wait, in seconds, worth retrying a rate-limited request for (default 900). */
  maxRetryAfter?: number;
  /**
   * Retries of a rate-limited write (any method but `GET`/`HEAD`, GraphQL queries excepted); default
   * `retries`. An action that paces its own writes (a `WritePacer`, which stops and reports what is left)
   * sets 0, so a long `retry-after` reaches it at once instead of being waited out here first.
   */
  writeRetries?: number;
  /**
   * Multiplies every wait (retry backoff, `retry-after`, rate-limit reset, write pacing).
   * Default: `USERLOOP_WAIT_SCALE` from the environment, else 1. Tests against the emulator use
   * a tiny value (0.001) so a `retry-after: 60` costs 60 ms.
   */
  waitScale?: number;
}

/** Options of {@link createOctokit}. */
export interface CreateOctokitOptions {
  /** A GITHUB_TOKEN, installation token or PAT. Masked in the log. */
  token: string;
  /** REST base URL. Default `GITHUB_API_URL`, else `https://api.github.com`. */
  apiUrl?: string;
  /** GraphQL endpoint, used exactly as given. Default `GITHUB_GRAPHQL_URL`, else derived from `apiUrl`. */
  graphqlUrl?: string;
  /** Retries of a 5xx or dropped connection (default 3, backoff 1 s, 4 s, 9 s). */
  retries?: number;
  /** Rate-limit handling. */
  throttle?: ThrottleOptions;
  /** User agent prefix (default `userloop`). */
  userAgent?: string;
  /** Where the defaults are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** Statuses a retry cannot fix; 403 and 429 rate limits are handled by the throttling plugin. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/** The request options the transport hook sees (Octokit's endpoint options, before they are parsed). */
interface HookOptions {
  method?: string;
  url?: string;
  query?: unknown;
  body?: unknown;
  request?: Record<string, unknown> & { retries?: number };
  [key: string]: unknown;
}

/**
 * Whether a request creates something, so that sending it twice could create it twice: every `POST`
 * (a comment, an issue, a release, a label) except a GraphQL query (a GraphQL mutation counts). `GET`,
 * `PATCH`, `PUT` and `DELETE` set a state and are safe to send again.
 *
 * @param options - the request's method, URL and (for GraphQL) `query`
 */
export function isNonIdempotentRequest(options: { method?: string; url?: string; query?: unknown; body?: unknown }): boolean {
  if ((options.method ?? 'GET').toUpperCase() !== 'POST') return false;
  const path = (options.url ?? '').replace(/[?#].*$/, '');
  if (!/\/graphql$/.test(path)) return true;
  const query = options.query ?? (options.body as { query?: unknown } | null | undefined)?.query;
  return typeof query === 'string' && /^\s*mutation\b/.test(query.replace(/^\s*(#[^\n]*\n\s*)*/, ''));
}

/**
 * Whether a request writes, for GitHub's "at least one second between writes": `POST`, `PATCH`, `PUT` and
 * `DELETE`, a GraphQL mutation among them; a GraphQL query is a read.
 */
export function isWriteRequest(options: { method?: string; url?: string; query?: unknown; body?: unknown }): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  return method !== 'POST' || isNonIdempotentRequest(options);
}

/**
 * A write GitHub did not confirm: the connection dropped (or GitHub answered 5xx) after the request was
 * sent, so it may or may not have been saved. The client does not send it again (that could write it
 * twice); the caller reports it, and the next run, which reads what exists, finishes the work.
 */
export class UnconfirmedWriteError extends Error {
  override readonly name = 'UnconfirmedWriteError';
  /** The status GitHub answered with, or 500 when the connection dropped before any answer. */
  readonly status: number;
  /** The request, as Octokit errors carry it (`method`, `url`). */
  readonly request: { method: string; url: string };
  /** GitHub's answer, when there was one. */
  readonly response: unknown;
  override readonly cause: unknown;

  constructor(request: { method: string; url: string }, cause: unknown) {
    const status = httpStatus(cause);
    const response = (cause as { response?: unknown } | null)?.response;
    const reason = response === undefined
      ? `the connection was lost before GitHub answered (${cause instanceof Error ? cause.message : String(cause)})`
      : `GitHub answered ${String(status)} (${cause instanceof Error ? cause.message : String(cause)})`;
    super(
      `${reason}. The write may or may not have been saved; it was not sent again, so nothing is written twice. Re-run the job to finish: it reads what was already written.`,
    );
    this.status = typeof status === 'number' ? status : 500;
    this.request = request;
    this.response = response;
    this.cause = cause;
  }
}

/** A write GitHub answered with a redirect (the resource moved, e.g. a transferred issue): not followed, never replayed as a `GET`. */
export class RedirectedWriteError extends Error {
  override readonly name = 'RedirectedWriteError';
  /** 301, 302, 307 or 308. */
  readonly status: number;
  /** Where GitHub says the resource is now (the `location` header), if it said. */
  readonly location: string | null;
  readonly request: { method: string; url: string };
  readonly response: { status: number; url: string; headers: Record<string, string>; data: unknown };

  constructor(request: { method: string; url: string }, response: { status: number; url: string; headers: Record<string, string>; data: unknown }) {
    const location = response.headers['location'] ?? null;
    super(`GitHub answered ${response.status} (moved${location ? ` to ${location}` : ''}); the write was not sent to the new place.`);
    this.status = response.status;
    this.location = location;
    this.request = request;
    this.response = response;
  }
}

/** Where a request goes, for messages: the method and the URL with its parameters filled in. */
function describeRequest(options: HookOptions): { method: string; url: string } {
  const method = (options.method ?? 'GET').toUpperCase();
  const url = String(options.url ?? '').replace(/\{(\w+)\}/g, (m, key: string) => {
    const value = options[key];
    return typeof value === 'string' || typeof value === 'number' ? encodeURIComponent(String(value)) : m;
  });
  return { method, url };
}

/**
 * The default GraphQL URL for a REST base: `https://api.github.com/graphql` on github.com,
 * `https://HOST/api/graphql` on GitHub Enterprise Server (`https://HOST/api/v3`), otherwise
 * `<apiUrl>/graphql`.
 */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  if (/\/api\/v3$/.test(base)) return base.replace(/\/api\/v3$/, '/api/graphql');
  return `${base}/graphql`;
}

/**
 * The user agent: `prefix`, then the runner's orchestration id when it gives one (`ACTIONS_ORCHESTRATION_ID`,
 * as `@actions/github` adds it), then Octokit's own part.
 */
function userAgentFor(prefix: string, env: NodeJS.ProcessEnv): string {
  const id = env['ACTIONS_ORCHESTRATION_ID']?.trim();
  return id ? `${prefix} actions_orchestration_id/${id.replace(/[^a-z0-9_.-]/gi, '_')}` : prefix;
}

function readScale(env: NodeJS.ProcessEnv): number {
  const raw = env['USERLOOP_WAIT_SCALE'];
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : 1;
}

/**
 * Builds the one GitHub client an action uses, Octokit's core on Node's http and https modules (http-fetch.ts):
 *
 * - requests through the runner's proxy when `HTTPS_PROXY` / `HTTP_PROXY` name one and `NO_PROXY` does not
 *   exempt the host (`proxyFor` in proxy.ts; the proxy client is loaded only then);
 * - REST base from `apiUrl` / `GITHUB_API_URL`, GraphQL endpoint from `graphqlUrl` /
 *   `GITHUB_GRAPHQL_URL`, honoured exactly (GitHub Enterprise Server and the emulator);
 * - retries of 5xx and dropped connections (`@octokit/plugin-retry`), except for writes that create
 *   content ({@link isNonIdempotentRequest}: every `POST` but a GraphQL query). Those are sent once: a
 *   dropped connection or a 5xx may come after GitHub saved the write, and sending it again would post
 *   the comment, issue or release twice. Such a failure throws {@link UnconfirmedWriteError}; the actions
 *   re-read their markers on the next run, so a re-run finishes the work. A caller that knows a `POST`
 *   is safe to repeat opts back in with `request: { retries: n }`;
 * - a `POST` answered with a redirect (a transferred issue answers 301) is not followed (fetch would
 *   replay it as a `GET` that "succeeds" without writing): it throws {@link RedirectedWriteError};
 * - primary and secondary rate limits retried after `retry-after` / the reset time, a bounded
 *   number of times, with a warning each time (`@octokit/plugin-throttling`);
 * - writes ({@link isWriteRequest}) one at a time, at least one second apart, as GitHub asks; reads and
 *   GraphQL queries are not paced (the plugin's own pacing, 1 s between GraphQL queries and 3 s between
 *   content writes, is set to nothing);
 * - `paginate` for REST lists;
 * - the token masked in the log (on an Actions runner, where `GITHUB_ACTIONS=true`; elsewhere a mask
 *   command would print it).
 *
 * @throws Error when the token is empty
 */
export function createOctokit(options: CreateOctokitOptions): Octokit {
  const env = options.env ?? process.env;
  const token = (options.token ?? '').trim();
  if (token === '') {
    throw new Error(
      'The GitHub token is empty. Pass one with the `token` input (for example `token: ${{ github.token }}` in the workflow).',
    );
  }
  // `::add-mask::` tells the Actions runner to hide the value; anywhere else (the CLI in a terminal)
  // the same line would print the token in clear, so it is only written on a runner.
  if (env['GITHUB_ACTIONS'] === 'true') core.setSecret(token);

  const apiUrl = (options.apiUrl || env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
  const graphqlUrl = (options.graphqlUrl || env['GITHUB_GRAPHQL_URL'] || graphqlUrlFor(apiUrl)).replace(/\/+$/, '');
  const throttle = options.throttle ?? {};
  const scale = throttle.waitScale ?? readScale(env);
  const maxRateRetries = throttle.retries ?? 3;
  const maxRetryAfter = throttle.maxRetryAfter ?? 900;
  const maxWriteRetries = throttle.writeRetries ?? maxRateRetries;

  const onLimit = (kind: string) =>
    (retryAfter: number, request: { method: string; url: string; query?: unknown }, _octokit: unknown, retryCount: number): boolean => {
      const what = `${request.method} ${request.url}`;
      const retries = isWriteRequest(request) ? maxWriteRetries : maxRateRetries;
      if (retryCount < retries && retryAfter <= maxRetryAfter) {
        core.warning(`GitHub ${kind} rate limit on ${what}; retrying in ${retryAfter} s (retry ${retryCount + 1} of ${retries}).`);
        return true;
      }
      core.warning(`GitHub ${kind} rate limit on ${what}; giving up after ${retryCount} retries (retry-after ${retryAfter} s).`);
      return false;
    };

  // The plugin paces every GraphQL query like a write (1 s) and content writes 3 s apart; its groups are
  // left without a minimum time, and writes are paced below, at GitHub's one second.
  const unpaced = (): Bottleneck.Group => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
  const writes = throttle.enabled === false ? null : new Bottleneck({ maxConcurrent: 1, minTime: Math.round(1000 * scale) });

  const octokit = new UserloopOctokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: userAgentFor(options.userAgent ?? 'userloop', env),
    request: { fetch: proxyAwareFetch(env) },
    log: { debug: core.debug, info: core.debug, warn: core.warning, error: core.error },
    retry: {
      retries: options.retries ?? 3,
      doNotRetry: DO_NOT_RETRY,
      retryAfterBaseValue: 1000 * scale,
    },
    throttle: throttle.enabled === false
      ? { enabled: false }
      : {
          enabled: true,
          retryAfterBaseValue: 1000 * scale,
          fallbackSecondaryRateRetryAfter: 60,
          write: unpaced(),
          notifications: unpaced(),
          search: new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.round(2000 * scale) }),
          onRateLimit: onLimit('primary'),
          onSecondaryRateLimit: onLimit('secondary'),
        },
  });
  // Writes that create content are sent once (see the TSDoc above).
  const send: Parameters<typeof octokit.hook.wrap<'request'>>[1] = async (request, options) => {
    const opts = options as unknown as HookOptions;
    if (!isNonIdempotentRequest(opts)) return request(options);
    opts.request = { ...opts.request, redirect: 'manual', retries: opts.request?.retries ?? 0 };
    const where = describeRequest(opts);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(options);
    } catch (error) {
      const status = httpStatus(error);
      if (typeof status === 'number' && status >= 500) throw new UnconfirmedWriteError(where, error);
      throw error;
    }
    if (response.status >= 300 && response.status < 400) {
      throw new RedirectedWriteError(where, response as unknown as ConstructorParameters<typeof RedirectedWriteError>[1]);
    }
    return response;
  };
  // Registered last, this hook wraps the retry and throttling plugins, so its options reach them, and a
  // retried write is paced once.
  octokit.hook.wrap('request', async (request, options) => {
    if (writes && isWriteRequest(options as unknown as HookOptions)) return writes.schedule(async () => send(request, options));
    return send(request, options);
  });
  // @octokit/graphql derives its URL from baseUrl (replacing /api/v3); use the configured one as is.
  octokit.graphql = octokit.graphql.defaults({ baseUrl: graphqlUrl, url: graphqlUrl });
  return octokit;
}

/** A GraphQL connection as GitHub returns it. */
export interface GraphqlConnection<TNode> {
  nodes?: ReadonlyArray<TNode | null> | null;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Options of {@link graphqlPaginate}. */
export interface GraphqlPaginateOptions {
  /** Stop after this many pages (default: no limit). */
  maxPages?: number;
  /** Name of the cursor variable in the query (default `cursor`). */
  cursorVariable?: string;
}

/**
 * Walks a GraphQL connection page by page. The query takes a `$cursor: String` variable and asks
 * for `first: 100, after: $cursor` with `pageInfo { hasNextPage endCursor }`; `connection` picks
 * the connection out of each response. Yields each page's response and its nodes.
 */
export async function* graphqlPages<TNode, TData = unknown>(
  octokit: Pick<Octokit, 'graphql'>,
  query: string,
  variables: Record<string, unknown>,
  connection: (data: TData) => GraphqlConnection<TNode> | null | undefined,
  options: GraphqlPaginateOptions = {},
): AsyncGenerator<{ data: TData; nodes: TNode[] }> {
  const cursorVariable = options.cursorVariable ?? 'cursor';
  let cursor: string | null = null;
  for (let page = 0; options.maxPages === undefined || page < options.maxPages; page++) {
    const data: TData = await octokit.graphql<TData>(query, { ...variables, [cursorVariable]: cursor });
    const conn = connection(data);
    const nodes = (conn?.nodes ?? []).filter((node): node is TNode => node !== null);
    yield { data, nodes };
    if (!conn?.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return;
    cursor = conn.pageInfo.endCursor;
  }
}

/**
 * Collects every node of a GraphQL connection (pages of 100; see {@link graphqlPages}).
 *
 * @example
 * const issues = await graphqlPaginate(octokit, QUERY, { owner, repo }, (d: Data) => d.repository.issues);
 */
export async function graphqlPaginate<TNode, TData = unknown>(
  octokit: Pick<Octokit, 'graphql'>,
  query: string,
  variables: Record<string, unknown>,
  connection: (data: TData) => GraphqlConnection<TNode> | null | undefined,
  options: GraphqlPaginateOptions = {},
): Promise<TNode[]> {
  const all: TNode[] = [];
  for await (const page of graphqlPages(octokit, query, variables, connection, options)) all.push(...page.nodes);
  return all;
}
