// Deleted and transferred issues as store states: 410 Gone and 301 Moved Permanently on every REST route
// under the issue, NOT_FOUND in GraphQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

let sim: Sim;
const R = '/repos/octo-org/octo-repo';

beforeEach(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: 'octo-org', name: 'octo-repo' });
  sim.store.createRepo({ owner: 'octo-org', name: 'other-repo' });
  sim.store.createIssue('octo-org/octo-repo', { title: 'keep' });
  sim.store.createIssue('octo-org/octo-repo', { title: 'to go', user: 'alice' });
  sim.store.createComment('octo-org/octo-repo', 2, { body: '+1', user: 'bob' });
});
afterEach(async () => {
  sim.assertClean();
  await sim.stop();
});

const graphqlIssue = async (repo: string, n: number) => {
  const query = `{ repository(owner: "octo-org", name: "${repo}") { issue(number: ${n}) { title } } }`;
  const r = await fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer test-token' }, body: JSON.stringify({ query }) });
  return (await r.json()) as { data: { repository: { issue: { title: string } | null } }; errors?: Array<{ type: string }> };
};

describe('deleted issue', () => {
  it('answers 410 on every route under it, reads and writes alike; the write is not applied', async () => {
    sim.store.deleteIssue('octo-org/octo-repo', 2);
    expect(sim.store.issue('octo-org/octo-repo', 2)).toBeUndefined();
    for (const [method, path, body] of [
      ['GET', `${R}/issues/2`, undefined],
      ['GET', `${R}/issues/2/comments`, undefined],
      ['POST', `${R}/issues/2/comments`, { body: 'hello' }],
      ['POST', `${R}/issues/2/labels`, { labels: ['x'] }],
      ['PATCH', `${R}/issues/2`, { body: 'x' }],
    ] as const) {
      const r = await api(sim, method, path, body);
      expect([method, path, r.status]).toEqual([method, path, 410]);
    }
    expect((await api(sim, 'GET', `${R}/issues/1`)).status).toBe(200);
    const g = await graphqlIssue('octo-repo', 2);
    expect(g.data.repository.issue).toBeNull();
    expect(g.errors?.[0]?.type).toBe('NOT_FOUND');
  });
});

describe('transferred issue', () => {
  it('moves the issue and its comments; the old routes answer 301 with a location on the new issue', async () => {
    const moved = sim.store.transferIssue('octo-org/octo-repo', 2, 'octo-org/other-repo');
    expect(moved).toMatchObject({ number: 1, title: 'to go', user: 'alice' });
    expect(sim.store.commentsOf('octo-org/other-repo', moved.number).map((c) => [c.user, c.body])).toEqual([['bob', '+1']]);
    expect(sim.store.issue('octo-org/octo-repo', 2)).toBeUndefined();

    const res = await fetch(`${sim.url}${R}/issues/2/comments?per_page=10`, { method: 'POST', redirect: 'manual', headers: { authorization: 'token test-token', 'content-type': 'application/json' }, body: JSON.stringify({ body: 'hi' }) });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`${sim.url}/repos/octo-org/other-repo/issues/1/comments?per_page=10`);
    expect(sim.store.commentsOf('octo-org/other-repo', 1)).toHaveLength(1);

    // A GET follows the redirect to the new issue, as GitHub clients do.
    const followed = await api(sim, 'GET', `${R}/issues/2`);
    expect(followed.status).toBe(200);
    expect((followed.json as { title: string; repository_url: string }).repository_url).toMatch(/\/repos\/octo-org\/other-repo$/);
    expect((await graphqlIssue('octo-repo', 2)).data.repository.issue).toBeNull();
    expect((await graphqlIssue('other-repo', 1)).data.repository.issue).toEqual({ title: 'to go' });
  });
});
