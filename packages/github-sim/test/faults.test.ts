import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

let sim: Sim;
const R = '/repos/octo-org/octo-repo';
const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';

beforeAll(async () => {
  sim = await startSim({ contentLimit: true });
  const repo = sim.store.createRepo({ owner: 'octo-org', name: 'octo-repo' });
  sim.store.createIssue(repo, { title: 'x' });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => sim.faults.clear());

describe('faults', () => {
  it.each([500, 502, 404, 410, 422] as const)('status %i on the matching route, `times` times, then normal again', async (status) => {
    const f = sim.faults.add({ method: 'POST', route: COMMENTS, status, times: 2 });
    expect((await api(sim, 'GET', `${R}/issues/1`)).status).toBe(200);
    const a = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'a' });
    const b = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'b' });
    expect([a.status, b.status]).toEqual([status, status]);
    expect(a.json.status).toBe(String(status));
    expect((await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'c' })).status).toBe(201);
    expect(f.hits).toBe(2);
  });

  it('secondary rate limit: 403 with retry-after and GitHub\'s message', async () => {
    sim.faults.add({ route: /\/comments$/, kind: 'secondary-rate-limit', retryAfter: 7 });
    const r = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'a' });
    expect(r.status).toBe(403);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json.message).toMatch(/^You have exceeded a secondary rate limit/);
  });

  it('429 with retry-after', async () => {
    sim.faults.add({ status: 429, retryAfter: 3 });
    const r = await api(sim, 'GET', `${R}/issues/1`);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
  });

  it('exhausted primary limit: 403, x-ratelimit-remaining 0 and a reset time', async () => {
    sim.faults.add({ kind: 'primary-rate-limit', retryAfter: 30 });
    const r = await api(sim, 'GET', `${R}/issues/1`);
    expect(r.status).toBe(403);
    expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 29);
    expect(r.json.message).toMatch(/API rate limit exceeded/);
  });

  it('locked: 403 "Unable to create comment because issue is locked."', async () => {
    sim.faults.add({ kind: 'locked', route: COMMENTS });
    const r = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'a' });
    expect(r.status).toBe(403);
    expect(r.json.message).toBe('Unable to create comment because issue is locked.');
  });

  it('drop: the connection is destroyed without a response', async () => {
    sim.faults.add({ kind: 'drop', route: '/repos/{owner}/{repo}/issues/{issue_number}' });
    await expect(fetch(`${sim.url}${R}/issues/1`, { headers: { authorization: 'token test-token' } })).rejects.toThrow();
    expect((await api(sim, 'GET', `${R}/issues/1`)).status).toBe(200);
  });

  it('drop-after-write: the write is applied, then the connection is destroyed without a response', async () => {
    const before = sim.store.commentsOf('octo-org/octo-repo', 1).length;
    const f = sim.faults.add({ kind: 'drop-after-write', method: 'POST', route: COMMENTS });
    await expect(api(sim, 'POST', `${R}/issues/1/comments`, { body: 'saved, answer lost' })).rejects.toThrow();
    expect(f.hits).toBe(1);
    const after = sim.store.commentsOf('octo-org/octo-repo', 1);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.body).toBe('saved, answer lost');
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', status: -1 });
    // once: the next write answers normally
    expect((await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'next' })).status).toBe(201);
  });

  it('drop-after-write on /graphql: the mutation is applied, the answer lost', async () => {
    const issue = sim.store.issue('octo-org/octo-repo', 1)!;
    const before = sim.store.commentsOf('octo-org/octo-repo', 1).length;
    sim.faults.add({ route: '/graphql', kind: 'drop-after-write' });
    const query = `mutation { addComment(input: { subjectId: "${issue.node_id}", body: "via graphql" }) { commentEdge { node { id } } } }`;
    await expect(fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer test-token' }, body: JSON.stringify({ query }) })).rejects.toThrow();
    expect(sim.store.commentsOf('octo-org/octo-repo', 1)).toHaveLength(before + 1);
  });

  it('GraphQL can be faulted on route /graphql', async () => {
    sim.faults.add({ route: '/graphql', status: 502 });
    const r = await fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer test-token' }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(r.status).toBe(502);
  });

  it('graphql-partial: HTTP 200, the data with one field nulled and an error naming its path, once', async () => {
    const query = '{ viewer { login } repository(owner: "octo-org", name: "octo-repo") { issue(number: 1) { title } } }';
    const post = () => fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer test-token' }, body: JSON.stringify({ query }) });
    const f = sim.faults.add({ route: '/graphql', kind: 'graphql-partial', path: ['repository', 'issue'] });
    const r = await post();
    expect(r.status).toBe(200);
    const body = (await r.json()) as { data: unknown; errors: Array<{ type: string; path: string[]; message: string }> };
    expect(body.data).toEqual({ viewer: { login: 'github-actions[bot]' }, repository: { issue: null } });
    expect(body.errors).toEqual([expect.objectContaining({ type: 'INTERNAL', path: ['repository', 'issue'], message: expect.stringMatching(/^Something went wrong/) })]);
    expect(f.hits).toBe(1);
    expect(await post().then((x) => x.json())).toEqual({ data: { viewer: { login: 'github-actions[bot]' }, repository: { issue: { title: 'x' } } } });

    sim.faults.add({ route: '/graphql', kind: 'graphql-partial' });
    const first = (await post().then((x) => x.json())) as { data: unknown; errors: Array<{ path: string[] }> };
    expect(first.data).toEqual({ viewer: null, repository: { issue: { title: 'x' } } });
    expect(first.errors[0]?.path).toEqual(['viewer']);
  });
});

describe('content-creation limit', () => {
  it('the 81st content-creating request within a minute of sim clock gets a secondary rate limit', async () => {
    let last = 0;
    for (let i = 0; i < 81; i++) last = (await api(sim, 'POST', `${R}/issues/1/comments`, { body: `n${i}` })).status;
    // earlier tests in this file already created some comments in this same sim minute
    expect(last).toBe(403);
    sim.store.advance(61_000);
    expect((await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'later' })).status).toBe(201);
  });
});
