// main() through real HTTP against the emulator, from the inputs every test starts with: the weekly report
// of the seeded repository, posted, without a snapshot or JSON files.
import { createOctokit } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { main, type MainInput, type MainResult } from '../src/main.ts';
import { FULL } from './seed.ts';

/** Runs main() against the emulator; `input` gives the config and what differs from the defaults. */
export function runMain(sim: Sim, input: Partial<MainInput> & Pick<MainInput, 'config'>): Promise<MainResult> {
  return main(
    {
      repository: FULL,
      repositories: [FULL],
      mode: 'report',
      period: 'week',
      asOf: null,
      snapshotPath: null,
      dataPath: null,
      dataDir: null,
      post: true,
      workspace: '',
      ...input,
    },
    { octokit: createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0, throttle: { waitScale: 0.001 } }) },
  );
}
