/**
 * Stand-ins for the marketplace actions the workflows use: actions/checkout, actions/cache,
 * actions/upload-artifact and actions/download-artifact. Each works on real files in the job's workspace;
 * artifacts are kept in the emulator's store, where the REST API lists them.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sim } from '../server.ts';
import type { SimArtifact } from '../store.ts';
import { filterPatternRegExp } from './workflow.ts';

/** Files by path relative to a root. */
export type FileSet = Map<string, Buffer>;

/** One `actions/cache` entry. */
export interface CacheEntry {
  key: string;
  /** The `path:` input it was saved with (entries are looked up by key and path, like the cache service's version). */
  paths: string;
  files: FileSet;
  /** Store-clock milliseconds. */
  createdAt: number;
  lastAccessedAt: number;
}

/** Entries not accessed for this long are evicted, as GitHub does. */
export const CACHE_EVICTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Directories a checkout never copies (dependencies, VCS data, build caches). */
const SKIP_DIRS = new Set(['node_modules', '.git', '.turbo']);

/** The names the platform runs itself, by `owner/repo` of the `uses:` value. */
export const BUILTIN_ACTIONS = new Set(['actions/checkout', 'actions/cache', 'actions/upload-artifact', 'actions/download-artifact']);

/**
 * actions/checkout: copies `source` into `dest`. With `sparse` (cone mode), only the listed directories
 * and the root's files.
 */
export async function checkout(source: string, dest: string, sparse: string[]): Promise<void> {
  await mkdir(dest, { recursive: true });
  const entries = await readdir(source, { withFileTypes: true });
  for (const e of entries) {
    if (SKIP_DIRS.has(e.name)) continue;
    const from = path.join(source, e.name);
    const to = path.join(dest, e.name);
    if (e.isDirectory()) {
      if (sparse.length > 0 && !sparse.some((s) => s === e.name || s.startsWith(`${e.name}/`))) continue;
      const nested = sparse.filter((s) => s.startsWith(`${e.name}/`)).map((s) => s.slice(e.name.length + 1));
      if (sparse.length > 0 && !sparse.includes(e.name) && nested.length > 0) await checkout(from, to, nested);
      else await cp(from, to, { recursive: true, filter: (src) => !SKIP_DIRS.has(path.basename(src)) });
    } else if (e.isFile()) {
      await cp(from, to);
    }
  }
}

/**
 * Reads every file under the given workspace-relative paths (files or directories; globs allowed).
 * `roots`: the directory each path starts from (a file's directory, a glob's fixed prefix).
 */
