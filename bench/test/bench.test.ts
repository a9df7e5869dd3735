// Smoke test of the bench harness at a tiny size: the generator is deterministic, the undo between timed
// runs restores the repository, and a scenario through the runner reports counts (never times).
import { describe, expect, it } from 'vitest';
import { Store, startSim } from '@userloop/github-sim';
import { checkColdStart, checkScenario, checkSweep, notRunAtLarge, pacedScheduleMs, type BudgetCheck, type ScenarioContext } from '../src/budgets.ts';
import { FULL, generate } from '../src/generate.ts';
import { budgetRows } from '../src/main.ts';
import { checkpoint } from '../src/measure.ts';
import { runPeer } from '../src/peer.ts';
import { runDrafterPeer } from '../src/peer-drafter.ts';
import { runScenario, runSweep } from '../src/scenarios.ts';

/** Every Budgets row names the action, the budget, the figure and its limit, with a ratio and yes/no (or not measured). */
function expectShape(checks: readonly BudgetCheck[]): void {
  for (const c of checks) {
    expect(typeof c.action).toBe('string');
    expect(c.budget.length).toBeGreaterThan(0);
    expect(c.measured.length).toBeGreaterThan(0);
    expect(c.limit.length).toBeGreaterThan(0);
    if (c.ratio !== null) expect(c.ratio).toBeCloseTo(c.value! / Number(/(\d[\d,.]*)/.exec(c.limit.replace(/,/g, ''))![1]));
    expect([true, false, null]).toContain(c.holds);
  }
}

describe('bench budgets table', () => {
  it('holds bundles to 500 KiB and the first request to 120 ms', () => {
    const cold = (bundleBytes: number, firstRequestMs: number | null) =>
      checkColdStart({ action: 'prioritize', bundleBytes, firstRequestMs, exitMs: 300, samples: 3 }).map((c) => c.holds);
    expect(cold(499 * 1024, 119)).toEqual([true, true]);
    expect(cold(501 * 1024, 121)).toEqual([false, false]);
    expect(cold(100, null)).toEqual([true, false]);
    expectShape(checkColdStart({ action: 'kpi-report', bundleBytes: 600 * 1024, firstRequestMs: 150, exitMs: 300, samples: 3 }));
  });

  it("paces 101 writes in 100 s (1 s apart: GitHub's limit), 500 inside the hour", async () => {
    expect(await pacedScheduleMs(101)).toBe(100_000);
    const five = await pacedScheduleMs(500);
    expect(five).toBeGreaterThanOrEqual(499_000);
    expect(five).toBeLessThan(3_600_000);
  });

  it('prints one row per budget with the physical limit or budget, the ratio and whether it holds', () => {
    const large = notRunAtLarge();
    expect(large.map((c) => [c.size, c.holds])).toEqual([
      [50_000, null],
      [50_000, null],
    ]);
    const rows = budgetRows(large);
    expect(rows[0]).toEqual(['Action', 'Issues', 'Budget', 'Measured', 'Physical limit or budget', 'Ratio', 'Holds']);
    expect(rows.slice(1).map((r) => [r[1], r[5], r[6]])).toEqual([
      ['50,000', '-', 'not measured'],
      ['50,000', '-', 'not measured'],
    ]);
  });
});

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
      expectShape(checks);
      // Points and queries against the pages, one write, constant REST, no Viewer query, nothing written again.
      expect(checks).toHaveLength(6);
      // 50 commits, 50 PRs and the issues they close: 1 + 1 + ceil(issues/50) pages, 1 point each.
      const pages = 2 + Math.ceil(g.unreleasedClosedIssues / 50);
      expect(checks.map((c) => c.holds)).toEqual([r.first.graphqlPoints <= 1.2 * pages, true, true, true, true, true]);
      const points = checks[0]!;
      expect(points.limit).toMatch(new RegExp(`^physical limit ${pages} points: ceil\\(50 commits/100\\) \\+ ceil\\(50 PRs/50\\)`));
      expect(points.value).toBe(r.first.graphqlPoints);
      expect(points.ratio).toBeCloseTo(r.first.graphqlPoints / pages);
      // With the peer's figures, a row compares the points with release-drafter's on the same push.
      const drafter = { version: '6.1.0', first: { ...r.first, graphqlPoints: r.first.graphqlPoints + 1 } } as unknown as NonNullable<ScenarioContext['drafter']>;
      const withPeer = checkScenario(r, { issues: g.issues, pulls: g.pulls, unreleasedPulls: g.unreleasedPulls, unreleasedClosedIssues: g.unreleasedClosedIssues, notifyIssueCount: 100 }, { drafter });
      const vsPeer = withPeer.find((c) => c.budget.includes('release-drafter'));
      expect(vsPeer).toMatchObject({ value: r.first.graphqlPoints, holds: true });
    } finally {
      await sim.stop();
    }
  });

  it("runs prioritize's sweep with the GITHUB_TOKEN: its pages stop at half the token's hour, its comments are taken out", async () => {
    const sim = await startSim();
    try {
      const g = generate(sim.store, 600);
      const repo = sim.store.mustRepo(FULL);
      const before = { comments: repo.comments.size, open: g.openIssues.length };
      expect(before.open).toBeGreaterThan(100);
      // Other workflows left the token 506 points of its hour: a page of 4 points, and the line.
      sim.spendGraphqlPoints(FULL, 494);
      const w = await runSweep(sim, g);
      expect(w).toMatchObject({ size: 600, open: before.open, read: 100, pages: 1, pagePoints: 4, exitCode: 0, violations: 0 });
      expect(w.sample.graphqlPoints).toBe(506 - w.remaining);
      expect(w.sample.writes).toBeGreaterThan(0);
      expect(repo.comments.size).toBe(before.comments);
      const [check] = checkSweep(w);
      expectShape([check!]);
      expect(check).toMatchObject({ action: 'prioritize', value: 4, holds: true });
      expect(check!.measured).toBe(`4 points for 1 page (100 of ${before.open} open issues, the ${w.from} first); ${w.sample.graphqlPoints} points in all with the re-evaluations`);
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
  it('runs release-drafter unmodified on the same push: its own requests, one draft, no emulator violation', async () => {
    const sim = await startSim();
    try {
      generate(sim.store, 50);
      const releases = sim.store.listReleases(FULL).length;
      const d = await runDrafterPeer(sim, 50);
      if (!('first' in d)) throw new Error(d.error);
      expect(d.error).toBeNull();
      expect(d.exitCode).toBe(0);
      expect(d.violations).toBe(0);
      expect(d.first.graphqlByOperation).toEqual({ findCommitsWithAssociatedPullRequests: 1 });
      expect(d.first.restByRoute['POST /repos/{owner}/{repo}/releases']).toBe(1);
      expect(d.draftsCreated).toBe(1);
      // It rewrites its draft on the same push again.
      expect(d.second.restByRoute['PATCH /repos/{owner}/{repo}/releases/{release_id}']).toBe(1);
      expect(d.first.actionCpuMs).toBeGreaterThan(0);
      // The repository is left as it was: no draft, no release-drafter.yml.
      expect(sim.store.listReleases(FULL)).toHaveLength(releases);
      expect(sim.store.mustRepo(FULL).contents.get('main')?.has('.github/release-drafter.yml')).toBe(false);
    } finally {
      await sim.stop();
    }
  });
});
