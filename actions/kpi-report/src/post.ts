// The report issue: one per period, found by its marker among the bot's issues with the report label,
// created or updated in place: one write per report (the body is bounded; the job summary holds the rest).
import { COMMENT_LIMIT, findMarkers, isAuthoredBy, keepOneIssue, replaceRegion, resolveIdentity, sameBody, type Octokit } from '@userloop/core';
import { splitRepository } from './read.ts';
import { REPORT_MARKER } from './render.ts';

/** What happened to the report issue. */
export interface PostResult {
  issueNumber: number;
  issueUrl: string;
  issue: 'created' | 'updated' | 'unchanged';
}

interface ListedIssue {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  user: { login: string; type?: string } | null;
  pull_request?: unknown;
}

/**
 * Creates or updates the period's issue (found by its marker, in issues by the bot with the report label).
 *
 * Safe when two runs overlap (core's keepOneIssue): after creating the issue, the newest issues are listed
 * again and the lowest-numbered report of the period by the bot is kept. An issue cannot be deleted with a
 * workflow token, so a run whose issue lost closes it as not planned, with its labels and marker removed and
 * its body pointing at the kept one.
 */
export async function postReport(
  octokit: Pick<Octokit, 'request' | 'paginate' | 'graphql'>,
  params: { repository: string; periodKey: string; title: string; labels: string[]; body: string },
): Promise<PostResult> {
  const { owner, repo } = splitRepository(params.repository);
  // The issue is the token's own: whoever wrote it is who can edit it.
  const bot = await resolveIdentity(octokit);
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
  const body = replaceRegion(found?.body, REPORT_MARKER, params.body, { limit: COMMENT_LIMIT, strip: [REPORT_MARKER], what: `the report issue #${found?.number ?? ''}` }).body;
  const result: PostResult = { issueNumber: 0, issueUrl: '', issue: 'unchanged' };
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
    if (settled.won) result.issue = 'created';
  } else {
    result.issueNumber = found.number;
    result.issueUrl = found.html_url;
    if (found.title !== params.title || !sameBody(found.body, body)) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: found.number, title: params.title, body });
      result.issue = 'updated';
    }
  }
  return result;
}

