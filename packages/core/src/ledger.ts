/**
 * The requester ledger: every person who brought an issue up (each once, with how they came) and every
 * place it came up. Built by `prioritize` from one GraphQL read, carried in its hidden marker, and read
 * back by `kpi-report` and `notify-requesters` without recomputing.
 */
import { isIsoTime, isLogin, isMarkerUrl, parseMarker, readMarker, renderMarker, validateMarkerData } from './markers.ts';
import type { Priority } from './priority.ts';
import { isBot } from './people.ts';
import { mergeOutside, type OutsideRequester } from './outside.ts';
import { escapeRegExp } from './regexp.ts';

/** How a person came into the ledger. */
export type RequesterVia = 'author' | 'comment' | 'reaction' | 'duplicate';

/** One person who asked for the issue. */
export interface Requester {
  /** GitHub login, as GitHub spells it. */
  login: string;
  /** How they came: opened it, said they want it too, reacted 👍, or opened a duplicate of it. */
  via: RequesterVia;
  /** Where they said it (an issue or comment URL), when known. */
  url?: string;
  /** When they said it (ISO 8601), when known. */
  at?: string;
}

/** Kind of place an issue came up. */
export type PlaceKind = 'issue' | 'duplicate' | 'cross-reference' | 'community';

/** One place the issue came up. */
export interface Place {
  kind: PlaceKind;
  /** The URL of the place (unique in a ledger). */
  url: string;
  /** Issue number, for issues and duplicates in the same or another repository. */
  number?: number;
  /** `owner/repo` for issues of another repository. */
  repository?: string;
  /** Host name, for community links. */
  host?: string;
}

/** Everyone and everywhere. */
export interface Ledger {
  requesters: Requester[];
  places: Place[];
  /** People who asked outside GitHub, without an account (`/requested-by`, the intake); absent when none. */
  outside?: OutsideRequester[];
}

/** How many people asked: the GitHub users and the people outside GitHub. */
export function requesterCount(ledger: Pick<Ledger, 'requesters' | 'outside'>): number {
  return ledger.requesters.length + (ledger.outside?.length ?? 0);
}

/** A GitHub account as read from the API (`__typename` in GraphQL, `type` in REST). */
export interface LedgerUser {
  login: string;
  /** `User`, `Bot`, `Organization`, `Mannequin`; bots are excluded. */
  type?: string;
}

/** An issue as the ledger needs it. */
export interface LedgerIssueFact {
  number: number;
  url: string;
  author: LedgerUser | null;
  body?: string | null;
  createdAt?: string;
  /** `owner/repo` when the issue is in another repository. */
  repository?: string;
}

/** A comment on the issue. */
export interface LedgerCommentFact {
  author: LedgerUser | null;
  body: string;
  url?: string;
  createdAt?: string;
}

/** A reaction on the issue itself. `content` in REST (`+1`) or GraphQL (`THUMBS_UP`) spelling. */
export interface LedgerReactionFact {
  user: LedgerUser | null;
  content: string;
  createdAt?: string;
}

/** A cross-reference from another issue or pull request. */
export interface LedgerCrossReferenceFact {
  url: string;
  number?: number;
  repository?: string;
  isPullRequest?: boolean;
}

/** The plain data `buildLedger` works from. */
export interface LedgerFacts {
  issue: LedgerIssueFact;
  comments?: readonly LedgerCommentFact[];
  reactions?: readonly LedgerReactionFact[];
  /** Issues marked as duplicates of this one (timeline `MarkedAsDuplicateEvent`, or closed with `state_reason: duplicate` and referencing it). */
  duplicates?: readonly LedgerIssueFact[];
  crossReferences?: readonly LedgerCrossReferenceFact[];
  /** People who asked outside GitHub, already accepted (recorded by someone with write access, or by the intake). */
  outside?: readonly OutsideRequester[];
}

