// End to end: required information and the design checklist through the BUNDLED action (dist/index.mjs run
// through its action.yml by the emulator's runner), with a checkout holding this repository's issue forms.
import { describe, expect, it } from 'vitest';
import { hasMarker, readPrioritizeMarker } from '@userloop/core';
import { runAction, type Sim } from '@userloop/github-sim';
import { acmeRepo, acts, botComments, labelsOf, REPO } from './acme.ts';
import { COMPLETE_BUG, formBody, repoForms } from './forms.ts';
import { ACTION, eachTestWithSim, env } from './sim.ts';

let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-e2e-info-', (s, w) => {
  sim = s;
  workspace = w;
  acmeRepo(sim, workspace, 'areas:\n  - name: Export\n    labels: [export]\n    owners: ["@ana", "@acme/export-team"]\n');
});

const bug = repoForms().find((f) => f.file === 'bug')!;
const { version: _version, logs: _logs, ...WITHOUT_VERSION_AND_LOGS } = COMPLETE_BUG;

function run(name: string, payload: Record<string, unknown>) {
  return runAction({ actionDir: ACTION, sim, event: { name, payload }, env, workspace, repository: REPO });
}
const reply = (n: number) => botComments(sim, n).find((c) => hasMarker(c.body, 'prioritize'));
const checklists = (n: number) => botComments(sim, n).filter((c) => hasMarker(c.body, 'prioritize-design'));

describe('the bundled action: missing information', () => {
  it('opened with fields missing: the reply asks for them and the issue gets needs info; the reporter edits: the label goes, the reply says no more', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, WITHOUT_VERSION_AND_LOGS));
    const opened = await run('issues', payload);
    expect(opened.stderr).toBe('');
    expect(opened.exitCode).toBe(0);
    expect(labelsOf(sim, n)).toEqual(['bug', 'needs info', 'priority: low']);
    expect(reply(n)?.body).toContain('- **Version**\n- **Logs and configuration**');
    expect(readPrioritizeMarker(reply(n)?.body)?.info?.missing).toEqual(['version', 'logs']);
    expect(opened.summary).toMatch(/\| Missing information +\| Version; Logs and configuration +\|/);

    const edited = await run('issues', act.edit('alice', n, formBody(bug, COMPLETE_BUG)));
    expect(edited.exitCode).toBe(0);
    expect(labelsOf(sim, n)).toEqual(['bug', 'priority: low']);
    const [only, ...more] = botComments(sim, n);
    expect(more).toEqual([]);
    expect(only?.body).not.toContain('more details');
    const info = readPrioritizeMarker(only?.body)?.info;
    expect(info?.missing).toEqual([]);
    expect(Date.parse(info?.completed ?? '')).toBeGreaterThanOrEqual(Date.parse(info?.asked ?? ''));
    expect(edited.summary).toMatch(/\| Needs-info label +\| removed +\|/);
  });
});

describe('the bundled action: needs design', () => {
  it('one checklist comment; when it is Fix it now the area owners are named in it', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, COMPLETE_BUG), ['bug', 'export']);
    await run('issues', payload);
    const labeled = await run('issues', act.label('maintainer', n, 'needs design'));
    expect(labeled.exitCode).toBe(0);
    expect(checklists(n)).toHaveLength(1);
    expect(checklists(n)[0]?.body).toContain('**Approaches**: two or three ways to do it, each with pseudo code.');
    expect(checklists(n)[0]?.body).not.toContain('@ana');

    const blocked = await run('issue_comment', act.comment('alice', n, 'This is blocking our whole team now.'));
    expect(blocked.outputs['priority']).toBe('fix-it-now');
    const [checklist, ...more] = checklists(n);
    expect(more).toEqual([]);
    expect(checklist?.body).toContain('@ana, @acme/export-team, you own this area, please make the call.');
    expect(sim.store.mustIssue(REPO, n).assignees).toEqual(['ana']);
  });

  it('two runs at once (opened and labeled of one form) leave one checklist naming the owners', async () => {
    const act = acts(sim);
    const { n, payload } = act.open('alice', formBody(bug, { ...COMPLETE_BUG, 'blocks-you': 'Yes, I am blocked' }), ['bug', 'export', 'needs design']);
    const labeled = { ...payload, action: 'labeled', label: { name: 'needs design', color: 'ededed' } };
    const [a, b] = await Promise.all([run('issues', payload), run('issues', labeled)]);
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    expect(checklists(n)).toHaveLength(1);
    expect(checklists(n)[0]?.body).toContain('@ana, @acme/export-team');
    expect(botComments(sim, n).filter((c) => hasMarker(c.body, 'prioritize'))).toHaveLength(1);
  });
});
