import { parseConfig, type DraftReleaseNotesConfig } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import {
  placePullRequest,
  releaseBump,
  type CategorizeInput,
  type Placement,
} from '../src/categorize.ts';

const config = (yaml = ''): DraftReleaseNotesConfig => {
  const r = parseConfig(yaml ? `draft-release-notes:\n${yaml}` : '', '.github/userloop.yml');
  expect(r.errors).toEqual([]);
  return r.config!['draft-release-notes'];
};

const pr = (over: Partial<CategorizeInput> = {}): CategorizeInput => ({
  title: 'Something',
  body: '',
  labels: [],
  author: { login: 'alice', type: 'User' },
  files: [],
  filesComplete: true,
  ...over,
});

describe('placePullRequest (default categories)', () => {
  const c = config();
  const entry = (category: number, bump: string, extra: Partial<Placement> = {}) => ({
    kind: 'entry',
    category,
    breaking: false,
    bump,
    snippet: category <= 1,
    ...extra,
  });
  it.each<[string, Partial<CategorizeInput>, object]>([
    ['breaking label', { labels: ['Breaking'] }, entry(0, 'major', { breaking: true })],
    ['breaking title', { title: 'feat(api)!: rename' }, entry(0, 'major', { breaking: true })],
    ['breaking footer on a fix', { title: 'fix: x', body: 'BREAKING CHANGE: y' }, entry(0, 'major', { breaking: true })],
    ['feature label', { labels: ['enhancement'] }, entry(1, 'minor')],
    ['feat title', { title: 'feat: export' }, entry(1, 'minor')],
    ['fix label', { labels: ['bug'] }, entry(2, 'patch')],
    ['fix title', { title: 'fix(cli): crash' }, entry(2, 'patch')],
    ['perf title', { title: 'perf: faster' }, entry(2, 'patch')],
    ['docs label', { labels: ['documentation'] }, entry(3, 'patch')],
    ['docs title', { title: 'docs: typo' }, entry(3, 'patch')],
    ['anything else', { title: 'chore: tidy' }, entry(4, 'patch')],
    ['label beats title order: feature label on a fix title', { title: 'fix: x', labels: ['feature'] }, entry(1, 'minor')],
    ['excluded label wins over everything', { title: 'feat!: x', labels: ['Skip-Changelog'] }, { kind: 'excluded', reason: 'label', label: 'skip-changelog' }],
    ['bot author grouped', { title: 'feat: bump', author: { login: 'dependabot', type: 'Bot' } }, { kind: 'bot', bump: 'patch' }],
    ['listed bot grouped', { author: { login: 'renovate', type: 'User' } }, { kind: 'bot', bump: 'patch' }],
  ])('%s', (_name, over, expected) => {
    expect(placePullRequest(pr(over), c)).toEqual(expected);
  });

  it('extra bots from the top-level bots section', () => {
    expect(placePullRequest(pr({ author: { login: 'release-robot', type: 'User' } }), c, ['release-robot']).kind).toBe('bot');
  });
});

describe('placePullRequest (configured)', () => {
  it('paths filter: keeps a PR touching the package, drops others, keeps when files were not all read', () => {
    const c = config("  tag-prefix: 'pkg-a@'\n  paths: ['packages/a/**', '!**/*.md']\n");
    expect(placePullRequest(pr({ files: ['packages/a/src/x.ts'] }), c).kind).toBe('entry');
    expect(placePullRequest(pr({ files: ['packages/b/src/x.ts', 'packages/a/README.md'] }), c)).toEqual({ kind: 'excluded', reason: 'paths' });
    expect(placePullRequest(pr({ files: ['packages/b/x.ts'], filesComplete: false }), c).kind).toBe('entry');
  });

  it('no catch-all category: unmatched PRs go to an implicit Other after the last category', () => {
    const c = config('  categories:\n    - title: New\n      labels: [feature]\n      bump: minor\n');
    expect(placePullRequest(pr(), c)).toEqual({ kind: 'entry', category: 1, breaking: false, bump: 'patch', snippet: false });
    // Breaking still bumps major though no category is flagged breaking.
    expect(placePullRequest(pr({ title: 'feat!: x', labels: ['feature'] }), c)).toEqual({
      kind: 'entry',
      category: 0,
      breaking: true,
      bump: 'major',
      snippet: false,
    });
  });

  it('bot grouping can be turned off', () => {
    const c = config('  group-bots:\n    enabled: false\n');
    expect(placePullRequest(pr({ author: { login: 'dependabot', type: 'Bot' } }), c).kind).toBe('entry');
  });
});

describe('releaseBump', () => {
  const e = (bump: 'major' | 'minor' | 'patch'): Placement => ({ kind: 'entry', category: 0, breaking: false, bump, snippet: false });
  it.each<[Placement[], string | null]>([
    [[], null],
    [[{ kind: 'excluded', reason: 'label' }], null],
    [[{ kind: 'bot', bump: 'patch' }], 'patch'],
    [[e('patch'), e('minor')], 'minor'],
    [[e('minor'), e('major'), e('patch')], 'major'],
    [[{ kind: 'excluded', reason: 'paths' }, e('patch')], 'patch'],
  ])('%j -> %s', (placements, expected) => {
    expect(releaseBump(placements)).toBe(expected);
  });
});
