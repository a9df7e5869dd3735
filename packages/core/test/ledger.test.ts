import { describe, expect, it } from 'vitest';
import {
  boundPrioritizeMarker,
  buildLedger,
  isLedgerPartial,
  MARKER_MAX_PLACES,
  MARKER_MAX_REQUESTERS,
  containsPhrase,
  findCommunityLinks,
  isWantComment,
  mergeLedgers,
  newRequesters,
  readPrioritizeMarker,
  renderPrioritizeMarker,
  type LedgerFacts,
  type PrioritizeMarkerData,
} from '../src/ledger.ts';
import {
  addBusinessDays,
  bumpPriority,
  maxPriority,
  priorityFromLabels,
  runFlowchart,
  type BumpReason,
  type Priority,
} from '../src/priority.ts';

const URL0 = 'https://github.com/octo/repo/issues/7';
const user = (login: string) => ({ login, type: 'User' });

describe('isWantComment', () => {
  it.each([
    ['+1', true],
    ['👍', true],
    ['Me too!', true],
    ['same here', true],
    ['Same.', true],
    ['+1, this would really help our team', true],
    ['Any update on this?', true],
    ['Moi aussi', true],
    ['YO TAMBIEN', true],
    ['yo también, por favor', true],
    ['Ich auch.', true],
    ['я тоже', true],
    ['Me too. I tried the workaround in the docs, it does not help at all when the proxy is on, here is my log', true],
    ['I looked into the code and the same function is called twice, which explains the bug; I will open a PR', false],
    ['Thanks for the report, we will look into it', false],
    ['> +1\n\nPlease do not post +1 comments, use reactions', false],
    ['> me too\n\nI disagree that this is a bug', false],
    ['```\n+1\n```', false],
    ['1+1 is 2', false],
    ['', false],
    ['<!-- +1 -->', false],
    ['@someone +1', true],
    ['samesite cookies are broken', false],
  ])('%j -> %s', (body, expected) => {
    expect(isWantComment(body)).toBe(expected);
  });

  it('uses configured phrases only when given', () => {
    expect(isWantComment('plus one', { wantPhrases: ['plus one'] })).toBe(true);
    expect(isWantComment('+1', { wantPhrases: ['plus one'] })).toBe(false);
  });

  it('counts long comments only when they start with a phrase', () => {
    const long = 'This is a rather long comment about many things and finally I will say me too';
    expect(isWantComment(long)).toBe(false);
    expect(isWantComment(long, { shortCommentWords: 100 })).toBe(true);
  });
});

describe('containsPhrase', () => {
  it('matches whole words, accent- and case-insensitively, outside quotes', () => {
    expect(containsPhrase('This BLOCKS me from releasing', ['blocks me'])).toBe(true);
    expect(containsPhrase('> this blocks me\nnot for me', ['blocks me'])).toBe(false);
    expect(containsPhrase('unblocks meanwhile', ['blocks me'])).toBe(false);
    expect(containsPhrase('Está bloqueándome', ['esta bloqueandome'])).toBe(true);
  });
});

describe('findCommunityLinks', () => {
  it('finds links to configured hosts and subdomains, with path prefixes, deduplicated', () => {
    const text = [
      'See https://forum.example.com/t/123 and (https://forum.example.com/t/123).',
      'Chat: https://discord.com/channels/42/99, other: https://discord.com/channels/1/2',
      'Not: https://example.org/x https://evil.com/forum.example.com',
      'Sub: https://www.forum.example.com/t/9.',
    ].join('\n');
    expect(findCommunityLinks(text, ['forum.example.com', 'https://discord.com/channels/42/'])).toEqual([
      { url: 'https://forum.example.com/t/123', host: 'forum.example.com' },
      { url: 'https://discord.com/channels/42/99', host: 'discord.com' },
      { url: 'https://www.forum.example.com/t/9', host: 'www.forum.example.com' },
    ]);
  });
  it('finds nothing without hosts', () => {
    expect(findCommunityLinks('https://forum.example.com/t/1', [])).toEqual([]);
  });
});

