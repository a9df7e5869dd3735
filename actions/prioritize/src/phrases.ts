// Phrase rules: "this blocks me" counts, "this does not block me" and a quoted "blocks me" do not.
import { ownWords, phraseMatcher } from '@userloop/core';

const NEGATION = /(?<!\p{L})(not|no|never|isn't|isnt|aren't|arent|doesn't|doesnt|don't|dont|wasn't|won't|without|nothing|hardly|pas|nicht|kein|keine|nao|não)(?!\p{L})/u;

function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * Whether a text says one of the phrases (whole words, any case or accent) in its own words (quotes, code,
 * links ignored), without a negation among the three words before it in the same sentence.
 */
export function saysPhrase(text: string | null | undefined, phrases: readonly string[]): boolean {
  if (!text) return false;
  const t = normalize(ownWords(text.slice(0, 200_000)));
  for (const phrase of phrases) {
    if (phrase.trim() === '') continue;
    const re = new RegExp(phraseMatcher(phrase).source, 'gu');
    for (const m of t.matchAll(re)) {
      const before = t.slice(0, m.index).split(/[.!?;\n]/).pop() ?? '';
      const words = before.trim().split(' ').slice(-3).join(' ');
      if (!NEGATION.test(words)) return true;
    }
  }
  return false;
}
