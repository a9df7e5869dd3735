import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSim } from '@userloop/github-sim';
import { createOctokit, graphqlPaginate, graphqlUrlFor, isWriteRequest } from '../src/index.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A real HTTP server that records requests and answers with `respond`. */
async function recordingServer(respond: (req: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
      seen.push(entry);
      respond(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

const json = (res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(data));
};

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

/** Silences the `::add-mask::` / `::warning::` workflow commands the client writes. */
function quiet(): () => string {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => {
    spy.mockRestore();
    return chunks.join('');
  };
}

describe('createOctokit', () => {
  it('refuses an empty token with a clear error', () => {
    expect(() => createOctokit({ token: '' })).toThrow(/The GitHub token is empty/);
    expect(() => createOctokit({ token: '   ' })).toThrow(/The GitHub token is empty/);
  });

  it('masks the token on an Actions runner', () => {
    const done = quiet();
    createOctokit({ token: 'secret-123', apiUrl: 'http://127.0.0.1:1', env: { GITHUB_ACTIONS: 'true' } });
    expect(done()).toContain('::add-mask::secret-123\n');
  });

  it('never prints the token outside a runner (a mask command would show it in a terminal)', () => {
    const done = quiet();
    createOctokit({ token: 'secret-456', apiUrl: 'http://127.0.0.1:1', env: {} });
    expect(done()).not.toContain('secret-456');
  });

  it('sends REST to the GHES base and GraphQL to the configured GraphQL URL', async () => {
    const { url, seen, server } = await recordingServer((req, res) => {
      if (req.url.endsWith('/graphql')) json(res, 200, { data: { viewer: { login: 'octocat' } } });
      else json(res, 200, { login: 'octocat' });
    });
    servers.push(server);
    const done = quiet();
    const octokit = createOctokit({ token: 't', apiUrl: `${url}/api/v3`, graphqlUrl: `${url}/api/graphql` });
    done();
    await octokit.request('GET /user');
    await octokit.graphql('query { viewer { login } }');
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v3/user', 'POST /api/graphql']);
    expect(seen[0]?.authorization).toBe('token t');
  });

  it('reads both URLs from the environment, GraphQL exactly as given', async () => {
    const { url, seen, server } = await recordingServer((req, res) => json(res, 200, req.url.includes('gql') ? { data: { ok: 1 } } : {}));
    servers.push(server);
    const done = quiet();
    const octokit = createOctokit({ token: 't', env: { GITHUB_API_URL: `${url}/`, GITHUB_GRAPHQL_URL: `${url}/proxy/gql` } });
    done();
    await octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    expect(await octokit.graphql('{ ok }')).toEqual({ ok: 1 });
    expect(seen.map((r) => r.url)).toEqual(['/repos/o/r', '/proxy/gql']);
  });

  it('derives the default GraphQL URL', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://ghe.example/api/v3/')).toBe('https://ghe.example/api/graphql');
    expect(graphqlUrlFor('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/graphql');
  });

  it('retries a 502, then succeeds', async () => {
    let calls = 0;
    const { url, server } = await recordingServer((_req, res) => {
      calls++;
      if (calls === 1) json(res, 502, { message: 'Bad Gateway' });
      else json(res, 200, { login: 'octocat' });
    });
    servers.push(server);
    const done = quiet();
    const octokit = createOctokit({ token: 't', apiUrl: url, throttle: { waitScale: 0.001 } });
    const { data } = await octokit.request('GET /user');
    done();
    expect(data.login).toBe('octocat');
    expect(calls).toBe(2);
  });

  it('retries a secondary rate limit after retry-after with a warning, a bounded number of times', async () => {
    let calls = 0;
    const { url, server } = await recordingServer((_req, res) => {
      calls++;
      json(res, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '2' });
    });
    servers.push(server);
    const done = quiet();
    const octokit = createOctokit({ token: 't', apiUrl: url, throttle: { waitScale: 0.001, retries: 2 } });
    const error = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'o', repo: 'r', title: 'x' }).catch((e: unknown) => e);
    const out = done();
    expect((error as { status?: number }).status).toBe(403);
    expect(calls).toBe(3);
    expect(out).toContain('::warning::GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues; retrying in 2 s (retry 1 of 2).');
    expect(out).toContain('giving up after 2 retries');
  });

  it('waits the whole retry-after of a secondary rate limit, scaled only by waitScale (emulator, request times)', async () => {
    const sim = await startSim();
    try {
      sim.store.createRepo({ owner: 'o', name: 'r' });
      sim.faults.add({ method: 'GET', route: '/repos/{owner}/{repo}', kind: 'secondary-rate-limit', retryAfter: 6, times: 1 });
      const done = quiet();
      // waitScale 0.05: the header's 6 s is 300 ms here; ignoring it (retrying at once, after the plugin's
      // 1 s base or after the 60 s fallback for a missing header: 50 ms or 3 s) falls outside the bounds.
      const octokit = createOctokit({ token: 't', apiUrl: sim.url, throttle: { waitScale: 0.05 } });
      const { status } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
      done();
      expect(status).toBe(200);
      const [limited, retry, ...more] = sim.requests.filter((q) => q.route === 'GET /repos/{owner}/{repo}');
      expect(more).toEqual([]);
      expect([limited?.status, retry?.status]).toEqual([403, 200]);
      const waited = retry!.at! - limited!.at!;
      expect(waited).toBeGreaterThanOrEqual(6 * 1000 * 0.05);
      expect(waited).toBeLessThan(60 * 1000 * 0.05);
    } finally {
      await sim.stop();
    }
  });

  it('waits for a primary rate limit reset and retries', async () => {
    let calls = 0;
    const { url, server } = await recordingServer((_req, res) => {
      calls++;
      if (calls === 1) {
        json(res, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) });
      } else json(res, 200, { login: 'octocat' });
    });
    servers.push(server);
    const done = quiet();
    const octokit = createOctokit({ token: 't', apiUrl: url, throttle: { waitScale: 0.001 } });
    const { data } = await octokit.request('GET /user');
    const out = done();
    expect(data.login).toBe('octocat');
    expect(calls).toBe(2);
    expect(out).toMatch(/::warning::GitHub primary rate limit on GET \/user; retrying in \d s/);
  });
});

