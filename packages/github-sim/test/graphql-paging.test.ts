import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';

const OWNER = 'octo-org';
const REPO = 'paging-repo';

async function gql(sim: Sim, query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(sim.graphqlUrl, {
    method: 'POST',
    headers: { authorization: 'bearer test-token', 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data ?? {};
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { number: number }[];
}

const PAGE_QUERY = `query($after: String, $since: DateTime, $dir: OrderDirection!) {
  repository(owner: "${OWNER}", name: "${REPO}") {
    issues(first: 7, after: $after, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: $dir }) {
      totalCount pageInfo { hasNextPage endCursor } nodes { number }
    }
  }
}`;

async function allPages(sim: Sim, vars: Record<string, unknown> = {}): Promise<number[]> {
  const out: number[] = [];
  let after: string | null = null;
  for (;;) {
    const data = await gql(sim, PAGE_QUERY, { dir: 'ASC', ...vars, after });
    const page = (data['repository'] as { issues: Page }).issues;
    out.push(...page.nodes.map((n) => n.number));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

let sim: Sim;

beforeAll(async () => {
  sim = await startSim();
  const repo = sim.store.createRepo({ owner: { login: OWNER, type: 'Organization' }, name: REPO });
  for (let n = 1; n <= 30; n++) {
    // updated_at runs backwards from the number, so UPDATED_AT order is not store order
    sim.store.createIssue(repo, { title: `Issue ${n}`, user: 'octocat', created_at: '2024-01-01T00:00:00Z', updated_at: `2024-02-${String(31 - n).padStart(2, '0')}T00:00:00Z` });
  }
  sim.store.createPull(repo, { title: 'Fix 3', user: 'octocat', closing_issues: [3] });
  sim.store.createPull(repo, { title: 'Also fixes 3 and 4', user: 'octocat', closing_issues: [3, 4, 3] });
  sim.store.createPull(repo, { title: 'Abandoned fix for 4', user: 'octocat', closing_issues: [4], state: 'closed' });
});

afterAll(async () => {
  await sim?.stop();
});

describe('graphql: issue pages over a changing store', () => {
  it('pages through every issue once, in UPDATED_AT order, both directions', async () => {
    const asc = await allPages(sim);
    expect(asc).toEqual(Array.from({ length: 30 }, (_, k) => 30 - k));
    expect(await allPages(sim, { dir: 'DESC' })).toEqual([...asc].reverse());
  });

  it('sees writes between two queries with the same arguments (API and direct store writes)', async () => {
    const first = await allPages(sim);
    expect(first[0]).toBe(30);
    // through the store API: a comment bumps updated_at of issue 30 to the store clock (later than all)
    sim.store.now = new Date('2024-03-01T00:00:00Z');
    sim.store.createComment(`${OWNER}/${REPO}`, 30, { body: 'bump', user: 'octocat' });
    const second = await allPages(sim);
    expect(second.at(-1)).toBe(30);
    expect(second[0]).toBe(29);
    // a direct write (as tests and snapshots do), no store method involved
    sim.store.issue(`${OWNER}/${REPO}`, 1)!.updated_at = '2023-01-01T00:00:00Z';
    const third = await allPages(sim);
    expect(third[0]).toBe(1);
    expect(third).toHaveLength(30);
    // and a filter that takes issues out: since excludes everything before March
    expect(await allPages(sim, { since: '2024-03-01T00:00:00Z' })).toEqual([30]);
  });

  it('resolves closedByPullRequestsReferences for every issue of a page (open PRs, unless includeClosedPrs)', async () => {
    const data = await gql(
      sim,
      `{ repository(owner: "${OWNER}", name: "${REPO}") {
          a: issue(number: 3) { closedByPullRequestsReferences(first: 10) { totalCount nodes { title } } }
          b: issue(number: 4) { closedByPullRequestsReferences(first: 10) { totalCount nodes { title } } }
          c: issue(number: 4) { all: closedByPullRequestsReferences(first: 10, includeClosedPrs: true) { totalCount nodes { title } } }
          d: issue(number: 5) { closedByPullRequestsReferences(first: 10) { totalCount } }
      } }`,
    );
    const repo = data['repository'] as Record<string, Record<string, { totalCount: number; nodes?: { title: string }[] }>>;
    expect(repo['a']?.['closedByPullRequestsReferences']).toEqual({ totalCount: 2, nodes: [{ title: 'Fix 3' }, { title: 'Also fixes 3 and 4' }] });
    expect(repo['b']?.['closedByPullRequestsReferences']).toEqual({ totalCount: 1, nodes: [{ title: 'Also fixes 3 and 4' }] });
    expect(repo['c']?.['all']?.totalCount).toBe(2);
    expect(repo['d']?.['closedByPullRequestsReferences']).toEqual({ totalCount: 0 });
  });
});

describe('cursors of an ordered connection name an item, as GitHub\'s do', () => {
  it('an item updated after its page was read moves to the end without moving any other across the cursor', async () => {
    const first = (await gql(sim, PAGE_QUERY, { dir: 'ASC', after: null }))['repository'] as { issues: Page };
    const read = first.issues.nodes.map((n) => n.number);
    // One of the page's issues changes now: in UPDATED_AT order it goes last.
    sim.store.now = new Date('2030-01-01T00:00:00Z');
    sim.store.createComment(`${OWNER}/${REPO}`, read[2]!, { body: 'moved', user: 'octocat', created_at: '2030-01-01T00:00:00Z' });
    const rest: number[] = [];
    let after: string | null = first.issues.pageInfo.endCursor;
    for (;;) {
      const page = ((await gql(sim, PAGE_QUERY, { dir: 'ASC', after }))['repository'] as { issues: Page }).issues;
      rest.push(...page.nodes.map((n) => n.number));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Every issue not on the first page comes once, and the moved one again at the end.
    const all = (await allPages(sim)).filter((n) => !read.includes(n) || n === read[2]);
    expect(rest).toEqual(all);
    expect(rest.at(-1)).toBe(read[2]);
    expect(new Set([...read, ...rest]).size).toBe(30);
  });

  it('a cursor of another kind of connection is refused as GitHub refuses a bad cursor', async () => {
    const res = await fetch(sim.graphqlUrl, {
      method: 'POST',
      headers: { authorization: 'bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ query: PAGE_QUERY, variables: { dir: 'ASC', after: Buffer.from('cursor:v2:3').toString('base64') } }),
    });
    const body = (await res.json()) as { errors?: { type?: string }[] };
    expect(body.errors?.[0]?.type).toBe('INVALID_CURSOR_ARGUMENTS');
  });
});
