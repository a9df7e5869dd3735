import { describe, expect, it } from 'vitest';
import { draftKeyOf } from '../src/draft-region.ts';
import {
  draftKey,
  findOwnDrafts,
  planRelease,
  publishedVersions,
  renderDraftMarker,
  selectBaseRelease,
} from '../src/releases.ts';
import type { DesiredRelease } from '../src/draft-region.ts';
import type { ReleaseInfo } from '@userloop/core';

let nextId = 1;
const rel = (tag: string, over: Partial<ReleaseInfo> = {}): ReleaseInfo => ({
  id: nextId++,
  tag_name: tag,
  name: tag,
  body: '',
  draft: false,
  prerelease: false,
  target_commitish: 'main',
  html_url: `https://github.com/o/r/releases/tag/${tag}`,
  published_at: null,
  ...over,
});

describe('selectBaseRelease', () => {
  it('takes the highest stable published version of the prefix', () => {
    const releases = [
      rel('v1.2.0'),
      rel('v1.10.0'),
      rel('v2.0.0', { draft: true }),
      rel('v1.11.0-rc.1', { prerelease: true }),
      rel('v1.12.0-rc.1'), // a pre-release version not flagged as one
      rel('pkg@9.0.0'),
      rel('nightly'),
    ];
    expect(selectBaseRelease(releases, 'v', 'main')?.release.tag_name).toBe('v1.10.0');
    expect(selectBaseRelease(releases, 'pkg@', 'main')?.release.tag_name).toBe('pkg@9.0.0');
    expect(selectBaseRelease(releases, 'other@', 'main')).toBeNull();
    expect(selectBaseRelease([], 'v', 'main')).toBeNull();
  });

  it('hotfix: each branch follows its own last release', () => {
    const releases = [rel('v1.0.0'), rel('v1.1.0'), rel('v1.0.1', { target_commitish: 'release-1.0' })];
    expect(selectBaseRelease(releases, 'v', 'main')?.release.tag_name).toBe('v1.1.0');
    expect(selectBaseRelease(releases, 'v', 'release-1.0')?.release.tag_name).toBe('v1.0.1');
    // A branch with no release of its own: the highest overall.
    expect(selectBaseRelease(releases, 'v', 'release-2.0')?.release.tag_name).toBe('v1.1.0');
    expect(selectBaseRelease(releases, 'v', null)?.release.tag_name).toBe('v1.1.0');
  });

  it('publishedVersions includes pre-releases, not drafts', () => {
    const v = publishedVersions([rel('v1.0.0'), rel('v1.1.0-rc.0', { prerelease: true }), rel('v1.1.0-rc.1', { draft: true })], 'v');
    expect(v.map((x) => `${x.major}.${x.minor}.${x.patch}-${x.prerelease.join('.')}`)).toEqual(['1.0.0-', '1.1.0-rc.0']);
  });
});

describe('draft marker', () => {
  it('round-trips and only counts on the first line', () => {
    const key = draftKey('pkg@', ['packages/b/**', 'packages/a/**']);
    expect(key).toBe('pkg@ packages/a/**,packages/b/**');
    const marker = renderDraftMarker(key);
    expect(marker).toBe('<!-- userloop:draft-release-notes {"key":"pkg@ packages/a/**,packages/b/**"} -->');
    expect(draftKeyOf(`${marker}\n\nbody`)).toBe(key);
    expect(draftKeyOf(`intro\n${marker}`)).toBeNull();
    expect(draftKeyOf('<!-- userloop:draft-release-notes {"key":1} -->')).toBeNull();
    expect(draftKeyOf('<!-- userloop:draft-release-notes {bad} -->')).toBeNull();
    expect(draftKeyOf(null)).toBeNull();
  });

  it('a key with --> cannot close the comment early', () => {
    expect(renderDraftMarker('a-->b<')).toBe('<!-- userloop:draft-release-notes {"key":"a--\\u003eb\\u003c"} -->');
    expect(draftKeyOf(renderDraftMarker('a-->b<'))).toBe('a-->b<');
  });

  it('findOwnDrafts: drafts with our key only, newest first; published releases never', () => {
    const m = renderDraftMarker('v');
    const a = rel('v1.1.0', { draft: true, body: `${m}\nold` });
    const b = rel('v1.2.0', { draft: true, body: `${m}\nnew` });
    const published = rel('v1.0.0', { body: `${m}\nshipped` });
    const foreign = rel('v9.0.0', { draft: true, body: 'hand written' });
    const other = rel('pkg@1.0.0', { draft: true, body: `${renderDraftMarker('pkg@')}\n` });
    expect(findOwnDrafts([a, published, foreign, b, other], 'v').map((r) => r.id)).toEqual([b.id, a.id]);
  });
});

describe('planRelease', () => {
  const desired: DesiredRelease = { tag_name: 'v1.1.0', name: 'v1.1.0', body: 'B', prerelease: false, target_commitish: 'main' };
  const existing = rel('v1.1.0', { draft: true, body: 'B' });
  it.each([
    ['nothing to release, no draft', null, null, { action: 'none' }],
    ['nothing to release, stale draft', existing, null, { action: 'delete', id: existing.id }],
    ['no draft yet', null, desired, { action: 'create', release: desired }],
    ['same draft', existing, desired, { action: 'unchanged', id: existing.id }],
    ['body changed', existing, { ...desired, body: 'C' }, { action: 'update', id: existing.id, release: { ...desired, body: 'C' }, changed: ['body'] }],
    [
      'version and name changed',
      existing,
      { ...desired, tag_name: 'v2.0.0', name: 'v2.0.0' },
      { action: 'update', id: existing.id, release: { ...desired, tag_name: 'v2.0.0', name: 'v2.0.0' }, changed: ['tag_name', 'name'] },
    ],
  ] as const)('%s', (_n, ex, want, expected) => {
    expect(planRelease(ex, want)).toEqual(expected);
  });
});
