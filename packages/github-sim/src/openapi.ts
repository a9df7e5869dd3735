/**
 * GitHub's published REST contract (`@octokit/openapi`, api.github.com, non-dereferenced):
 * route matching, parameter and body validation with GitHub's 404/422 shapes, and response validation.
 *
 * The 13 MB description is parsed once per process; Ajv validators are compiled lazily per
 * operation and cached. `#/components/...` refs resolve against one schema holding all components.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
}

/** One operation of the description, matched to a request. */
export interface Operation {
  method: string;
  /** the OpenAPI path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}` */
  template: string;
  operationId: string;
  documentationUrl: string;
  parameters: OpenApiParameter[];
  raw: JsonObject;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

/** A contract violation, as the emulator reports it (and GitHub would answer it). */
export interface Violation {
  kind: 'unknown-route' | 'path-param' | 'query-param' | 'body' | 'response' | 'unimplemented';
  method: string;
  path: string;
  route?: string;
  message: string;
}

const DOCS = 'https://docs.github.com/rest';

interface Spec {
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject;
}

interface CompiledTemplate {
  template: string;
  regex: RegExp;
  names: string[];
  methods: Record<string, JsonObject>;
  rank: number[];
  pathParamsShared: Json[];
}

interface Contract {
  spec: Spec;
  templates: CompiledTemplate[];
  greedy: CompiledTemplate[];
  loadMs: number;
}

let ajvInstance: Ajv | undefined;

/** The one Ajv of the process, with all components added as schema `gh` (built on first validation). */
function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const spec = loadContract().spec;
  const a = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, messages: true });
  (addFormatsModule as unknown as (x: Ajv) => Ajv)(a);
  a.addSchema({ $id: 'gh', components: fixNullable(spec.components as Json) } as object, undefined, undefined, false);
  ajvInstance = a;
  return a;
}

let contract: Contract | undefined;
const operations = new Map<string, Operation>();
const validators = new Map<string, ValidateFunction | null>();

function specPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('github-sim: cannot find @octokit/openapi/generated/api.github.com.json');
    dir = parent;
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileTemplate(template: string, methods: Record<string, JsonObject>, greedyLast: boolean): CompiledTemplate {
  const names: string[] = [];
  const rank: number[] = [];
  const segments = template.split('/').slice(1);
  const parts = segments.map((seg, i) => {
    if (!seg.includes('{')) {
      rank.push(0);
      return escapeRe(seg);
    }
    const pure = /^\{[^}]+\}$/.test(seg);
    rank.push(pure ? 1 : 2);
    return seg
      .split(/(\{[^}]+\})/)
      .map((piece) => {
        const m = /^\{([^}]+)\}$/.exec(piece);
        if (!m) return escapeRe(piece);
        names.push(m[1]!);
        const last = i === segments.length - 1;
        return greedyLast && last && pure ? '(.+)' : pure ? '([^/]+)' : '([^/]+?)';
      })
      .join('');
  });
  return {
    template,
    regex: new RegExp(`^/${parts.join('/')}$`),
    names,
    methods,
    rank,
    pathParamsShared: (methods.parameters as unknown as Json[]) ?? [],
  };
}

