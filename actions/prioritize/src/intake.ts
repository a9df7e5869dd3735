// Requests from outside GitHub, the reads and writes: the access of the people whose `/requested-by` commands
// name someone new (one request per person and run), the answer to a command that was not recorded (once,
// however runs overlap), and the intake a chat bot or a support tool calls (`workflow_dispatch` with the
// request inputs, `repository_dispatch` of type `userloop-request`): find the issue or open it, record the
// person once, then evaluate the issue like any other run.
import {
  checkOutsideRequest,
  createCommentOnce,
  errorMessage,
  findMarkedComments,
  httpStatus,
  isAuthoredBy,
  keepOneIssue,
  type Octokit,
  type OutsideRequester,
  outsideKey,
  personalDataIn,
  type PrioritizeMarkerData,
  readMarker,
  readRequestRecord,
  resolveIdentity,
  type AccessCache,
  REQUEST_MARKER_KIND,
  REQUEST_REFUSED_MARKER_KIND,
} from '@userloop/core';
import type { IssueRead } from './read.ts';
import { renderIntakeIssue, renderIntakeRecord, renderRequestRefusal, type IntakeRecord } from './render.ts';
import { planRequests, type RequestRefusal } from './requests.ts';
import type { IntakeRequest, PrioritizeResult } from './types.ts';
import { type IssueTarget, postOnce } from './write.ts';

/** The `repository_dispatch` event type of the intake (the API's `event_type`). */
export const REQUEST_EVENT_TYPE = 'userloop-request';

/** Most people whose access one evaluation reads for their `/requested-by` commands; the rest wait for the next run. */
const MAX_ACCESS_READS = 10;

/**
 * The people outside GitHub whose recording counts, set on `read.outside` for the decision: the intake's
 * records, commands whose people the marker has already, and new commands whose author may write now. Every
 * new command's author is read (`ctx.access` keeps each person's answer for the rest of the run, so a person
 * is read once a run however many issues it evaluates); having recorded people before carries no trust, so
 * someone whose write access was removed is refused. Returns the commands to answer.
 */
export async function resolveRequests(
  ctx: {
    octokit: Pick<Octokit, 'request'>;
    owner: string;
    repo: string;
    bots: readonly string[];
    /** Each person's write access, read once a run. */
    access: AccessCache;
    info: (m: string) => void;
    warning: (m: string) => void;
  },
  read: IssueRead,
  previous: PrioritizeMarkerData | null,
): Promise<RequestRefusal[]> {
  const plan = planRequests(read, previous, ctx.bots);
  const outside: OutsideRequester[] = [...plan.accepted];
  const refused = [...plan.refused];
  let reads = 0;
  for (const command of plan.pending) {
    const fresh = !ctx.access.has(command.login);
    if (fresh) {
      if (reads >= MAX_ACCESS_READS) {
        ctx.info(`More than ${MAX_ACCESS_READS} people wrote /requested-by on #${read.issue.number}: ${command.url} waits for the next run.`);
        continue;
      }
      reads += 1;
    }
    const { may, error } = await ctx.access.of(command.login);
    // A failed read is not a refusal: the command is read again next run.
    if (error && fresh) ctx.warning(`Could not read the access of ${command.login} (${error}); their /requested-by on #${read.issue.number} waits for the next run.`);
    if (may === null) continue;
    if (may) outside.push(...command.people);
    else refused.push({ commentId: command.commentId, url: command.url, login: command.login, reason: 'access', message: 'only people with write access can record a request' });
  }
  read.outside = outside;
  if (outside.length > 0) ctx.info(`#${read.issue.number}: ${outside.length} request(s) from outside GitHub recorded in the thread.`);
  return refused;
}

/** Answers each command that was not recorded, once (a comment of its own; a copy an overlapping run posted is removed). */
export async function answerRefusals(to: IssueTarget, refused: readonly RequestRefusal[], botLogin: string, warning: (m: string) => void): Promise<number> {
  let answered = 0;
  for (const r of refused) {
    const same = (body: string | null | undefined) => readMarker(body, REQUEST_REFUSED_MARKER_KIND)?.comment === r.commentId;
    try {
      const posted = await postOnce(to, { kind: REQUEST_REFUSED_MARKER_KIND, data: { comment: r.commentId, reason: r.reason }, text: renderRequestRefusal(r), botLogin, same });
      if (posted.action === 'created') answered += 1;
    } catch (error) {
      warning(`Could not answer the /requested-by command ${r.url} (${errorMessage(error)}).`);
    }
  }
  return answered;
}

/** Longest issue title GitHub takes. */
const TITLE_MAX = 256;

/** One page of the newest open issues: where an issue this run or an overlapping one just opened is. */
async function newestOpenIssues(octokit: Pick<Octokit, 'request'>, owner: string, repo: string): Promise<{ number: number; title: string; html_url: string; user: { login: string } | null; body?: string | null; pull_request?: unknown }[]> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues', { owner, repo, state: 'open', sort: 'created', direction: 'desc', per_page: 100 });
  return data.filter((i) => !i.pull_request);
}

const sameTitle = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The open issue with exactly this title (case aside), by one search (the lowest number when several), or `null`. */
async function findByTitle(octokit: Pick<Octokit, 'request'>, owner: string, repo: string, title: string): Promise<{ number: number; html_url: string } | null> {
  const phrase = title.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  const { data } = await octokit.request('GET /search/issues', { q: `repo:${owner}/${repo} is:issue is:open in:title "${phrase}"`, per_page: 100, advanced_search: 'true' });
  const hits = data.items.filter((i) => !i.pull_request && sameTitle(i.title, title)).sort((a, b) => a.number - b.number);
  return hits[0] ? { number: hits[0].number, html_url: hits[0].html_url } : null;
}

