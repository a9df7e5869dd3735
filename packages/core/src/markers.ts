/**
 * Hidden markers: `<!-- userloop:<kind> {json} -->`, invisible in rendered markdown, that let a bot find and
 * update its own comments and carry a little state. This module is the only place markers are written and
 * read.
 *
 * A marker counts only where the bot put it. In a body (whose author the caller has checked: see
 * `isAuthoredBy`), a marker is trusted only on a **marker line**: a line that is exactly one marker, at the
 * start of the line, that markdown reads as an HTML block of its own at the top level of the document. So a
 * marker inside code (fenced, indented or inline), inside a quote, a list, a table cell, another HTML block or
 * in the middle of a sentence is never read: text the bot quotes from a person cannot smuggle one in. Quoted
 * text goes through {@link neutraliseMarkers} too, which makes `<!--` inert everywhere, code included.
 *
 * The data of every kind the actions write is validated ({@link MARKER_SCHEMAS}): logins in GitHub's login
 * syntax, real dates, bounded numbers, strings and lists. A marker whose data does not validate is ignored
 * (as if absent), never half-trusted.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import * as z from 'zod/mini';
import './zod.ts';

const KIND = /^[a-z0-9][a-z0-9._-]*$/;
const OPEN = '<!-- userloop:';

function checkKind(kind: string): void {
  if (!KIND.test(kind)) throw new Error(`invalid marker kind '${kind}': use lower-case letters, digits, '.', '_' and '-'`);
}

// ---------------------------------------------------------------------------------------------------
// What each kind carries.

/** A GitHub login: letters, digits and hyphens, 1-39, not starting with a hyphen; an EMU `_shortcode`; a bot's `[bot]`. */
export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:_[A-Za-z0-9]{1,30})?(?:\[bot\])?$/;

/** A user (`@login`, an EMU `@login_shortcode` too) or a team (`@org/team`) handle, as owners are named. */
export const OWNER_HANDLE_PATTERN = /^@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:_[A-Za-z0-9]{1,30})?(?:\/[A-Za-z0-9_.-]{1,100})?$/;

/** True when `login` has GitHub's login syntax ({@link LOGIN_PATTERN}). */
export function isLogin(login: unknown): login is string {
  return typeof login === 'string' && LOGIN_PATTERN.test(login);
}

/** True when `text` is a real calendar date `YYYY-MM-DD` from 1970 on. */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text) || text < '1970') return false;
  const at = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text;
}

/** True when `text` is an ISO time (`2026-11-20T16:00:10Z`, optional fraction and offset) of a real date. */
export function isIsoTime(text: unknown): text is string {
  return (
    typeof text === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/.test(text) &&
    isIsoDate(text.slice(0, 10)) &&
    !Number.isNaN(Date.parse(text))
  );
}

