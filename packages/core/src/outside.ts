/**
 * People who asked for an issue outside GitHub (on a chat server, a forum, in a support ticket) and have no
 * GitHub account: recorded by a maintainer's `/requested-by` command or by prioritize's intake (a
 * `workflow_dispatch` or `repository_dispatch` a chat bot or a support tool sends), kept in the ledger with
 * where they asked, so the team can tell them at release.
 *
 * A public repository is world-readable: an e-mail address or a phone number is never recorded
 * ({@link personalDataIn}); a name, the place (`Discord`) and a link to where they asked are.
 */
import { withoutCode } from './markdown.ts';
import { isLogin, isMarkerUrl, readMarker } from './markers.ts';

/** One person who asked outside GitHub. */
export interface OutsideRequester {
  /** The name they go by where they asked (`Dana`). */
  name: string;
  /** The place, as the maintainer named it (`Discord`, `Forum`, `Support ticket`). */
  place?: string;
  /** A link to where they asked: where to reach them. */
  url?: string;
  /** When they were recorded (ISO 8601). */
  at?: string;
  /** The login of the maintainer (or the dispatch's sender) who recorded them. */
  by: string;
  /** The comment (or issue) that recorded them. */
  source: string;
}

/** Longest name kept (characters). */
export const OUTSIDE_NAME_MAX = 80;
/** Longest place kept (characters). */
export const OUTSIDE_PLACE_MAX = 40;
/** Longest link kept (characters): a longer one is refused, so a marker stays small. */
export const OUTSIDE_URL_MAX = 300;
/** The command a maintainer writes in a comment. */
export const REQUESTED_BY_COMMAND = '/requested-by';
/** Most commands read from one comment. */
const MAX_COMMANDS_PER_COMMENT = 10;

/** The marker of a record prioritize's intake writes (an issue it opened, or a comment): `<!-- userloop:prioritize-request {json} -->`. */
export const REQUEST_MARKER_KIND = 'prioritize-request' as const;
/** The marker of prioritize's answer to a `/requested-by` command it did not record. */
export const REQUEST_REFUSED_MARKER_KIND = 'prioritize-request-refused' as const;

/** The key two records of one person share: the name and the link, case-insensitively. */
export function outsideKey(o: Pick<OutsideRequester, 'name' | 'url'>): string {
  return `${o.name.trim().toLowerCase()}\n${(o.url ?? '').trim().toLowerCase()}`;
}

/** Lists of outside requesters as one, each person once ({@link outsideKey}), the first record kept, in order. */
export function mergeOutside(...lists: readonly (readonly OutsideRequester[] | undefined)[]): OutsideRequester[] {
  const out: OutsideRequester[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const o of list ?? []) {
      const key = outsideKey(o);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(o);
    }
  }
  return out;
}

const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// Seven digits or more, with the separators phone numbers are written with.
const PHONE = /(?:\+|\b)\d(?:[\s().-]{0,2}\d){6,}/;

/** What personal data a text holds that must not be published: an e-mail address or a phone number, or `null`. */
export function personalDataIn(text: string | null | undefined): 'an e-mail address' | 'a phone number' | null {
  if (!text) return null;
  if (EMAIL.test(text) || /\bmailto:/i.test(text)) return 'an e-mail address';
  if (/\btel:/i.test(text)) return 'a phone number';
  // Digits in a link's path are ids, not phone numbers: only the text around links is looked at.
  if (PHONE.test(text.replace(/https?:\/\/\S+/gi, ' '))) return 'a phone number';
  return null;
}

/** A request as given: a name, and optionally the place and the link. */
export interface OutsideRequestInput {
  name: string;
  place?: string | undefined;
  url?: string | undefined;
}

/** Why a request cannot be recorded. */
export type OutsideRefusal = 'personal-data' | 'no-name' | 'bad-url';

/** A request checked: the clean entry, or why not and a plain sentence saying it. */
export type OutsideCheck =
  | { ok: true; entry: { name: string; place?: string; url?: string } }
  | { ok: false; reason: OutsideRefusal; message: string };

/** One line, no characters that could open HTML or code, white space collapsed. */
/** A name of someone who asked outside GitHub as the bot shows it: one line, no markup characters, at most {@link OUTSIDE_NAME_MAX}. */
export function outsideName(text: string | undefined): string {
  return clean(text, OUTSIDE_NAME_MAX);
}