describe('buildLedger', () => {
  const facts: LedgerFacts = {
    issue: { number: 7, url: URL0, author: user('alice'), body: 'Broken. Also asked on https://forum.example.com/t/55', createdAt: '2024-01-01T00:00:00Z' },
    comments: [
      { author: user('bob'), body: '+1', url: `${URL0}#issuecomment-1`, createdAt: '2024-01-03T00:00:00Z' },
      { author: user('carol'), body: 'I think the problem is in the parser', createdAt: '2024-01-02T00:00:00Z' },
      { author: user('ALICE'), body: 'me too, still', createdAt: '2024-01-04T00:00:00Z' },
      { author: { login: 'dependabot[bot]', type: 'Bot' }, body: '+1' },
      { author: { login: 'helper', type: 'Bot' }, body: 'me too' },
      { author: null, body: '+1' },
      { author: user('erin'), body: 'Same here, discussed at https://chat.example.com/c/1' },
    ],
    reactions: [
      { user: user('dave'), content: 'THUMBS_UP', createdAt: '2024-01-02T12:00:00Z' },
      { user: user('bob'), content: '+1', createdAt: '2024-01-01T12:00:00Z' },
      { user: user('frank'), content: 'HEART', createdAt: '2024-01-01T12:00:00Z' },
      { user: user('renovate[bot]'), content: 'THUMBS_UP' },
    ],
    duplicates: [
      { number: 9, url: 'https://github.com/octo/repo/issues/9', author: user('gina'), createdAt: '2024-01-05T00:00:00Z' },
      { number: 3, url: 'https://github.com/other/repo/issues/3', repository: 'other/repo', author: user('dave'), createdAt: '2024-01-06T00:00:00Z' },
    ],
    crossReferences: [
      { url: 'https://github.com/octo/repo/issues/11', number: 11 },
      { url: 'https://github.com/octo/repo/pull/12', number: 12, isPullRequest: true },
      { url: 'https://github.com/octo/repo/issues/9', number: 9 },
    ],
  };

  it('lists each person once with how they came, author first then in time order, and every place', () => {
    expect(buildLedger(facts, { communityHosts: ['forum.example.com', 'chat.example.com'] })).toEqual({
      requesters: [
        { login: 'alice', via: 'author', url: URL0, at: '2024-01-01T00:00:00Z' },
        { login: 'bob', via: 'reaction', at: '2024-01-01T12:00:00Z' },
        { login: 'dave', via: 'reaction', at: '2024-01-02T12:00:00Z' },
        { login: 'gina', via: 'duplicate', url: 'https://github.com/octo/repo/issues/9', at: '2024-01-05T00:00:00Z' },
        { login: 'erin', via: 'comment' },
      ],
      places: [
        { kind: 'issue', url: URL0, number: 7 },
        { kind: 'duplicate', url: 'https://github.com/octo/repo/issues/9', number: 9 },
        { kind: 'duplicate', url: 'https://github.com/other/repo/issues/3', number: 3, repository: 'other/repo' },
        { kind: 'cross-reference', url: 'https://github.com/octo/repo/issues/11', number: 11 },
        { kind: 'community', url: 'https://forum.example.com/t/55', host: 'forum.example.com' },
        { kind: 'community', url: 'https://chat.example.com/c/1', host: 'chat.example.com' },
      ],
    });
  });

  it('excludes configured logins, and includes pull requests when asked', () => {
    const ledger = buildLedger(facts, { excludeLogins: ['Bob'], includePullRequests: true });
    expect(ledger.requesters.map((r) => r.login)).toEqual(['alice', 'dave', 'gina', 'erin']);
    expect(ledger.places.map((p) => p.kind)).toEqual(['issue', 'duplicate', 'duplicate', 'cross-reference', 'cross-reference']);
  });

  it('handles an issue with a bot or deleted author and nothing else', () => {
    expect(buildLedger({ issue: { number: 1, url: URL0, author: null } })).toEqual({
      requesters: [],
      places: [{ kind: 'issue', url: URL0, number: 1 }],
    });
    expect(buildLedger({ issue: { number: 1, url: URL0, author: { login: 'github-actions[bot]' } } }).requesters).toEqual([]);
  });

  it('caps community links', () => {
    const body = Array.from({ length: 500 }, (_, i) => `https://forum.example.com/t/${i}`).join(' ');
    const ledger = buildLedger({ issue: { number: 1, url: URL0, author: user('a'), body } }, { communityHosts: ['forum.example.com'] });
    expect(ledger.places).toHaveLength(51);
  });
});

