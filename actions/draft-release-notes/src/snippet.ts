// The how-to-use snippet of a pull request body, ready for the release notes: the section is found with
// core's mdast-based findSection, then edited at the source level so code fences stay byte-for-byte intact:
// headings demoted under the entry's own heading, raw HTML made inert (comments dropped, tags shown as
// text), and @-mentions neutralised so nobody is pinged from the release.
import { findSection, neutraliseMentions, parseMarkdown } from '@userloop/core';

/** A heading pattern for the configured headings: any case, a prefix of the heading text. */
export function usageHeadingPattern(headings: readonly string[]): RegExp {
  const escaped = headings.map((h) => h.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`^(?:${escaped.join('|')})`, 'i');
}

/** The few mdast fields used here (structural, so the action needs no mdast types of its own). */
interface MdNode {
  type: string;
  depth?: number;
  value?: string;
  position?: { start: { offset?: number }; end: { offset?: number } };
  children?: MdNode[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Makes a markdown snippet safe to embed: headings become at least `minDepth` deep (relative levels kept,
 * capped at 6), HTML comments are dropped, other raw HTML is escaped (`<` -> `&lt;`) so it shows as text,
 * and mentions outside code get a zero-width space. Code (fenced, indented, inline) is never changed.
 */
export function sanitizeSnippet(markdown: string, minDepth = 5): string {
  const tree = parseMarkdown(markdown) as unknown as MdNode;
  const headings: MdNode[] = [];
  const html: Edit[] = [];
  const visit = (node: MdNode): void => {
    if (node.type === 'heading') headings.push(node);
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (node.type === 'html' && start !== undefined && end !== undefined) {
      // Comments dropped (template hints, fake markers); any other tag shown as text.
      html.push({ start, end, text: (node.value ?? '').replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/</g, '&lt;') });
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);

  const apply = (from: number, to: number, edits: readonly Edit[]): string => {
    let out = '';
    let at = from;
    for (const e of edits) {
      if (e.start < at || e.end > to) continue;
      out += markdown.slice(at, e.start) + e.text;
      at = e.end;
    }
    return out + markdown.slice(at, to);
  };

  const edits: Edit[] = [];
  const shallowest = Math.min(7, ...headings.map((h) => h.depth ?? 7));
  const shift = Math.max(0, minDepth - shallowest);
  for (const h of headings) {
    const start = h.position?.start.offset;
    const end = h.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const kids = h.children ?? [];
    const first = kids[0]?.position?.start.offset;
    const last = kids[kids.length - 1]?.position?.end.offset;
    const inner = html.filter((e) => first !== undefined && last !== undefined && e.start >= first && e.end <= last);
    const content = first === undefined || last === undefined ? '' : apply(first, last, inner).replace(/\s*\n\s*/g, ' ');
    const depth = Math.min(6, (h.depth ?? 6) + shift);
    edits.push({ start, end, text: `${'#'.repeat(depth)} ${content}`.trimEnd() });
  }
  for (const e of html) if (!edits.some((h) => e.start >= h.start && e.end <= h.end)) edits.push(e);
  edits.sort((a, b) => a.start - b.start);
  const out = apply(0, markdown.length, edits).replace(/\n{3,}/g, '\n\n').trim();
  return neutraliseMentions(out);
}

/**
 * The usage snippet of a pull request body: the content under the first heading matching `heading`,
 * sanitized for the notes; `null` when there is no such section or it is empty once comments are dropped
 * (a template placeholder such as `<!-- how do people use it? -->` is not a snippet).
 */
export function extractUsageSnippet(body: string, heading: RegExp, minDepth = 5): string | null {
  const section = findSection(body.replace(/\r\n?/g, '\n'), heading);
  if (!section || section.markdown === '') return null;
  const snippet = sanitizeSnippet(section.markdown, minDepth);
  return snippet === '' ? null : snippet;
}
