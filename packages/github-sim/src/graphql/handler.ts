/**
 * The GraphQL endpoint of the emulator: parse, validate against GitHub's public schema, check
 * GitHub's resource limits and cost the call from the AST, then execute over the store.
 */
import {
  GraphQLError,
  Kind,
  OverlappingFieldsCanBeMergedRule,
  execute,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
  type TypeNode,
} from 'graphql';
import type { AccessLevel, Store } from '../store.ts';
import { computeCost, type QueryCost } from './cost.ts';
import { emptyConnection } from './connection.ts';
import {
  buildArgumentIndex,
  buildPathIndex,
  parseErrorToGithub,
  validationErrorToGithub,
  variableErrorToGithub,
  type GithubGraphqlError,
} from './errors.ts';
import { GithubFieldError } from './field-error.ts';
import { FieldsWillMergeRule } from './fields-will-merge.ts';
import { ACCESS, type GraphqlContext, type Model } from './models.ts';
import { mutationRoot, queryRoot } from './root.ts';
import { githubSchema } from './schema.ts';

/** The JSON body GitHub's `POST /graphql` takes. */
export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The JSON body GitHub answers with. */
export interface GraphqlResponseBody {
  data?: Record<string, unknown> | null;
  errors?: GithubGraphqlError[];
  message?: string;
  documentation_url?: string;
}

/** What the HTTP layer sends back, and what to add to its counters. */
export interface GraphqlResult {
  status: number;
  body: GraphqlResponseBody;
  /** rate-limit points this call spent (0 when GitHub would reject it before running) */
  points: number;
  /** store writes the call's mutations made */
  writes: number;
  /** the operation that ran, when there was one */
  operation?: 'query' | 'mutation' | 'subscription';
  /** GitHub's resource analysis of the call, when it got that far */
  cost?: QueryCost;
}

/** Options for `handleGraphql`. */
export interface GraphqlOptions {
  /** the token's permissions (from `store.tokens`); mutations need `issues: write` (or `pull_requests: write` on PRs) */
  permissions?: Record<string, AccessLevel>;
  /**
   * The token's hourly budget: called once with the call's cost before it runs. When it answers
   * `ok: false` the call does not run and is answered `{ errors: [{ type: 'RATE_LIMITED', message }] }`
   * (HTTP 200), as GitHub does; otherwise `rateLimit` reports its `limit`, `used` and `resetAt`.
   * Without it, points go to a per-store hourly window of 5,000 that is never refused.
   */
  budget?: (points: number) => { ok: boolean; limit: number; used: number; resetAt: string; message?: string };
}

/** GitHub's hourly GraphQL budget for a GitHub Actions token. */
export const GRAPHQL_POINTS_LIMIT = 5000;
const HOUR = 3600_000;
const windows = new WeakMap<Store, { used: number; resetAt: number }>();

function windowFor(store: Store): { used: number; resetAt: number } {
  const now = store.now.getTime();
  let w = windows.get(store);
  if (!w || now >= w.resetAt) {
    w = { used: 0, resetAt: now + HOUR };
    windows.set(store, w);
  }
  return w;
}

/**
 * graphql-js's rules, with GitHub's (graphql-ruby's) field-merge check in place of graphql-js's
 * stricter one: GitHub accepts differing return types on disjoint object types (see `FieldsWillMergeRule`).
 */
const githubRules = specifiedRules.map((rule) => (rule === OverlappingFieldsCanBeMergedRule ? FieldsWillMergeRule : rule));

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Default values for non-null scalars the emulator does not model. */
function scalarDefault(name: string): unknown {
  switch (name) {
    case 'Boolean':
      return false;
    case 'Int':
    case 'Float':
      return 0;
    case 'DateTime':
    case 'PreciseDateTime':
      return '1970-01-01T00:00:00Z';
    case 'Date':
      return '1970-01-01';
    case 'GitObjectID':
      return '0000000000000000000000000000000000000000';
    case 'URI':
      return 'https://github.com';
    default:
      return '';
  }
}

/** A value that satisfies `type` for a field the emulator has no data for: null, [], an empty connection, ... */
function fallback(type: GraphQLOutputType, info: GraphQLResolveInfo): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  if (isScalarType(inner)) return scalarDefault(inner.name);
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (isObjectType(inner)) {
    if (inner.name.endsWith('Connection')) return { __typename: inner.name, ...emptyConnection() };
    return { __typename: inner.name };
  }
  if (isInterfaceType(inner) || isUnionType(inner)) {
    const first = info.schema.getPossibleTypes(inner)[0];
    return { __typename: first?.name ?? 'Node' };
  }
  return null;
}

const READ_LEVELS = new Set(['read', 'write', 'admin']);

