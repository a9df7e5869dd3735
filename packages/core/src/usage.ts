// The "How to use" section of a pull request body: ONE definition of which heading it is and how its
// snippet is made safe to embed, shared by require-docs (is it there?), draft-release-notes (quote it
// in the notes) and notify-requesters (quote it in the notice). The headings are configured once, in
// `require-docs.how-to-use.headings`.
import type { Heading, Html, Nodes } from 'mdast';
import { findSection, parseMarkdown, type MarkdownSection } from './markdown.ts';
import { neutraliseQuoted } from './quote.ts';
import { escapeRegExp } from './regexp.ts';


/** Options of {@link headingPattern}. */
export interface HeadingPatternOptions {
  /** Nothing but punctuation, emoji or spaces may follow the phrase (default false: any whole word may). */
  exact?: boolean;
}

/**
 * A pattern for headings named by one of `phrases`: any case, flexible spaces, after optional leading
 * emoji, numbering or punctuation (`📖 How to use`, `1. Usage`), and ending on a word boundary, so
 * "Usage" matches "Usage: CLI" but not "Usages" or "Unusual usage". With `exact`, nothing but
 * punctuation or emoji may follow the phrase ("Usage" no longer matches "Usage metrics").
 *
 * @param phrases - the configured heading phrases
 */
export function headingPattern(phrases: readonly string[], options: HeadingPatternOptions = {}): RegExp {
  const alternatives = phrases
    .map((phrase) => phrase.trim())
    .filter((phrase) => phrase !== '')
    .map((phrase) => phrase.split(/\s+/).map(escapeRegExp).join('\\s+'));
  if (alternatives.length === 0) return /(?!)/;
  const tail = options.exact ? '[^\\p{L}\\p{N}]*$' : '(?![\\p{L}\\p{N}])';
  // Leading emoji or punctuation, and an optional number (`1.`, `2)`, `3.1`), come before the phrase.
  const lead = '^[^\\p{L}\\p{N}]*(?:\\d+(?:\\.\\d+)*[.)]?[^\\p{L}\\p{N}]+)?';
  return new RegExp(`${lead}(?:${alternatives.join('|')})${tail}`, 'iu');
}

/**
 * The pattern of a how-to-use heading: {@link headingPattern} of the configured headings
 * (`require-docs.how-to-use.headings`). Which heading is *the* section is {@link findUsageSection}'s
 * call: an exact match wins over a longer heading that only starts with a phrase.
 *
 * @param headings - `require-docs.how-to-use.headings`
 */
export function usageHeadingPattern(headings: readonly string[]): RegExp {
  return headingPattern(headings);
}

/**
 * The how-to-use section of a body: the first heading that is exactly one of `headings` (emoji and
 * punctuation aside), else the first that starts with one as a whole word. So `## Usage metrics`
 * before `## How to use` does not steal the section, and `## How to use it:` alone still counts.
 *
 * @param body - the pull request body (CRLF is normalised)
 * @param headings - `require-docs.how-to-use.headings`
 */
export function findUsageSection(body: string | null | undefined, headings: readonly string[]): MarkdownSection | undefined {
  if (!body) return undefined;
  return findSection(body.replace(/\r\n?/g, '\n'), [headingPattern(headings, { exact: true }), headingPattern(headings)]);
}

