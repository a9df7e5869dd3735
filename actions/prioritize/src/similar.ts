// Possible duplicates of a new issue: the search that looks past the newest open issues, and which open
// issues are listed. An issue is listed only when its title shares at least half of the new title's weight
// in terms (words without stop words, plural and -ing/-ed endings dropped, a term found in many of the
// open issues weighing less) and its title and body together are similar enough (cosine of the weighted
// terms, title terms counted twice).

/** An open issue that might be the same as the new one. */
export interface Candidate {
  number: number;
  title: string;
  body?: string | null;
  url: string;
}

/** A candidate with its similarity (0 to 1). */
export interface SimilarIssue extends Candidate {
  score: number;
}

const STOP = new Set(
  `the and for are but not you your with this that have has had was were will would can could should when what which
  where who how why from into onto than then them they their there here its it's our out use used using does did doing
  get got just also only more most some any all very too about after before while been being over under again
  issue bug feature request please thanks thank hello problem error working work works doesn't don't cannot can't
  response no_response`.split(/\s+/),
);

/**
 * Words that say little about what an issue is about, kept out of its terms (compared by their stems):
 * what every report says ("when I try", "it happens", "expected") and the answers of issue forms.
 */
const WEAK_WORDS = `let keep way like want need able make made take see seem look lot thing something anything everything nothing
  happen try expect actual instead still even now new old same other another each every one two yes version
  environment reproduce behavior behaviour workaround annoyance`;

const MAX_TEXT = 5000;

/** The share of the new title's term weight another title must share to be listed. */
const TITLE_SHARE = 0.5;
/** Title terms count twice a body term. */
const TITLE_WEIGHT = 2;
/** Title words a search names at most: GitHub allows five OR operators in a query. */
const SEARCH_WORDS = 6;
/** Characters of text a search query may hold besides its qualifiers and operators. */
const SEARCH_TEXT = 256;

/** Words of a text for similarity: lower case, 3+ letters or digits, no stop words, no markup. */
export function words(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .slice(0, MAX_TEXT)
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/^###\s.*$/gm, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}_']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w));
}

/** A word without its plural or -ing/-ed ending, so that "crashes", "crashed" and "crashing" are one term. */
export function stem(word: string): string {
  let w = word.replace(/'s$/, '').replace(/'/g, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // The ending goes when what is left still reads as a word: three letters or more, one a vowel ("string" stays).
  const base = (cut: number): string | null => {
    const rest = w.slice(0, -cut);
    return rest.length >= 3 && /[aeiouy]/.test(rest) ? rest : null;
  };
  if (w.endsWith('ing')) w = base(3) ?? w;
  else if (w.endsWith('ed') && w.length >= 5) w = base(2) ?? w;
  // "dropped" -> "dropp" -> "drop"; "pasting" -> "past" and "paste" -> "past".
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

const WEAK = new Set(WEAK_WORDS.split(/\s+/).map(stem));

/** The terms of a text: its words stemmed, without weak ones, each once. */
function terms(text: string | null | undefined): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    const s = stem(w);
    if (s.length >= 3 && !STOP.has(s) && !WEAK.has(s)) out.add(s);
  }
  return out;
}

interface Terms {
  title: Set<string>;
  body: Set<string>;
}

function termsOf(issue: { title: string; body?: string | null }): Terms {
  const title = terms(issue.title);
  const body = new Set([...terms(issue.body)].filter((t) => !title.has(t)));
  return { title, body };
}

/** Each term's weight: log(1 + n / (documents holding it)), so a term most of the open issues share weighs little. */
function weights(docs: readonly Terms[]): (term: string) => number {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set([...d.title, ...d.body])) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  return (t) => Math.log(1 + n / (df.get(t) ?? 1));
}

function sum(ts: Iterable<string>, w: (t: string) => number): number {
  let s = 0;
  for (const t of ts) s += w(t);
  return s;
}

/** The shared weight of two titles' terms over their mean weight (0 to 1). */
function titleShare(a: Set<string>, b: Set<string>, w: (t: string) => number): number {
  const shared = sum([...a].filter((t) => b.has(t)), w);
  const mean = (sum(a, w) + sum(b, w)) / 2;
  return mean === 0 ? 0 : shared / mean;
}

/** Cosine of the weighted terms of two issues, title terms counted twice. */
function cosine(a: Terms, b: Terms, w: (t: string) => number): number {
  const vector = (x: Terms): Map<string, number> => {
    const v = new Map<string, number>();
    for (const t of x.body) v.set(t, w(t));
    for (const t of x.title) v.set(t, TITLE_WEIGHT * w(t));
    return v;
  };
  const va = vector(a);
  const vb = vector(b);
  let dot = 0;
  for (const [t, x] of va) dot += x * (vb.get(t) ?? 0);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));
  const na = norm(va);
  const nb = norm(vb);
  return na === 0 || nb === 0 ? 0 : dot / (na * nb);
}

/**
 * The open issues most similar to `issue` (itself excluded, each candidate once), best first, at most
 * `max`: a candidate's title shares at least half of the title terms' weight, and its similarity is at
 * least `minScore`. Ties go to the newer issue.
 */
export function findSimilar(
  issue: { number: number; title: string; body?: string | null },
  candidates: readonly Candidate[],
  options: { max: number; minScore: number },
): SimilarIssue[] {
  if (options.max <= 0) return [];
  const me = termsOf(issue);
  if (me.title.size === 0) return [];
  const seen = new Set<number>([issue.number]);
  const others = candidates.filter((c) => !seen.has(c.number) && seen.add(c.number)).map((c) => ({ c, t: termsOf(c) }));
  const w = weights([me, ...others.map((o) => o.t)]);
  return others
    .filter((o) => titleShare(me.title, o.t.title, w) >= TITLE_SHARE)
    .map((o) => ({ ...o.c, score: Math.round(cosine(me, o.t, w) * 1000) / 1000 }))
    .filter((c) => c.score >= options.minScore && c.score > 0)
    .sort((a, b) => b.score - a.score || b.number - a.number)
    .slice(0, options.max);
}

/**
 * The issue search (GitHub's search syntax, advanced: `OR`) for open issues whose text has any of the
 * title's words, longest words first (at most six: GitHub allows five operators), or `null` when the title
 * has none worth searching for.
 */
export function similarSearchQuery(owner: string, repo: string, title: string): string | null {
  const picked = new Map<string, string>();
  for (const w of words(title).map((x) => x.replace(/'/g, '')).sort((a, b) => b.length - a.length)) {
    const s = stem(w);
    if (s.length < 3 || STOP.has(s) || WEAK.has(s) || picked.has(s)) continue;
    if ([...picked.values(), w].join(' OR ').length > SEARCH_TEXT) break;
    picked.set(s, w);
    if (picked.size === SEARCH_WORDS) break;
  }
  if (picked.size === 0) return null;
  return `repo:${owner}/${repo} is:issue state:open (${[...picked.values()].join(' OR ')})`;
}
