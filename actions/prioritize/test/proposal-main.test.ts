// Proposed solutions through HTTP against the emulator: main() with a real Octokit and the payloads GitHub
// sends. A maintainer's comment with the heading is recorded (their access read once), the reporter asked once,
// and their answer (a reply, or a reaction on the proposal) recorded in the reply's marker.
import { describe, expect, it } from 'vitest';
import { createOctokit, hasMarker, readPrioritizeMarker, type WebhookPayload } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { acmeRepo, acts, botComments, REPO } from './acme.ts';
import { configFrom, NOW } from './helpers.ts';
import { eachTestWithSim } from './sim.ts';

let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-proposal-', (s, w) => {
  sim = s;
  workspace = w;
  acmeRepo(sim, workspace);
  sim.store.now = new Date('2024-01-02T09:00:00Z');
});

const PROPOSAL = '## Proposed solution\n\nSet the row limit to all:\n\n```yaml\nexport:\n  rows: all\n```\n';
const PERMISSION = 'GET /repos/{owner}/{repo}/collaborators/{username}/permission';
const REACTIONS = 'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions';

function handle(event: string, payload: Record<string, unknown>, yaml = '') {
  const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 2 });
  return main(
    { eventName: event, action: String(payload['action']), payload: payload as WebhookPayload, owner: 'acme', repo: 'notes', serverUrl: 'https://github.com', config: configFrom(yaml), workspace, now: NOW },
    { octokit },
  );
}

const reply = (n: number) => botComments(sim, n).find((c) => hasMarker(c.body, 'prioritize'));
const asks = (n: number) => botComments(sim, n).filter((c) => hasMarker(c.body, 'prioritize-proposal'));
const later = () => sim.store.advance(60 * 60 * 1000);

/** alice opens an issue and it is evaluated; the maintainer proposes a solution. */
async function proposed() {
  const act = acts(sim);
  const { n, payload } = act.open('alice', 'Export drops the last row of every table.', ['feature']);
  await handle('issues', payload);
  later();
  const event = act.comment('maintainer', n, PROPOSAL);
  const made = sim.store.commentsOf(REPO, n).at(-1)!;
  const proposal = { id: made.id, created_at: made.created_at, html_url: `https://github.com/${REPO}/issues/${n}#issuecomment-${made.id}` };
  return { act, n, event, proposal };
}