describe('newRequesters and mergeLedgers', () => {
  const before = {
    requesters: [
      { login: 'alice', via: 'author' as const },
      { login: 'bob', via: 'comment' as const },
    ],
    places: [
      { kind: 'issue' as const, url: URL0 },
      { kind: 'community' as const, url: 'https://forum.example.com/t/1' },
    ],
  };
  const after = {
    requesters: [
      { login: 'alice', via: 'author' as const },
      { login: 'Carol', via: 'reaction' as const },
    ],
    places: [{ kind: 'issue' as const, url: URL0 }],
  };
  it('finds people not seen before', () => {
    expect(newRequesters(before, after)).toEqual([{ login: 'Carol', via: 'reaction' }]);
    expect(newRequesters(null, after)).toEqual([]);
    expect(newRequesters(after, after)).toEqual([]);
  });
  it('keeps everyone already recorded', () => {
    expect(mergeLedgers(before, after)).toEqual({
      requesters: [
        { login: 'alice', via: 'author' },
        { login: 'bob', via: 'comment' },
        { login: 'Carol', via: 'reaction' },
      ],
      places: [
        { kind: 'issue', url: URL0 },
        { kind: 'community', url: 'https://forum.example.com/t/1' },
      ],
    });
    expect(mergeLedgers(null, after)).toBe(after);
  });
});

describe('the prioritize marker is bounded by construction', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ login: `user-${i}`, via: 'comment' as const, url: `https://github.com/o/r/issues/1#issuecomment-${i}`, at: '2026-01-01T00:00:00Z' }));
  it('keeps the author and the newest requesters, with the counts, under 30,000 characters for any ledger', () => {
    const requesters = [{ login: 'alice', via: 'author' as const }, ...many(5_000)];
    const places = Array.from({ length: 100 }, (_, i) => ({ kind: 'cross-reference' as const, url: `https://github.com/o/r/issues/${i + 2}`, number: i + 2 }));
    const data: PrioritizeMarkerData = { priority: 'high', path: ['blocked:no'], due: '2026-12-01', ledger: { requesters, places: [{ kind: 'issue', url: URL0 }, ...places] } };
    const bounded = boundPrioritizeMarker(data);
    expect(bounded.ledger.requesters).toHaveLength(MARKER_MAX_REQUESTERS);
    expect(bounded.ledger.requesters[0]).toEqual({ login: 'alice', via: 'author' });
    expect(bounded.ledger.requesters.at(-1)?.login).toBe('user-4999');
    expect(bounded.ledger.places).toHaveLength(MARKER_MAX_PLACES);
    expect(bounded.ledger.places[0]?.kind).toBe('issue');
    expect(bounded.counts).toEqual({ requesters: 5_001, places: 101 });
    expect(isLedgerPartial(bounded)).toBe(true);
    const line = renderPrioritizeMarker(data);
    expect(line.length).toBeLessThan(30_000);
    expect(readPrioritizeMarker(`Thanks!\n\n${line}`)).toEqual(bounded);
    // Bounding what was read gives the same marker: a run that changed nothing writes nothing.
    expect(boundPrioritizeMarker(bounded)).toEqual(bounded);
  });
  it('leaves a small ledger whole and drops entries that would not read back', () => {
    const data: PrioritizeMarkerData = {
      priority: 'low',
      path: [],
      due: null,
      ledger: {
        requesters: [{ login: 'alice', via: 'author' }, { login: 'not a login', via: 'comment' }],
        places: [{ kind: 'community', url: `https://forum.example.com/${'x'.repeat(600)}`, host: 'forum.example.com' }],
      },
    };
    expect(boundPrioritizeMarker({ ...data, ledger: { requesters: [data.ledger.requesters[0]!], places: [] } })).toEqual({ ...data, ledger: { requesters: [data.ledger.requesters[0]!], places: [] } });
    expect(boundPrioritizeMarker(data)).toEqual({ ...data, ledger: { requesters: [{ login: 'alice', via: 'author' }], places: [] }, counts: { requesters: 2, places: 1 } });
  });
});

