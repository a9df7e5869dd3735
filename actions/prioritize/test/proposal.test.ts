// Proposed solutions, the pure rules: which comment proposes one, the reporter's answer (a reply's first yes or
// no phrase, or a 👍/👎 on the proposal), what the marker records, and when the reporter is asked.
import { describe, expect, it } from 'vitest';
import { firstSaid, readPrioritizeMarker, renderPrioritizeMarker, type PrioritizeProposalState } from '@userloop/core';
import { evaluate } from '../src/decide.ts';
import { askedAbout, findAnswer, hasSnippet, isProposal, needsAsk, proposalCandidates, proposalCommentId, proposalState } from '../src/proposal.ts';
import { renderProposalAsk } from '../src/render.ts';
import { comment, lowMarker, makeRead, NOW, prioritizeConfig } from './helpers.ts';

const config = prioritizeConfig();
const phrases = config.proposals.phrases;
const HEADING = 'Proposed solution';
const PROPOSAL = '## Proposed solution\n\nSet `export.rows: all` in your config:\n\n```yaml\nexport:\n  rows: all\n```\n';

describe('isProposal: a heading or the command, never in code or a quote', () => {
  it.each([
    ['## Proposed solution\n\nUpgrade to 1.3.', true],
    ['# proposed SOLUTION\nUpgrade.', true],
    ['### Proposed solution:\nUpgrade.', true],
    ['#### Proposed solution ####\nUpgrade.', true],
    ['Thanks!\n\n/proposed-solution\n\nUpgrade to 1.3.', true],
    ['```\n## Proposed solution\n```', false],
    ['> ## Proposed solution\n> quoted from elsewhere', false],
    ['<!--\n## Proposed solution\n-->', false],
    ['Here is my proposed solution: upgrade.', false],
    ['## Proposed solutions we rejected', false],
    ['`/proposed-solution` is the command', false],
  ])('%j → %s', (body, expected) => {
    expect(isProposal(body, HEADING)).toBe(expected);
  });

  it('the heading is configurable', () => {
    expect(isProposal('## Workaround\nRestart.', 'Workaround')).toBe(true);
    expect(isProposal('## Proposed solution\nRestart.', 'Workaround')).toBe(false);
  });

  it('a snippet is a fenced code block', () => {
    expect(hasSnippet(PROPOSAL)).toBe(true);
    expect(hasSnippet('## Proposed solution\n\nSet `rows: all`.')).toBe(false);
    expect(hasSnippet('~~~\ncode\n~~~')).toBe(true);
  });
});

describe('proposalCandidates', () => {
  const base = { reporter: 'alice', heading: HEADING, excluded: ['github-actions[bot]'], recorded: undefined };
  it('newest first; only people whose association may write, not the reporter, not a bot, not our own comment', () => {
    const comments = [
      comment('maria', PROPOSAL, { id: 1, association: 'MEMBER', at: '2024-01-02T10:00:00Z' }),
      comment('gus', '## Proposed solution\nRestart.', { id: 2, association: 'COLLABORATOR', at: '2024-01-02T11:00:00Z' }),
      comment('stranger', '## Proposed solution\nBuy my tool.', { id: 3, association: 'NONE', at: '2024-01-02T12:00:00Z' }),
      comment('alice', '## Proposed solution\nMaybe this?', { id: 4, association: 'OWNER', at: '2024-01-02T13:00:00Z' }),
      comment('renovate[bot]', '## Proposed solution\nbump', { id: 5, association: 'MEMBER', at: '2024-01-02T14:00:00Z' }),
      comment('github-actions[bot]', '## Proposed solution\nours', { id: 6, association: 'MEMBER', at: '2024-01-02T15:00:00Z', byViewer: true }),
    ];
    expect(proposalCandidates({ ...base, comments })).toEqual([
      { url: comments[1]!.url, by: 'gus', at: '2024-01-02T11:00:00Z', snippet: false },
      { url: comments[0]!.url, by: 'maria', at: '2024-01-02T10:00:00Z', snippet: true },
    ]);
  });

  it('only comments posted after the recorded proposal', () => {
    const old = comment('maria', PROPOSAL, { id: 1, association: 'MEMBER', at: '2024-01-02T10:00:00Z' });
    const recorded: PrioritizeProposalState = { at: old.createdAt, by: 'maria', url: old.url, snippet: true, first: old.createdAt };
    expect(proposalCandidates({ ...base, recorded, comments: [old] })).toEqual([]);
    const newer = comment('gus', '## Proposed solution\nRestart.', { id: 2, association: 'COLLABORATOR', at: '2024-01-03T10:00:00Z' });
    expect(proposalCandidates({ ...base, recorded, comments: [old, newer] }).map((c) => c.by)).toEqual(['gus']);
  });
});

