import { afterEach, beforeEach, expect, it } from 'vitest';
import { GITHUB_TOKEN_GRAPHQL_LIMIT, GITHUB_TOKEN_REST_LIMIT, startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

/** The GITHUB_TOKEN's hourly budgets: 1,000 REST requests and 1,000 GraphQL points per repository, shared. */
let sim: Sim;
beforeEach(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: 'acme', name: 'app' });
  sim.store.createRepo({ owner: 'acme', name: 'other' });
  sim.store.createIssue('acme/app', { title: 'one', user: 'alice' });
  for (const t of ['run-a', 'run-b']) sim.store.addToken(t, 'github-actions[bot]', { issues: 'write' }, { kind: 'github-token', repository: 'acme/app' });
  sim.store.addToken('run-other', 'github-actions[bot]', { issues: 'write' }, { kind: 'github-token', repository: 'acme/other' });
});
afterEach(async () => {
  await sim.stop();
});

const gql = async (token: string, query: string) => {
  const r = await fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: r.status, headers: r.headers, body: (await r.json()) as { data?: any; errors?: any[] } }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

it('REST: 1,000 requests an hour per repository, shared by its tokens; the 1,001st is 403 in GitHub shape', async () => {
  const first = await api(sim, 'GET', '/repos/acme/app/issues/1', undefined, 'run-a');
  expect(first.headers.get('x-ratelimit-limit')).toBe('1000');
  expect(first.headers.get('x-ratelimit-remaining')).toBe('999');
  expect(first.headers.get('x-ratelimit-used')).toBe('1');
  // two tokens (two runs) of the same repository spend one budget
  for (let i = 1; i < GITHUB_TOKEN_REST_LIMIT; i += 111) {
    const batch = Array.from({ length: Math.min(111, GITHUB_TOKEN_REST_LIMIT - i) }, (_, j) => api(sim, 'GET', '/repos/acme/app/issues/1', undefined, j % 2 ? 'run-b' : 'run-a'));
    expect((await Promise.all(batch)).every((r) => r.status === 200)).toBe(true);
  }
  expect(sim.budgets('acme/app').rest).toMatchObject({ limit: 1000, used: 1000, remaining: 0, refused: 0 });

  const refused = await api(sim, 'GET', '/repos/acme/app/issues/1', undefined, 'run-b');
  expect(refused.status).toBe(403);
  const id = sim.store.repo('acme/app')!.id;
  expect(refused.json).toEqual({
    message: `API rate limit exceeded for installation ID ${id}.`,
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
    status: '403',
  });
  expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
  const reset = Number(refused.headers.get('x-ratelimit-reset'));
  expect(reset).toBeGreaterThan(Date.now() / 1000 + 3500);
  expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
  expect(sim.budgets('acme/app').rest.refused).toBe(1);

  // another repository's GITHUB_TOKEN has its own budget; the default token is not a GITHUB_TOKEN
  expect((await api(sim, 'GET', '/repos/acme/other', undefined, 'run-other')).headers.get('x-ratelimit-remaining')).toBe('999');
  const pat = await api(sim, 'GET', '/repos/acme/app/issues/1');
  expect(pat.status).toBe(200);
  expect(pat.headers.get('x-ratelimit-limit')).toBe('5000');
  expect(sim.budgets()).toMatchObject({ rest: { limit: 5000, used: 1 }, graphql: { limit: 5000, used: 0 } });

  // /rate_limit does not count and reports the same budget
  const rl = await api(sim, 'GET', '/rate_limit', undefined, 'run-a');
  expect(rl.json.resources.core).toMatchObject({ limit: 1000, used: 1000, remaining: 0 });

  // an hour later (of the store's clock) the budget starts again
  sim.store.advance(3600_000);
  const after = await api(sim, 'GET', '/repos/acme/app/issues/1', undefined, 'run-a');
  expect(after.status).toBe(200);
  expect(after.headers.get('x-ratelimit-remaining')).toBe('999');
  expect(sim.budgets('acme/app').rest).toMatchObject({ used: 1, total: 1001 });
});

it('GraphQL: 1,000 points an hour per repository; a call over it is HTTP 200 with RATE_LIMITED, as GitHub answers', async () => {
  // 1 + 100 + 100 x 100 = 10,101 requests: 101 points (GitHub divides by 100)
  const expensive =
    '{ repository(owner: "acme", name: "app") { issues(first: 100) { nodes { comments(first: 100) { nodes { reactions(first: 40) { totalCount } } } } } } rateLimit { cost limit used remaining } }';
  const one = await gql('run-a', expensive);
  expect(one.body.errors).toBeUndefined();
  expect(one.body.data.rateLimit).toEqual({ cost: 101, limit: 1000, used: 101, remaining: 899 });
  expect(one.headers.get('x-ratelimit-limit')).toBe('1000');
  expect(one.headers.get('x-ratelimit-used')).toBe('101');
  expect(one.headers.get('x-ratelimit-resource')).toBe('graphql');
  for (let i = 0; i < 8; i++) expect((await gql(i % 2 ? 'run-a' : 'run-b', expensive)).body.errors).toBeUndefined();
  expect(sim.budgets('acme/app').graphql).toMatchObject({ limit: GITHUB_TOKEN_GRAPHQL_LIMIT, used: 909, remaining: 91 });

  const refused = await gql('run-b', expensive);
  expect(refused.status).toBe(200);
  expect(refused.body).toEqual({ errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for installation ID ${sim.store.repo('acme/app')!.id}.` }] });
  expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
  // nothing was spent on the refused call: a cheap one still fits
  const cheap = await gql('run-a', '{ viewer { login } rateLimit { cost used remaining } }');
  expect(cheap.body.data.rateLimit).toEqual({ cost: 1, used: 910, remaining: 90 });
  expect(sim.budgets('acme/app').graphql).toMatchObject({ used: 910, refused: 1 });
  // REST and GraphQL are separate budgets
  expect(sim.budgets('acme/app').rest.used).toBe(0);
});

it("a primary-rate-limit fault on /graphql answers in GitHub's GraphQL shape", async () => {
  sim.faults.add({ route: '/graphql', kind: 'primary-rate-limit', retryAfter: 30 });
  const r = await gql('run-a', '{ viewer { login } }');
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] });
  expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
  expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 29);
  expect((await gql('run-a', '{ viewer { login } }')).body.data).toEqual({ viewer: { login: 'github-actions[bot]' } });
});
