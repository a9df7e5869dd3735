// The scheduled sweep through main() over HTTP against the emulator, at a time the test gives (the tests of
// keeping promises and of the sweep's share of the token's hour).
import { createOctokit, type GraphqlClient, type WebhookPayload } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import type { PrioritizeResult } from '../src/types.ts';
import { configFrom } from './helpers.ts';

/** A client of the emulator with `token` (default: its bot token), rate-limit waits scaled down. */
export function simOctokit(sim: Sim, token = 'test-token') {
  return createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 2 });
}

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
