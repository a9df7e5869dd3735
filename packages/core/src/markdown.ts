import type { Nodes, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { markdownTable as renderTable } from 'markdown-table';
import { gfm } from 'micromark-extension-gfm';

/** What a table cell may hold; `null`/`undefined` render as an empty cell. */
export type TableCell = string | number | boolean | null | undefined;

/** Column alignment: left, center, right, or none. */
export type Align = 'l' | 'c' | 'r' | '';

/** Options of {@link markdownTable}. */
export interface MarkdownTableOptions {
  /** One alignment for every column, or one per column. */
  align?: Align | readonly Align[];
  /** Pad cells so the pipes line up (default true). */
  alignDelimiters?: boolean;
}

/**
 * Escapes a value for a GFM table cell: every `|` that would end the cell gets a backslash (also
 * inside backticks, where GitHub still splits on it), line breaks become `<br>`; everything else,
 * backticks included, is kept as markdown.
 */
export function escapeTableCell(cell: TableCell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell)
    .replace(/\r\n?|\n/g, '<br>')
    .replace(/(\\*)\|/g, (_match, slashes: string) => (slashes.length % 2 === 0 ? `${slashes}\\|` : `${slashes}|`));
}

/**
 * Renders rows as a GFM table (the first row is the header) with every cell escaped
 * ({@link escapeTableCell}).
 */
export function markdownTable(rows: ReadonlyArray<ReadonlyArray<TableCell>>, options: MarkdownTableOptions = {}): string {
  if (rows.length === 0) return '';
  const escaped = rows.map((row) => row.map(escapeTableCell));
  return renderTable(escaped, {
    ...(options.align === undefined ? {} : { align: options.align }),
    alignDelimiters: options.alignDelimiters ?? true,
  });
}

/** Parses GitHub-flavoured markdown to an mdast tree (with source positions). */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The plain text of a node (headings, paragraphs): code, links and emphasis flattened. */
export function nodeText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(nodeText).join('');
  return '';
}

/** A section of a markdown document: a heading and everything under it. */
export interface MarkdownSection {
  /** The heading's text. */
  heading: string;
  /** The heading's level (1-6). */
  depth: number;
  /** The nodes after the heading, up to the next heading of the same or a higher level. */
  nodes: RootContent[];
  /** Those nodes' source text, trimmed (empty when the section is empty). */
  markdown: string;
  /** Offsets of the section's content in the source. */
  start: number;
  end: number;
}

/**
 * Finds the first heading whose text matches `heading` and returns its content: the nodes until
 * the next heading of the same or a higher level, and their exact source text.
 *
 * With a list of patterns, they are tried in order of preference: the first heading matching the
 * first pattern wins, then the first heading matching the second, and so on.
 *
 * @example findSection(issueBody, /^how (do|to) (i )?use/i)?.markdown
 */
export function findSection(markdown: string, heading: RegExp | readonly RegExp[]): MarkdownSection | undefined {
  const tree = parseMarkdown(markdown);
  const children = tree.children;
  const patterns: readonly RegExp[] = heading instanceof RegExp ? [heading] : heading;
  let index = -1;
  for (const pattern of patterns) {
    index = children.findIndex((node) => node.type === 'heading' && pattern.test(nodeText(node).trim()));
    if (index !== -1) break;
  }
  if (index === -1) return undefined;
  const head = children[index];
  if (!head || head.type !== 'heading') return undefined;
  const nodes: RootContent[] = [];
  for (const node of children.slice(index + 1)) {
    if (node.type === 'heading' && node.depth <= head.depth) break;
    nodes.push(node);
  }
  const start = head.position?.end.offset ?? 0;
  const next = children[index + 1 + nodes.length];
  const end = next?.position?.start.offset ?? markdown.length;
  return {
    heading: nodeText(head).trim(),
    depth: head.depth,
    nodes,
    markdown: markdown.slice(start, end).trim(),
    start,
    end,
  };
}

