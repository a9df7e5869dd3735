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
  MAX_CONFIG_BYTES,
  parseMarker,
  RedirectedWriteError,
  renderMarker,
  resolveIdentity,
  UnconfirmedWriteError,
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
  sim.store.addUser({ login: 'my-app[bot]', type: 'Bot' });
  sim.store.addToken('app-token', 'my-app[bot]', { issues: 'write', contents: 'read' });
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
    const base = { octokit, owner: OWNER, repo: REPO, issueNumber, marker: 'sticky' };

    const first = await upsertComment({ ...base, body: 'Priority: **High**', markerData: { priority: 'high' } });
    expect(first.action).toBe('created');
    expect(first.url).toMatch(new RegExp(`/${OWNER}/${REPO}/issues/${issueNumber}#issuecomment-${first.id}$`));
    expect(commentsOf(issueNumber)).toEqual([
      { user: GITHUB_ACTIONS_LOGIN, body: `Priority: **High**\n\n${renderMarker('sticky', { priority: 'high' })}` },
    ]);

    const second = await upsertComment({ ...base, body: 'Priority: **Fix it now**', markerData: { priority: 'fix-it-now' } });
    expect(second).toEqual({ id: first.id, url: first.url, action: 'updated', truncated: false });
    expect(commentsOf(issueNumber)).toHaveLength(1);
    expect(parseMarker(commentsOf(issueNumber)[0]?.body, 'sticky')).toEqual({ priority: 'fix-it-now' });

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
    const spoof = `I am the bot now\n\n${renderMarker('sticky', { priority: 'fix-it-now' })}`;
    sim.store.createComment(`${OWNER}/${REPO}`, issueNumber, { body: spoof, user: 'mallory' });

    const result = await upsertComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber, marker: 'sticky', body: 'Priority: Low' });
    expect(result.action).toBe('created');
    expect(commentsOf(issueNumber)).toEqual([
      { user: 'mallory', body: spoof },
      { user: GITHUB_ACTIONS_LOGIN, body: `Priority: Low\n\n${renderMarker('sticky')}` },
    ]);
  });

  it('resolves the identity with GraphQL viewer, once per client: a user, the GITHUB_TOKEN and an App installation token', async () => {
    const user = client('user-token');
    expect(await resolveIdentity(user)).toBe('octocat');
    const bot = client();
    expect(await resolveIdentity(bot)).toBe(GITHUB_ACTIONS_LOGIN);
    await resolveIdentity(bot);
    // An App installation token also gets 403 from GET /user: it must not pass for github-actions[bot].
    expect(await resolveIdentity(client('app-token'))).toBe('my-app[bot]');
    expect(sim.counters.graphqlQueries).toBe(3);
    expect(sim.counters.restByRoute['GET /user']).toBeUndefined();

    const issueNumber = newIssue();
    sim.store.createComment(`${OWNER}/${REPO}`, issueNumber, { body: `mine\n${renderMarker('kpi')}`, user: 'octocat' });
    const result = await upsertComment({ octokit: user, owner: OWNER, repo: REPO, issueNumber, marker: 'kpi', body: `report\n${renderMarker('kpi')}` });
    expect(result.action).toBe('updated');
    expect(commentsOf(issueNumber)).toEqual([{ user: 'octocat', body: `report\n${renderMarker('kpi')}` }]);
  });

  it('falls back to GET /user when GraphQL fails; a bot token then fails rather than guessing github-actions[bot]', async () => {
    const refused = { route: '/graphql', kind: 'graphql-partial', message: 'Resource not accessible by integration', times: 1 } as const;
    sim.faults.add(refused);
    expect(await resolveIdentity(client('user-token'))).toBe('octocat');
    expect(sim.counters.restByRoute['GET /user']).toBe(1);

    sim.faults.add(refused);
    const app = client('app-token');
    const error: unknown = await resolveIdentity(app).catch((e: unknown) => e);
    expect(errorMessage(error)).toMatch(/^Could not tell which account the token acts as \(GraphQL viewer: .*Resource not accessible by integration.*; GET \/user: GitHub API error 403: /);
    // A failure is not cached: the next call asks again.
    expect(await resolveIdentity(app)).toBe('my-app[bot]');
  });

  it('an App installation token finds its own comment again: the second upsert writes nothing', async () => {
    const issueNumber = newIssue();
    const base = { owner: OWNER, repo: REPO, issueNumber, marker: 'docs', body: `Please add docs\n${renderMarker('docs')}` };
    expect((await upsertComment({ ...base, octokit: client('app-token') })).action).toBe('created');
    sim.resetCounters();
    expect((await upsertComment({ ...base, octokit: client('app-token') })).action).toBe('unchanged');
    expect(sim.counters.writes).toBe(0);
    expect(commentsOf(issueNumber)).toEqual([{ user: 'my-app[bot]', body: base.body }]);
  });

  it('trusts an explicit botLogin over the token identity', async () => {
    const issueNumber = newIssue();
    sim.store.createComment(`${OWNER}/${REPO}`, issueNumber, { body: `by app\n${renderMarker('notes')}`, user: 'mallory' });
    const result = await upsertComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber, marker: 'notes', body: `by app\n${renderMarker('notes')}`, botLogin: 'mallory' });
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
    const { data } = await client().request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(data.number).toBe(issueNumber);
    expect(fault.hits).toBe(2);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(3);
  });

  it('gives up after the configured number of 5xx retries', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', status: 500, times: 10 });
    const error = await client('test-token', 1).request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber }).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(500);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/issues/{issue_number}']).toBe(2);
  });

  it('retries after a dropped connection', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', kind: 'drop', times: 1 });
    const { data } = await client().request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(data.number).toBe(issueNumber);
  });

  it('sends a content-creating POST once: a connection dropped after GitHub saved it is not re-sent (no duplicate)', async () => {
    const issueNumber = newIssue();
    const fault = sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', kind: 'drop-after-write', times: 1 });
    const error: unknown = await client().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: OWNER, repo: REPO, issue_number: issueNumber, body: 'hello' }).catch((e: unknown) => e);
    expect(fault.hits).toBe(1);
    expect(error).toBeInstanceOf(UnconfirmedWriteError);
    expect(commentsOf(issueNumber)).toEqual([{ user: GITHUB_ACTIONS_LOGIN, body: 'hello' }]);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(1);
    expect(errorMessage(error)).toMatch(
      new RegExp(`^GitHub API error 500: the connection was lost before GitHub answered .*not sent again, so nothing is written twice\\. Re-run the job to finish.* \\(POST /repos/${OWNER}/${REPO}/issues/${issueNumber}/comments\\)$`),
    );
  });

  it('does not re-send a POST answered 502 (GitHub may have saved it), nor a GraphQL mutation whose answer was lost', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues', status: 502, times: 1 });
    const error: unknown = await client().request('POST /repos/{owner}/{repo}/issues', { owner: OWNER, repo: REPO, title: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnconfirmedWriteError);
    expect((error as { status: number }).status).toBe(502);
    expect(errorMessage(error)).toMatch(/^GitHub API error 502: GitHub answered 502 /);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues']).toBe(1);

    const subjectId = sim.store.mustIssue(sim.store.mustRepo(OWNER, REPO), issueNumber).node_id;
    sim.faults.add({ route: '/graphql', kind: 'drop-after-write', times: 1 });
    const lost: unknown = await client()
      .graphql('mutation Add($id: ID!) { addComment(input: { subjectId: $id, body: "via graphql" }) { clientMutationId } }', { id: subjectId })
      .catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(UnconfirmedWriteError);
    expect(commentsOf(issueNumber)).toHaveLength(1);
  });

  it('still retries idempotent requests: PATCH, PUT, DELETE, GraphQL queries, and a POST that opts in', async () => {
    const issueNumber = newIssue();
    const route = '/repos/{owner}/{repo}/issues/{issue_number}';
    sim.faults.add({ method: 'PATCH', route, kind: 'drop', times: 1 });
    const { data } = await client().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber, title: 'renamed' });
    expect(data.title).toBe('renamed');
    sim.faults.add({ method: 'PUT', route: `${route}/lock`, status: 502, times: 1 });
    await client().request('PUT /repos/{owner}/{repo}/issues/{issue_number}/lock', { owner: OWNER, repo: REPO, issue_number: issueNumber });
    sim.faults.add({ method: 'DELETE', route: `${route}/lock`, status: 500, times: 1 });
    await client().request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock', { owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(sim.store.mustIssue(sim.store.mustRepo(OWNER, REPO), issueNumber).locked).toBe(false);
    sim.faults.add({ route: '/graphql', kind: 'drop', times: 1 });
    expect((await client().graphql<{ viewer: { login: string } }>('query { viewer { login } }')).viewer.login).toBe(GITHUB_ACTIONS_LOGIN);
    sim.faults.add({ method: 'POST', route: `${route}/comments`, status: 502, times: 1 });
    await client().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: OWNER, repo: REPO, issue_number: issueNumber, body: 'safe', request: { retries: 1 } });
    expect(commentsOf(issueNumber).map((c) => c.body)).toEqual(['safe']);
  });

  it('does not follow a redirect on a POST (a transferred issue): RedirectedWriteError, never replayed as a GET', async () => {
    sim.store.createRepo({ owner: OWNER, name: 'moved-to' });
    const issueNumber = newIssue();
    const moved = sim.store.transferIssue(`${OWNER}/${REPO}`, issueNumber, `${OWNER}/moved-to`);
    sim.resetCounters();
    const error: unknown = await client().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: OWNER, repo: REPO, issue_number: issueNumber, body: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectedWriteError);
    expect((error as RedirectedWriteError).status).toBe(301);
    expect((error as RedirectedWriteError).location).toBe(`${sim.url}/repos/${OWNER}/moved-to/issues/${moved.number}/comments`);
    expect(sim.counters.rest).toBe(1);
    expect(sim.store.commentsOf(`${OWNER}/moved-to`, moved.number)).toEqual([]);
    // A read follows it.
    const { data } = await client().request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(data.number).toBe(moved.number);
  });

  it('writeRetries: 0 hands a rate-limited write straight back (the caller paces writes); reads are still retried', async () => {
    const issueNumber = newIssue();
    const paced = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001, writeRetries: 0 } });
    const write = sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', kind: 'secondary-rate-limit', retryAfter: 120, times: 5 });
    const error: unknown = await paced.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: OWNER, repo: REPO, issue_number: issueNumber, body: 'x' }).catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(403);
    expect(write.hits).toBe(1);
    const read = sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', kind: 'secondary-rate-limit', retryAfter: 1, times: 1 });
    await paced.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber });
    expect(read.hits).toBe(1);
  });

  it('honours retry-after on a secondary rate limit, with a warning', async () => {
    const issueNumber = newIssue();
    const fault = sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', kind: 'secondary-rate-limit', retryAfter: 3, times: 2 });
    const started = Date.now();
    const { data } = await client().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: OWNER, repo: REPO, issue_number: issueNumber, body: 'hello' });
    expect(data.body).toBe('hello');
    expect(fault.hits).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6); // 2 x 3 s x 0.001
    expect(logged.join('')).toContain('::warning::GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments; retrying in 3 s (retry 1 of 3).');
    expect(commentsOf(issueNumber)).toHaveLength(1);
  });

  it('waits out a primary rate limit', async () => {
    const issueNumber = newIssue();
    sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}', kind: 'primary-rate-limit', retryAfter: 1, times: 1 });
    const { data } = await client().request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issueNumber });
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
    expect(main.config!.bots).toEqual(['renovate']);

    const feature = await loadConfig({ octokit, owner: OWNER, repo: REPO, ref: 'feature' });
    expect(feature.errors).toEqual([
      { file: '.github/userloop.yml', line: 2, column: 1, key: 'prioritise', message: "unknown key 'prioritise' at the top level; did you mean 'prioritize'?", suggestion: 'prioritize' },
    ]);
  });

  it('means defaults when the file does not exist at a path the user did not choose', async () => {
    const result = await loadConfig({ octokit: client(), owner: OWNER, repo: REPO, path: '.github/missing.yml', explicit: false });
    expect(result.source).toBe('default');
    expect(result.errors).toEqual([]);
    expect((await loadConfig({ octokit: client(), owner: OWNER, repo: REPO })).errors).toEqual([]);
  });

  it('is an error naming the path when a config-path the user chose does not exist', async () => {
    const result = await loadConfig({ octokit: client(), owner: OWNER, repo: REPO, path: '.github/missing.yml' });
    expect(result.errors).toEqual([
      expect.objectContaining({ file: '.github/missing.yml', line: 1, message: expect.stringMatching(/^config-path '\.github\/missing\.yml' does not exist \(not in .+\)/) }),
    ]);
  });

  it('is an error when the path is a directory, through the API', async () => {
    sim.store.setContent(`${OWNER}/${REPO}`, 'conf/userloop.yml', 'bots: []\n');
    const result = await loadConfig({ octokit: client(), owner: OWNER, repo: REPO, path: 'conf' });
    expect(result.errors.map((e) => e.message)).toEqual(["config-path 'conf' is a directory, not a file: name the YAML file (for example .github/userloop.yml)."]);
  });

  it('reports a file over the limit by its size, through the API', async () => {
    const text = `# ${'x'.repeat(10 * 1024 * 1024)}\n`;
    sim.store.setContent(`${OWNER}/${REPO}`, '.github/big.yml', text);
    const result = await loadConfig({ octokit: client(), owner: OWNER, repo: REPO, path: '.github/big.yml' });
    expect(result.errors.map((e) => e.message)).toEqual([`.github/big.yml: the file is too large (${text.length} bytes; the limit is ${MAX_CONFIG_BYTES} bytes)`]);
  });
});
