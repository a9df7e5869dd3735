// Integration tests through real HTTP against the emulator (@userloop/github-sim): upsertComment,
// createOctokit's retries and rate-limit handling, and loadConfig through the contents API.
import { startSim } from '@userloop/github-sim';
import type { Sim } from '@userloop/github-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createOctokit,
  errorMessage,
  GITHUB_ACTIONS_LOGIN,
  loadConfig,
  parseMarker,
  renderMarker,
  resolveIdentity,
  upsertComment,
} from '../src/index.ts';
import type { Octokit } from '../src/index.ts';

const OWNER = 'octo-org';
const REPO = 'octo-repo';
const COMMENTS = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';

let sim: Sim;
let stdout: ReturnType<typeof vi.spyOn> | undefined;
let logged: string[] = [];

function client(token = 'test-token', retries?: number): Octokit {
  return createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, ...(retries === undefined ? {} : { retries }) });
}

function newIssue(): number {
  return sim.store.createIssue(`${OWNER}/${REPO}`, { title: 'Feature request', user: 'alice' }).number;
}

function commentsOf(issueNumber: number): Array<{ user: string; body: string }> {
  const repo = sim.store.mustRepo(OWNER, REPO);
  return sim.store.mustIssue(repo, issueNumber).comment_ids.map((id) => {
    const comment = repo.comments.get(id);
    return { user: comment?.user ?? '', body: comment?.body ?? '' };
  });
}

beforeAll(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: OWNER, name: REPO });
  sim.store.addUser('alice');
  sim.store.addUser('mallory');
  sim.store.addUser('octocat');
  sim.store.addToken('user-token', 'octocat', { issues: 'write', contents: 'read' });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  logged = [];
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
  sim.faults.clear();
  sim.resetCounters();
});
afterEach(() => {
  stdout?.mockRestore();
  sim.assertClean();
});

describe('upsertComment (emulator)', () => {
  it('creates, then updates in place, then writes nothing when unchanged', async () => {
    const octokit = client();
    const issueNumber = newIssue();
    const base = { octokit, owner: OWNER, repo: REPO, issueNumber, marker: 'prioritize' };

    const first = await upsertComment({ ...base, body: 'Priority: **High**', markerData: { priority: 'high' } });
    expect(first.action).toBe('created');
    expect(first.url).toMatch(new RegExp(`/${OWNER}/${REPO}/issues/${issueNumber}#issuecomment-${first.id}$`));
    expect(commentsOf(issueNumber)).toEqual([
      { user: GITHUB_ACTIONS_LOGIN, body: `Priority: **High**\n\n${renderMarker('prioritize', { priority: 'high' })}` },
    ]);

    const second = await upsertComment({ ...base, body: 'Priority: **Fix it now**', markerData: { priority: 'fix-it-now' } });
    expect(second).toEqual({ id: first.id, url: first.url, action: 'updated', truncated: false });
    expect(commentsOf(issueNumber)).toHaveLength(1);
    expect(parseMarker(commentsOf(issueNumber)[0]?.body, 'prioritize')).toEqual({ priority: 'fix-it-now' });

    sim.resetCounters();
    const third = await upsertComment({ ...base, body: 'Priority: **Fix it now**', markerData: { priority: 'fix-it-now' } });
    expect(third.action).toBe('unchanged');
    expect(sim.counters.writes).toBe(0);
    expect(sim.counters.restByRoute[COMMENTS]).toBe(1);
  });

  it('reads every page and finds its comment on page 3', async () => {
    const issueNumber = newIssue();
    const repo = `${OWNER}/${REPO}`;
    for (let i = 0; i < 230; i++) sim.store.createComment(repo, issueNumber, { body: `+1 from ${i}`, user: 'alice' });
    sim.store.createComment(repo, issueNumber, { body: `old\n\n${renderMarker('ledger', { n: 1 })}`, user: GITHUB_ACTIONS_LOGIN });
    for (let i = 0; i < 5; i++) sim.store.createComment(repo, issueNumber, { body: `later ${i}`, user: 'alice' });

    const result = await upsertComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber, marker: 'ledger', markerData: { n: 2 }, body: 'new' });
    expect(result.action).toBe('updated');
    expect(sim.counters.restByRoute[COMMENTS]).toBe(3);
    const comments = commentsOf(issueNumber);
    expect(comments).toHaveLength(236);
    expect(comments[230]?.body).toBe(`new\n\n${renderMarker('ledger', { n: 2 })}`);
  });

  it('ignores a marker in a comment written by anyone else (no spoofing)', async () => {
    const issueNumber = newIssue();
    const spoof = `I am the bot now ${renderMarker('prioritize', { priority: 'fix-it-now' })}`;
    sim.store.createComment(`${OWNER}/${REPO}`, issueNumber, { body: spoof, user: 'mallory' });

    const result = await upsertComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber, marker: 'prioritize', body: 'Priority: Low' });
    expect(result.action).toBe('created');
    expect(commentsOf(issueNumber)).toEqual([
      { user: 'mallory', body: spoof },
      { user: GITHUB_ACTIONS_LOGIN, body: `Priority: Low\n\n${renderMarker('prioritize')}` },
    ]);
  });

  it('resolves a user token identity with GET /user, a GITHUB_TOKEN as github-actions[bot], once per client', async () => {
    const user = client('user-token');
    expect(await resolveIdentity(user)).toBe('octocat');
    const bot = client();
    expect(await resolveIdentity(bot)).toBe(GITHUB_ACTIONS_LOGIN);
    await resolveIdentity(bot);
    expect(sim.counters.restByRoute['GET /user']).toBe(2);

    const issueNumber = newIssue();
    sim.store.createComment(`${OWNER}/${REPO}`, issueNumber, { body: `mine ${renderMarker('kpi')}`, user: 'octocat' });
    const result = await upsertComment({ octokit: user, owner: OWNER, repo: REPO, issueNumber, marker: 'kpi', body: `report ${renderMarker('kpi')}` });
    expect(result.action).toBe('updated');
    expect(commentsOf(issueNumber)).toEqual([{ user: 'octocat', body: `report ${renderMarker('kpi')}` }]);
  });

  it('trusts an explicit botLogin over the token identity', async () => {
    const issueNumber = newIssue();
    sim.store.createComment(`${OWNER}/${REPO}`, issueNumber, { body: `by app ${renderMarker('notes')}`, user: 'mallory' });
    const result = await upsertComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber, marker: 'notes', body: `by app ${renderMarker('notes')}`, botLogin: 'mallory' });
    expect(result.action).toBe('unchanged');
    expect(sim.counters.restByRoute['GET /user']).toBeUndefined();
  });

  it('cuts an oversized body at a block boundary and keeps the marker', async () => {
    const issueNumber = newIssue();
    const body = Array.from({ length: 1500 }, (_, i) => `Paragraph ${i}: ${'z'.repeat(50)}`).join('\n\n');
    const result = await upsertComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber, marker: 'big', markerData: { v: 1 }, body });
    expect(result.truncated).toBe(true);
    const written = commentsOf(issueNumber)[0]?.body ?? '';
    expect(written.length).toBeLessThanOrEqual(65_536);
    expect(parseMarker(written, 'big')).toEqual({ v: 1 });
  });
});

