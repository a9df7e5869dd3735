import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { checkRequest, matchRoute } from '../src/openapi.ts';
import { api } from './helpers.ts';

let sim: Sim;
const R = '/repos/octo-org/octo-repo';
const labelsOf = (n: number) => sim.store.issue('octo-org/octo-repo', n)!.labels;

beforeAll(async () => {
  sim = await startSim({ strict: true });
  const repo = sim.store.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'octo-repo' });
  for (let n = 1; n <= 3; n++) sim.store.createIssue(repo, { title: `Issue ${n}`, body: '', user: 'octocat' });
});
afterAll(async () => {
  await sim.stop();
});

describe('add labels: every body form GitHub documents', () => {
  it.each([
    ['an object with label names', { labels: ['a1'] }, ['a1']],
    ['an object with label objects', { labels: [{ name: 'a2' }] }, ['a2']],
    ['a bare array of names (what semantic-release sends)', ['a3', 'a4'], ['a3', 'a4']],
    ['a bare array of label objects', [{ name: 'a5' }], ['a5']],
    ['a single label as a string', '"a6"', ['a6']],
  ])('accepts %s', async (_what, body, added) => {
    const before = [...labelsOf(1)];
    const r = await api(sim, 'POST', `${R}/issues/1/labels`, body);
    expect(r.status).toBe(200);
    expect(labelsOf(1)).toEqual([...before, ...added]);
    expect((r.json as { name: string }[]).map((l) => l.name)).toEqual([...before, ...added]);
  });

  it.each([
    ['a number', 42, '42 is not an object.'],
    ['labels of the wrong item type', { labels: [42] }, `For 'properties/labels/items', 42 is not a string.`],
    ['an empty bare array', [], '[] is not a valid value: it must contain at least 1 item(s).'],
    ['label objects without a name', [{ color: 'fff' }], `"name" wasn't supplied.`],
  ])('still rejects %s with 422', async (_what, body, message) => {
    const before = [...labelsOf(2)];
    const r = await api(sim, 'POST', `${R}/issues/2/labels`, body);
    expect(r.status).toBe(422);
    expect(r.json).toEqual({
      message: `Invalid request.\n\n${message}`,
      documentation_url: 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
      status: '422',
    });
    expect(labelsOf(2)).toEqual(before);
  });
});

describe('set labels: every body form GitHub documents', () => {
  it.each([
    ['an object with label names', { labels: ['s1', 's2'] }, ['s1', 's2']],
    ['an object with label objects', { labels: [{ name: 's3' }] }, ['s3']],
    ['a bare array of names', ['s4'], ['s4']],
    ['a bare array of label objects', [{ name: 's5' }, { name: 's6' }], ['s5', 's6']],
    ['a single label as a string', '"s7"', ['s7']],
    ['an object with an empty array (removes all)', { labels: [] }, []],
    ['an empty bare array (removes all)', [], []],
  ])('accepts %s', async (_what, body, labels) => {
    await api(sim, 'POST', `${R}/issues/3/labels`, { labels: ['old'] });
    const r = await api(sim, 'PUT', `${R}/issues/3/labels`, body);
    expect(r.status).toBe(200);
    expect(labelsOf(3)).toEqual(labels);
  });

  it('still rejects label objects of the wrong shape', async () => {
    const r = await api(sim, 'PUT', `${R}/issues/3/labels`, { labels: [{ name: 5 }] });
    expect(r.status).toBe(422);
    expect(r.json.message).toMatch(/^Invalid request\.\n\n/);
  });
});

describe('oneOf in request schemas reads as "any of the documented forms"', () => {
  const check = (method: string, path: string, body: unknown) => {
    const match = matchRoute(method, path);
    if (!match) throw new Error(`no route ${method} ${path}`);
    return checkRequest(match, path, new URLSearchParams(), body, true);
  };

  it('accepts a body that matches two overlapping branches (checks/update: conclusion | anything)', () => {
    expect(check('PATCH', `${R}/check-runs/1`, { status: 'completed', conclusion: 'success' }).error).toBeUndefined();
    // code-scanning/update-alert: required [state] | required [assignees]; both given
    expect(check('PATCH', `${R}/code-scanning/alerts/1`, { state: 'open', assignees: ['octocat'] }).error).toBeUndefined();
  });

  it('still rejects a body that matches none of them', () => {
    const r = check('PATCH', `${R}/check-runs/1`, { conclusion: 'bogus' });
    expect(r.error?.status).toBe(422);
    expect(r.violation?.kind).toBe('body');
    expect(check('PATCH', `${R}/code-scanning/alerts/1`, { dismissed_comment: 'x' }).error?.status).toBe(422);
  });
});
