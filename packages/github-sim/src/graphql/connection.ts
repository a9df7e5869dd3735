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
  if (!m) throw new GithubFieldError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

/** Slices `items` (already filtered and ordered) by Relay arguments, with cursors by position. */
export function paginate<T>(items: readonly T[], args: PageArgs, _field = 'connection', extra: Record<string, unknown> = {}): Connection<T> {
  return paginateMap(items, args, (x) => x, extra);
}

/**
 * `paginate`, turning only the items of the page into nodes: `toNode` runs `first`/`last` times, not
 * once per item, so a page of a 50,000-issue list costs the page, not the list.
 */
export function paginateMap<T, U>(items: readonly T[], args: PageArgs, toNode: (item: T) => U, extra: Record<string, unknown> = {}): Connection<U> {
  let start = 0;
  let end = items.length;
  if (args.after) start = Math.max(start, decodeCursor(args.after) + 1);
  if (args.before) end = Math.min(end, decodeCursor(args.before));
  if (end < start) end = start;
  let from = start;
  let to = end;
  if (typeof args.first === 'number') to = Math.min(to, from + args.first);
  if (typeof args.last === 'number') from = Math.max(from, to - args.last);
  const edges: { cursor: string; node: U }[] = [];
  for (let i = from; i < to; i++) edges.push({ cursor: encodeCursor(i), node: toNode(items[i] as T) });
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
