// Which published release the range starts from, which draft this action owns, and what to write.
// Pure: the REST release list in, decisions out.
import { compareVersions, parseTag, renderMarker, type ReleaseInfo, type SemVer } from '@userloop/core';
import { DRAFT_MARKER_KIND, draftKeyOf, type DesiredRelease } from './draft-region.ts';

/** The last published release of a tag prefix. */
export interface BaseRelease {
  release: ReleaseInfo;
  version: SemVer;
}

/**
 * Picks the release the next one follows: published (not a draft), not a pre-release, its tag is
 * `<prefix><semver>`; among those created from `branch` when there are any (so a hotfix released from a
 * release branch is not the base of the main branch's next release, and the other way round), the highest
 * version. `null` when nothing was released yet.
 */
export function selectBaseRelease(releases: readonly ReleaseInfo[], prefix: string, branch: string | null): BaseRelease | null {
  const candidates = releases.flatMap((release) => {
    if (release.draft || release.prerelease) return [];
    const version = parseTag(release.tag_name, prefix);
    if (!version || version.prerelease.length > 0) return [];
    return [{ release, version }];
  });
  const onBranch = branch === null ? [] : candidates.filter((c) => c.release.target_commitish === branch);
  const pool = onBranch.length > 0 ? onBranch : candidates;
  let best: BaseRelease | null = null;
  for (const c of pool) if (!best || compareVersions(c.version, best.version) > 0) best = c;
  return best;
}

/** Every published version of a tag prefix (pre-releases included), to number the next pre-release. */
export function publishedVersions(releases: readonly ReleaseInfo[], prefix: string): SemVer[] {
  return releases.flatMap((r) => {
    if (r.draft) return [];
    const v = parseTag(r.tag_name, prefix);
    return v ? [v] : [];
  });
}

/**
 * The key that tells this action's drafts apart: one draft per tag prefix, paths filter and, for a branch
 * other than the default one (a maintenance branch), per branch.
 */
export function draftKey(prefix: string, paths: readonly string[], branch: string | null = null): string {
  const parts = [prefix];
  if (paths.length > 0) parts.push([...paths].sort().join(','));
  if (branch) parts.push(`branch:${branch}`);
  return parts.join(' ');
}

/** The marker line written first in the draft's body (core's marker format, JSON escaped). */
export function renderDraftMarker(key: string): string {
  return renderMarker(DRAFT_MARKER_KIND, { key });
}

/** The drafts this action owns for `key`: drafts only (a published release is never touched), newest first. */
export function findOwnDrafts(releases: readonly ReleaseInfo[], key: string): ReleaseInfo[] {
  return releases.filter((r) => r.draft && draftKeyOf(r.body) === key).sort((a, b) => b.id - a.id);
}

/** What to write. */
export type ReleasePlan =
  | { action: 'create'; release: DesiredRelease }
  | { action: 'update'; id: number; release: DesiredRelease; changed: (keyof DesiredRelease)[] }
  | { action: 'unchanged'; id: number }
  | { action: 'delete'; id: number }
  | { action: 'none' };

/**
 * Decides the one write: create the draft, update it when a field differs, nothing when it is unchanged;
 * with nothing to release (`desired` null), delete our stale draft or do nothing.
 */
export function planRelease(existing: ReleaseInfo | null, desired: DesiredRelease | null): ReleasePlan {
  if (desired === null) return existing ? { action: 'delete', id: existing.id } : { action: 'none' };
  if (!existing) return { action: 'create', release: desired };
  const current: DesiredRelease = {
    tag_name: existing.tag_name,
    name: existing.name ?? '',
    body: existing.body ?? '',
    prerelease: existing.prerelease,
    target_commitish: existing.target_commitish,
  };
  const changed = (Object.keys(desired) as (keyof DesiredRelease)[]).filter((k) => current[k] !== desired[k]);
  return changed.length === 0 ? { action: 'unchanged', id: existing.id } : { action: 'update', id: existing.id, release: desired, changed };
}