/** Tuning of `buildLedger`; every field has a safe default. */
export interface LedgerOptions {
  /** Phrases that mean "I want this too" (matched case- and accent-insensitively, as whole words). */
  wantPhrases?: readonly string[];
  /** A comment longer than this many words only counts when it starts with a want phrase. Default 12. */
  shortCommentWords?: number;
  /** Community hosts (`forum.example.com`, `discord.com/channels/123`): links to them are places. */
  communityHosts?: readonly string[];
  /** More logins to exclude (the bot's own login, service accounts); `[bot]` logins and `Bot` types always are. */
  excludeLogins?: readonly string[];
  /** Count cross-references from pull requests as places. Default false (a PR is work, not a request). */
  includePullRequests?: boolean;
  /** Most community links kept (a comment with thousands of links cannot blow the ledger up). Default 50. */
  maxCommunityLinks?: number;
}

/** The parts of the loaded config (`.github/userloop.yml`) that tune a ledger. */
export interface LedgerConfig {
  /** The top-level `bots` list. */
  bots: readonly string[];
  /** The `prioritize` section: its want phrases and community hosts. */
  prioritize: { phrases: { want: readonly string[] }; 'community-hosts': readonly string[] };
}

/**
 * The one place the config becomes {@link LedgerOptions}: the `prioritize.phrases.want` phrases, the
 * `prioritize.community-hosts` and the `bots` (plus `excludeLogins`, e.g. the token's own login). Every
 * action that builds a ledger uses it, so prioritize and notify-requesters count the same requesters.
 *
 * @param config - the loaded config (or its `bots` and `prioritize` section)
 * @param excludeLogins - more logins to leave out, such as the token's own identity
 */
export function ledgerOptionsFromConfig(config: LedgerConfig, excludeLogins: readonly string[] = []): LedgerOptions {
  return {
    wantPhrases: [...config.prioritize.phrases.want],
    communityHosts: [...config.prioritize['community-hosts']],
    excludeLogins: [...excludeLogins, ...config.bots],
  };
}

/** Default "me too" phrases, several languages; a lone 👍 or +1 is always one. */
export const DEFAULT_WANT_PHRASES: readonly string[] = [
  '+1',
  '👍',
  'me too',
  'metoo',
  'same here',
  'same for me',
  'same issue',
  'same problem',
  'same',
  'i need this',
  'i want this',
  'we need this',
  'need this too',
  'want this too',
  'also need this',
  'also want this',
  'any update',
  'any updates',
  'any news',
  'would love this',
  "i'd love this",
  'moi aussi',
  'pareil',
  'yo también',
  'a mí también',
  'ich auch',
  'geht mir auch so',
  'anch io',
  'eu também',
  'ik ook',
  '我也是',
  '同じく',
  'я тоже',
];

/**
 * Words that negate a phrase said right after them ("this does not block me", "please don't post +1"),
 * matched on normalised text (lower case, no accents, straight apostrophes). The one list behind
 * {@link saysPhrase} and {@link isWantComment}.
 */
export const NEGATION_WORDS: readonly string[] = [
  'not',
  'no',
  'never',
  "isn't",
  'isnt',
  "aren't",
  'arent',
  "doesn't",
  'doesnt',
  "don't",
  'dont',
  "wasn't",
  "won't",
  'without',
  'nothing',
  'hardly',
  'stop',
  'instead of',
  'pas',
  'nicht',
  'kein',
  'keine',
  'nao',
];

const NEGATION = new RegExp(`(?<![\\p{L}])(${NEGATION_WORDS.map(escapeRegExp).join('|')})(?![\\p{L}])`, 'u');

const THUMBS_UP = new Set(['+1', 'thumbs_up', '👍']);

/** Whether a login belongs to a bot or an excluded account. */
export function isExcludedUser(user: LedgerUser | null | undefined, exclude: readonly string[] = []): boolean {
  if (!user || !user.login) return true;
  const login = user.login.toLowerCase();
  if (login === 'ghost') return true;
  return isBot(user, exclude);
}

/** Lower-case, strip accents, collapse whitespace. */
function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** A comment's own words: no quoted replies, code, HTML comments, mentions or links. */
export function ownWords(body: string): string {
  return body
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .split(/\r?\n/)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)@[\w-]+(\[bot\])?/g, ' ')
    .replace(/<[^>]*>/g, ' ');
}

