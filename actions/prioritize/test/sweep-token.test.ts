// The sweep shares the token's hour: through HTTP against the emulator, main() on `schedule` with the
// repository's GITHUB_TOKEN reads the open issues only while the token keeps half of its hour for the other
// workflows, and then goes on with what it read; a sweep on an even UTC day reads from the oldest issue, on
// an odd day from the newest, so both ends of a repository too big for one sweep are swept in turn.
import { describe, expect, it } from 'vitest';
import type { GraphqlClient } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { renderSummary } from '../src/render.ts';
import { BOT, promised } from './promised.ts';
import { eachTestWithSim } from './sim.ts';
import { sweepMain } from './sweep-main.ts';

const OWNER = 'acme';
const NAME = 'notes';
const REPO = `${OWNER}/${NAME}`;
const TOKEN = 'run-token';
let sim: Sim;
let oldest: number;
let newest: number;

eachTestWithSim(null, (s) => {
  sim = s;
  sim.store.createRepo({ owner: OWNER, name: NAME, collaborators: { maria: 'admin' } });
  sim.store.addToken(TOKEN, BOT, { issues: 'write', contents: 'read', pull_requests: 'read' }, { kind: 'github-token', repository: REPO });
  // 250 open issues (and a closed one); the oldest and the newest open ones were answered and got a 👍 since
  // (no event: the sweep finds them).
  oldest = promised(sim, REPO, 'alice', null);
  sim.store.createIssue(REPO, { title: 'Closed long ago', user: 'dave', state: 'closed', events: false });
  for (let i = 0; i < 248; i += 1) sim.store.createIssue(REPO, { title: `Issue ${i}`, user: `user${i}`, events: false });
  newest = promised(sim, REPO, 'bob', null);
  for (const n of [oldest, newest]) sim.store.addReaction(REPO, { issue: n }, 'carol', '+1');
});

/**
 * One scheduled sweep at `now` with the repository's GITHUB_TOKEN, after its other workflows left the token
 * `left` points of its hour (null: all it has).
 */
async function sweepAt(now: string, left: number | null, graphql?: (real: GraphqlClient) => GraphqlClient) {
  if (left !== null) sim.spendGraphqlPoints(REPO, sim.budgets(REPO).graphql.remaining - left);
  return (await sweepMain(sim, REPO, { now, token: TOKEN, ...(graphql ? { graphql } : {}) })).result;
}

describe('the sweep leaves the token half of its hour', () => {
  it('with its hour nearly half spent, an even day\'s sweep reads the oldest page, stops, and re-evaluates the oldest issue', async () => {
    const r = await sweepAt('2026-12-05T05:23:00Z', 506);
    const s = r.sweep!;
    // One page of 100 (4 points: 502 left); a second would leave less than 500.
    expect(s).toMatchObject({ open: 100, total: 250, pages: 1, from: 'oldest', stoppedAt: { remaining: 502, limit: 1000 } });
    expect(s.changed).toEqual([oldest]);
    expect(s.evaluated).toEqual([oldest]);
    expect(renderSummary(r)).toMatch(/\| Open issues read +\| 100 of 250, the oldest first \(stopped with 502 of the token's 1000 points left this hour, kept for its other uses; the next day's sweep starts from the other end\) \(1 page\(s\) of 100\) \|/);
  });

  it('an odd day\'s sweep reads from the newest end, and finds the newest issue', async () => {
    const s = (await sweepAt('2026-12-06T05:23:00Z', 506)).sweep!;
    expect(s).toMatchObject({ open: 100, total: 250, pages: 1, from: 'newest', stoppedAt: { remaining: 502 } });
    expect(s.changed).toEqual([newest]);
  });

  it('with the hour to spare it reads every open issue whichever the day: an odd day finds both, oldest first; the next, nothing new', async () => {
    const odd = (await sweepAt('2026-12-06T05:23:00Z', null)).sweep!;
    expect(odd).toMatchObject({ open: 250, total: 250, pages: 3, from: 'newest' });
    expect(odd.stoppedAt).toBeUndefined();
    expect(odd.evaluated).toEqual([oldest, newest]);
    const even = (await sweepAt('2026-12-07T05:23:00Z', null)).sweep!;
    expect(even).toMatchObject({ open: 250, total: 250, pages: 3, from: 'oldest', changed: [] });
  });

  it('where GitHub reports no rate limit (GitHub Enterprise Server with rate limiting off), it reads every page', async () => {
    const noRateLimit = (real: GraphqlClient) =>
      (async (query: string, variables?: Record<string, unknown>) => ({ ...(await real<Record<string, unknown>>(query, variables)), rateLimit: null })) as unknown as GraphqlClient;
    const s = (await sweepAt('2026-12-05T05:23:00Z', 506, noRateLimit)).sweep!;
    expect(s).toMatchObject({ open: 250, total: 250, pages: 3 });
    expect(s.stoppedAt).toBeUndefined();
  });
});
