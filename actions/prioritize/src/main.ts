// The work of one event: which issue it names, one GraphQL read, the pure decision, then at most one label
// write, the reply and the notice of a change (a scheduled run sweeps the open issues instead). What tests
// call, with an Octokit pointed at the emulator.
import {
  AccessCache,
  configExpression,
  configFromGraphql,
  errorMessage,
  hasMarker,
  isBot,
  isExcludedUser,
  type LedgerIssueFact,
  type PrioritizeMarkerData,
  readPrioritizeMarker,
  REQUEST_MARKER_KIND,
  requireValidConfig,
  sameBody,
  type SupportedEvents,
  unsupportedEvent,
  type UserloopConfig,
} from '@userloop/core';
import { evaluate, eventFacts, type EventFacts, seenDiffers } from './decide.ts';
import { addDuplicates, duplicateFact, markedOriginal, originalOf } from './duplicates.ts';
import { areaOwners, planDesign } from './design.ts';
import { formsToRead } from './info.ts';
import { type FormField, type IssueForm, readForms } from './forms.ts';
import { completeLabels, type IssueRead, ownDesign, ownReply, readCommentReactions, readFormTemplates, readFormTemplatesThroughApi, readIssue, rereadReply, searchIssues } from './read.ts';
import { type ProposalCandidate, proposalCandidates, proposalCommentId, type ProposalReaction } from './proposal.ts';
import { type Candidate, similarSearchQuery } from './similar.ts';
import { sweep } from './sweep.ts';
import { answerRefusals, intake, REQUEST_EVENT_TYPE, resolveRequests } from './intake.ts';
import { isIntakeIssue } from './requests.ts';
import type { PrioritizeDeps, PrioritizeInput, PrioritizeResult } from './types.ts';
import { replyAsIs, writeDesign, writeInfoLabel, writeLabel, writeProposalAsk, writeReply } from './write.ts';

/** The events this action handles. */
const HANDLED: SupportedEvents = {
  issues: ['opened', 'edited', 'reopened', 'labeled', 'unlabeled', 'closed'],
  issue_comment: ['created', 'edited'],
  schedule: [],
  workflow_dispatch: [],
  // The intake of a request from outside GitHub, from a chat bot or a support tool.
  repository_dispatch: [REQUEST_EVENT_TYPE],
};

/** One run's settings and helpers, shared by every issue it evaluates. */
interface RunContext {
  input: PrioritizeInput;
  deps: PrioritizeDeps;
  config: UserloopConfig;
  formFields: FormField[];
  /** The issue forms of the checkout (`required-info` rules name them). */
  forms: IssueForm[];
  /** Without them in the checkout: the forms read through the API, once a run, when an issue needs them. */
  apiForms?: Promise<IssueForm[]>;
  /** The write access of people whose word needs it (`/requested-by`, a proposed solution), read once a run per person. */
  access: AccessCache;
  info: (message: string) => void;
  notice: (message: string) => void;
  warning: (message: string) => void;
}

/** Handles one event. Throws only for what the user must fix (permissions) or infrastructure failures. */
export async function main(input: PrioritizeInput, deps: PrioritizeDeps): Promise<PrioritizeResult> {
  const info = deps.info ?? (() => {});
  const notice = deps.notice ?? info;
  const skip = (skipped: string, more: PrioritizeResult = {}): PrioritizeResult => {
    notice(skipped);
    return { skipped, ...more };
  };
  const unsupported = unsupportedEvent({ eventName: input.eventName, action: input.action }, HANDLED, 'prioritize');
  if (unsupported !== null) return skip(unsupported);
  const forms = readForms(await readFormTemplates(input.workspace));
  const start = (config: UserloopConfig): RunContext => ({ input, deps, config, formFields: forms.flatMap((form) => form.fields), forms, access: new AccessCache(deps.octokit, { owner: input.owner, repo: input.repo }), info, notice, warning: deps.warning ?? info });
  // An issue's event reads the config inside the issue's first query (`configAt`): no request of its own.
  const inQuery = typeof input.config === 'function' && input.configAt !== undefined && (input.eventName === 'issues' || input.eventName === 'issue_comment');
  const known = inQuery ? null : start(typeof input.config === 'function' ? await input.config() : input.config);
  if (!known) return issueEvent(input, (options) => firstRead(input, deps, options, start), skip);
  return handle(known, skip);
}

