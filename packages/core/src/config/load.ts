import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, posix } from 'node:path';
import type { Octokit } from '../octokit.ts';
import { DEFAULT_CONFIG_PATH, MAX_CONFIG_BYTES, configTooLargeMessage, defaultConfig, parseConfig } from './parse.ts';
import type { ConfigResult } from './parse.ts';
import { httpStatus } from '../errors.ts';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Client used when the file is not in the workspace. */
  octokit?: Pick<Octokit, 'request'>;
  /** Repository owner. */
  owner: string;
  /** Repository name. */
  repo: string;
  /** Git ref to read through the API (the event's ref or sha); default branch when absent. */
  ref?: string;
  /** Checked-out repository (`GITHUB_WORKSPACE`); read first when it holds the file. */
  workspace?: string;
  /** Path of the file in the repository (default `.github/userloop.yml`). */
  path?: string;
  /**
   * Whether the user chose `path` (the `config-path` input): then a path that is missing, or is a
   * directory, is an error naming it instead of "every default". Default: true when `path` is given and
   * is not `.github/userloop.yml` (the actions' inputs default to that path, so it cannot be told apart
   * from a path the user set to the same value; there a missing file means every default, as documented).
   */
  explicit?: boolean;
}

interface ContentFile {
  type?: string;
  content?: string;
  encoding?: string;
  size?: number;
}

const normalisePath = (path: string): string => posix.normalize(path.replace(/\\/g, '/')).replace(/^(\.\/)+/, '').replace(/\/+$/, '');

function failure(file: string, message: string, source: ConfigResult['source']): ConfigResult {
  return { config: null, warnings: [], errors: [{ file, line: 1, column: 1, key: '', message }], source: source ?? 'api' };
}

/** The error of a configuration file over the size limit, with its size in bytes. */
function tooLarge(file: string, bytes: number, source: ConfigResult['source']): ConfigResult {
  return failure(file, `${file}: ${configTooLargeMessage(bytes)}`, source);
}

/** The size GitHub lists for `path` in its directory (one request), when the file itself cannot be read. */
async function listedSize(options: LoadConfigOptions, path: string): Promise<number | undefined> {
  const parent = posix.dirname(path);
  try {
    const { data } = await options.octokit!.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: options.owner,
      repo: options.repo,
      path: parent === '.' ? '' : parent,
      ...(options.ref ? { ref: options.ref } : {}),
    });
    const entry = Array.isArray(data) ? (data as Array<{ path?: string; size?: number }>).find((e) => e.path === path) : undefined;
    return typeof entry?.size === 'number' ? entry.size : undefined;
  } catch {
    return undefined;
  }
}

/** The answers of a config read that the file cannot give: missing, a directory (by the rules of {@link loadConfig}). */
function outcomes(options: LoadConfigOptions) {
  const file = options.path ?? DEFAULT_CONFIG_PATH;
  const explicit = options.explicit ?? (options.path !== undefined && normalisePath(options.path) !== DEFAULT_CONFIG_PATH);
  const where = `${options.owner}/${options.repo}${options.ref ? ` at ${options.ref}` : ''}`;
  const missing = (): ConfigResult =>
    explicit
      ? failure(
          file,
          `config-path '${file}' does not exist (${options.workspace ? 'not in the checkout, ' : ''}not in ${where}). Fix the \`config-path\` input, or remove it to use ${DEFAULT_CONFIG_PATH}.`,
          'default',
        )
      : { config: defaultConfig(), warnings: [], errors: [], source: 'default' };
  const directory = (source: ConfigResult['source']): ConfigResult =>
    failure(file, `${explicit ? 'config-path ' : ''}'${file}' is a directory, not a file: name the YAML file (for example ${DEFAULT_CONFIG_PATH}).`, source);
  return { file, where, missing, directory };
}

/**
 * The GraphQL field that reads the config file inside an action's first query, so the config costs no
 * request of its own: declare `$configExpression: String!` and pass {@link configExpression}.
 */
export const CONFIG_FILE_FIELD = 'configFile: object(expression: $configExpression) { __typename ... on Blob { text byteSize isBinary isTruncated } }';

/** The `object(expression:)` of the config file at a commit: `<ref>:<path>`. */
export function configExpression(ref: string, path: string = DEFAULT_CONFIG_PATH): string {
  return `${ref}:${normalisePath(path)}`;
}

