import { describe, expect, it } from 'vitest';
import {
  bumpVersion,
  compareVersions,
  formatTag,
  splitTag,
  versionOf,
  formatVersion,
  maxBump,
  nextVersion,
  parseTag,
  parseVersion,
  type SemVer,
} from '../src/semver.ts';

const v = (text: string): SemVer => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`bad version ${text}`);
  return parsed;
};

describe('parseVersion / formatVersion', () => {
  it.each(['0.0.0', '1.2.3', '10.20.30', '1.0.0-rc.1', '1.0.0-alpha.beta.1', '1.0.0-0.3.7', '1.0.0+build.5', '1.0.0-rc.1+sha.abc'])(
    'round-trips %s',
    (text) => {
      expect(formatVersion(v(text))).toBe(text);
    },
  );

  it.each(['', '1', '1.2', 'v1.2.3', '01.2.3', '1.02.3', '1.2.3-01', '1.2.3-', '1.2.3-rc..1', '1.2.3+', '1.2.3-rc_1', 'a.b.c'])(
    'rejects %j',
    (text) => {
      expect(parseVersion(text)).toBeNull();
    },
  );

  it('reads numeric pre-release identifiers as numbers', () => {
    expect(v('1.0.0-rc.12').prerelease).toEqual(['rc', 12]);
  });

  // The semver package reads a leading `v` (and, loosely, `=`) as part of a version; userloop leaves it to the tag's prefix.
  it.each(['V1.2.3', '=1.2.3', ' v1.2.3', 'v 1.2.3'])('rejects the prefix in %j', (text) => {
    expect(parseVersion(text)).toBeNull();
  });

  it('trims spaces around a version', () => {
    expect(formatVersion(v(' 1.2.3-rc.1 \n'))).toBe('1.2.3-rc.1');
  });

  it('keeps a pre-release number past 2^53 as written, and refuses such a major, minor or patch', () => {
    expect(v('1.0.0-rc.9007199254740993').prerelease).toEqual(['rc', '9007199254740993']);
    expect(formatVersion(v('1.0.0-rc.9007199254740993'))).toBe('1.0.0-rc.9007199254740993');
    expect(parseVersion('9007199254740991.0.0')?.major).toBe(9007199254740991);
    expect(parseVersion('9007199254740992.0.0')).toBeNull();
    expect(parseVersion('1.9007199254740992.0')).toBeNull();
  });

  it('refuses a version longer than 256 characters', () => {
    const id = 'a'.repeat(250);
    expect(parseVersion(`1.0.0-${id}`)?.prerelease).toEqual([id]);
    expect(parseVersion(`1.0.0-${id}.b`)).toBeNull();
  });
});

describe('compareVersions', () => {
  // The precedence chain of semver.org, item 11, plus core comparisons.
  const chain = [
    '0.9.9',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.1.0',
    '1.10.0',
    '2.0.0',
  ];
  it('orders the semver.org precedence chain', () => {
    for (let i = 0; i + 1 < chain.length; i += 1) {
      expect(compareVersions(v(chain[i]!), v(chain[i + 1]!))).toBeLessThan(0);
      expect(compareVersions(v(chain[i + 1]!), v(chain[i]!))).toBeGreaterThan(0);
    }
    const shuffled = [...chain].reverse().map(v).sort(compareVersions).map(formatVersion);
    expect(shuffled).toEqual(chain);
  });
  it('ignores build metadata', () => {
    expect(compareVersions(v('1.0.0+a'), v('1.0.0+b'))).toBe(0);
  });
  it('compares numeric identifiers as numbers and before text, at any position', () => {
    expect(compareVersions(v('1.0.0-rc.2'), v('1.0.0-rc.10'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0-2'), v('1.0.0-10'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0-10'), v('1.0.0-1a'))).toBeLessThan(0);
    expect(compareVersions(v('1.0.0-rc.1.1'), v('1.0.0-rc.1'))).toBeGreaterThan(0);
  });
});

