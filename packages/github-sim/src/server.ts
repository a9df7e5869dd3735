/**
 * The emulator's HTTP server.
 *
 * Note for the GraphQL module (src/graphql/**, helper "sim-graphql"): POST /graphql is delegated to
 * the handler registered with `setGraphqlHandler(handler)`. `startSim()` registers it by itself when
 * `src/graphql/index.ts` exists and exports `graphqlHandler` (a `GraphqlHandler`, below): it receives
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

// ----- GraphQL registry -----

export interface GraphqlCaller extends SimToken {
  /** the raw token string */
  token: string;
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
export type FaultKind = 'secondary-rate-limit' | 'primary-rate-limit' | 'drop' | 'drop-after-write' | 'locked' | 'graphql-partial';

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
}

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
  login?: string;
}

export interface SimOptions {
  snapshot?: Snapshot;
  /** default true: `assertClean()` throws on contract violations */
  strict?: boolean;
  /** validate every JSON response body against the OpenAPI response schema (slower) */
  validateResponses?: boolean;
  /** enforce GitHub's 80 content-creating requests per minute (of sim clock) with a secondary rate limit */
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
  stop(): Promise<void>;
}

const DOCS_RATE = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';
const CORE_LIMIT = 5000;

function errorBody(status: number, message: string, documentationUrl = 'https://docs.github.com/rest', errors?: unknown[]): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: documentationUrl, status: String(status) };
}

function parseToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(?:token|bearer)\s+(\S+)/i.exec(header.trim());
  return m?.[1];
}

