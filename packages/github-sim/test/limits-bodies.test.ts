import { afterAll, beforeAll, expect, it } from 'vitest';
import { githubLength, startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

/** GitHub's length limits: bodies of issues and comments 65,536, release bodies 125,000, titles 256, label names 50. */
let sim: Sim;
const R = '/repos/acme/app';
beforeAll(async () => {
  sim = await startSim({ contentLimit: false });
  sim.store.createRepo({ owner: 'acme', name: 'app' });
  sim.store.createIssue('acme/app', { title: 'one', user: 'alice' });
  sim.store.createComment('acme/app', 1, { body: 'first', user: 'alice' });
});
afterAll(async () => {
  await sim.stop();
});

const failed = (resource: string, field: string, max: number) => ({
  message: 'Validation Failed',
  errors: [{ resource, code: 'custom', field, message: `${field} is too long (maximum is ${max} characters)` }],
  documentation_url: expect.any(String),
  status: '422',
});

it('issue title and body: created and edited over the limit are 422 Validation Failed; at the limit they pass', async () => {
  expect((await api(sim, 'POST', `${R}/issues`, { title: 't'.repeat(257) })).json).toEqual(failed('Issue', 'title', 256));
  const long = await api(sim, 'POST', `${R}/issues`, { title: 'ok', body: 'b'.repeat(65_537) });
  expect(long.status).toBe(422);
  expect(long.json).toEqual(failed('Issue', 'body', 65_536));
  expect((await api(sim, 'POST', `${R}/issues`, { title: 't'.repeat(256), body: 'b'.repeat(65_536) })).status).toBe(201);
  expect((await api(sim, 'PATCH', `${R}/issues/1`, { body: 'b'.repeat(65_537) })).json).toEqual(failed('Issue', 'body', 65_536));
  expect((await api(sim, 'PATCH', `${R}/issues/1`, { title: 't'.repeat(300) })).status).toBe(422);
  expect(sim.store.repo('acme/app')!.issues.get(1)!.title).toBe('one');
});

it('comments: a new one over 65,536 gets the answer GitHub gives today, an edit the `custom` one', async () => {
  const created = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'c'.repeat(65_537) });
  expect(created.status).toBe(422);
  expect(created.json.errors).toEqual([{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }]);
  const id = [...sim.store.repo('acme/app')!.comments.keys()][0]!;
  expect((await api(sim, 'PATCH', `${R}/issues/comments/${id}`, { body: 'c'.repeat(65_537) })).json).toEqual(failed('IssueComment', 'body', 65_536));
  expect((await api(sim, 'PATCH', `${R}/issues/comments/${id}`, { body: 'c'.repeat(65_536) })).status).toBe(200);
});

it('characters are counted as GitHub (Ruby) counts them: an emoji is one', async () => {
  const emoji = '👍'.repeat(65_536); // 131,072 UTF-16 units, 65,536 characters
  expect(githubLength(emoji)).toBe(65_536);
  expect((await api(sim, 'POST', `${R}/issues/1/comments`, { body: emoji })).status).toBe(201);
  expect((await api(sim, 'POST', `${R}/issues/1/comments`, { body: `${emoji}x` })).status).toBe(422);
});

it('release bodies over 125,000, on create and edit', async () => {
  expect((await api(sim, 'POST', `${R}/releases`, { tag_name: 'v1', body: 'r'.repeat(125_001) })).json).toEqual(failed('Release', 'body', 125_000));
  const ok = await api(sim, 'POST', `${R}/releases`, { tag_name: 'v1', body: 'r'.repeat(125_000), draft: true });
  expect(ok.status).toBe(201);
  expect((await api(sim, 'PATCH', `${R}/releases/${ok.json.id}`, { body: 'r'.repeat(125_001) })).json).toEqual(failed('Release', 'body', 125_000));
});

it('label names over 50: creating, renaming, or adding a new one to an issue', async () => {
  const name = 'l'.repeat(51);
  expect((await api(sim, 'POST', `${R}/labels`, { name })).json).toEqual(failed('Label', 'name', 50));
  expect((await api(sim, 'POST', `${R}/labels`, { name: 'l'.repeat(50) })).status).toBe(201);
  expect((await api(sim, 'PATCH', `${R}/labels/${'l'.repeat(50)}`, { new_name: name })).status).toBe(422);
  expect((await api(sim, 'POST', `${R}/issues/1/labels`, { labels: [name] })).json).toEqual(failed('Label', 'name', 50));
  expect((await api(sim, 'PUT', `${R}/issues/1/labels`, { labels: ['fine', name] })).status).toBe(422);
  expect((await api(sim, 'POST', `${R}/issues`, { title: 'x', labels: [name] })).status).toBe(422);
  expect(sim.store.repo('acme/app')!.issues.get(1)!.labels).toEqual([]);
});

it('GraphQL addComment and updateIssueComment over 65,536 are UNPROCESSABLE', async () => {
  const repo = sim.store.repo('acme/app')!;
  const issue = repo.issues.get(1)!;
  const comment = [...repo.comments.values()][0]!;
  const post = async (query: string) => {
    const r = await fetch(sim.graphqlUrl, { method: 'POST', headers: { authorization: 'bearer test-token', 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { body: 'g'.repeat(65_537) } }) });
    return (await r.json()) as { data: unknown; errors: Array<{ type: string; message: string }> };
  };
  const add = await post(`mutation($body: String!) { addComment(input: { subjectId: "${issue.node_id}", body: $body }) { clientMutationId } }`);
  expect(add.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE', message: 'Body is too long (maximum is 65536 characters)' })]);
  const edit = await post(`mutation($body: String!) { updateIssueComment(input: { id: "${comment.node_id}", body: $body }) { clientMutationId } }`);
  expect(edit.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE', message: 'Body is too long (maximum is 65536 characters)' })]);
  expect(repo.comments.get(comment.id)!.body).toBe('c'.repeat(65_536));
});
