// Proposed solutions (`prioritize.proposals`): which comment proposes one (a heading or a command line, from
// someone with write access), what the reply's marker records of it and of the reporter's answer (a reply
// that says yes or no, or a 👍/👎 on the proposal), and whether the reporter must still be asked. Pure: plain
// data in, decisions out; main checks the proposer's access and reads the reactions around it.
import {
  firstSaid,
  isExcludedUser,
  type LedgerGraphqlCommentFact,
  type PrioritizeConfig,
  type PrioritizeProposalState,
  readMarker,
  withoutCode,
  MEMBER_ASSOCIATIONS,
} from '@userloop/core';

/** The marker kind of the question a proposal asks the reporter: `<!-- userloop:prioritize-proposal {"url":"…"} -->`. */
export const PROPOSAL_MARKER_KIND = 'prioritize-proposal' as const;

/** The command line that marks a comment a proposed solution, like the heading does. */
const COMMAND = /^ {0,3}\/proposed-solution(?:\s|$)/im;


/** The text of a heading line (`## Proposed solution:`), lower case, without closing `#`s or a final colon or period. */
function headingTexts(body: string): string[] {
  const out: string[] = [];
  for (const line of withoutCode(body).split(/\r?\n/)) {
    const m = /^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(line);
    if (m?.[1] !== undefined) out.push(m[1].replace(/[\s:.]+$/, '').trim().toLowerCase());
  }
  return out;
}

/**
 * Whether a comment proposes a solution: a markdown heading (any level) whose text is `heading` (any case,
 * a final colon allowed), or a `/proposed-solution` line; neither inside code, a quote or an HTML comment.
 */
export function isProposal(body: string | null | undefined, heading: string): boolean {
  if (!body) return false;
  const wanted = heading.trim().toLowerCase();
  if (!body.toLowerCase().includes(wanted) && !body.includes('/proposed-solution')) return false;
  if (headingTexts(body).includes(wanted)) return true;
  return COMMAND.test(withoutCode(body));
}

/** Whether a comment carries a snippet: a fenced code block (outside a quote). */
export function hasSnippet(body: string | null | undefined): boolean {
  return /^ {0,3}(`{3,}|~{3,})/m.test(body ?? '');
}

/** A comment that may be a proposal: what the marker records of it once its author's access is confirmed. */
export interface ProposalCandidate {
  url: string;
  by: string;
  at: string;
  snippet: boolean;
}

/**
 * The comments that may be a new proposal, newest first: by a person (not the token's account, not a bot,
 * not the reporter) whose association may carry write access, with the heading or the command, posted after
 * the proposal the marker records. Their author's access is still to be checked (one read each).
 */
export function proposalCandidates(input: {
  comments: readonly LedgerGraphqlCommentFact[];
  recorded: PrioritizeProposalState | undefined;
  reporter: string | null;
  heading: string;
  /** Logins that are not people (the token's own, configured bots). */
  excluded: readonly string[];
}): ProposalCandidate[] {
  const { recorded, reporter } = input;
  const after = recorded ? Date.parse(recorded.at) : Number.NEGATIVE_INFINITY;
  return input.comments
    .filter(
      (c) =>
        !c.byViewer &&
        c.author !== null &&
        !isExcludedUser(c.author, input.excluded) &&
        c.author.login.toLowerCase() !== reporter?.toLowerCase() &&
        MEMBER_ASSOCIATIONS.has(c.authorAssociation) &&
        Date.parse(c.createdAt) > after &&
        c.url !== recorded?.url &&
        isProposal(c.body, input.heading),
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .map((c) => ({ url: c.url, by: c.author?.login ?? '', at: c.createdAt, snippet: hasSnippet(c.body) }));
}

/** A reaction of someone on the proposal comment (REST spelling of `content`: `+1`, `-1`). */
export interface ProposalReaction {
  login: string;
  content: string;
  at: string;
}

/** The reporter's answer to a proposal, and when and how they gave it. */
type Answer = Required<Pick<PrioritizeProposalState, 'answer' | 'answeredAt' | 'via'>>;

/**
 * The reporter's first answer after the proposal: a reply of theirs whose first yes or no phrase
 * (`proposals.phrases`) says whether it solves their problem, or their 👍 (yes) or 👎 (no) on the proposal;
 * whichever came first. `null` while they have not answered.
 */
export function findAnswer(input: {
  proposal: Pick<PrioritizeProposalState, 'at'>;
  reporter: string;
  comments: readonly Pick<LedgerGraphqlCommentFact, 'author' | 'body' | 'createdAt' | 'byViewer'>[];
  reactions: readonly ProposalReaction[];
  phrases: PrioritizeConfig['proposals']['phrases'];
}): Answer | null {
  const since = Date.parse(input.proposal.at);
  const isReporter = (login: string | undefined) => login?.toLowerCase() === input.reporter.toLowerCase();
  const answers: Answer[] = [];
  for (const c of input.comments) {
    if (c.byViewer || !isReporter(c.author?.login) || !(Date.parse(c.createdAt) > since)) continue;
    const said = firstSaid(c.body, { yes: input.phrases.yes, no: input.phrases.no });
    if (said) answers.push({ answer: said, answeredAt: c.createdAt, via: 'reply' });
  }
  for (const r of input.reactions) {
    if (!isReporter(r.login)) continue;
    const content = r.content.toLowerCase();
    const answer = content === '+1' || content === 'thumbs_up' ? 'yes' : content === '-1' || content === 'thumbs_down' ? 'no' : null;
    if (answer) answers.push({ answer, answeredAt: r.at, via: 'reaction' });
  }
  answers.sort((a, b) => Date.parse(a.answeredAt) - Date.parse(b.answeredAt));
  return answers[0] ?? null;
}

/**
 * What the marker records: a new proposal (its author's access confirmed) replaces the one recorded, waiting
 * or answered, and keeps the time of the first; a waiting proposal gets the reporter's answer once they give
 * it; an answer, once recorded, stays until the next proposal. `undefined` while none was proposed.
 */
export function proposalState(
  recorded: PrioritizeProposalState | undefined,
  proposed: ProposalCandidate | null,
  answer: (proposal: Pick<PrioritizeProposalState, 'at'>) => Answer | null,
): PrioritizeProposalState | undefined {
  const current: PrioritizeProposalState | undefined = proposed
    ? { at: proposed.at, by: proposed.by, url: proposed.url, snippet: proposed.snippet, first: recorded?.first ?? proposed.at }
    : recorded;
  if (!current || current.answer) return current;
  const found = answer(current);
  return found ? { ...current, ...found } : current;
}

/** The proposal comment's REST id, from its URL (`…#issuecomment-123`), or `null`. */
export function proposalCommentId(url: string): number | null {
  const m = /#issuecomment-(\d+)$/.exec(url);
  return m?.[1] ? Number(m[1]) : null;
}

/** The proposal a question of ours is about (the URL its marker names), or `null` when the body is not one. */
export function askedAbout(body: string | null | undefined): string | null {
  return readMarker(body, PROPOSAL_MARKER_KIND)?.url ?? null;
}

/**
 * Whether the reporter must be asked about the recorded proposal: it waits for their answer and no question
 * of ours about it is in the read (one question per proposal, however often and however overlapped runs go).
 */
export function needsAsk(state: PrioritizeProposalState | undefined, reporter: string | null, comments: readonly Pick<LedgerGraphqlCommentFact, 'byViewer' | 'body'>[]): boolean {
  if (!state || state.answer || reporter === null) return false;
  return !comments.some((c) => c.byViewer && askedAbout(c.body) === state.url);
}
