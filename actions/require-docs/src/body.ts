// Reading a pull request body through its mdast tree (core's parseMarkdown / findSection): code blocks,
// prose, checked task-list items and pull request links. Pure functions.
import type { MarkdownSection, parseMarkdown } from '@userloop/core';

/** An mdast tree as core's parser returns it. */
export type Root = ReturnType<typeof parseMarkdown>;
/** Any node below the root. */
export type RootContent = MarkdownSection['nodes'][number];
/** Any node. */
export type Nodes = Root | RootContent;

/** A pull request the body links to. */
export interface PullLink {
  /** `owner/name` as written, lower-cased. */
  repo: string;
  number: number;
}

/**
 * The text a reader sees in a node, line breaks kept: text, inline code and code values, without HTML
 * (so template comments never count, unlike core's `nodeText`).
 */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value;
    case 'break':
      return '\n';
    case 'html':
      return '';
    default:
      if (!('children' in node)) return '';
      return (node.children as Nodes[]).map(plainText).join(node.type === 'list' || node.type === 'root' ? '\n' : '');
  }
}

function walk(nodes: readonly Nodes[], visit: (node: Nodes) => void): void {
  for (const node of nodes) {
    visit(node);
    if ('children' in node) walk(node.children as Nodes[], visit);
  }
}

/** Whether the nodes hold a code block with something in it. */
export function hasCodeBlock(nodes: readonly Nodes[]): boolean {
  let found = false;
  walk(nodes, (node) => {
    if (node.type === 'code' && node.value.trim() !== '') found = true;
  });
  return found;
}

/** Words of prose in the nodes: code blocks and HTML comments do not count. */
export function proseWords(nodes: readonly Nodes[]): number {
  let words = 0;
  walk(nodes, (node) => {
    if (node.type === 'text' || node.type === 'inlineCode') words += node.value.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  });
  return words;
}

/** The text of every checked task-list item (`- [x] …`) in the tree. */
export function checkedTasks(root: Root): string[] {
  const tasks: string[] = [];
  walk([root], (node) => {
    if (node.type === 'listItem' && node.checked === true) {
      const first = node.children[0];
      tasks.push(first ? plainText(first).trim() : '');
    }
  });
  return tasks;
}

const pullUrl = /^https?:\/\/[^/\s]+\/([\w.-]+\/[\w.-]+)\/pull\/(\d+)(?:[/?#]|$)/i;
const crossRef = /(?<![\w/.-])([\w.-]+\/[\w.-]+)#(\d+)\b/g;

/** Pull requests linked in the nodes: `https://<host>/owner/name/pull/N` links and `owner/name#N` references. */
export function pullLinks(nodes: readonly Nodes[]): PullLink[] {
  const links: PullLink[] = [];
  const add = (repo: string, number: string) => {
    const link = { repo: repo.toLowerCase(), number: Number(number) };
    if (!links.some((l) => l.repo === link.repo && l.number === link.number)) links.push(link);
  };
  walk(nodes, (node) => {
    if (node.type === 'link') {
      const match = pullUrl.exec(node.url);
      if (match?.[1] !== undefined && match[2] !== undefined) add(match[1], match[2]);
    } else if (node.type === 'text') {
      for (const match of node.value.matchAll(crossRef)) {
        if (match[1] !== undefined && match[2] !== undefined) add(match[1], match[2]);
      }
    }
  });
  return links;
}
