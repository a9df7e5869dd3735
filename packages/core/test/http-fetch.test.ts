import { createServer, globalAgent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch } from '../src/http-fetch.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A server on 127.0.0.1 that records each request and answers with `respond`. */
async function serve(respond: (req: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
      seen.push(entry);
      respond(entry, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('httpFetch (the client without a proxy)', () => {
  it('sends the method, headers and body, and answers status, headers (lower case) and JSON', async () => {
    const { url, seen } = await serve((req, res) => res.writeHead(201, { 'Content-Type': 'application/json', 'X-RateLimit-Remaining': '42' }).end(JSON.stringify({ got: req.body })));
    const response = await httpFetch(`${url}/repos/o/r/issues`, { method: 'POST', headers: { authorization: 'token t', 'content-type': 'application/json' }, body: '{"title":"x"}' });
    expect(response.status).toBe(201);
    expect(response.url).toBe(`${url}/repos/o/r/issues`);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('42');
    expect(Object.fromEntries(response.headers)).toMatchObject({ 'content-type': 'application/json', 'x-ratelimit-remaining': '42' });
    expect(await response.json()).toEqual({ got: '{"title":"x"}' });
    expect(seen).toEqual([{ method: 'POST', url: '/repos/o/r/issues', authorization: 'token t', body: '{"title":"x"}' }]);
  });

  it('decompresses a gzip answer', async () => {
    const { url } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('compressed text')));
    expect(await (await httpFetch(url)).text()).toBe('compressed text');
  });

  it('follows a GET redirect; a POST answered 302 is re-sent as a GET without its body; manual returns the 3xx', async () => {
    const { url, seen } = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else if (req.url === '/post') res.writeHead(302, { location: '/after' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url}`);
    });
    const moved = await httpFetch(`${url}/old`);
    expect([moved.status, moved.url, moved.redirected, await moved.text()]).toEqual([200, `${url}/new`, true, 'GET /new']);
    const posted = await httpFetch(`${url}/post`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(await posted.text()).toBe('GET /after');
    expect(seen.at(-1)?.body).toBe('');
    const manual = await httpFetch(`${url}/post`, { method: 'POST', body: 'x', redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([302, '/after']);
  });

  it('drops the authorization header on a redirect to another origin', async () => {
    const other = await serve((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(String(req.authorization)));
    const { url } = await serve((_req, res) => res.writeHead(302, { location: `${other.url}/elsewhere` }).end());
    expect(await (await httpFetch(`${url}/x`, { headers: { authorization: 'token secret' } })).text()).toBe('undefined');
  });

  it('a connection refused or dropped is a TypeError with the cause, as fetch throws it', async () => {
    const { url } = await serve((_req, res) => res.end());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const error = await httpFetch(`${url}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('an answer whose body nobody reads (a 204 to a DELETE) frees its connection: the next request reuses it', async () => {
    const { url } = await serve((_req, res) => res.writeHead(204).end());
    const connections = servers[servers.length - 1]!;
    let opened = 0;
    connections.on('connection', () => (opened += 1));
    // Unread, the 204 would hold its connection (and keep the process alive) until the server closed it.
    connections.keepAliveTimeout = 60_000;
    expect((await httpFetch(`${url}/repos/o/r/issues/comments/1`, { method: 'DELETE' })).status).toBe(204);
    const port = new URL(url).port;
    await expect.poll(() => Object.keys(globalAgent.freeSockets).some((key) => key.startsWith(`127.0.0.1:${port}:`))).toBe(true);
    expect((await httpFetch(`${url}/repos/o/r/issues/comments/2`, { method: 'DELETE' })).status).toBe(204);
    expect(opened).toBe(1);
  });

  it('an aborted signal fails with an AbortError', async () => {
    const { url } = await serve(() => {});
    const controller = new AbortController();
    const pending = httpFetch(`${url}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
