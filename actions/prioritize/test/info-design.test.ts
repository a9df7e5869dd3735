// Required information and the design checklist through HTTP against the emulator: main() with a real
// Octokit, a checkout holding this repository's issue forms, and the payloads GitHub sends.
import { describe, expect, it } from 'vitest';
import { createOctokit, hasMarker, readMarker, readPrioritizeMarker, type WebhookPayload } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { acmeRepo, acts, botComments, labelsOf, REPO } from './acme.ts';
import { COMPLETE_BUG, formBody, repoForms, repoTemplate } from './forms.ts';
import { configFrom, NOW } from './helpers.ts';
import { eachTestWithSim } from './sim.ts';

let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-info-', (s, w) => {
  sim = s;
  workspace = w;
  acmeRepo(sim, workspace);
});

const AREAS = 'areas:\n  - name: Export\n    labels: [export]\n    owners: ["@ana", "@acme/export-team"]\n';
const bug = repoForms().find((f) => f.file === 'bug')!;
const feature = repoForms().find((f) => f.file === 'feature')!;
const { version: _version, logs: _logs, ...WITHOUT_VERSION_AND_LOGS } = COMPLETE_BUG;

function handle(event: string, payload: Record<string, unknown>, opts: { yaml?: string; now?: Date; checkout?: boolean } = {}) {
  const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0.001 }, retries: 2 });
  const warnings: string[] = [];
  return main(
    {
      eventName: event,
      action: String(payload['action']),
      payload: payload as WebhookPayload,
      owner: 'acme',
      repo: 'notes',
      serverUrl: 'https://github.com',
      config: configFrom(opts.yaml ?? AREAS),
      ...(opts.checkout === false ? {} : { workspace }),
      now: opts.now ?? NOW,
    },
    { octokit, warning: (m) => warnings.push(m) },
  ).then((result) => ({ ...result, warnings }));
}

const reply = (n: number) => botComments(sim, n).find((c) => hasMarker(c.body, 'prioritize'));
const checklists = (n: number) => botComments(sim, n).filter((c) => hasMarker(c.body, 'prioritize-design'));

