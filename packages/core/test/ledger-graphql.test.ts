// The shared ledger fragment and ledgerFactsFromGraphql: read through the emulator's GraphQL endpoint (so the
// fragment is checked against GitHub's schema), and on hand-made nodes for the timeline cases. Also the one
// phrase matcher (saysPhrase) and its negation list, shared by prioritize and the "me too" comments.
import { startSim, type Sim } from '@userloop/github-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLedger,
  createOctokit,
  isWantComment,
  LEDGER_ISSUE_FRAGMENT,
  ledgerFactsFromGraphql,
  NEGATION_WORDS,
  saysPhrase,
  type LedgerIssueNode,
} from '../src/index.ts';

const FULL = 'octo-org/octo-repo';
const URL1 = `https://github.com/${FULL}/issues/1`;
let sim: Sim;

beforeAll(async () => {
  sim = await startSim();
  const s = sim.store;
  s.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'octo-repo' });
  s.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'other' });
  s.createLabel(FULL, { name: 'priority: low' });
  s.createIssue(FULL, { title: 'Export drops a row', body: 'See https://forum.example.com/t/1', user: 'alice' }); // #1
  s.createComment(FULL, 1, { body: 'Thanks!\n\n<!-- userloop:prioritize {} -->', user: 'github-actions[bot]' });
  s.createComment(FULL, 1, { body: '+1', user: 'bob' });
  s.createComment(FULL, 1, { body: 'Please do not post +1 comments.', user: 'carol' });
  for (let i = 0; i < 120; i++) s.createComment(FULL, 1, { body: `note ${i}`, user: 'dave' });
  s.createComment(FULL, 1, { body: 'same here', user: 'erin' });
  s.addReaction(FULL, { issue: 1 }, 'zoe', '+1');
  s.addLabels(FULL, 1, ['priority: low'], 'maintainer');
  const dup = s.createIssue(FULL, { title: 'Same export problem', user: 'wendy' }); // #2
  s.markDuplicate(FULL, dup.number, 1, 'maintainer');
  const elsewhere = s.createIssue('octo-org/other', { title: 'Related', user: 'yann' });
  s.crossReference(FULL, 1, { repository: 'octo-org/other', number: elsewhere.number }, 'yann');
  const pr = s.createPull(FULL, { title: 'fix: export', user: 'dave', files: [{ filename: 'a.ts' }] }); // #3
  s.crossReference(FULL, 1, pr.number, 'dave');
});
afterAll(async () => {
  await sim.stop();
});

async function readIssue(number: number): Promise<{ viewer: string; node: LedgerIssueNode; home: string }> {
  const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 } });
  const data = await octokit.graphql<{ viewer: { login: string }; repository: { nameWithOwner: string; issue: LedgerIssueNode } }>(
    `query Read($owner: String!, $name: String!, $number: Int!) {
      viewer { login }
      repository(owner: $owner, name: $name) { nameWithOwner issue(number: $number) { ...UserloopLedgerIssue } }
    }
    ${LEDGER_ISSUE_FRAGMENT}`,
    { owner: 'octo-org', name: 'octo-repo', number },
  );
  return { viewer: data.viewer.login, node: data.repository.issue, home: data.repository.nameWithOwner };
}

describe('ledgerFactsFromGraphql through the emulator', () => {
  it('reads comments (first and last 100, each once), reactions, duplicates, cross-references and label events', async () => {
    const { viewer, node, home } = await readIssue(1);
    const facts = ledgerFactsFromGraphql(node, { home, viewerLogin: viewer });
    expect(facts.issue).toMatchObject({ number: 1, url: URL1, author: { login: 'alice', type: 'User' }, body: 'See https://forum.example.com/t/1' });
    expect(facts.comments).toHaveLength(124);
    expect(new Set(facts.comments.map((c) => c.id)).size).toBe(124);
    expect(facts.commentsTruncated).toBe(false);
    expect(facts.comments.filter((c) => c.byViewer).map((c) => c.author?.login)).toEqual(['github-actions']);
    expect(facts.comments.at(-1)).toMatchObject({ body: 'same here', author: { login: 'erin' }, authorAssociation: 'NONE' });
    expect(facts.reactions).toEqual([{ user: { login: 'zoe', type: 'User' }, content: 'THUMBS_UP', createdAt: expect.any(String) }]);
    expect(facts.duplicates.map((d) => [d.number, d.author?.login])).toEqual([[2, 'wendy']]);
    expect(facts.crossReferences).toEqual([
      { url: 'https://github.com/octo-org/other/issues/1', number: 1, repository: 'octo-org/other' },
      { url: `https://github.com/${FULL}/pull/3`, number: 3, isPullRequest: true },
    ]);
    expect(facts.labelEvents).toEqual([{ action: 'labeled', label: 'priority: low', actor: { login: 'maintainer', type: 'User' }, at: expect.any(String) }]);

    const ledger = buildLedger(facts, { communityHosts: ['forum.example.com'] });
    // All at the emulator's one instant: in the order comments, reactions, duplicates.
    expect(ledger.requesters.map((r) => [r.login, r.via])).toEqual([
      ['alice', 'author'],
      ['bob', 'comment'],
      ['erin', 'comment'],
      ['zoe', 'reaction'],
      ['wendy', 'duplicate'],
    ]);
    expect(ledger.places.map((p) => p.kind)).toEqual(['issue', 'duplicate', 'cross-reference', 'community']);
  });

  it('without viewerLogin, only viewerDidAuthor marks the viewer\'s comments', async () => {
    const { node, home } = await readIssue(1);
    node.firstComments?.nodes?.forEach((c) => {
      if (c) c.viewerDidAuthor = false;
    });
    expect(ledgerFactsFromGraphql(node, { home }).comments.some((c) => c.byViewer)).toBe(false);
    const { node: again } = await readIssue(1);
    expect(ledgerFactsFromGraphql(again, { home }).comments.filter((c) => c.byViewer)).toHaveLength(1);
  });
});

