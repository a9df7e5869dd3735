// The report issue: one per period, found by its marker among the bot's issues with the report label,
// created or updated in place, the parts that do not fit its body in marked comments after it.
import { findMarkers, isAuthoredBy, keepOne, keepOneIssue, replaceRegion, resolveIdentity, sameBody, type Octokit } from '@userloop/core';
import { splitRepository } from './read.ts';
import { BODY_LIMIT, PART_MARKER, REPORT_MARKER } from './render.ts';

/** What happened to the report issue and its overflow comments. */
export interface PostResult {
  issueNumber: number;
  issueUrl: string;
  issue: 'created' | 'updated' | 'unchanged';
  comments: { created: number; updated: number; deleted: number; unchanged: number };
}

interface ListedIssue {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  user: { login: string; type?: string } | null;
  pull_request?: unknown;
}

interface ListedComment {
  id: number;
  created_at?: string;
  body?: string | null;
  user: { login: string; type?: string } | null;
}

/**
 * Creates or updates the period's issue (found by its marker, in issues by the bot with the report label), then the overflow comments.
 *
 * Safe when two runs overlap (core's keepOne): after creating the issue, the newest issues are listed again and the
 * lowest-numbered report of the period by the bot is kept. An issue cannot be deleted with a workflow token, so a run
 * whose issue lost closes it as not planned, with its labels and marker removed and its body pointing at the kept one,
 * and leaves the report to the run that won. Overflow comments created by this run are settled the same way.
 */
export async function postReport(
  octokit: Pick<Octokit, 'request' | 'paginate' | 'graphql'>,
  params: { repository: string; periodKey: string; title: string; labels: string[]; parts: string[]; botLogin?: string },
): Promise<PostResult> {
  const { owner, repo } = splitRepository(params.repository);
  // The issue and its comments are the token's own: whoever wrote them is who can edit them.
  const bot = params.botLogin ?? (await resolveIdentity(octokit));
  const mine = (user: { login: string; type?: string } | null | undefined) => isAuthoredBy(user, bot);
  const isThisPeriod = (body: string | null | undefined) =>
    findMarkers(body ?? '', REPORT_MARKER).some((m) => (m.data as { period?: unknown } | null)?.period === params.periodKey);
  const listed = (await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
    owner,
    repo,
    state: 'all',
    ...(params.labels[0] ? { labels: params.labels[0] } : {}),
    per_page: 100,
  })) as ListedIssue[];
  const found = listed.find((i) => !i.pull_request && mine(i.user) && isThisPeriod(i.body));
  // The report is the bot's region of the issue body (core's owned regions): a note a person added above or
  // below it stays as they wrote it, and only the report is cut should their note leave too little room.
  const body = replaceRegion(found?.body, REPORT_MARKER, params.parts[0] ?? '', { limit: BODY_LIMIT, strip: [REPORT_MARKER], what: `the report issue #${found?.number ?? ''}` }).body;
  const result: PostResult = { issueNumber: 0, issueUrl: '', issue: 'unchanged', comments: { created: 0, updated: 0, deleted: 0, unchanged: 0 } };
  let existingComments: ListedComment[] = [];
  if (!found) {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner, repo, title: params.title, body, labels: params.labels });
    const settled = await keepOneIssue<ListedIssue>({
      octokit,
      owner,
      repo,
      created: data as ListedIssue,
      // Newest first: an overlapping run's issue, created moments ago, is on the first page.
      list: async () =>
        (
          (
            await octokit.request('GET /repos/{owner}/{repo}/issues', {
              owner,
              repo,
              state: 'all',
              sort: 'created',
              direction: 'desc',
              ...(params.labels[0] ? { labels: params.labels[0] } : {}),
              per_page: 100,
            })
          ).data as ListedIssue[]
        ).filter((i) => !i.pull_request && mine(i.user) && isThisPeriod(i.body)),
      duplicateNote: (kept) => `Duplicate of #${kept.number}: an overlapping run posted the same report first.`,
      what: `report issue for ${params.periodKey}`,
    });
    result.issueNumber = settled.kept.number;
    result.issueUrl = settled.kept.html_url;
    // The run that won writes the report and its overflow comments.
    if (!settled.won) return result;
    result.issue = 'created';
  } else {
    result.issueNumber = found.number;
    result.issueUrl = found.html_url;
    if (found.title !== params.title || !sameBody(found.body, body)) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: found.number, title: params.title, body });
      result.issue = 'updated';
    }
    existingComments = (await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: found.number,
      per_page: 100,
    })) as ListedComment[];
  }
  // Overflow comments: part n carries `<!-- userloop:kpi-report-part {"period":…,"part":n} -->`.
  const partOf = (c: ListedComment): number | null => {
    if (!mine(c.user)) return null;
    const data = findMarkers(c.body ?? '', PART_MARKER)[0]?.data as { period?: unknown; part?: unknown } | undefined;
    return data?.period === params.periodKey && typeof data.part === 'number' ? data.part : null;
  };
  const byPart = new Map<number, ListedComment>();
  for (const c of existingComments) {
    const n = partOf(c);
    if (n !== null && !byPart.has(n)) byPart.set(n, c);
  }
  const created: { part: number; comment: ListedComment }[] = [];
  for (let n = 2; n <= params.parts.length; n += 1) {
    const text = params.parts[n - 1] ?? '';
    const existing = byPart.get(n);
    if (!existing) {
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: result.issueNumber, body: text });
      created.push({ part: n, comment: data as ListedComment });
      result.comments.created += 1;
    } else if (!sameBody(existing.body, text)) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: existing.id, body: text });
      result.comments.updated += 1;
    } else {
      result.comments.unchanged += 1;
    }
  }
  if (created.length > 0) {
    // An overlapping run may have posted the same parts: one look at the comments, the oldest copy of each part stays.
    let since = created[0]!.comment.created_at ? Date.parse(created[0]!.comment.created_at) : Number.NaN;
    since = Number.isNaN(since) ? 0 : since - 10 * 60 * 1000;
    let listing: Promise<ListedComment[]> | null = null;
    const listed = () =>
      (listing ??= octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: result.issueNumber,
        per_page: 100,
        ...(since > 0 ? { since: new Date(since).toISOString() } : {}),
      }) as Promise<ListedComment[]>);
    for (const { part, comment } of created) {
      const settled = await keepOne<ListedComment>({
        created: comment,
        list: async () => (await listed()).filter((c) => partOf(c) === part),
        order: (c) => c.id,
        discard: async (mine) => {
          await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: mine.id });
        },
        what: `part ${part} of the report for ${params.periodKey}`,
      });
      if (!settled.won) {
        result.comments.created -= 1;
        result.comments.unchanged += 1;
      }
    }
  }
  for (const [n, c] of byPart) {
    if (n > params.parts.length) {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: c.id });
      result.comments.deleted += 1;
    }
  }
  return result;
}

