// The config read inside the issue's first query (core's CONFIG_FILE_FIELD), as run.ts asks for it when no
// checkout holds the file: main against the emulator over HTTP, the requests counted.
import { describe, expect, it } from 'vitest';
import { ConfigError, createOctokit, loadConfig, requireValidConfig, type WebhookPayload } from '@userloop/core';
import { seedFromWebhook, webhookExample, type Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { NOW } from './helpers.ts';
import { eachTestWithSim } from './sim.ts';

const REPO = 'Codertocat/Hello-World';
const PATH = '.github/userloop.yml';
let sim: Sim;

eachTestWithSim(null, (s) => {
  sim = s;
});

function octokit() {
  return createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 0 });
}

/** The commit the config is read at, holding `text` at the config's path. */
function commitConfig(text: string): string {
  const [commit] = sim.store.commitOn(REPO, 'main', ['config']);
  sim.store.setContent(REPO, PATH, text, commit!.sha);
  return commit!.sha;
}

/** Seeds the recorded `issues.opened` payload, commits `config` (none: a commit without the file) and handles the event as run.ts does without a checkout. */
async function opened(config: string | null, before?: () => void) {
  const payload = webhookExample('issues', 'opened') as WebhookPayload;
  seedFromWebhook(sim.store, payload);
  const ref = config === null ? sim.store.commitOn(REPO, 'main', ['nothing'])[0]!.sha : commitConfig(config);
  before?.();
  sim.resetCounters();
  const client = octokit();
  const loads: string[] = [];
  const result = await main(
    {
      eventName: 'issues',
      action: 'opened',
      payload,
      owner: 'Codertocat',
      repo: 'Hello-World',
      serverUrl: 'https://github.com',
      config: async () => {
        loads.push(ref);
        return requireValidConfig(await loadConfig({ octokit: client, owner: 'Codertocat', repo: 'Hello-World', ref, path: PATH }));
      },
      configAt: { ref, path: PATH },
      now: NOW,
    },
    { octokit: client },
  );
  return { result, loads, ref };
}

const labelsOf = () => sim.store.issueLabels(REPO, sim.store.mustIssue(REPO, 1)).map((l) => l.name).sort();
const contentReads = () => sim.counters.restByRoute['GET /repos/{owner}/{repo}/contents/{path}'] ?? 0;

describe('the config inside the first query', () => {
  it('is read without a request of its own; its label is created with its colour', async () => {
    const { result, loads } = await opened('prioritize:\n  labels:\n    low: P3\n');
    expect(result.priority).toBe('low');
    expect(labelsOf()).toEqual(['P3', 'bug']);
    expect(sim.store.findLabel(REPO, 'P3')?.color).toBe('c5def5');
    expect(loads).toEqual([]);
    expect(contentReads()).toBe(0);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/labels']).toBe(1);
  });

  it('a label the config names that exists is not created again', async () => {
    await opened('prioritize:\n  labels:\n    low: P3\n', () => sim.store.createLabel(REPO, { name: 'p3', color: '000000' }));
    expect(labelsOf()).toEqual(['bug', 'p3']);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/labels']).toBeUndefined();
  });

  it('over 100 labels in the repository: the config\'s ones are looked up by name (one query), none created twice', async () => {
    const { result } = await opened('prioritize:\n  labels:\n    low: zz-low\n', () => {
      for (let i = 0; i < 120; i++) sim.store.createLabel(REPO, { name: `area ${String(i).padStart(3, '0')}`, color: 'ededed' });
      sim.store.createLabel(REPO, { name: 'zz-low', color: '000000' });
    });
    expect(result.priority).toBe('low');
    expect(labelsOf()).toEqual(['bug', 'zz-low']);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/labels']).toBeUndefined();
    const operations = sim.requests.filter((q) => q.route === 'POST /graphql').map((q) => /(?:query|mutation) (\w+)/.exec(String((q.body as { query?: string }).query))?.[1]);
    expect(operations.filter((o) => o === 'PrioritizeLabels')).toHaveLength(1);
  });

  it('a mistake in the file fails the run naming file, line and key, before any write', async () => {
    const error = await opened('prioritize:\n  lables:\n    high: P1\n').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues[0];
    expect(issue).toMatchObject({ file: PATH, line: 2 });
    expect(issue?.message).toMatch(/lables/);
    expect(sim.counters.writes).toBe(0);
  });

  it('a file GitHub cuts (over 512,000 bytes) is read again through the contents API', async () => {
    const { result, loads, ref } = await opened(`# ${'x'.repeat(600_000)}\nprioritize:\n  labels:\n    low: P3\n`);
    expect(result.priority).toBe('low');
    expect(labelsOf()).toEqual(['P3', 'bug']);
    expect(loads).toEqual([ref]);
    expect(contentReads()).toBe(1);
  });

  it('no file at the commit: every default, no request of its own', async () => {
    const { result } = await opened(null);
    expect(result.priority).toBe('low');
    expect(labelsOf()).toEqual(['bug', 'priority: low']);
    expect(contentReads()).toBe(0);
  });
});

describe('issues.opened on a repository with more open issues than the read lists', () => {
  it('4 requests: the read (config in it), the search for older similar issues, the label, the reply with the look for a copy', async () => {
    const { result } = await opened('prioritize:\n  labels:\n    low: P3\n', () => {
      sim.store.createLabel(REPO, { name: 'P3', color: 'c5def5' });
      for (let i = 0; i < 120; i++) sim.store.createIssue(REPO, { title: `Old report ${i} about the exporter`, user: 'octocat' });
    });
    expect(result.priority).toBe('low');
    expect(result.commentAction).toBe('created');
    const operations = sim.requests.filter((q) => q.route === 'POST /graphql').map((q) => /(?:query|mutation) (\w+)/.exec(String((q.body as { query?: string }).query))?.[1]);
    expect(operations).toEqual(['Prioritize', 'UserloopAddComment']);
    expect(sim.counters.restByRoute).toEqual({
      'GET /search/issues': 1,
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': 1,
    });
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBe(4);
    expect(sim.counters.writes).toBe(2);
  });
});