/** True when the token may read the model (always, for models without an access rule or for a token with every scope). */
function readable(ctx: GraphqlContext, value: unknown): boolean {
  const access = (value as Model)[ACCESS];
  if (!access || !access.private || !ctx.permissions) return true;
  return READ_LEVELS.has(ctx.permissions[access.permission] ?? '') || (access.alt !== undefined && READ_LEVELS.has(ctx.permissions[access.alt] ?? ''));
}

/**
 * A resolved value with every model the token may not read replaced by GitHub's FORBIDDEN error: graphql-js
 * answers that field (or that list item) null with the error at its path and keeps the rest of the data,
 * as GitHub does for an integration without the permission in a private repository.
 */
function guard(value: unknown, ctx: GraphqlContext): unknown {
  if (!ctx.permissions || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.some((v) => v && typeof v === 'object' && !readable(ctx, v)) ? value.map((v) => guard(v, ctx)) : value;
  return readable(ctx, value) ? value : new GithubFieldError('FORBIDDEN', 'Resource not accessible by integration');
}

const fieldResolver: GraphQLFieldResolver<unknown, GraphqlContext> = (source, args, ctx, info) => {
  if (info.fieldName === '__typename') return info.parentType.name;
  const obj = source as Record<string, unknown> | null;
  if (obj && typeof obj === 'object' && info.fieldName in obj) {
    const v = obj[info.fieldName];
    if (typeof v === 'function') return guard((v as (a: unknown, c: GraphqlContext) => unknown)(args, ctx), ctx);
    if (v === undefined) return fallback(info.returnType, info);
    return guard(v, ctx);
  }
  return fallback(info.returnType, info);
};

const typeResolver: GraphQLTypeResolver<unknown, GraphqlContext> = (value, _ctx, info, abstractType) => {
  const name = (value as Model | null)?.__typename;
  if (name && info.schema.getType(name)) return name;
  return info.schema.getPossibleTypes(abstractType)[0]?.name;
};

function githubError(message: string, status = 200): GraphqlResult {
  return { status, body: { errors: [{ message }] }, points: 0, writes: 0 };
}

function selectOperation(document: DocumentNode, operationName: unknown): OperationDefinitionNode | string {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (typeof operationName === 'string' && operationName) {
    const op = ops.find((o) => o.name?.value === operationName);
    return op ?? `No operation named "${operationName}"`;
  }
  if (ops.length === 1 && ops[0]) return ops[0];
  return ops.length === 0 ? 'No operations in query document' : 'An operation name is required';
}

function toGithubExecutionError(e: GraphQLError): GithubGraphqlError {
  const original = e.originalError;
  const locations = (e.locations ?? []).map((l) => ({ line: l.line, column: l.column }));
  const path = e.path ? [...e.path] : undefined;
  if (original instanceof GithubFieldError) {
    return { type: original.type, ...(path ? { path } : {}), locations, message: original.message };
  }
  return { ...(path ? { path } : {}), locations, message: e.message };
}

/**
 * Answers one `POST /graphql` body as GitHub would: a parse or validation error (HTTP 200, `errors`
 * only, in GitHub's shapes), a resource-limit rejection (missing or excessive `first`/`last`,
 * more than 500,000 nodes), or the data read from (or written to) `store` as `viewerLogin`.
 * Points follow GitHub's documented arithmetic (see `computeCost`) and are charged to `options.budget`
 * (the HTTP server's: a `github-token`'s 1,000 points an hour per repository, refused when spent), or
 * without one to a per-store hourly window (of the store's clock) that `rateLimit` reports and never refuses.
 */
export function handleGraphql(store: Store, request: GraphqlRequest, viewerLogin: string, options: GraphqlOptions = {}): GraphqlResult {
  const { query, operationName } = request;
  if (typeof query !== 'string' || query.trim() === '') {
    return githubError('A query attribute must be specified and must be a string.');
  }
  const variables = request.variables ?? {};
  if (typeof variables !== 'object' || Array.isArray(variables)) {
    return githubError('Variables are invalid JSON.');
  }
  const schema = githubSchema();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    if (e instanceof GraphQLError) return { status: 200, body: { errors: [parseErrorToGithub(e)] }, points: 0, writes: 0 };
    throw e;
  }
  const problems = validate(schema, document, githubRules);
  if (problems.length > 0) {
    const paths = buildPathIndex(document);
    const args = buildArgumentIndex(schema, document);
    return { status: 200, body: { errors: problems.map((p) => validationErrorToGithub(p, paths, args)) }, points: 0, writes: 0 };
  }
  const op = selectOperation(document, operationName);
  if (typeof op === 'string') return githubError(op);

  const varTypes = new Map<string, string>();
  for (const v of op.variableDefinitions ?? []) varTypes.set(v.variable.name.value, printType(v.type));
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;

  // Variables are coerced by graphql-js during execute; do a dry coercion first so the cost sees real values.
  const coerced = coerceVariables(op, variables as Record<string, unknown>, varTypes);
  if ('errors' in coerced) return { status: 200, body: { errors: coerced.errors }, points: 0, writes: 0 };

  const cost = computeCost(schema, op, fragments, coerced.values);
  if (cost.errors.length > 0) return { status: 200, body: { errors: cost.errors }, points: 0, writes: 0, cost };

  const viewer = store.findUser(viewerLogin) ?? store.user(viewerLogin);
  const dryRun = isDryRun(op);
  let limit = GRAPHQL_POINTS_LIMIT;
  let used: number;
  let resetAt: string;
  if (options.budget) {
    const b = options.budget(dryRun ? 0 : cost.cost);
    if (!b.ok) {
      return { status: 200, body: { errors: [{ type: 'RATE_LIMITED', message: b.message ?? 'API rate limit exceeded.' }] }, points: 0, writes: 0, cost };
    }
    ({ limit, used, resetAt } = b);
  } else {
    const win = windowFor(store);
    if (!dryRun) win.used += cost.cost;
    used = win.used;
    resetAt = iso(win.resetAt);
  }
  const ctx: GraphqlContext = {
    store,
    viewer,
    ...(options.permissions ? { permissions: options.permissions } : {}),
    rateLimit: { cost: cost.cost, nodeCount: cost.nodeCount, limit, used, resetAt },
    writes: 0,
  };
  const root = op.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx);
  const result = execute({
    schema,
    document,
    rootValue: root,
    contextValue: ctx,
    variableValues: variables as Record<string, unknown>,
    ...(typeof operationName === 'string' && operationName ? { operationName } : {}),
    fieldResolver,
    typeResolver,
  }) as ExecutionResult;
  if (typeof (result as unknown as { then?: unknown }).then === 'function') {
    throw new Error('github-sim: a GraphQL resolver returned a promise');
  }
  const body: GraphqlResponseBody = {};
  if (result.data !== undefined) body.data = result.data as Record<string, unknown> | null;
  if (result.errors?.length) {
    if (result.data === undefined) {
      body.errors = result.errors.map((e) => variableErrorToGithub(e, varTypes, variables as Record<string, unknown>));
    } else {
      body.errors = result.errors.map(toGithubExecutionError);
    }
  }
  return { status: 200, body, points: dryRun ? 0 : cost.cost, writes: ctx.writes, operation: op.operation, cost };
}