/** The first read of an issue's event, with the run's context: its config known before it. */
type FirstRead = (options: { number: number; opened: boolean }) => Promise<{ ctx: RunContext; read: IssueRead; forbidden: string[] }>;

/** The first read of the run with its context (the config known before the run). */
function readWith(ctx: RunContext): FirstRead {
  return async ({ number, opened }) => ({ ctx, ...(await readIssue(ctx.deps.octokit.graphql, { owner: ctx.input.owner, repo: ctx.input.repo, number, withRecent: opened && wantsRecent(ctx.config), ...configLabels(ctx.config) })) });
}

/** Whether a new issue is compared with the newest open issues (`prioritize.duplicates`). */
const wantsRecent = (config: UserloopConfig): boolean => config.prioritize.duplicates.enabled && config.prioritize.duplicates.max > 0;

/** The label names the config gives, as the read looks them up. */
const configLabels = (config: UserloopConfig) => ({ labels: config.prioritize.labels, infoLabel: config.prioritize['needs-info-label'] });

/**
 * The first read of an issue with the config file in it (core's `CONFIG_FILE_FIELD`, at `input.configAt`):
 * the config checked as `loadConfig` checks it (a mistake fails the run naming file, line and key), read
 * through the API when GitHub cut the file (over 512,000 bytes); then the config's labels among the
 * repository's, and the newest open issues kept only when the config compares a new issue with them.
 */
async function firstRead(input: PrioritizeInput, deps: PrioritizeDeps, options: { number: number; opened: boolean }, start: (config: UserloopConfig) => RunContext) {
  const at = input.configAt!;
  const { owner, repo } = input;
  const { read, forbidden, config: inRead } = await readIssue(deps.octokit.graphql, { owner, repo, number: options.number, withRecent: options.opened, configExpression: configExpression(at.ref, at.path) });
  const file = configFromGraphql(inRead?.file, { owner, repo, ref: at.ref, path: at.path, ...(at.workspace ? { workspace: at.workspace } : {}) });
  const config = file ? requireValidConfig(file) : await (input.config as () => Promise<UserloopConfig>)();
  await completeLabels(deps.octokit.graphql, { owner, repo, read, allLabels: inRead?.allLabels ?? true, ...configLabels(config) });
  if (!wantsRecent(config)) {
    read.recentIssues = [];
    read.openIssueCount = 0;
  }
  return { ctx: start(config), read, forbidden };
}

/** Handles an event with the run's context known. */
async function handle(ctx: RunContext, skip: (skipped: string, more?: PrioritizeResult) => PrioritizeResult): Promise<PrioritizeResult> {
  const { input, deps, config, info } = ctx;
  if (input.eventName === 'repository_dispatch' || (input.eventName === 'workflow_dispatch' && input.request)) {
    if (!input.request) throw new Error(`A ${REQUEST_EVENT_TYPE} dispatch needs client_payload.name (the request-name input): the name of the person who asked.`);
    const evaluateOne = (n: number) => evaluateIssue(ctx, n, { name: input.eventName, action: 'request', label: null });
    return intake({ octokit: deps.octokit, owner: input.owner, repo: input.repo, info, now: input.now ?? new Date() }, input.request, evaluateOne);
  }
  if (input.eventName === 'schedule' || input.eventName === 'workflow_dispatch') {
    // 👍 reactions fire no event at all: a scheduled sweep finds the issues whose count changed.
    const evaluateOne = (n: number) => evaluateIssue(ctx, n, { name: input.eventName, action: 'sweep', label: null });
    const promises = { octokit: deps.octokit, config, now: input.now ?? new Date() };
    return { sweep: await sweep({ owner: input.owner, repo: input.repo, bots: config.bots }, { graphql: deps.octokit.graphql, info, warning: ctx.warning, now: promises.now }, evaluateOne, promises) };
  }
  return issueEvent(input, readWith(ctx), skip, config.bots);
}