const URL_PATTERN = /^https?:\/\/[^\s<>"`]+$/;

/** True when `text` is an http(s) URL of at most 2,048 characters without white space, `<`, `>`, `"` or a backtick. */
export function isMarkerUrl(text: unknown): text is string {
  return typeof text === 'string' && text.length <= 2_048 && URL_PATTERN.test(text);
}

/** The most entries any list in a marker may hold on read (a 65,536-character body holds fewer). */
export const MARKER_LIST_MAX = 5_000;

const login = z.string().check(z.refine(isLogin, 'not a GitHub login'));
const date = z.string().check(z.refine(isIsoDate, 'not a YYYY-MM-DD date'));
const time = z.string().check(z.refine(isIsoTime, 'not an ISO time'));
const url = z.string().check(z.refine(isMarkerUrl, 'not an http(s) URL'));
const count = (max: number) => z.number().check(z.int(), z.gte(0), z.lte(max));
const line = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[^\r\n<>`]*$/, 'holds a line break, < > or `'));
const priority = z.enum(['fix-it-now', 'high', 'low']);
const people = z.array(login).check(z.maxLength(MARKER_LIST_MAX));

const requester = z.object({
  login,
  via: z.enum(['author', 'comment', 'reaction', 'duplicate']),
  url: z.optional(url),
  at: z.optional(time),
});
const place = z.object({
  kind: z.enum(['issue', 'duplicate', 'cross-reference', 'community']),
  url,
  number: z.optional(count(1e9)),
  repository: z.optional(z.string().check(z.maxLength(140), z.regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/))),
  host: z.optional(z.string().check(z.maxLength(253), z.regex(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/))),
});

/** A person who asked outside GitHub, as the prioritize marker keeps them (see core `outside.ts`). */
const outside = z.object({
  name: line(80),
  place: z.optional(line(40)),
  url: z.optional(url),
  at: z.optional(time),
  by: login,
  source: url,
});

/**
 * The data each kind of marker the actions write must have. `renderMarker` refuses data that does not
 * validate (the bot never writes a marker it would not read back); readers ignore a marker whose data does
 * not (as if absent). Unknown fields are dropped on read. A region's delimiters (`<kind>.start`, `<kind>.end`)
 * are bare. Kinds not listed carry any JSON.
 */
export const MARKER_SCHEMAS = {
  prioritize: z.object({
    priority,
    path: z.array(z.string().check(z.regex(/^[a-z0-9-]{1,40}(?::[A-Za-z0-9 ._-]{1,60})?$/))).check(z.maxLength(50)),
    due: z.nullable(date),
    ledger: z.object({
      requesters: z.array(requester).check(z.maxLength(MARKER_LIST_MAX)),
      places: z.array(place).check(z.maxLength(MARKER_LIST_MAX)),
      /** People who asked outside GitHub (`/requested-by`, the intake): name, place, link, who recorded them. */
      outside: z.optional(z.array(outside).check(z.maxLength(MARKER_LIST_MAX))),
    }),
    /** How many requesters and places (and people outside GitHub) the ledger has in all, when the marker keeps only some of them. */
    counts: z.optional(z.object({ requesters: count(1e7), places: count(1e7), outside: z.optional(count(1e7)) })),
    /** Required information: when it was first asked for, what is still missing, and when it was complete. */
    info: z.optional(
      z.object({
        asked: time,
        missing: z.array(line(200)).check(z.maxLength(50)),
        completed: z.optional(time),
      }),
    ),
    /** The latest proposed solution: when, by whom, where, with a snippet or not, the first one's time, and the reporter's answer. */
    proposal: z.optional(
      z.object({
        at: time,
        by: login,
        url,
        snippet: z.boolean(),
        first: time,
        answer: z.optional(z.enum(['yes', 'no'])),
        answeredAt: z.optional(time),
        via: z.optional(z.enum(['reply', 'reaction'])),
      }),
    ),
  }),
  /** A request from outside GitHub the intake recorded (the issue it opened, or its comment): the person, who sent it, when. */
  'prioritize-request': z.object({ name: line(80), place: z.optional(line(40)), url: z.optional(url), by: login, at: z.optional(time) }),
  /** The answer to a `/requested-by` command that was not recorded: the command's comment, and why. */
  'prioritize-request-refused': z.object({ comment: count(1e12).check(z.gte(1)), reason: z.enum(['access', 'personal-data', 'no-name', 'bad-url']) }),
  'prioritize-seen': z.object({ thumbsUp: count(1e9), duplicateEvents: count(1e9) }),
  'prioritize-change': z.object({ priority, due: z.nullable(date) }),
  'prioritize-similar': z.null(),
  /** The reminder before a promised date: the date, and whom it reminded (the assignees or the area owners: `@login`, `@org/team`). */
  'prioritize-reminder': z.object({ due: date, owners: z.array(z.string().check(z.regex(OWNER_HANDLE_PATTERN))).check(z.maxLength(50)) }),
  /** The notice of a promise that lapsed with the issue open: the slipped date, and the people it told. */
  'prioritize-slip': z.object({ due: date, people }),
  /** The question a proposed solution asks the reporter: the proposal comment it is about. */
  'prioritize-proposal': z.object({ url }),
  /** The design checklist of a `needs design` issue: the area owners it called in (`@login`, `@org/team`). */
  'prioritize-design': z.object({
    owners: z.array(z.string().check(z.regex(OWNER_HANDLE_PATTERN))).check(z.maxLength(100)),
  }),
  notify: z.object({ tag: line(256), people }),
  'work-started': z.object({ issue: count(1e9).check(z.gte(1)), people, planned: z.optional(people) }),
  'docs-review': z.object({ tag: line(256) }),
  /** The progress of a release's notices, in its docs-review issue: the resolved issues done and left (ranges `[first, last]`), and the writes of the last hour's runs. */
  'notify-progress': z.object({
    tag: line(256),
    done: z.array(z.tuple([count(1e9).check(z.gte(1)), count(1e9).check(z.gte(1))])).check(z.maxLength(MARKER_LIST_MAX)),
    left: z.array(z.tuple([count(1e9).check(z.gte(1)), count(1e9).check(z.gte(1))])).check(z.maxLength(MARKER_LIST_MAX)),
    runs: z.array(z.object({ at: time, writes: count(1e5) })).check(z.maxLength(20)),
  }),
  'kpi-report': z.object({ period: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,40}$/)) }),
  'require-docs': z.object({
    feature: z.boolean(),
    passed: z.boolean(),
    missing: z.array(z.enum(['docs', 'how-to-use', 'naming'])).check(z.maxLength(3)),
    skipped: z.boolean(),
  }),
  'draft-release-notes': z.object({ key: z.string().check(z.minLength(1), z.maxLength(4_000), z.regex(/^[^\r\n]*$/)) }),
  'draft-release-notes-state': z.object({ name: z.string().check(z.maxLength(2_000)), digest: z.string().check(z.regex(/^[0-9a-f]{16,64}$/)), kept: z.optional(z.boolean()) }),
} as const;