describe('prioritize marker', () => {
  const data: PrioritizeMarkerData = {
    priority: 'high',
    path: ['blocked:no', 'new-user:no', 'quick:no', 'brought-up-before:yes'],
    due: '2024-01-15',
    ledger: { requesters: [{ login: 'alice', via: 'author' }], places: [{ kind: 'issue', url: URL0, number: 7 }] },
  };
  it('round-trips', () => {
    const line = renderPrioritizeMarker(data);
    expect(line.startsWith('<!-- userloop:prioritize {"priority":"high"')).toBe(true);
    expect(readPrioritizeMarker(`Hello\n\n${line}\n`)).toEqual(data);
  });
  it('cannot be closed early by hostile strings', () => {
    const hostile = { ...data, ledger: { ...data.ledger, places: [{ kind: 'community' as const, url: 'https://x.io/--><script>alert(1)</script>' }] } };
    const line = renderPrioritizeMarker(hostile);
    expect(line.indexOf('-->')).toBe(line.length - 3);
    expect(line).not.toContain('<script>');
    // A URL with `<`, `>` is no valid place: it is counted, not listed, and the rest reads back.
    expect(readPrioritizeMarker(line)).toEqual({ ...data, ledger: { ...data.ledger, places: [] }, counts: { requesters: 1, places: 1 } });
  });
  it.each([
    ['no marker', 'just text'],
    ['empty', ''],
    ['bad json', '<!-- userloop:prioritize {nope} -->'],
    ['bad priority', '<!-- userloop:prioritize {"priority":"urgent","path":[],"due":null,"ledger":{"requesters":[],"places":[]}} -->'],
    ['bad due', '<!-- userloop:prioritize {"priority":"low","path":[],"due":"soon","ledger":{"requesters":[],"places":[]}} -->'],
    ['bad requester', '<!-- userloop:prioritize {"priority":"low","path":[],"due":null,"ledger":{"requesters":[{"login":1}],"places":[]}} -->'],
    ['a login that is no login', '<!-- userloop:prioritize {"priority":"low","path":[],"due":null,"ledger":{"requesters":[{"login":"x\\n## [pwn](https://evil)","via":"author"}],"places":[]}} -->'],
    ['a date that is no date', '<!-- userloop:prioritize {"priority":"low","path":[],"due":"2026-02-30","ledger":{"requesters":[],"places":[]}} -->'],
    ['inside code', '```\n<!-- userloop:prioritize {"priority":"low","path":[],"due":null,"ledger":{"requesters":[],"places":[]}} -->\n```'],
    ['other kind', '<!-- userloop:kpi-report {"priority":"low","path":[],"due":null,"ledger":{"requesters":[],"places":[]}} -->'],
  ])('returns null for %s', (_name, body) => {
    expect(readPrioritizeMarker(body)).toBeNull();
  });
  it('drops unknown fields', () => {
    const body = '<!-- userloop:prioritize {"priority":"low","path":["x"],"due":null,"extra":1,"ledger":{"requesters":[{"login":"a","via":"author","evil":"<b>"}],"places":[]}} -->';
    expect(readPrioritizeMarker(body)).toEqual({ priority: 'low', path: ['x'], due: null, ledger: { requesters: [{ login: 'a', via: 'author' }], places: [] } });
  });
});

