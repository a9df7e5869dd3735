/**
 * Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions), so
 * `lables` -> `labels` costs 1.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

const normalise = (key: string): string => key.toLowerCase().replace(/[_\s]+/g, '-');

/** Longest input a suggestion is searched for: a longer key or value is no typo of a short one. */
const MAX_SUGGESTION_INPUT = 100;

/**
 * The candidate closest to `input` by edit distance (case and `_`/`-` insensitive), or
 * `undefined` when nothing is close enough to be a plausible typo. Bounded: an input over
 * {@link MAX_SUGGESTION_INPUT} characters gets none, and a candidate whose length alone rules it
 * out is not compared, so one search costs at most candidates x 100 x 100 steps.
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > MAX_SUGGESTION_INPUT) return undefined;
  const wanted = normalise(input);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const other = normalise(candidate);
    // The distance is at least the difference in length; past the allowance below it cannot be chosen.
    if (Math.abs(other.length - wanted.length) > Math.max(2, Math.floor(Math.max(wanted.length, other.length) / 3))) continue;
    const distance = editDistance(wanted, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= allowed && bestDistance < Math.max(wanted.length, 2) ? best : undefined;
}
