// The emulator around each test of a file: started (with a scratch workspace when the test runs the bundled
// action) before each test, checked for unexpected requests and stopped after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createOctokit } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';

/** The action, for the emulator's runner (`runAction`). */
export const ACTION = 'actions/prioritize';

/** The environment of a bundled run: waits of rate limits and retries scaled down. */
export const env = { USERLOOP_WAIT_SCALE: '0.001' };

/**
 * Starts the emulator before each test and stops it after; `workspace` names the prefix of a scratch
 * checkout made for each test (none when `null`). `use` receives both, to keep them and seed the emulator.
 */
export function eachTestWithSim(workspace: string | null, use: (sim: Sim, workspace: string) => void): void {
  let sim: Sim;
  let dir = '';
  beforeEach(async () => {
    sim = await startSim();
    dir = workspace === null ? '' : mkdtempSync(join(tmpdir(), workspace));
    use(sim, dir);
  });
  afterEach(async () => {
    sim.assertClean();
    await sim.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

/** A client of the emulator with `token` (default: its bot token), rate-limit waits scaled down. */
export function simOctokit(sim: Sim, token = 'test-token') {
  return createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 2 });
}
