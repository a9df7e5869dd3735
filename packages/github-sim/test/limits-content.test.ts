import { afterEach, beforeEach, expect, it } from 'vitest';
import { CONTENT_PER_HOUR, CONTENT_PER_MINUTE, startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

/** GitHub's secondary limits on content creation, on by default: 80 a minute, 500 an hour. */
let sim: Sim;
beforeEach(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: 'acme', name: 'app' });
  sim.store.createIssue('acme/app', { title: 'one', user: 'alice' });
  sim.store.addToken('run-a', 'github-actions[bot]', { issues: 'write' }, { kind: 'github-token', repository: 'acme/app' });
  sim.store.addToken('pat-bob', 'bob', { issues: 'write' }, { kind: 'pat' });
});
afterEach(async () => {
  await sim.stop();
});

const comment = (token: string, i: number) => api(sim, 'POST', '/repos/acme/app/issues/1/comments', { body: `n${i}` }, token);

async function comments(token: string, n: number, from = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await comment(token, from + i)).status);
  return statuses;
}

it('the 81st content-creating request within a minute is a secondary rate limit (403, retry-after), per user', async () => {
  expect(await comments('run-a', CONTENT_PER_MINUTE)).toEqual(Array(80).fill(201));
  const refused = await comment('run-a', 80);
  expect(refused.status).toBe(403);
  expect(refused.json.message).toMatch(/^You have exceeded a secondary rate limit/);
  expect(refused.json.documentation_url).toMatch(/#about-secondary-rate-limits$/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(55);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(sim.contentUsage('run-a')).toEqual({ minute: 80, hour: 80 });
  // reads and edits do not create content
  expect((await api(sim, 'GET', '/repos/acme/app/issues/1/comments', undefined, 'run-a')).status).toBe(200);
  // another user has a limit of their own
  expect((await comment('pat-bob', 0)).status).toBe(201);
  // a GraphQL mutation that creates content counts too
  const node = sim.store.repo('acme/app')!.issues.get(1)!.node_id;
  const r = await fetch(sim.graphqlUrl, {
    method: 'POST',
    headers: { authorization: 'bearer run-a', 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { addComment(input: { subjectId: "${node}", body: "x" }) { clientMutationId } }` }),
  });
  expect(r.status).toBe(403);
  expect(r.headers.get('retry-after')).toBeTruthy();
  // a minute later (of the store's clock) writing works again
  sim.store.advance(61_000);
  expect((await comment('run-a', 81)).status).toBe(201);
});

it('500 an hour: paced under 80 a minute, the 501st within the hour is refused until the hour has passed', async () => {
  let created = 0;
  for (let minute = 0; minute < 7; minute++) {
    const statuses = await comments('run-a', 75, minute * 75);
    created += statuses.filter((s) => s === 201).length;
    if (created < CONTENT_PER_HOUR) expect(statuses.every((s) => s === 201)).toBe(true);
    sim.store.advance(60_000);
  }
  expect(created).toBe(CONTENT_PER_HOUR);
  expect(sim.contentUsage('run-a')).toEqual({ minute: 0, hour: 500 });
  const refused = await comment('run-a', 999);
  expect(refused.status).toBe(403);
  // the first of the hour's 500 ages out 60 minutes after it was made: 7 minutes have passed
  expect(Number(refused.headers.get('retry-after'))).toBe(53 * 60);
  sim.store.advance(53 * 60_000);
  expect((await comment('run-a', 1000)).status).toBe(201);
});

it('contentLimit: false turns the limits off', async () => {
  await sim.stop();
  sim = await startSim({ contentLimit: false });
  sim.store.createRepo({ owner: 'acme', name: 'app' });
  sim.store.createIssue('acme/app', { title: 'one', user: 'alice' });
  sim.store.addToken('run-a', 'github-actions[bot]', { issues: 'write' }, { kind: 'github-token', repository: 'acme/app' });
  expect((await comments('run-a', CONTENT_PER_MINUTE + 5)).every((s) => s === 201)).toBe(true);
});
