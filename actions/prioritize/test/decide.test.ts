import { describe, expect, it } from 'vitest';
import type { PrioritizeMarkerData } from '@userloop/core';
import { evaluate, findPin, type EvaluateInput } from '../src/decide.ts';
import { aliceLedger, comment, ISSUE_URL, lowMarker, makeRead, NOW, prioritizeConfig, user } from './helpers.ts';

const FORM = (blocked: string, newUser: string, extra = 'The export is wrong.') =>
  `### What happened?\n\n${extra}\n\n### Does this block you?\n\n${blocked}\n\n### Are you new to the project?\n\n${newUser}\n`;

function run(over: Partial<EvaluateInput> & { read?: EvaluateInput['read'] } = {}) {
  return evaluate({
    read: over.read ?? makeRead(),
    config: over.config ?? prioritizeConfig(),
    bots: over.bots ?? [],
    formFields: over.formFields ?? [],
    previous: over.previous ?? null,
    event: over.event ?? { name: 'issues', action: 'opened' },
    now: over.now ?? NOW,
  });
}

describe('flowchart truth table, with the exact label', () => {
  const rows: [boolean, boolean, boolean, boolean, string, string[]][] = [];
  for (const blocked of [false, true])
    for (const newUser of [false, true])
      for (const quick of [false, true])
        for (const before of [false, true]) {
          const label = blocked || newUser ? 'priority: fix it now' : quick || before ? 'priority: high' : 'priority: low';
          const path: string[] = [`blocked:${blocked ? 'yes' : 'no'}`];
          if (!blocked) path.push(`new-user:${newUser ? 'yes' : 'no'}`);
          if (!blocked && !newUser) path.push(`quick:${quick ? 'yes' : 'no'}`);
          if (!blocked && !newUser && !quick) path.push(`brought-up-before:${before ? 'yes' : 'no'}`);
          rows.push([blocked, newUser, quick, before, label, path]);
        }
  it.each(rows)('blocked=%s new-user=%s quick=%s brought-up-before=%s -> %s', (blocked, newUser, quick, before, label, path) => {
    const read = makeRead({
      body: FORM(blocked ? 'Yes' : 'No', newUser ? 'Yes' : 'No'),
      labels: quick ? ['quick fix'] : [],
      comments: before ? [comment('bob', '+1')] : [],
    });
    const e = run({ read });
    expect(e.labels).toEqual({ want: label, add: true, remove: [], create: true });
    expect(e.path).toEqual(path);
  });
});

describe('bumps, one level each way they apply', () => {
  const cases: [string, string, Parameters<typeof makeRead>[0], string, string][] = [
    ['valued member (config list)', 'valued-members: [alice]', {}, 'priority: high', 'bump:valued-member'],
    ['valued member (association)', 'valued-associations: [MEMBER]', { association: 'MEMBER' }, 'priority: high', 'bump:valued-member'],
    ['contributor (author)', '', { association: 'CONTRIBUTOR' }, 'priority: high', 'bump:contributor'],
    [
      'contributor (+1 commenter)',
      '',
      { comments: [comment('bob', 'me too', { association: 'CONTRIBUTOR' })] },
      'priority: fix it now',
      'bump:contributor',
    ],
    ['big impact label', '', { labels: ['Big Impact'] }, 'priority: high', 'bump:big-impact'],
    ['big impact on high', '', { labels: ['big impact', 'quick fix'] }, 'priority: fix it now', 'bump:big-impact'],
    ['big impact on fix it now', '', { labels: ['big impact', 'blocker'] }, 'priority: fix it now', 'bump:big-impact'],
    ['all three at once: one level', 'valued-members: [alice]', { association: 'CONTRIBUTOR', labels: ['big impact'] }, 'priority: high', 'bump:big-impact'],
  ];
  it.each(cases)('%s', (_name, yaml, readOver, label, step) => {
    const e = run({ read: makeRead(readOver), config: prioritizeConfig(yaml ? `prioritize:\n  ${yaml}\n` : '') });
    expect(e.labels.want).toBe(label);
    expect(e.path).toContain(step);
  });
  it('needs design: never quick', () => {
    const e = run({ read: makeRead({ labels: ['quick fix', 'needs design'] }) });
    expect(e.priority).toBe('low');
    expect(e.signals.needsDesign).toBe('needs design');
  });
});

