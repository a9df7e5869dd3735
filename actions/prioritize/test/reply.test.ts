import { describe, expect, it } from 'vitest';
import { boundPrioritizeMarker, fillTemplate, parseConfig, quoteInline, readPrioritizeMarker, renderMarker, type PrioritizeMarkerData } from '@userloop/core';
import { evaluate, type EvaluateInput } from '../src/decide.ts';
import { pathWords, previousSimilar, renderLedger, renderReply } from '../src/render.ts';
import { comment, ISSUE_URL, lowMarker, makeRead, NOW, prioritizeConfig, user } from './helpers.ts';

const GH = 'https://github.com';
const ALICE = `[alice](${GH}/alice)`;

function reply(over: Partial<EvaluateInput> = {}, yaml = '') {
  const config = prioritizeConfig(yaml);
  const e = evaluate({
    read: over.read ?? makeRead(),
    config,
    bots: [],
    formFields: [],
    previous: over.previous ?? null,
    event: over.event ?? { name: 'issues', action: 'opened' },
    now: NOW,
  });
  return { e, ...renderReply(e, { config, author: 'alice', serverUrl: GH }) };
}

describe('the reason agrees with the ledger line', () => {
  it('one person in two places: not "it hasn\'t come up before"', () => {
    const { e, body } = reply(
      { read: makeRead({ body: 'The last row is missing. I asked on https://forum.example.com/t/42 too.' }) },
      'prioritize:\n  community-hosts: [forum.example.com]\n',
    );
    expect(e.priority).toBe('low');
    expect(body).toContain(
      `**Priority: Low.** It doesn't block you and only one person has asked for it so far, so we won't get to it right away.`,
    );
    expect(body).toContain('Brought up by 1 person in 2 places:');
    expect(body).not.toContain("hasn't come up before");
  });
  it('one person in one place: it has not come up before', () => {
    const { body } = reply();
    expect(body).toContain("It doesn't block you and it hasn't come up before, so");
    expect(body).toContain('Brought up by 1 person in 1 place:');
  });
});

describe('the reply for each priority', () => {
  it('Fix it now', () => {
    const { body, markerData } = reply({ read: makeRead({ body: '### Does this block you?\n\nYes\n' }) });
    expect(body).toBe(
      [
        `Thanks for telling us, ${ALICE}. **Priority: Fix it now.** You said this blocks you, so we are on it: expect something today or tomorrow (by Thursday 2024-01-04, end of day UTC).`,
        `Brought up by 1 person in 1 place: ${ALICE} (opened it).`,
        '<sub>How we decided: blocks someone? yes.</sub>',
      ].join('\n\n') + '\n',
    );
    expect(markerData).toEqual({
      priority: 'fix-it-now',
      path: ['blocked:yes'],
      due: '2024-01-04',
      ledger: { requesters: [{ login: 'alice', via: 'author', url: ISSUE_URL, at: '2024-01-01T10:00:00Z' }], places: [{ kind: 'issue', url: ISSUE_URL, number: 7 }] },
    });
  });

  it('Fix it now for a new user', () => {
    const { body } = reply({ read: makeRead({ body: '### Are you new to the project?\n\nYes\n' }) });
    expect(body.split('\n')[0]).toBe(
      `Thanks for telling us, ${ALICE}. **Priority: Fix it now.** You are new to the project, and a new user's first steps matter most to us, so we are on it: expect something today or tomorrow (by Thursday 2024-01-04, end of day UTC).`,
    );
  });

  it('High, brought up by several people in several places', () => {
    const { body } = reply({
      read: makeRead({
        comments: [comment('bob', '+1')],
        reactions: [{ user: user('dave'), content: 'THUMBS_UP', createdAt: '2024-01-01T12:00:00Z' }],
        duplicates: [{ number: 9, url: 'https://github.com/octo/repo/issues/9', author: user('gina'), createdAt: '2024-01-02T12:00:00Z' }],
      }),
    });
    expect(body).toBe(
      [
        `Thanks for telling us, ${ALICE}. **Priority: High.** 4 people have asked for this, so we plan to get to it this week or next week (by Friday 2024-01-12, end of day UTC).`,
        `Brought up by 4 people in 2 places: ${ALICE} (opened it), [dave](${GH}/dave) (👍), [bob](${GH}/bob) (said so in a comment), [gina](${GH}/gina) (opened a duplicate). Places: this issue, #9 (duplicate).`,
        "<sub>How we decided: blocks someone? no → affects a new user's experience? no → quick change? no → brought up before? yes.</sub>",
      ].join('\n\n') + '\n',
    );
  });

  it('High, quick, bumped', () => {
    const { body } = reply({ read: makeRead({ labels: ['quick fix'], association: 'CONTRIBUTOR' }) });
    expect(body.split('\n')[0]).toBe(
      `Thanks for telling us, ${ALICE}. **Priority: Fix it now.** It looks like a quick change, and a contributor needs it, so we moved it up a level, so we are on it: expect something today or tomorrow (by Thursday 2024-01-04, end of day UTC).`,
    );
  });

  it('Low: not right away, and a blocker reply bumps it', () => {
    const { body } = reply();
    expect(body).toBe(
      [
        `Thanks for telling us, ${ALICE}. **Priority: Low.** It doesn't block you and it hasn't come up before, so we won't get to it right away. If it becomes a blocker for you, reply here and say so, and we'll bump it up.`,
        `Brought up by 1 person in 1 place: ${ALICE} (opened it).`,
        "<sub>How we decided: blocks someone? no → affects a new user's experience? no → quick change? no → brought up before? no.</sub>",
      ].join('\n\n') + '\n',
    );
  });

  it('says what changed on re-evaluation', () => {
    const previous = lowMarker();
    const { body } = reply({
      read: makeRead({ comments: [comment('carol', 'same here, and it blocks us now')] }),
      previous,
      event: { name: 'issue_comment', action: 'created' },
    });
    expect(body.split('\n\n').slice(0, 2)).toEqual([
      `Thanks for telling us, ${ALICE}. **Priority: Fix it now.** carol said this blocks them, so we are on it: expect something today or tomorrow (by Thursday 2024-01-04, end of day UTC).`,
      '**What changed:** carol said it blocks them; 1 more person asked for it (carol); the priority went from Low to Fix it now.',
    ]);
  });

  it('a pinned priority names the person', () => {
    const { body } = reply({
      read: makeRead({ labels: ['priority: high'], labelEvents: [{ action: 'labeled', label: 'priority: high', actor: user('maint'), at: '2024-01-02T00:00:00Z' }] }),
    });
    expect(body.split('\n')[0]).toBe(
      `Thanks for telling us, ${ALICE}. **Priority: High.** maint on our team set this priority, so we plan to get to it this week or next week (by Friday 2024-01-12, end of day UTC).`,
    );
  });

  it('lists possible duplicates on opened, escaped', () => {
    const { body } = reply({
      read: makeRead({
        recentIssues: [{ number: 3, title: 'Export to CSV drops the <b>last</b> row @everyone [x](y)', body: 'last row missing in CSV export', url: 'u' }],
      }),
    });
    const section = previousSimilar(body);
    expect(section).toBe(
      [
        '<!-- userloop:prioritize-similar -->',
        'These open issues look similar. If one of them is the same, tell us and we will merge them:',
        '',
        // `&#64;everyone` (the old escaping) renders as a linked "@everyone"; a zero-width space does not link.
        '- #3 Export to CSV drops the &lt;b&gt;last&lt;/b&gt; row @\u200Beveryone \\[x\\]\\(y\\)',
        '<!-- /userloop:prioritize-similar -->',
      ].join('\n'),
    );
  });

  it('uses configured templates', () => {
    const { body } = reply({}, 'prioritize:\n  templates:\n    low: "{priority}: {reason}."\n    ledger: "{people}: {requesters} at {place-list}"\n');
    expect(body.split('\n\n').slice(0, 2)).toEqual([
      "Low: It doesn't block you and it hasn't come up before.",
      `1 person: ${ALICE} (opened it) at this issue`,
    ]);
  });
});

