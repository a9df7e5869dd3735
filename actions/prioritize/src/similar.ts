// Possible duplicates: cosine similarity of title and body words, title words counted twice.

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

const MAX_TEXT = 5000;

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

function vector(title: string, body: string | null | undefined): Map<string, number> {
  const v = new Map<string, number>();
  for (const w of words(title)) v.set(w, (v.get(w) ?? 0) + 2);
  for (const w of words(body)) v.set(w, (v.get(w) ?? 0) + 1);
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [w, x] of a) {
    na += x * x;
    const y = b.get(w);
    if (y) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * The open issues most similar to `issue` (itself excluded), best first, at most `max`, each at least
 * `minScore` similar. Ties go to the newer issue.
 */
export function findSimilar(
  issue: { number: number; title: string; body?: string | null },
  candidates: readonly Candidate[],
  options: { max: number; minScore: number },
): SimilarIssue[] {
  if (options.max <= 0) return [];
  const me = vector(issue.title, issue.body);
  if (me.size === 0) return [];
  return candidates
    .filter((c) => c.number !== issue.number)
    .map((c) => ({ ...c, score: Math.round(cosine(me, vector(c.title, c.body)) * 1000) / 1000 }))
    .filter((c) => c.score >= options.minScore && c.score > 0)
    .sort((a, b) => b.score - a.score || b.number - a.number)
    .slice(0, options.max);
}