describe('facts', () => {
  it('reads the blocking answer from a template field by id', () => {
    const read = makeRead({ body: '### Is this stopping your work?\n\nYes, completely\n' });
    const fields = [{ id: 'blocks-you', label: 'Is this stopping your work?', type: 'dropdown' }];
    expect(run({ read, formFields: fields }).signals.blocked).toEqual({ kind: 'form' });
    expect(run({ read }).signals.blocked).toBeNull();
  });
  it('a "No" in the form wins over a phrase in the body', () => {
    const read = makeRead({ body: FORM('No', 'No', 'This is a blocker for nobody, just odd') });
    expect(run({ read }).signals.blocked).toBeNull();
  });
  it('a phrase in a free-text issue and in a comment', () => {
    expect(run({ read: makeRead({ body: 'This blocks me from releasing.' }) }).signals.blocked).toEqual({ kind: 'body' });
    expect(run({ read: makeRead({ body: 'This does not block me.' }) }).signals.blocked).toBeNull();
    const read = makeRead({ comments: [comment('carol', 'It is blocking us too.')] });
    expect(run({ read }).signals.blocked).toEqual({ kind: 'comment', login: 'carol', url: `${ISSUE_URL}#issuecomment-100` });
  });
  it('ignores bots, the token itself, and quotes', () => {
    const read = makeRead({
      comments: [
        comment('renovate[bot]', 'this blocks me'),
        comment('github-actions[bot]', 'blocks me', { byViewer: true }),
        comment('dan', '> this blocks me\n\nI do not think so'),
      ],
    });
    const e = run({ read, bots: ['svc-account'] });
    expect(e.signals.blocked).toBeNull();
    expect(e.ledger.requesters.map((r) => r.login)).toEqual(['alice']);
  });
  it('configured bots are not requesters', () => {
    const read = makeRead({ comments: [comment('svc-account', '+1')] });
    expect(run({ read, bots: ['svc-account'] }).ledger.requesters).toHaveLength(1);
  });
  it('duplicates make it brought up before', () => {
    const read = makeRead({ duplicates: [{ number: 9, url: 'https://github.com/octo/repo/issues/9', author: user('alice') }] });
    const e = run({ read });
    expect(e.priority).toBe('high');
    expect(e.signals.broughtUpBefore).toEqual({ people: 1, duplicates: 1 });
  });
});

describe('due dates', () => {
  it('Fix it now: the next business day; High: the Friday of next week; Low none', () => {
    expect(run({ read: makeRead({ labels: ['blocker'] }) }).due).toBe('2024-01-04');
    expect(run({ read: makeRead({ labels: ['quick fix'] }) }).due).toBe('2024-01-12');
    expect(run({ read: makeRead({ labels: ['quick fix'] }), now: new Date('2026-12-04T16:00:00Z') }).due).toBe('2026-12-11');
    expect(run({ read: makeRead({ labels: ['blocker'] }), now: new Date('2026-12-04T16:00:00Z') }).due).toBe('2026-12-07');
    expect(run().due).toBeNull();
  });
  it('High: `due-weeks.high` moves the week; the old `due-business-days.high` still counts business days', () => {
    const weeks = prioritizeConfig('prioritize:\n  due-weeks: { high: 0 }\n');
    expect(run({ read: makeRead({ labels: ['quick fix'] }), config: weeks }).due).toBe('2024-01-05');
    const days = prioritizeConfig('prioritize:\n  due-business-days: { high: 10 }\n');
    expect(run({ read: makeRead({ labels: ['quick fix'] }), config: days }).due).toBe('2024-01-17');
  });
  it('honours configured days and holidays', () => {
    const config = prioritizeConfig('prioritize:\n  due-business-days: { fix-it-now: 2 }\n  holidays: ["2024-01-04"]\n');
    expect(run({ read: makeRead({ labels: ['blocker'] }), config }).due).toBe('2024-01-08');
  });
  it('keeps the promised date while the priority stays', () => {
    const previous: PrioritizeMarkerData = {
      priority: 'high',
      path: ['blocked:no', 'new-user:no', 'quick:yes'],
      due: '2024-01-10',
      ledger: aliceLedger(),
    };
    const e = run({ read: makeRead({ labels: ['quick fix', 'priority: high'] }), previous, now: new Date('2024-02-01T00:00:00Z') });
    expect(e.due).toBe('2024-01-10');
    expect(e.replyChanged).toBe(false);
    expect(e.labels).toEqual({ want: 'priority: high', add: false, remove: [], create: false });
  });
});

