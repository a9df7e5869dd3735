// The emulator around each test of a file (or of a describe block): started and seeded before each test,
// checked for unexpected requests and stopped after it.
import { startSim, type Sim } from '@userloop/github-sim';
import { afterEach, beforeEach } from 'vitest';

/** Starts the emulator before each test and stops it after; `use` receives it, to keep it and seed it. */
export function eachTestWithSim(use: (sim: Sim) => void): void {
  let sim: Sim;
  beforeEach(async () => {
    sim = await startSim();
    use(sim);
  });
  afterEach(async () => {
    sim.assertClean();
    await sim.stop();
  });
}
