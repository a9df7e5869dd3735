import * as core from '@actions/core';
import * as z from 'zod/mini';
import './zod.ts';
import { annotateConfigIssues, ConfigError } from './config/issues.ts';
import { httpStatus } from './errors.ts';

/** One or more action inputs are missing or invalid; every problem names its input. */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** `input 'name': problem` lines. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? `Invalid input: ${problems[0]}` : `Invalid inputs:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** The environment variable carrying an input: `INPUT_` + name upper-cased, `-` and spaces to `_`. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/[-\s]/g, '_').toUpperCase()}`;
}

/**
 * Reads and validates the action's inputs with one zod object schema whose keys are the input
 * names (`'dry-run'`). Each value comes from `INPUT_<NAME>` (`-` -> `_`, upper-cased; the
 * runner's own dashed form `INPUT_DRY-RUN` is read as a fallback), trimmed; an empty string is
 * absent, so schema defaults apply.
 *
 * @throws InputError naming each invalid or missing input
 */
export function readInputs<S extends z.core.$ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema._zod.def.shape)) {
    const value = env[inputEnvName(name)] ?? env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
    const trimmed = value?.trim();
    raw[name] = trimmed === undefined || trimmed === '' ? undefined : trimmed;
  }
  const result = z.safeParse(schema, raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    if (name === '') return issue.message;
    if (issue.code === 'invalid_type' && raw[name] === undefined) return `input '${name}' is required`;
    return `input '${name}': ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  throw new InputError(problems);
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * An input's schema, with the methods an action's inputs chain: `.default(value)` (the value when the input
 * is empty or absent), `.optional()` and `.refine(check, message)`.
 */
export type InputSchema<T extends z.ZodMiniType> = T & {
  default(value: z.output<T> & {}): InputSchema<z.ZodMiniDefault<T>>;
  optional(): InputSchema<z.ZodMiniOptional<T>>;
  refine(check: (value: z.output<T>) => boolean, message: string): InputSchema<T>;
};

function inputSchema<T extends z.ZodMiniType>(schema: T): InputSchema<T> {
  return Object.assign(schema, {
    default: (value: z.output<T> & {}) => inputSchema(z._default(schema, value as never)),
    optional: () => inputSchema(z.optional(schema)),
    refine: (check: (value: z.output<T>) => boolean, message: string) => inputSchema(schema.check(z.refine(check, message))),
  });
}

/** Input schemas for the shapes actions use (inputs are always strings). */
export const input = {
  /** A YAML 1.2 boolean (`true`/`True`/`TRUE`, `false`/`False`/`FALSE`), like `core.getBooleanInput`. */
  boolean: () =>
    inputSchema(
      z.pipe(
        z.string().check(z.refine((v) => TRUE.includes(v) || FALSE.includes(v), 'expected true or false')),
        z.transform((v) => TRUE.includes(v)),
      ),
    ),
  /** A whole number within optional bounds. */
  integer: (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
    inputSchema(
      z.pipe(
        z.pipe(z.string().check(z.regex(/^-?\d+$/, 'expected a whole number')), z.transform(Number)),
        z.number().check(z.int(), z.gte(min), z.lte(max)),
      ),
    ),
  /** A list separated by newlines and/or commas; blank items dropped. */
  list: () =>
    inputSchema(z.pipe(z.string(), z.transform((v) => v.split(/[\n,]/).map((item) => item.trim()).filter((item) => item !== '')))),
  /** One of the given words. */
  choice: <const T extends readonly [string, ...string[]]>(values: T) => inputSchema(z.enum(values)),
  /** Any text. */
  text: () => inputSchema(z.string()),
  /** A date or a date and time (`2026-11-23`, `2026-11-23T06:00:00Z`), kept as written. */
  date: () =>
    inputSchema(z.string().check(z.refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date or time, e.g. 2026-11-23 or 2026-11-23T06:00:00Z'))),
};

/** Renders anything thrown as a one-paragraph message (a thrown string fails the step too). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.name === 'GraphqlResponseError') return graphqlErrorMessage(error);
  if (error instanceof Error) {
    const status = httpStatus(error);
    const request = (error as { request?: { method?: string; url?: string } }).request;
    const where = request?.method && request.url ? ` (${request.method} ${request.url.replace(/\?.*$/, '')})` : '';
    const message = error.message || error.name;
    const hint = status === 403 && request?.method && request.url ? permissionHint(request.method, request.url, message) : '';
    return typeof status === 'number' ? `GitHub API error ${status}: ${message}${where}${hint}` : message;
  }
  if (typeof error === 'string') return error || 'failed with an empty error message';
  if (error === undefined || error === null) return `failed with ${String(error)}`;
  try {
    return `failed with a non-error value: ${JSON.stringify(error)}`;
  } catch {
    return `failed with a non-error value: ${String(error)}`;
  }
}

/**
 * For a write GitHub refused with "Resource not accessible by integration": the `permissions:` the job
 * needs, from the route (releases and contents: `contents`; pull requests: `pull-requests`; issues,
 * comments and labels: `issues`). Empty for reads and for other 403s (rate limits, locked issues).
 */
function permissionHint(method: string, url: string, message: string): string {
  if (method.toUpperCase() === 'GET' || !/not accessible by integration/i.test(message)) return '';
  const path = url.replace(/\?.*$/, '');
  const permission = /\/(releases|contents|git)(\/|$)/.test(path)
    ? 'contents'
    : /\/pulls(\/|$)/.test(path)
      ? 'pull-requests'
      : /\/issues(\/|$)|\/labels(\/|$)/.test(path)
        ? 'issues'
        : '';
  if (!permission) return '';
  return `. The token cannot write here: give the job \`permissions: ${permission}: write\` (a pull request from a fork only ever gets a read-only token).`;
}