describe('ledgerFactsFromGraphql on timeline events', () => {
  const ref = (number: number, login: string, repository = 'o/r') => ({
    __typename: 'Issue',
    number,
    url: `https://github.com/${repository}/issues/${number}`,
    createdAt: '2024-01-01T00:00:00Z',
    author: { __typename: 'User', login },
    repository: { nameWithOwner: repository },
  });
  const node = (items: unknown[]): LedgerIssueNode => ({
    number: 5,
    url: 'https://github.com/o/r/issues/5',
    body: null,
    createdAt: '2024-01-01T00:00:00Z',
    author: { __typename: 'User', login: 'alice' },
    reactions: null,
    firstComments: { totalCount: 0, nodes: [] },
    lastComments: null,
    timelineItems: { nodes: items as LedgerIssueNode['timelineItems'] extends { nodes: infer N } | null ? N : never },
  });

  it('a duplicate marked then unmarked is gone; this issue marked a duplicate of another adds nobody', () => {
    const facts = ledgerFactsFromGraphql(
      node([
        { __typename: 'UnmarkedAsDuplicateEvent', createdAt: '2024-01-03T00:00:00Z', canonical: ref(5, 'alice'), duplicate: ref(6, 'bob') },
        { __typename: 'MarkedAsDuplicateEvent', createdAt: '2024-01-02T00:00:00Z', canonical: ref(5, 'alice'), duplicate: ref(6, 'bob') },
        { __typename: 'MarkedAsDuplicateEvent', createdAt: '2024-01-02T00:00:00Z', canonical: ref(5, 'alice'), duplicate: ref(7, 'carol', 'x/y') },
        { __typename: 'MarkedAsDuplicateEvent', createdAt: '2024-01-02T00:00:00Z', canonical: ref(9, 'dan'), duplicate: ref(5, 'alice') },
        null,
      ]),
      { home: 'O/R' },
    );
    expect(facts.duplicates).toEqual([{ number: 7, url: 'https://github.com/x/y/issues/7', author: { login: 'carol', type: 'User' }, createdAt: '2024-01-01T00:00:00Z', repository: 'x/y' }]);
  });
});

describe('saysPhrase: the one phrase matcher', () => {
  it.each([
    ['This blocks me', true],
    ['This does not block me. It blocks me.', true],
    ["It doesn't blocks me", false],
    ['Ce ne blocks me pas', true],
    ['nicht blocks me', false],
    ['> this blocks me', false],
    ['`blocks me`', false],
    ['unblocks meanwhile', false],
    [null, false],
  ])('saysPhrase(%j) = %s', (text, expected) => {
    expect(saysPhrase(text, ['blocks me'])).toBe(expected);
  });

  it('one negation list: every word negates both saysPhrase and isWantComment', () => {
    for (const word of NEGATION_WORDS) {
      expect(saysPhrase(`it ${word} blocks me`, ['blocks me']), word).toBe(false);
      expect(isWantComment(`${word} +1`), word).toBe(false);
    }
    // Words that used to negate only one of the two.
    expect(isWantComment("this isn't the same problem")).toBe(false);
    expect(saysPhrase('use reactions instead of blocks me', ['blocks me'])).toBe(false);
  });

  it('negation reaches three words back in the same sentence only', () => {
    expect(saysPhrase('It does not work at all. blocks me', ['blocks me'])).toBe(true);
    expect(isWantComment('It does not work for me. +1')).toBe(true);
    expect(isWantComment('Please do not post +1 comments')).toBe(false);
  });
});
