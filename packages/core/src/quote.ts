// Text a person wrote, quoted by the bot: ONE function per context, used by every action.
//  - quoteInline: a title, a name, a host, on one line (markdown inert: no link, image, HTML or mention).
//  - quoteBlock:  a snippet or a section, kept as markdown but neutralised, and cut with a link to its
//                 source when too long (at a block boundary, fences kept balanced).
//  - quoteCode:   a file name or any text shown as inline code.
// Every one of them neutralises @-mentions (every form GitHub links), bidi override and isolate
// characters, and `<!--`, so no quoted text can ping anyone, reorder what a reader sees, or carry a
// hidden marker (inside code too).
import type { Nodes } from 'mdast';
import { fitBody, neutraliseAtSigns, neutraliseMentions, parseMarkdown } from './markdown.ts';
import { neutraliseMarkers } from './markers.ts';

/** A zero-width space: `@\u200Blogin` reads as "@login", but GitHub neither links nor notifies it. */
export const ZERO_WIDTH_SPACE = '\u200B';

/** Bidi embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069). */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes bidi embedding, override and isolate characters, which can make text read other than it is. */
export function stripBidi(text: string): string {
  return text.replace(BIDI, '');
}


/** Options of {@link quoteInline}. */
export interface QuoteInlineOptions {
  /** Characters of the person's text kept at most (counted before escaping); longer text ends with `…`. */
  max?: number;
}

/**
 * A text a person wrote (a title, a name), made inert for one line of markdown: line breaks and runs of
 * spaces become one space, bidi controls are removed, markdown punctuation is backslash-escaped (so no
 * link, image, emphasis, code or heading), `&`, `<` and `>` become entities (no HTML, no `<!--`), URLs
 * are not autolinked, and every @-mention is neutralised. Cut to `max` characters with `…`.
 *
 * @example quoteInline('![x](https://t.example/p.gif) .@admin') // '\\!\\[x\\]\\(https:\u200B//t.example/p.gif\\) .@\u200Badmin'
 */
export function quoteInline(text: string, options: QuoteInlineOptions = {}): string {
  let t = stripBidi(String(text)).replace(/\s+/g, ' ').trim();
  const max = options.max;
  if (max !== undefined && max > 0 && t.length > max) {
    let at = Math.max(0, max - 1);
    const code = t.charCodeAt(at - 1);
    if (code >= 0xd800 && code <= 0xdbff) at -= 1;
    t = `${t.slice(0, at).trimEnd()}…`;
  }
  const escaped = t
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // GFM autolinks `scheme://...` and `www.`: a zero-width space stops both.
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZERO_WIDTH_SPACE}.`);
  return neutraliseAtSigns(escaped);
}

/**
 * A text shown as inline code (a file name): one line, bidi controls removed, `<!--` broken, fenced with
 * enough backticks for the backticks inside.
 */
export function quoteCode(text: string): string {
  const t = neutraliseMarkers(stripBidi(String(text)).replace(/[\r\n]+/g, ' '));
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t.trim() === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

interface Range {
  start: number;
  end: number;
}

/** Source spans of the nodes for which `pick` is true (not descending into them). */
function spans(text: string, pick: (node: Nodes) => boolean): Range[] {
  const out: Range[] = [];
  const visit = (node: Nodes): void => {
    if (pick(node) && node.position) {
      out.push({ start: node.position.start.offset ?? 0, end: node.position.end.offset ?? text.length });
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(parseMarkdown(text));
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Closes fenced code blocks left open at the end of `text` (a quoted snippet with an unclosed fence would
 * swallow everything the bot writes after it, markers included). The closing fence repeats the opening
 * line's container prefix (`> `, list indentation). If the text still runs on, it is quoted whole in a
 * fence longer than any inside.
 */
function closeFences(text: string): string {
  let out = text;
  const open = spans(out, (n) => n.type === 'code').filter((r) => r.end >= out.trimEnd().length);
  for (const r of open) {
    const fence = /^(`{3,}|~{3,})/.exec(out.slice(r.start, r.start + 1000))?.[1];
    if (!fence) continue; // an indented code block ends by itself
    const lines = out.slice(r.start, r.end).split('\n');
    const last = (lines[lines.length - 1] ?? '').replace(/^[\s>]*/, '').trimEnd();
    if (lines.length > 1 && last.length >= fence.length && last === fence[0]!.repeat(last.length)) continue;
    const lineStart = out.lastIndexOf('\n', r.start - 1) + 1;
    const prefix = out.slice(lineStart, r.start).replace(/(^|\s)(?:[-+*]|\d{1,9}[.)])(?=\s|$)/g, (all) => all.replace(/\S/g, ' '));
    out = `${out.trimEnd()}\n${prefix}${fence}`;
  }
  if (leaks(out)) {
    const runs = out.match(/^[ \t>]*(~{3,})/gm) ?? [];
    const longest = Math.max(2, ...runs.map((s) => s.replace(/[^~]/g, '').length));
    const fence = '~'.repeat(longest + 1);
    out = `${fence}\n${out}\n${fence}`;
  }
  return out;
}

