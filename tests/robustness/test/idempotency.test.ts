// Every action run twice on the same event writes nothing the second time (the emulator's write counter).
import { describe, expect, it } from 'vitest';
import { ACTIONS, SCENARIOS, botWrites, describeRun, repoState, runScenario, withScenario } from './scenarios.ts';

describe.concurrent('the same event twice: the second run writes nothing', () => {
  it.each(ACTIONS)('%s', async (name) => {
    const sc = SCENARIOS[name];
    await withScenario(sc, async (sim, event) => {
      const first = await runScenario(sc, sim, event);
      expect(first.exitCode, describeRun(first)).toBe(sc.exitCode);
      expect(sim.counters.writes, 'the first run writes').toBeGreaterThan(0);
      const state = repoState(sim.store, sc.repo);
      const writes = botWrites(sim.store, sc.repo);

      sim.resetCounters();
      const second = await runScenario(sc, sim, event);
      expect(second.exitCode, describeRun(second)).toBe(sc.exitCode);
      expect(sim.counters.writes).toBe(0);
      expect(second.requests.filter((q) => q.method !== 'GET' && q.route !== 'POST /graphql')).toEqual([]);
      expect(repoState(sim.store, sc.repo)).toEqual(state);
      expect(botWrites(sim.store, sc.repo)).toEqual(writes);
      // The outputs of the second run describe the same result.
      sim.assertClean();
    });
  });
});
