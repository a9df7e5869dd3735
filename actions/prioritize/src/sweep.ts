// The scheduled sweep (`schedule`, `workflow_dispatch`): a 👍 fires no webhook event and a duplicate closed by
// a workflow's token fires no workflow, so nothing re-evaluates an issue they change. The sweep reads every
// open issue in pages of 100 with only what tells a change (the 👍 count, the count of duplicate and
// cross-reference timeline items, and the first and last comments, where our reply and the counts it saw are), and
// re-evaluates only the issues whose counts differ from what their reply saw. Then it keeps the promises of
// the replies it read: a reminder before a promised date, a notice to the people who asked once it passed.
import { DAY_MS, errorMessage, type GraphqlClient, isAuthoredBy, isBot, isLockedError, leavesTooFew, type Octokit, RateLimitedError, stoppedToKeep, type UserloopConfig, WritePacer } from '@userloop/core';
import type { PrioritizeResult, PromisesResult, SweepResult } from './types.ts';
import { noticeDue, promiseStep, type PromiseStep, REMINDER_MARKER_KIND, reminderOwners, SLIP_MARKER_KIND, slipPeople } from './promises.ts';
import { readOpenIssues, readPromise, type SweptIssue } from './read.ts';
import { renderReminder, renderSlipNotice } from './render.ts';
import { postOnce } from './write.ts';

/** Most issues one sweep re-evaluates (each costs a GraphQL read and up to three writes); the rest wait for the next sweep. */
const MAX_SWEEP_EVALUATIONS = 50;

/** Most reminders and slip notices one sweep posts (each a content write, with a read before it on a long thread); the rest wait for the next sweep. */
const MAX_PROMISE_NOTICES = 50;

/** What keeping promises needs besides the sweep's read: the client that writes, the config, and the time. */
export interface PromiseDeps {
  octokit: Pick<Octokit, 'graphql' | 'request' | 'paginate'>;
  config: UserloopConfig;
  now: Date;
}

/**
 * Reads the open issues (pages of 100: 4 GraphQL points a page) and re-evaluates, through `evaluateOne`,
 * those whose 👍 count or duplicate timeline count differs from the `prioritize-seen` marker of their reply,
 * oldest first, at most {@link MAX_SWEEP_EVALUATIONS}. Issues never evaluated (no reply) and bots' issues
 * are left alone. The read stops before a page would leave the token less than half of its hour (core's
 * `leavesTooFew`): in a repository with more open issues than that reads (some 12,500 with a
 * GITHUB_TOKEN), a sweep on an even UTC day reads from the oldest, on an odd day from the newest, so the
 * two ends are swept in turn.
 */