function clean(text: string | undefined, max: number): string {
  const t = (text ?? '')
    .replace(/[<>`\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/**
 * Checks a request before it is recorded: a name is needed; the link, when given, must be an http(s) URL of
 * at most {@link OUTSIDE_URL_MAX} characters; nothing may hold an e-mail address or a phone number
 * ({@link personalDataIn}). The name and the place are cut to one clean line.
 */
export function checkOutsideRequest(input: OutsideRequestInput): OutsideCheck {
  const personal = personalDataIn([input.name, input.place ?? '', input.url ?? ''].join('\n'));
  if (personal) {
    return {
      ok: false,
      reason: 'personal-data',
      message: `it holds ${personal}. Issues are readable by everyone who can read the repository (everyone, for a public one), so userloop does not record contact details: give the name they go by and a link to where they asked instead`,
    };
  }
  const name = outsideName(input.name);
  if (!name || name === '…') return { ok: false, reason: 'no-name', message: `it names nobody: write ${REQUESTED_BY_COMMAND} "Name (Place)" followed by a link to where they asked` };
  const url = (input.url ?? '').trim();
  if (url && (!isMarkerUrl(url) || url.length > OUTSIDE_URL_MAX)) {
    return { ok: false, reason: 'bad-url', message: `the link must be an http(s) URL of at most ${OUTSIDE_URL_MAX} characters without spaces` };
  }
  const place = clean(input.place, OUTSIDE_PLACE_MAX);
  return { ok: true, entry: { name, ...(place && place !== '…' ? { place } : {}), ...(url ? { url } : {}) } };
}

/**
 * Splits what follows `/requested-by` into a request: `"Dana (Discord)" https://…`, `Dana (Discord) https://…`
 * or `Dana`: the name (quoted or not), a trailing `(Place)` of the name as the place, then an optional link.
 */
export function splitRequest(rest: string): OutsideRequestInput {
  let text = rest.trim();
  let name: string;
  const quoted = /^["“”']([^"“”]*)["“”']?\s*(.*)$/.exec(text);
  let tail: string;
  if (quoted) {
    name = quoted[1] ?? '';
    tail = quoted[2] ?? '';
  } else {
    const link = /\s*(https?:\/\/\S+)\s*$/i.exec(text);
    tail = link ? (link[1] ?? '') : '';
    text = link ? text.slice(0, link.index) : text;
    name = text;
  }
  const url = /https?:\/\/\S+/i.exec(tail)?.[0];
  const placed = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(name.trim());
  return placed && placed[1] ? { name: placed[1], place: placed[2], url } : { name, url };
}

/** One `/requested-by` line of a comment, checked. */
export type RequestedByCommand = OutsideCheck;

/**
 * The `/requested-by` commands of a comment: each line that starts with the command, outside code, HTML
 * comments and quotes (a quoted command is someone else's), at most 10, each checked with
 * {@link checkOutsideRequest}. Who may use the command is the caller's check (write access).
 */
export function parseRequestedBy(body: string | null | undefined): RequestedByCommand[] {
  if (!body || !body.toLowerCase().includes(REQUESTED_BY_COMMAND)) return [];
  const out: RequestedByCommand[] = [];
  for (const line of withoutCode(body.slice(0, 100_000), { inline: true }).split(/\r?\n/)) {
    const m = /^\s{0,3}\/requested-by(?:\s+(.*))?$/i.exec(line);
    if (!m) continue;
    out.push(checkOutsideRequest(splitRequest(m[1] ?? '')));
    if (out.length >= MAX_COMMANDS_PER_COMMENT) break;
  }
  return out;
}

/** What the intake's record carries (its marker): the person, who recorded them, when. */
export interface RequestRecord {
  name: string;
  place?: string;
  url?: string;
  by: string;
  at?: string;
}

/** The intake's records in a body the bot wrote (an issue it opened, or its comment), as outside requesters from `source`. */
export function readRequestRecord(body: string | null | undefined, source: string): OutsideRequester | null {
  const data = readMarker(body, REQUEST_MARKER_KIND);
  if (!data || !isLogin(data.by)) return null;
  return { name: data.name, ...(data.place ? { place: data.place } : {}), ...(data.url ? { url: data.url } : {}), ...(data.at ? { at: data.at } : {}), by: data.by, source };
}
