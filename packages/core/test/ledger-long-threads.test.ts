// The ledger on long threads and bot reactions, through the emulator's GraphQL endpoint: readMiddleComments
// reads what the fragment's first and last 100 comments skip, one query per 100; a GitHub App's 👍 (which
// GitHub's schema can only type `User`) never makes the bot a requester.
import type { Sim } from '@userloop/github-sim';
import { describe, expect, it } from 'vitest';
import {
  buildLedger,
  createOctokit,
  isBotNodeId,
  LEDGER_ISSUE_FRAGMENT,
  ledgerFactsFromGraphql,
  ledgerOptionsFromConfig,
  prioritizeSection,
  readMiddleComments,
  type GraphqlClient,
  type LedgerIssueNode,
} from '../src/index.ts';
import { eachTestWithSim } from './each-sim.ts';

const FULL = 'octo-org/octo-repo';
let sim: Sim;

eachTestWithSim((s) => {
  sim = s;
  sim.store.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'octo-repo' });
});

function client(): GraphqlClient {
  const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 } });
  return octokit.graphql as unknown as GraphqlClient;
}

async function readIssue(number: number): Promise<LedgerIssueNode> {
  const data = await client()<{ repository: { issue: LedgerIssueNode } }>(
    `query Read($owner: String!, $name: String!, $number: Int!) {
      repository(owner: $owner, name: $name) { issue(number: $number) { ...UserloopLedgerIssue } }
    }
    ${LEDGER_ISSUE_FRAGMENT}`,
    { owner: 'octo-org', name: 'octo-repo', number },
  );
  return data.repository.issue;
}

/** An issue by alice with `total` comments; comments at the given positions (0-based) say "+1", by `fan<i>`. */
function longThread(total: number, plusOnes: readonly number[]): number {
  const s = sim.store;
  const { number } = s.createIssue(FULL, { title: 'Export to CSV', user: 'alice' });
  const fans = new Set(plusOnes);
  for (let i = 0; i < total; i++) {
    s.createComment(FULL, number, fans.has(i) ? { body: '+1', user: `fan${i}` } : { body: `A long technical note number ${i} about the CSV export internals.`, user: 'dev' });
  }
  return number;
}

const pagesRead = () => sim.requests.filter((r) => JSON.stringify(r.body ?? '').includes('UserloopLedgerComments')).length;

describe('readMiddleComments', () => {
  it('350 comments, "+1"s in the middle: the fragment misses them; the middle read adds them in ceil(150/100) = 2 queries', async () => {
    const middle = [120, 150, 199, 220, 249];
    const number = longThread(350, [5, ...middle, 300]);
    const node = await readIssue(number);
    const before = ledgerFactsFromGraphql(node, { home: FULL });
    expect(before.commentsTruncated).toBe(true);
    expect(before.comments).toHaveLength(200);
    expect(buildLedger(before).requesters.map((r) => r.login)).toEqual(['alice', 'fan5', 'fan300']);

    sim.resetCounters();
    const more = await readMiddleComments(client(), { owner: 'octo-org', repo: 'octo-repo', node });
    expect(more.queries).toBe(2);
    expect(sim.counters.graphqlQueries).toBe(2);
    expect(pagesRead()).toBe(2);
    const facts = ledgerFactsFromGraphql(more.node, { home: FULL });
    expect(facts.commentsTruncated).toBe(false);
    expect(facts.comments).toHaveLength(350);
    expect(new Set(facts.comments.map((c) => c.id)).size).toBe(350);
    // In thread order.
    const ids = facts.comments.map((c) => c.id ?? 0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(buildLedger(facts).requesters.map((r) => r.login)).toEqual(['alice', 'fan5', ...middle.map((i) => `fan${i}`), 'fan300']);
  });

  it('costs one query per 100 missing comments, none when nothing is missing', async () => {
    for (const [total, queries] of [
      [200, 0],
      [201, 1],
      [300, 1],
      [301, 2],
      [650, 5],
    ] as const) {
      const number = longThread(total, []);
      const node = await readIssue(number);
      sim.resetCounters();
      const more = await readMiddleComments(client(), { owner: 'octo-org', repo: 'octo-repo', node });
      expect([total, more.queries]).toEqual([total, queries]);
      expect(sim.counters.graphqlQueries).toBe(queries);
      expect(ledgerFactsFromGraphql(more.node, { home: FULL }).comments).toHaveLength(total);
    }
  });
});

describe('bot reactions', () => {
  it('GitHub types Reaction.user as User: a GitHub App 👍 comes back as a User named without [bot]; the ledger still leaves it out', async () => {
    const s = sim.store;
    const { number } = s.createIssue(FULL, { title: 'Dark mode', user: 'alice' });
    s.addUser({ login: 'deploy-robot', type: 'User' }); // a machine user: an ordinary account run by a script
    s.addReaction(FULL, { issue: number }, 'renovate[bot]', '+1');
    s.addReaction(FULL, { issue: number }, 'deploy-robot', '+1');
    s.addReaction(FULL, { issue: number }, 'bob', '+1');
    const node = await readIssue(number);
    const raw = node.reactions?.nodes?.map((r) => r?.user);
    expect(raw?.[0]).toEqual({ __typename: 'User', login: 'renovate', id: expect.stringMatching(/^BOT_/) });

    const facts = ledgerFactsFromGraphql(node, { home: FULL });
    expect(facts.reactions.map((r) => r.user)).toEqual([
      { login: 'renovate', type: 'Bot' },
      { login: 'deploy-robot', type: 'User' },
      { login: 'bob', type: 'User' },
    ]);
    expect(buildLedger(facts).requesters.map((r) => r.login)).toEqual(['alice', 'deploy-robot', 'bob']);
    // The machine user is a bot only by the config's `bots` list.
    const options = ledgerOptionsFromConfig({ bots: ['deploy-robot'], prioritize: prioritizeSection.parse({}) });
    expect(buildLedger(facts, options).requesters.map((r) => r.login)).toEqual(['alice', 'bob']);
  });

  it.each([
    ['BOT_kgDOBzJ2Bw', true],
    ['MDM6Qm90NDE4OTgyODI=', true], // legacy id of github-actions[bot]: "03:Bot41898282"
    ['MDQ6VXNlcjU4MzIzMQ==', false], // "04:User583231"
    ['U_kgDOBzJ2Bw', false],
    ['MDEyOk9yZ2FuaXphdGlvbjk5MTk=', false], // "012:Organization9919"
    ['', false],
    [null, false],
  ])('isBotNodeId(%j) = %s', (id, expected) => {
    expect(isBotNodeId(id)).toBe(expected);
  });
});