export async function sweep(
  repository: { owner: string; repo: string; bots: readonly string[] },
  deps: { graphql: GraphqlClient; info: (message: string) => void; warning: (message: string) => void; now: Date },
  evaluateOne: (number: number) => Promise<PrioritizeResult>,
  promises?: PromiseDeps,
): Promise<SweepResult> {
  const { info, warning } = deps;
  const newestFirst = Math.floor(deps.now.getTime() / DAY_MS) % 2 === 1;
  const result: SweepResult = { open: 0, total: 0, from: newestFirst ? 'newest' : 'oldest', pages: 0, unevaluated: 0, bots: 0, changed: [], evaluated: [], written: [], deferred: 0, failed: [] };
  const promised: SweptIssue[] = [];
  const waiting: number[] = [];
  let viewerLogin = '';
  let after: string | null = null;
  for (;;) {
    const page = await readOpenIssues(deps.graphql, { owner: repository.owner, repo: repository.repo, after, newestFirst });
    result.pages += 1;
    result.total = page.total;
    viewerLogin = page.viewerLogin;
    for (const issue of page.issues) {
      result.open += 1;
      // An issue the intake opened for a request from outside GitHub (ours, with our reply) is swept like a person's.
      if (issue.author && isBot(issue.author, repository.bots) && !(issue.replied && isAuthoredBy(issue.author, page.viewerLogin))) {
        result.bots += 1;
        continue;
      }
      if (!issue.replied) {
        result.unevaluated += 1;
        continue;
      }
      const seen = issue.seen;
      if (!seen || seen.thumbsUp !== issue.thumbsUp || seen.duplicateEvents !== issue.duplicateEvents) result.changed.push(issue.number);
      // A reaction on a proposed solution fires no event either: a proposal waiting for the reporter's answer is read again.
      else if (issue.proposalWaiting) waiting.push(issue.number);
      if (issue.promise?.due) promised.push(issue);
    }
    if (!page.hasNextPage || !page.endCursor || page.endCursor === after) break;
    // The next page costs what this one did: it goes while the token keeps half its hour for its other uses.
    if (page.rateLimit && leavesTooFew(page.rateLimit, page.rateLimit.cost)) {
      result.stoppedAt = { remaining: page.rateLimit.remaining, limit: page.rateLimit.limit };
      break;
    }
    after = page.endCursor;
  }
  // Oldest first, from whichever end the pages came.
  const byNumber = (a: number, b: number) => a - b;
  result.changed.sort(byNumber);
  waiting.sort(byNumber);
  promised.sort((a, b) => a.number - b.number);
  info(
    `Sweep: ${result.open} of ${result.total} open issue(s) in ${result.pages} page(s)${result.stoppedAt ? `, the ${result.from} first; ${stoppedToKeep(result.stoppedAt)} (the next sweep on an ${newestFirst ? 'even' : 'odd'} UTC day reads from the ${newestFirst ? 'oldest' : 'newest'})` : ''}; ${result.changed.length} changed since their last evaluation.`,
  );

  if (waiting.length > 0) result.proposals = waiting;
  const todo = [...result.changed, ...waiting].slice(0, MAX_SWEEP_EVALUATIONS);
  result.deferred = result.changed.length + waiting.length - todo.length;
  /** Issues whose re-evaluation set another date: they were just told it, their old date is no longer the promise. */
  const repromised = new Set<number>();
  for (const number of todo) {
    try {
      const one = await evaluateOne(number);
      result.evaluated.push(number);
      const before = promised.find((p) => p.number === number)?.promise?.due;
      if (before !== undefined && one.due !== undefined && one.due !== before) repromised.add(number);
      const wrote = (one.labelAction === 'added' || one.labelAction === 'replaced') || (one.commentAction !== undefined && one.commentAction !== 'none' && one.commentAction !== 'unchanged') || one.noticeAction === 'created';
      if (wrote) result.written.push(number);
    } catch (error) {
      result.failed.push(number);
      warning(`Could not re-evaluate #${number}: ${(error as Error).message ?? String(error)}`);
      // The same cause (permissions, the budget) would fail every other issue too.
      if (result.failed.length >= 3 && result.evaluated.length === 0) throw error;
    }
  }
  if (result.deferred > 0) info(`${result.deferred} changed issue(s) left for the next sweep (at most ${MAX_SWEEP_EVALUATIONS} a run).`);
  if (promises && promises.config.prioritize['keep-promises']) {
    result.promises = await keepPromises(
      promised.filter((p) => !repromised.has(p.number)),
      { ...repository, viewerLogin },
      { ...deps, ...promises },
    );
  }
  return result;
}

/**
 * The reminders and slip notices the promises read need at `now` ({@link promiseStep}), oldest issue first, at
 * most {@link MAX_PROMISE_NOTICES}: each posted once per issue and date however often and however overlapped
 * sweeps run (the sweep's read, a look through a long thread, and core's keepOne after posting). Posts are
 * paced by a WritePacer; a rate limit stops them cleanly and the next sweep goes on.
 */