describe('tags', () => {
  it('reads versions behind a prefix', () => {
    expect(parseTag('v1.2.3', 'v')).toEqual(v('1.2.3'));
    expect(parseTag('pkg@1.2.3', 'pkg@')).toEqual(v('1.2.3'));
    expect(parseTag('1.2.3', '')).toEqual(v('1.2.3'));
    expect(parseTag('other@1.2.3', 'pkg@')).toBeNull();
    expect(parseTag('v1.2', 'v')).toBeNull();
    expect(parseTag('1.2.3', 'v')).toBeNull();
  });
  it('formats a tag', () => {
    expect(formatTag(v('2.0.0-rc.0'), 'pkg@')).toBe('pkg@2.0.0-rc.0');
  });
});

describe('bumpVersion / nextVersion', () => {
  it.each([
    ['1.2.3', 'major', '2.0.0'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'patch', '1.2.4'],
    ['0.4.1', 'major', '1.0.0'],
    ['1.2.3-rc.1+b', 'patch', '1.2.4'],
  ] as const)('%s + %s = %s', (from, kind, to) => {
    expect(formatVersion(bumpVersion(v(from), kind))).toBe(to);
  });

  it('refuses to bump past 2^53 - 1, naming the version', () => {
    expect(() => bumpVersion(v('9007199254740991.0.0'), 'major')).toThrow('cannot bump 9007199254740991.0.0 by major');
    expect(formatVersion(bumpVersion(v('9007199254740990.0.0'), 'major'))).toBe('9007199254740991.0.0');
  });

  it('starts from 0.0.0 when nothing was released', () => {
    expect(formatVersion(nextVersion({ last: null, bump: 'minor' }))).toBe('0.1.0');
    expect(formatVersion(nextVersion({ last: null, bump: 'patch' }))).toBe('0.0.1');
    expect(formatVersion(nextVersion({ last: null, bump: 'major' }))).toBe('1.0.0');
  });

  it('numbers pre-releases after the published ones', () => {
    const last = v('1.2.3');
    expect(formatVersion(nextVersion({ last, bump: 'minor', prerelease: 'rc' }))).toBe('1.3.0-rc.0');
    const existing = ['1.3.0-rc.0', '1.3.0-rc.1', '1.3.0-beta.7', '1.4.0-rc.5', '1.3.0-rc.x'].map(v);
    expect(formatVersion(nextVersion({ last, bump: 'minor', prerelease: 'rc', existing }))).toBe('1.3.0-rc.2');
    expect(formatVersion(nextVersion({ last, bump: 'minor', prerelease: 'beta', existing }))).toBe('1.3.0-beta.8');
    expect(formatVersion(nextVersion({ last, bump: 'minor', prerelease: '  ', existing }))).toBe('1.3.0');
  });

  it('maxBump', () => {
    expect(maxBump('patch', 'minor')).toBe('minor');
    expect(maxBump('major', 'minor')).toBe('major');
    expect(maxBump('patch', 'patch')).toBe('patch');
  });
});

describe('splitTag', () => {
  it.each([
    ['v1.2.3', 'v', '1.2.3'],
    ['pkg@v1.2.3-rc.1', 'pkg@v', '1.2.3-rc.1'],
    ['pkg2@1.0.0', 'pkg2@', '1.0.0'],
    ['1.0.0+build.5', '', '1.0.0+build.5'],
  ])('%s -> %s and %s', (tag, prefix, version) => {
    const split = splitTag(tag);
    expect(split?.prefix).toBe(prefix);
    expect(split && formatVersion(split.version)).toBe(version);
    expect(versionOf(tag)).toBe(version);
  });
  it('reads a `v` after another prefix as part of the prefix, never of the version', () => {
    expect(parseTag('pkg@v1.2.3', 'pkg@')).toBeNull();
    expect(parseTag('vv1.2.3', 'v')).toBeNull();
    expect(splitTag('app-v2.0.0-rc.1')?.prefix).toBe('app-v');
  });
  it.each(['nightly', 'v1.2', 'release-2026'])('%s has no version', (tag) => {
    expect(splitTag(tag)).toBeNull();
    expect(versionOf(tag)).toBe(tag);
  });
});
