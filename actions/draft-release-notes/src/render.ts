// Every text draft-release-notes writes: the release notes (a model in, markdown out), the job summary, and
// the notices and messages of the step. Titles are quoted with core's quoteInline (no HTML, no links smuggled
// in, no @-mention that pings); snippets with core's quoteBlock (cut with a link to their pull request when
// too long). Pure.
import {
  isLogin,
  markdownTable,
  quoteBlock,
  quoteCode,
  quoteInline,
  type QuoteInlineOptions,
  RELEASE_BODY_LIMIT,
  markdownHref,
} from '@userloop/core';
import type { BotGroupNote, BuildNotesResult, NoteEntry, NotesModel } from './build.ts';
import type { MainResult, Skip } from './types.ts';

/** `@login` for a valid login, else the text as inline code (never a broken or smuggled mention). */
export function mention(login: string): string {
  return isLogin(login) ? `@${login}` : quoteCode(login);
}

/** Characters of one quoted how-to-use snippet at most: a few long snippets cannot crowd out the others. */
const NOTES_SNIPPET_MAX = 10_000;
/** A title quoted in the notes is cut at GitHub's title limit (256 characters). */
const TITLE: QuoteInlineOptions = { max: 256 };

function link(label: string, url: string): string {
  return `[${label}](${markdownHref(url)})`;
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
    blocks.push(`### ${quoteInline(title, TITLE)}`);
    const items: string[] = [];
    const flush = () => {
      if (items.length > 0) blocks.push(items.splice(0).join('\n'));
    };
    for (const e of entries) {
      if (e.snippet === undefined) {
        items.push(`- ${quoteInline(e.title, TITLE)} · ${meta(e)}`);
        continue;
      }
      flush();
      blocks.push(`#### ${quoteInline(e.title, TITLE)}`);
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
      `Add a "${quoteInline(model.usageHeading, TITLE)}" section to the body of these pull requests; the notes update on the next run.`,
    );
    blocks.push(missing.map((e) => `- ${quoteInline(e.title, TITLE)} · ${meta({ ...e, closes: [], requesters: [] })}`).join('\n'));
  }
  if (model.compareUrl) blocks.push(`**Full changelog**: ${model.compareUrl}`);
  return `${blocks.join('\n\n')}\n`;
}

function renderBotLine(bots: BotGroupNote): string {
  const prs = bots.pullRequests.map((p) => link(`#${p.number}`, p.url)).join(', ');
  const authors = bots.authors.length > 0 ? ` by ${bots.authors.map(mention).join(', ')}` : '';
  return `- ${quoteInline(bots.title, TITLE)}: ${prs}${authors}`;
}

/** The text shown (and written nowhere) when the range has no pull request to release. */
export function emptyRangeMessage(baseTag: string | null, target: string): string {
  return baseTag
    ? `No merged pull request to release between ${baseTag} and ${target.slice(0, 7)}; no draft is left behind.`
    : `No merged pull request to release up to ${target.slice(0, 7)}; no draft is left behind.`;
}

/** The line the bot leaves in the draft a maintainer edited when nothing is left to release. */
export function keptDraftLine(baseTag: string | null): string {
  return `_No merged pull request to release${baseTag ? ` since ${baseTag}` : ''} yet: the notes appear here with the next one._`;
}

/** The line that ends notes cut to fit a release body: where the full notes are. */
export function cutPointer(runUrl: string | null | undefined): string {
  return `_The notes were cut to fit GitHub's release size limit; the full notes are in the job summary of ${runUrl ?? 'the workflow run that drafted them'}._`;
}

