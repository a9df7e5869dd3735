// Keeping promises through HTTP against the emulator: main() on `schedule` with a real Octokit reminds before a
// promised date and tells the people who asked once it passed, once per issue and date however often and however
// overlapped the sweep runs; a new date after a slip is told.
import { describe, expect, it } from 'vitest';
import { readMarker, renderMarker, type WebhookPayload } from '@userloop/core';
import { Renderer, type Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { REMINDER_MARKER_KIND, SLIP_MARKER_KIND } from '../src/promises.ts';
import { configFrom } from './helpers.ts';
import { BOT, ours as ownComments, promised as seed } from './promised.ts';
import { eachTestWithSim, simOctokit } from './sim.ts';
import { sweepMain } from './sweep-main.ts';

const OWNER = 'acme';
const NAME = 'notes';
const REPO = `${OWNER}/${NAME}`;
let sim: Sim;

eachTestWithSim(null, (s) => {
  sim = s;
  sim.store.createRepo({ owner: OWNER, name: NAME, collaborators: { maria: 'admin', gus: 'write' } });
});

/** The team's config: one area with an owner. */
const AREAS = 'areas:\n  - name: Export\n    labels: ["area: export"]\n    owners: ["@maria"]\n';

const octokit = () => simOctokit(sim);

/** One scheduled sweep at `now` (the daily cron of `userloop init`). */
async function sweepAt(now: string, yaml = AREAS) {
  const { result, warnings } = await sweepMain(sim, REPO, { now, yaml });
  return { sweep: result.sweep!, promises: result.sweep!.promises!, warnings };
}

const promised = (user: string, due: string | null, opts: Parameters<typeof seed>[4] = {}) => seed(sim, REPO, user, due, opts);
const ours = (n: number, kind: string) => ownComments(sim, REPO, n, kind);
const reminders = (n: number) => ours(n, REMINDER_MARKER_KIND);
const slips = (n: number) => ours(n, SLIP_MARKER_KIND);

describe('the sweep keeps promises', () => {
  it('one reminder two business days before, to the assignee or else the area owner; one notice to the people promised once the date passed; nothing twice', async () => {
    const assigned = promised('alice', '2026-12-11', { assignees: ['gus'] });
    const owned = promised('bob', '2026-12-11', { labels: ['Area: Export'] });
    const nobody = promised('carol', '2026-12-11');
    const lapsed = promised('dave', '2026-12-07', { priority: 'fix-it-now', others: ['erin', 'renovate[bot]'], assignees: ['gus'] });
    const low = promised('frank', null);
    const later = promised('gina', '2026-12-18', { assignees: ['gus'] });

    // Wednesday 2026-12-09, 05:23 UTC.
    sim.resetCounters();
    const first = await sweepAt('2026-12-09T05:23:00Z');
    expect(first.promises).toMatchObject({ reminded: [assigned, owned], slipped: [lapsed], noOwner: [nobody], deferred: 0, failed: [] });
    expect(reminders(assigned)).toHaveLength(1);
    expect(reminders(assigned)[0]?.body).toMatch(/^@gus A reminder: we told 1 person that we would get to this by Friday 2026-12-11, end of day UTC \(High\)\./);
    expect(readMarker(reminders(assigned)[0]?.body, REMINDER_MARKER_KIND)).toEqual({ due: '2026-12-11', owners: ['@gus'] });
    expect(reminders(owned)[0]?.body).toMatch(/^@maria A reminder/);
    expect(reminders(nobody)).toEqual([]);
    // The people who were promised, in plain words: the reporter and who asked, no bot; the slipped date recorded.
    const notice = slips(lapsed)[0]?.body ?? '';
    expect(notice).toMatch(/^@dave @erin We said we would get to this by Monday 2026-12-07, end of day UTC, and we did not make it\. Sorry\. What happens next: it stays open as Fix it now/);
    expect(notice).not.toContain('renovate');
    expect(readMarker(notice, SLIP_MARKER_KIND)).toEqual({ due: '2026-12-07', people: ['dave', 'erin'] });
    expect(reminders(lapsed)).toEqual([]);
    for (const n of [low, later]) expect(sim.store.commentsOf(REPO, n)).toHaveLength(1);
    // The page, and one read of assignees and labels per reminder due (the slip's thread was seen whole).
    expect(sim.counters.graphqlQueries).toBe(1 + 3);
    expect(sim.counters.writes).toBe(3);

    // The same sweep again, and the next day's: nothing posted twice.
    sim.resetCounters();
    const again = await sweepAt('2026-12-09T11:23:00Z');
    expect(again.promises).toMatchObject({ reminded: [], slipped: [], noOwner: [nobody] });
    expect(sim.counters.writes).toBe(0);
    await sweepAt('2026-12-10T05:23:00Z');
    for (const n of [assigned, owned]) expect(reminders(n)).toHaveLength(1);
    expect(slips(lapsed)).toHaveLength(1);

    // Saturday: Friday's promises have passed, each told once.
    const saturday = await sweepAt('2026-12-12T05:23:00Z');
    expect(saturday.promises.slipped).toEqual([assigned, owned, nobody]);
    for (const n of [assigned, owned, nobody]) expect(slips(n)).toHaveLength(1);
    expect(slips(assigned)[0]?.body).toMatch(/^@alice We said/);
    sim.resetCounters();
    await sweepAt('2026-12-14T05:23:00Z');
    expect(sim.counters.writes).toBe(0);
    // The next promise, on its own day: Wednesday before Friday 2026-12-18.
    expect((await sweepAt('2026-12-16T05:23:00Z')).promises.reminded).toEqual([later]);
  });

  it('overlapping sweeps leave one reminder and one notice per issue and date', async () => {
    const a = promised('alice', '2026-12-11', { assignees: ['gus'] });
    const b = promised('bob', '2026-12-07', { others: ['carol'] });
    // Each post is held a moment, so every run has read before any has posted: all three post, then settle.
    sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', kind: 'delay', delayMs: 300, times: 6 });
    sim.resetCounters();
    const runs = await Promise.all([sweepAt('2026-12-10T05:23:00Z'), sweepAt('2026-12-10T05:23:00Z'), sweepAt('2026-12-10T05:23:00Z')]);
    expect(reminders(a)).toHaveLength(1);
    expect(slips(b)).toHaveLength(1);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(6);
    expect(sim.counters.restByRoute['DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}']).toBe(4);
    // Every run reports the issue done, by it or by another run.
    for (const r of runs) {
      expect([...r.promises.reminded, ...r.promises.already]).toContain(a);
      expect([...r.promises.slipped, ...r.promises.already]).toContain(b);
    }
  });

  it('a long thread: the reminder among the middle comments is found, not posted again', async () => {
    const n = promised('alice', '2026-12-11', { assignees: ['gus'] });
    const chat = (from: number) => {
      for (let i = from; i < from + 12; i++) sim.store.createComment(REPO, n, { body: `Any news? (${i})`, user: `fan${i}` });
    };
    chat(0);
    await sweepAt('2026-12-09T05:23:00Z');
    expect(reminders(n)).toHaveLength(1);
    // The reminder is now the 14th of 26 comments: neither among the first 10 nor the last 10 the page reads.
    chat(12);
    sim.resetCounters();
    const r = await sweepAt('2026-12-10T05:23:00Z');
    expect(r.promises.already).toEqual([n]);
    expect(reminders(n)).toHaveLength(1);
    expect(sim.counters.writes).toBe(0);
  });

  it('keep-promises: false posts nothing; remind-days-before moves the reminder', async () => {
    const n = promised('alice', '2026-12-11', { assignees: ['gus'] });
    promised('bob', '2026-12-07');
    const off = await sweepAt('2026-12-10T05:23:00Z', `${AREAS}prioritize:\n  keep-promises: false\n`);
    expect(off.sweep.promises).toBeUndefined();
    expect(sim.counters.writes).toBe(0);
    const early = await sweepAt('2026-12-07T05:23:00Z', `${AREAS}prioritize:\n  remind-days-before: 4\n`);
    expect(early.promises.reminded).toEqual([n]);
  });

  it("GitHub's content limit stops the notices cleanly: the sweep succeeds, says what is left, and the next one posts it", async () => {
    const a = promised('alice', '2026-12-07');
    const b = promised('bob', '2026-12-07');
    sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', kind: 'secondary-rate-limit', retryAfter: 3600, times: 1 });
    const stopped = await sweepAt('2026-12-09T05:23:00Z');
    expect(stopped.promises.slipped).toEqual([]);
    expect(stopped.promises.deferred).toBe(2);
    expect(stopped.promises.stoppedBy).toMatch(/rate limit/);
    expect(stopped.warnings.join('\n')).toMatch(/the next sweep posts the 2 left/);
    const next = await sweepAt('2026-12-09T11:23:00Z');
    expect(next.promises.slipped).toEqual([a, b]);
  });
});

describe('a new date after a slip', () => {
  /** Fix it now for #n, promised for Monday 2026-12-07, labelled by the bot; `slipped`: its slip notice was posted. */
  function fixItNow(slipped: boolean): number {
    const n = promised('alice', '2026-12-07', { priority: 'fix-it-now' });
    sim.store.addLabels(REPO, n, ['priority: fix it now'], BOT);
    if (slipped) sim.store.createComment(REPO, n, { body: `@alice We said…\n\n${renderMarker(SLIP_MARKER_KIND, { due: '2026-12-07', people: ['alice'] })}` });
    return n;
  }

  /** A maintainer sets High by hand on Wednesday 2026-12-09: the priority changes and a new date is written. */
  async function setHigh(n: number) {
    sim.store.removeLabel(REPO, n, 'priority: fix it now', 'maria');
    sim.store.addLabels(REPO, n, ['priority: high'], 'maria');
    const r = new Renderer(sim.store, sim.url);
    const repo = sim.store.repo(REPO)!;
    const payload = { action: 'labeled', issue: r.issue(repo, sim.store.mustIssue(REPO, n)), label: { name: 'priority: high' }, repository: r.repository(repo), sender: r.user('maria') } as unknown as WebhookPayload;
    return main(
      { eventName: 'issues', action: 'labeled', payload, owner: OWNER, repo: NAME, serverUrl: 'https://github.com', config: configFrom(AREAS), now: new Date('2026-12-09T10:00:00Z') },
      { octokit: octokit() },
    );
  }

  it('is re-promised: the people who were told of the slip hear the new date', async () => {
    const n = fixItNow(true);
    const result = await setHigh(n);
    expect(result.priority).toBe('high');
    expect(result.due).toBe('2026-12-18');
    expect(result.noticeAction).toBe('created');
    const notice = ours(n, 'prioritize-change')[0]?.body ?? '';
    expect(notice).toMatch(/^@alice An update: the date we aim for on this issue is now 2026-12-18\./);
  });

  it('without a slip, a lower priority is not announced (as before)', async () => {
    const n = fixItNow(false);
    const result = await setHigh(n);
    expect(result.due).toBe('2026-12-18');
    expect(result.noticeAction).toBe('none');
  });
});
