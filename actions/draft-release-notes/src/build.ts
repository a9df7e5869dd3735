// Assembles the notes from the range's pull requests: placement, snippets, closed issues and who asked,
// the next version and tag. Pure: the snippet extractor is passed in, everything else is plain data.
import {
  type BumpKind,
  type ClosingIssue,
  type DraftReleaseNotesConfig,
  fillTemplate,
  formatTag,
  formatVersion,
  isAuthoredBy,
  isBot,
  nextVersion,
  parseClosingKeywords,
  type PullRequestDetails,
  readPrioritizeMarker,
  type SemVer,
} from '@userloop/core';
import { placePullRequest, releaseBump, type Placement } from './categorize.ts';

/** An issue an entry closes. */
interface ClosedIssueNote {
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
  /** The hidden draft marker line: the first line of the notes (of the bot's region of the draft). */
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

/**
 * The people who asked for an issue: the requester ledger in the prioritize marker of a comment written by
 * the trusted identity (a marker in anyone else's comment is ignored), else the issue's author. Bots are
 * never requesters.
 */
export function requestersOf(issue: ClosingIssue, identity: string, bots: readonly string[] = []): string[] {
  for (const c of issue.comments) {
    if (!isAuthoredBy(c.author, identity)) continue;
    const data = readPrioritizeMarker(c.body);
    if (data) return dedupe(data.ledger.requesters.map((r) => r.login).filter((l) => !isBot(l, bots)));
  }
  return issue.author && !isBot(issue.author, bots) ? [issue.author.login] : [];
}

function dedupe(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((l) => {
    const k = l.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Key of an issue across repositories: `owner/repo#12`, lower-case. */
export function issueKey(repository: string, number: number): string {
  return `${repository.toLowerCase()}#${number}`;
}

/** Everything {@link buildNotes} needs. */
export interface BuildNotesInput {
  config: DraftReleaseNotesConfig;
  /** The top-level `bots` list of the configuration. */
  bots: readonly string[];
  owner: string;
  repo: string;
  /** `https://github.com`. */
  serverUrl: string;
  /** The pull requests of the range, in range order. */
  pullRequests: readonly PullRequestDetails[];
  /** Issues closed by keyword only (not in `closingIssuesReferences`), keyed by {@link issueKey}. */
  keywordIssues: ReadonlyMap<string, ClosingIssue>;
  /** The identity whose prioritize markers are trusted. */
  identity: string;
  /** The base release's tag and version, or `null` for a first release. */
  base: { tag: string; version: SemVer } | null;
  /** Published versions of the prefix (to number pre-releases). */
  published: readonly SemVer[];
  /** Extracts the sanitized usage snippet from a body (`null` when there is none). */
  snippet: (body: string) => string | null;
  /** The how-to-use heading named in the "needs a usage snippet" hint (the first configured one). */
  usageHeading: string;
  /** The hidden marker line that starts the body (see `renderDraftMarker`). */
  marker: string;
}

/** One pull request and where it went. */
interface Placed {
  number: number;
  title: string;
  placement: Placement;
}

/** The notes and the release they describe; `model` null when there is nothing to release. */
export interface BuildNotesResult {
  model: NotesModel | null;
  placed: Placed[];
  bump: BumpKind | null;
  version: string | null;
  tag: string | null;
  name: string | null;
  /** Entries missing their usage snippet (numbers). */
  needsSnippet: number[];
  /** Number of people credited (distinct logins). */
  requesters: number;
}

/**
 * Builds the release notes model: places every pull request, reads the usage snippet of entries in snippet
 * categories, lists the closed issues (closing references, then closing keywords) with who asked, groups bot
 * pull requests in one line, and picks the next version from the largest bump. Entries are ordered by pull
 * request number within a category.
 */
export function buildNotes(input: BuildNotesInput): BuildNotesResult {
  const { config, owner, repo, serverUrl } = input;
  const repository = `${owner}/${repo}`;
  const placed: Placed[] = [];
  const entries: NoteEntry[] = [];
  const botPrs: { number: number; url: string }[] = [];
  const botAuthors: string[] = [];
  const credited = new Set<string>();

  const sorted = [...input.pullRequests].sort((a, b) => a.number - b.number);
  for (const pr of sorted) {
    const placement = placePullRequest(
      { title: pr.title, body: pr.body, labels: pr.labels, author: pr.author, files: pr.files, filesComplete: pr.filesComplete },
      config,
      input.bots,
    );
    placed.push({ number: pr.number, title: pr.title, placement });
    if (placement.kind === 'excluded') continue;
    if (placement.kind === 'bot') {
      botPrs.push({ number: pr.number, url: pr.url });
      if (pr.author) botAuthors.push(pr.author.login);
      continue;
    }
    const issues = new Map<string, ClosingIssue | { repository: string; number: number; url: string; missing: true }>();
    for (const i of pr.closingIssues) issues.set(issueKey(i.repository, i.number), i);
    for (const ref of parseClosingKeywords(pr.body, { owner, repo })) {
      const key = issueKey(`${ref.owner}/${ref.repo}`, ref.number);
      if (issues.has(key)) continue;
      const fetched = input.keywordIssues.get(key);
      const sameRepo = `${ref.owner}/${ref.repo}`.toLowerCase() === repository.toLowerCase();
      // A keyword naming a pull request or a missing issue of this repository is dropped; other repositories
      // are listed without requesters.
      if (fetched) issues.set(key, fetched);
      else if (!sameRepo)
        issues.set(key, {
          repository: `${ref.owner}/${ref.repo}`,
          number: ref.number,
          url: `${serverUrl}/${ref.owner}/${ref.repo}/issues/${ref.number}`,
          missing: true,
        });
    }
    const closes: ClosedIssueNote[] = [];
    const requesters: string[] = [];
    for (const issue of issues.values()) {
      const label = issue.repository.toLowerCase() === repository.toLowerCase() ? `#${issue.number}` : `${issue.repository}#${issue.number}`;
      closes.push({ label, url: issue.url });
      if (!('missing' in issue)) requesters.push(...requestersOf(issue, input.identity, input.bots));
    }
    const who = dedupe(requesters);
    for (const w of who) credited.add(w.toLowerCase());
    const entry: NoteEntry = {
      number: pr.number,
      title: pr.title,
      url: pr.url,
      author: pr.author?.login ?? null,
      category: placement.category,
      closes,
      requesters: who,
    };
    if (placement.snippet) entry.snippet = input.snippet(pr.body);
    entries.push(entry);
  }

  const bump = releaseBump(placed.map((p) => p.placement));
  const empty: BuildNotesResult = { model: null, placed, bump: null, version: null, tag: null, name: null, needsSnippet: [], requesters: 0 };
  if (bump === null) return empty;

  const version = nextVersion({ last: input.base?.version ?? null, bump, prerelease: config.prerelease, existing: input.published });
  const tag = formatTag(version, config['tag-prefix']);
  const versionText = formatVersion(version);
  const name = fillTemplate(config['release-name'], { tag, version: versionText });
  const bots: BotGroupNote | null = botPrs.length > 0 ? { title: config['group-bots'].title, pullRequests: botPrs, authors: dedupe(botAuthors) } : null;
  const model: NotesModel = {
    marker: input.marker,
    categories: config.categories.map((c) => c.title),
    entries,
    bots,
    usageHeading: input.usageHeading,
    compareUrl: input.base ? `${serverUrl}/${owner}/${repo}/compare/${input.base.tag}...${tag}` : null,
  };
  return {
    model,
    placed,
    bump,
    version: versionText,
    tag,
    name,
    needsSnippet: entries.filter((e) => e.snippet === null).map((e) => e.number),
    requesters: credited.size,
  };
}

/** The keyword-closed issues of this repository that `closingIssuesReferences` did not return (to fetch). */
export function keywordIssuesToFetch(pullRequests: readonly PullRequestDetails[], owner: string, repo: string): number[] {
  const repository = `${owner}/${repo}`.toLowerCase();
  const out = new Set<number>();
  for (const pr of pullRequests) {
    const known = new Set(pr.closingIssues.map((i) => issueKey(i.repository, i.number)));
    for (const ref of parseClosingKeywords(pr.body, { owner, repo })) {
      if (`${ref.owner}/${ref.repo}`.toLowerCase() !== repository) continue;
      if (!known.has(issueKey(repository, ref.number))) out.add(ref.number);
    }
  }
  return [...out].sort((a, b) => a - b);
}
