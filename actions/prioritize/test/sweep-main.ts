// The scheduled sweep through main() over HTTP against the emulator, at a time the test gives (the tests of
// keeping promises and of the sweep's share of the token's hour).
import type { GraphqlClient, WebhookPayload } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import type { PrioritizeResult } from '../src/types.ts';
import { configFrom } from './helpers.ts';
import { simOctokit } from './sim.ts';

/**
 * One sweep of `repo` at `now` (the daily cron of `userloop init`), with `yaml` as the config and `token`'s
 * client; `graphql` wraps that client's GraphQL when a test needs to change what GitHub answers.
 */
export async function sweepMain(
  sim: Sim,
  repo: string,
  options: { now: string; yaml?: string; token?: string; graphql?: (real: GraphqlClient) => GraphqlClient },
): Promise<{ result: PrioritizeResult; warnings: string[] }> {
  const [owner = '', name = ''] = repo.split('/');
  const octokit = simOctokit(sim, options.token);
  if (options.graphql) octokit.graphql = options.graphql(octokit.graphql);
  const warnings: string[] = [];
  const result = await main(
    { eventName: 'schedule', action: undefined, payload: { schedule: '23 5 * * *' } as WebhookPayload, owner, repo: name, serverUrl: 'https://github.com', config: configFrom(options.yaml ?? ''), now: new Date(options.now) },
    { octokit, warning: (m) => warnings.push(m) },
  );
  return { result, warnings };
}