/** The start and end markers of an owned region (`<kind>.start`, `<kind>.end`) are bare. */
const REGION_DELIMITER = /\.(?:start|end)$/;

/** A kind with a schema in {@link MARKER_SCHEMAS}. */
export type KnownMarkerKind = keyof typeof MARKER_SCHEMAS;
/** The data a marker of a known kind carries. */
export type MarkerData<K extends KnownMarkerKind> = z.infer<(typeof MARKER_SCHEMAS)[K]>;

function schemaOf(kind: string): z.ZodMiniType | undefined {
  if (REGION_DELIMITER.test(kind)) return z.null();
  return Object.hasOwn(MARKER_SCHEMAS, kind) ? (MARKER_SCHEMAS as Record<string, z.ZodMiniType>)[kind] : undefined;
}

/** Validates `data` as the data of a `kind` marker: the cleaned data, or `undefined` when it does not validate. */
export function validateMarkerData(kind: string, data: unknown): unknown {
  const schema = schemaOf(kind);
  if (!schema) return data;
  const result = schema.safeParse(data);
  return result.success ? result.data : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Writing.

/** The text every marker of `kind` starts with (`<!-- userloop:kind`). */
export function markerPrefix(kind: string): string {
  checkKind(kind);
  return `${OPEN}${kind}`;
}

/**
 * Renders a hidden marker, to be written on a line of its own (only marker lines are read back). The JSON
 * is escaped (`<`, `>`, `&` as `\u003c`…), so no value can close the HTML comment early (`-->`) or open
 * another one. Data of a known kind must validate against its schema ({@link MARKER_SCHEMAS}).
 *
 * @param kind - lower-case identifier (`prioritize`, `notify`)
 * @param data - any JSON value; omitted for a bare marker
 * @throws when the kind is not a valid identifier or the data does not fit the kind's schema
 */
export function renderMarker(kind: string, data?: unknown): string {
  const prefix = markerPrefix(kind);
  const schema = schemaOf(kind);
  if (schema) {
    const result = schema.safeParse(data === undefined ? null : data);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`marker '${kind}': invalid data at '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'does not validate'}`);
    }
  }
  if (data === undefined || data === null) return `${prefix} -->`;
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${prefix} ${json} -->`;
}

/**
 * The closing line of a region the bot owns in a body (`<!-- /userloop:kind -->`), paired with the bare
 * marker `renderMarker(kind)` that opens it; see {@link findRegion}.
 */
export function renderRegionEnd(kind: string): string {
  checkKind(kind);
  return `<!-- /userloop:${kind} -->`;
}

/**
 * Makes every `<!--` in a text the bot quotes inert, inside code too: a word joiner (U+2060, invisible)
 * goes between `<` and `!`, so the text renders the same but can open no HTML comment, hence carry no marker.
 */
export function neutraliseMarkers(text: string): string {
  return text.replace(/<!--/g, '<\u2060!--');
}

// ---------------------------------------------------------------------------------------------------
// Reading.

/** A marker line found in a body. */
export interface MarkerLine {
  kind: string;
  /** The JSON text, `undefined` for a bare marker (or a region end). */
  json: string | undefined;
  /** True for a region end (`<!-- /userloop:kind -->`). */
  end: boolean;
  /** Offset of the line's start, and its length without trailing white space. */
  index: number;
  length: number;
}

const MARKER_LINE = /^<!-- (\/?)userloop:([a-z0-9][a-z0-9._-]*)(?: ([^\r\n]*?))? -->[ \t]*$/;

/** Every line that is exactly one marker, with its offset (`\n`, `\r\n` and `\r` end lines). */
function candidateLines(body: string): Array<MarkerLine & { lineNo: number }> {
  const found: Array<MarkerLine & { lineNo: number }> = [];
  let at = 0;
  let lineNo = 0;
  while (at <= body.length) {
    const next = body.slice(at).search(/\r\n?|\n/);
    const end = next === -1 ? body.length : at + next;
    const text = body.slice(at, end);
    if (text.startsWith('<!-- ')) {
      const m = MARKER_LINE.exec(text);
      if (m) found.push({ kind: m[2]!, json: m[3], end: m[1] === '/', index: at, length: text.trimEnd().length, lineNo });
    }
    if (next === -1) break;
    at = end + (body.startsWith('\r\n', end) ? 2 : 1);
    lineNo += 1;
  }
  return found;
}

// Block structures that can hold a line that starts with `<!--` across a blank line: fenced code and the HTML
// blocks that end on a closing token (comments, `<?`, `<!X`, CDATA, script/pre/style/textarea).
const SPANNING = /^ {0,3}(?:`{3}|~{3}|<[!?]|<(?:script|pre|style|textarea)(?:[\s>]|$))/i;