/** A GraphQL answer with `errors` (Octokit's GraphqlResponseError): each error's type, message and path, and the operation. */
function graphqlErrorMessage(error: Error): string {
  const { errors, request } = error as { errors?: unknown; request?: { query?: unknown } };
  const list = Array.isArray(errors) ? (errors as Array<{ type?: unknown; message?: unknown; path?: unknown } | null>) : [];
  const parts = list.map((e) => {
    const type = typeof e?.type === 'string' ? `${e.type}: ` : '';
    const path = Array.isArray(e?.path) && e.path.length > 0 ? ` (at ${e.path.join('.')})` : '';
    return `${type}${typeof e?.message === 'string' ? e.message : JSON.stringify(e)}${path}`;
  });
  const operation = typeof request?.query === 'string' ? /\b(query|mutation)\s+([A-Za-z_]\w*)/.exec(request.query) : null;
  const where = operation ? ` in ${operation[1]} ${operation[2]}` : '';
  return `GitHub GraphQL API error${where}: ${parts.length > 0 ? parts.join('; ') : error.message}`;
}

/**
 * The one error boundary of an action: runs `main` and fails the step with a clear message for
 * anything thrown (an `Error`, a string, anything). A {@link ConfigError} also annotates each
 * problem on the configuration file and line.
 *
 * @returns whether `main` succeeded (the exit code is set through `core.setFailed` otherwise)
 */
export async function runAction(main: () => Promise<void> | void): Promise<boolean> {
  try {
    await main();
    return true;
  } catch (error: unknown) {
    if (error instanceof ConfigError) annotateConfigIssues(error.issues);
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(errorMessage(error));
    return false;
  }
}

/** `commentId` / `comment_id` / `comment-id` -> `comment-id`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
}

/** A value an output can carry; objects and arrays are written as JSON, `undefined` is skipped. */
export type OutputValue = string | number | boolean | null | undefined | readonly unknown[] | Record<string, unknown>;

/**
 * Sets several step outputs at once, with kebab-case names (`commentId` -> `comment-id`).
 * Strings are written as is, numbers and booleans as text, objects and arrays as JSON;
 * `undefined` is skipped.
 */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    core.setOutput(kebabCase(name), text);
  }
}

/**
 * Appends markdown to the job summary (`GITHUB_STEP_SUMMARY`) through `core.summary`.
 * Outside a runner (no summary file) it logs the markdown instead and returns false.
 */
export async function appendSummary(markdown: string): Promise<boolean> {
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    core.info(markdown);
    return false;
  }
  await core.summary.addRaw(markdown, true).write();
  return true;
}

/** Appends a heading and markdown body as one block of the job summary. */
export async function appendSummarySection(heading: string, markdown: string, level: 1 | 2 | 3 | 4 = 2): Promise<boolean> {
  return appendSummary(`${'#'.repeat(level)} ${heading}\n\n${markdown.trimEnd()}\n`);
}

/** Runs `fn` inside a collapsible log group. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return core.group(name, fn);
}
