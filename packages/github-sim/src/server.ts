/**
 * The emulator's HTTP server.
 *
 * POST /graphql is delegated to the handler registered with `setGraphqlHandler(handler)`. `startSim()`
 * registers src/graphql/index.ts's `graphqlHandler` (a `GraphqlHandler`, below) by itself: it receives
 * the store, the parsed JSON request body and the caller's token (`{ token, login, permissions }`),
 * and returns `{ status, body, points?, mutation?, headers? }`. The server adds the points to
 * `sim.counters.graphqlPoints`, counts the query in `graphqlQueries`, counts a mutation as a write,
 * applies faults (route `/graphql`) and rate-limit headers (`x-ratelimit-resource: graphql`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, checkResponse, matchRoute, notFound, loadContract, type Violation } from './openapi.ts';
import { Renderer } from './render.ts';
import { permissionFor, routes, type RouteContext } from './routes.ts';
import { DEFAULT_TOKEN, SimError, Store, type Snapshot, type SimToken } from './store.ts';
import { ContentLimiter, HourlyBudget, MINUTE, SEARCH_PER_MINUTE, type BudgetState, type Instant } from './limits.ts';

// ----- GraphQL registry -----

export interface GraphqlCaller extends SimToken {
  /** the raw token string */
  token: string;
  /**
   * Charges a call's points to the token's hourly GraphQL budget, before it runs. A handler calls it once
   * with the call's cost (0 for a dry run); when it answers `ok: false` the call must not run and is
   * answered `{ errors: [{ type: 'RATE_LIMITED', message }] }` (HTTP 200), as GitHub does.
   */
  budget?: (points: number) => GraphqlBudgetAnswer;
}

/** What the GraphQL budget says about one call: the state after charging it, or a refusal. */
export interface GraphqlBudgetAnswer {
  ok: boolean;
  limit: number;
  used: number;
  /** when the hour ends, on the store's clock (ISO 8601) */
  resetAt: string;
  /** GitHub's message, when refused */
  message?: string;
}

export interface GraphqlResult {
  status: number;
  body: unknown;
  /** rate-limit points this call cost */
  points?: number;
  /** true when the operation was a mutation (counted as a write) */
  mutation?: boolean;
  headers?: Record<string, string>;
}

export type GraphqlHandler = (store: Store, body: unknown, caller: GraphqlCaller) => Promise<GraphqlResult>;

let graphqlHandler: GraphqlHandler | undefined;

/** Registers the handler for `POST /graphql` (done by startSim from src/graphql/index.ts when present). */
export function setGraphqlHandler(handler: GraphqlHandler | undefined): void {
  graphqlHandler = handler;
}

export function getGraphqlHandler(): GraphqlHandler | undefined {
  return graphqlHandler;
}

// ----- public types -----

/**
 * `graphql-partial` (route `/graphql`): the operation runs, then GitHub's partial-failure shape is
 * answered: HTTP 200, the field at `path` (default: the first root field) set to null, and an
 * `errors` entry naming that path, as GitHub does when part of a query times out.
 */
/**
 * `drop` cuts the connection before the request is applied; `drop-after-write` applies it (the write is
 * saved, as GitHub sometimes does before a connection dies) and then cuts the connection, so the client
 * never sees the answer.
 */
/**
 * `delay` holds a matching request for `delayMs` before it is applied (then answers it normally): widens a
 * race window, so two overlapping runs both read before either writes, as they can on GitHub.
 */
export type FaultKind = 'secondary-rate-limit' | 'primary-rate-limit' | 'drop' | 'drop-after-write' | 'locked' | 'graphql-partial' | 'delay';