/** Inline parsing is irrelevant to where blocks are: switch it off (several times faster). */
const FLOW_ONLY = {
  disable: {
    null: ['attention', 'autolink', 'characterEscape', 'characterReference', 'codeText', 'hardBreakEscape', 'htmlText', 'labelEnd', 'labelStartImage', 'labelStartLink'],
  },
};

/**
 * The marker lines that markdown reads as top-level HTML blocks of their own. Fast path: when no line before
 * a candidate could open a block that spans blank lines (a fence, or an HTML block ending on a token) and the
 * candidate follows a blank line, the start of the body or another marker line, it is one (CommonMark: a
 * line starting `<!--` starts an HTML block, even inside a paragraph, and a column-0 line ends every list
 * item and quote). Otherwise the body is parsed (CommonMark).
 */
function trustedLines(body: string): MarkerLine[] {
  const candidates = candidateLines(body);
  if (candidates.length === 0) return [];
  const lines = body.split(/\r\n?|\n/);
  const isCandidate = new Set(candidates.map((c) => c.lineNo));
  let fast = true;
  for (let i = 0, c = 0; i < lines.length && c < candidates.length && fast; i++) {
    const cand = candidates[c]!;
    if (i === cand.lineNo) {
      const before = i === 0 ? '' : lines[i - 1]!;
      if (!(i === 0 || before.trim() === '' || isCandidate.has(i - 1))) fast = false;
      c++;
      continue;
    }
    if (SPANNING.test(lines[i]!)) fast = false;
  }
  if (fast) return candidates.map(({ lineNo: _lineNo, ...rest }) => rest);
  return parsedLines(body, candidates);
}

/**
 * The marker lines of `body` by a full CommonMark parse, without the fast path: what {@link markerLines}
 * must always agree with (its tests compare both).
 */