describe('missing information', () => {
  it('opened without the version and the logs: the reply asks for exactly those, the needs-info label is created and added', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    sim.resetCounters();
    const r = await handle('issues', payload);
    expect(r.infoLabelAction).toBe('added');
    expect(labelsOf(sim, n)).toEqual(['bug', 'needs info', 'priority: low']);
    expect(sim.store.findLabel(REPO, 'needs info')).toMatchObject({ color: 'd876e3', description: 'userloop: information we need to debug it is missing' });
    const body = reply(n)?.body ?? '';
    expect(body).toContain('**To debug this we need a few more details**, [alice](https://github.com/alice).');
    expect(body).toContain('- **Version**\n- **Logs and configuration**');
    expect(body).not.toContain('- **Steps to reproduce**');
    expect(readPrioritizeMarker(body)?.info).toEqual({ asked: NOW.toISOString(), missing: ['version', 'logs'] });
    expect(botComments(sim, n)).toHaveLength(1);
    // The priority label (created), the needs-info label (created), one read, and the reply added with the look
    // after it in one mutation.
    expect(sim.counters.graphqlQueries).toBe(2);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/labels']).toBe(2);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/labels']).toBe(2);
  });

  it("the reporter's edits are checked again: the ask shrinks, then leaves the reply with the label; the time is recorded", async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    await handle('issues', payload);

    const first = new Date('2024-01-03T15:00:00Z');
    let r = await handle('issues', act.edit('alice', n, formBody(bug, { ...WITHOUT_VERSION_AND_LOGS, version: 'v1.2.0' })), { now: first });
    expect(r.commentAction).toBe('updated');
    expect(r.infoLabelAction).toBe('none');
    expect(reply(n)?.body).toContain('details');
    expect(reply(n)?.body).not.toContain('- **Version**');
    expect(reply(n)?.body).toContain('- **Logs and configuration**');
    expect(labelsOf(sim, n)).toContain('needs info');

    const done = new Date('2024-01-03T16:30:00Z');
    r = await handle('issues', act.edit('alice', n, formBody(bug, COMPLETE_BUG)), { now: done });
    expect(r.infoLabelAction).toBe('removed');
    expect(labelsOf(sim, n)).toEqual(['bug', 'priority: low']);
    expect(reply(n)?.body).not.toContain('details');
    expect(readPrioritizeMarker(reply(n)?.body)?.info).toEqual({ asked: NOW.toISOString(), missing: [], completed: done.toISOString() });
    expect(botComments(sim, n)).toHaveLength(1);

    // Nothing new: nothing written.
    sim.resetCounters();
    r = await handle('issues', act.edit('alice', n, `${formBody(bug, COMPLETE_BUG)}\n`), { now: new Date('2024-01-04T00:00:00Z') });
    expect(sim.counters.writes).toBe(0);
  });

  it("the reporter's reply gives what is missing; someone else's does not", async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    await handle('issues', payload);
    await handle('issue_comment', act.comment('bob', n, 'Version: v1.1.0\nLogs: none here'));
    expect(labelsOf(sim, n)).toContain('needs info');
    expect(readPrioritizeMarker(reply(n)?.body)?.info?.missing).toEqual(['version', 'logs']);
    const r = await handle('issue_comment', act.comment('alice', n, 'Sorry!\n\n### Version\n\nv1.2.0\n\n### Logs\n\n```\nExported 41 of 42 rows\n```'));
    expect(r.infoLabelAction).toBe('removed');
    expect(labelsOf(sim, n)).not.toContain('needs info');
    expect(reply(n)?.body).not.toContain('details');
  });

  it('a complete report, a feature request, or an issue replied to before the rule: nothing asked, no label', async () => {
    const act = acts(sim);
    const complete = act.open('alice', formBody(bug, COMPLETE_BUG));
    const wish = act.open('bob', formBody(feature, { goal: 'Tags', problem: 'Folders only' }), ['enhancement']);
    for (const o of [complete, wish]) {
      const r = await handle('issues', o.payload);
      expect(r.infoLabelAction).toBe('none');
      expect(readPrioritizeMarker(reply(o.n)?.body)?.info).toBeUndefined();
    }
    const before = act.open('carol', formBody(bug, {}));
    await handle('issues', before.payload, { yaml: `${AREAS}prioritize:\n  required-info: []\n` });
    const r = await handle('issues', act.edit('carol', before.n, formBody(bug, { steps: '1. Export' })));
    expect(r.infoLabelAction).toBe('none');
    expect(reply(before.n)?.body).not.toContain('details');
    expect(labelsOf(sim, before.n)).not.toContain('needs info');
  });

  it('without a checkout (the workflow `init` writes): the form named by the rule is read through the API, only for a form body', async () => {
    const act = acts(sim);
    sim.store.setContent(REPO, '.github/ISSUE_TEMPLATE/bug.yml', repoTemplate('bug').text);
    const free = act.open('bob', 'The export drops the last row.');
    sim.resetCounters();
    await handle('issues', free.payload, { checkout: false });
    expect(sim.requests.filter((r) => r.path.includes('ISSUE_TEMPLATE'))).toEqual([]);

    const { n, payload } = act.open('alice', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    sim.resetCounters();
    const start = sim.requests.length;
    const r = await handle('issues', payload, { checkout: false });
    expect(sim.requests.slice(start).filter((q) => q.path.includes('ISSUE_TEMPLATE')).map((q) => `${q.method} ${decodeURIComponent(q.path)} ${q.status}`)).toEqual([
      'GET /repos/acme/notes/contents/.github/ISSUE_TEMPLATE/bug.yml 200',
    ]);
    expect(r.infoLabelAction).toBe('added');
    expect(reply(n)?.body).toContain('- **Version**\n- **Logs and configuration**');

    // A rule naming a form by its `name:`: the folder is listed and its templates read.
    sim.store.setContent(REPO, '.github/ISSUE_TEMPLATE/config.yml', 'blank_issues_enabled: false\n');
    const named = act.open('carol', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    const before = sim.requests.length;
    await handle('issues', named.payload, { checkout: false, yaml: 'prioritize:\n  required-info:\n    - form: Bug report\n      fields: [version]\n' });
    expect(sim.requests.slice(before).filter((q) => q.path.includes('ISSUE_TEMPLATE')).map((q) => decodeURIComponent(q.path))).toEqual([
      '/repos/acme/notes/contents/.github/ISSUE_TEMPLATE',
      '/repos/acme/notes/contents/.github/ISSUE_TEMPLATE/bug.yml',
    ]);
    expect(readPrioritizeMarker(reply(named.n)?.body)?.info?.missing).toEqual(['version']);
  });

  it('a maintainer who removes the label is not overruled', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    await handle('issues', payload);
    sim.store.removeLabel(REPO, n, 'needs info', 'maintainer');
    const r = await handle('issue_comment', act.comment('alice', n, 'Version: v1.2.0'));
    expect(r.infoLabelAction).toBe('none');
    expect(labelsOf(sim, n)).not.toContain('needs info');
    expect(reply(n)?.body).toContain('- **Logs and configuration**');
  });
});