describe('a proposed solution', () => {
  it("a maintainer's comment with the heading is recorded with its snippet, and the reporter is asked once", async () => {
    const { n, event, proposal } = await proposed();
    sim.resetCounters();
    const r = await handle('issue_comment', event);
    expect(r.proposalAction).toBe('created');
    expect(sim.counters.restByRoute[PERMISSION]).toBe(1);
    const marker = readPrioritizeMarker(reply(n)?.body);
    expect(marker?.proposal).toEqual({ at: proposal.created_at, by: 'maintainer', url: proposal.html_url, snippet: true, first: proposal.created_at });
    const [ask, ...more] = asks(n);
    expect(more).toEqual([]);
    expect(ask?.body).toContain('@alice, [maintainer](https://github.com/maintainer) proposed a solution');
    expect(ask?.body).toContain(`[the proposal](${proposal.html_url})`);

    // The same event again (a re-run): nothing new, the access is not read again.
    sim.resetCounters();
    const again = await handle('issue_comment', event);
    expect(again.proposalAction).toBeUndefined();
    expect(again.commentAction).toBe('none');
    expect(sim.counters.restByRoute[PERMISSION]).toBeUndefined();
    expect(asks(n)).toHaveLength(1);
  });

  it('a comment with the heading by someone who may not write is not a proposal', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', 'Export drops the last row.', ['feature']);
    await handle('issues', payload);
    sim.store.mustRepo(REPO).collaborators['triager'] = 'triage';
    later();
    sim.resetCounters();
    const byTriager = await handle('issue_comment', act.comment('triager', n, PROPOSAL));
    // A collaborator: their access is read, and it is not write.
    expect(sim.counters.restByRoute[PERMISSION]).toBe(1);
    expect(byTriager.proposalAction).toBeUndefined();
    later();
    sim.resetCounters();
    await handle('issue_comment', act.comment('stranger', n, PROPOSAL));
    // No association that may carry write access: no read at all.
    expect(sim.counters.restByRoute[PERMISSION]).toBe(1);
    expect(readPrioritizeMarker(reply(n)?.body)?.proposal).toBeUndefined();
    expect(asks(n)).toEqual([]);
  });

  it("the reporter's reply answers: recorded in the marker, said in the job summary's result", async () => {
    const { act, n, event } = await proposed();
    await handle('issue_comment', event);
    later();
    const answer = act.comment('alice', n, "No, sorry: it still drops the last row when the table has a footer.");
    const r = await handle('issue_comment', answer);
    const state = readPrioritizeMarker(reply(n)?.body)?.proposal;
    expect(state).toMatchObject({ answer: 'no', via: 'reply', answeredAt: sim.store.commentsOf(REPO, n).at(-1)?.created_at });
    expect(r.evaluation?.proposal.state?.answer).toBe('no');
    expect(asks(n)).toHaveLength(1);
  });

  it("the reporter's 👍 on the proposal answers yes at the next run; a later proposal replaces it and asks again", async () => {
    const { act, n, event, proposal } = await proposed();
    await handle('issue_comment', event);
    later();
    sim.store.addReaction(REPO, { comment: proposal.id }, 'alice', '+1');
    sim.store.addReaction(REPO, { comment: proposal.id }, 'bob', '-1');
    later();
    sim.resetCounters();
    await handle('issue_comment', act.comment('bob', n, 'Any news on this?'));
    expect(sim.counters.restByRoute[REACTIONS]).toBe(1);
    const first = readPrioritizeMarker(reply(n)?.body)?.proposal;
    expect(first).toMatchObject({ answer: 'yes', via: 'reaction', url: proposal.html_url });

    // Answered: the reactions are not read again.
    later();
    sim.resetCounters();
    await handle('issue_comment', act.comment('carol', n, 'Same here'));
    expect(sim.counters.restByRoute[REACTIONS]).toBeUndefined();

    later();
    const second = act.comment('ana', n, '### Proposed solution\n\nOr upgrade to 1.3, which no longer has the limit.');
    const r = await handle('issue_comment', second);
    expect(r.proposalAction).toBe('created');
    const state = readPrioritizeMarker(reply(n)?.body)?.proposal;
    expect(state).toMatchObject({ by: 'ana', snippet: false, first: first?.first });
    expect(state?.answer).toBeUndefined();
    expect(asks(n)).toHaveLength(2);
  });

  it("the scheduled sweep reads a waiting proposal again: the reporter's 👎 fires no event and is recorded there", async () => {
    const { n, event, proposal } = await proposed();
    await handle('issue_comment', event);
    later();
    sim.store.addReaction(REPO, { comment: proposal.id }, 'alice', '-1');
    later();
    const swept = await handle('schedule', { action: undefined });
    expect(swept.sweep?.proposals).toEqual([n]);
    expect(swept.sweep?.written).toEqual([n]);
    expect(readPrioritizeMarker(reply(n)?.body)?.proposal).toMatchObject({ answer: 'no', via: 'reaction' });
    // Answered: the next sweep leaves it alone.
    const next = await handle('schedule', { action: undefined });
    expect(next.sweep?.proposals).toBeUndefined();
    expect(next.sweep?.evaluated).toEqual([]);
  });

  it('two runs at once on the proposal leave one question', async () => {
    const { n, event } = await proposed();
    const [a, b] = await Promise.all([handle('issue_comment', event), handle('issue_comment', event)]);
    expect([a.proposalAction, b.proposalAction].sort()).toEqual(['created', 'exists']);
    expect(asks(n)).toHaveLength(1);
    expect(botComments(sim, n).filter((c) => hasMarker(c.body, 'prioritize'))).toHaveLength(1);
  });

  it('turned off: a proposal is not recorded and nobody is asked', async () => {
    const { n, event } = await proposed();
    sim.resetCounters();
    await handle('issue_comment', event, 'prioritize:\n  proposals:\n    enabled: false\n');
    expect(sim.counters.restByRoute[PERMISSION]).toBeUndefined();
    expect(readPrioritizeMarker(reply(n)?.body)?.proposal).toBeUndefined();
    expect(asks(n)).toEqual([]);
  });
});