describe("the reporter's answer", () => {
  const proposal = { at: '2024-01-02T10:00:00Z' };
  const answer = (bodies: string[], reactions: { login: string; content: string; at: string }[] = []) =>
    findAnswer({
      proposal,
      reporter: 'alice',
      comments: bodies.map((b, i) => ({ ...comment('alice', b, { at: `2024-01-02T1${i + 1}:00:00Z` }) })),
      reactions,
      phrases,
    });

  it.each([
    ['Yes, that fixed it, thanks!', 'yes'],
    ['It works now 🎉', 'yes'],
    ['Works for me.', 'yes'],
    ['No, it still crashes.', 'no'],
    ["Sorry, it doesn't work: same crash.", 'no'],
    ['Still broken on 1.3.', 'no'],
    ['Yes, no problem at all now.', 'yes'],
    ["It's not fixed.", 'no'],
  ])('%j answers %s', (body, expected) => {
    expect(answer([body])?.answer).toBe(expected);
  });

  it('a reply without a verdict, a quote of one, or a reply before the proposal is no answer', () => {
    expect(answer(['Thanks, I will try it tomorrow.'])).toBeNull();
    expect(answer(['> It works now\n\nWill try.'])).toBeNull();
    const early = findAnswer({ proposal, reporter: 'alice', comments: [comment('alice', 'Yes it works', { at: '2024-01-02T09:00:00Z' })], reactions: [], phrases });
    expect(early).toBeNull();
  });

  it("someone else's reply or reaction is no answer", () => {
    const r = findAnswer({
      proposal,
      reporter: 'alice',
      comments: [comment('bob', 'Yes, works for me too', { at: '2024-01-02T11:00:00Z' })],
      reactions: [{ login: 'bob', content: '+1', at: '2024-01-02T11:00:00Z' }],
      phrases,
    });
    expect(r).toBeNull();
  });

  it('a 👍 or 👎 of the reporter answers; the first answer counts', () => {
    expect(answer([], [{ login: 'Alice', content: '+1', at: '2024-01-02T12:00:00Z' }])).toEqual({ answer: 'yes', answeredAt: '2024-01-02T12:00:00Z', via: 'reaction' });
    expect(answer(['No, still broken.'], [{ login: 'alice', content: '+1', at: '2024-01-02T12:00:00Z' }])).toEqual({ answer: 'no', answeredAt: '2024-01-02T11:00:00Z', via: 'reply' });
    expect(answer([], [{ login: 'alice', content: 'heart', at: '2024-01-02T12:00:00Z' }])).toBeNull();
  });

  it('firstSaid: the earliest phrase wins, negated phrases do not count', () => {
    expect(firstSaid('No problem, yes it works', { yes: ['yes'], no: ['no'] })).toBe('no');
    expect(firstSaid('I would not say it works', { yes: ['it works'], no: ['nope'] })).toBeNull();
    expect(firstSaid('', { yes: ['yes'] })).toBeNull();
  });

  it('one-word answers count only as the first word of the reply; longer phrases anywhere', () => {
    // The default no-list has a bare `no`: a reply that says "no" inside a sentence is no answer.
    expect(answer(['I have no idea how to test that, sorry.'])).toBeNull();
    expect(answer(['I guess yes, once I find the file'])).toBeNull();
    expect(answer(['Thanks! Nope, it still crashes'])?.answer).toBe('no');
    // At the start, after punctuation, markup or a mention: the answer.
    expect(answer(['**No.** The last row is still missing.'])?.answer).toBe('no');
    expect(answer(['@maria yep!'])?.answer).toBe('yes');
    expect(answer(['...yes, with the setting it exports every row'])?.answer).toBe('yes');
    expect(answer(['Nope'])?.answer).toBe('no');
    // Longer phrases count anywhere, as before.
    expect(answer(['Thanks for looking, and this solves it for me'])?.answer).toBe('yes');
    expect(answer(['I tried it on Monday: it does not solve the crash'])?.answer).toBe('no');
    expect(answer(['I have no idea why, but this solves it'])?.answer).toBe('yes');
  });
});

describe('proposalState and needsAsk', () => {
  const candidate = { url: 'https://github.com/octo/repo/issues/7#issuecomment-5', by: 'maria', at: '2024-01-02T10:00:00Z', snippet: true };
  const none = () => null;

  it('a new proposal is recorded with the time of the first; a later one replaces it and keeps that time', () => {
    const first = proposalState(undefined, candidate, none);
    expect(first).toEqual({ ...candidate, first: candidate.at });
    const answered = { ...first!, answer: 'no' as const, answeredAt: '2024-01-02T11:00:00Z', via: 'reply' as const };
    const second = proposalState(answered, { ...candidate, url: `${candidate.url}9`, by: 'gus', at: '2024-01-03T10:00:00Z', snippet: false }, none);
    expect(second).toEqual({ url: `${candidate.url}9`, by: 'gus', at: '2024-01-03T10:00:00Z', snippet: false, first: candidate.at });
  });

  it('an answer once recorded stays; a waiting proposal takes the answer found', () => {
    const answered = { ...candidate, first: candidate.at, answer: 'yes' as const, answeredAt: '2024-01-02T11:00:00Z', via: 'reaction' as const };
    expect(proposalState(answered, null, () => ({ answer: 'no', answeredAt: '2024-01-02T12:00:00Z', via: 'reply' }))).toEqual(answered);
    const waiting = { ...candidate, first: candidate.at };
    expect(proposalState(waiting, null, () => ({ answer: 'no', answeredAt: '2024-01-02T12:00:00Z', via: 'reply' }))?.answer).toBe('no');
  });

  it('the reporter is asked once per waiting proposal', () => {
    const waiting = { ...candidate, first: candidate.at };
    const ours = { byViewer: true, body: `Does it solve it?\n\n<!-- userloop:prioritize-proposal {"url":"${candidate.url}"} -->` };
    expect(needsAsk(waiting, 'alice', [])).toBe(true);
    expect(needsAsk(waiting, 'alice', [ours])).toBe(false);
    expect(needsAsk(waiting, 'alice', [{ ...ours, byViewer: false }])).toBe(true);
    expect(needsAsk({ ...waiting, answer: 'yes', answeredAt: candidate.at, via: 'reply' }, 'alice', [])).toBe(false);
    expect(needsAsk(waiting, null, [])).toBe(false);
    expect(needsAsk(undefined, 'alice', [])).toBe(false);
    expect(askedAbout(ours.body)).toBe(candidate.url);
  });

  it("the comment id comes from the proposal's URL", () => {
    expect(proposalCommentId(candidate.url)).toBe(5);
    expect(proposalCommentId('https://github.com/octo/repo/issues/7')).toBeNull();
  });
});

