import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim, type SimRepository } from '../src/index.ts';
import { api, links } from './helpers.ts';

let sim: Sim;
let repo: SimRepository;
const R = '/repos/octo-org/octo-repo';

beforeAll(async () => {
  sim = await startSim({
    snapshot: {
      now: '2024-03-01T00:00:00Z',
      users: [{ login: 'alice' }, { login: 'maintainer' }],
      tokens: {
        'read-token': { login: 'github-actions[bot]', permissions: { issues: 'read', pull_requests: 'read', contents: 'read' } },
        'alice-token': { login: 'alice', permissions: { issues: 'write' } },
        'maintainer-token': { login: 'maintainer', permissions: { issues: 'write' } },
      },
      repositories: [
        {
          owner: { login: 'octo-org', type: 'Organization' },
          name: 'octo-repo',
          collaborators: { maintainer: 'maintain' },
          labels: [{ name: 'bug', color: 'd73a4a' }],
          issues: [
            { number: 1, title: 'Busy issue', user: 'alice', comments: Array.from({ length: 7 }, (_, i) => ({ body: `c${i}`, user: 'alice' })) },
            { number: 2, title: 'Locked one', user: 'alice', locked: true, active_lock_reason: 'too heated' },
          ],
        },
      ],
    },
  });
  repo = sim.store.repo('octo-org/octo-repo')!;
});
afterAll(async () => {
  await sim.stop();
});

describe('pagination', () => {
  it('Link headers carry next/last on the first page, prev/first on the last', async () => {
    const p1 = await api(sim, 'GET', `${R}/issues/1/comments?per_page=3`);
    expect(p1.json.map((c: { body: string }) => c.body)).toEqual(['c0', 'c1', 'c2']);
    expect(links(p1.headers)).toEqual({ next: 2, last: 3 });
    expect(p1.headers.get('link')).toBe(
      `<${sim.url}${R}/issues/1/comments?per_page=3&page=2>; rel="next", <${sim.url}${R}/issues/1/comments?per_page=3&page=3>; rel="last"`,
    );
    const p2 = await api(sim, 'GET', `${R}/issues/1/comments?per_page=3&page=2`);
    expect(links(p2.headers)).toEqual({ prev: 1, next: 3, last: 3, first: 1 });
    const p3 = await api(sim, 'GET', `${R}/issues/1/comments?per_page=3&page=3`);
    expect(p3.json.map((c: { body: string }) => c.body)).toEqual(['c6']);
    expect(links(p3.headers)).toEqual({ prev: 2, first: 1 });
  });

  it('a single page has no Link header; per_page is capped at 100', async () => {
    const one = await api(sim, 'GET', `${R}/issues/1/comments`);
    expect(one.json).toHaveLength(7);
    expect(one.headers.get('link')).toBeNull();
    sim.store.createPull(repo, { title: 'Huge', files: Array.from({ length: 250 }, (_, i) => ({ filename: `f${i}.ts` })) });
    const files = await api(sim, 'GET', `${R}/pulls/3/files?per_page=500`);
    expect(files.json).toHaveLength(100);
    expect(links(files.headers)).toEqual({ next: 2, last: 3 });
  });
});