/**
 * A matcher for a phrase as whole words (phrases made of symbols, like `+1`, match as tokens). A `*` right
 * after letters stands for any ending of that word, so one phrase covers its word forms: `block* us` matches
 * "blocks us", "blocking us" and "blocked us", never "unblock us".
 */
export function phraseMatcher(phrase: string): RegExp {
  const p = normalize(phrase);
  const body = p
    .split(/(?<=\p{L})\*/u)
    .map(escapeRegExp)
    .join('\\p{L}*');
  // \p{L}\p{N} boundaries instead of \b so non-ASCII words and symbols such as "+1" work.
  return new RegExp(`(?<![\\p{L}\\p{N}+])${body}(?![\\p{L}\\p{N}])`, 'u');
}

/** Whether the match at `index` of a normalised text is negated: a negation word among the three words before it, in the same sentence. */
function negatedAt(text: string, index: number): boolean {
  // Three words fit in the last 200 characters unless they are absurdly long; this keeps a 1 MB text linear.
  const before = text.slice(Math.max(0, index - 200), index).split(/[.!?;\n]/).pop() ?? '';
  const words = before.trim().split(' ').slice(-3).join(' ');
  return NEGATION.test(words);
}

/** Whether a normalised text says the phrase somewhere without a negation right before it. */
function saidIn(text: string, phrase: string): boolean {
  const re = new RegExp(phraseMatcher(phrase).source, 'gu');
  for (const m of text.matchAll(re)) if (!negatedAt(text, m.index)) return true;
  return false;
}

/**
 * The phrase matcher: whether a text says one of the phrases (whole words, any case or accent) in its own
 * words (quotes, code, links and mentions ignored), without a negation ({@link NEGATION_WORDS}) among the
 * three words before it in the same sentence. "This blocks me" says `blocks me`; "this does not block me",
 * "> this blocks me" and "`blocks me`" do not. Reads at most the first 200,000 characters.
 */
export function saysPhrase(text: string | null | undefined, phrases: readonly string[]): boolean {
  if (!text) return false;
  const t = normalize(ownWords(text.slice(0, 200_000)));
  return phrases.some((p) => p.trim() !== '' && saidIn(t, p));
}

/** A word (a letter or a digit) in the text before a match: the match is not the answer's first word. */
const FIRST_WORD_BEFORE = /[\p{L}\p{N}]/u;

/**
 * Which of several phrase lists an answer says first, by {@link saysPhrase}'s rules (whole words in its own
 * words, none negated): the key of the list with the earliest phrase (at one place, the longer phrase), or
 * `null` when it says none. A phrase of one word (`yes`, `nope`) counts only as the answer's first word (after
 * punctuation), a longer one anywhere: "Yes, no problem" says `yes`; "No, it still crashes" says `no`; "I have
 * no idea how to test that" says nothing.
 */
export function firstSaid<K extends string>(text: string | null | undefined, lists: Readonly<Record<K, readonly string[]>>): K | null {
  if (!text) return null;
  const t = normalize(ownWords(text.slice(0, 200_000)));
  let best: { key: K; index: number; length: number } | null = null;
  for (const key of Object.keys(lists) as K[]) {
    for (const phrase of lists[key]) {
      if (phrase.trim() === '') continue;
      const oneWord = !/\s/.test(normalize(phrase));
      for (const m of t.matchAll(new RegExp(phraseMatcher(phrase).source, 'gu'))) {
        // A word such as "no" says the answer only as its first word: "I have no idea" is no answer.
        if (oneWord && FIRST_WORD_BEFORE.test(t.slice(0, m.index))) break;
        if (negatedAt(t, m.index)) continue;
        if (!best || m.index < best.index || (m.index === best.index && m[0].length > best.length)) best = { key, index: m.index, length: m[0].length };
        break;
      }
    }
  }
  return best?.key ?? null;
}

/** Whether any phrase occurs in a text (whole words, case- and accent-insensitive). */
export function containsPhrase(text: string, phrases: readonly string[]): boolean {
  const t = normalize(ownWords(text));
  return phrases.some((p) => p.trim() !== '' && phraseMatcher(p).test(t));
}