async function keepPromises(
  issues: readonly SweptIssue[],
  repository: { owner: string; repo: string; bots: readonly string[]; viewerLogin: string },
  deps: PromiseDeps & { info: (message: string) => void; warning: (message: string) => void },
): Promise<PromisesResult> {
  const { config, now, info, warning } = deps;
  const settings = config.prioritize;
  const rules = { daysBefore: settings['remind-days-before'], holidays: settings.holidays };
  const out: PromisesResult = { reminded: [], slipped: [], noOwner: [], already: [], deferred: 0, stoppedBy: null, failed: [] };
  const steps: { step: PromiseStep; issue: SweptIssue }[] = [];
  for (const issue of issues) {
    const promise = issue.promise;
    const step = promise ? promiseStep({ number: issue.number, priority: promise.priority, due: promise.due, reminded: issue.reminded, slipped: issue.slipped }, now, rules) : null;
    if (step) steps.push({ step, issue });
  }
  const todo = steps.slice(0, MAX_PROMISE_NOTICES);
  out.deferred = steps.length - todo.length;
  const pacer = new WritePacer({ minIntervalMs: 0, maxPerMinute: 60, maxRetries: 0, maxWaitMs: 0 });
  const { owner, repo } = repository;
  for (const [i, { step, issue }] of todo.entries()) {
    const { number, due } = step;
    const promise = issue.promise!;
    try {
      // A reminder needs the assignees and labels; a long thread may hold the notice between the comments read.
      const look = step.kind === 'remind' || !issue.allComments ? await readPromise(deps.octokit.graphql, { owner, repo, number, notice: issue.allComments ? null : step }) : null;
      if (look?.noticed) {
        out.already.push(number);
        continue;
      }
      const to = { octokit: deps.octokit, owner, repo, number };
      if (step.kind === 'remind') {
        // A bot assigned (an agent) is not who keeps the promise: the area owners are, then.
        const assignees = (look?.assignees ?? []).filter((login) => !isBot(login, repository.bots));
        const owners = reminderOwners(assignees, look?.labels ?? [], config.areas);
        if (owners.length === 0) {
          out.noOwner.push(number);
          continue;
        }
        const people = promise.requesters.filter((l) => !isBot(l, repository.bots)).length;
        const text = renderReminder({ owners, due, priority: promise.priority, people }, settings);
        const data = { due, owners: owners.slice(0, 50) };
        const posted = await postOnce(to, { kind: REMINDER_MARKER_KIND, data, text, botLogin: repository.viewerLogin, same: (b) => noticeDue(b, REMINDER_MARKER_KIND) === due }, (w) => pacer.run(w));
        (posted.action === 'created' ? out.reminded : out.already).push(number);
      } else {
        const told = slipPeople(promise.requesters, { bots: repository.bots, optOut: config['notify-requesters']['opt-out'].logins });
        const text = renderSlipNotice({ ...told, due, priority: promise.priority }, settings);
        const data = { due, people: told.people };
        const posted = await postOnce(to, { kind: SLIP_MARKER_KIND, data, text, botLogin: repository.viewerLogin, same: (b) => noticeDue(b, SLIP_MARKER_KIND) === due }, (w) => pacer.run(w));
        (posted.action === 'created' ? out.slipped : out.already).push(number);
      }
    } catch (error) {
      if (error instanceof RateLimitedError) {
        out.stoppedBy = `GitHub's rate limit (retry after ${Math.ceil(error.retryAfterMs / 1000)} s)`;
        out.deferred += todo.length - i;
        warning(`Reminders and slip notices stopped at ${out.stoppedBy}; the next sweep posts the ${out.deferred} left.`);
        break;
      }
      const what = step.kind === 'remind' ? 'the reminder' : 'the slip notice';
      if (isLockedError(error)) {
        warning(`#${number} is locked; ${what} was not posted.`);
        out.failed.push(number);
        continue;
      }
      out.failed.push(number);
      warning(`Could not post ${what} on #${number}: ${errorMessage(error)}`);
      // The same cause (permissions, the budget) would fail every other issue too.
      if (out.failed.length >= 3 && out.reminded.length + out.slipped.length === 0) throw error;
    }
  }
  const done = out.reminded.length + out.slipped.length;
  if (done > 0 || out.deferred > 0) info(`Promises: ${out.reminded.length} reminder(s), ${out.slipped.length} slip notice(s)${out.deferred > 0 ? `; ${out.deferred} left for the next sweep` : ''}.`);
  return out;
}