/** What the intake did, before the issue's evaluation. */
interface IntakeResult {
  issue: number;
  url: string;
  /** `opened`: a new issue for it; `recorded`: a comment on an existing one; `exists`: this person was recorded there already. */
  action: 'opened' | 'recorded' | 'exists';
}

/**
 * The intake: checks the request (a name; no e-mail address or phone number anywhere; an http(s) link), finds
 * the issue (`issue-number`, else an open issue with exactly `issue-title`, else opens one with that title and
 * the request's words quoted), records the person once (the record is the opened issue's body, or a comment;
 * the chat bot's retries and overlapping runs leave one), then evaluates the issue with `evaluateOne`.
 * Whoever can send these events has write access (GitHub's rule for both), so the record needs no access read.
 */
export async function intake(
  ctx: { octokit: Pick<Octokit, 'graphql' | 'request' | 'paginate'>; owner: string; repo: string; info: (m: string) => void; now: Date },
  request: IntakeRequest,
  evaluateOne: (number: number) => Promise<PrioritizeResult>,
): Promise<PrioritizeResult & { request: IntakeResult }> {
  const { octokit, owner, repo } = ctx;
  const check = checkOutsideRequest(request);
  if (!check.ok) throw new Error(`The request from outside GitHub was not recorded (inputs request-name, request-place, request-url): ${check.message}.`);
  for (const [input, value] of [
    ['request-text', request.text],
    ['issue-title', request.issueTitle],
  ] as const) {
    const personal = personalDataIn(value);
    if (personal) throw new Error(`The request from outside GitHub was not recorded: the input ${input} holds ${personal}, and issues are readable by everyone who can read the repository. Leave contact details out.`);
  }
  const record: IntakeRecord = { ...check.entry, by: request.by, at: ctx.now.toISOString() };
  const key = outsideKey(record);
  const login = await resolveIdentity(octokit);

  let target: { number: number; html_url: string } | null = null;
  if (request.issueNumber !== undefined) {
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: request.issueNumber });
      if (data.pull_request) throw new Error(`issue-number ${request.issueNumber} is a pull request in ${owner}/${repo}; requests are recorded on issues.`);
      target = { number: data.number, html_url: data.html_url };
    } catch (error) {
      if (httpStatus(error) === 404 || httpStatus(error) === 410) throw new Error(`issue-number ${request.issueNumber}: no such issue in ${owner}/${repo} (deleted or transferred?).`);
      throw error;
    }
  } else if (request.issueTitle?.trim()) {
    target = await findByTitle(octokit, owner, repo, request.issueTitle);
  } else {
    throw new Error('The request from outside GitHub names no issue: give issue-number, or issue-title (an open issue with that title, else a new one).');
  }

  let action: IntakeResult['action'];
  if (!target) {
    const title = (request.issueTitle ?? '').replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX);
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner, repo, title, body: renderIntakeIssue(record, request.text) });
    // Two runs for the same new title (the chat bot retried, or two people asked at once): the oldest issue stays.
    const settled = await keepOneIssue({
      octokit,
      owner,
      repo,
      created: { number: data.number, html_url: data.html_url },
      list: async () =>
        (await newestOpenIssues(octokit, owner, repo))
          .filter((i) => isAuthoredBy(i.user?.login, login) && sameTitle(i.title, title) && readRequestRecord(i.body, i.html_url) !== null)
          .map((i) => ({ number: i.number, html_url: i.html_url })),
      duplicateNote: (kept) => `Opened twice by two runs at the same time: this request is recorded on #${kept.number}.`,
      what: `intake issue "${title}"`,
    });
    target = settled.kept;
    action = settled.won ? 'opened' : await recordOn(ctx, target, record, request.text, login, key);
  } else {
    action = await recordOn(ctx, target, record, request.text, login, key);
  }
  ctx.info(`The request of ${record.name} from outside GitHub: ${action} on #${target.number}.`);
  const result = await evaluateOne(target.number);
  return { ...result, request: { issue: target.number, url: target.html_url, action } };
}

/** Records the person on an existing issue once: not when the issue's own record or a record comment of ours names them already. */
async function recordOn(
  ctx: { octokit: Pick<Octokit, 'request' | 'paginate'>; owner: string; repo: string },
  target: { number: number },
  record: IntakeRecord,
  text: string | undefined,
  login: string,
  key: string,
): Promise<'recorded' | 'exists'> {
  const { octokit, owner, repo } = ctx;
  const { data: issue } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: target.number });
  const same = (body: string | null | undefined) => {
    const r = readRequestRecord(body, '');
    return r !== null && outsideKey(r) === key;
  };
  if (isAuthoredBy(issue.user?.login, login) && same(issue.body)) return 'exists';
  // The chat bot's retry long after the first run: the record is there already.
  if ((await findMarkedComments(octokit, { owner, repo, issueNumber: target.number, marker: REQUEST_MARKER_KIND, login })).some((c) => same(c.body))) return 'exists';
  const settled = await createCommentOnce({ octokit, owner, repo, issueNumber: target.number, marker: REQUEST_MARKER_KIND, body: renderIntakeRecord(record, text), login, same });
  return settled.won ? 'recorded' : 'exists';
}