/** Spans where GitHub never links a mention: code (inline and blocks), links, images, link definitions. */
function noMentionRanges(tree: Root): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const visit = (node: Nodes): void => {
    const skip = node.type === 'code' || node.type === 'inlineCode' || node.type === 'link' || node.type === 'image' || node.type === 'definition';
    if (skip && node.position) {
      ranges.push([node.position.start.offset ?? 0, node.position.end.offset ?? 0]);
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
  return ranges.sort((a, b) => a[0] - b[0]);
}

/** A zero-width space: `@\u200Blogin` renders as "@login" but GitHub does not link or notify it. */
const ZERO_WIDTH_SPACE = '\u200B';

/** The entities that render as `@`. */
const AT_ENTITY = /&(?:#0*64|#[xX]0*40|commat);/g;

/**
 * Neutralises `@` signs in plain text (no markdown structure considered): a zero-width space goes after
 * every `@` that follows a character other than a letter or digit (or starts the text) and precedes a
 * letter or digit, as GitHub links `@login` and `@org/team` after any such character (`.@a`, `-@a`,
 * `_@org/team_`, `(@a`, `/@a`). An `@` after a letter or digit (an e-mail address) is left alone. The
 * entities `&#64;`, `&#x40;` and `&commat;` become a neutralised `@`.
 */
export function neutraliseAtSigns(text: string): string {
  return text
    .replace(AT_ENTITY, `@${ZERO_WIDTH_SPACE}`)
    .replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, `$1@${ZERO_WIDTH_SPACE}`);
}

/**
 * Stops `@user` and `@org/team` mentions from notifying anyone by putting a zero-width space after the
 * `@` (it still reads as "@user"), in every form GitHub links ({@link neutraliseAtSigns}). Code spans and
 * blocks, links (autolinked URLs and e-mail addresses included), images and link definitions are left
 * alone: GitHub links no mention there. Raw HTML is not escaped here (see core's `quoteBlock`).
 */
export function neutraliseMentions(text: string): string {
  if (!text.includes('@') && !/&(?:#0*64|#[xX]0*40|commat);/.test(text)) return text;
  const ranges = noMentionRanges(parseMarkdown(text));
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    out += neutraliseAtSigns(text.slice(at, start)) + text.slice(start, end);
    at = end;
  }
  return out + neutraliseAtSigns(text.slice(at));
}

/** The notice {@link fitBody} appends when it cuts (override per call). */
export const TRUNCATION_NOTICE = '_(truncated: the rest did not fit within GitHub\u2019s size limit)_';

/** The result of {@link fitBody}. */
export interface FitResult {
  /** The text that fits, with the notice when something was cut. */
  body: string;
  /** True when something was cut. */
  truncated: boolean;
  /** What was cut off (empty when nothing was), so nothing is lost. */
  rest: string;
}

/** Offsets where a body can be cut without breaking a block: between top-level blocks, list items, quote children. */
function blockBoundaries(tree: Root): number[] {
  const out = new Set<number>();
  const add = (node: Nodes | undefined): void => {
    const offset = node?.position?.start.offset;
    if (offset !== undefined && offset > 0) out.add(offset);
  };
  const walk = (nodes: readonly Nodes[], nested: boolean): void => {
    for (const node of nodes) {
      if (!nested) add(node);
      if (node.type === 'list') {
        for (const item of node.children) {
          add(item);
          for (const child of item.children) if (child.type === 'list') walk([child], true);
        }
      } else if (node.type === 'blockquote') {
        // Quote lines all start with `>`, so any child start is a clean cut.
        for (const child of node.children) add(child);
      }
    }
  };
  walk(tree.children, false);
  return [...out].sort((a, b) => a - b);
}

function safeCut(text: string, at: number): number {
  // Never split a surrogate pair.
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * Fits `body` within `limit` characters (GitHub's 65,536 for comments and issue bodies). When it
 * is too long, cuts at the last block boundary that fits (never inside a code fence, a table or
 * a list item), appends `notice`, and returns what was cut in `rest`. A single block bigger than
 * the limit is cut at a line break; a code fence cut that way is closed, and reopened in `rest`.
 */
export function fitBody(body: string, limit = 65_536, notice: string = TRUNCATION_NOTICE): FitResult {
  if (body.length <= limit) return { body, truncated: false, rest: '' };
  const tail = notice === '' ? '' : `\n\n${notice}`;
  const room = limit - tail.length;
  if (room <= 0) throw new Error(`fitBody: the limit (${limit}) leaves no room for the notice`);

  // Only the part that can stay is parsed: where a block starts depends on what comes before it, never on
  // what follows, and parsing a 1 MB report whole (its tables of thousands of rows) costs seconds and
  // hundreds of MB.
  const tree = parseMarkdown(body.slice(0, limit));
  const cut = [...blockBoundaries(tree)].reverse().find((offset) => body.slice(0, offset).trimEnd().length <= room);
  if (cut !== undefined && body.slice(0, cut).trim() !== '') {
    return { body: `${body.slice(0, cut).trimEnd()}${tail}`, truncated: true, rest: body.slice(cut) };
  }

  // One block is larger than the limit: cut at a line break, keeping a code fence well-formed.
  const fenceOf = (offset: number): { open: string; close: string } | undefined => {
    for (const node of tree.children) {
      if (node.type !== 'code') continue;
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? 0;
      if (offset <= start || offset >= end) continue;
      const firstLine = body.slice(start, body.indexOf('\n', start) === -1 ? end : body.indexOf('\n', start));
      const fence = /^\s*(`{3,}|~{3,})/.exec(firstLine)?.[1];
      return fence ? { open: firstLine.trimStart(), close: fence } : undefined;
    }
    return undefined;
  };
  let max = room;
  let position = safeCut(body, max);
  let fence = fenceOf(position);
  if (fence) {
    max = room - fence.close.length - 1;
    position = safeCut(body, max);
  }
  const newline = body.lastIndexOf('\n', position - 1);
  const space = body.lastIndexOf(' ', position - 1);
  if (newline > 0) position = newline + 1;
  // One long line: cut between words when a space is near.
  else if (space > 0 && position - space < 200) position = space + 1;
  fence = fenceOf(position);
  const head = body.slice(0, position).replace(/\n$/, '');
  const rest = body.slice(position);
  return fence
    ? { body: `${head}\n${fence.close}${tail}`, truncated: true, rest: `${fence.open}\n${rest}` }
    : { body: `${head}${tail}`, truncated: true, rest };
}

/**
 * Splits `body` into chunks of at most `limit` characters, each cut at a block boundary
 * ({@link fitBody} without a notice), for posting a long text as several comments.
 */
export function splitBody(body: string, limit = 65_536): string[] {
  const chunks: string[] = [];
  let remaining = body;
  while (remaining.length > limit) {
    const { body: chunk, rest } = fitBody(remaining, limit, '');
    if (rest.length >= remaining.length || chunk.length === 0) {
      const at = safeCut(remaining, limit);
      chunks.push(remaining.slice(0, at));
      remaining = remaining.slice(at);
      continue;
    }
    chunks.push(chunk);
    remaining = rest.replace(/^\n+/, '');
  }
  if (remaining.trim() !== '' || chunks.length === 0) chunks.push(remaining);
  return chunks;
}

/**
 * A person's markdown without what GitHub does not read as text: HTML comments (an unclosed `<!--` runs to
 * the end), fenced code blocks (an unclosed fence runs to the end) and, with `inline`, inline code spans.
 * Each becomes one space, so what stood around it stays apart. For finding references and footers the way
 * GitHub finds them (closing keywords, `#123`, `BREAKING CHANGE:`).
 */
export function withoutCode(markdown: string, options: { inline?: boolean } = {}): string {
  const text = markdown
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\S\n]*$|(?![\s\S]))/gm, ' ');
  return options.inline ? text.replace(/(`+)[^`]*?\1/g, ' ') : text;
}