describe('helpers', () => {
  it('escapes user text (core quoteInline)', () => {
    // `&#64;a` (the old escaping) renders as "@a", which GitHub links: a zero-width space after the @ does not.
    expect(quoteInline('<script>alert(1)</script> @a #1 *b* `c` | d\n\ne', { max: 120 })).toBe(
      '&lt;script&gt;alert\\(1\\)&lt;/script&gt; @\u200Ba \\#1 \\*b\\* \\`c\\` \\| d e',
    );
    expect(quoteInline('x'.repeat(300), { max: 120 })).toHaveLength(120);
  });
  it('fills templates with the one core syntax; a typo is a config error, not an empty string', () => {
    expect(fillTemplate('{a} {b-c} {c}', { a: '1', 'b-c': '2' })).toBe('1 2 {c}');
    const { errors } = parseConfig('prioritize:\n  templates:\n    high: "Hi {autor}, {priority}."\n');
    expect(errors).toMatchObject([{ key: 'prioritize.templates.high', line: 3, suggestion: '{author}' }]);
  });
  it('renders a long ledger with "and N more"', () => {
    const requesters = Array.from({ length: 25 }, (_, i) => ({ login: `u${i}`, via: 'reaction' as const }));
    const line = renderLedger({ requesters, places: [{ kind: 'issue', url: ISSUE_URL }] }, 'Brought up by {people} in {places}: {requesters}.', GH);
    expect(line.startsWith('Brought up by 25 people in 1 place: [u0]')).toBe(true);
    expect(line.endsWith('[u19](https://github.com/u19) (👍), and 5 more.')).toBe(true);
  });
  it('says the path in words', () => {
    expect(pathWords(['blocked:no', 'new-user:no', 'quick:yes', 'bump:big-impact', 'pinned:low', 'raised:new-requester', 'kept:high'])).toBe(
      "blocks someone? no → affects a new user's experience? no → quick change? yes → bump (big-impact) → set by hand to Low → raised: new requester → kept at High",
    );
  });
  it('compacts a marker that would be too big', () => {
    // Before, 2,000 requesters as logins alone made an 80,000-character marker: over GitHub's 65,536 for the
    // whole comment. Now the marker keeps the newest 500 (logins and how they came) and the counts.
    const requesters = Array.from({ length: 2000 }, (_, i) => ({ login: `user-${i}`, via: 'reaction' as const, url: `${ISSUE_URL}#x${i}`, at: '2024-01-01T00:00:00Z' }));
    const data: PrioritizeMarkerData = { priority: 'high', path: [], due: null, ledger: { requesters, places: [] } };
    const small = boundPrioritizeMarker(data);
    expect(small.ledger.requesters).toHaveLength(500);
    expect(small.ledger.requesters[0]).toEqual({ login: 'user-1500', via: 'reaction' });
    expect(small.ledger.requesters.at(-1)).toEqual({ login: 'user-1999', via: 'reaction' });
    expect(small.counts).toEqual({ requesters: 2000, places: 0 });
    expect(renderMarker('prioritize', small).length).toBeLessThan(30_000);
    expect(readPrioritizeMarker(renderMarker('prioritize', small))).toEqual(small);
  });
});
