// Two runs of one action at the same moment (GitHub sends `opened` and `labeled` of an issue form together;
// two merges land close together), with no `concurrency:` group: each reads, finds nothing, and creates.
// The emulator holds both creates for a while, so both reads always come before either write; the rule
// (core's keepOne: look again after the create, keep the oldest, the loser removes its copy) must leave
// exactly one reply, one sticky comment, one draft, one report issue, every round, and both runs must
// report the one that stays.
import { describe, expect, it } from 'vitest';
import type { Sim } from '../../../packages/github-sim/src/index.ts';
import { BOT, SCENARIOS, describeRun, runScenario, withScenario, type ActionName, type RunResult } from './scenarios.ts';

const ROUNDS = 3;
/** Long enough that the second run's read always comes before the first run's create is applied. */
const HOLD_MS = 1500;

interface RaceCase {
  action: ActionName;
  /** The create both runs make: held by the emulator so the race is hit every time (`operation`: a GraphQL mutation's name). */
  create: { method: string; route: string; operation?: string };
  /** The output naming the item the run ended with. */
  output: string;
  /** The bot's items that must be exactly one after the race, as ids (numbers for issues). */
  kept(sim: Sim, repo: string): number[];
}

const commentsOnFirst = (sim: Sim, repo: string): number[] => {
  const issue = [...sim.store.mustRepo(repo).issues.values()].sort((a, b) => a.number - b.number).find((i) => i.user !== BOT);
  return sim.store.commentsOf(repo, issue!.number).filter((c) => c.user === BOT).map((c) => c.id);
};

const CASES: RaceCase[] = [
  {
    action: 'prioritize',
    // The reply is added with GraphQL's addComment, whose answer holds the look for the other run's copy.
    create: { method: 'POST', route: '/graphql', operation: 'UserloopAddComment' },
    output: 'comment-id',
    kept: commentsOnFirst,
  },
  {
    action: 'require-docs',
    create: { method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments' },
    output: 'comment-id',
    kept: commentsOnFirst,
  },
  {
    action: 'draft-release-notes',
    create: { method: 'POST', route: '/repos/{owner}/{repo}/releases' },
    output: 'release-id',
    kept: (sim, repo) => sim.store.listReleases(repo).filter((r) => r.draft).map((r) => r.id),
  },
  {
    action: 'kpi-report',
    create: { method: 'POST', route: '/repos/{owner}/{repo}/issues' },
    output: 'issue-number',
    // open report issues; a loser's issue is closed as not planned (a token cannot delete an issue)
    kept: (sim, repo) => [...sim.store.mustRepo(repo).issues.values()].filter((i) => i.user === BOT && i.state === 'open').map((i) => i.number),
  },
];

describe.concurrent('two runs at once create one item, not two', () => {
  it.each(CASES)('$action', async (c) => {
    const sc = SCENARIOS[c.action];
    for (let round = 1; round <= ROUNDS; round += 1) {
      await withScenario(sc, async (sim, event) => {
        sim.faults.add({ ...c.create, kind: 'delay', delayMs: HOLD_MS, times: 2 });
        const runs: RunResult[] = await Promise.all([runScenario(sc, sim, event), runScenario(sc, sim, event)]);
        for (const r of runs) expect(r.exitCode, `round ${round}: ${describeRun(r)}`).toBe(sc.exitCode);
        // The race was hit: both runs found nothing and created.
        const { operation } = c.create;
        const created = (q: (typeof sim.requests)[number]) =>
          operation ? q.status === 200 && String((q.body as { query?: unknown } | undefined)?.query ?? '').includes(`mutation ${operation}`) : q.status === 201;
        const creates = sim.requests.filter((q) => q.method === c.create.method && q.route === `${c.create.method} ${c.create.route}` && created(q));
        expect(creates, `round ${round}: both runs create`).toHaveLength(2);
        const kept = c.kept(sim, sc.repo);
        expect(kept, `round ${round}: one ${c.action} item remains`).toHaveLength(1);
        // Both runs report the one that stays.
        expect(runs.map((r) => r.outputs[c.output])).toEqual([String(kept[0]), String(kept[0])]);
        if (c.action === 'kpi-report') {
          const losers = [...sim.store.mustRepo(sc.repo).issues.values()].filter((i) => i.user === BOT && i.state === 'closed');
          expect(losers).toHaveLength(1);
          expect(losers[0]!.state_reason).toBe('not_planned');
          expect([...losers[0]!.labels]).toEqual([]);
          expect(losers[0]!.body).toBe(`Duplicate of #${kept[0]}: an overlapping run posted the same report first.`);
          expect(losers[0]!.number).toBeGreaterThan(kept[0]!);
        }
        sim.assertClean();
      });
    }
  }, 120_000);
});
