import { parseConfig, parseVersion, renderPrioritizeMarker, type ClosingIssue, type PullRequestDetails } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import { buildNotes, keywordIssuesToFetch, requestersOf, type BuildNotesInput } from '../src/build.ts';

const cfg = (yaml = '') => parseConfig(yaml ? `draft-release-notes:\n${yaml}` : '', 'x.yml').config!['draft-release-notes'];
const ledger = (...logins: string[]) =>
  renderPrioritizeMarker({ priority: 'low', path: [], due: null, ledger: { requesters: logins.map((login) => ({ login, via: 'comment' as const })), places: [] } });
const bot = { login: 'github-actions', type: 'Bot' };

const issue = (number: number, over: Partial<ClosingIssue> = {}): ClosingIssue => ({
  repository: 'o/r',
  number,
  title: `Issue ${number}`,
  url: `https://github.com/o/r/issues/${number}`,
  state: 'CLOSED',
  author: { login: 'opener', type: 'User' },
  comments: [],
  ...over,
});

let n = 0;
const pr = (over: Partial<PullRequestDetails> = {}): PullRequestDetails => {
  n += 1;
  return {
    number: n,
    title: `Change ${n}`,
    body: '',
    url: `https://github.com/o/r/pull/${n}`,
    mergedAt: null,
    author: { login: 'alice', type: 'User' },
    labels: [],
    files: [],
    filesComplete: true,
    closingIssues: [],
    ...over,
  };
};

const input = (pullRequests: PullRequestDetails[], over: Partial<BuildNotesInput> = {}): BuildNotesInput => ({
  config: cfg(),
  bots: [],
  owner: 'o',
  repo: 'r',
  serverUrl: 'https://github.com',
  pullRequests,
  keywordIssues: new Map(),
  identity: 'github-actions[bot]',
  base: { tag: 'v1.4.2', version: parseVersion('1.4.2')! },
  published: [],
  snippet: (body) => (body.includes('## Usage') ? 'snippet' : null),
  usageHeading: 'How to use',
  marker: '<!-- m -->',
  ...over,
});

describe('requestersOf', () => {
  it('reads the ledger from the bot comment only; falls back to the author; never bots', () => {
    const fake = { author: { login: 'mallory', type: 'User' }, body: ledger('mallory') };
    expect(requestersOf(issue(1, { comments: [fake, { author: bot, body: `Priority\n${ledger('bob', 'Bob', 'renovate[bot]', 'carol')}` }] }), 'github-actions[bot]')).toEqual([
      'bob',
      'carol',
    ]);
    expect(requestersOf(issue(1, { comments: [fake] }), 'github-actions[bot]')).toEqual(['opener']);
    expect(requestersOf(issue(1, { comments: [{ author: bot, body: 'no marker' }] }), 'github-actions[bot]')).toEqual(['opener']);
    expect(requestersOf(issue(1, { author: { login: 'dependabot', type: 'Bot' } }), 'github-actions[bot]')).toEqual([]);
    expect(requestersOf(issue(1, { author: null }), 'github-actions[bot]')).toEqual([]);
    expect(requestersOf(issue(1, { author: { login: 'ci-user', type: 'User' } }), 'x', ['ci-user'])).toEqual([]);
  });
});

describe('buildNotes: categories and version for each kind of change', () => {
  it.each([
    ['a breaking change', [pr({ title: 'feat!: new API', body: '## Usage\nx' }), pr({ title: 'fix: y' })], '2.0.0', 'major'],
    ['a feature', [pr({ title: 'feat: x', body: '## Usage\nx' }), pr({ title: 'fix: y' })], '1.5.0', 'minor'],
    ['a fix', [pr({ title: 'fix: y' })], '1.4.3', 'patch'],
    ['docs only', [pr({ title: 'docs: y' })], '1.4.3', 'patch'],
    ['other only', [pr({ title: 'Tidy up' })], '1.4.3', 'patch'],
    ['a bot update only', [pr({ title: 'feat(deps): bump', author: { login: 'renovate', type: 'Bot' } })], '1.4.3', 'patch'],
  ] as const)('%s -> %s (%s)', (_name, prs, version, bump) => {
    const r = buildNotes(input([...prs]));
    expect(r.version).toBe(version);
    expect(r.tag).toBe(`v${version}`);
    expect(r.bump).toBe(bump);
  });

  it('nothing to release when every PR is excluded', () => {
    const r = buildNotes(input([pr({ labels: ['skip-changelog'] })]));
    expect(r).toMatchObject({ model: null, version: null, tag: null, bump: null });
    expect(r.placed[0]!.placement).toEqual({ kind: 'excluded', reason: 'label', label: 'skip-changelog' });
  });

  it('first release, release-name template, numbering of pre-releases', () => {
    const r = buildNotes(
      input([pr({ title: 'feat: x', body: '## Usage\nx' })], {
        base: null,
        config: cfg("  release-name: 'Octo {version}'\n  prerelease: beta\n"),
        published: [parseVersion('0.1.0-beta.0')!, parseVersion('0.1.0-beta.3')!],
      }),
    );
    expect([r.version, r.tag, r.name]).toEqual(['0.1.0-beta.4', 'v0.1.0-beta.4', 'Octo 0.1.0-beta.4']);
    expect(r.model?.compareUrl).toBeNull();
  });

  it('entries: closing references first, then keyword issues (fetched, other repository, missing); requesters deduped', () => {
    const a = pr({
      title: 'feat: a',
      body: 'Fixes #7, fixes #8, fixes #9 and closes x/y#3\n\n## Usage\nx',
      closingIssues: [issue(7, { comments: [{ author: bot, body: ledger('bob', 'carol') }] })],
    });
    const keywordIssues = new Map([['o/r#8', issue(8, { author: { login: 'Carol', type: 'User' } })]]);
    const r = buildNotes(input([a], { keywordIssues }));
    const e = r.model!.entries[0]!;
    expect(e.closes).toEqual([
      { label: '#7', url: 'https://github.com/o/r/issues/7' },
      { label: '#8', url: 'https://github.com/o/r/issues/8' },
      { label: 'x/y#3', url: 'https://github.com/x/y/issues/3' },
    ]);
    expect(e.requesters).toEqual(['bob', 'carol']);
    expect(r.requesters).toBe(2);
    expect(e.snippet).toBe('snippet');
  });

  it('entries sorted by number; bots grouped with distinct authors', () => {
    const late = pr({ title: 'fix: late' });
    const early = { ...pr({ title: 'fix: early' }), number: 1 };
    const b1 = pr({ author: { login: 'dependabot', type: 'Bot' } });
    const b2 = pr({ author: { login: 'dependabot', type: 'Bot' } });
    const r = buildNotes(input([late, b1, early, b2]));
    expect(r.model!.entries.map((e) => e.number)).toEqual([1, late.number]);
    expect(r.model!.bots).toEqual({
      title: 'Dependency updates',
      pullRequests: [b1, b2].map((p) => ({ number: p.number, url: p.url })),
      authors: ['dependabot'],
    });
  });
});

describe('keywordIssuesToFetch', () => {
  it('this repository only, not already in closing references, sorted', () => {
    expect(
      keywordIssuesToFetch(
        [pr({ body: 'fixes #9, fixes #2, closes other/repo#4, resolves #5', closingIssues: [issue(5)] }), pr({ body: 'fixes #2' })],
        'o',
        'r',
      ),
    ).toEqual([2, 9]);
  });
});