export interface FaultSpec {
  /** HTTP method (any when omitted) */
  method?: string;
  /** an OpenAPI route template (`/repos/{owner}/{repo}/issues/{issue_number}/comments`, `/graphql`), an exact path, or a RegExp tested on the path */
  route?: string | RegExp;
  /** status to answer with (ignored for kinds 'drop' and 'drop-after-write') */
  status?: 500 | 502 | 503 | 403 | 429 | 404 | 410 | 422;
  /** how many matching requests fail (default 1; Infinity for all) */
  times?: number;
  kind?: FaultKind;
  /** seconds, for rate limits: `retry-after` (secondary) or time to `x-ratelimit-reset` (primary); default 1 */
  retryAfter?: number;
  /** override the error message */
  message?: string;
  /** for kind 'graphql-partial': the response field names down to the field answered as null (default: the first root field) */
  path?: string[];
  /** for kind 'delay': milliseconds a matching request is held before it is applied (default 100) */
  delayMs?: number;
  /** for route `/graphql`: only a document whose operation has this name (`mutation UserloopAddComment`) */
  operation?: string;
}

/** Whether a GraphQL document names the operation `name` (`query Name`, `mutation Name(...)`). */
const namesOperation = (body: unknown, name: string): boolean =>
  new RegExp(`\\b(?:query|mutation)\\s+${name}\\b`).test(String((body as { query?: unknown } | undefined)?.query ?? ''));

export interface Fault extends FaultSpec {
  /** matching requests failed so far */
  hits: number;
}

export interface Faults {
  add(spec: FaultSpec): Fault;
  clear(): void;
  readonly list: Fault[];
}

export interface Counters {
  rest: number;
  restByRoute: Record<string, number>;
  graphqlPoints: number;
  graphqlQueries: number;
  writes: number;
}

export interface RequestLogEntry {
  method: string;
  /** path with query string */
  path: string;
  /** `METHOD /template` when the route is known; `POST /graphql` for GraphQL */
  route: string | null;
  status: number;
  /** parsed JSON request body, when there was one */
  body?: unknown;
  /** login of the token's user */
  login?: string | undefined;
  /** when the request arrived (`Date.now()`, real time): to check how long a client waited between requests */
  at?: number;
  /** GraphQL: the points charged to the token's hour */
  points?: number;
}

export interface SimOptions {
  snapshot?: Snapshot;
  /** default true: `assertClean()` throws on contract violations */
  strict?: boolean;
  /** validate every JSON response body against the OpenAPI response schema (slower) */
  validateResponses?: boolean;
  /**
   * GitHub's secondary limits on content-creating requests (REST `POST`s that create issues, comments,
   * labels, releases, reactions, pull requests, refs, assignees; GraphQL `add…`/`create…` mutations): 80 a
   * minute and 500 an hour per user (per repository for a `github-token`), answered 403 with `retry-after`.
   * Default on; `false` turns it off. Time is measured as `limits.ts` explains (real time or `store.now`,
   * whichever moved more).
   */
  contentLimit?: boolean;
  port?: number;
  /** a store to serve instead of a fresh one */
  store?: Store;
}

export interface Sim {
  url: string;
  graphqlUrl: string;
  store: Store;
  counters: Counters;
  resetCounters(): void;
  faults: Faults;
  requests: RequestLogEntry[];
  violations: Violation[];
  strict: boolean;
  /** throws (listing them) when contract violations were seen; a no-op when `strict` is false */
  assertClean(): void;
  /**
   * The hourly budgets shared by every `github-token` of `repository` (`owner/name`): 1,000 REST requests
   * and 1,000 GraphQL points, with what is used in the current hour and in total. Without `repository`:
   * the budget of 5,000 of every other token (reported, never refused).
   */
  budgets(repository?: string): { rest: BudgetState; graphql: BudgetState };
  /**
   * Spends `points` of the GraphQL hour of `repository`'s GITHUB_TOKEN, as the repository's other workflows
   * would. Neither refused nor capped: the caller spends no more than the hour has left.
   */
  spendGraphqlPoints(repository: string, points: number): void;
  /** Content-creating requests a token's user (a `github-token`: its repository) made in the last minute and hour. */
  contentUsage(token: string): { minute: number; hour: number };
  stop(): Promise<void>;
}

