// The work of draft-release-notes, given plain inputs and a client: read the releases, find the range by
// ancestry, read its pull requests and closed issues, build the notes, and upsert the one draft.
import {
  fetchIssues,
  fetchPullRequests,
  findReleaseRange,
  isGoneError,
  keepOne,
  markdownTable,
  resolveIdentity,
  extractUsageSnippet,
  type ClosingIssue,
  type Octokit,
} from '@userloop/core';
import { buildNotes, issueKey, keywordIssuesToFetch } from './build.ts';
import type { DraftReleaseNotesConfig } from './config.ts';
import { emptiedDraft, handEdits, placeNotes } from './draft-region.ts';
import { emptyRangeMessage, escapeInline, renderNotes } from './notes.ts';
import {
  draftKey,
  findOwnDrafts,
  planRelease,
  publishedVersions,
  renderDraftMarker,
  selectBaseRelease,
  type DesiredRelease,
  type ReleaseInfo,
  type ReleasePlan,
} from './releases.ts';

/** GitHub's limit on a release body, in characters. */
export const RELEASE_BODY_LIMIT = 125_000;

/** What {@link main} needs. */
export interface MainInput {
  owner: string;
  repo: string;
  /** The commit to draft for: an object id, or a branch (`main`, `refs/heads/main`) resolved by GitHub. */
  target: string;
  /** The branch the release is made from (`target_commitish`, and which releases count as its last one). */
  branch: string | null;
  /** `true` when `branch` is not the repository's default branch (its draft is kept apart). */
  maintenanceBranch?: boolean;
  config: DraftReleaseNotesConfig;
  /**
   * Headings of the how-to-use section: `require-docs.how-to-use.headings` of the loaded config (the one
   * setting every action reads, so the notes quote the section require-docs checked).
   */
  usageHeadings: readonly string[];
  /** The top-level `bots` list of the configuration. */
  bots?: readonly string[];
  /** `https://github.com` (or the GHES web URL). */
  serverUrl: string;
  /** The run's URL, for the pointer to the full notes when the body is cut. */
  runUrl?: string | null;
  /** The login whose prioritize markers are trusted (input `bot-login`; default: the token's own identity). */
  botLogin?: string | null;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
}

/** The client {@link main} uses. */
export interface MainDeps {
  octokit: Octokit;
}

/** What happened. */
export interface MainResult {
  action: 'created' | 'updated' | 'unchanged' | 'deleted' | 'none';
  dryRun: boolean;
  version: string | null;
  tagName: string | null;
  releaseId: number | null;
  releaseUrl: string | null;
  /** The body written (or that would be), cut to the limit. */
  body: string;
  /** The whole notes (same as `body` unless cut). */
  fullBody: string;
  truncated: boolean;
  baseTag: string | null;
  commits: number;
  pullRequests: number;
  needsSnippet: number[];
  graphqlQueries: number;
  /** Markdown for the job summary. */
  summary: string;
  notices: string[];
}