describe('createOctokit (emulator faults)', () => {
  it('retries a 502 and succeeds', async () => {
    const issueNumber = newIssue();
    const fault = sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', status: 502, times: 2 });
    const { data } = await client().rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(data.number).toBe(issueNumber);
    expect(fault.hits).toBe(2);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(3);
  });

  it('gives up after the configured number of 5xx retries', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', status: 500, times: 10 });
    const error = await client('test-token', 1).rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issueNumber }).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(500);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(2);
  });

  it('retries after a dropped connection', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', kind: 'drop', times: 1 });
    const { data } = await client().rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(data.number).toBe(issueNumber);
  });

  it('honours retry-after on a secondary rate limit, with a warning', async () => {
    const issueNumber = newIssue();
    const fault = sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', kind: 'secondary-rate-limit', retryAfter: 3, times: 2 });
    const started = Date.now();
    const { data } = await client().rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: issueNumber, body: 'hello' });
    expect(data.body).toBe('hello');
    expect(fault.hits).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6); // 2 x 3 s x 0.001
    expect(logged.join('')).toContain('::warning::GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments; retrying in 3 s (retry 1 of 3).');
    expect(commentsOf(issueNumber)).toHaveLength(1);
  });

  it('waits out a primary rate limit', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', kind: 'primary-rate-limit', retryAfter: 1, times: 1 });
    const { data } = await client().rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(data.number).toBe(issueNumber);
    expect(logged.join('')).toMatch(/::warning::GitHub primary rate limit on GET /);
  });

  it('talks GraphQL to the emulator endpoint and retries it on 502', async () => {
    sim.faults.add({ route: '/graphql', status: 502, times: 1 });
    const data = await client().graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    expect(data.viewer.login).toBe(GITHUB_ACTIONS_LOGIN);
  });

  it('retries GitHub\'s partial timeout answer; any other partial answer fails with a message naming GraphQL, the error and its path', async () => {
    sim.faults.add({ route: '/graphql', kind: 'graphql-partial', times: 1 });
    const data = await client().graphql<{ viewer: { login: string } }>('query Who { viewer { login } }');
    expect(data.viewer.login).toBe(GITHUB_ACTIONS_LOGIN);

    sim.faults.add({ route: '/graphql', kind: 'graphql-partial', message: 'Resource not accessible by integration', times: 1 });
    const error: unknown = await client().graphql('query Who { viewer { login } }').catch((e: unknown) => e);
    expect(errorMessage(error)).toBe('GitHub GraphQL API error in query Who: INTERNAL: Resource not accessible by integration (at viewer)');
  });
});

describe('loadConfig through the API (emulator)', () => {
  it('reads the file at the ref and reports errors against it', async () => {
    sim.store.setContent(`${OWNER}/${REPO}`, '.github/userloop.yml', 'bots: [renovate]\n');
    sim.store.setContent(`${OWNER}/${REPO}`, '.github/userloop.yml', 'bots: [renovate]\nprioritise: {}\n', 'feature');
    const octokit = client();
    const main = await loadConfig({ octokit, owner: OWNER, repo: REPO });
    expect(main.source).toBe('api');
    expect(main.errors).toEqual([]);
    expect(main.config.bots).toEqual(['renovate']);

    const feature = await loadConfig({ octokit, owner: OWNER, repo: REPO, ref: 'feature' });
    expect(feature.errors).toEqual([
      { file: '.github/userloop.yml', line: 2, column: 1, key: 'prioritise', message: "unknown key 'prioritise' at the top level; did you mean 'prioritize'?", suggestion: 'prioritize' },
    ]);
  });

  it('means defaults when the file does not exist', async () => {
    const result = await loadConfig({ octokit: client(), owner: OWNER, repo: REPO, path: '.github/missing.yml' });
    expect(result.source).toBe('default');
    expect(result.errors).toEqual([]);
  });
});
