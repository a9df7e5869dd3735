/**
 * Owned regions: the part of a body (a comment, an issue, a release) that the bot writes, between a start
 * marker and its end marker. Everything before and after the region is a person's (a maintainer's note
 * above or below the bot's text) and is kept as they left it on every update.
 *
 * ```
 * A maintainer's note.
 * <!-- userloop:prioritize.start -->
 * …the bot's text, with its data markers…
 *
 * <!-- userloop:prioritize.end -->
 * Another note.
 * ```
 *
 * Markers are written and read only through `markers.ts`. Pure functions: a body in, a body out.
 */
import { TRUNCATION_NOTICE, fitBody } from './markdown.ts';
import { findMarkers, renderMarker } from './markers.ts';

/** The marker kinds delimiting the region of `kind`: `<kind>.start` and `<kind>.end`. */
export function regionMarkerKinds(kind: string): { start: string; end: string } {
  return { start: `${kind}.start`, end: `${kind}.end` };
}

/** How a body's region was found by {@link readRegion}. */
export type RegionState =
  /** Both markers, in order: the region lies between them. */
  | 'region'
  /** No region marker at all (written by an older version, before regions): the whole body is the bot's. */
  | 'whole'
  /** An empty or missing body. */
  | 'empty'
  /**
   * One marker is missing or they are out of order (a person deleted one): the whole body is the person's,
   * and the next update writes a new region at its end.
   */
  | 'damaged';

/** A body split into the person's text around the region and the region's content. */
export interface BodyRegion {
  state: RegionState;
  /** The text before the start marker, exactly as it is (the whole body when `damaged`). */
  before: string;
  /** The bot's text between the markers, without them, the line break after the start and the white space before the end. */
  content: string;
  /** The text after the end marker, exactly as it is. */
  after: string;
}

/**
 * Splits `body` into the person's text and the bot's region of `kind` (see {@link RegionState}). The first
 * start marker and the first end marker after it delimit the region.
 */
export function readRegion(body: string | null | undefined, kind: string): BodyRegion {
  const text = body ?? '';
  if (text.trim() === '') return { state: 'empty', before: '', content: '', after: '' };
  const kinds = regionMarkerKinds(kind);
  const starts = findMarkers(text, kinds.start);
  const ends = findMarkers(text, kinds.end);
  if (starts.length === 0 && ends.length === 0) return { state: 'whole', before: '', content: text, after: '' };
  const start = starts[0];
  const end = start ? ends.find((e) => e.index >= start.index + start.length) : undefined;
  if (!start || !end) return { state: 'damaged', before: text, content: '', after: '' };
  const inner = text.slice(start.index + start.length, end.index).replace(/^\r?\n/, '').replace(/\s+$/, '');
  return { state: 'region', before: text.slice(0, start.index), content: inner, after: text.slice(end.index + end.length) };
}

/** The region of `kind` holding `content`: the start marker, the content, a blank line and the end marker, each marker on its own line. */
export function renderRegion(kind: string, content: string): string {
  const kinds = regionMarkerKinds(kind);
  const inner = content.replace(/\s+$/, '');
  // A blank line before the end marker: after an HTML block (`</details>`) or a paragraph, markdown would
  // read a marker on the very next line as part of that block, not as a marker line of its own.
  return inner === '' ? `${renderMarker(kinds.start)}\n${renderMarker(kinds.end)}` : `${renderMarker(kinds.start)}\n${inner}\n\n${renderMarker(kinds.end)}`;
}

/** Options of {@link replaceRegion}. */
export interface ReplaceRegionOptions {
  /** The body's limit in characters (GitHub's: 65,536 for an issue or comment, 125,000 for a release). */
  limit?: number;
  /** The line that ends the bot's content when it is cut to fit (core's truncation notice by default). */
  notice?: string;
  /**
   * Marker kinds removed from the person's text (the bot's data markers, such as the item's identity
   * marker): a copy left outside the region (by a person who deleted a region marker) would otherwise be
   * read as the bot's.
   */
  strip?: readonly string[];
  /** What the body is, for the error when the person's text leaves no room (`the reply on o/r#3`). */
  what?: string;
}