/**
 * Drafts (or refreshes) the release notes of `target` and upserts the one draft release: one REST read of
 * the releases, about ceil(commits/100) + ceil(PRs/50) GraphQL queries, and at most one write.
 */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const { owner, repo, config } = input;
  const { octokit } = deps;
  const graphql = octokit.graphql;
  const prefix = config['tag-prefix'];
  const notices: string[] = [];

  const releases = (await octokit.paginate('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 })) as ReleaseInfo[];
  const base = selectBaseRelease(releases, prefix, input.branch);
  const key = draftKey(prefix, config.paths, input.maintenanceBranch ? input.branch : null);
  // Newest first. The oldest one is kept (the rule overlapping runs agree on, see write()); duplicates left by
  // an older version are removed below, so a later run heals them.
  const drafts = findOwnDrafts(releases, key);
  const existing = drafts[drafts.length - 1] ?? null;
  // A duplicate a person edited is never deleted (their text would be lost): it is left, and said.
  const edited = (d: ReleaseInfo): boolean => Object.values(handEdits(d)).some(Boolean);
  const duplicates = drafts.slice(0, -1).filter((d) => !edited(d));
  if (duplicates.length > 0) notices.push(`Found ${drafts.length} drafts for ${key}; keeping the oldest (${existing!.html_url}) and deleting the others.`);
  for (const d of drafts.slice(0, -1).filter(edited)) notices.push(`The draft ${d.html_url} duplicates ${existing!.html_url} but was edited by hand, so it stays; delete the one you do not need.`);

  const range = await findReleaseRange({
    graphql,
    owner,
    repo,
    target: input.target,
    base: base ? base.release.tag_name : null,
    maxCommits: config['max-commits'],
  });
  let queries = range.queries;
  if (range.truncated) notices.push(`Read ${config['max-commits']} commits without reaching ${base?.release.tag_name ?? 'the first commit'}; the notes cover only those (max-commits).`);

  const details = await fetchPullRequests({
    graphql,
    owner,
    repo,
    numbers: range.pullRequests.map((p) => p.number),
    files: config.paths.length > 0,
    issueComments: true,
  });
  queries += details.queries;
  const keywordIssues = new Map<string, ClosingIssue>();
  const toFetch = keywordIssuesToFetch(details.pullRequests, owner, repo);
  if (toFetch.length > 0) {
    const fetched = await fetchIssues({ graphql, owner, repo, numbers: toFetch, comments: true });
    queries += fetched.queries;
    for (const i of fetched.issues) keywordIssues.set(issueKey(i.repository, i.number), i);
  }
  const anyIssues = keywordIssues.size > 0 || details.pullRequests.some((p) => p.closingIssues.length > 0);
  const identity = input.botLogin || (anyIssues ? await resolveIdentity(octokit) : '');

  const built = buildNotes({
    config,
    bots: input.bots ?? [],
    owner,
    repo,
    serverUrl: input.serverUrl,
    pullRequests: details.pullRequests,
    keywordIssues,
    identity,
    base: base ? { tag: base.release.tag_name, version: base.version } : null,
    published: publishedVersions(releases, prefix),
    snippet: (body) => extractUsageSnippet(body, input.usageHeadings, { demoteTo: 5 }),
    usageHeading: input.usageHeadings[0] ?? 'How to use',
    marker: renderDraftMarker(key),
  });

  let fullBody = '';
  let body = '';
  let truncated = false;
  let desired: DesiredRelease | null = null;
  if (built.model && built.tag && built.name) {
    fullBody = renderNotes(built.model);
    const pointer = `_The notes were cut to fit GitHub's release size limit; the full notes are in the job summary of ${
      input.runUrl ?? 'the workflow run that drafted them'
    }._`;
    // The notes are the bot's region of the draft: a maintainer's text around them and the name they chose stay.
    const placed = placeNotes(existing, fullBody, built.name, RELEASE_BODY_LIMIT, pointer);
    body = placed.body;
    truncated = placed.truncated;
    if (existing && placed.name !== built.name) notices.push(`The draft was renamed by hand; its name "${placed.name}" is kept (the notes say ${built.tag}).`);
    desired = {
      tag_name: built.tag,
      name: placed.name,
      body,
      prerelease: config.prerelease !== '',
      target_commitish: input.branch ?? range.targetOid,
    };
  }

  // Nothing left to release: a draft a maintainer edited is kept, the bot's part emptied (never deleted).
  const kept = desired === null && existing ? emptiedDraft(existing, renderDraftMarker(key), keptDraftLine(base?.release.tag_name ?? null)) : null;
  if (kept) {
    desired = kept;
    body = kept.body;
    notices.push(`The draft was edited by hand, so it stays: the notes are emptied until the next merged pull request (${existing!.html_url}).`);
  }
  const plan = planRelease(existing, desired);
  const dryRun = input.dryRun ?? false;
  let releaseId: number | null = existing?.id ?? null;
  let releaseUrl: string | null = existing?.html_url ?? null;
  let lostRace = false;
  if (!dryRun) {
    for (const duplicate of duplicates) await deleteRelease(octokit, owner, repo, duplicate.id);
    const written = await write(octokit, owner, repo, plan, key);
    if (written) {
      releaseId = written.id;
      releaseUrl = written.html_url;
      lostRace = written.lostRace;
    }
  }
  if (plan.action === 'delete' || plan.action === 'none') {
    releaseId = null;
    releaseUrl = null;
  }
  // A run that lost the race to create the draft left the other run's draft as it is.
  const action = lostRace ? 'unchanged' : ({ create: 'created', update: 'updated', unchanged: 'unchanged', delete: 'deleted', none: 'none' } as const)[plan.action];
  if (lostRace) notices.push(`An overlapping run created the draft first; this run's copy was deleted and that draft kept (${releaseUrl}).`);

  const result: MainResult = {
    action,
    dryRun,
    version: built.version,
    tagName: built.tag,
    releaseId,
    releaseUrl,
    body,
    fullBody,
    truncated,
    baseTag: base?.release.tag_name ?? null,
    commits: range.commits.length,
    pullRequests: range.pullRequests.length,
    needsSnippet: built.needsSnippet,
    graphqlQueries: queries,
    summary: '',
    notices,
  };
  if (!built.model && !kept) notices.push(emptyRangeMessage(result.baseTag, range.targetOid));
  result.summary = renderSummary(result, built.placed.filter((p) => p.placement.kind === 'excluded').length, built.placed.filter((p) => p.placement.kind === 'bot').length, built.bump);
  return result;
}

/** The line the bot leaves in the draft a maintainer edited when nothing is left to release. */
function keptDraftLine(baseTag: string | null): string {
  return `_No merged pull request to release${baseTag ? ` since ${baseTag}` : ''} yet: the notes appear here with the next one._`;
}

/** Deletes one of our drafts; a 404 means an overlapping run deleted it already. */
async function deleteRelease(octokit: Octokit, owner: string, repo: string, id: number): Promise<void> {
  try {
    await octokit.request('DELETE /repos/{owner}/{repo}/releases/{release_id}', { owner, repo, release_id: id });
  } catch (error) {
    if (!isGoneError(error)) throw error;
  }
}

async function write(
  octokit: Octokit,
  owner: string,
  repo: string,
  plan: ReleasePlan,
  key: string,
): Promise<{ id: number; html_url: string; lostRace: boolean } | null> {
  switch (plan.action) {
    case 'create': {
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/releases', { owner, repo, ...plan.release, draft: true });
      // Two runs (two merges close together) may both have found no draft: look again and keep the oldest.
      const settled = await keepOne<{ id: number; html_url: string }>({
        created: data,
        // Releases are listed newest first: an overlapping run's draft, created moments ago, is on the first page.
        list: async () => findOwnDrafts((await octokit.request('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 })).data as ReleaseInfo[], key),
        order: (r) => r.id,
        discard: (mine) => deleteRelease(octokit, owner, repo, mine.id),
        what: `draft release for ${key}`,
      });
      return { id: settled.kept.id, html_url: settled.kept.html_url, lostRace: !settled.won };
    }
    case 'update': {
      // Only our own draft is ever updated (findOwnDrafts), and `draft: true` keeps it a draft.
      const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', {
        owner,
        repo,
        release_id: plan.id,
        ...plan.release,
        draft: true,
      });
      return { id: data.id, html_url: data.html_url, lostRace: false };
    }
    case 'delete':
      await deleteRelease(octokit, owner, repo, plan.id);
      return null;
    case 'unchanged':
    case 'none':
      return null;
  }
}

function renderSummary(r: MainResult, excluded: number, bots: number, bump: string | null): string {
  const verb = {
    created: 'created',
    updated: 'updated',
    unchanged: 'unchanged (nothing written)',
    deleted: 'deleted (nothing left to release)',
    none: 'not created (nothing to release)',
  }[r.action];
  const draft = r.releaseUrl && r.tagName ? `[${r.tagName}](${r.releaseUrl}) ${verb}` : verb;
  const rows: string[][] = [
    ['Draft release', 'Result'],
    ['Draft', `${draft}${r.dryRun ? ' — dry run, nothing written' : ''}`],
    ['Range', `${r.baseTag ?? 'first release'} … target: ${r.commits} commit(s)`],
    ['Pull requests', `${r.pullRequests} merged${excluded > 0 ? `, ${excluded} left out` : ''}${bots > 0 ? `, ${bots} bot update(s) grouped` : ''}`],
    ['Version', r.version ? `${r.version}${bump ? ` (${bump})` : ''}` : '—'],
    ['Reads', `${r.graphqlQueries} GraphQL quer${r.graphqlQueries === 1 ? 'y' : 'ies'}`],
  ];
  if (r.needsSnippet.length > 0) rows.push(['Needs a usage snippet', r.needsSnippet.map((n) => `#${n}`).join(', ')]);
  const parts = [`## Draft release notes${r.tagName ? `: ${escapeInline(r.tagName)}` : ''}`, markdownTable(rows, { alignDelimiters: false })];
  for (const n of r.notices) parts.push(`> ${n}`);
  if (r.fullBody) {
    if (r.truncated) parts.push(`The draft was cut at GitHub's ${RELEASE_BODY_LIMIT.toLocaleString('en-US')}-character limit; the full notes follow.`);
    parts.push(`<details${r.truncated ? ' open' : ''}><summary>Release notes</summary>\n\n${r.fullBody}\n</details>`);
  }
  return `${parts.join('\n\n')}\n`;
}