const DOCS_RATE = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';
const CORE_LIMIT = 5000;
/** The GITHUB_TOKEN's hourly budgets, per repository: REST requests and GraphQL points. */
export const GITHUB_TOKEN_REST_LIMIT = 1000;
export const GITHUB_TOKEN_GRAPHQL_LIMIT = 1000;
const READ_LEVELS = new Set(['read', 'write', 'admin']);

/** A token's hourly budgets, and whether running out is refused. */
interface Budgets {
  rest: HourlyBudget;
  graphql: HourlyBudget;
  enforced: boolean;
  /** the installation id GitHub names when refusing (a github-token's: its repository's id) */
  installationId?: number | undefined;
}

function errorBody(status: number, message: string, documentationUrl = 'https://docs.github.com/rest', errors?: unknown[]): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: documentationUrl, status: String(status) };
}

function parseToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(?:token|bearer)\s+(\S+)/i.exec(header.trim());
  return m?.[1];
}

const CONTENT_CREATING = /\/(issues|comments|labels|releases|reactions|pulls|git\/refs|assignees)(\/|$)/;
/** GraphQL mutations that create content (`addComment`, `createIssue`, `addReaction`, ...). */
const CONTENT_MUTATION = /\b(add|create)[A-Z]\w*\s*\(/;

/** Starts an emulator on 127.0.0.1 (an ephemeral port unless `port` is given). */
export async function startSim(options: SimOptions = {}): Promise<Sim> {
  loadContract();
  await ensureGraphql();
  const store = options.store ?? new Store();
  if (options.snapshot) store.load(options.snapshot);
  const strict = options.strict ?? true;
  const counters: Counters = { rest: 0, restByRoute: {}, graphqlPoints: 0, graphqlQueries: 0, writes: 0 };
  const requests: RequestLogEntry[] = [];
  const violations: Violation[] = [];
  const faultList: Fault[] = [];
  const rate = { reset: Math.floor(Date.now() / 1000) + 3600 };
  const contentOn = options.contentLimit !== false;
  const content = new Map<string, ContentLimiter>();
  const instant = (): Instant => ({ real: Date.now(), store: store.now.getTime() });
  // Tokens other than a github-token share one budget of 5,000 that is reported, not enforced.
  const shared: Budgets = { rest: new HourlyBudget(CORE_LIMIT), graphql: new HourlyBudget(CORE_LIMIT), enforced: false };
  const perRepository = new Map<string, Budgets>();
  const repositoryBudgets = (repository: string): Budgets => {
    const key = repository.toLowerCase();
    let b = perRepository.get(key);
    if (!b) {
      b = { rest: new HourlyBudget(GITHUB_TOKEN_REST_LIMIT), graphql: new HourlyBudget(GITHUB_TOKEN_GRAPHQL_LIMIT), enforced: true };
      perRepository.set(key, b);
    }
    b.installationId ??= store.repo(repository)?.id;
    return b;
  };
  const budgetsOf = (token: SimToken): Budgets => (token.kind === 'github-token' && token.repository ? repositoryBudgets(token.repository) : shared);
  const contentKey = (token: SimToken): string => (token.kind === 'github-token' && token.repository ? `repository:${token.repository.toLowerCase()}` : `user:${token.login.toLowerCase()}`);
  const contentLimiter = (token: SimToken): ContentLimiter => {
    const key = contentKey(token);
    let c = content.get(key);
    if (!c) content.set(key, (c = new ContentLimiter()));
    return c;
  };
  // The search API's 30 requests a minute, enforced for every token: per user, per repository for a GITHUB_TOKEN.
  const searchBudgets = new Map<string, HourlyBudget>();
  const searchBudget = (token: SimToken): HourlyBudget => {
    const key = contentKey(token);
    let b = searchBudgets.get(key);
    if (!b) searchBudgets.set(key, (b = new HourlyBudget(SEARCH_PER_MINUTE, MINUTE)));
    return b;
  };
  const exceededMessage = (b: Budgets, token: SimToken): string =>
    b.enforced ? `API rate limit exceeded for installation ID ${b.installationId ?? 1}.` : `API rate limit exceeded for user ID ${store.findUser(token.login)?.id ?? 1}.`;
  let baseUrl = '';
  let render: Renderer | undefined;

  const faults: Faults = {
    add(spec) {
      const f: Fault = { times: 1, ...spec, hits: 0 };
      faultList.push(f);
      return f;
    },
    clear() {
      faultList.length = 0;
    },
    get list() {
      return faultList;
    },
  };

  const findFault = (method: string, path: string, template: string | null, delay = false, body?: unknown): Fault | undefined => {
    for (const f of faultList) {
      if (f.hits >= (f.times ?? 1)) continue;
      if ((f.kind === 'delay') !== delay) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.operation !== undefined && !namesOperation(body, f.operation)) continue;
      if (f.route !== undefined) {
        if (f.route instanceof RegExp) {
          if (!f.route.test(path)) continue;
        } else if (f.route !== template && f.route !== path) continue;
      }
      return f;
    }
    return undefined;
  };

  const holdIfDelayed = async (method: string, path: string, template: string | null, body?: unknown): Promise<void> => {
    const delay = findFault(method, path, template, true, body);
    if (!delay) return;
    delay.hits++;
    await new Promise((resolve) => setTimeout(resolve, delay.delayMs ?? 100));
  };

  // The reset header is real time (clients wait on it): now plus what is left of the budget's hour.
  const rateHeaders = (resource: 'core' | 'search' | 'graphql', token?: SimToken): Record<string, string> => {
    const b = token ? budgetsOf(token) : shared;
    const budget = resource === 'search' ? (token ? searchBudget(token) : new HourlyBudget(SEARCH_PER_MINUTE, MINUTE)) : resource === 'graphql' ? b.graphql : b.rest;
    const st = budget.state(instant());
    return {
      'x-ratelimit-limit': String(st.limit),
      'x-ratelimit-remaining': String(st.remaining),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + st.resetInSeconds),
      'x-ratelimit-used': String(st.used),
      'x-ratelimit-resource': resource,
    };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void => {
    const h: Record<string, string> = { 'x-github-api-version-selected': '2022-11-28', 'x-github-media-type': 'github.v3; format=json', ...headers };
    if (status === 204 || body === undefined) {
      res.writeHead(status, h);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    h['content-type'] = 'application/json; charset=utf-8';
    h['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(status, h);
    res.end(text);
  };

  const faultResponse = (f: Fault, resource: 'core' | 'search' | 'graphql', docs: string, token: SimToken): { status: number; body: unknown; headers: Record<string, string> } => {
    const headers = rateHeaders(resource, token);
    const retryAfter = f.retryAfter ?? 1;
    if (f.kind === 'secondary-rate-limit' || (f.status === 429 && !f.kind)) {
      const status = f.status === 429 ? 429 : 403;
      return { status, body: errorBody(status, f.message ?? SECONDARY_MESSAGE, `${DOCS_RATE}#about-secondary-rate-limits`), headers: { ...headers, 'retry-after': String(retryAfter) } };
    }
    if (f.kind === 'primary-rate-limit' && resource === 'graphql') {
      // GitHub answers a rate-limited GraphQL call with HTTP 200 and a RATE_LIMITED error
      const reset = Math.ceil(Date.now() / 1000) + retryAfter;
      return {
        status: 200,
        body: { errors: [{ type: 'RATE_LIMITED', message: f.message ?? 'API rate limit exceeded for installation ID 1.' }] },
        headers: { ...headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-used': headers['x-ratelimit-limit'] ?? String(CORE_LIMIT), 'x-ratelimit-reset': String(reset) },
      };
    }
    if (f.kind === 'primary-rate-limit') {
      const reset = Math.ceil(Date.now() / 1000) + retryAfter;
      return {
        status: f.status ?? 403,
        body: errorBody(f.status ?? 403, f.message ?? 'API rate limit exceeded for installation ID 1.', `${DOCS_RATE}#about-primary-rate-limits`),
        headers: { ...headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-used': String(resource === 'search' ? 30 : CORE_LIMIT), 'x-ratelimit-reset': String(reset) },
      };
    }
    if (f.kind === 'locked') {
      return { status: 403, body: errorBody(403, f.message ?? 'Unable to create comment because issue is locked.', docs), headers };
    }
    const status = f.status ?? 500;
    const messages: Record<number, string> = {
      500: 'Server Error',
      502: 'Server Error',
      503: 'Service Unavailable',
      403: 'Resource not accessible by integration',
      404: 'Not Found',
      410: 'Issues are disabled for this repo',
      422: 'Validation Failed',
    };
    return { status, body: errorBody(status, f.message ?? messages[status] ?? 'Error', docs, status === 422 ? [{ resource: 'Issue', code: 'invalid' }] : undefined), headers };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const tokenValue = parseToken(req.headers.authorization);
    const token: SimToken = (tokenValue && store.tokens.get(tokenValue)) || store.tokens.get(DEFAULT_TOKEN)!;
    const entry: RequestLogEntry = { method, path: path + url.search, route: null, status: 0, login: tokenValue ? token.login : undefined, at: arrived };
    requests.push(entry);
    let body: unknown;
    const hasBody = raw.trim().length > 0;
    const finish = (status: number, out: unknown, headers: Record<string, string>): void => {
      entry.status = status;
      send(res, status, out, headers);
    };
    /** Counts a hit of an injected fault and answers with it: the connection dropped, or the fault's response. */
    const answerFault = (fault: Fault, resource: 'core' | 'search' | 'graphql', docs: string): void => {
      fault.hits++;
      if (fault.kind === 'drop') {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      const r = faultResponse(fault, resource, docs, token);
      finish(r.status, r.body, r.headers);
    };
    if (hasBody) {
      try {
        body = JSON.parse(raw);
        entry.body = body;
      } catch {
        entry.body = raw;
        finish(400, errorBody(400, 'Problems parsing JSON'), rateHeaders('core', token));
        return;
      }
    }

    // ----- GraphQL -----
    if (path === '/graphql') {
      entry.route = 'POST /graphql';
      if (method !== 'POST') {
        finish(404, notFound().body, rateHeaders('graphql', token));
        return;
      }
      await holdIfDelayed(method, path, '/graphql', body);
      const found = findFault(method, path, '/graphql', false, body);
      const partial = found?.kind === 'graphql-partial' ? found : undefined;
      const dropAfter = found?.kind === 'drop-after-write' ? found : undefined;
      const fault = partial || dropAfter ? undefined : found;
      if (fault) {
        answerFault(fault, 'graphql', 'https://docs.github.com/graphql');
        return;
      }
      if (!tokenValue) {
        finish(401, errorBody(401, 'This endpoint requires you to be authenticated.', 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql'), {});
        return;
      }
      const handler = graphqlHandler;
      if (!handler) {
        finish(501, errorBody(501, `github-sim: no GraphQL handler registered${graphqlLoadError ? ` (${graphqlLoadError})` : ''}`), {});
        return;
      }
      counters.graphqlQueries++;
      const queryText = String((body as { query?: unknown } | undefined)?.query ?? '');
      if (contentOn && CONTENT_MUTATION.test(queryText) && /^\s*mutation\b/.test(queryText)) {
        const verdict = contentLimiter(token).take(instant());
        if (!verdict.ok) {
          finish(403, errorBody(403, SECONDARY_MESSAGE, `${DOCS_RATE}#about-secondary-rate-limits`), { ...rateHeaders('graphql', token), 'retry-after': String(verdict.retryAfter) });
          return;
        }
      }
      const budgets = budgetsOf(token);
      let charged = false;
      let refused = false;
      const budget = (pts: number): GraphqlBudgetAnswer => {
        charged = true;
        const now = instant();
        if (budgets.enforced) {
          if (!budgets.graphql.charge(pts, now)) refused = true;
        } else budgets.graphql.spend(pts, now);
        const st = budgets.graphql.state(now);
        const resetAt = new Date(store.now.getTime() + st.resetInSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return refused
          ? { ok: false, limit: st.limit, used: st.used, resetAt, message: exceededMessage(budgets, token) }
          : { ok: true, limit: st.limit, used: st.used, resetAt };
      };
      const result = await handler(store, body, { ...token, token: tokenValue, budget });
      const points = refused ? 0 : (result.points ?? 0);
      if (!charged && points > 0) budgets.graphql.spend(points, instant());
      counters.graphqlPoints += points;
      entry.points = points;
      if (refused) {
        const h = rateHeaders('graphql', token);
        finish(200, result.body, { ...h, ...(result.headers ?? {}), 'x-ratelimit-remaining': '0' });
        return;
      }
      const isMutation = result.mutation ?? /^\s*mutation\b/.test(queryText);
      if (isMutation) counters.writes++;
      if (dropAfter) {
        dropAfter.hits++;
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (partial) {
        partial.hits++;
        finish(result.status, partialFailure(result.body, partial), { ...rateHeaders('graphql', token), ...(result.headers ?? {}) });
        return;
      }
      finish(result.status, result.body, { ...rateHeaders('graphql', token), ...(result.headers ?? {}) });
      return;
    }

    // ----- REST -----
    const match = matchRoute(method, path);
    if (!match) {
      violations.push({ kind: 'unknown-route', method, path, message: `${method} ${path}: no such route in GitHub's REST API` });
      finish(404, notFound().body, rateHeaders('core', token));
      return;
    }
    const template = match.operation.template;
    const routeKey = `${method} ${template}`;
    entry.route = routeKey;
    const resource = template.startsWith('/search/') ? 'search' : 'core';
    counters.rest++;
    counters.restByRoute[routeKey] = (counters.restByRoute[routeKey] ?? 0) + 1;
    if (method !== 'GET' && method !== 'HEAD') counters.writes++;
    const docs = match.operation.documentationUrl;
    if (template !== '/rate_limit') {
      if (resource === 'search') {
        if (!searchBudget(token).charge(1, instant())) {
          finish(403, errorBody(403, exceededMessage(budgetsOf(token), token), `${DOCS_RATE}#about-primary-rate-limits`), rateHeaders(resource, token));
          return;
        }
      } else {
        const b = budgetsOf(token);
        if (!b.enforced) b.rest.spend(1, instant());
        else if (!b.rest.charge(1, instant())) {
          finish(403, errorBody(403, exceededMessage(b, token), `${DOCS_RATE}#about-primary-rate-limits`), rateHeaders(resource, token));
          return;
        }
      }
    }

    await holdIfDelayed(method, path, template);
    const found = findFault(method, path, template);
    const dropAfter = found?.kind === 'drop-after-write' ? found : undefined;
    const fault = dropAfter ? undefined : found;
    if (dropAfter) dropAfter.hits++;
    if (fault) {
      answerFault(fault, resource, docs);
      return;
    }

    // A deleted issue answers 410 Gone on every route under it; a transferred one 301 to its new place.
    const gone = match.params.issue_number !== undefined && /^\/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}(\/|$)/.test(template)
      ? store.goneIssue(match.params.owner ?? '', match.params.repo ?? '', Number(match.params.issue_number))
      : undefined;
    if (gone) {
      if (gone.kind === 'deleted') {
        finish(410, errorBody(410, 'This issue was deleted', docs), rateHeaders(resource, token));
        return;
      }
      const suffix = path.replace(/^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+/, '');
      const location = `${baseUrl}/repos/${gone.to.repository}/issues/${gone.to.number}${suffix}${url.search}`;
      finish(301, { message: 'Moved Permanently', url: location, documentation_url: docs }, { ...rateHeaders(resource, token), location });
      return;
    }

    const check = checkRequest(match, path, url.searchParams, body, hasBody);
    if (check.error) {
      if (check.violation) violations.push(check.violation);
      finish(check.error.status, check.error.body, rateHeaders(resource, token));
      return;
    }

    // permissions: writes need `write` of the route's permission; in a private repository reads need `read`
    // (anyone may read a public one). A GITHUB_TOKEN reaches only its own repository: another's private
    // repository is not found, a public one is read-only.
    const perm = permissionFor(template);
    const writing = method !== 'GET' && method !== 'HEAD';
    const target = match.params.owner !== undefined && match.params.repo !== undefined ? store.repo(match.params.owner, match.params.repo) : undefined;
    const forbidden = () => finish(403, errorBody(403, 'Resource not accessible by integration', docs), rateHeaders(resource, token));
    if (token.kind === 'github-token' && token.repository && target && target.full_name.toLowerCase() !== token.repository.toLowerCase()) {
      if (target.private) {
        finish(404, notFound(docs).body, rateHeaders(resource, token));
        return;
      }
      if (writing) {
        forbidden();
        return;
      }
    }
    if (perm !== 'none' && (writing || target?.private)) {
      const levels = writing ? new Set(['write', 'admin']) : READ_LEVELS;
      const prAlt = perm === 'issues' ? token.permissions.pull_requests : undefined;
      const ok = levels.has(token.permissions[perm] ?? '') || (levels.has(prAlt ?? '') && isPullNumber(store, match.params));
      if (!ok) {
        forbidden();
        return;
      }
    }
    if (writing && contentOn && method === 'POST' && CONTENT_CREATING.test(template)) {
      const verdict = contentLimiter(token).take(instant());
      if (!verdict.ok) {
        finish(403, errorBody(403, SECONDARY_MESSAGE, `${DOCS_RATE}#about-secondary-rate-limits`), { ...rateHeaders(resource, token), 'retry-after': String(verdict.retryAfter) });
        return;
      }
    }

    const handler = routes[routeKey];
    if (template === '/rate_limit') {
      const b = budgetsOf(token);
      const now = instant();
      const bucketOf = (st: BudgetState) => ({ limit: st.limit, used: st.used, remaining: st.remaining, reset: Math.ceil(Date.now() / 1000) + st.resetInSeconds });
      const bucket = (limit: number, used: number) => ({ limit, used, remaining: Math.max(0, limit - used), reset: rate.reset });
      const core = bucketOf(b.rest.state(now));
      finish(
        200,
        {
          resources: { core, search: bucketOf(searchBudget(token).state(now)), graphql: bucketOf(b.graphql.state(now)), integration_manifest: bucket(5000, 0) },
          rate: core,
        },
        rateHeaders('core', token),
      );
      return;
    }
    if (!handler) {
      violations.push({ kind: 'unimplemented', method, path, route: template, message: `${routeKey} is a GitHub route the emulator does not implement` });
      finish(404, errorBody(404, 'Not Found', docs), rateHeaders(resource, token));
      return;
    }
    render ??= new Renderer(store, baseUrl);
    const accept = req.headers.accept;
    const ctx: RouteContext = { store, render, method, template, path, params: match.params, query: check.query, body, token, baseUrl, ...(accept ? { accept } : {}) };
    let status: number;
    let out: unknown;
    let headers: Record<string, string> = {};
    let rawOut: string | undefined;
    try {
      const r = handler(ctx);
      status = r.status;
      out = r.body;
      headers = r.headers ?? {};
      rawOut = r.raw;
    } catch (e) {
      if (e instanceof SimError) {
        status = e.status;
        out = errorBody(e.status, e.message, docs, e.errors);
      } else {
        status = 500;
        out = errorBody(500, `github-sim: ${e instanceof Error ? e.message : String(e)}`);
        violations.push({ kind: 'response', method, path, route: template, message: `handler crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
      }
    }
    if (options.validateResponses && status < 300 && out !== undefined) {
      const problems = checkResponse(method, template, status, out);
      if (problems.length) violations.push({ kind: 'response', method, path, route: template, message: `${routeKey} ${status} response breaks the schema: ${problems.join('; ')}` });
    }
    if (dropAfter) {
      // The write is applied; the answer never arrives.
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (rawOut !== undefined) {
      entry.status = status;
      const h = { 'x-github-api-version-selected': '2022-11-28', ...rateHeaders(resource, token), ...headers, 'content-length': String(Buffer.byteLength(rawOut)) };
      res.writeHead(status, h);
      res.end(rawOut);
      return;
    }
    finish(status, out, { ...rateHeaders(resource, token), ...headers });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody(500, `github-sim: ${e instanceof Error ? e.message : String(e)}`)));
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const sim: Sim = {
    url: baseUrl,
    graphqlUrl: `${baseUrl}/graphql`,
    store,
    counters,
    resetCounters() {
      counters.rest = 0;
      counters.restByRoute = {};
      counters.graphqlPoints = 0;
      counters.graphqlQueries = 0;
      counters.writes = 0;
    },
    faults,
    requests,
    violations,
    strict,
    budgets(repository) {
      const b = repository === undefined ? shared : repositoryBudgets(repository);
      const now = instant();
      return { rest: b.rest.state(now), graphql: b.graphql.state(now) };
    },
    spendGraphqlPoints(repository, points) {
      repositoryBudgets(repository).graphql.spend(points, instant());
    },
    contentUsage(tokenValue) {
      const t = store.tokens.get(tokenValue);
      if (!t) throw new Error(`github-sim: no token ${JSON.stringify(tokenValue.slice(0, 4))}… in the store`);
      return contentLimiter(t).usage(instant());
    },
    assertClean() {
      if (!strict || violations.length === 0) return;
      throw new Error(`github-sim: ${violations.length} contract violation(s):\n${violations.map((v) => `- [${v.kind}] ${v.message}`).join('\n')}`);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sim;
}

const PARTIAL_MESSAGE =
  'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `0000:0000:0000000:0000000:00000000` when reporting this issue.';

/** A GraphQL body with the field at `fault.path` (default: the first root field) nulled and an error naming it. */
function partialFailure(body: unknown, fault: Fault): unknown {
  const out = structuredClone(body) as { data?: Record<string, unknown> | null; errors?: unknown[] } | undefined;
  if (!out || typeof out !== 'object') return body;
  const data = out.data && typeof out.data === 'object' ? out.data : undefined;
  const path = fault.path?.length ? fault.path : Object.keys(data ?? {}).slice(0, 1);
  let parent: Record<string, unknown> | undefined = data;
  for (const key of path.slice(0, -1)) {
    const next: unknown = parent?.[key];
    parent = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
  }
  const last = path.at(-1);
  if (parent && last !== undefined && last in parent) parent[last] = null;
  out.errors = [...(out.errors ?? []), { type: 'INTERNAL', path, locations: [], message: fault.message ?? PARTIAL_MESSAGE }];
  return out;
}

function isPullNumber(store: Store, params: Record<string, string>): boolean {
  const n = Number(params.issue_number);
  return !!store.repo(params.owner ?? '', params.repo ?? '')?.issues.get(n)?.pull_request;
}

/** Throws listing the violations when the emulator saw any (strict mode). */
export function expectNoViolations(sim: Sim): void {
  sim.assertClean();
}

let graphqlTried = false;
let graphqlLoadError: string | undefined;
async function ensureGraphql(): Promise<void> {
  if (graphqlTried || graphqlHandler) return;
  graphqlTried = true;
  const { existsSync } = await import('node:fs');
  const file = new URL('./graphql/index.ts', import.meta.url);
  if (!existsSync(file)) return;
  try {
    const mod = (await import(file.href)) as { graphqlHandler?: GraphqlHandler };
    if (typeof mod.graphqlHandler === 'function' && !graphqlHandler) graphqlHandler = mod.graphqlHandler;
  } catch (e) {
    graphqlLoadError = e instanceof Error ? e.message : String(e);
  }
}
