import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContextError,
  getComment,
  getIssue,
  getPullRequest,
  getRelease,
  isEvent,
  isForkPullRequest,
  isPullRequestIssue,
  readContext,
  unsupportedEvent,
} from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'userloop-context-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function eventFile(name: string, payload: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return file;
}

const user = { login: 'octocat', id: 1, type: 'User' };

describe('readContext', () => {
  it('reads an issue_comment event on GitHub Enterprise Server', async () => {
    const payload = {
      action: 'created',
      issue: { id: 10, number: 7, title: 'T', body: null, state: 'open', user, html_url: 'https://ghe.example/o/r/issues/7', created_at: '2024-01-01T00:00:00Z' },
      comment: { id: 99, body: 'me too', user, html_url: 'https://ghe.example/o/r/issues/7#c99', created_at: '2024-01-02T00:00:00Z' },
      repository: { name: 'r', full_name: 'o/r', owner: user },
      sender: user,
    };
    const context = readContext({
      GITHUB_EVENT_PATH: await eventFile('comment.json', payload),
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_ACTOR: 'octocat',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'abc123',
      GITHUB_WORKSPACE: '/work',
      GITHUB_API_URL: 'https://ghe.example/api/v3',
      GITHUB_SERVER_URL: 'https://ghe.example/',
      GITHUB_RUN_ID: '42',
    });
    expect(context).toEqual({
      eventName: 'issue_comment',
      action: 'created',
      payload,
      repo: { owner: 'octo-org', repo: 'octo-repo' },
      actor: 'octocat',
      ref: 'refs/heads/main',
      sha: 'abc123',
      workspace: '/work',
      apiUrl: 'https://ghe.example/api/v3',
      graphqlUrl: 'https://ghe.example/api/graphql',
      serverUrl: 'https://ghe.example',
      runId: 42,
    });
    expect(getIssue(context)?.number).toBe(7);
    expect(getComment(context)?.id).toBe(99);
    expect(getPullRequest(context)).toBeUndefined();
    expect(getRelease(context)).toBeUndefined();
    expect(isEvent(context, 'issue_comment')).toBe(true);
    expect(isEvent(context, 'issue_comment', 'edited', 'created')).toBe(true);
    expect(isEvent(context, 'issue_comment', 'deleted')).toBe(false);
    expect(isEvent(context, 'issues')).toBe(false);
    expect(isPullRequestIssue(getIssue(context)!)).toBe(false);
  });

  it('defaults to github.com and honours GITHUB_GRAPHQL_URL exactly', async () => {
    const path = await eventFile('schedule.json', {});
    const base = { GITHUB_EVENT_PATH: path, GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_NAME: 'schedule' };
    const context = readContext(base);
    expect([context.apiUrl, context.graphqlUrl, context.serverUrl, context.action]).toEqual([
      'https://api.github.com',
      'https://api.github.com/graphql',
      'https://github.com',
      undefined,
    ]);
    const sim = readContext({ ...base, GITHUB_API_URL: 'http://127.0.0.1:4000', GITHUB_GRAPHQL_URL: 'http://127.0.0.1:4000/graphql' });
    expect([sim.apiUrl, sim.graphqlUrl]).toEqual(['http://127.0.0.1:4000', 'http://127.0.0.1:4000/graphql']);
  });

  it('narrows pull request and release payloads, and spots fork pull requests', async () => {
    const ref = (full: string) => ({ ref: 'main', sha: 's', repo: { full_name: full } });
    const pr = { id: 1, number: 3, title: 'PR', body: '', state: 'open', user, html_url: 'u', created_at: 'c', base: ref('o/r'), head: ref('fork/r') };
    const context = readContext({ GITHUB_EVENT_PATH: await eventFile('pr.json', { action: 'opened', pull_request: pr }), GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_NAME: 'pull_request' });
    expect(getPullRequest(context)?.number).toBe(3);
    expect(isForkPullRequest(context)).toBe(true);
    expect(isForkPullRequest({ payload: { pull_request: { ...pr, head: ref('o/r') } } })).toBe(false);
    expect(isForkPullRequest({ payload: { pull_request: { ...pr, head: { ref: 'x', sha: 's', repo: null } } } })).toBe(true);

    const release = { id: 5, tag_name: 'v1.2.0', name: 'v1.2.0', body: 'notes', draft: false, prerelease: false, html_url: 'u', published_at: 'p' };
    const rel = readContext({ GITHUB_EVENT_PATH: await eventFile('rel.json', { action: 'published', release }), GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_NAME: 'release' });
    expect(getRelease(rel)?.tag_name).toBe('v1.2.0');
  });

  it('falls back to the payload repository when GITHUB_REPOSITORY is absent', async () => {
    const context = readContext({ GITHUB_EVENT_PATH: await eventFile('repo.json', { repository: { name: 'r', full_name: 'own/r', owner: user } }) });
    expect(context.repo).toEqual({ owner: 'own', repo: 'r' });
  });

  it('fails clearly without an event file, with invalid JSON, or without a repository', async () => {
    expect(() => readContext({ GITHUB_REPOSITORY: 'o/r' })).toThrow(ContextError);
    expect(() => readContext({ GITHUB_REPOSITORY: 'o/r' })).toThrow(/GITHUB_EVENT_PATH is not set/);
    expect(() => readContext({ GITHUB_EVENT_PATH: join(dir, 'missing.json'), GITHUB_REPOSITORY: 'o/r' })).toThrow(/Cannot read the event payload/);
    const bad = await eventFile('bad.json', '{"action": ');
    expect(() => readContext({ GITHUB_EVENT_PATH: bad, GITHUB_REPOSITORY: 'o/r' })).toThrow(/is not valid JSON/);
    const list = await eventFile('list.json', '[1]');
    expect(() => readContext({ GITHUB_EVENT_PATH: list, GITHUB_REPOSITORY: 'o/r' })).toThrow(/not a JSON object/);
    const ok = await eventFile('ok.json', {});
    expect(() => readContext({ GITHUB_EVENT_PATH: ok, GITHUB_REPOSITORY: 'nope' })).toThrow('GITHUB_REPOSITORY must look like "owner/repo" (got "nope").');
  });
});

describe('unsupportedEvent', () => {
  const supported = { push: [], pull_request: ['closed'], workflow_dispatch: [] };
  it('null for a handled event (any action when none are listed)', () => {
    expect(unsupportedEvent({ eventName: 'push', action: undefined }, supported)).toBeNull();
    expect(unsupportedEvent({ eventName: 'workflow_dispatch', action: undefined }, supported)).toBeNull();
    expect(unsupportedEvent({ eventName: 'pull_request', action: 'closed' }, supported)).toBeNull();
  });
  it('names the event, its action and the supported events otherwise', () => {
    expect(unsupportedEvent({ eventName: 'watch', action: 'started' }, supported, 'draft-release-notes')).toBe(
      'draft-release-notes runs on push, pull_request (closed) and workflow_dispatch; nothing to do for watch.started.',
    );
    expect(unsupportedEvent({ eventName: 'pull_request', action: 'opened' }, supported)).toBe(
      'this action runs on push, pull_request (closed) and workflow_dispatch; nothing to do for pull_request.opened.',
    );
    expect(unsupportedEvent({ eventName: 'pull_request', action: undefined }, supported)).toMatch(/nothing to do for pull_request\.$/);
    // Not fooled by inherited keys.
    expect(unsupportedEvent({ eventName: 'constructor', action: undefined }, supported)).toMatch(/nothing to do for constructor\.$/);
  });
});