/**
 * Whether a comment says "I want this too": a short comment (at most `shortCommentWords` words) that
 * contains a want phrase, or a longer one that starts with one. Quotes, code, links and mentions are ignored,
 * so quoting someone's "+1" or discussing a fix does not count.
 */
export function isWantComment(body: string, options: Pick<LedgerOptions, 'wantPhrases' | 'shortCommentWords'> = {}): boolean {
  const phrases = (options.wantPhrases ?? DEFAULT_WANT_PHRASES).filter((p) => p.trim() !== '');
  const text = normalize(ownWords(body)).replace(/^[\s.,;:!?¡¿*_~-]+/u, '');
  if (text === '') return false;
  const words = text.split(' ').filter((w) => /[\p{L}\p{N}]|👍|\+1/u.test(w)).length;
  const limit = options.shortCommentWords ?? 12;
  for (const phrase of phrases) {
    const m = phraseMatcher(phrase);
    if (words > limit) {
      if (new RegExp(`^${m.source}`, 'u').test(text)) return true;
      continue;
    }
    // "Please do not post +1 comments" talks about the phrase; it is not one.
    if (saidIn(text, phrase)) return true;
  }
  return false;
}

/** Parses a community host entry (`forum.example.com` or `discord.com/channels/1`) into host and path prefix. */
function parseHostEntry(entry: string): { host: string; path: string } | null {
  const cleaned = entry.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!cleaned) return null;
  const slash = cleaned.indexOf('/');
  const host = (slash === -1 ? cleaned : cleaned.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : cleaned.slice(slash);
  return { host, path };
}

/** Links in a text that point at one of the community hosts (subdomains included), deduplicated, in order. */
export function findCommunityLinks(text: string, hosts: readonly string[]): { url: string; host: string }[] {
  const entries = hosts.map(parseHostEntry).filter((e): e is { host: string; path: string } => e !== null);
  if (entries.length === 0 || !text) return [];
  const found: { url: string; host: string }[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(/https?:\/\/[^\s<>()[\]"'`]+/gi)) {
    const raw = match[0].replace(/[.,;:!?*_~]+$/, '');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const host = url.hostname.toLowerCase();
    const hit = entries.find(
      (e) => (host === e.host || host.endsWith(`.${e.host}`)) && (e.path === '' || url.pathname.startsWith(e.path)),
    );
    if (!hit) continue;
    const key = url.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ url: key, host });
  }
  return found;
}

