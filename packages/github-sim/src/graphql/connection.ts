import { GithubFieldError } from './field-error.ts';

/** Relay pagination arguments as GitHub's connections take them. */
export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A resolved connection: what every `...Connection` type of the schema reads. */
export interface Connection<T> {
  __typename?: string;
  totalCount: number;
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  [extra: string]: unknown;
}

/** Opaque cursors shaped like GitHub's (`Y3Vyc29yOnYyOpH...`): base64 of `cursor:v2:<offset>`. */
function encodeCursor(offset: number): string {
  return Buffer.from(`cursor:v2:${offset}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw invalidCursor(cursor);
  return Number(m[1]);
}

const invalidCursor = (cursor: string) => new GithubFieldError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);

/** An item's place in an ordered list: its sort value, then its number (the tie-breaker). */
type SortKey = readonly [string | number, number];

/**
 * How an ordered connection (a repository's issues or pull requests by `orderBy`) pages: by the sort key of
 * the item a cursor names, as GitHub's cursors do, not by position. An item that moves (updated after a page
 * was read) moves no other item across a cursor: the next page starts after the named key, wherever that is now.
 */
export interface Keyset<T> {
  key: (item: T) => SortKey;
  desc: boolean;
}

function encodeKey(key: SortKey): string {
  return Buffer.from(`cursor:v2:${JSON.stringify(key)}`).toString('base64');
}

function decodeKey(cursor: string): SortKey {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('cursor:v2:[')) throw invalidCursor(cursor);
  let key: unknown;
  try {
    key = JSON.parse(text.slice('cursor:v2:'.length));
  } catch {
    throw invalidCursor(cursor);
  }
  if (!Array.isArray(key) || key.length !== 2 || !['string', 'number'].includes(typeof key[0]) || typeof key[1] !== 'number') throw invalidCursor(cursor);
  return key as unknown as SortKey;
}

/** The first index of `items` (ordered by `keyset`) whose key comes after `key` (`orEqual`: at or after it). */
function firstAfter<T>(items: readonly T[], keyset: Keyset<T>, key: SortKey, orEqual: boolean): number {
  const compare = (x: SortKey, y: SortKey): number => {
    const c = (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0) || x[1] - y[1];
    return keyset.desc ? -c : c;
  };
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(keyset.key(items[mid] as T), key);
    if (c > 0 || (orEqual && c === 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Slices `items` (already filtered and ordered) by Relay arguments, with cursors by position. */
export function paginate<T>(items: readonly T[], args: PageArgs, _field = 'connection', extra: Record<string, unknown> = {}): Connection<T> {
  return paginateMap(items, args, (x) => x, extra);
}

/**
 * `paginate`, turning only the items of the page into nodes: `toNode` runs `first`/`last` times, not
 * once per item, so a page of a 50,000-issue list costs the page, not the list.
 */
export function paginateMap<T, U>(items: readonly T[], args: PageArgs, toNode: (item: T) => U, extra: Record<string, unknown> = {}, keyset?: Keyset<T>): Connection<U> {
  let start = 0;
  let end = items.length;
  if (args.after) start = Math.max(start, keyset ? firstAfter(items, keyset, decodeKey(args.after), false) : decodeCursor(args.after) + 1);
  if (args.before) end = Math.min(end, keyset ? firstAfter(items, keyset, decodeKey(args.before), true) : decodeCursor(args.before));
  if (end < start) end = start;
  let from = start;
  let to = end;
  if (typeof args.first === 'number') to = Math.min(to, from + args.first);
  if (typeof args.last === 'number') from = Math.max(from, to - args.last);
  const edges: { cursor: string; node: U }[] = [];
  for (let i = from; i < to; i++) edges.push({ cursor: keyset ? encodeKey(keyset.key(items[i] as T)) : encodeCursor(i), node: toNode(items[i] as T) });
  return {
    ...extra,
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: to < end,
      hasPreviousPage: from > start,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** An empty connection, for schema fields the emulator does not model. */
export function emptyConnection(): Connection<never> {
  return paginate([], {});
}
