// The JSON files: the snapshot kept between runs (incremental reads), the records a `collect` job writes and
// the `render` job reads back, and the report's numbers. A snapshot that is missing, damaged or of another
// repository counts as none: the run reads everything. A records file the render job cannot read stops it.
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ItemRecord, ReadProgress, ReleaseRecord, RepoSnapshot } from './model.ts';

/** What the collected-records JSON and the snapshot file hold. */
interface RecordsFile {
  version: 1;
  snapshots: RepoSnapshot[];
}

/**
 * Whether a record can still count in a report whose oldest period starts at `windowStart`: an open issue,
 * or anything updated since (an issue closed before and untouched since is in no number of the report).
 */
function inWindow(item: ItemRecord, windowStart: number): boolean {
  return (item.kind === 'issue' && item.state === 'OPEN') || Date.parse(item.updatedAt) >= windowStart;
}

/**
 * Merges fresh records into a snapshot (same kind and number: the fresh one wins) and drops the records
 * that fell out of the window starting at `windowStart`. `resume`: where an unfinished read stopped.
 */
export function mergeSnapshot(
  previous: RepoSnapshot | null,
  fresh: ItemRecord[],
  releases: ReleaseRecord[],
  repository: string,
  since: string | null,
  windowStart: string,
  resume: ReadProgress | null = null,
): RepoSnapshot {
  const byKey = new Map<string, ItemRecord>();
  const start = Date.parse(windowStart);
  for (const item of previous?.items ?? []) if (inWindow(item, start)) byKey.set(`${item.kind}#${item.number}`, item);
  for (const item of fresh) byKey.set(`${item.kind}#${item.number}`, item);
  const rel = new Map<string, ReleaseRecord>();
  for (const r of previous?.releases ?? []) rel.set(r.tagName, r);
  for (const r of releases) rel.set(r.tagName, r);
  return {
    version: 1,
    repository,
    since,
    windowStart,
    items: [...byKey.values()].sort((a, b) => a.number - b.number || a.kind.localeCompare(b.kind)),
    releases: [...rel.values()].sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '') || a.tagName.localeCompare(b.tagName)),
    ...(resume ? { resume } : {}),
  };
}

/** Whether every repository asked for has a snapshot that was read to the end. */
export function readComplete(snapshots: readonly RepoSnapshot[], repositories: readonly string[]): boolean {
  return repositories.every((r) => snapshots.some((s) => s.repository.toLowerCase() === r.toLowerCase() && !s.resume));
}

/** Whether a parsed JSON value is a usable snapshot: of a named repository, with its records and releases. */
function isSnapshot(value: unknown): value is RepoSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RepoSnapshot>;
  return v.version === 1 && typeof v.repository === 'string' && v.repository !== '' && Array.isArray(v.items) && Array.isArray(v.releases);
}

/** Writes a value as one line of JSON, making the directories on the way. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value)}\n`);
}

/** A parsed file's usable snapshots and how many were not, or why it is not a records file at all. */
function snapshotsOf(value: unknown): { snapshots: RepoSnapshot[]; unusable: number } | { error: string } {
  const file = value as Partial<RecordsFile> | null;
  if (!file || file.version !== 1 || !Array.isArray(file.snapshots)) return { error: 'not a records file' };
  const snapshots = file.snapshots.filter(isSnapshot);
  return { snapshots, unusable: file.snapshots.length - snapshots.length };
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(full)));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

/** The first line of a file {@link writeSnapshots} wrote. */
const FILE_HEAD = '{"version":1,"snapshots":[';

/** Whether the file starts as {@link writeSnapshots} writes it: its first line alone. */
async function laidOutByLine(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(FILE_HEAD.length + 2), 0, FILE_HEAD.length + 2, 0);
    const start = buffer.toString('utf8', 0, bytesRead);
    return start.startsWith(`${FILE_HEAD}\n`) || start === `${FILE_HEAD}\r\n`;
  } finally {
    await file.close();
  }
}

/**
 * A file {@link writeSnapshots} wrote, read a line at a time (a record a line): the file never stands in
 * memory whole. Throws when a line is not what that layout has there.
 */
