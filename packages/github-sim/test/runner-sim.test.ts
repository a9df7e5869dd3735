import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, startSim, type Sim } from '../src/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const apiAction = path.join(here, 'fixtures', 'api-action');

describe('runAction against the emulator', () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await startSim();
    const repo = sim.store.createRepo({ owner: 'octo-org', name: 'octo-repo' });
    sim.store.addUser({ login: 'mona' });
    sim.store.createIssue(repo, { title: 'Export fails', body: 'It crashes', user: 'mona' });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('points GITHUB_API_URL / GITHUB_GRAPHQL_URL at the sim and returns only this run\'s requests', async () => {
    // A request before the run must not show up in the run's requests.
    await fetch(`${sim.url}/repos/octo-org/octo-repo`, { headers: { authorization: 'token test-token' } });
    const before = sim.requests.length;
    expect(before).toBeGreaterThan(0);

    const r = await runAction({
      actionDir: apiAction,
      sim,
      event: { name: 'issues', payload: { action: 'opened', issue: { number: 1 }, repository: { full_name: 'octo-org/octo-repo' } } },
      inputs: { 'issue-number': 1 },
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs.title).toBe('Export fails');
    expect(r.outputs.viewer).toBe('github-actions[bot]');
    expect(Number(r.outputs['comment-id'])).toBeGreaterThan(0);
    // The default token is masked in the output, like the runner masks github.token.
    expect(r.stdout).toContain('token used: ***');

    expect(r.requests.map((q) => `${q.route ?? `${q.method} ${q.path}`} ${q.status}`)).toEqual([
      'GET /repos/{owner}/{repo}/issues/{issue_number} 200',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201',
      'POST /graphql 200',
    ]);
    expect(sim.requests.slice(before)).toEqual(r.requests);
    expect(sim.store.commentsOf('octo-org/octo-repo', 1).map((c) => c.body)).toEqual(['Seen: Export fails']);
    sim.assertClean();
  });
});