describe('runFlowchart truth table', () => {
  const table: [boolean, boolean, boolean, boolean, Priority, string | null][] = [];
  for (const blocked of [false, true])
    for (const newUser of [false, true])
      for (const quick of [false, true])
        for (const before of [false, true]) {
          const expected: Priority = blocked || newUser ? 'fix-it-now' : quick || before ? 'high' : 'low';
          const by = blocked ? 'blocked' : newUser ? 'new-user' : quick ? 'quick' : before ? 'brought-up-before' : null;
          table.push([blocked, newUser, quick, before, expected, by]);
        }
  it.each(table)('blocked=%s newUser=%s quick=%s before=%s -> %s (%s)', (blocked, newUser, quick, broughtUpBefore, expected, by) => {
    const r = runFlowchart({ blocked, newUser, quick, broughtUpBefore });
    expect(r.priority).toBe(expected);
    expect(r.flowchart).toBe(expected);
    expect(r.decidedBy).toBe(by);
    expect(r.bumps).toEqual([]);
  });
  it('writes the path until the first yes', () => {
    expect(runFlowchart({ blocked: false, newUser: false, quick: true, broughtUpBefore: true }).path).toEqual(['blocked:no', 'new-user:no', 'quick:yes']);
    expect(runFlowchart({ blocked: false, newUser: false, quick: false, broughtUpBefore: false }).path).toEqual([
      'blocked:no',
      'new-user:no',
      'quick:no',
      'brought-up-before:no',
    ]);
  });
  const bumps: [Priority, BumpReason[], Priority][] = [
    ['low', ['valued-member'], 'high'],
    ['low', ['contributor'], 'high'],
    ['low', ['big-impact'], 'high'],
    ['low', ['big-impact', 'valued-member', 'contributor'], 'high'],
    ['high', ['valued-member'], 'fix-it-now'],
    ['high', ['contributor', 'big-impact'], 'fix-it-now'],
    ['fix-it-now', ['big-impact'], 'fix-it-now'],
  ];
  it.each(bumps)('%s bumped by %j -> %s (one level in all)', (from, reasons, expected) => {
    const facts = { blocked: from === 'fix-it-now', newUser: false, quick: from === 'high', broughtUpBefore: false, bumps: reasons };
    const r = runFlowchart(facts);
    expect(r.flowchart).toBe(from);
    expect(r.priority).toBe(expected);
    expect(r.path.filter((s) => s.startsWith('bump:'))).toEqual(
      (['valued-member', 'contributor', 'big-impact'] as const).filter((b) => reasons.includes(b)).map((b) => `bump:${b}`),
    );
  });
});

describe('priority helpers', () => {
  it('ranks and bumps', () => {
    expect(maxPriority('low', 'high')).toBe('high');
    expect(maxPriority('fix-it-now', 'high')).toBe('fix-it-now');
    expect(maxPriority(null, 'low')).toBe('low');
    expect(maxPriority('low', undefined)).toBe('low');
    expect(bumpPriority('low')).toBe('high');
    expect(bumpPriority('fix-it-now')).toBe('fix-it-now');
  });
  it('reads priorities from labels, most urgent first, case-insensitively', () => {
    expect(priorityFromLabels(['bug', 'Priority: High', 'priority: low'])).toBe('high');
    expect(priorityFromLabels(['bug'])).toBeNull();
    expect(priorityFromLabels(['P0'], { 'fix-it-now': 'P0', high: 'P1', low: 'P2' })).toBe('fix-it-now');
  });
  it.each([
    ['2024-01-05T15:00:00Z', 1, [], '2024-01-08'], // Friday + 1 -> Monday
    ['2024-01-06T10:00:00Z', 0, [], '2024-01-08'], // Saturday + 0 -> Monday
    ['2024-01-01T00:00:00Z', 10, [], '2024-01-15'],
    ['2024-01-01T00:00:00Z', 1, ['2024-01-02'], '2024-01-03'],
    ['2024-12-24T09:00:00Z', 2, ['2024-12-25', '2024-12-26'], '2024-12-30'],
  ])('addBusinessDays(%s, %d, %j) = %s', (from, days, holidays, expected) => {
    expect(addBusinessDays(from, days, holidays)).toBe(expected);
  });
  it('rejects a bad date', () => {
    expect(() => addBusinessDays('nope', 1)).toThrow(/not a date/);
  });
});