describe('evaluate with proposals', () => {
  const proposalComment = comment('maria', PROPOSAL, { id: 5, association: 'MEMBER', at: '2024-01-02T10:00:00Z' });
  const proposed = { url: proposalComment.url, by: 'maria', at: proposalComment.createdAt, snippet: true };
  const run = (over: { comments?: ReturnType<typeof comment>[]; reactions?: { login: string; content: string; at: string }[]; previous?: ReturnType<typeof lowMarker>; yaml?: string; proposed?: typeof proposed | null }) =>
    evaluate({
      read: makeRead({ comments: over.comments ?? [proposalComment] }),
      config: prioritizeConfig(over.yaml),
      bots: [],
      formFields: [],
      previous: over.previous ?? lowMarker(),
      event: { name: 'issue_comment', action: 'created' },
      now: NOW,
      proposal: { proposed: over.proposed === undefined ? proposed : over.proposed, reactions: over.reactions ?? [] },
    });

  it('a confirmed proposal goes into the marker, the reply changes and the reporter is to be asked', () => {
    const e = run({});
    expect(e.marker.proposal).toEqual({ ...proposed, first: proposed.at });
    expect(e.replyChanged).toBe(true);
    expect(e.proposal.ask).toBe(true);
    // The marker carries it through bounding and reads it back.
    expect(readPrioritizeMarker(renderPrioritizeMarker(e.marker))?.proposal).toEqual(e.marker.proposal);
  });

  it("the reporter's reply records the answer, and nobody is asked any more", () => {
    const previous = { ...lowMarker(), proposal: { ...proposed, first: proposed.at } };
    const e = run({ previous, proposed: null, comments: [proposalComment, comment('alice', 'Yes! It works now.', { id: 6, at: '2024-01-02T12:00:00Z' })] });
    expect(e.marker.proposal).toMatchObject({ answer: 'yes', answeredAt: '2024-01-02T12:00:00Z', via: 'reply' });
    expect(e.proposal.ask).toBe(false);
    expect(e.replyChanged).toBe(true);
  });

  it("the reporter's 👎 on the proposal records no", () => {
    const previous = { ...lowMarker(), proposal: { ...proposed, first: proposed.at } };
    const e = run({ previous, proposed: null, reactions: [{ login: 'alice', content: '-1', at: '2024-01-02T13:00:00Z' }] });
    expect(e.marker.proposal).toMatchObject({ answer: 'no', via: 'reaction' });
  });

  it('turned off: nothing new is recorded, what was recorded stays', () => {
    const off = 'prioritize:\n  proposals:\n    enabled: false\n';
    expect(run({ yaml: off }).marker.proposal).toBeUndefined();
    const previous = { ...lowMarker(), proposal: { ...proposed, first: proposed.at } };
    const e = run({ yaml: off, previous, proposed: null, reactions: [{ login: 'alice', content: '+1', at: '2024-01-02T13:00:00Z' }] });
    expect(e.marker.proposal).toEqual(previous.proposal);
    expect(e.proposal.ask).toBe(false);
    expect(e.replyChanged).toBe(false);
  });
});

describe('the question', () => {
  it('mentions the reporter once, links the proposal and its author without pinging them', () => {
    const text = renderProposalAsk({ by: 'maria', url: 'https://github.com/octo/repo/issues/7#issuecomment-5' }, { reporter: 'alice', template: config.proposals.ask, serverUrl: 'https://github.com' });
    expect(text).toBe(
      '@alice, [maria](https://github.com/maria) proposed a solution: [the proposal](https://github.com/octo/repo/issues/7#issuecomment-5). **Does it solve your problem?** Reply here with yes or no, or react 👍 or 👎 on the proposal.\n',
    );
    expect(text.match(/@/g)).toHaveLength(1);
  });
});