/** What {@link CONFIG_FILE_FIELD} answers: the file (a `Blob`), a directory (a `Tree`), or `null` when nothing is there. */
export interface ConfigFileNode {
  __typename: string;
  text?: string | null;
  byteSize?: number;
  isBinary?: boolean | null;
  /** GitHub cuts `text` at 512,000 bytes. */
  isTruncated?: boolean | null;
}

/**
 * The config from {@link CONFIG_FILE_FIELD}'s answer, by the same rules as {@link loadConfig} through the
 * API: nothing there means every default (or, at a path the user chose, an error naming it), a directory or
 * a file over 1 MiB is an error, and user mistakes come back in `errors`. `null` for a file GitHub's GraphQL
 * API cut (over 512,000 bytes, under the 1 MiB limit): read it with {@link loadConfig} then.
 */
export function configFromGraphql(node: ConfigFileNode | null | undefined, options: LoadConfigOptions): ConfigResult | null {
  const { file, where, missing, directory } = outcomes(options);
  if (!node) return missing();
  if (node.__typename === 'Tree') return directory('api');
  if (node.__typename !== 'Blob') return failure(file, `'${file}' in ${where} is a ${node.__typename}, not a file.`, 'api');
  if ((node.byteSize ?? 0) > MAX_CONFIG_BYTES) return tooLarge(file, node.byteSize ?? MAX_CONFIG_BYTES + 1, 'api');
  if (node.isTruncated) return null;
  if (node.isBinary || typeof node.text !== 'string') return failure(file, `'${file}' in ${where} is not a text file.`, 'api');
  return { ...parseConfig(node.text, file), source: 'api' };
}

/**
 * Loads `.github/userloop.yml`: from the checked-out workspace when the file is there, else
 * through the API at `ref` (`GET /repos/{owner}/{repo}/contents/{path}?ref=`). A missing file
 * at the default path means every default; a missing file at a path the user chose
 * ({@link LoadConfigOptions.explicit}) and a directory anywhere are errors naming the path. A file over
 * 1 MiB (GitHub's contents API serves files up to 1 MB) is an error giving its size and the limit. User
 * mistakes come back in `errors` (see {@link parseConfig}); only infrastructure failures (a 5xx that
 * outlived the retries, a 401) throw.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ConfigResult> {
  const { file, where, missing, directory } = outcomes(options);

  if (options.workspace) {
    const full = isAbsolute(file) ? file : join(options.workspace, file);
    const info = await stat(full).catch(() => undefined);
    if (info?.isDirectory()) return directory('workspace');
    if (info?.isFile()) {
      if (info.size > MAX_CONFIG_BYTES) return tooLarge(file, info.size, 'workspace');
      return { ...parseConfig(await readFile(full, 'utf8'), file), source: 'workspace' };
    }
  }

  if (!options.octokit) return missing();

  const path = normalisePath(file);
  let data: unknown;
  try {
    const response = await options.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: options.owner,
      repo: options.repo,
      path,
      ...(options.ref ? { ref: options.ref } : {}),
    });
    data = response.data;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) return missing();
    // GitHub answers 403 `too_large` for a blob over 1 MB asked for as JSON; its listing still gives the size.
    const errors = (error as { response?: { data?: { errors?: Array<{ code?: string }> } } }).response?.data?.errors;
    if (status === 403 && Array.isArray(errors) && errors.some((e) => e?.code === 'too_large')) {
      return tooLarge(file, (await listedSize(options, path)) ?? MAX_CONFIG_BYTES + 1, 'api');
    }
    throw error;
  }

  // A body the client could not read as JSON comes back as text: judge it by its size.
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      const bytes = Buffer.byteLength(data as string);
      if (bytes > MAX_CONFIG_BYTES) return tooLarge(file, bytes, 'api');
      return failure(file, `GitHub's answer for '${file}' in ${where} is not the file's contents (${bytes} bytes of text).`, 'api');
    }
  }
  if (Array.isArray(data)) return directory('api');
  const content = data as ContentFile;
  if (content.type !== 'file') return failure(file, `'${file}' in ${where} is a ${content.type ?? 'thing'}, not a file.`, 'api');
  // Over 1 MB GitHub sends no content (`encoding: none`), only the size.
  if ((content.size ?? 0) > MAX_CONFIG_BYTES || content.encoding === 'none') {
    return tooLarge(file, content.size ?? MAX_CONFIG_BYTES + 1, 'api');
  }
  const text = content.encoding === 'base64'
    ? Buffer.from(content.content ?? '', 'base64').toString('utf8')
    : content.content ?? '';
  return { ...parseConfig(text, file), source: 'api' };
}