function time(at: string | undefined): number {
  const t = at ? Date.parse(at) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * Builds the ledger from plain facts. Pure and deterministic.
 *
 * Requesters, each once (logins compared case-insensitively), bots and excluded logins left out:
 * the author first, then, in time order, people whose comment says they want it too, 👍 reactors, and
 * authors of duplicates. A person who came several ways keeps the earliest (the author is always `author`).
 *
 * Places, each once by URL: this issue, its duplicates, cross-references (issues; pull requests only when
 * `includePullRequests`), and links to community hosts found in the body and comments.
 */
export function buildLedger(facts: LedgerFacts, options: LedgerOptions = {}): Ledger {
  const exclude = options.excludeLogins ?? [];
  const candidates: (Requester & { order: number })[] = [];
  let order = 0;
  const push = (user: LedgerUser | null, via: RequesterVia, url?: string, at?: string) => {
    if (isExcludedUser(user, exclude) || !user) return;
    candidates.push({ login: user.login, via, ...(url ? { url } : {}), ...(at ? { at } : {}), order: order++ });
  };

  const { issue } = facts;
  for (const c of facts.comments ?? []) if (isWantComment(c.body, options)) push(c.author, 'comment', c.url, c.createdAt);
  for (const r of facts.reactions ?? []) if (THUMBS_UP.has(r.content.toLowerCase())) push(r.user, 'reaction', undefined, r.createdAt);
  for (const d of facts.duplicates ?? []) if (d.number !== issue.number || d.repository) push(d.author, 'duplicate', d.url, d.createdAt);

  candidates.sort((a, b) => time(a.at) - time(b.at) || a.order - b.order);
  const requesters: Requester[] = [];
  const seen = new Set<string>();
  if (!isExcludedUser(issue.author, exclude) && issue.author) {
    requesters.push({ login: issue.author.login, via: 'author', url: issue.url, ...(issue.createdAt ? { at: issue.createdAt } : {}) });
    seen.add(issue.author.login.toLowerCase());
  }
  for (const { order: _order, ...r } of candidates) {
    const key = r.login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    requesters.push(r);
  }

  const places: Place[] = [];
  const urls = new Set<string>();
  const addPlace = (place: Place) => {
    if (!place.url || urls.has(place.url)) return;
    urls.add(place.url);
    places.push(place);
  };
  addPlace({ kind: 'issue', url: issue.url, number: issue.number, ...(issue.repository ? { repository: issue.repository } : {}) });
  for (const d of facts.duplicates ?? []) {
    addPlace({ kind: 'duplicate', url: d.url, number: d.number, ...(d.repository ? { repository: d.repository } : {}) });
  }
  for (const x of facts.crossReferences ?? []) {
    if (x.isPullRequest && !options.includePullRequests) continue;
    addPlace({
      kind: 'cross-reference',
      url: x.url,
      ...(x.number !== undefined ? { number: x.number } : {}),
      ...(x.repository ? { repository: x.repository } : {}),
    });
  }
  const hosts = options.communityHosts ?? [];
  const maxLinks = options.maxCommunityLinks ?? 50;
  let links = 0;
  const texts = [
    { body: issue.body ?? '', url: issue.url },
    ...(facts.comments ?? []).filter((c) => !isExcludedUser(c.author, exclude)).map((c) => ({ body: c.body, url: c.url ?? issue.url })),
  ];
  const longSeen = new Set<string>();
  for (const text of texts) {
    for (const link of findCommunityLinks(text.body, hosts)) {
      if (links >= maxLinks) break;
      if (urls.has(link.url) || longSeen.has(link.url)) continue;
      if (link.url.length > MAX_PLACE_URL) {
        // A link too long to repeat (it would not fit the reply): the place still counts, and points
        // at the comment (or the issue) where it was posted.
        longSeen.add(link.url);
        places.push({ kind: 'community', url: text.url, host: link.host.slice(0, 253) });
      } else {
        addPlace({ kind: 'community', url: link.url, host: link.host });
      }
      links += 1;
    }
  }
  const outside = mergeOutside(facts.outside);
  return { requesters, places, ...(outside.length > 0 ? { outside } : {}) };
}

/**
 * The longest community link kept as a place's URL; a longer one is counted, pointing at the comment that
 * holds it, so one pasted 70,000-character link cannot push the reply or its marker past GitHub's limit.
 */
export const MAX_PLACE_URL = 500;

/** Requesters of `next` whose login is not in `previous` (case-insensitive). */
export function newRequesters(previous: Ledger | null | undefined, next: Ledger): Requester[] {
  if (!previous) return [];
  const known = new Set(previous.requesters.map((r) => r.login.toLowerCase()));
  return next.requesters.filter((r) => !known.has(r.login.toLowerCase()));
}

/**
 * Merges a previous ledger (from the marker) into a fresh one, so nothing already recorded is lost when a
 * comment is deleted, a reaction removed, or a read could not see everything (more than 100 comments).
 * The fresh entry wins for people and places present in both; the previous order is kept.
 */
export function mergeLedgers(previous: Ledger | null | undefined, next: Ledger): Ledger {
  if (!previous) return next;
  const fresh = new Map(next.requesters.map((r) => [r.login.toLowerCase(), r]));
  const requesters: Requester[] = [];
  const seen = new Set<string>();
  for (const r of [...previous.requesters, ...next.requesters]) {
    const key = r.login.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    requesters.push(fresh.get(key) ?? r);
  }
  // The author always stays first.
  const authorAt = requesters.findIndex((r) => r.via === 'author');
  if (authorAt > 0) requesters.unshift(...requesters.splice(authorAt, 1));
  const places: Place[] = [];
  const urls = new Set<string>();
  for (const p of [...next.places.filter((p) => p.kind === 'issue'), ...previous.places, ...next.places]) {
    if (urls.has(p.url)) continue;
    urls.add(p.url);
    places.push(p);
  }
  // People outside GitHub: each once by name and link, what was recorded first kept.
  const outside = mergeOutside(previous.outside, next.outside);
  return { requesters, places, ...(outside.length > 0 ? { outside } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// The marker `prioritize` writes in its comment.

/** The marker kind of the prioritize comment: `<!-- userloop:prioritize {json} -->`. */
export const PRIORITIZE_MARKER_KIND = 'prioritize' as const;

/** What the prioritize comment's hidden marker carries. */
export interface PrioritizeMarkerData {
  /** The priority told to the reporter. */
  priority: Priority;
  /** The flowchart path (see `runFlowchart`), then `pinned:`/`raised:`/`kept:` steps. */
  path: string[];
  /** The due date promised (`YYYY-MM-DD`), or `null` (Low has none). */
  due: string | null;
  /** Requesters and places: all of them, or (with `counts`) the author and the newest ones. */
  ledger: Ledger;
  /**
   * Present when the marker keeps only part of the ledger ({@link boundPrioritizeMarker}): how many requesters
   * and places it has in all. Readers then rebuild the full list from the thread.
   */
  counts?: { requesters: number; places: number; outside?: number };
  /** Required information (`prioritize.required-info`): absent while it was never asked for. */
  info?: PrioritizeInfoState;
  /** The latest proposed solution (`prioritize.proposals`) and the reporter's answer: absent while none was proposed. */
  proposal?: PrioritizeProposalState;
}

/** What the prioritize marker records of a proposed solution and the reporter's answer to it. */
export interface PrioritizeProposalState {
  /** When the proposal was posted (the comment's creation, ISO time). */
  at: string;
  /** Who proposed it (someone with write access). */
  by: string;
  /** The proposal comment. */
  url: string;
  /** Whether it carries a snippet (a fenced code block). */
  snippet: boolean;
  /** When the issue's first proposal was posted (a later proposal replaces the waiting one; this stays). */
  first: string;
  /** The reporter's answer: it solves their problem (`yes`) or not (`no`); absent while they have not answered. */
  answer?: 'yes' | 'no';
  /** When they answered (ISO time). */
  answeredAt?: string;
  /** How they answered: a reply, or a 👍/👎 reaction on the proposal. */
  via?: 'reply' | 'reaction';
}

/** What the prioritize marker records of required information asked for. */
export interface PrioritizeInfoState {
  /** When the reply first asked for it (ISO time). */
  asked: string;
  /** The fields still missing (empty once complete). */
  missing: string[];
  /** When the last missing field was filled in (ISO time); absent while something is missing. */
  completed?: string;
}

/** The most requesters a prioritize marker keeps (the author, then the newest). */
export const MARKER_MAX_REQUESTERS = 500;
/** The most places a prioritize marker keeps (this issue first, then the newest). */
export const MARKER_MAX_PLACES = 30;
/** The most people outside GitHub a prioritize marker keeps (the newest). */
export const MARKER_MAX_OUTSIDE = 20;
/** Longest URL a prioritize marker keeps for a place (a longer place is counted, not listed). */
export const MARKER_MAX_URL = 500;
/** The size past which a prioritize marker drops the requesters' `url` and `at`. */
const MARKER_SOFT_LIMIT = 30_000;

/**
 * Validates untrusted JSON as prioritize marker data (core's marker schema: logins, real dates, bounded
 * lists); `null` when it is not one. Unknown fields are dropped.
 */
export function toPrioritizeMarkerData(value: unknown): PrioritizeMarkerData | null {
  const valid = validateMarkerData(PRIORITIZE_MARKER_KIND, value);
  return valid === undefined || valid === null ? null : (valid as PrioritizeMarkerData);
}

/** True when the marker keeps only part of its ledger (see {@link boundPrioritizeMarker}). */
export function isLedgerPartial(data: PrioritizeMarkerData | null | undefined): boolean {
  return (
    !!data?.counts &&
    (data.counts.requesters > data.ledger.requesters.length ||
      data.counts.places > data.ledger.places.length ||
      (data.counts.outside ?? 0) > (data.ledger.outside?.length ?? 0))
  );
}

/**
 * The marker data as it is written: bounded by construction, so the marker stays under about 50,000
 * characters whatever the ledger holds (a reply always fits GitHub's 65,536 with its text). Keeps the author
 * and the newest {@link MARKER_MAX_REQUESTERS} requesters, this issue and the newest {@link MARKER_MAX_PLACES}
 * places (none with a URL over {@link MARKER_MAX_URL} characters), drops the requesters' `url` and `at` past
 * 30,000 characters, and records the full counts in `counts` when anything was left out. Entries that would
 * not validate (a malformed login or URL) are left out, so the marker always reads back.
 */
export function boundPrioritizeMarker(data: PrioritizeMarkerData): PrioritizeMarkerData {
  const totalRequesters = data.counts && data.counts.requesters > data.ledger.requesters.length ? data.counts.requesters : data.ledger.requesters.length;
  const totalPlaces = data.counts && data.counts.places > data.ledger.places.length ? data.counts.places : data.ledger.places.length;
  const clean = (r: Requester): Requester | null => {
    if (!isLogin(r.login)) return null;
    const out: Requester = { login: r.login, via: r.via };
    if (r.url !== undefined && r.url.length <= MARKER_MAX_URL && isMarkerUrl(r.url)) out.url = r.url;
    if (r.at !== undefined && isIsoTime(r.at)) out.at = r.at;
    return out;
  };
  const all = data.ledger.requesters.map(clean).filter((r): r is Requester => r !== null);
  let requesters = all;
  if (all.length > MARKER_MAX_REQUESTERS) {
    const authorAt = all.findIndex((r) => r.via === 'author');
    const author = authorAt === -1 ? [] : [all[authorAt]!];
    const rest = all.filter((_, i) => i !== authorAt);
    requesters = [...author, ...rest.slice(rest.length - (MARKER_MAX_REQUESTERS - author.length))];
  }
  const places0 = data.ledger.places.filter(
    (p) => p.url.length <= MARKER_MAX_URL && validateMarkerData(PRIORITIZE_MARKER_KIND, { ...EMPTY, ledger: { requesters: [], places: [p] } }) !== undefined,
  );
  let places = places0;
  if (places0.length > MARKER_MAX_PLACES) {
    const own = places0.filter((p) => p.kind === 'issue').slice(0, 1);
    const rest = places0.filter((p) => !own.includes(p));
    places = [...own, ...rest.slice(rest.length - (MARKER_MAX_PLACES - own.length))];
  }
  // People outside GitHub: the newest MARKER_MAX_OUTSIDE that validate (the rest are read again from the thread).
  const outsideIn = data.ledger.outside ?? [];
  const totalOutside = Math.max(data.counts?.outside ?? 0, outsideIn.length);
  const outsideValid = outsideIn.filter(
    (o) => validateMarkerData(PRIORITIZE_MARKER_KIND, { ...EMPTY, ledger: { requesters: [], places: [], outside: [o] } }) !== undefined,
  );
  let outside = outsideValid.slice(Math.max(0, outsideValid.length - MARKER_MAX_OUTSIDE));
  const ledgerOf = (rs: Requester[], os: OutsideRequester[]): Ledger => ({ requesters: rs, places, ...(os.length > 0 ? { outside: os } : {}) });
  const partial = requesters.length < totalRequesters || places.length < totalPlaces || outside.length < totalOutside;
  const counts = () => ({ requesters: totalRequesters, places: totalPlaces, ...(totalOutside > 0 ? { outside: totalOutside } : {}) });
  let out: PrioritizeMarkerData = {
    priority: data.priority,
    path: data.path,
    due: data.due,
    ledger: ledgerOf(requesters, outside),
    ...(partial ? { counts: counts() } : {}),
    ...(data.info ? { info: data.info } : {}),
    ...(data.proposal ? { proposal: data.proposal } : {}),
  };
  if (JSON.stringify(out).length > MARKER_SOFT_LIMIT) {
    out = { ...out, ledger: ledgerOf(requesters.map((r) => ({ login: r.login, via: r.via })), outside) };
  }
  if (outside.length > 5 && JSON.stringify(out).length > MARKER_SOFT_LIMIT + 15_000) {
    // The longest ledger with the longest links: the newest 5 people outside GitHub, the others counted.
    outside = outside.slice(outside.length - 5);
    out = { ...out, ledger: ledgerOf(out.ledger.requesters, outside), counts: counts() };
  }
  return out;
}

const EMPTY = { priority: 'low', path: [], due: null } as const;

/**
 * Renders the hidden marker line (`<!-- userloop:prioritize {json} -->`) of the data bounded by
 * {@link boundPrioritizeMarker}, with core's `renderMarker`, whose escaping means no value can close the
 * HTML comment early.
 */
export function renderPrioritizeMarker(data: PrioritizeMarkerData): string {
  return renderMarker(PRIORITIZE_MARKER_KIND, boundPrioritizeMarker(data));
}

/**
 * Reads the prioritize marker from a comment body; `null` when there is none or it does not validate.
 * Pure: it does not know who wrote the comment, so callers must only pass bodies of comments authored by
 * the bot (a user can paste a fake marker into their own comment).
 */
export function readPrioritizeMarker(commentBody: string | null | undefined): PrioritizeMarkerData | null {
  return toPrioritizeMarkerData(parseMarker(commentBody, PRIORITIZE_MARKER_KIND));
}

/**
 * The second marker of the prioritize reply: `<!-- userloop:prioritize-seen {"thumbsUp":3,"duplicateEvents":1} -->`.
 * What the last evaluation saw of what fires no event the action hears of: the issue's 👍 count and its
 * duplicate and cross-reference timeline items. The scheduled sweep re-evaluates an issue when either differs.
 */
export const PRIORITIZE_SEEN_MARKER_KIND = 'prioritize-seen' as const;

/** What the `prioritize-seen` marker carries (see {@link PRIORITIZE_SEEN_MARKER_KIND}). */
export interface PrioritizeSeen {
  /** The issue's 👍 reactions in all (`totalCount`). */
  thumbsUp: number;
  /** Its `MARKED_AS_DUPLICATE_EVENT`, `UNMARKED_AS_DUPLICATE_EVENT` and `CROSS_REFERENCED_EVENT` timeline items (`totalCount`). */
  duplicateEvents: number;
}

/** Renders the `prioritize-seen` marker line. */
export function renderPrioritizeSeen(seen: PrioritizeSeen): string {
  return renderMarker(PRIORITIZE_SEEN_MARKER_KIND, { thumbsUp: seen.thumbsUp, duplicateEvents: seen.duplicateEvents });
}

/** Reads the `prioritize-seen` marker of a reply the bot wrote; `null` when absent or malformed. */
export function readPrioritizeSeen(commentBody: string | null | undefined): PrioritizeSeen | null {
  return readMarker(commentBody, PRIORITIZE_SEEN_MARKER_KIND);
}

// ---------------------------------------------------------------------------------------------------
// The marker `notify-requesters` writes on each release notice; `kpi-report` reads it to count the people
// notified. One constant and one reader, so the writer and the reader cannot drift apart.

/** The marker kind of a release notice: `<!-- userloop:notify {"tag":"v1.2.0","people":["a","b"]} -->`. */
export const NOTIFY_MARKER_KIND = 'notify' as const;

/** What a release notice's hidden marker carries. */
export interface NotifyMarkerData {
  /** The release tag the notice is about. */
  tag: string;
  /** The people the notice mentions (told about the release), as written. */
  people: string[];
}

/** Renders the hidden marker line of a release notice (`<!-- userloop:notify {json} -->`). */
export function renderNotifyMarker(data: NotifyMarkerData): string {
  return renderMarker(NOTIFY_MARKER_KIND, { tag: data.tag, people: [...data.people] });
}

/**
 * Reads the release-notice marker from a comment body; `null` when there is none or it does not validate
 * (a person that is not a login makes the whole marker invalid). Pure: pass only bodies of comments the bot
 * wrote (see `isAuthoredBy`).
 */
export function readNotifyMarker(commentBody: string | null | undefined): NotifyMarkerData | null {
  return readMarker(commentBody, NOTIFY_MARKER_KIND);
}
