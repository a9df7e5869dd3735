// `/requested-by` commands through HTTP against the emulator: main() with a real Octokit and the payloads
// GitHub sends. Every new command's author has their access read in the run (once a run per person, however
// many issues it evaluates); a command already recorded is not read again; having recorded people before
// carries no trust, so someone whose write access was removed is refused.
import { describe, expect, it } from 'vitest';
import { createOctokit, hasMarker, readMarker, readPrioritizeMarker, REQUEST_REFUSED_MARKER_KIND, type WebhookPayload } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { acmeRepo, acts, botComments, REPO } from './acme.ts';
import { configFrom, NOW } from './helpers.ts';
import { eachTestWithSim } from './sim.ts';

let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-requests-', (s, w) => {
  sim = s;
  workspace = w;
  acmeRepo(sim, workspace);
  sim.store.now = new Date('2024-01-02T09:00:00Z');
});

const PERMISSION = 'GET /repos/{owner}/{repo}/collaborators/{username}/permission';

function handle(event: string, payload: Record<string, unknown>) {
  const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 2 });
  return main(
    { eventName: event, action: String(payload['action']), payload: payload as WebhookPayload, owner: 'acme', repo: 'notes', serverUrl: 'https://github.com', config: configFrom(), workspace, now: NOW },
    { octokit },
  );
}

const outsideNames = (n: number) => (readPrioritizeMarker(botComments(sim, n).find((c) => hasMarker(c.body, 'prioritize'))?.body)?.ledger.outside ?? []).map((o) => `${o.name}|${o.by}`);
const refusals = (n: number) => botComments(sim, n).filter((c) => hasMarker(c.body, REQUEST_REFUSED_MARKER_KIND));

describe('/requested-by: the access of its author', () => {
  it('is read once a run per person, however many issues the run evaluates, and not for a command already recorded', async () => {
    const act = acts(sim);
    const a = act.open('alice', 'Export drops the last row of every table.', ['feature']);
    await handle('issues', a.payload);
    const b = act.open('bob', 'The last row is missing from exports.', ['feature']);
    await handle('issues', b.payload);
    // A command on #b that no run has read yet, then one on #a that also marks #a a duplicate of #b: the run
    // evaluates #a and then #b, each with a new command by the maintainer.
    sim.store.createComment(REPO, b.n, { body: '/requested-by "Dana (Discord)" https://discord.com/channels/1/2/3', user: 'maintainer' });
    const event = act.comment('maintainer', a.n, `Duplicate of #${b.n}\n\n/requested-by "Lee (Forum)" https://forum.example.com/t/9`);
    sim.resetCounters();
    const r = await handle('issue_comment', event);
    expect(r.original?.issueNumber).toBe(b.n);
    expect(sim.counters.restByRoute[PERMISSION]).toBe(1);
    expect(outsideNames(a.n)).toEqual(['Lee|maintainer']);
    expect(outsideNames(b.n)).toContain('Dana|maintainer');

    // The same event again (a re-run): both commands are recorded, nobody's access is read.
    sim.resetCounters();
    await handle('issue_comment', event);
    expect(sim.counters.restByRoute[PERMISSION]).toBeUndefined();
    expect(outsideNames(a.n)).toEqual(['Lee|maintainer']);
  });

  it('refuses a new command by someone who recorded people before and lost write access since', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', 'Export drops the last row of every table.', ['feature']);
    await handle('issues', payload);
    await handle('issue_comment', act.comment('ana', n, '/requested-by "Dana (Discord)" https://discord.com/channels/1/2/3'));
    expect(outsideNames(n)).toEqual(['Dana|ana']);

    sim.store.mustRepo(REPO).collaborators['ana'] = 'read';
    const event = act.comment('ana', n, '/requested-by "Noor (Slack)" https://slack.example.com/archives/C1/p2');
    const command = sim.store.commentsOf(REPO, n).at(-1)!;
    sim.resetCounters();
    const r = await handle('issue_comment', event);
    expect(sim.counters.restByRoute[PERMISSION]).toBe(1);
    expect(r.requestsRefused).toBe(1);
    expect(outsideNames(n)).toEqual(['Dana|ana']);
    const [answer, ...more] = refusals(n);
    expect(more).toEqual([]);
    expect(readMarker(answer?.body, REQUEST_REFUSED_MARKER_KIND)).toEqual({ comment: command.id, reason: 'access' });
    expect(answer?.body).toContain('only people with write access');
  });
});