export function markerLinesByParse(body: string): MarkerLine[] {
  return parsedLines(body, candidateLines(body));
}

function parsedLines(body: string, candidates: Array<MarkerLine & { lineNo: number }>): MarkerLine[] {
  const root = fromMarkdown(body, { extensions: [FLOW_ONLY] });
  const starts = new Set<number>();
  for (const node of root.children) {
    if (node.type !== 'html') continue;
    const start = node.position?.start.offset;
    if (start === undefined || !MARKER_LINE.test(node.value)) continue;
    starts.add(start);
  }
  return candidates.filter((c) => starts.has(c.index)).map(({ lineNo: _lineNo, ...rest }) => rest);
}

const cache = new Map<string, MarkerLine[]>();

/**
 * Every marker line of `body` (see the module's description), of every kind, in order. Cached for the last
 * few bodies read, since readers ask the same body for several kinds.
 */
export function markerLines(body: string | null | undefined): MarkerLine[] {
  if (!body || !body.includes(OPEN.slice(0, 5))) return [];
  const hit = cache.get(body);
  if (hit) return hit;
  const found = trustedLines(body);
  if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
  cache.set(body, found);
  return found;
}

/** A trusted marker: its validated data (`null` for a bare marker) and where its line is. */
export interface FoundMarker {
  data: unknown;
  index: number;
  length: number;
}

/**
 * Every trusted marker of `kind` in `body`, in order: marker lines only (see the module's description),
 * data validated for known kinds (a marker that does not validate, or whose JSON is broken, is left out).
 */
export function findMarkers(body: string | null | undefined, kind: string): FoundMarker[] {
  checkKind(kind);
  const found: FoundMarker[] = [];
  for (const m of markerLines(body)) {
    if (m.end || m.kind !== kind) continue;
    let data: unknown = null;
    if (m.json !== undefined && m.json !== '') {
      try {
        data = JSON.parse(m.json);
      } catch {
        continue; // damaged: ignore rather than trust
      }
    }
    const valid = validateMarkerData(kind, data);
    if (valid === undefined) continue;
    found.push({ data: valid, index: m.index, length: m.length });
  }
  return found;
}

/**
 * The data of the first trusted marker of `kind` in `body` ({@link findMarkers}): `undefined` when there is
 * none, `null` for a bare marker. Only pass bodies your own identity wrote (see `isAuthoredBy`).
 */
export function parseMarker(body: string | null | undefined, kind: string): unknown {
  return findMarkers(body, kind)[0]?.data;
}

/** The validated data of the first trusted marker of a known `kind`, or `null` when there is none. */
export function readMarker<K extends KnownMarkerKind>(body: string | null | undefined, kind: K): MarkerData<K> | null {
  const found = findMarkers(body, kind)[0];
  return found ? (found.data as MarkerData<K>) : null;
}

/** True when `body` carries a trusted marker of `kind` ({@link findMarkers}). */
export function hasMarker(body: string | null | undefined, kind: string): boolean {
  return findMarkers(body, kind).length > 0;
}

/** Removes every trusted marker of `kind` from `body` (its line's text; the line break stays). */
export function stripMarkers(body: string, kind: string): string {
  let out = body;
  for (const marker of findMarkers(body, kind).reverse()) {
    out = out.slice(0, marker.index) + out.slice(marker.index + marker.length);
  }
  return out;
}

/**
 * The region the bot owns in a body: from the marker line `renderMarker(kind)` to the line
 * `renderRegionEnd(kind)` (both trusted marker lines), as offsets of the whole region and of its inside;
 * `null` when either line is missing or the end comes first.
 */
export function findRegion(body: string | null | undefined, kind: string): { start: number; end: number; inner: string } | null {
  checkKind(kind);
  const lines = markerLines(body);
  const open = lines.find((m) => !m.end && m.kind === kind);
  if (!open || !body) return null;
  const close = lines.find((m) => m.end && m.kind === kind && m.index > open.index);
  if (!close) return null;
  return { start: open.index, end: close.index + close.length, inner: body.slice(open.index + open.length, close.index) };
}