describe('graphqlPaginate', () => {
  it('follows endCursor until hasNextPage is false', async () => {
    const { url, seen, server } = await recordingServer((req, res) => {
      const { variables } = JSON.parse(req.body) as { variables: { cursor: string | null } };
      const page = variables.cursor === null ? 0 : Number(variables.cursor);
      json(res, 200, {
        data: {
          repository: {
            issues: {
              nodes: [{ number: page * 2 + 1 }, { number: page * 2 + 2 }],
              pageInfo: { hasNextPage: page < 2, endCursor: String(page + 1) },
            },
          },
        },
      });
    });
    servers.push(server);
    const done = quiet();
    const octokit = createOctokit({ token: 't', apiUrl: url, throttle: { waitScale: 0 } });
    done();
    type Data = { repository: { issues: { nodes: Array<{ number: number }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const query = 'query($owner: String!, $cursor: String) { repository(owner: $owner, name: "r") { issues(first: 100, after: $cursor) { nodes { number } pageInfo { hasNextPage endCursor } } } }';
    const nodes = await graphqlPaginate(octokit, query, { owner: 'o' }, (data: Data) => data.repository.issues);
    expect(nodes.map((n) => n.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.map((r) => (JSON.parse(r.body) as { variables: unknown }).variables)).toEqual([
      { owner: 'o', cursor: null },
      { owner: 'o', cursor: '1' },
      { owner: 'o', cursor: '2' },
    ]);
  });
});

describe('isWriteRequest: what GitHub asks to space one second apart', () => {
  it.each([
    [{ method: 'POST', url: '/repos/{owner}/{repo}/issues/{issue_number}/comments' }, true],
    [{ method: 'PATCH', url: '/repos/{owner}/{repo}/issues/{issue_number}' }, true],
    [{ method: 'PUT', url: '/repos/{owner}/{repo}/issues/{issue_number}/labels' }, true],
    [{ method: 'DELETE', url: '/repos/{owner}/{repo}/issues/comments/{comment_id}' }, true],
    [{ method: 'POST', url: '/graphql', query: 'mutation { addComment(input: {}) { clientMutationId } }' }, true],
    [{ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' }, false],
    [{ method: 'POST', url: 'https://example.test/api/graphql', body: { query: '{ viewer { login } }' } }, false],
    [{ method: 'GET', url: '/repos/{owner}/{repo}/issues' }, false],
  ])('%j -> %s', (options, expected) => {
    expect(isWriteRequest(options)).toBe(expected);
  });
});