function byRank(a: CompiledTemplate, b: CompiledTemplate): number {
  const n = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    const d = (a.rank[i] ?? -1) - (b.rank[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Loads (once per process) and returns the contract; `loadMs` says how long the first load took. */
export function loadContract(): Contract {
  if (contract) return contract;
  const t0 = performance.now();
  const spec = JSON.parse(readFileSync(specPath(), 'utf8')) as Spec;
  const templates: CompiledTemplate[] = [];
  const greedy: CompiledTemplate[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    templates.push(compileTemplate(template, methods, false));
    if (/\/\{(path|ref)\}$/.test(template)) greedy.push(compileTemplate(template, methods, true));
  }
  templates.sort(byRank);
  contract = { spec, templates, greedy, loadMs: performance.now() - t0 };
  return contract;
}

/** How long the one load of the description took in this process, in ms (0 if not loaded yet). */
export function contractLoadMs(): number {
  return contract?.loadMs ?? 0;
}

function resolveRef<T>(node: T): T {
  let cur = node as unknown as JsonObject;
  for (let i = 0; i < 10 && cur && typeof cur === 'object' && typeof cur.$ref === 'string'; i++) {
    const ref = cur.$ref as string;
    const parts = ref.replace(/^#\//, '').split('/');
    let target: Json = loadContract().spec as unknown as Json;
    for (const p of parts) target = (target as JsonObject)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')] ?? null;
    cur = target as JsonObject;
  }
  return cur as unknown as T;
}

function operationFor(t: CompiledTemplate, method: string): Operation | undefined {
  const key = `${method} ${t.template}`;
  const cached = operations.get(key);
  if (cached) return cached;
  const raw = t.methods[method.toLowerCase()];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const params = [...((raw.parameters as Json[]) ?? []), ...t.pathParamsShared].map((p) => resolveRef(p as JsonObject) as unknown as OpenApiParameter);
  const docs = (raw.externalDocs as JsonObject | undefined)?.url;
  const op: Operation = {
    method,
    template: t.template,
    operationId: String(raw.operationId ?? key),
    documentationUrl: typeof docs === 'string' ? docs : DOCS,
    parameters: params,
    raw,
  };
  operations.set(key, op);
  return op;
}

/** Matches `METHOD /path` (no query) to an operation; undefined when GitHub has no such route. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const c = loadContract();
  const m = method.toUpperCase();
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const list of [c.templates, c.greedy]) {
    for (const t of list) {
      const hit = t.regex.exec(clean);
      if (!hit) continue;
      const op = operationFor(t, m);
      if (!op) continue;
      const params: Record<string, string> = {};
      t.names.forEach((n, i) => {
        const v = hit[i + 1] ?? '';
        try {
          params[n] = decodeURIComponent(v);
        } catch {
          params[n] = v;
        }
      });
      return { operation: op, params };
    }
  }
  // `/contents/` and `/git/matching-refs/`: GitHub reads a trailing slash as an empty last parameter
  if (clean !== path && path.endsWith('/')) {
    for (const t of c.greedy) {
      if (!new RegExp(t.regex.source.replace(/\(\.\+\)\$$/, '()$')).test(path)) continue;
      const op = operationFor(t, m);
      if (!op) continue;
      const hit = new RegExp(t.regex.source.replace(/\(\.\+\)\$$/, '()$')).exec(path)!;
      const params: Record<string, string> = {};
      t.names.forEach((n, i) => (params[n] = decodeURIComponent(hit[i + 1] ?? '')));
      return { operation: op, params };
    }
  }
  return undefined;
}

// ----- schema compilation -----

/**
 * OpenAPI 3.0 `nullable` for Ajv: Ajv accepts `nullable` only next to `type`, so a nullable
 * `allOf`/`oneOf`/`$ref` becomes `anyOf: [schema, {type: 'null'}]`, and a nullable enum gets `null`.
 */
function fixNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(fixNullable);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'enum' || k === 'example' || k === 'examples' || k === 'default' ? v : fixNullable(v);
  if (out.nullable === true) {
    if (out.type === undefined) {
      delete out.nullable;
      return { anyOf: [out, { type: 'null' }] };
    }
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

function rewriteRefs(node: Json, id = 'gh'): Json {
  if (Array.isArray(node)) return node.map((x) => rewriteRefs(x, id));
  if (node && typeof node === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${id}${v}` : rewriteRefs(v, id);
    }
    return out;
  }
  return node;
}

let requestComponentsAdded = false;

/** The components once more as schema `ghreq`, with `oneOf` read as `anyOf`, for request schemas that `$ref` them. */
function requestAjv(): Ajv {
  const a = ajv();
  if (!requestComponentsAdded) {
    a.addSchema({ $id: 'ghreq', components: oneOfAsAnyOf(fixNullable(loadContract().spec.components as Json)) } as object, undefined, undefined, false);
    requestComponentsAdded = true;
  }
  return a;
}

/**
 * `oneOf` as `anyOf`. GitHub does not validate requests against its OpenAPI description, and the
 * description's `oneOf` branches overlap all the time: "at least one of" bodies
 * (`required: [state]` | `required: [assignee]`), a catch-all branch next to a stricter one
 * (`checks/update`), two object forms that both match `{}`. JSON Schema's "exactly one" would
 * reject a body that satisfies two documented forms, which GitHub obviously accepts.
 * Requests only (their `$ref`s point at a copy of the components read the same way): response
 * checks keep `oneOf` strict, since the emulator's own answers should match exactly one form.
 */
function oneOfAsAnyOf(node: Json): Json {
  if (Array.isArray(node)) return node.map(oneOfAsAnyOf);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'enum' || k === 'example' || k === 'examples' || k === 'default') out[k] = v;
    else if (k === 'oneOf' && !('anyOf' in node)) out.anyOf = oneOfAsAnyOf(v);
    else out[k] = oneOfAsAnyOf(v);
  }
  return out;
}

/**
 * Body forms GitHub documents in prose (and listed as `oneOf` branches in earlier releases of its
 * description, e.g. 1.1.4) that the current description's schema no longer lists. Keyed by
 * operationId; each entry is added as one more alternative to the body schema.
 * - add labels: "You can also pass an `array` of labels directly" (strings or `{name}` objects, or a
 *   single label as a `string`); semantic-release sends `["released"]`.
 * - set labels: "you can pass a single label as a `string` or an `array` of labels directly", and
 *   "You can pass an empty array to remove all labels".
 */
const LABEL_NAME: Json = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const DOCUMENTED_BODY_FORMS: Record<string, Json[]> = {
  'issues/add-labels': [
    { type: 'array', minItems: 1, items: { type: 'string' } },
    { type: 'array', minItems: 1, items: LABEL_NAME },
    { type: 'object', properties: { labels: { type: 'array', minItems: 1, items: LABEL_NAME } } },
    { type: 'string' },
  ],
  'issues/set-labels': [
    { type: 'array', items: { type: 'string' } },
    { type: 'array', items: LABEL_NAME },
    { type: 'object', properties: { labels: { type: 'array', maxItems: 0 } } },
    { type: 'string' },
  ],
};

/** The request body schema of an operation, with the forms GitHub documents only in prose added. */
function requestBodySchema(op: Operation, schema: Json | undefined): Json | undefined {
  const extra = DOCUMENTED_BODY_FORMS[op.operationId];
  if (!extra || !schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  return { anyOf: [schema, ...extra] };
}

function compile(key: string, schema: Json | undefined, request = false): ValidateFunction | null {
  if (validators.has(key)) return validators.get(key)!;
  let v: ValidateFunction | null = null;
  if (schema && typeof schema === 'object') {
    v = request
      ? requestAjv().compile(oneOfAsAnyOf(fixNullable(rewriteRefs(schema, 'ghreq'))) as object)
      : ajv().compile(fixNullable(rewriteRefs(schema)) as object);
  }
  validators.set(key, v);
  return v;
}

function jsonSchemaOf(content: Json | undefined): Json | undefined {
  if (!content || typeof content !== 'object' || Array.isArray(content)) return undefined;
  const json = (content['application/json'] ?? Object.values(content)[0]) as JsonObject | undefined;
  return json?.schema;
}

// ----- GitHub's error shapes -----

export interface GithubError {
  status: number;
  body: { message: string; documentation_url: string; status: string; errors?: unknown[] };
}

export function notFound(documentationUrl = DOCS): GithubError {
  return { status: 404, body: { message: 'Not Found', documentation_url: documentationUrl, status: '404' } };
}

const TYPE_NAMES: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function show(v: unknown): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

function schemaPathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? 'items' : `properties/${p.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('/');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let cur = root;
  for (const p of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/**
 * Picks the most telling Ajv error: the deepest path, leaving out oneOf/anyOf summaries; at equal
 * depth a `type` error comes last, since with alternatives it usually comes from a branch of another
 * shape (for `[]` against "object or non-empty array", "must contain at least 1 item" says more than
 * "is not an object").
 */
function pickError(errors: ErrorObject[]): ErrorObject {
  const useful = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
  const list = useful.length ? useful : errors;
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  return [...list].sort((a, b) => depth(b) - depth(a) || Number(a.keyword === 'type') - Number(b.keyword === 'type'))[0]!;
}

/** GitHub's sentence for one body schema error, e.g. `For 'properties/labels', "x" is not an array.` */
function describeBodyError(e: ErrorObject, body: unknown): string {
  const where = schemaPathOf(e.instancePath);
  const value = valueAt(body, e.instancePath);
  const prefix = where ? `For '${where}', ` : '';
  switch (e.keyword) {
    case 'required':
      return `"${(e.params as { missingProperty: string }).missingProperty}" wasn't supplied.`;
    case 'type': {
      const t = String((e.params as { type: string | string[] }).type).split(',')[0]!;
      return `${prefix}${show(value)} is not ${TYPE_NAMES[t] ?? t}.`;
    }
    case 'enum':
      return `${prefix}${show(value)} is not a member of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues).replace(/,/g, ', ')}.`;
    case 'minItems':
      return `${prefix}${show(value)} is not a valid value: it must contain at least ${(e.params as { limit: number }).limit} item(s).`;
    case 'maxItems':
      return `${prefix}${show(value)} is not a valid value: it must contain at most ${(e.params as { limit: number }).limit} item(s).`;
    case 'maxLength':
      return `${prefix}${show(value)} is too long (maximum is ${(e.params as { limit: number }).limit} characters).`;
    case 'minLength':
      return `${prefix}${show(value)} is too short (minimum is ${(e.params as { limit: number }).limit} characters).`;
    case 'additionalProperties':
      return `${prefix}"${(e.params as { additionalProperty: string }).additionalProperty}" is not a permitted key.`;
    case 'format':
      return `${prefix}${show(value)} is not a valid ${(e.params as { format: string }).format}.`;
    case 'minimum':
    case 'maximum':
      return `${prefix}${show(value)} ${e.message ?? 'is out of range'}.`;
    default:
      return `${prefix}${show(value)} ${e.message ?? 'is invalid'}.`;
  }
}

/** The parsed query value as its schema type wants it (`'5'` -> 5 for integers), or the string. */
function coerce(value: string | string[], schema: JsonObject | undefined): unknown {
  const t = schema?.type;
  const one = Array.isArray(value) ? value[value.length - 1]! : value;
  if (t === 'array') return Array.isArray(value) ? value : value.split(',');
  if (t === 'integer' || t === 'number') return /^-?\d+(\.\d+)?$/.test(one) ? Number(one) : one;
  if (t === 'boolean') return one === 'true' ? true : one === 'false' ? false : one;
  return one;
}

export interface RequestCheck {
  /** the error GitHub would answer with, when the request breaks the contract */
  error?: GithubError;
  violation?: Violation;
  /** query parameters coerced to their schema types (only declared ones) */
  query: Record<string, unknown>;
}

/** Checks a matched request's path params, query params and JSON body against its operation. */
export function checkRequest(match: RouteMatch, path: string, query: URLSearchParams, body: unknown, hasBody: boolean): RequestCheck {
  const op = match.operation;
  const coerced: Record<string, unknown> = {};
  const fail = (kind: Violation['kind'], status: number, message: string, errors?: unknown[]): RequestCheck => ({
    error: {
      status,
      body: { message, ...(errors ? { errors } : {}), documentation_url: op.documentationUrl, status: String(status) },
    },
    violation: { kind, method: op.method, path, route: op.template, message },
    query: coerced,
  });

  for (const p of op.parameters) {
    if (p.in !== 'path' && p.in !== 'query') continue;
    const raw = p.in === 'path' ? match.params[p.name] : query.getAll(p.name).length > 1 ? query.getAll(p.name) : (query.get(p.name) ?? undefined);
    if (raw === undefined) {
      if (p.required) return fail(p.in === 'path' ? 'path-param' : 'query-param', 422, 'Validation Failed', [{ resource: 'Request', field: p.name, code: 'missing' }]);
      continue;
    }
    const schema = p.schema ? resolveRef(p.schema) : undefined;
    const value = coerce(raw, schema);
    const v = compile(`param:${op.method} ${op.template}:${p.name}`, p.schema as Json, true);
    if (v && !v(value)) {
      const e = pickError(v.errors ?? []);
      const why = e.keyword === 'enum' ? 'invalid' : 'invalid';
      const message = p.in === 'path' && schema?.type === 'integer' ? 'Not Found' : 'Validation Failed';
      if (message === 'Not Found') {
        const nf = notFound(op.documentationUrl);
        return {
          error: nf,
          violation: { kind: 'path-param', method: op.method, path, route: op.template, message: `${p.name}=${show(value)} ${e.message ?? ''}` },
          query: coerced,
        };
      }
      const r = fail(p.in === 'path' ? 'path-param' : 'query-param', 422, message, [
        { resource: 'Request', field: p.name, code: why, value, message: `${p.name} ${e.message ?? 'is invalid'}` },
      ]);
      r.violation!.message = `${p.in} parameter ${p.name}=${show(value)}: ${e.message ?? 'invalid'}`;
      return r;
    }
    if (p.in === 'query') coerced[p.name] = value;
  }

  const rb = op.raw.requestBody ? resolveRef(op.raw.requestBody as JsonObject) : undefined;
  if (rb) {
    const schema = jsonSchemaOf(rb.content);
    if (!hasBody || body === undefined) {
      if (rb.required === true && schema && typeof schema === 'object' && !Array.isArray(schema)) {
        const req = (resolveRef(schema as JsonObject).required as string[] | undefined) ?? [];
        if (req.length) return fail('body', 422, `Invalid request.\n\n"${req[0]}" wasn't supplied.`);
      }
    } else {
      const v = compile(`body:${op.method} ${op.template}`, requestBodySchema(op, schema), true);
      if (v && !v(body)) {
        const errs = v.errors ?? [];
        return fail('body', 422, `Invalid request.\n\n${describeBodyError(pickError(errs), body)}`);
      }
    }
  }
  return { query: coerced };
}

/**
 * Validates a response body against the operation's schema for `status`.
 * Returns the problems (empty when valid or when the operation declares no JSON schema for it).
 */
export function checkResponse(method: string, template: string, status: number, body: unknown): string[] {
  const c = loadContract();
  const t = c.templates.find((x) => x.template === template);
  if (!t) return [`unknown route ${template}`];
  const op = operationFor(t, method.toUpperCase());
  if (!op) return [`unknown operation ${method} ${template}`];
  const responses = (op.raw.responses ?? {}) as JsonObject;
  const resp = responses[String(status)] ?? responses.default;
  if (!resp) return [`${method} ${template}: status ${status} is not documented`];
  const r = resolveRef(resp as JsonObject);
  const schema = jsonSchemaOf(r.content);
  if (!schema) return [];
  const v = compile(`response:${method.toUpperCase()} ${template}:${status}`, schema);
  if (!v || v(body)) return [];
  return (v.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