describe('re-evaluation', () => {
  const low = lowMarker();
  it('a blocker comment: Fix it now, and says what changed', () => {
    const read = makeRead({ labels: ['priority: low'], existingLabels: ['priority: low'], comments: [comment('alice', 'Update: this now blocks me from shipping.')] });
    const e = run({ read, previous: low, event: { name: 'issue_comment', action: 'created' } });
    expect(e.priority).toBe('fix-it-now');
    expect(e.previousPriority).toBe('low');
    expect(e.changes).toEqual(['alice said it blocks them', 'the priority went from Low to Fix it now']);
    expect(e.labels).toEqual({ want: 'priority: fix it now', add: true, remove: ['priority: low'], create: true });
    expect(e.due).toBe('2024-01-04');
  });
  it('a new requester: at least High', () => {
    const withBob = { ...low, ledger: { ...low.ledger, requesters: [...low.ledger.requesters] } };
    const read = makeRead({ labels: ['priority: low'], reactions: [{ user: user('zoe'), content: 'THUMBS_UP', createdAt: '2024-01-02T00:00:00Z' }] });
    const e = run({ read, previous: withBob, event: { name: 'issue_comment', action: 'created' } });
    expect(e.priority).toBe('high');
    expect(e.newRequesters.map((r) => r.login)).toEqual(['zoe']);
    expect(e.changes).toEqual(['1 more person asked for it (zoe)', 'the priority went from Low to High']);
  });
  it('never lowers automatically, and keeps everyone already recorded', () => {
    const fix: PrioritizeMarkerData = {
      priority: 'fix-it-now',
      path: ['blocked:yes'],
      due: '2024-01-04',
      ledger: {
        requesters: [
          { login: 'alice', via: 'author', url: ISSUE_URL, at: '2024-01-01T10:00:00Z' },
          { login: 'bob', via: 'comment' },
        ],
        places: [{ kind: 'issue', url: ISSUE_URL, number: 7 }],
      },
    };
    const e = run({ read: makeRead({ labels: ['priority: fix it now'] }), previous: fix, event: { name: 'issues', action: 'edited' } });
    expect(e.priority).toBe('fix-it-now');
    expect(e.path.at(-1)).toBe('kept:fix-it-now');
    expect(e.ledger.requesters.map((r) => r.login)).toEqual(['alice', 'bob']);
    expect(e.due).toBe('2024-01-04');
    expect(e.labels.add).toBe(false);
  });
  it('an event that changes nothing changes nothing', () => {
    const first = run({ read: makeRead({ comments: [comment('bob', '+1')] }) });
    const again = run({
      read: makeRead({ comments: [comment('bob', '+1')], labels: [first.labels.want ?? ''] }),
      previous: first.marker,
      event: { name: 'issues', action: 'edited' },
      now: new Date('2024-01-05T00:00:00Z'),
    });
    expect(again.replyChanged).toBe(false);
    expect(again.changes).toEqual([]);
    expect(again.labels).toEqual({ want: 'priority: high', add: false, remove: [], create: false });
  });
});