/** Whether a paragraph written after `text` (and a blank line) would not stand on its own. */
function leaks(text: string): boolean {
  const probe = 'userloop-quote-end';
  const tree = parseMarkdown(`${text}\n\n${probe}\n`);
  const last = tree.children[tree.children.length - 1];
  return !(last && last.type === 'paragraph' && last.children.length === 1 && last.children[0]?.type === 'text' && last.children[0].value === probe);
}

/**
 * Neutralises a markdown text a person wrote, keeping it markdown: raw HTML shown as text (`<` becomes
 * `&lt;`; HTML comments dropped), @-mentions neutralised outside code and links (every form GitHub
 * links: after any non-letter, `@org/team`, `&#64;`), bidi controls removed and `<!--` broken
 * everywhere (code included), and fenced code left open at the end closed. Idempotent.
 */
export function neutraliseQuoted(markdown: string): string {
  let text = stripBidi(String(markdown).replace(/\r\n?/g, '\n'));
  if (text.includes('<')) {
    const html = spans(text, (n) => n.type === 'html');
    let out = '';
    let at = 0;
    for (const r of html) {
      if (r.start < at) continue;
      out += text.slice(at, r.start) + text.slice(r.start, r.end).replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/</g, '&lt;');
      at = r.end;
    }
    text = out + text.slice(at);
  }
  text = neutraliseMentions(text);
  return closeFences(neutraliseMarkers(text));
}

/** Where a quoted text comes from: a link to read all of it (a pull request, a comment). */
export interface QuoteSource {
  /** What the link says, e.g. `#12` or `the comment` (the bot's words, not escaped). */
  label: string;
  /** Where it points. */
  url?: string;
}

/** Options of {@link quoteBlock}. */
export interface QuoteBlockOptions {
  /** Characters at most, the cut notice included. */
  max?: number;
  /** Linked from the notice when the text is cut. */
  source?: QuoteSource | string;
}

/**
 * A URL as the target of a markdown link the bot writes (`[label](href)`): parentheses, brackets, angle
 * brackets and whitespace percent-encoded, so a link a person gave can neither end the link early nor
 * start one of its own (`https://x/a)[click](https://evil)` stays one link to one address).
 */
export function markdownHref(url: string): string {
  return url.replace(/[()[\]<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The notice ending a quoted text that was cut: it says so and links where all of it is. */
export function cutNotice(source?: QuoteSource | string): string {
  if (source === undefined) return '_(cut here to fit; the rest did not fit within GitHub\u2019s size limit)_';
  const s = typeof source === 'string' ? { label: source } : source;
  // The label is the bot's own (`#12`, "the comment"), kept as written so GitHub links `#12`.
  const label = s.label.replace(/\s+/g, ' ').trim();
  const link = s.url ? `[${label}](${markdownHref(s.url)})` : label;
  return `_(cut here to fit: read all of it in ${link})_`;
}

/**
 * A markdown text a person wrote (a how-to-use snippet, a section), ready to quote in the bot's own body:
 * {@link neutraliseQuoted}, then, when longer than `max`, cut at the last block boundary that fits (never
 * inside a fence, a table or a list item; a single larger block at a line break, its fence closed) and
 * ended with a notice linking `source`. The result is never longer than `max`.
 *
 * @example quoteBlock(pr.body, { max: 8000, source: { label: '#12', url: pr.html_url } })
 */
export function quoteBlock(markdown: string, options: QuoteBlockOptions = {}): string {
  const text = neutraliseQuoted(markdown).trim();
  const max = options.max;
  if (max === undefined || text.length <= max) return text;
  const notice = cutNotice(options.source);
  let limit = max;
  const strip = (fit: { body: string; truncated: boolean }): string =>
    (fit.truncated ? fit.body.slice(0, fit.body.length - notice.length) : fit.body).trimEnd();
  for (let i = 0; i < 4; i += 1) {
    const fit = fitBody(text, limit, notice);
    let head = strip(fit);
    // The last boundary that fits is far back (one large block follows): cut inside that block too.
    const room = limit - head.length - 2 - notice.length - 2;
    if (head.length < limit / 2 && fit.rest.trim() !== '' && room > 20) {
      const more = fitBody(fit.rest.replace(/^\n+/, ''), room + notice.length + 2, notice);
      head = `${head}\n\n${strip(more)}`.trim();
    }
    // The notice is the bot's: it goes after the person's text, closed off.
    const out = `${closeFences(head)}\n\n${notice}`;
    if (out.length <= max) return out;
    limit -= out.length - max + 8;
    if (limit <= notice.length + 2) break;
  }
  return notice.length <= max ? notice : '';
}
