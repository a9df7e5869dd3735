import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkResponse, startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

let sim: Sim;
const R = '/repos/octo-org/octo-repo';

beforeAll(async () => {
  sim = await startSim({ validateResponses: true });
  const s = sim.store;
  s.addOrgMember('octo-org', 'maintainer');
  const repo = s.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'octo-repo', collaborators: { maintainer: 'admin' } });
  s.createLabel(repo, { name: 'bug', color: 'd73a4a', description: 'Something is broken' });
  s.createMilestone(repo, { title: 'v1' });
  const [c1, c2] = s.commitOn(repo, 'main', ['initial', 'feat: add search']);
  s.createTag(repo, 'v0.1.0', c1!.sha);
  s.setContent(repo, '.github/userloop.yml', 'prioritize:\n  enabled: true\n');
  s.setContent(repo, 'docs/search.md', '# Search\n');
  s.createIssue(repo, { title: 'Search is slow', body: 'It takes 10s', user: 'alice', labels: ['bug'], assignees: ['maintainer'], milestone: 1 });
  s.createComment(repo, 1, { body: '+1 from me', user: 'bob' });
  s.addReaction(repo, { issue: 1 }, 'bob', '+1');
  s.createPull(repo, {
    title: 'Fix search',
    body: 'Fixes #1',
    user: 'maintainer',
    head: { ref: 'fix-search' },
    commits: [c2!.sha],
    files: [{ filename: 'src/search.ts', status: 'modified', additions: 3, deletions: 1, patch: '@@ -1 +1 @@' }],
    closing_issues: [1],
  });
  s.crossReference(repo, 1, 2, 'maintainer');
  s.markDuplicate(repo, 1, 2, 'maintainer', false);
  s.createRelease(repo, { tag_name: 'v0.1.0', name: 'v0.1.0', body: 'First', author: 'maintainer' });
});
afterAll(async () => {
  await sim.stop();
});

it('responses of the main routes validate against the OpenAPI response schemas', async () => {
  const calls: Array<[string, string, unknown?]> = [
    ['GET', R],
    ['GET', `${R}/issues`],
    ['GET', `${R}/issues/1`],
    ['PATCH', `${R}/issues/1`, { state: 'closed', state_reason: 'not_planned' }],
    ['PATCH', `${R}/issues/1`, { state: 'open' }],
    ['POST', `${R}/issues`, { title: 'New', labels: ['bug', { name: 'docs' }] }],
    ['GET', `${R}/issues/1/comments`],
    ['POST', `${R}/issues/1/comments`, { body: 'thanks' }],
    ['GET', `${R}/issues/comments`],
    ['GET', `${R}/labels`],
    ['GET', `${R}/labels/bug`],
    ['POST', `${R}/labels`, { name: 'area: search', color: '0e8a16' }],
    ['PATCH', `${R}/labels/area:%20search`, { new_name: 'area/search' }],
    ['GET', `${R}/issues/1/labels`],
    ['PUT', `${R}/issues/1/labels`, { labels: ['bug'] }],
    ['GET', `${R}/issues/1/reactions`],
    ['POST', `${R}/issues/1/reactions`, { content: 'heart' }],
    ['GET', `${R}/issues/1/timeline`],
    ['GET', `${R}/issues/1/events`],
    ['GET', `${R}/pulls`],
    ['GET', `${R}/pulls/2`],
    ['GET', `${R}/pulls/2/files`],
    ['GET', `${R}/pulls/2/commits`],
    ['GET', `${R}/releases`],
    ['GET', `${R}/releases/latest`],
    ['GET', `${R}/releases/tags/v0.1.0`],
    ['POST', `${R}/releases`, { tag_name: 'v0.2.0', draft: true, body: 'notes' }],
    ['GET', `${R}/git/matching-refs/tags/v`],
    ['GET', `${R}/git/ref/heads/main`],
    ['GET', `${R}/compare/v0.1.0...main`],
    ['GET', `${R}/contents/.github/userloop.yml`],
    ['GET', `${R}/contents/docs`],
    ['GET', `${R}/milestones`],
    ['GET', `/search/issues?q=${encodeURIComponent('repo:octo-org/octo-repo is:issue search')}`],
    ['GET', '/rate_limit'],
    ['GET', '/users/alice'],
  ];
  for (const [method, path, body] of calls) {
    const r = await api(sim, method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
  }
  sim.assertClean();
  expect(sim.violations).toEqual([]);
});

it('checkResponse reports a response that breaks the schema', () => {
  const problems = checkResponse('GET', '/repos/{owner}/{repo}/labels/{name}', 200, { id: 'x', name: 1 });
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.join('\n')).toMatch(/required|must be/);
});
