import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Octokit } from '../octokit.ts';
import { DEFAULT_CONFIG_PATH, MAX_CONFIG_BYTES, defaultConfig, parseConfig } from './parse.ts';
import type { ConfigResult } from './parse.ts';

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
}

interface ContentFile {
  type?: string;
  content?: string;
  encoding?: string;
  size?: number;
}

function tooLarge(file: string, bytes: number): ConfigResult {
  return {
    config: defaultConfig(),
    warnings: [],
    errors: [{ file, line: 1, column: 1, key: '', message: `the file is ${bytes} bytes; the limit is ${MAX_CONFIG_BYTES} bytes (1 MiB)` }],
    source: 'api',
  };
}

/**
 * Loads `.github/userloop.yml`: from the checked-out workspace when the file is there, else
 * through the API at `ref` (`GET /repos/{owner}/{repo}/contents/{path}?ref=`). A missing file
 * means every default. User mistakes come back in `errors` (see {@link parseConfig}); only
 * infrastructure failures (a 5xx that outlived the retries, a 401) throw.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ConfigResult> {
  const file = options.path ?? DEFAULT_CONFIG_PATH;

  if (options.workspace) {
    const full = isAbsolute(file) ? file : join(options.workspace, file);
    const info = await stat(full).catch(() => undefined);
    if (info?.isFile()) {
      if (info.size > MAX_CONFIG_BYTES) return { ...tooLarge(file, info.size), source: 'workspace' };
      return { ...parseConfig(await readFile(full, 'utf8'), file), source: 'workspace' };
    }
  }

  if (!options.octokit) return { config: defaultConfig(), warnings: [], errors: [], source: 'default' };

  let data: unknown;
  try {
    const response = await options.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: options.owner,
      repo: options.repo,
      path: file,
      ...(options.ref ? { ref: options.ref } : {}),
    });
    data = response.data;
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      return { config: defaultConfig(), warnings: [], errors: [], source: 'default' };
    }
    throw error;
  }

  if (Array.isArray(data) || (data as ContentFile).type !== 'file') {
    return {
      config: defaultConfig(),
      warnings: [],
      errors: [{ file, line: 1, column: 1, key: '', message: `${file} is not a file` }],
      source: 'api',
    };
  }
  const content = data as ContentFile;
  if ((content.size ?? 0) > MAX_CONFIG_BYTES || content.encoding === 'none') {
    return tooLarge(file, content.size ?? MAX_CONFIG_BYTES + 1);
  }
  const text = content.encoding === 'base64'
    ? Buffer.from(content.content ?? '', 'base64').toString('utf8')
    : content.content ?? '';
  return { ...parseConfig(text, file), source: 'api' };
}
