// Smoke test of the bench harness at a tiny size: the generator is deterministic, the undo between timed
// runs restores the repository, and a scenario through the runner reports counts (never times).
import { describe, expect, it } from 'vitest';
import { Store, startSim } from '@userloop/github-sim';
import { checkScenario } from '../src/budgets.ts';
import { FULL, generate } from '../src/generate.ts';
import { checkpoint } from '../src/measure.ts';
import { aliasPullRequestState } from '../src/peer.ts';
import { runScenario } from '../src/scenarios.ts';

describe('bench harness', () => {
  it('generates the same repository for the same size, with ~5 comments per issue and a 100-issue release', () => {
    const a = generate(new Store(), 50);
    const b = generate(new Store(), 50);
    const strip = ({ loadMs: _l, ...rest }: typeof a) => rest;
    expect(strip(a)).toEqual(strip(b));
    expect(a.issues).toBe(50);
    expect(a.comments / a.issues).toBeGreaterThanOrEqual(4);
    expect(a.comments / a.issues).toBeLessThanOrEqual(6);
    expect(a.notifyPulls).toHaveLength(50);
    expect(a.unreleasedPulls).toBe(50);
  });

  it('undoes what a run wrote: comments, new issues, releases', () => {
    const s = new Store();
    const g = generate(s, 50);
    const repo = s.mustRepo(FULL);
    const before = { issues: repo.issues.size, comments: repo.comments.size, releases: repo.releases.length, next: repo.next_number };
    const undo = checkpoint(s);
    s.createComment(FULL, g.notifyIssues[0]!, { body: 'notice' });
    s.createIssue(FULL, { title: 'Docs review' });
    s.createRelease(FULL, { tag_name: 'v9.0.0', draft: true });
    undo();
    expect({ issues: repo.issues.size, comments: repo.comments.size, releases: repo.releases.length, next: repo.next_number }).toEqual(before);
  });

  it('aliases only the pull request `state` in the peer query', () => {
    const q = 'a: issueOrPullRequest(number: 1) { ... on Issue {\n  state\n} ... on PullRequest {\n  state\n  mergedAt\n} }';
    expect(aliasPullRequestState(q)).toBe('a: issueOrPullRequest(number: 1) { ... on Issue {\n  state\n} ... on PullRequest {\n  prState: state\n  mergedAt\n} }');
  });

  it('runs draft-release-notes through its action.yml and reports counts within its budget', async () => {
    const sim = await startSim();
    try {
      const g = generate(sim.store, 50);
      const r = await runScenario('draft-release-notes', sim, g, 2);
      expect(r.exitCodes).toEqual([0, 0]);
      expect(r.first.writes).toBe(1);
      expect(r.first.graphqlQueries).toBe(2);
      expect(r.second.sample.writes).toBe(0);
      expect(r.violations).toBe(0);
      // The undo between runs: exactly one draft is left (from the last timed run).
      expect(sim.store.listReleases(FULL).filter((x) => x.draft)).toHaveLength(1);
      const checks = checkScenario(r, { issues: g.issues, pulls: g.pulls, unreleasedPulls: g.unreleasedPulls, notifyIssueCount: 100 });
      expect(checks.map((c) => c.holds)).toEqual([true, true, true, true]);
    } finally {
      await sim.stop();
    }
  });
});