export async function collect(workspace: string, patterns: string[]): Promise<{ files: FileSet; roots: string[] }> {
  const files: FileSet = new Map();
  const roots: string[] = [];
  for (const raw of patterns) {
    const p = raw.trim();
    if (!p || p.startsWith('!')) continue;
    const hasGlob = /[*?[]/.test(p);
    if (!hasGlob) {
      const abs = path.resolve(workspace, p);
      if (!existsSync(abs)) continue;
      roots.push((await stat(abs)).isFile() ? path.dirname(abs) : abs);
      for (const f of await walk(abs)) files.set(path.relative(workspace, f), await readFile(f));
      continue;
    }
    const staticPart = p.slice(0, p.search(/[*?[]/)).replace(/[^/]*$/, '');
    const root = path.resolve(workspace, staticPart || '.');
    const re = filterPatternRegExp(path.relative(workspace, path.resolve(workspace, p)));
    if (!existsSync(root)) continue;
    roots.push(root);
    for (const f of await walk(root)) {
      const rel = path.relative(workspace, f);
      if (re.test(rel)) files.set(rel, await readFile(f));
    }
  }
  return { files, roots };
}

async function walk(abs: string): Promise<string[]> {
  const s = await stat(abs);
  if (s.isFile()) return [abs];
  const out: string[] = [];
  for (const e of await readdir(abs, { withFileTypes: true })) {
    const p = path.join(abs, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Writes a file set under `dir`. */
export async function writeFiles(dir: string, files: FileSet): Promise<void> {
  for (const [rel, data] of files) {
    const to = path.join(dir, rel);
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, data);
  }
}

/** The least common ancestor directory of the uploaded paths' roots (what upload-artifact strips). */
function commonRoot(workspace: string, roots: string[]): string {
  if (roots.length === 0) return workspace;
  let common = roots[0] as string;
  for (const d of roots.slice(1)) {
    while (!(d === common || d.startsWith(`${common}${path.sep}`))) common = path.dirname(common);
  }
  return common;
}

/** The repository's `actions/cache` storage (one per platform), on the store's clock. */
export class CacheStore {
  private entries: CacheEntry[] = [];

  /** Drops the entries not accessed for 7 days. */
  evict(now: number): void {
    this.entries = this.entries.filter((e) => now - e.lastAccessedAt <= CACHE_EVICTION_MS);
  }

  /** Every entry left (after eviction at `now`). */
  list(now: number): CacheEntry[] {
    this.evict(now);
    return [...this.entries];
  }

  /** An exact key match, else the newest entry whose key starts with a restore key (tried in order). */
  restore(key: string, restoreKeys: string[], paths: string, now: number): { entry: CacheEntry; exact: boolean } | undefined {
    this.evict(now);
    const same = this.entries.filter((e) => e.paths === paths);
    const exact = same.find((e) => e.key === key);
    let found = exact;
    if (!found) {
      for (const prefix of restoreKeys) {
        const hits = same.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.createdAt - a.createdAt);
        if (hits[0]) {
          found = hits[0];
          break;
        }
      }
    }
    if (!found) return undefined;
    found.lastAccessedAt = now;
    return { entry: found, exact: found === exact };
  }

  /** Saves an entry; a key that exists already is kept as it is (cache keys are immutable). */
  save(key: string, paths: string, files: FileSet, now: number): boolean {
    this.evict(now);
    if (this.entries.some((e) => e.key === key && e.paths === paths)) return false;
    this.entries.push({ key, paths, files, createdAt: now, lastAccessedAt: now });
    return true;
  }
}

// ------------------------------------------------------------------------------------------------
// actions/upload-artifact and actions/download-artifact (v4)
// ------------------------------------------------------------------------------------------------

/** The workflow run an artifact step runs in. */
export interface ArtifactRun {
  sim: Sim;
  /** `owner/name` of the run's repository. */
  repository: string;
  runId: number;
  /** The run's event payload: a pull request's head repository (a fork's) and branch are recorded. */
  payload: Record<string, unknown>;
  ref: string;
  sha: string;
  workspace: string;
}

/** What an artifact step did: its outputs, warnings, and the message it failed with. */
export interface ArtifactStepResult {
  outputs: Record<string, string>;
  warnings: string[];
  error?: string;
}

/** The repository and branch of the run's head commit, as `workflow_run` of an artifact shows them. */
function headOf(run: ArtifactRun): { head_repository_id: number; head_branch: string } {
  const store = run.sim.store;
  const repo = store.mustRepo(run.repository);
  // Webhook payloads are read by path; their shapes are checked when the platform emits them.
  const pr = run.payload.pull_request as { head?: { ref?: string; repo?: { full_name?: string } | null } } | undefined;
  if (pr?.head) {
    const headRepo = pr.head.repo?.full_name ? store.repo(pr.head.repo.full_name) : undefined;
    return { head_repository_id: headRepo?.id ?? repo.id, head_branch: pr.head.ref ?? repo.default_branch };
  }
  return { head_repository_id: repo.id, head_branch: run.ref.replace(/^refs\/(heads|tags)\//, '') || repo.default_branch };
}

/**
 * actions/upload-artifact: the files under `path` (the least common ancestor of their roots stripped),
 * kept as an artifact of this run in the store, which the REST API then lists, with `retention-days`
 * (default 90). A second upload of a name fails with the service's 409 unless `overwrite: true`.
 */
export async function uploadArtifact(inputs: Record<string, string>, run: ArtifactRun): Promise<ArtifactStepResult> {
  const warnings: string[] = [];
  const lines = (v: string | undefined): string[] => (v ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  const name = inputs.name || 'artifact';
  const patterns = lines(inputs.path);
  if (patterns.length === 0) return { outputs: {}, warnings, error: 'Input required and not supplied: path' };
  if (/["\\:<>|*?\r\n/]/.test(name)) return { outputs: {}, warnings, error: `The artifact name is not valid: ${name}. Contains the following character: one of " : < > | * ? \\r \\n \\ /` };
  const { files, roots } = await collect(run.workspace, patterns);
  if (files.size === 0) {
    const mode = inputs['if-no-files-found'] || 'warn';
    const message = `No files were found with the provided path: ${patterns.join(', ')}. No artifacts will be uploaded.`;
    if (mode === 'error') return { outputs: {}, warnings, error: message };
    if (mode === 'warn') warnings.push(message);
    return { outputs: {}, warnings };
  }
  const store = run.sim.store;
  let retention: number | undefined;
  if (inputs['retention-days']) {
    retention = Number(inputs['retention-days']);
    if (!Number.isInteger(retention) || retention < 1) return { outputs: {}, warnings, error: `Invalid retention-days '${inputs['retention-days']}': a whole number of days, at least 1` };
    if (retention > 90) {
      warnings.push('Retention days cannot be greater than the maximum allowed retention set within the repository. Using 90 instead.');
      retention = 90;
    }
  }
  const existing = store.listArtifacts(run.repository, { run_id: run.runId, name });
  if (existing.length > 0) {
    if (inputs.overwrite !== 'true') return { outputs: {}, warnings, error: 'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run' };
    for (const a of existing) store.deleteArtifact(run.repository, a.id);
  }
  const root = commonRoot(run.workspace, roots);
  const stored: FileSet = new Map();
  for (const [rel, data] of files) stored.set(path.relative(root, path.resolve(run.workspace, rel)), data);
  const artifact = store.createArtifact(run.repository, {
    name,
    run_id: run.runId,
    ...headOf(run),
    head_sha: run.sha,
    ...(retention !== undefined ? { retention_days: retention } : {}),
    files: stored,
  });
  return {
    outputs: {
      'artifact-id': String(artifact.id),
      'artifact-url': `https://github.com/${run.repository}/actions/runs/${run.runId}/artifacts/${artifact.id}`,
      'artifact-digest': artifact.digest.replace(/^sha256:/, ''),
    },
    warnings,
  };
}

/** An artifact name glob (minimatch on a name without `/`): `*`, `?` and `[...]`. */
function namePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const close = ch === '[' ? pattern.indexOf(']', i + 1) : -1;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (close > i + 1) {
      re += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * actions/download-artifact: with `github-token`, through the REST API as the real action does (list the
 * artifacts of `run-id` in `repository`, then the archive of each), so the token needs `actions: read` in
 * a private repository and an expired artifact fails (410); without it, this run's own artifacts. `name`
 * downloads one into `path`; otherwise every artifact (or those matching `pattern`), each into
 * `path/<name>` unless `merge-multiple`.
 */
export async function downloadArtifact(inputs: Record<string, string>, run: ArtifactRun): Promise<ArtifactStepResult> {
  const warnings: string[] = [];
  const store = run.sim.store;
  const dest = path.resolve(run.workspace, inputs.path || '.');
  const fail = (message: string): ArtifactStepResult => ({ outputs: {}, warnings, error: `Unable to download artifact(s): ${message}` });
  const token = inputs['github-token'] ?? '';
  const repository = inputs.repository || run.repository;
  const runId = inputs['run-id'] ? Number.parseInt(inputs['run-id'], 10) : run.runId;
  let chosen: SimArtifact[];
  if (token) {
    const [owner, name] = repository.split('/');
    if (!owner || !name) return fail(`Invalid repository: '${repository}'. Must be in format owner/repo`);
    if (!Number.isInteger(runId)) return fail(`Invalid run-id: '${inputs['run-id']}'`);
    const api = async (route: string, query: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> | undefined }> => {
      const url = new URL(`${run.sim.url}/repos/${owner}/${name}${route}`);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const res = await fetch(url, { redirect: 'manual', headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'user-agent': '@actions/artifact-2.3.2' } });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const listed: Array<{ id: number; name: string }> = [];
    if (inputs.name) {
      const r = await api(`/actions/runs/${runId}/artifacts`, { name: inputs.name });
      if (r.status !== 200) return fail(String(r.body?.message ?? `Invalid response from GitHub API: ${r.status}`));
      const found = (r.body?.artifacts as Array<{ id: number; name: string }> | undefined) ?? [];
      if (found.length === 0) return fail(`Artifact not found for name: ${inputs.name}\n        Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact.\n        For more information, visit the GitHub Artifacts FAQ: https://github.com/actions/toolkit/blob/main/packages/artifact/docs/faq.md`);
      listed.push(found.reduce((a, b) => (b.id > a.id ? b : a)));
    } else {
      for (let page = 1; page <= 10; page++) {
        const r = await api(`/actions/runs/${runId}/artifacts`, { per_page: '100', page: String(page) });
        if (r.status !== 200) return fail(String(r.body?.message ?? `Invalid response from GitHub API: ${r.status}`));
        const found = (r.body?.artifacts as Array<{ id: number; name: string }> | undefined) ?? [];
        listed.push(...found);
        if (page * 100 >= Number(r.body?.total_count ?? 0)) break;
      }
    }
    chosen = [];
    for (const a of listed) {
      const r = await api(`/actions/artifacts/${a.id}/zip`);
      if (r.status !== 302) return fail(r.body?.message ? String(r.body.message) : `Unable to download artifact. Unexpected status: ${r.status}`);
      const stored = store.artifact(repository, a.id);
      if (stored) chosen.push(stored);
    }
  } else {
    const own = store.listArtifacts(run.repository, { run_id: run.runId });
    if (inputs.name) {
      const one = own.find((a) => a.name === inputs.name);
      if (!one) return fail(`Artifact not found for name: ${inputs.name}`);
      chosen = [one];
    } else chosen = own;
  }
  if (!inputs.name) {
    // The newest of each name, then the pattern.
    const latest = new Map<string, SimArtifact>();
    for (const a of chosen) if ((latest.get(a.name)?.id ?? -1) < a.id) latest.set(a.name, a);
    const re = inputs.pattern ? namePattern(inputs.pattern) : undefined;
    chosen = [...latest.values()].filter((a) => !re || re.test(a.name)).sort((a, b) => a.id - b.id);
  }
  const merge = inputs['merge-multiple'] === 'true';
  for (const a of chosen) await writeFiles(inputs.name || merge ? dest : path.join(dest, a.name), a.files);
  return { outputs: { 'download-path': dest }, warnings };
}
