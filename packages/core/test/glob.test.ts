import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globMatcher, globProblem } from '../src/glob.ts';

describe('globProblem', () => {
  it.each([
    'docs/**',
    '**/*.md',
    '**/*.{md,mdx}',
    '!**/CHANGELOG*',
    'src/[abc]/*.ts',
    'a\\[literal\\].md',
    '*/*doc*',
    '.github/**',
  ])('accepts %j', (pattern) => {
    expect(globProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['', 'a glob cannot be empty'],
    ['   ', 'a glob cannot be empty'],
    [' docs/**', 'remove the spaces around "docs/**"'],
    ['!', 'write one `!` followed by a glob, e.g. `!**/CHANGELOG.md`'],
    ['!!docs/**', 'write one `!` followed by a glob, e.g. `!**/CHANGELOG.md`'],
    ['/docs/**', 'paths are relative to the repository root: write "docs/**"'],
    ['./docs/**', 'paths are relative to the repository root: write "docs/**"'],
    ['!/docs/**', 'paths are relative to the repository root: write "docs/**"'],
    ['docs\\guide\\*.md', 'use `/` between folders: "docs/guide/*.md"'],
    ['docs/', 'a folder matches no file; write "docs/**"'],
    ['docs**', '`**` must be a whole path segment, as in `docs/**` or `**/*.md`'],
    ['**.md', '`**` must be a whole path segment, as in `docs/**` or `**/*.md`'],
    ['docs/[ab', 'a `[` has no matching `]`'],
    ['docs/*.{md,mdx', 'a `{` has no matching `}`'],
    ['docs/*.md}', 'a `}` has no matching `{`'],
  ])('rejects %j: %s', (pattern, problem) => {
    expect(globProblem(pattern)).toBe(problem);
  });

  it('rejects a negation where none is allowed', () => {
    expect(globProblem('!docs/**', false)).toBe('a leading `!` (exclusion) is not allowed here');
  });
});

describe('globMatcher', () => {
  const isDoc = globMatcher(['docs/**', '**/*.md', '**/*.mdx', '!**/CHANGELOG*']);
  it.each([
    ['docs/guide/img.png', true],
    ['docs/a.md', true],
    ['README.md', true],
    ['packages/core/README.md', true],
    ['site/page.mdx', true],
    ['CHANGELOG.md', false],
    ['packages/core/CHANGELOG.md', false],
    ['.changeset/brave.md', false],
    ['src/index.ts', false],
    ['docs', false],
    ['mydocs/a.txt', false],
  ])('%s -> %s', (path, expected) => {
    expect(isDoc(path)).toBe(expected);
  });

  it('matches nothing with only exclusions or no globs', () => {
    expect(globMatcher([])('a.md')).toBe(false);
    expect(globMatcher(['!a.md'])('b.md')).toBe(false);
  });

  it('throws on an invalid glob', () => {
    expect(() => globMatcher(['docs/'])).toThrow('invalid glob "docs/": a folder matches no file; write "docs/**"');
  });

  it.each([
    ['a\\[literal\\].md', 'a[literal].md', true],
    ['a\\[literal\\].md', 'al.md', false],
    ['docs/[!a]*.md', 'docs/b.md', true],
    ['docs/[!a]*.md', 'docs/a.md', false],
    ['docs/[!a]*.md', 'docs/.hidden.md', false],
    ['notes/(draft)/*.md', 'notes/(draft)/a.md', true],
    ['notes/(draft)/*.md', 'notes/draft/a.md', false],
    ['notes/@(a|b)/*.md', 'notes/b/x.md', true],
    ['.github/**', '.github/workflows/ci.yml', true],
    ['.github/**', '.github', false],
    ['**/docs/**', 'x/docs', false],
    ['**/docs/**', 'x/docs/a.md', true],
    ['{docs,site}/**', 'site/a/b.md', true],
    ['**', '.env', false],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(globMatcher([glob])(file)).toBe(expected);
  });

  it('does not need path.matchesGlob (missing before Node 20.17, experimental after)', () => {
    const posix = path.posix as { matchesGlob?: unknown };
    const saved = posix.matchesGlob;
    posix.matchesGlob = undefined;
    try {
      const isDoc = globMatcher(['docs/**', '!**/CHANGELOG*']);
      expect(isDoc('docs/a.md')).toBe(true);
      expect(isDoc('docs/CHANGELOG.md')).toBe(false);
    } finally {
      posix.matchesGlob = saved;
    }
  });
});