/**
 * An event about one issue: skipped for a pull request, a bot's issue or a close that is no duplicate;
 * else the issue (or, for a duplicate's close, its original) is evaluated, the config known before the
 * first read or read inside it (`bots`: the config's, when known before).
 */
async function issueEvent(input: PrioritizeInput, first: FirstRead, skip: (skipped: string, more?: PrioritizeResult) => PrioritizeResult, bots: readonly string[] = []): Promise<PrioritizeResult> {
  const issue = input.payload.issue;
  if (!issue || typeof issue.number !== 'number') return skip(`The ${input.eventName} payload has no issue; nothing to do.`);
  if (issue.pull_request) return skip(`#${issue.number} is a pull request; prioritize only handles issues.`);
  // A bot's issue is skipped without a read unless it may be one the intake opened (evaluateIssue decides that
  // with isIntakeIssue, which trusts the record only when the token's own account wrote the issue). A bot the
  // config names, when the config is read inside the first query, is skipped after it (in evaluateIssue).
  if (issue.user && isBot(issue.user, bots) && !hasMarker(issue.body, REQUEST_MARKER_KIND)) return skip(`#${issue.number} was opened by ${issue.user.login}, a bot; prioritize only handles issues people open.`);
  const closedAsDuplicate = input.eventName === 'issues' && input.action === 'closed';
  if (closedAsDuplicate && issue.state_reason !== 'duplicate') return skip(`#${issue.number} was closed (${issue.state_reason ?? 'no reason'}), not as a duplicate; nothing to do.`);

  const opened = input.eventName === 'issues' && input.action === 'opened';
  const { ctx, read, forbidden } = await first({ number: issue.number, opened });
  const { config, info } = ctx;
  if (closedAsDuplicate) {
    // GitHub sends events for the duplicate only: find its original and evaluate that one in this run.
    const original = originalOf(read, config.bots);
    if (!original) return skip(`#${issue.number} was closed as a duplicate without naming the original; nothing to re-evaluate.`, forbidden.length ? { forbidden } : {});
    info(`#${issue.number} was closed as a duplicate of #${original}: re-evaluating #${original}.`);
    return evaluateIssue(ctx, original, { name: 'issues', action: 'duplicate', label: null });
  }

  const result = await evaluateIssue(ctx, issue.number, eventFacts(input.eventName, input.action, input.payload, input.now ?? new Date()), [], { read, forbidden });
  // "Duplicate of #6" in a maintainer's comment marks this issue a duplicate: re-evaluate the original too.
  const said = input.eventName === 'issue_comment' && input.action === 'created' ? markedOriginal(input.payload.comment, config.bots) : null;
  if (said !== null && said !== issue.number && !result.skipped) {
    info(`#${issue.number} was marked a duplicate of #${said}: re-evaluating #${said}.`);
    // The original's timeline shows the duplicate only as a mention until it is closed: name it a duplicate.
    try {
      result.original = await evaluateIssue(ctx, said, { name: 'issues', action: 'duplicate', label: null }, [duplicateFact(issue)]);
    } catch (error: unknown) {
      // This issue's own update is done; an original that does not exist (or is a pull request) is only worth a warning.
      ctx.warning(`Could not re-evaluate #${said}, named as the original of #${issue.number}: ${errorMessage(error)}`);
    }
  }
  return result;
}

/**
 * The issue forms required information is checked against: the checkout's, else, for a body with `###`
 * headings when a rule names a form, the templates read through the API (once a run; a failed read is a
 * warning and no form).
 */
async function formsFor(ctx: RunContext, body: string | null | undefined): Promise<readonly IssueForm[]> {
  if (ctx.forms.length > 0) return ctx.forms;
  const files = formsToRead(ctx.config.prioritize['required-info'], body);
  if (files === undefined) return [];
  ctx.apiForms ??= readFormTemplatesThroughApi(ctx.deps.octokit, { owner: ctx.input.owner, repo: ctx.input.repo, files }).then(readForms, (error: unknown) => {
    ctx.warning(`Could not read the issue forms (${errorMessage(error)}); required information is not checked in this run.`);
    return [];
  });
  return ctx.apiForms;
}

