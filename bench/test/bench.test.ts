// Smoke test of the bench harness at a tiny size: the generator is deterministic, the undo between timed
// runs restores the repository, and a scenario through the runner reports counts (never times).
import { describe, expect, it } from 'vitest';
import { Store, startSim } from '@userloop/github-sim';
import { checkScenario } from '../src/budgets.ts';
import { FULL, generate } from '../src/generate.ts';
import { checkpoint } from '../src/measure.ts';
import { runPeer } from '../src/peer.ts';
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

  it('runs draft-release-notes through its action.yml and reports counts within its budget', async () => {
    const sim = await startSim();
    try {
      const g = generate(sim.store, 50);
      const r = await runScenario('draft-release-notes', sim, g, 2);
      expect(r.exitCodes).toEqual([0, 0]);
      expect(r.first.writes).toBe(1);
      expect(r.first.graphqlQueries).toBe(2);
      // No prioritize ledger among these PRs' issues at 50 issues, so no identity (Viewer) query.
      expect(r.first.graphqlByOperation).toEqual({ ReleaseRange: 1, ReleasePullRequests: 1 });
      expect(r.second.sample.writes).toBe(0);
      expect(r.violations).toBe(0);
      // The undo between runs: exactly one draft is left (from the last timed run).
      expect(sim.store.listReleases(FULL).filter((x) => x.draft)).toHaveLength(1);
      const checks = checkScenario(r, { issues: g.issues, pulls: g.pulls, unreleasedPulls: g.unreleasedPulls, unreleasedClosedIssues: g.unreleasedClosedIssues, notifyIssueCount: 100 });
      expect(checks.map((c) => c.holds)).toEqual([true, true, true, true, true]);
    } finally {
      await sim.stop();
    }
  });

  it('runs the peer with its own, unmodified requests: no emulator violation, every comment and label written', async () => {
    // The peer's write pacing is off (see peer.ts), so its 198 writes arrive in one burst that GitHub's content
    // limits (80 a minute) would stop; paced as on GitHub (1 s apart) they stay under them. Counts, not limits, here.
    const sim = await startSim({ contentLimit: false });
    try {
      const g = generate(sim.store, 50);
      const p = await runPeer(sim, g);
      if (!('first' in p)) throw new Error(p.error);
      expect(p.error).toBeNull();
      expect(p.violations).toBe(0);
      // Its getRelatedIssues query selects `state` as IssueState! and PullRequestState! on one field: accepted, as on GitHub.
      expect(p.first.graphqlByOperation).toEqual({ getAssociatedPRs: 1, getRelatedIssues: 1, getSRIssues: 1 });
      // A comment and a "released" label on each of the 50 PRs and every issue they close (at 50 issues the
      // release's 100 "Closes #n" name 49 distinct issues; 100 from 101 issues up), and again on a re-run.
      expect(p.targetsFirst).toBe(g.notifyPulls.length + new Set(g.notifyIssues).size);
      expect(p.resolvedIssuesCommented).toBe(g.notifyIssues.length);
      expect(p.commentsFirst).toBe(p.targetsFirst);
      expect(p.labelsFirst).toBe(p.targetsFirst);
      expect(p.first.writes).toBe(2 * p.targetsFirst);
      expect(p.commentsSecond).toBe(p.commentsFirst);
    } finally {
      await sim.stop();
    }
  });
});