function isDryRun(op: OperationDefinitionNode): boolean {
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.name.value !== 'rateLimit') continue;
    const arg = sel.arguments?.find((a) => a.name.value === 'dryRun');
    if (arg?.value.kind === Kind.BOOLEAN && arg.value.value) return true;
  }
  return false;
}

function printType(t: TypeNode): string {
  if (t.kind === Kind.NON_NULL_TYPE) return `${printType(t.type)}!`;
  if (t.kind === Kind.LIST_TYPE) return `[${printType(t.type)}]`;
  return t.name.value;
}

/** Just enough variable coercion for the cost analysis: graphql-js does the real one during execute. */
function coerceVariables(
  op: OperationDefinitionNode,
  given: Record<string, unknown>,
  varTypes: Map<string, string>,
): { values: Record<string, unknown> } | { errors: GithubGraphqlError[] } {
  const values: Record<string, unknown> = {};
  const errors: GithubGraphqlError[] = [];
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    let v = given[name];
    if (v === undefined && def.defaultValue) {
      const d = def.defaultValue;
      v = d.kind === Kind.INT ? Number(d.value) : d.kind === Kind.BOOLEAN ? d.value : d.kind === Kind.STRING ? d.value : undefined;
    }
    const type = varTypes.get(name) ?? '';
    if ((v === undefined || v === null) && type.endsWith('!')) {
      errors.push({
        extensions: { value: v ?? null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
        locations: def.loc ? [{ line: def.loc.startToken.line, column: def.loc.startToken.column }] : [],
        message: `Variable $${name} of type ${type} was provided invalid value`,
      });
      continue;
    }
    if (type.replace(/!$/, '') === 'Int' && v !== undefined && v !== null && !Number.isInteger(v)) {
      errors.push({
        extensions: { value: v, problems: [{ path: [], explanation: `Could not coerce value ${JSON.stringify(v)} to Int` }] },
        locations: def.loc ? [{ line: def.loc.startToken.line, column: def.loc.startToken.column }] : [],
        message: `Variable $${name} of type ${type} was provided invalid value`,
      });
      continue;
    }
    values[name] = v;
  }
  return errors.length ? { errors } : { values };
}