/**
 * The older open issues a search finds for the similar-issue hint: one search (GitHub's search API allows
 * 30 a minute). A failed search narrows the hint to the newest open issues, with a warning; nothing fails.
 */
async function searchOlder(ctx: RunContext, read: IssueRead): Promise<Candidate[]> {
  const q = similarSearchQuery(ctx.input.owner, ctx.input.repo, read.issue.title);
  if (q === null) return [];
  try {
    return await searchIssues(ctx.deps.octokit, q);
  } catch (error) {
    ctx.warning(`The search for older similar issues failed (${errorMessage(error)}); only the newest ${read.recentIssues.length} open issues were compared.`);
    return [];
  }
}

/** Most comments with the heading whose author's access one evaluation reads (newest first). */
const MAX_PROPOSAL_CHECKS = 3;

/**
 * What the decision needs of proposed solutions beyond the read: the newest comment with the heading posted
 * since the recorded proposal whose author may write (one access read per comment checked, and only for such
 * comments), and the reactions on the proposal that waits for the reporter's answer (one read). Nothing when
 * `prioritize.proposals` is off or the reporter is not a person.
 */
async function proposalFacts(ctx: RunContext, read: IssueRead, previous: PrioritizeMarkerData | null): Promise<{ proposed: ProposalCandidate | null; reactions: ProposalReaction[] } | undefined> {
  const settings = ctx.config.prioritize.proposals;
  const excluded = [read.viewerLogin, ...ctx.config.bots];
  const reporter = read.issue.author;
  if (!settings.enabled || !reporter || isExcludedUser(reporter, excluded)) return undefined;
  const { owner, repo } = ctx.input;
  const recorded = previous?.proposal;
  let proposed: ProposalCandidate | null = null;
  for (const c of proposalCandidates({ comments: read.comments, recorded, reporter: reporter.login, heading: settings.heading, excluded }).slice(0, MAX_PROPOSAL_CHECKS)) {
    const { may, error } = await ctx.access.of(c.by);
    if (may) {
      proposed = c;
      break;
    }
    if (error) ctx.warning(`Could not read the access of ${c.by} (${error}); their proposed solution on #${read.issue.number} is not recorded.`);
    else ctx.info(`${c.by} may not write to the repository: their comment with a proposed solution on #${read.issue.number} is not recorded as one.`);
  }
  const waiting = proposed ?? (recorded && !recorded.answer ? recorded : null);
  const id = waiting ? proposalCommentId(waiting.url) : null;
  const reactions = id === null ? [] : await readCommentReactions(ctx.deps.octokit, { owner, repo, id });
  return { proposed, reactions };
}