describe('needs design', () => {
  it('one checklist comment; Fix it now later: the owners are added to it and the users among them assigned', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(feature, { goal: 'Export to PDF', problem: 'Only CSV' }), ['enhancement', 'export']);
    await handle('issues', payload);
    let r = await handle('issues', act.label('maintainer', n, 'needs design'));
    expect(r.designAction).toBe('created');
    expect(checklists(n)).toHaveLength(1);
    const posted = checklists(n)[0]!;
    expect(posted.body).toContain('**Root cause**');
    expect(posted.body).not.toContain('@ana');
    expect(readMarker(posted.body, 'prioritize-design')).toEqual({ owners: [] });

    r = await handle('issue_comment', act.comment('bob', n, '+1'));
    expect(r.designAction).toBe('none');
    expect(checklists(n).map((c) => c.body)).toEqual([posted.body]);

    r = await handle('issue_comment', act.comment('alice', n, 'Now this blocks our whole team.'));
    expect(r.priority).toBe('fix-it-now');
    expect(r.designAction).toBe('updated');
    const [updated, ...more] = checklists(n);
    expect(more).toEqual([]);
    expect(updated?.id).toBe(posted.id);
    expect(updated?.body).toContain('**Root cause**');
    expect(updated?.body).toContain('This is **Fix it now**, so the decision must not hold it up: @ana, @acme/export-team, you own this area');
    expect(readMarker(updated?.body, 'prioritize-design')).toEqual({ owners: ['@ana', '@acme/export-team'] });
    expect(sim.store.mustIssue(REPO, n).assignees).toEqual(['ana']);
  });

  it('Fix it now from the start: the checklist mentions the owners, nobody is assigned; the same event again writes nothing', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, { ...COMPLETE_BUG, 'blocks-you': 'Yes, I am blocked' }), ['bug', 'export', 'needs design']);
    const r = await handle('issues', payload);
    expect(r.priority).toBe('fix-it-now');
    expect(r.designAction).toBe('created');
    expect(checklists(n)).toHaveLength(1);
    expect(checklists(n)[0]?.body).toContain('@ana, @acme/export-team');
    expect(sim.store.mustIssue(REPO, n).assignees).toEqual([]);
    sim.resetCounters();
    await handle('issues', payload);
    expect(sim.counters.writes).toBe(0);
  });

  it('Fix it now without an owning area: said so, nobody called', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, { ...COMPLETE_BUG, 'blocks-you': 'Yes, I am blocked' }), ['bug', 'needs design']);
    await handle('issues', payload);
    expect(checklists(n)[0]?.body).toContain('no area of its labels names an owner');
  });

  it('two runs at once on a needs-design issue leave one checklist, every round', async () => {
    const act = acts(sim);
    for (let round = 0; round < 4; round++) {
      const { n, payload } = act.open(`reporter${round}`, formBody(bug, COMPLETE_BUG), ['bug']);
      await handle('issues', payload);
      const labeled = act.label('maintainer', n, 'needs design');
      const results = await Promise.all([handle('issues', labeled), handle('issues', labeled)]);
      expect(results.map((r) => r.designAction).sort()).toEqual(['created', 'unchanged']);
      expect(checklists(n)).toHaveLength(1);
    }
  });
});