async function readLines(path: string): Promise<RecordsFile> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const snapshots: RepoSnapshot[] = [];
  let current: RepoSnapshot | null = null;
  let n = 0;
  let ended = false;
  const damaged = (): Error => new Error(`line ${n} is damaged or cut short`);
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw damaged();
    }
  };
  for await (const line of lines) {
    n += 1;
    if (n === 1) continue;
    if (ended) {
      if (line !== '') throw new Error(`line ${n} follows the end`);
    } else if (current === null) {
      // A snapshot's fields, then its items: `{...,"items":[` (after the first: `,{...`), or the file's end.
      if (line === ']}') ended = true;
      else if (line.endsWith('"items":[')) current = parse(`${snapshots.length > 0 ? line.slice(1) : line}]}`) as RepoSnapshot;
      else throw damaged();
    } else if (line === ']}') {
      snapshots.push(current);
      current = null;
    } else {
      current.items.push(parse(current.items.length > 0 ? line.slice(1) : line) as ItemRecord);
    }
  }
  if (!ended) throw new Error(`cut short after line ${n}`);
  return { version: 1, snapshots };
}

/**
 * The usable snapshots of a snapshot file (none when it is missing or damaged: the run reads everything). A
 * file laid out otherwise than a record a line (written before records went a line each, or by hand) is
 * parsed whole.
 */
export async function readSnapshots(path: string): Promise<RepoSnapshot[]> {
  const read = await readRecordsFile(path);
  return 'snapshots' in read ? read.snapshots : [];
}

/** The snapshots of a snapshot or records file, or why it could not be read. */
async function readRecordsFile(path: string): Promise<ReturnType<typeof snapshotsOf>> {
  try {
    return snapshotsOf(await ((await laidOutByLine(path)) ? readLines(path) : JSON.parse(await readFile(path, 'utf8'))));
  } catch (error) {
    return { error: error instanceof SyntaxError ? `not JSON (${error.message})` : error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The snapshots of every JSON file under `dir` (searched recursively, in path order). Throws, naming each
 * and why, when some are not wholly usable records (damaged, cut short, other JSON): a report without
 * their repositories would look complete.
 */
export async function readRecordsDir(dir: string): Promise<RepoSnapshot[]> {
  const snapshots: RepoSnapshot[] = [];
  const unusable: string[] = [];
  for (const file of await jsonFiles(dir)) {
    const read = await readRecordsFile(file);
    if ('error' in read) unusable.push(`${file} (${read.error})`);
    else if (read.unusable > 0) unusable.push(`${file} (${read.unusable} of its ${read.unusable + read.snapshots.length} snapshots unusable)`);
    else snapshots.push(...read.snapshots);
  }
  if (unusable.length > 0) {
    throw new Error(
      `These files under ${dir} are not records written by mode 'collect', so their repositories would be missing from the report: ${unusable.join('; ')}. Collect them again, or move other JSON files out of ${dir}.`,
    );
  }
  return snapshots;
}

/**
 * Writes a snapshot or records file: one JSON document, a record a line, written a thousand records at a
 * time, so that tens of thousands of records never stand in memory as one string (nor when read back):
 *
 *     {"version":1,"snapshots":[
 *     {"version":1,"repository":"o/r",...,"items":[
 *     {"kind":"issue","number":1,...}
 *     ,{"kind":"issue","number":2,...}
 *     ]}
 *     ,{"version":1,"repository":"o/s",...,"items":[
 *     ]}
 *     ]}
 */
export async function writeSnapshots(path: string, snapshots: RepoSnapshot[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, 'w');
  try {
    await file.write(`${FILE_HEAD}\n`);
    for (const [n, { items, ...rest }] of snapshots.entries()) {
      await file.write(`${n > 0 ? ',' : ''}${JSON.stringify(rest).slice(0, -1)},"items":[\n`);
      for (let i = 0; i < items.length; i += 1000) {
        await file.write(`${items.slice(i, i + 1000).map((item, k) => `${i + k > 0 ? ',' : ''}${JSON.stringify(item)}\n`).join('')}`);
      }
      await file.write(']}\n');
    }
    await file.write(']}\n');
  } finally {
    await file.close();
  }
}

/** Copies a file {@link writeSnapshots} wrote to `to` (the same records wanted in two places), making its directories. */
export async function copySnapshots(from: string, to: string): Promise<void> {
  if (resolve(from) === resolve(to)) return;
  await mkdir(dirname(to), { recursive: true });
  await copyFile(from, to);
}
