// What a workflow's `on:` subscribes to, from its text and through the API (the emulator).
import { describe, expect, it } from 'vitest';
import type { Sim } from '@userloop/github-sim';
import { createOctokit, parseWorkflowRef, readWorkflowSubscription, subscribesTo, workflowEventTypes } from '../src/index.ts';
import { eachTestWithSim } from './each-sim.ts';

const types = (text: string) => {
  const s = workflowEventTypes(text, 'release');
  if (!s) return null;
  if (!s.subscribed) return 'not subscribed';
  return s.types === 'all' ? 'all' : [...s.types].sort();
};

describe('workflowEventTypes', () => {
  it('reads every way GitHub accepts `on:`', () => {
    expect(types('on: release\n')).toBe('all');
    expect(types('on: push\n')).toBe('not subscribed');
    expect(types('on: [push, release]\n')).toBe('all');
    expect(types('on:\n  release:\n')).toBe('all');
    expect(types('on:\n  release: {}\n')).toBe('all');
    expect(types('on:\n  release:\n    types: [published, released]\n')).toEqual(['published', 'released']);
    expect(types('on:\n  release:\n    types:\n      - published\n  push:\n')).toEqual(['published']);
    expect(types('on:\n  release:\n    types: released\n')).toEqual(['released']);
    expect(types('"on":\n  release:\n    types: [prereleased]\n')).toEqual(['prereleased']);
    expect(types('on:\n  issues:\n    types: [opened]\n')).toBe('not subscribed');
  });

  it('knows nothing (null) about a file GitHub would not accept', () => {
    expect(types('on: [release\n')).toBeNull();
    expect(types('name: x\n')).toBeNull();
    expect(types('on:\n  release:\n    types: { a: 1 }\n')).toBeNull();
    expect(types('- a\n')).toBeNull();
  });

  it('subscribesTo: a listed type, or any type without a filter', () => {
    expect(subscribesTo(workflowEventTypes('on:\n  release:\n    types: [published]\n', 'release')!, 'released')).toBe(false);
    expect(subscribesTo(workflowEventTypes('on:\n  release:\n    types: [published]\n', 'release')!, 'published')).toBe(true);
    expect(subscribesTo(workflowEventTypes('on: release\n', 'release')!, 'released')).toBe(true);
    expect(subscribesTo(workflowEventTypes('on: push\n', 'release')!, 'released')).toBe(false);
  });

  it('parseWorkflowRef splits GITHUB_WORKFLOW_REF', () => {
    expect(parseWorkflowRef('octo-org/octo-repo/.github/workflows/notify.yml@refs/heads/main')).toEqual({
      owner: 'octo-org',
      repo: 'octo-repo',
      path: '.github/workflows/notify.yml',
    });
    expect(parseWorkflowRef('octo-org/octo-repo/.github/workflows/a/b.yaml@refs/tags/v1')?.path).toBe('.github/workflows/a/b.yaml');
    expect(parseWorkflowRef('')).toBeNull();
    expect(parseWorkflowRef('octo-org/octo-repo/src/x.yml@main')).toBeNull();
  });
});

describe('readWorkflowSubscription (through the API)', () => {
  let sim: Sim;
  eachTestWithSim((s) => {
    sim = s;
    sim.store.addUser({ login: 'octo-org', type: 'Organization' });
    sim.store.createRepo({ owner: 'octo-org', name: 'octo-repo' });
  });
  const octokit = () => createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0 }, retries: 0 });

  it('reads the file at the workflow sha in one request; unknown for another repository, a missing file or no ref', async () => {
    const [commit] = sim.store.commitOn('octo-org/octo-repo', 'main', [{ message: 'workflows' }]);
    sim.store.setContent('octo-org/octo-repo', '.github/workflows/notify.yml', 'on:\n  release:\n    types: [published, released]\n', commit!.sha);
    const read = (workflowRef: string | undefined) =>
      readWorkflowSubscription({ octokit: octokit(), owner: 'octo-org', repo: 'octo-repo', workflowRef, sha: commit!.sha, event: 'release' });
    sim.resetCounters();
    const found = await read('octo-org/octo-repo/.github/workflows/notify.yml@refs/tags/v1.0.0');
    expect(found).toEqual({ subscribed: true, types: new Set(['published', 'released']) });
    expect(sim.counters.rest).toBe(1);
    expect(await read('other-org/other/.github/workflows/notify.yml@refs/heads/main')).toBeNull();
    expect(await read('octo-org/octo-repo/.github/workflows/missing.yml@refs/heads/main')).toBeNull();
    expect(await read(undefined)).toBeNull();
  });
});