describe('writes add the timeline events GitHub adds', () => {
  it('labeled, unlabeled, assigned, closed (with state_reason), reopened, commented', async () => {
    await api(sim, 'POST', `${R}/issues/1/labels`, { labels: ['bug', 'needs triage'] });
    await api(sim, 'DELETE', `${R}/issues/1/labels/bug`);
    await api(sim, 'POST', `${R}/issues/1/assignees`, { assignees: ['maintainer'] });
    sim.store.advance(60_000);
    const closed = await api(sim, 'PATCH', `${R}/issues/1`, { state: 'closed', state_reason: 'not_planned' });
    expect(closed.json).toMatchObject({ state: 'closed', state_reason: 'not_planned', closed_at: '2024-03-01T00:01:00Z' });
    await api(sim, 'PATCH', `${R}/issues/1`, { state: 'open' });
    await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'reopened, sorry' });
    const tl = await api(sim, 'GET', `${R}/issues/1/timeline?per_page=100`);
    const events = tl.json.map((e: { event: string }) => e.event);
    expect(events.filter((e: string) => e !== 'commented')).toEqual(['labeled', 'labeled', 'unlabeled', 'assigned', 'closed', 'reopened']);
    expect(events.filter((e: string) => e === 'commented')).toHaveLength(8);
    const closedEv = tl.json.find((e: { event: string }) => e.event === 'closed');
    expect(closedEv).toMatchObject({ actor: { login: 'github-actions[bot]', type: 'Bot' }, state_reason: 'not_planned', created_at: '2024-03-01T00:01:00Z' });
    expect(tl.json.find((e: { event: string }) => e.event === 'unlabeled').label).toEqual({ name: 'bug', color: 'd73a4a' });
    const issue = sim.store.issue(repo, 1)!;
    expect(issue).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null, labels: ['needs triage'], comments: 8 });
  });

  it('marked_as_duplicate, cross-referenced and connected come from the store methods', () => {
    const s = sim.store;
    const dup = s.createIssue(repo, { title: 'Same thing', user: 'alice' });
    s.markDuplicate(repo, dup.number, 1, 'maintainer');
    expect(dup.state_reason).toBe('duplicate');
    expect(dup.timeline.map((e) => e.event)).toEqual(['marked_as_duplicate', 'closed']);
    expect(s.issue(repo, 1)!.timeline.at(-1)).toMatchObject({ event: 'cross-referenced', source: { repository: 'octo-org/octo-repo', number: dup.number } });
    const pr = s.createPull(repo, { title: 'Fix it', user: 'maintainer', closing_issues: [1] });
    expect(s.issue(repo, 1)!.timeline.map((e) => e.event)).toContain('connected');
    s.mergePull(repo, pr.number, 'maintainer');
    expect(s.issue(repo, 1)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(pr.pull_request).toMatchObject({ merged: true, merged_by: 'maintainer' });
  });

  it('reactions: 201 when new, 200 when the same user already reacted so', async () => {
    const first = await api(sim, 'POST', `${R}/issues/2/reactions`, { content: '+1' });
    const again = await api(sim, 'POST', `${R}/issues/2/reactions`, { content: '+1' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.json.id).toBe(first.json.id);
    expect((await api(sim, 'POST', `${R}/issues/2/reactions`, { content: 'thumbs' })).status).toBe(422);
    sim.violations.length = 0;
    const issue = await api(sim, 'GET', `${R}/issues/2`);
    expect(issue.json.reactions).toMatchObject({ total_count: 1, '+1': 1 });
  });
});

describe('permissions', () => {
  it('a read-only token reads but is refused writes with 403 "Resource not accessible by integration"', async () => {
    expect((await api(sim, 'GET', `${R}/issues/1`, undefined, 'read-token')).status).toBe(200);
    const r = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'hi' }, 'read-token');
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ message: 'Resource not accessible by integration', status: '403' });
    expect((await api(sim, 'POST', `${R}/issues/1/labels`, { labels: ['x'] }, 'read-token')).status).toBe(403);
  });

  it('commenting on a locked issue: 403 for a non-maintainer, allowed for a maintainer and the bot', async () => {
    const r = await api(sim, 'POST', `${R}/issues/2/comments`, { body: 'hey' }, 'alice-token');
    expect(r.status).toBe(403);
    expect(r.json.message).toBe('Unable to create comment because issue is locked.');
    expect((await api(sim, 'POST', `${R}/issues/2/comments`, { body: 'calm down' }, 'maintainer-token')).status).toBe(201);
    expect((await api(sim, 'POST', `${R}/issues/2/comments`, { body: 'note' })).status).toBe(201);
  });

  it('commenting on a locked issue: a triager and an app without issues: write are refused, a writer is not', async () => {
    sim.store.mustRepo('octo-org/octo-repo').collaborators['triager'] = 'triage';
    sim.store.mustRepo('octo-org/octo-repo').collaborators['writer'] = 'write';
    sim.store.addToken('triager-token', 'triager', { issues: 'write' });
    sim.store.addToken('writer-token', 'writer', { issues: 'write' });
    const triager = await api(sim, 'POST', `${R}/issues/2/comments`, { body: 'hm' }, 'triager-token');
    expect(triager.status).toBe(403);
    expect(triager.json.message).toBe('Unable to create comment because issue is locked.');
    expect((await api(sim, 'POST', `${R}/issues/2/comments`, { body: 'ok' }, 'writer-token')).status).toBe(201);
    // An app's token that may only read issues never reaches the lock: the scope refuses it first.
    expect((await api(sim, 'POST', `${R}/issues/2/comments`, { body: 'x' }, 'read-token')).json.message).toBe('Resource not accessible by integration');
  });

  it('GET /user: 403 for the GITHUB_TOKEN bot, the user for a user token', async () => {
    const bot = await api(sim, 'GET', '/user');
    expect(bot.status).toBe(403);
    expect(bot.json.message).toBe('Resource not accessible by integration');
    const alice = await api(sim, 'GET', '/user', undefined, 'alice-token');
    expect(alice.json).toMatchObject({ login: 'alice', type: 'User' });
    expect((await api(sim, 'GET', '/users/nobody-here')).status).toBe(404);
  });
});

