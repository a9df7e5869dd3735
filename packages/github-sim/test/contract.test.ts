import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

let sim: Sim;
const R = '/repos/octo-org/octo-repo';

beforeAll(async () => {
  sim = await startSim({ strict: true });
  const repo = sim.store.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'octo-repo' });
  sim.store.createIssue(repo, { title: 'First', body: 'hello', user: 'octocat' });
});
afterAll(async () => {
  await sim.stop();
});

describe('the emulator rejects what GitHub rejects', () => {
  it('a body of the wrong type: labels as a string -> 422 in GitHub shape', async () => {
    const r = await api(sim, 'POST', `${R}/issues/1/labels`, { labels: 'bug' });
    expect(r.status).toBe(422);
    expect(r.json).toEqual({
      message: `Invalid request.\n\nFor 'properties/labels', "bug" is not an array.`,
      documentation_url: 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
      status: '422',
    });
    expect(sim.store.issue(repoName(), 1)!.labels).toEqual([]);
    expect(sim.violations.at(-1)).toMatchObject({ kind: 'body', route: '/repos/{owner}/{repo}/issues/{issue_number}/labels' });
  });

  it('accepts the valid form of the same request', async () => {
    const r = await api(sim, 'POST', `${R}/issues/1/labels`, { labels: ['bug'] });
    expect(r.status).toBe(200);
    expect(r.json.map((l: { name: string }) => l.name)).toEqual(['bug']);
  });

  it('a missing required field: a comment without body -> 422 "wasn\'t supplied"', async () => {
    const r = await api(sim, 'POST', `${R}/issues/1/comments`, { text: 'x' });
    expect(r.status).toBe(422);
    expect(r.json.message).toBe(`Invalid request.\n\n"body" wasn't supplied.`);
    expect(r.json.status).toBe('422');
    expect(r.json.documentation_url).toBe('https://docs.github.com/rest/issues/comments#create-an-issue-comment');
    const ok = await api(sim, 'POST', `${R}/issues/1/comments`, { body: 'Me too' });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toBe(`${sim.url}${R}/issues/comments/${ok.json.id}`);
  });

  it('an unknown route -> 404 Not Found', async () => {
    const r = await api(sim, 'GET', `${R}/issuez`);
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    expect(sim.violations.at(-1)).toMatchObject({ kind: 'unknown-route' });
  });

  it('a bad query enum: state=bogus -> 422; state=all is fine', async () => {
    const bad = await api(sim, 'GET', `${R}/issues?state=bogus`);
    expect(bad.status).toBe(422);
    expect(bad.json.message).toBe('Validation Failed');
    expect(bad.json.errors[0]).toMatchObject({ field: 'state', code: 'invalid', value: 'bogus' });
    expect(bad.json.status).toBe('422');
    const ok = await api(sim, 'GET', `${R}/issues?state=all`);
    expect(ok.status).toBe(200);
  });

  it('a non-integer query parameter (per_page=abc) -> 422', async () => {
    expect((await api(sim, 'GET', `${R}/issues?per_page=abc`)).status).toBe(422);
  });

  it('a non-numeric issue number -> 404', async () => {
    expect((await api(sim, 'GET', `${R}/issues/abc`)).status).toBe(404);
  });

  it('malformed JSON -> 400 Problems parsing JSON', async () => {
    const r = await api(sim, 'POST', `${R}/issues/1/comments`, '{"body": ');
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('Problems parsing JSON');
  });

  it('strict mode: assertClean lists the violations, and passes once they are cleared', () => {
    expect(() => sim.assertClean()).toThrow(/contract violation\(s\):[\s\S]*\[body\][\s\S]*\[unknown-route\]/);
    sim.violations.length = 0;
    expect(() => sim.assertClean()).not.toThrow();
  });

  it('a route GitHub has but the emulator does not implement is flagged', async () => {
    const r = await api(sim, 'GET', `${R}/hooks`);
    expect(r.status).toBe(404);
    expect(sim.violations.at(-1)).toMatchObject({ kind: 'unimplemented', route: '/repos/{owner}/{repo}/hooks' });
    sim.violations.length = 0;
  });

  it('the /api/v3 prefix of GitHub Enterprise Server is accepted', async () => {
    expect((await api(sim, 'GET', `/api/v3${R}/issues/1`)).status).toBe(200);
  });
});

function repoName(): string {
  return 'octo-org/octo-repo';
}
