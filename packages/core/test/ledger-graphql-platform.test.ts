// What GitHub's platform adds to the ledger read: 👍 beyond the fragment's first 100 (readMoreReactions), nodes
// a token may not read (graphqlAllowing FORBIDDEN: partial data), and the issue a duplicate
// points at (duplicateOf). Through the emulator's GraphQL endpoint.
import type { Sim } from '@userloop/github-sim';
import { describe, expect, it } from 'vitest';
import {
  createOctokit,
  graphqlAllowing,
  LEDGER_ISSUE_FRAGMENT,
  ledgerFactsFromGraphql,
  readMoreReactions,
  type GraphqlClient,
  type LedgerIssueNode,
} from '../src/index.ts';
import { eachTestWithSim } from './each-sim.ts';

const FULL = 'acme/private';
let sim: Sim;

eachTestWithSim((s) => {
  sim = s;
  sim.store.createRepo({ owner: 'acme', name: 'private', private: true });
});

const QUERY = `query ($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { issue(number: $number) { ...UserloopLedgerIssue } } } ${LEDGER_ISSUE_FRAGMENT}`;
const client = (token = 'test-token') => createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0 });
type Data = { repository: { issue: LedgerIssueNode | null } | null };

describe('readMoreReactions', () => {
  it('names every 👍 past the first 100, one query per 100, and none when all were read', async () => {
    const issue = sim.store.createIssue(FULL, { title: 'Export', user: 'alice' });
    for (let i = 0; i < 250; i++) sim.store.addReaction(FULL, { issue: issue.number }, `fan${i}`, '+1');
    const octokit = client();
    const graphql = octokit.graphql as unknown as GraphqlClient;
    const data = await octokit.graphql<Data>(QUERY, { owner: 'acme', name: 'private', number: issue.number });
    const node = data.repository!.issue!;
    expect(ledgerFactsFromGraphql(node, { home: FULL }).reactions).toHaveLength(100);
    expect(ledgerFactsFromGraphql(node, { home: FULL }).thumbsUp).toBe(250);
    sim.resetCounters();
    const more = await readMoreReactions(graphql, { owner: 'acme', repo: 'private', node });
    expect(more.queries).toBe(2);
    expect(more.complete).toBe(true);
    expect(sim.counters.graphqlQueries).toBe(2);
    const logins = new Set(ledgerFactsFromGraphql(more.node, { home: FULL }).reactions.map((r) => r.user?.login));
    expect(logins.size).toBe(250);

    const capped = await readMoreReactions(graphql, { owner: 'acme', repo: 'private', node, maxPages: 1 });
    expect(capped.complete).toBe(false);
    expect(ledgerFactsFromGraphql(capped.node, { home: FULL }).reactions).toHaveLength(200);

    sim.resetCounters();
    const again = await readMoreReactions(graphql, { owner: 'acme', repo: 'private', node: more.node });
    expect(again.queries).toBe(0);
    expect(sim.counters.graphqlQueries).toBe(0);
  });
});

describe('comment ids', () => {
  it('past 2^31, as GitHub\'s are (GraphQL\'s 32-bit databaseId cannot answer them): read as REST ids', async () => {
    const issue = sim.store.createIssue(FULL, { title: 'Export', user: 'alice' });
    sim.store.nextId = Math.max(sim.store.nextId, 2 ** 31 + 7);
    const comment = sim.store.createComment(FULL, issue.number, { body: 'Me too', user: 'bob' });
    const data = await client().graphql<Data>(QUERY, { owner: 'acme', name: 'private', number: issue.number });
    const facts = ledgerFactsFromGraphql(data.repository!.issue!, { home: FULL });
    expect(comment.id).toBeGreaterThan(2 ** 31);
    expect(facts.comments.map((c) => c.id)).toEqual([comment.id]);
  });
});

describe('graphqlAllowing', () => {
  it('a pull request node the token may not read: the partial data and the refused paths, no throw', async () => {
    sim.store.addToken('run-token', 'github-actions[bot]', { issues: 'write', contents: 'read' }, { kind: 'github-token', repository: FULL });
    const issue = sim.store.createIssue(FULL, { title: 'Export', user: 'alice' });
    const pr = sim.store.createPull(FULL, { title: 'Fix export', user: 'bob' });
    sim.store.crossReference(FULL, issue.number, pr.number, 'bob');
    const other = sim.store.createIssue(FULL, { title: 'Related', user: 'carol' });
    sim.store.crossReference(FULL, issue.number, other.number, 'carol');
    const graphql = client('run-token').graphql as unknown as GraphqlClient;
    await expect(graphql(QUERY, { owner: 'acme', name: 'private', number: issue.number })).rejects.toThrow();
    const { data, tolerated: forbidden } = await graphqlAllowing<Data>(graphql, QUERY, { owner: 'acme', name: 'private', number: issue.number }, ['FORBIDDEN']);
    expect(forbidden).toHaveLength(1);
    expect(forbidden[0]).toMatch(/^repository\.issue\.timelineItems\.nodes\.\d+/);
    const facts = ledgerFactsFromGraphql(data.repository!.issue!, { home: FULL });
    expect(facts.crossReferences.map((x) => x.number)).toEqual([other.number]);
  });

  it('any other error is thrown as it was; NOT_FOUND only when asked for', async () => {
    const graphql = client().graphql as unknown as GraphqlClient;
    await expect(graphqlAllowing(graphql, 'query { repository(owner: "acme", name: "private") { nope } }', {}, ['FORBIDDEN'])).rejects.toThrow(/nope/);
    await expect(graphqlAllowing(graphql, QUERY, { owner: 'acme', name: 'private', number: 99 }, ['FORBIDDEN'])).rejects.toThrow();
    const missing = await graphqlAllowing<Data>(graphql, QUERY, { owner: 'acme', name: 'private', number: 99 }, ['NOT_FOUND']);
    expect(missing.data.repository?.issue).toBeNull();
    expect(missing.tolerated).toEqual(['repository.issue']);
  });
});

describe('duplicateOf', () => {
  it('the original a duplicate was marked as, undone by unmarking', () => {
    const ref = (number: number) => ({ __typename: 'Issue', number, url: `https://github.com/${FULL}/issues/${number}`, repository: { nameWithOwner: FULL } });
    const node = (types: string[]): LedgerIssueNode => ({
      number: 7,
      url: `https://github.com/${FULL}/issues/7`,
      body: '',
      createdAt: '2024-01-01T00:00:00Z',
      author: { login: 'bob' },
      reactions: null,
      firstComments: null,
      lastComments: null,
      timelineItems: { nodes: types.map((t, i) => ({ __typename: t, createdAt: `2024-01-0${i + 2}T00:00:00Z`, canonical: ref(6), duplicate: ref(7) })) },
    });
    expect(ledgerFactsFromGraphql(node(['MarkedAsDuplicateEvent']), { home: FULL }).duplicateOf?.number).toBe(6);
    expect(ledgerFactsFromGraphql(node(['MarkedAsDuplicateEvent', 'UnmarkedAsDuplicateEvent']), { home: FULL }).duplicateOf).toBeNull();
    // Marking this issue a duplicate adds nobody to its own ledger.
    expect(ledgerFactsFromGraphql(node(['MarkedAsDuplicateEvent']), { home: FULL }).duplicates).toEqual([]);
  });
});
