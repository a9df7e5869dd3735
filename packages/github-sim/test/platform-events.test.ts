import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT, GITHUB_TOKEN, type PlatformRun } from '../src/index.ts';
import { setup } from './platform-helpers.ts';

const actions = (runs: PlatformRun[], workflow: string): string[] =>
  runs.filter((r) => r.workflow === `.github/workflows/${workflow}`).map((r) => `${r.event}.${r.action ?? ''}`).sort();

describe('platform: which events start workflows', () => {
  it('an issue form with labels sends opened and one labeled per label at the same moment, each starting a run', async () => {
    const { platform } = await setup(['log-issues.yml']);
    const number = platform.openIssue({ user: 'alice', title: 'Export fails', body: 'It crashes', labels: ['bug', 'triage'] });
    const runs = await platform.settle();
    expect(actions(runs, 'log-issues.yml')).toEqual(['issues.labeled', 'issues.labeled', 'issues.opened']);
    expect(runs.every((r) => r.conclusion === 'success')).toBe(true);
    // Started together: every run began before any finished.
    const firstEnd = Math.min(...runs.map((r) => r.completedAt ?? 0));
    expect(runs.every((r) => (r.startedAt ?? Infinity) <= firstEnd)).toBe(true);
    expect(runs.map((r) => r.jobs[0]?.summary.trim()).sort()).toEqual([`labeled/${number}`, `labeled/${number}`, `opened/${number}`]);
    expect(platform.payloadErrors).toEqual([]);
  });

  it('two assignees send two assigned events: two runs', async () => {
    const { platform } = await setup(['log-issues.yml']);
    const n = platform.openIssue({ user: 'alice', title: 'Slow sync' });
    await platform.settle();
    platform.assign(n, ['maria', 'bob'], { by: 'maria' });
    const runs = await platform.settle();
    expect(actions(runs, 'log-issues.yml')).toEqual(['issues.assigned', 'issues.assigned', 'issues.opened']);
    const assignees = platform.events.filter((e) => e.action === 'assigned').map((e) => (e.payload.assignee as { login: string }).login);
    expect(assignees.sort()).toEqual(['bob', 'maria']);
    expect(platform.payloadErrors).toEqual([]);
  });

  it('a reaction sends no event and starts nothing', async () => {
    const { platform, sim } = await setup(['log-issues.yml']);
    const n = platform.openIssue({ user: 'alice', title: 'Dark mode' });
    await platform.settle();
    const before = platform.events.length;
    platform.react({ issue: n }, { user: 'bob', content: '+1' });
    await platform.settle();
    expect(sim.store.mustIssue('octo/app', n).reactions).toHaveLength(1);
    expect(platform.events.length).toBe(before);
    expect(platform.runs).toHaveLength(1);
  });

  it('closing #7 as a duplicate of #6 sends events for #7 only', async () => {
    const { platform, sim } = await setup(['log-issues.yml']);
    const original = platform.openIssue({ user: 'alice', title: 'Crash on export' });
    const dup = platform.openIssue({ user: 'bob', title: 'Export crashes' });
    await platform.settle();
    const before = platform.runs.length;
    platform.close(dup, { by: 'maria', duplicateOf: original });
    const runs = (await platform.settle()).slice(before);
    expect(runs.map((r) => `${r.action} #${String((r.payload.issue as { number: number }).number)}`)).toEqual([`closed #${dup}`]);
    expect((runs[0]?.payload.issue as { state_reason: string }).state_reason).toBe('duplicate');
    expect(sim.store.mustIssue('octo/app', original).state).toBe('open');
    expect(platform.payloadErrors).toEqual([]);
  });

  it("a comment written with the run's GITHUB_TOKEN starts no workflow; the same write with a person's token does", async () => {
    const { platform, sim } = await setup(['reply.yml'], {}, { secrets: { BOT_PAT: 'pat-of-helper-bot' } });
    sim.store.addToken('pat-of-helper-bot', 'helper-bot', { issues: 'write' }, { kind: 'pat' });
    const n = platform.openIssue({ user: 'alice', title: 'Question' });
    platform.comment(n, { user: 'alice', body: 'Any news?' });
    let runs = await platform.settle();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe('success');
    const comments = sim.store.commentsOf('octo/app', n);
    expect(comments.map((c) => c.user)).toEqual(['alice', ACTIONS_BOT]);
    // The bot's comment is an event GitHub records, but it starts nothing.
    expect(platform.events.filter((e) => e.name === 'issue_comment').map((e) => e.origin)).toEqual(['human', 'github-token']);

    // Written with a PAT, the reply is that user's act: it starts the workflow again (whose job skips the bot).
    platform.vars.USE_PAT = 'true';
    platform.comment(n, { user: 'alice', body: 'Hello?' });
    runs = await platform.settle();
    expect(runs.map((r) => r.actor)).toEqual(['alice', 'alice', 'helper-bot']);
    expect(runs[2]?.jobs.map((j) => j.conclusion)).toEqual(['skipped']);
    expect(sim.store.commentsOf('octo/app', n).map((c) => c.user)).toEqual(['alice', ACTIONS_BOT, 'alice', 'helper-bot']);
  });

  it('a release published by a person sends created, published and released; by the GITHUB_TOKEN it starts nothing', async () => {
    const { platform } = await setup([], {
      '.github/workflows/on-release.yml': `name: on-release
on:
  release:
    types: [published, released, prereleased, created, edited]
jobs:
  log:
    runs-on: ubuntu-latest
    steps:
      - run: echo released
`,
    });
    platform.publishRelease({ tag: 'v1.0.0', by: 'maria' });
    let runs = await platform.settle();
    expect(runs.map((r) => r.action).sort()).toEqual(['created', 'published', 'released']);

    platform.publishRelease({ tag: 'v1.1.0', by: GITHUB_TOKEN });
    runs = await platform.settle();
    expect(runs).toHaveLength(3);
    expect(platform.events.filter((e) => e.origin === 'github-token').map((e) => e.action)).toEqual(['created', 'published', 'released']);

    // A pre-release promoted later fires released (and edited), not published.
    platform.publishRelease({ tag: 'v2.0.0-rc.1', prerelease: true, by: 'maria' });
    await platform.settle();
    const before = platform.runs.length;
    platform.promotePrerelease('v2.0.0-rc.1', { by: 'maria' });
    runs = (await platform.settle()).slice(before);
    expect(runs.map((r) => r.action).sort()).toEqual(['edited', 'released']);
    expect(platform.payloadErrors).toEqual([]);
  });
});
