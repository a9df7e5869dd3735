// End to end: the BUNDLED action (dist/index.mjs) run through its action.yml by the emulator's runner, with
// GitHub's recorded `issues` and `issue_comment` payloads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPrioritizeMarker } from '@userloop/core';
import { runAction, seedFromWebhook, webhookExample, type Sim } from '@userloop/github-sim';
import { ACTION, eachTestWithSim, env } from './sim.ts';

const REPO = 'Codertocat/Hello-World';
let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-e2e-', (s, w) => {
  sim = s;
  workspace = w;
});

const bot = () => sim.store.commentsOf(REPO, 1).filter((c) => c.user === 'github-actions[bot]');
const labels = () => sim.store.issueLabels(REPO, sim.store.mustIssue(REPO, 1)).map((l) => l.name).sort();

/** Seeds GitHub's recorded `issues.opened` payload with the issue's `body` changed and runs the bundled action on it. */
async function openedWithBody(body: string) {
  const payload = webhookExample('issues', 'opened');
  (payload['issue'] as Record<string, unknown>)['body'] = body;
  seedFromWebhook(sim.store, payload);
  return { payload, r: await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace }) };
}

describe('the bundled action', () => {
  it('issues.opened: label, reply, outputs, summary, within budget; the same event again writes nothing', async () => {
    const payload = webhookExample('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    sim.store.createLabel(REPO, { name: 'priority: low', color: 'c5def5' });
    sim.resetCounters();
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({
      priority: 'low',
      'previous-priority': '',
      changed: 'true',
      requesters: '1',
      'due-date': '',
      'comment-id': String(bot()[0]?.id),
    });
    expect(labels()).toEqual(['bug', 'priority: low']);
    expect(r.summary).toContain('## prioritize');
    expect(r.summary).toMatch(/\| Priority +\| Low +\|/);
    // 1 GraphQL read (the config file in it: no checkout holds one, none at the commit = defaults) + 1 label
    // write + 1 GraphQL mutation: the reply, its answer the look for an overlapping run's copy (core's
    // createCommentOnce). No search: the repository has fewer open issues than the read lists.
    expect(sim.counters.graphqlQueries).toBe(2);
    expect(sim.counters.restByRoute).toEqual({
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': 1,
    });
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBeLessThanOrEqual(4);
    expect(sim.counters.writes).toBe(2);

    sim.resetCounters();
    const again = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['changed']).toBe('false');
    expect(again.outputs['comment-id']).toBe(String(bot()[0]?.id));
    expect(sim.counters.writes).toBe(0);
    expect(bot()).toHaveLength(1);
  });

  it('issue_comment.created with a blocker: Fix it now, outputs say what changed', async () => {
    seedFromWebhook(sim.store, webhookExample('issues', 'opened'));
    await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload: webhookExample('issues', 'opened') }, env, workspace });
    const payload = webhookExample('issue_comment', 'created');
    (payload['comment'] as Record<string, unknown>)['body'] = 'Since the update this blocks me completely.';
    seedFromWebhook(sim.store, payload);
    sim.resetCounters();
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issue_comment', payload }, env, workspace });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('fix-it-now');
    expect(r.outputs['previous-priority']).toBe('low');
    expect(r.outputs['changed']).toBe('true');
    expect(r.outputs['due-date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(labels()).toEqual(['bug', 'priority: fix it now']);
    const marker = readPrioritizeMarker(bot()[0]?.body);
    expect(marker?.priority).toBe('fix-it-now');
    expect(marker?.due).toBe(r.outputs['due-date']);
    expect(bot()[0]?.body).toContain('**What changed:**');
    // The read, and the notice added with the look for an overlapping run's copy in one mutation.
    expect(sim.counters.graphqlQueries).toBe(2);
    // Create the label (first use), replace the label, update the reply, and post the notice of the raise
    // (an edit of the reply notifies nobody).
    expect(sim.counters.writes).toBe(4);
    expect(bot()).toHaveLength(2);
    expect(bot()[1]?.body).toContain('went up from Low to **Fix it now**');
  });

  it('a High issue is due on the Friday of next week, end of day UTC, said so in the reply', async () => {
    const payload = webhookExample('issues', 'opened');
    (payload['issue'] as Record<string, unknown>)['title'] = 'A typo in the README';
    seedFromWebhook(sim.store, payload);
    const before = new Date();
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('high');
    const due = r.outputs['due-date'] ?? '';
    const day = new Date(`${due}T00:00:00Z`);
    // Independent of the code under test: a Friday, in the week (Monday to Sunday, UTC) after this one.
    const monday = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    expect(day.getUTCDay()).toBe(5);
    expect((monday(day) - monday(before)) / 86_400_000).toBe(7);
    expect(bot()[0]?.body).toContain(`this week or next week (by Friday ${due}, end of day UTC).`);
  });

  it('"This is blocking our whole team" is Fix it now, due the next business day; "not blocking us" is not', async () => {
    seedFromWebhook(sim.store, webhookExample('issues', 'opened'));
    await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload: webhookExample('issues', 'opened') }, env, workspace });
    const say = async (body: string) => {
      const payload = webhookExample('issue_comment', 'created');
      const c = payload['comment'] as Record<string, unknown>;
      c['body'] = body;
      c['id'] = Number(c['id']) + sim.store.commentsOf(REPO, 1).length;
      seedFromWebhook(sim.store, payload);
      return runAction({ actionDir: ACTION, sim, event: { name: 'issue_comment', payload }, env, workspace });
    };
    const calm = await say('To be clear, this is not blocking us.');
    expect(calm.exitCode).toBe(0);
    expect(calm.outputs['priority']).toBe('low');
    const before = new Date();
    const r = await say('This is blocking our whole team.');
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('fix-it-now');
    // The next business day, counted here without the code under test (no holidays configured).
    const next = new Date(Date.UTC(before.getUTCFullYear(), before.getUTCMonth(), before.getUTCDate() + 1));
    while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next.setUTCDate(next.getUTCDate() + 1);
    expect(r.outputs['due-date']).toBe(next.toISOString().slice(0, 10));
    expect(bot()[0]?.body).toContain('said this blocks them, so we are on it: expect something today or tomorrow (by ');
  });

  it('one person in two places: the reason does not say it never came up, next to the ledger line', async () => {
    mkdirSync(join(workspace, '.github'), { recursive: true });
    writeFileSync(join(workspace, '.github', 'userloop.yml'), 'prioritize:\n  community-hosts: [forum.example.com]\n');
    const { r } = await openedWithBody('Export drops a row. Also asked on https://forum.example.com/t/42');
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('low');
    const body = bot()[0]?.body ?? '';
    expect(body).toContain('Brought up by 1 person in 2 places:');
    expect(body).toContain("**Priority: Low.** It doesn't block you and only one person has asked for it so far, so we won't get to it right away.");
    expect(body).not.toContain("hasn't come up before");
  });

  it('issues.labeled by a person: the label pins, nothing is fought', async () => {
    seedFromWebhook(sim.store, webhookExample('issues', 'opened'));
    await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload: webhookExample('issues', 'opened') }, env, workspace });
    sim.store.removeLabel(REPO, 1, 'priority: low', 'Codertocat');
    sim.store.addLabels(REPO, 1, ['priority: high'], 'Codertocat');
    const payload = webhookExample('issues', 'labeled');
    payload['label'] = { ...(payload['label'] as object), name: 'priority: high' };
    sim.resetCounters();
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('high');
    expect(labels()).toEqual(['bug', 'priority: high']);
    expect(sim.counters.restByRoute['PUT /repos/{owner}/{repo}/issues/{issue_number}/labels']).toBeUndefined();
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/labels']).toBeUndefined();
  });

  it('reads the config and issue forms from the checkout; a misspelt key fails with an annotation on the file', async () => {
    mkdirSync(join(workspace, '.github', 'ISSUE_TEMPLATE'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'ISSUE_TEMPLATE', 'bug.yml'),
      'name: Bug\ndescription: x\nbody:\n  - type: dropdown\n    id: blocks-you\n    attributes:\n      label: Is this stopping you?\n      options: [Yes, No]\n',
    );
    writeFileSync(join(workspace, '.github', 'userloop.yml'), 'prioritize:\n  labels:\n    fix-it-now: P0\n');
    const { payload, r } = await openedWithBody('### Is this stopping you?\n\nYes\n');
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('fix-it-now');
    expect(labels()).toEqual(['P0', 'bug']);

    writeFileSync(join(workspace, '.github', 'userloop.yml'), 'prioritize:\n  lables:\n    high: P1\n');
    const bad = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace });
    expect(bad.exitCode).not.toBe(0);
    const error = bad.annotations.find((a) => a.level === 'error' && a.file === '.github/userloop.yml');
    expect(error?.line).toBe(2);
    expect(error?.message).toMatch(/lables/);
    expect(error?.message).toMatch(/labels/);
    expect(labels()).toEqual(['P0', 'bug']);
  });

  it('another event: a notice and a clean exit, no request', async () => {
    sim.resetCounters();
    const payload = webhookExample('issues', 'assigned');
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace });
    expect(r.exitCode).toBe(0);
    expect(r.annotations.some((a) => a.level === 'notice' && /nothing to do for issues\.assigned/.test(a.message))).toBe(true);
    expect(r.outputs['priority']).toBe('');
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBe(0);
  });

  it('a token without issues: write: a clear error naming the permission', async () => {
    sim.store.addToken('read-only', 'github-actions[bot]', { issues: 'read', metadata: 'read', contents: 'read' });
    const payload = webhookExample('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    const r = await runAction({ actionDir: ACTION, sim, event: { name: 'issues', payload }, env, workspace, inputs: { token: 'read-only' } });
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.some((a) => a.level === 'error' && /issues: write/.test(a.message))).toBe(true);
  });
});
