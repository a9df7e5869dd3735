import { afterAll, beforeAll, expect, it } from 'vitest';
import { Store, seedFromWebhook, startSim, webhookExample, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.stop();
});

it('webhookExample returns a deep copy of the recorded payload', () => {
  const a = webhookExample('issues', 'opened');
  a.action = 'mutated';
  expect(webhookExample('issues', 'opened').action).toBe('opened');
  expect(() => webhookExample('issues', 'no-such-action')).toThrow(/no recorded webhook example/);
});

it('an issues.opened payload seeds the repository, users and issue, served over REST', async () => {
  const payload = webhookExample('issues', 'opened');
  const issue = payload.issue as { number: number; title: string; id: number; user: { login: string } };
  const repository = payload.repository as { full_name: string; id: number };
  const seeded = seedFromWebhook(sim.store, payload);
  expect(seeded.repository.full_name).toBe(repository.full_name);
  expect(seeded.repository.id).toBe(repository.id);
  const r = await api(sim, 'GET', `/repos/${repository.full_name}/issues/${issue.number}`);
  expect(r.json).toMatchObject({ number: issue.number, title: issue.title, id: issue.id, user: { login: issue.user.login } });
  expect((await api(sim, 'GET', `/repos/${repository.full_name}`)).json.full_name).toBe(repository.full_name);
});

it('issue_comment.created, pull_request.opened and release.published seed their objects', () => {
  const store = new Store();
  const c = webhookExample('issue_comment', 'created');
  const seeded = seedFromWebhook(store, c);
  expect(seeded.comment?.body).toBe((c.comment as { body: string }).body);
  expect(store.commentsOf(seeded.repository, seeded.issue!.number)).toHaveLength(1);

  const p = webhookExample('pull_request', 'opened');
  const pr = seedFromWebhook(store, p);
  const payloadPr = p.pull_request as { number: number; head: { ref: string } };
  expect(pr.issue?.pull_request?.head.ref).toBe(payloadPr.head.ref);
  expect(store.pull(pr.repository, payloadPr.number)).toBeDefined();

  const rel = seedFromWebhook(store, webhookExample('release', 'published'));
  expect(rel.release?.tag_name).toBe((webhookExample('release', 'published').release as { tag_name: string }).tag_name);
  expect(store.latestRelease(rel.repository)?.id).toBe(rel.release?.id);
});

it('startSim is cheap once the contract is loaded (< 50 ms)', async () => {
  const t0 = performance.now();
  const s = await startSim();
  const ms = performance.now() - t0;
  await s.stop();
  expect(ms).toBeLessThan(50);
});
