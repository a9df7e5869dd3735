/**
 * Stand-ins for the marketplace actions the workflows use: actions/checkout, actions/cache,
 * actions/upload-artifact and actions/download-artifact. Each works on real files in the job's workspace.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
export function commonRoot(workspace: string, roots: string[]): string {
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