/** Why an event has nothing to draft (a notice; the step passes). */
export function skipNotice(skip: Skip): string {
  switch (skip.kind) {
    case 'event':
      return skip.notice;
    case 'not-merged':
      return 'The pull request was closed without being merged: nothing to draft.';
    case 'tag':
      return `A tag push (${skip.tag}): drafts follow branches, nothing to draft.`;
    case 'not-a-branch':
      return `A push to ${skip.ref || 'an unknown ref'}, not to a branch: nothing to draft.`;
    case 'deleted':
      return `The branch ${skip.branch} was deleted: nothing to draft.`;
    case 'other-branch':
      return `${skip.via === 'push' ? 'A push to' : 'A pull request merged into'} ${skip.branch} instead of ${skip.wanted} (the \`branch\` input): nothing to draft.`;
  }
}

/** The notices of a run, in the order they happen. */
export const notice = {
  duplicates: (count: number, key: string, kept: string) => `Found ${count} drafts for ${key}; keeping the oldest (${kept}) and deleting the others.`,
  editedDuplicate: (url: string, kept: string) => `The draft ${url} duplicates ${kept} but was edited by hand, so it stays; delete the one you do not need.`,
  truncatedRange: (maxCommits: number, baseTag: string | null) =>
    `Read ${maxCommits} commits without reaching ${baseTag ?? 'the first commit'}; the notes cover only those (max-commits).`,
  renamed: (name: string, tag: string) => `The draft was renamed by hand; its name "${name}" is kept (the notes say ${tag}).`,
  emptied: (url: string) => `The draft was edited by hand, so it stays: the notes are emptied until the next merged pull request (${url}).`,
  lostRace: (url: string | null) => `An overlapping run created the draft first; this run's copy was deleted and that draft kept (${url}).`,
};

/** The warning for features whose pull request has no usage snippet. */
export function needsSnippetWarning(numbers: readonly number[], usageHeading: string): string {
  return `Features without a usage snippet: ${numbers.map((n) => `#${n}`).join(', ')}. Add a "${usageHeading}" section to each pull request body.`;
}

const VERB: Record<MainResult['action'], string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged (nothing written)',
  deleted: 'deleted (nothing left to release)',
  none: 'not created (nothing to release)',
};

/** The job summary: what happened to the draft, the range, the version and the reads, the notices, and the whole notes. */
export function renderSummary(r: MainResult, built: Pick<BuildNotesResult, 'placed' | 'bump'>): string {
  const excluded = built.placed.filter((p) => p.placement.kind === 'excluded').length;
  const bots = built.placed.filter((p) => p.placement.kind === 'bot').length;
  const verb = VERB[r.action];
  const draft = r.releaseUrl && r.tagName ? `[${r.tagName}](${r.releaseUrl}) ${verb}` : verb;
  const rows: string[][] = [
    ['Draft release', 'Result'],
    ['Draft', `${draft}${r.dryRun ? ' — dry run, nothing written' : ''}`],
    ['Range', `${r.baseTag ?? 'first release'} … target: ${r.commits} commit(s)`],
    ['Pull requests', `${r.pullRequests} merged${excluded > 0 ? `, ${excluded} left out` : ''}${bots > 0 ? `, ${bots} bot update(s) grouped` : ''}`],
    ['Version', r.version ? `${r.version}${built.bump ? ` (${built.bump})` : ''}` : '—'],
    ['Reads', `${r.graphqlQueries} GraphQL quer${r.graphqlQueries === 1 ? 'y' : 'ies'}`],
  ];
  if (r.needsSnippet.length > 0) rows.push(['Needs a usage snippet', r.needsSnippet.map((n) => `#${n}`).join(', ')]);
  const parts = [`## Draft release notes${r.tagName ? `: ${quoteInline(r.tagName, TITLE)}` : ''}`, markdownTable(rows, { alignDelimiters: false })];
  for (const n of r.notices) parts.push(`> ${n}`);
  if (r.fullBody) {
    if (r.truncated) parts.push(`The draft was cut at GitHub's ${RELEASE_BODY_LIMIT.toLocaleString('en-US')}-character limit; the full notes follow.`);
    parts.push(`<details${r.truncated ? ' open' : ''}><summary>Release notes</summary>\n\n${r.fullBody}\n</details>`);
  }
  return `${parts.join('\n\n')}\n`;
}
