// The release notes as a pure renderer: a model in, markdown out. Titles are quoted with core's quoteInline
// (no HTML, no links smuggled in, no @-mention that pings); snippets with core's quoteBlock (cut with a link
// to their pull request when too long).
import { quoteBlock, quoteInline } from '@userloop/core';

/** The hidden marker kind that identifies the draft this action owns. */
export const DRAFT_MARKER_KIND = 'draft-release-notes';

/** An issue an entry closes. */
export interface ClosedIssueNote {
  /** `#12`, or `owner/repo#12` for another repository. */
  label: string;
  url: string;
}

/** One pull request in the notes. */
export interface NoteEntry {
  number: number;
  title: string;
  url: string;
  /** Author login (`null` for a deleted account). */
  author: string | null;
  /** Index into `NotesModel.categories`. */
  category: number;
  /** The sanitized how-to-use snippet; `null` when the category wants one and the body has none; `undefined` when not wanted. */
  snippet?: string | null;
  closes: readonly ClosedIssueNote[];
  /** Logins of the people who asked (from the requester ledger, else the issue authors). */
  requesters: readonly string[];
}

/** Bot pull requests grouped in one line. */
export interface BotGroupNote {
  title: string;
  pullRequests: readonly { number: number; url: string }[];
  authors: readonly string[];
}

/** Everything the notes say. */
export interface NotesModel {
  /** The hidden marker line (first line of the body). */
  marker: string;
  /** Category titles, in order. */
  categories: readonly string[];
  entries: readonly NoteEntry[];
  bots: BotGroupNote | null;
  /** Heading words of the usage section, for the "Needs a usage snippet" hint (`How to use`). */
  usageHeading: string;
  /** `https://github.com/o/r/compare/v1.2.0...v1.3.0`, or `null` for a first release. */
  compareUrl: string | null;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** `@login` for a valid login, else the text as inline code (never a broken or smuggled mention). */
export function mention(login: string): string {
  return LOGIN.test(login) ? `@${login}` : code(login);
}

/** Inline code that survives backticks inside. */
export function code(text: string): string {
  const t = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Characters of one quoted how-to-use snippet at most: a few long snippets cannot crowd out the others. */
export const NOTES_SNIPPET_MAX = 10_000;
/** Characters of a title repeated in the notes at most (GitHub's title limit). */
const TITLE_MAX = 256;

/** A one-line text a person wrote (a title), quoted inert: core's quoteInline. */
export function escapeInline(text: string): string {
  return quoteInline(text, { max: TITLE_MAX });
}

function link(label: string, url: string): string {
  return `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

function meta(e: NoteEntry): string {
  const parts = [`${link(`#${e.number}`, e.url)}${e.author ? ` by ${mention(e.author)}` : ''}`];
  if (e.closes.length > 0) parts.push(`Closes ${e.closes.map((c) => link(c.label, c.url)).join(', ')}`);
  if (e.requesters.length > 0) parts.push(`Requested by ${e.requesters.map(mention).join(', ')}`);
  return parts.join(' · ');
}

/**
 * Renders the notes: the marker, then each non-empty category in order (entries that carry a snippet as
 * `####` sections with the snippet below, the others as list items), the bot line at the end of the last
 * category (or under "Other"), the "Needs a usage snippet" list, and the full changelog link.
 * Entries keep the order given.
 */
export function renderNotes(model: NotesModel): string {
  const blocks: string[] = [model.marker];
  const titles = [...model.categories];
  const maxCategory = Math.max(-1, ...model.entries.map((e) => e.category));
  while (titles.length <= maxCategory) titles.push('Other');
  const lastShown = (() => {
    let last = -1;
    titles.forEach((_t, i) => {
      if (model.entries.some((e) => e.category === i)) last = i;
    });
    return last;
  })();
  const botLine = model.bots && model.bots.pullRequests.length > 0 ? renderBotLine(model.bots) : null;

  titles.forEach((title, i) => {
    const entries = model.entries.filter((e) => e.category === i);
    const withBots = botLine !== null && i === lastShown;
    if (entries.length === 0) return;
    blocks.push(`### ${escapeInline(title)}`);
    const items: string[] = [];
    const flush = () => {
      if (items.length > 0) blocks.push(items.splice(0).join('\n'));
    };
    for (const e of entries) {
      if (e.snippet === undefined) {
        items.push(`- ${escapeInline(e.title)} · ${meta(e)}`);
        continue;
      }
      flush();
      blocks.push(`#### ${escapeInline(e.title)}`);
      blocks.push(meta(e));
      if (e.snippet !== null && e.snippet.trim() !== '') {
        blocks.push(quoteBlock(e.snippet, { max: NOTES_SNIPPET_MAX, source: { label: `#${e.number}`, url: e.url } }));
      }
      else blocks.push(`_No usage snippet yet: see "Needs a usage snippet" below._`);
    }
    if (withBots) items.push(botLine);
    flush();
  });
  if (botLine !== null && lastShown < 0) {
    blocks.push('### Other');
    blocks.push(botLine);
  }

  const missing = model.entries.filter((e) => e.snippet === null || (typeof e.snippet === 'string' && e.snippet.trim() === ''));
  if (missing.length > 0) {
    blocks.push('### Needs a usage snippet');
    blocks.push(
      `Add a "${escapeInline(model.usageHeading)}" section to the body of these pull requests; the notes update on the next run.`,
    );
    blocks.push(missing.map((e) => `- ${escapeInline(e.title)} · ${meta({ ...e, closes: [], requesters: [] })}`).join('\n'));
  }
  if (model.compareUrl) blocks.push(`**Full changelog**: ${model.compareUrl}`);
  return `${blocks.join('\n\n')}\n`;
}

function renderBotLine(bots: BotGroupNote): string {
  const prs = bots.pullRequests.map((p) => link(`#${p.number}`, p.url)).join(', ');
  const authors = bots.authors.length > 0 ? ` by ${bots.authors.map(mention).join(', ')}` : '';
  return `- ${escapeInline(bots.title)}: ${prs}${authors}`;
}

/** The text shown (and written nowhere) when the range has no pull request to release. */
export function emptyRangeMessage(baseTag: string | null, target: string): string {
  return baseTag
    ? `No merged pull request to release between ${baseTag} and ${target.slice(0, 7)}; no draft is left behind.`
    : `No merged pull request to release up to ${target.slice(0, 7)}; no draft is left behind.`;
}