describe('counters, request log and rate-limit headers', () => {
  it('counts REST calls by route template and writes', async () => {
    sim.resetCounters();
    await api(sim, 'GET', `${R}/issues/1`);
    await api(sim, 'GET', `${R}/issues/2`);
    await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'x' });
    expect(sim.counters).toMatchObject({
      rest: 3,
      writes: 1,
      restByRoute: { 'GET /repos/{owner}/{repo}/issues/{issue_number}': 2, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': 1 },
    });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: `${R}/issues/1/comments`, route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', status: 201, body: { body: 'x' } });
  });

  it('every response carries x-ratelimit headers', async () => {
    const r = await api(sim, 'GET', `${R}/labels`);
    for (const h of ['limit', 'remaining', 'reset', 'used', 'resource']) expect(r.headers.get(`x-ratelimit-${h}`)).toBeTruthy();
    expect(r.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(r.headers.get('x-ratelimit-remaining')) + Number(r.headers.get('x-ratelimit-used'))).toBe(5000);
  });
});

describe('search, compare, contents', () => {
  it('search issues parses repo:, is:, label: and free text', async () => {
    const q = (s: string) => api(sim, 'GET', `/search/issues?q=${encodeURIComponent(s)}`);
    expect((await q('repo:octo-org/octo-repo is:issue is:open')).json.items.map((i: { number: number }) => i.number).sort()).toEqual([2]);
    expect((await q('repo:octo-org/octo-repo is:pr')).json.total_count).toBe(2);
    expect((await q('repo:octo-org/octo-repo label:"needs triage"')).json.items.map((i: { number: number }) => i.number)).toEqual([1]);
    expect((await q('repo:octo-org/octo-repo locked one')).json.items.map((i: { number: number }) => i.number)).toEqual([2]);
  });

  it('compare walks the commit DAG by ancestry', async () => {
    const s = sim.store;
    const [a] = s.commitOn(repo, 'main', ['a']);
    s.createTag(repo, 'v1.0.0', a!.sha);
    s.commitOn(repo, 'main', ['b', 'c']);
    s.setRef(repo, 'refs/heads/side', a!.sha);
    const [x] = s.commitOn(repo, 'side', ['x']);
    const merge = s.addCommit(repo, { message: 'merge side', parents: [s.resolveRef(repo, 'main')!, x!.sha] });
    s.setRef(repo, 'heads/main', merge.sha);
    s.createTag(repo, 'v1.1.0', merge.sha);
    const r = await api(sim, 'GET', `${R}/compare/v1.0.0...v1.1.0`);
    expect(r.json).toMatchObject({ status: 'ahead', ahead_by: 4, behind_by: 0, total_commits: 4 });
    expect(r.json.commits.map((c: { commit: { message: string } }) => c.commit.message).sort()).toEqual(['b', 'c', 'merge side', 'x']);
    expect(r.json.commits.at(-1).commit.message).toBe('merge side');
    const back = await api(sim, 'GET', `${R}/compare/v1.1.0...v1.0.0`);
    expect(back.json).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 4 });
    const paged = await api(sim, 'GET', `${R}/compare/v1.0.0...v1.1.0?per_page=3`);
    expect(paged.json.commits).toHaveLength(3);
    expect(links(paged.headers)).toEqual({ next: 2, last: 2 });
    expect((await api(sim, 'GET', `${R}/compare/v9...main`)).status).toBe(404);
  });

  it('contents returns base64 text at a ref; 404 when missing', async () => {
    sim.store.setContent(repo, '.github/userloop.yml', 'prioritize: {}\n');
    sim.store.setContent(repo, '.github/userloop.yml', 'old: true\n', 'v1.0.0');
    const r = await api(sim, 'GET', `${R}/contents/.github/userloop.yml`);
    expect(r.json).toMatchObject({ type: 'file', encoding: 'base64', path: '.github/userloop.yml', name: 'userloop.yml' });
    expect(Buffer.from(r.json.content, 'base64').toString()).toBe('prioritize: {}\n');
    const old = await api(sim, 'GET', `${R}/contents/.github/userloop.yml?ref=v1.0.0`);
    expect(Buffer.from(old.json.content, 'base64').toString()).toBe('old: true\n');
    expect((await api(sim, 'GET', `${R}/contents/nope.md`)).status).toBe(404);
  });
});