/** What {@link replaceRegion} wrote. */
export interface ReplaceRegionResult {
  body: string;
  /** True when the bot's content was cut to fit the limit. */
  truncated: boolean;
  /** How the region was found in the previous body. */
  state: RegionState;
}

/** Removes the markers of `kinds` from a person's text; a marker alone on its line takes its line break along. */
function stripKinds(text: string, kinds: readonly string[]): string {
  let out = text;
  for (const kind of kinds) {
    for (const m of findMarkers(out, kind).reverse()) {
      let from = m.index;
      let to = m.index + m.length;
      const lineStart = from === 0 || out[from - 1] === '\n';
      if (lineStart && out.startsWith('\r\n', to)) to += 2;
      else if (lineStart && out[to] === '\n') to += 1;
      else if (lineStart && to === out.length && from > 0) from -= out[from - 2] === '\r' ? 2 : 1;
      out = out.slice(0, from) + out.slice(to);
    }
  }
  return out;
}

/**
 * How many characters the bot's content may take in `body` once its region is replaced, so that the whole
 * body fits `limit` (the person's text and the two marker lines counted). With `what`, throws the error of
 * {@link replaceRegion} when that leaves less than `minimum` characters (default: room for core's truncation notice).
 */
export function regionRoom(
  body: string | null | undefined,
  kind: string,
  limit: number,
  strip: readonly string[] = [],
  what?: string,
  minimum = TRUNCATION_NOTICE.length + 3,
): number {
  const empty = replaceRegion(body, kind, '', { strip, limit: Number.MAX_SAFE_INTEGER });
  const room = limit - empty.body.length - 2;
  if (what !== undefined && room < minimum) throw noRoom(what, empty.body.length - renderRegion(kind, '').length, limit);
  return room;
}

function noRoom(what: string, person: number, limit: number): Error {
  return new Error(
    `${what}: the text people wrote around the bot's part is ${person} characters, which leaves no room for the bot's part within the ${limit}-character limit; shorten that text`,
  );
}

/**
 * Writes `content` as the bot's region of `kind` in `body` and keeps the person's text:
 * - a region found: only what lies between its markers changes; the text before and after stays as it is;
 * - no region marker (an older version's body) or no body: the result is the region alone;
 * - a region marker deleted: the person's text is kept whole (the orphan marker removed) and a new region
 *   is added at its end.
 *
 * With `limit`, the bot's content is cut (at a block boundary, ending with `notice`) so the whole body
 * fits; the person's text is never cut. Throws when the person's text alone leaves no room for the region.
 */
export function replaceRegion(body: string | null | undefined, kind: string, content: string, options: ReplaceRegionOptions = {}): ReplaceRegionResult {
  const kinds = regionMarkerKinds(kind);
  const strip = [...(options.strip ?? [])];
  const found = readRegion(body, kind);
  let before = '';
  let after = '';
  if (found.state === 'region') {
    before = stripKinds(found.before, [...strip, kinds.start, kinds.end]);
    after = stripKinds(found.after, [...strip, kinds.start, kinds.end]);
  } else if (found.state === 'damaged') {
    const kept = stripKinds(found.before, [...strip, kinds.start, kinds.end]).replace(/\s+$/, '');
    before = kept === '' ? '' : `${kept}\n\n`;
  }
  const assemble = (inner: string) => `${before}${renderRegion(kind, inner)}${after}`;
  const whole = assemble(content);
  const limit = options.limit;
  if (limit === undefined || whole.length <= limit) return { body: whole, truncated: false, state: found.state };
  const overhead = assemble('x').length - 1;
  const room = limit - overhead;
  const notice = options.notice ?? TRUNCATION_NOTICE;
  if (room <= notice.length + 2) throw noRoom(options.what ?? 'the body', before.length + after.length, limit);
  const fitted = fitBody(content.replace(/\s+$/, ''), room, notice);
  return { body: assemble(fitted.body), truncated: fitted.truncated, state: found.state };
}

/**
 * Whether two bodies are the same text as GitHub keeps it: GitHub stores `\r\n` line breaks of a form and
 * trims a body's trailing white space, so neither makes a write necessary.
 */
export function sameBody(a: string | null | undefined, b: string | null | undefined): boolean {
  const normalise = (text: string | null | undefined): string => (text ?? '').replace(/\r\n/g, '\n').trimEnd();
  return normalise(a) === normalise(b);
}
