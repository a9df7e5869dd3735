import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

/**
 * A job's `permissions:` become its GITHUB_TOKEN's scopes: GitHub enforces them on reads in a private
 * repository (anyone reads a public one), on writes everywhere, and on GraphQL nodes (FORBIDDEN, partial data).
 */
let sim: Sim;
let prNumber = 0;
let issueNumber = 0;
beforeAll(async () => {
  sim = await startSim();
  const s = sim.store;
  for (const name of ['secret', 'open']) {
    const repo = s.createRepo({ owner: 'acme', name, private: name === 'secret' });
    const issue = s.createIssue(repo, { title: `an issue of ${name}`, user: 'alice' });
    const pr = s.createPull(repo, { title: `a PR of ${name}`, user: 'bob' });
    s.crossReference(repo, issue.number, pr.number, 'bob');
    s.createComment(repo, issue.number, { body: 'a comment', user: 'carol' });
    issueNumber = issue.number;
    prNumber = pr.number;
    s.addToken(`issues-only-${name}`, 'github-actions[bot]', { issues: 'write' }, { kind: 'github-token', repository: `acme/${name}` });
    s.addToken(`full-${name}`, 'github-actions[bot]', { issues: 'write', pull_requests: 'read', contents: 'read' }, { kind: 'github-token', repository: `acme/${name}` });
    s.addToken(`pulls-only-${name}`, 'github-actions[bot]', { pull_requests: 'read' }, { kind: 'github-token', repository: `acme/${name}` });
  }
});
afterAll(async () => {
  await sim.stop();
});

const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: expect.any(String), status: '403' };

describe('REST reads', () => {
  it('in a private repository a read needs `read` of the route permission (403 in GitHub shape)', async () => {
    const pulls = await api(sim, 'GET', '/repos/acme/secret/pulls', undefined, 'issues-only-secret');
    expect(pulls.status).toBe(403);
    expect(pulls.json).toEqual(FORBIDDEN);
    expect((await api(sim, 'GET', `/repos/acme/secret/pulls/${prNumber}`, undefined, 'issues-only-secret')).status).toBe(403);
    expect((await api(sim, 'GET', '/repos/acme/secret/releases', undefined, 'issues-only-secret')).status).toBe(403);
    expect((await api(sim, 'GET', '/repos/acme/secret/issues', undefined, 'pulls-only-secret')).status).toBe(403);
    // with the permission, the same reads are answered
    expect((await api(sim, 'GET', '/repos/acme/secret/pulls', undefined, 'full-secret')).status).toBe(200);
    expect((await api(sim, 'GET', '/repos/acme/secret/issues', undefined, 'issues-only-secret')).status).toBe(200);
    // metadata is every token's
    expect((await api(sim, 'GET', '/repos/acme/secret', undefined, 'pulls-only-secret')).status).toBe(200);
  });

  it('an issue route on a pull request accepts pull_requests: read instead of issues', async () => {
    expect((await api(sim, 'GET', `/repos/acme/secret/issues/${prNumber}`, undefined, 'pulls-only-secret')).status).toBe(200);
    expect((await api(sim, 'GET', `/repos/acme/secret/issues/${issueNumber}`, undefined, 'pulls-only-secret')).status).toBe(403);
  });

  it('in a public repository anyone reads', async () => {
    expect((await api(sim, 'GET', '/repos/acme/open/pulls', undefined, 'issues-only-open')).status).toBe(200);
    expect((await api(sim, 'GET', '/repos/acme/open/issues', undefined, 'pulls-only-open')).status).toBe(200);
  });

  it("a GITHUB_TOKEN does not see another repository's private objects, and cannot write to a public one", async () => {
    const other = await api(sim, 'GET', `/repos/acme/secret/issues/${issueNumber}`, undefined, 'full-open');
    expect(other.status).toBe(404);
    expect(other.json).toMatchObject({ message: 'Not Found' });
    expect((await api(sim, 'GET', `/repos/acme/open/issues/${issueNumber}`, undefined, 'full-secret')).status).toBe(200);
    const write = await api(sim, 'POST', `/repos/acme/open/issues/${issueNumber}/comments`, { body: 'hi' }, 'full-secret');
    expect(write.status).toBe(403);
    expect(write.json).toEqual(FORBIDDEN);
  });

  it('the default token keeps every scope', async () => {
    expect((await api(sim, 'GET', '/repos/acme/secret/pulls')).status).toBe(200);
    expect((await api(sim, 'GET', '/repos/acme/secret/releases')).status).toBe(200);
  });
});

describe('GraphQL nodes', () => {
  const query = `query($owner: String!, $name: String!, $number: Int!) {
    repository(owner: $owner, name: $name) {
      issue(number: $number) {
        title
        timelineItems(first: 10, itemTypes: [CROSS_REFERENCED_EVENT]) {
          nodes { ... on CrossReferencedEvent { source { ... on PullRequest { number title } ... on Issue { number } } } }
        }
      }
      pullRequest(number: ${0}) { title }
    }
  }`;
  const post = async (token: string, repo: string) => {
    const q = query.replace('pullRequest(number: 0)', `pullRequest(number: ${prNumber})`);
    const r = await fetch(sim.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: q, variables: { owner: 'acme', name: repo, number: issueNumber } }),
    });
    return { status: r.status, body: (await r.json()) as { data: any; errors?: any[] } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('a PullRequest node without pull_requests: read is null with a FORBIDDEN error; the rest of the data is kept', async () => {
    const r = await post('issues-only-secret', 'secret');
    expect(r.status).toBe(200);
    expect(r.body.data.repository.issue.title).toBe('an issue of secret');
    // CrossReferencedEvent.source is non-null, so the null reaches the event, as graphql-ruby (GitHub) propagates it
    expect(r.body.data.repository.issue.timelineItems.nodes).toEqual([null]);
    expect(r.body.data.repository.pullRequest).toBeNull();
    expect(r.body.errors).toEqual([
      expect.objectContaining({ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path: ['repository', 'issue', 'timelineItems', 'nodes', 0, 'source'] }),
      expect.objectContaining({ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path: ['repository', 'pullRequest'] }),
    ]);
  });

  it('with pull_requests: read, or in a public repository, the same query has no error', async () => {
    const full = await post('full-secret', 'secret');
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data.repository.issue.timelineItems.nodes).toEqual([{ source: { number: prNumber, title: 'a PR of secret' } }]);
    const open = await post('issues-only-open', 'open');
    expect(open.body.errors).toBeUndefined();
    expect(open.body.data.repository.pullRequest).toEqual({ title: 'a PR of open' });
  });

  it('an Issue node without issues: read is FORBIDDEN too', async () => {
    const r = await post('pulls-only-secret', 'secret');
    expect(r.body.data.repository.issue).toBeNull();
    expect(r.body.data.repository.pullRequest).toEqual({ title: 'a PR of secret' });
    expect(r.body.errors).toEqual([expect.objectContaining({ type: 'FORBIDDEN', path: ['repository', 'issue'] })]);
  });
});