/** Reads one issue, decides, and writes the label, the reply and, when the priority went up, a notice. `moreDuplicates` are issues known to be duplicates of it that its timeline does not show as such yet. */
async function evaluateIssue(
  ctx: RunContext,
  number: number,
  event: EventFacts,
  moreDuplicates: readonly LedgerIssueFact[] = [],
  given?: { read: IssueRead; forbidden: string[] },
): Promise<PrioritizeResult> {
  const { input, deps, config, info } = ctx;
  const settings = config.prioritize;
  const { owner, repo } = input;
  const withRecent = event.name === 'issues' && event.action === 'opened' && wantsRecent(config);
  // The run's first read (with the config in it) when the event's issue was read already.
  const { read, forbidden } = given ?? (await readIssue(deps.octokit.graphql, { owner, repo, number, withRecent, ...configLabels(config) }));
  addDuplicates(read, moreDuplicates);
  if (forbidden.length > 0) info(`The token may not read ${forbidden.length} node(s) of #${number} (pull requests need \`pull-requests: read\`); they were left out.`);
  const author = read.issue.author;
  // An issue the intake opened for a request from outside GitHub is evaluated like a person's.
  if (author && isBot(author, [...config.bots, read.viewerLogin]) && !isIntakeIssue(read)) {
    const skipped = `#${number} was opened by ${author.login}, a bot; prioritize only handles issues people open.`;
    ctx.notice(skipped);
    return { skipped, issueNumber: number };
  }
  // More open issues than the read's newest page: one search finds older ones that share the title's words.
  if (withRecent && read.openIssueCount > read.recentIssues.length) read.searchedIssues = await searchOlder(ctx, read);
  // Requests from outside GitHub: the thread's records, and `/requested-by` commands by people who may write.
  const refusedRequests = await resolveRequests({ octokit: deps.octokit, owner, repo, bots: config.bots, access: ctx.access, info, warning: ctx.warning }, read, ownReply(read).previous);

  const forms = await formsFor(ctx, read.issue.body);
  let own = ownReply(read);
  const proposal = await proposalFacts(ctx, read, own.previous);
  const decide = () =>
    evaluate({ read, config: settings, bots: config.bots, formFields: ctx.formFields, forms, areas: config.areas, previous: own.previous, event, now: input.now ?? new Date(), ...(proposal ? { proposal } : {}) });
  let evaluation = decide();
  info(`#${number}: ${evaluation.priority} (${evaluation.path.join(' → ')}); ${evaluation.ledger.requesters.length} requester(s).`);
  const to = { octokit: deps.octokit, owner, repo, number, subjectId: read.issue.nodeId };
  const labelAction = await writeLabel(to, evaluation, settings, info);

  // The reply is written only when the decision, the ledger or the counts the sweep compares changed.
  const seen = { thumbsUp: read.thumbsUp, duplicateEvents: read.duplicateEvents };
  if (own.existing && (evaluation.replyChanged || seenDiffers(own.existing, seen))) {
    // An overlapping run may have updated the reply since our read: its marker is the previous state then,
    // or this run would write its older read over the other's and drop whoever that run added.
    const fresh = await rereadReply(deps.octokit, owner, repo, own.existing.id);
    if (fresh === null || !sameBody(fresh.body, own.existing.body)) {
      if (fresh) info(`The reply to #${number} changed since it was read (an overlapping run); deciding again from it.`);
      own = fresh ? { existing: fresh, previous: readPrioritizeMarker(fresh.body) } : { existing: null, previous: null };
      evaluation = decide();
    }
  }
  const write = evaluation.replyChanged || seenDiffers(own.existing, seen);
  const reply = write ? await writeReply(to, { read, evaluation, own, seen, config: settings, serverUrl: input.serverUrl, warning: ctx.warning }) : replyAsIs(own);
  // The `needs info` label follows what the reply asks; the design checklist is a comment of its own.
  const infoLabelAction = await writeInfoLabel(to, evaluation.info.label, settings);
  const requestsRefused = refusedRequests.length > 0 ? await answerRefusals(to, refusedRequests, read.viewerLogin, ctx.warning) : 0;
  const designComment = ownDesign(read);
  const design = planDesign({
    needsDesign: evaluation.signals.needsDesign,
    enabled: settings['needs-design'].enabled,
    priority: evaluation.priority,
    // With the area label the form's answer added in this run.
    owners: areaOwners(evaluation.areaLabel ? [...read.labels, evaluation.areaLabel] : read.labels, config.areas),
    existing: designComment,
  });
  const designWrite = await writeDesign(to, { plan: design, existing: designComment, read, config: settings, warning: ctx.warning });
  // A proposed solution the reporter was not asked about yet: one question of its own (it notifies them).
  const proposed = evaluation.proposal.state;
  const ask =
    evaluation.proposal.ask && proposed && author
      ? await writeProposalAsk(to, { proposal: proposed, reporter: author.login, botLogin: read.viewerLogin, config: settings, serverUrl: input.serverUrl, warning: ctx.warning })
      : { action: 'none' as const, url: null };

  return {
    issueNumber: number,
    priority: evaluation.priority,
    previousPriority: evaluation.previousPriority,
    changed: evaluation.previousPriority !== evaluation.priority,
    requesters: evaluation.ledger.requesters.length,
    due: evaluation.due,
    ...reply,
    labelAction,
    ...(requestsRefused > 0 ? { requestsRefused } : {}),
    infoLabelAction,
    designAction: designWrite.action,
    designUrl: designWrite.url,
    ...(ask.action === 'none' ? {} : { proposalAction: ask.action, proposalUrl: ask.url }),
    evaluation,
    ...(forbidden.length > 0 ? { forbidden } : {}),
  };
}