const CONTENT_CREATING = /\/(issues|comments|labels|releases|reactions|pulls|git\/refs|assignees)(\/|$)/;

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
  const rate = { core: 0, search: 0, graphql: 0, reset: Math.floor(Date.now() / 1000) + 3600 };
  const contentTimes: number[] = [];
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

  const findFault = (method: string, path: string, template: string | null): Fault | undefined => {
    for (const f of faultList) {
      if (f.hits >= (f.times ?? 1)) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.route !== undefined) {
        if (f.route instanceof RegExp) {
          if (!f.route.test(path)) continue;
        } else if (f.route !== template && f.route !== path) continue;
      }
      return f;
    }
    return undefined;
  };

  const rateHeaders = (resource: 'core' | 'search' | 'graphql'): Record<string, string> => {
    const limit = resource === 'search' ? 30 : CORE_LIMIT;
    const used = rate[resource];
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(rate.reset),
      'x-ratelimit-used': String(used),
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

  const faultResponse = (f: Fault, resource: 'core' | 'search' | 'graphql', docs: string): { status: number; body: unknown; headers: Record<string, string> } => {
    const headers = rateHeaders(resource);
    const retryAfter = f.retryAfter ?? 1;
    if (f.kind === 'secondary-rate-limit' || (f.status === 429 && !f.kind)) {
      const status = f.status === 429 ? 429 : 403;
      return { status, body: errorBody(status, f.message ?? SECONDARY_MESSAGE, `${DOCS_RATE}#about-secondary-rate-limits`), headers: { ...headers, 'retry-after': String(retryAfter) } };
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
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const tokenValue = parseToken(req.headers.authorization);
    const token: SimToken = (tokenValue && store.tokens.get(tokenValue)) || store.tokens.get(DEFAULT_TOKEN)!;
    const entry: RequestLogEntry = { method, path: path + url.search, route: null, status: 0, login: tokenValue ? token.login : undefined };
    requests.push(entry);
    let body: unknown;
    const hasBody = raw.trim().length > 0;
    const finish = (status: number, out: unknown, headers: Record<string, string>): void => {
      entry.status = status;
      send(res, status, out, headers);
    };
    if (hasBody) {
      try {
        body = JSON.parse(raw);
        entry.body = body;
      } catch {
        entry.body = raw;
        finish(400, errorBody(400, 'Problems parsing JSON'), rateHeaders('core'));
        return;
      }
    }

    // ----- GraphQL -----
    if (path === '/graphql') {
      entry.route = 'POST /graphql';
      if (method !== 'POST') {
        finish(404, notFound().body, rateHeaders('graphql'));
        return;
      }
      const found = findFault(method, path, '/graphql');
      const partial = found?.kind === 'graphql-partial' ? found : undefined;
      const dropAfter = found?.kind === 'drop-after-write' ? found : undefined;
      const fault = partial || dropAfter ? undefined : found;
      if (fault) {
        fault.hits++;
        if (fault.kind === 'drop') {
          entry.status = -1;
          req.socket.destroy();
          return;
        }
        const r = faultResponse(fault, 'graphql', 'https://docs.github.com/graphql');
        finish(r.status, r.body, r.headers);
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
      const result = await handler(store, body, { ...token, token: tokenValue });
      const points = result.points ?? 0;
      counters.graphqlPoints += points;
      rate.graphql += points;
      const isMutation = result.mutation ?? /^\s*mutation\b/.test(String((body as { query?: unknown } | undefined)?.query ?? ''));
      if (isMutation) counters.writes++;
      if (dropAfter) {
        dropAfter.hits++;
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (partial) {
        partial.hits++;
        finish(result.status, partialFailure(result.body, partial), { ...rateHeaders('graphql'), ...(result.headers ?? {}) });
        return;
      }
      finish(result.status, result.body, { ...rateHeaders('graphql'), ...(result.headers ?? {}) });
      return;
    }

    // ----- REST -----
    const match = matchRoute(method, path);
    if (!match) {
      violations.push({ kind: 'unknown-route', method, path, message: `${method} ${path}: no such route in GitHub's REST API` });
      finish(404, notFound().body, rateHeaders('core'));
      return;
    }
    const template = match.operation.template;
    const routeKey = `${method} ${template}`;
    entry.route = routeKey;
    const resource = template.startsWith('/search/') ? 'search' : 'core';
    counters.rest++;
    counters.restByRoute[routeKey] = (counters.restByRoute[routeKey] ?? 0) + 1;
    if (method !== 'GET' && method !== 'HEAD') counters.writes++;
    if (template !== '/rate_limit') rate[resource]++;
    const docs = match.operation.documentationUrl;

    const found = findFault(method, path, template);
    const dropAfter = found?.kind === 'drop-after-write' ? found : undefined;
    const fault = dropAfter ? undefined : found;
    if (dropAfter) dropAfter.hits++;
    if (fault) {
      fault.hits++;
      if (fault.kind === 'drop') {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      const r = faultResponse(fault, resource, docs);
      finish(r.status, r.body, r.headers);
      return;
    }

    // A deleted issue answers 410 Gone on every route under it; a transferred one 301 to its new place.
    const gone = match.params.issue_number !== undefined && /^\/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}(\/|$)/.test(template)
      ? store.goneIssue(match.params.owner ?? '', match.params.repo ?? '', Number(match.params.issue_number))
      : undefined;
    if (gone) {
      if (gone.kind === 'deleted') {
        finish(410, errorBody(410, 'This issue was deleted', docs), rateHeaders(resource));
        return;
      }
      const suffix = path.replace(/^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+/, '');
      const location = `${baseUrl}/repos/${gone.to.repository}/issues/${gone.to.number}${suffix}${url.search}`;
      finish(301, { message: 'Moved Permanently', url: location, documentation_url: docs }, { ...rateHeaders(resource), location });
      return;
    }

    const check = checkRequest(match, path, url.searchParams, body, hasBody);
    if (check.error) {
      if (check.violation) violations.push(check.violation);
      finish(check.error.status, check.error.body, rateHeaders(resource));
      return;
    }

    // permissions
    const perm = permissionFor(template);
    const writing = method !== 'GET' && method !== 'HEAD';
    if (writing && perm !== 'none') {
      const level = token.permissions[perm];
      const prAlt = perm === 'issues' ? token.permissions.pull_requests : undefined;
      const ok = level === 'write' || level === 'admin' || ((prAlt === 'write' || prAlt === 'admin') && isPullNumber(store, match.params));
      if (!ok) {
        finish(403, errorBody(403, 'Resource not accessible by integration', docs), rateHeaders(resource));
        return;
      }
    }
    if (writing && options.contentLimit && method === 'POST' && CONTENT_CREATING.test(template)) {
      const now = store.now.getTime();
      while (contentTimes.length && contentTimes[0]! <= now - 60_000) contentTimes.shift();
      if (contentTimes.length >= 80) {
        finish(403, errorBody(403, SECONDARY_MESSAGE, `${DOCS_RATE}#about-secondary-rate-limits`), { ...rateHeaders(resource), 'retry-after': '60' });
        return;
      }
      contentTimes.push(now);
    }

    const handler = routes[routeKey];
    if (template === '/rate_limit') {
      const core = { limit: CORE_LIMIT, used: rate.core, remaining: CORE_LIMIT - rate.core, reset: rate.reset };
      const bucket = (limit: number, used: number) => ({ limit, used, remaining: Math.max(0, limit - used), reset: rate.reset });
      finish(
        200,
        {
          resources: { core, search: bucket(30, rate.search), graphql: bucket(CORE_LIMIT, rate.graphql), integration_manifest: bucket(5000, 0) },
          rate: core,
        },
        rateHeaders('core'),
      );
      return;
    }
    if (!handler) {
      violations.push({ kind: 'unimplemented', method, path, route: template, message: `${routeKey} is a GitHub route the emulator does not implement` });
      finish(404, errorBody(404, 'Not Found', docs), rateHeaders(resource));
      return;
    }
    render ??= new Renderer(store, baseUrl);
    const ctx: RouteContext = { store, render, method, template, path, params: match.params, query: check.query, body, token, baseUrl };
    let status: number;
    let out: unknown;
    let headers: Record<string, string> = {};
    try {
      const r = handler(ctx);
      status = r.status;
      out = r.body;
      headers = r.headers ?? {};
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
    finish(status, out, { ...rateHeaders(resource), ...headers });
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