/** Options of {@link extractUsageSnippet}. */
export interface UsageSnippetOptions {
  /**
   * The level the snippet's shallowest heading is demoted to (default 5); deeper headings keep their
   * distance to it, capped at 6, and a snippet whose headings are already deeper is left as is.
   */
  demoteTo?: number;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping, sorted edits to `source` between `from` and `to`. */
function applyEdits(source: string, from: number, to: number, edits: readonly Edit[]): string {
  let out = '';
  let at = from;
  for (const edit of edits) {
    if (edit.start < at || edit.end > to) continue;
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at, to);
}

/** Collapses runs of blank lines to one, outside code blocks (whose content is kept byte for byte). */
function collapseBlankLines(markdown: string): string {
  const code: Array<[number, number]> = [];
  for (const node of parseMarkdown(markdown).children) {
    if (node.type === 'code' && node.position) code.push([node.position.start.offset ?? 0, node.position.end.offset ?? 0]);
  }
  let out = '';
  let at = 0;
  for (const [start, end] of code) {
    out += markdown.slice(at, start).replace(/\n{3,}/g, '\n\n') + markdown.slice(start, end);
    at = end;
  }
  return out + markdown.slice(at).replace(/\n{3,}/g, '\n\n');
}

/**
 * Makes a markdown snippet safe to embed in another document: headings demoted (see
 * {@link UsageSnippetOptions.demoteTo}; setext headings become ATX), HTML comments stripped (template
 * hints, fake markers), other raw HTML shown as text (`<` -> `&lt;`), then core's {@link neutraliseQuoted}:
 * every @-mention form neutralised, bidi controls removed, `<!--` broken (code included, so no snippet
 * can carry a marker) and a fence left open closed. Code is otherwise never changed.
 *
 * @param markdown - the snippet's source
 * @param options - how deep headings go
 */
export function sanitizeSnippet(markdown: string, options: UsageSnippetOptions = {}): string {
  const demoteTo = Math.min(6, Math.max(1, options.demoteTo ?? 5));
  const source = markdown.replace(/\r\n?/g, '\n');
  const headings: Heading[] = [];
  const html: Edit[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'heading') headings.push(node);
    if (node.type === 'html') {
      const { start, end } = offsets(node);
      if (start !== undefined && end !== undefined) {
        html.push({ start, end, text: node.value.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/</g, '&lt;') });
      }
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(parseMarkdown(source));

  const edits: Edit[] = [];
  const shallowest = Math.min(7, ...headings.map((h) => h.depth));
  const shift = Math.max(0, demoteTo - shallowest);
  for (const h of headings) {
    const { start, end } = offsets(h);
    if (start === undefined || end === undefined) continue;
    const first = h.children[0]?.position?.start.offset;
    const last = h.children[h.children.length - 1]?.position?.end.offset;
    const inner = first === undefined || last === undefined ? [] : html.filter((e) => e.start >= first && e.end <= last);
    const content = first === undefined || last === undefined ? '' : applyEdits(source, first, last, inner).replace(/\s*\n\s*/g, ' ');
    edits.push({ start, end, text: `${'#'.repeat(Math.min(6, h.depth + shift))} ${content}`.trimEnd() });
  }
  for (const e of html) if (!edits.some((h) => e.start >= h.start && e.end <= h.end)) edits.push(e);
  edits.sort((a, b) => a.start - b.start);
  return neutraliseQuoted(collapseBlankLines(applyEdits(source, 0, source.length, edits)).trim()).trim();
}

function offsets(node: Heading | Html): { start: number | undefined; end: number | undefined } {
  return { start: node.position?.start.offset, end: node.position?.end.offset };
}

/**
 * The how-to-use snippet of a pull request body, ready to quote: the section {@link findUsageSection}
 * picks, made safe by {@link sanitizeSnippet}. `null` when there is no such section or nothing is left
 * once comments are stripped (a template hint such as `<!-- how do people use it? -->` is no snippet).
 *
 * @param body - the pull request body
 * @param headings - `require-docs.how-to-use.headings`
 * @param options - `demoteTo`: the level of the snippet's shallowest heading (default 5)
 */
export function extractUsageSnippet(
  body: string | null | undefined,
  headings: readonly string[],
  options: UsageSnippetOptions = {},
): string | null {
  const section = findUsageSection(body, headings);
  if (!section || section.markdown === '') return null;
  const snippet = sanitizeSnippet(section.markdown, options);
  return snippet === '' ? null : snippet;
}