describe('a person pins the priority', () => {
  const config = prioritizeConfig();
  it('a label set by a person wins, even lower than the flowchart', () => {
    const read = makeRead({
      labels: ['blocker', 'priority: low'],
      labelEvents: [{ action: 'labeled', label: 'priority: low', actor: user('maintainer'), at: '2024-01-02T00:00:00Z' }],
    });
    const e = run({ read, event: { name: 'issues', action: 'labeled' } });
    expect(e.priority).toBe('low');
    expect(e.pinnedBy).toBe('maintainer');
    expect(e.path.at(-1)).toBe('pinned:low');
    expect(e.labels).toEqual({ want: 'priority: low', add: false, remove: [], create: false });
  });
  it('the bot itself and other bots do not pin', () => {
    const events = [
      { action: 'labeled' as const, label: 'priority: low', actor: { login: 'github-actions[bot]', type: 'Bot' }, at: '1' },
      { action: 'labeled' as const, label: 'priority: high', actor: { login: 'my-app[bot]', type: 'Bot' }, at: '2' },
    ];
    expect(findPin(events, ['priority: low', 'priority: high'], config, ['github-actions[bot]'])).toEqual({ pinned: null, by: null, removedBy: null });
  });
  it('the payload sender pins when the timeline lags', () => {
    const read = makeRead({ labels: ['priority: high'] });
    const e = run({
      read,
      event: { name: 'issues', action: 'labeled', label: { name: 'priority: high', sender: user('maintainer'), at: '2024-01-03T00:00:00Z' } },
    });
    expect(e.pinnedBy).toBe('maintainer');
    expect(e.priority).toBe('high');
  });
  it('the latest person label wins; other managed labels are taken off', () => {
    const read = makeRead({
      labels: ['priority: low', 'priority: fix it now'],
      existingLabels: ['priority: low', 'priority: fix it now'],
      labelEvents: [
        { action: 'labeled', label: 'priority: low', actor: { login: 'github-actions[bot]', type: 'Bot' }, at: '2024-01-01T00:00:00Z' },
        { action: 'labeled', label: 'priority: fix it now', actor: user('maintainer'), at: '2024-01-02T00:00:00Z' },
      ],
    });
    const e = run({ read });
    expect(e.priority).toBe('fix-it-now');
    expect(e.labels).toEqual({ want: 'priority: fix it now', add: false, remove: ['priority: low'], create: false });
  });
  it('a person who removed the label: labels are left alone', () => {
    const read = makeRead({
      labelEvents: [
        { action: 'labeled', label: 'priority: low', actor: { login: 'github-actions[bot]', type: 'Bot' }, at: '2024-01-01T00:00:00Z' },
        { action: 'unlabeled', label: 'priority: low', actor: user('maintainer'), at: '2024-01-02T00:00:00Z' },
      ],
    });
    const e = run({ read, event: { name: 'issues', action: 'unlabeled' } });
    expect(e.labelRemovedBy).toBe('maintainer');
    expect(e.labels).toEqual({ want: null, add: false, remove: [], create: false });
  });
});

describe('possible duplicates on opened', () => {
  const recentIssues = [
    { number: 3, title: 'CSV export drops the last row of data', body: 'the last row is missing in the export', url: 'u3' },
    { number: 4, title: 'Dark mode', body: 'please add dark mode', url: 'u4' },
    { number: 7, title: 'Export to CSV drops the last row', body: '', url: 'u7' },
  ];
  it('lists similar open issues, not itself', () => {
    const e = run({ read: makeRead({ recentIssues }) });
    expect(e.similar.map((s) => s.number)).toEqual([3]);
  });
  it('only on opened, and not when disabled', () => {
    expect(run({ read: makeRead({ recentIssues }), event: { name: 'issues', action: 'edited' } }).similar).toEqual([]);
    const config = prioritizeConfig('prioritize:\n  duplicates: { enabled: false }\n');
    expect(run({ read: makeRead({ recentIssues }), config }).similar).toEqual([]);
  });
});
