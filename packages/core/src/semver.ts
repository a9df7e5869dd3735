/**
 * Semantic Versioning 2.0.0 as pure functions: parse, compare, bump, and read versions out of release tags
 * that carry a prefix (`v1.2.3`, `pkg@1.2.3`). `draft-release-notes` picks the last release and the next
 * version with them; `notify-requesters` names a release and finds the one before it.
 *
 * Parsing, precedence and bumping are the `semver` package's (strict mode; only the functions used are
 * imported, so the action bundles carry no more of it). What is userloop's own:
 * - a version is strict: no `v` or `=` in front (the prefix belongs to the tag, see {@link parseTag} and
 *   {@link splitTag}), no leading zeros, at most 256 characters (the package's limit);
 * - versions are plain data ({@link SemVer}), numeric pre-release identifiers as numbers (a number past
 *   2^53 stays text, as written);
 * - a bump always moves the stable version (`1.2.3-rc.1` bumped by `patch` is `1.2.4`, not `1.2.3`), and
 *   pre-releases of the next version are numbered after the ones already published ({@link nextVersion}).
 */
import compare from 'semver/functions/compare.js';
import inc from 'semver/functions/inc.js';
import parse from 'semver/functions/parse.js';

/** A parsed semantic version. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`1.0.0-rc.1` -> `['rc', 1]`); empty for a stable version. */
  prerelease: readonly (string | number)[];
  /** Build metadata identifiers; ignored by comparison. */
  build: readonly string[];
}

/** Which part of a version a change bumps. */
export type BumpKind = 'major' | 'minor' | 'patch';

/**
 * Parses a strict semantic version (no prefix, no leading zeros).
 * @returns the version, or `null` when the text is not a valid semantic version.
 */
export function parseVersion(text: string): SemVer | null {
  const trimmed = text.trim();
  // The package reads `v1.2.3` as 1.2.3 even when strict; here a `v` belongs to the tag's prefix.
  if (!/^\d/.test(trimmed)) return null;
  const v = parse(trimmed);
  if (!v) return null;
  return { major: v.major, minor: v.minor, patch: v.patch, prerelease: [...v.prerelease], build: [...v.build] };
}

/** Formats a version back to text (`1.2.3-rc.1+build.5`). */
export function formatVersion(v: SemVer): string {
  const core = `${v.major}.${v.minor}.${v.patch}`;
  const pre = v.prerelease.length > 0 ? `-${v.prerelease.join('.')}` : '';
  const build = v.build.length > 0 ? `+${v.build.join('.')}` : '';
  return core + pre + build;
}

/**
 * Compares two versions by semver precedence (build metadata ignored).
 * @returns a negative number when `a < b`, 0 when equal, a positive number when `a > b`.
 */
export function compareVersions(a: SemVer, b: SemVer): number {
  return compare(formatVersion(a), formatVersion(b));
}

/**
 * Reads the version out of a release tag that starts with `prefix` (`v1.2.3` with prefix `v`,
 * `pkg@1.2.3` with prefix `pkg@`).
 * @returns the version, or `null` when the tag does not start with the prefix or the rest is not semver.
 */
export function parseTag(tag: string, prefix: string): SemVer | null {
  if (!tag.startsWith(prefix)) return null;
  return parseVersion(tag.slice(prefix.length));
}

/**
 * Splits a tag whose prefix is not known into prefix and version: the shortest prefix after which the rest
 * is a semantic version (`pkg@v1.2.3-rc.1` -> `pkg@v` and 1.2.3-rc.1). `null` when no part of it is one.
 */
export function splitTag(tag: string): { prefix: string; version: SemVer } | null {
  for (let at = 0; at < tag.length; at += 1) {
    if (!/\d/.test(tag[at]!) || (at > 0 && /\d/.test(tag[at - 1]!))) continue;
    const version = parseVersion(tag.slice(at));
    if (version) return { prefix: tag.slice(0, at), version };
  }
  return null;
}

/** The version people install: the tag without its prefix (`v1.2.3` -> `1.2.3`), or the tag itself. */
export function versionOf(tag: string): string {
  const split = splitTag(tag);
  return split ? tag.slice(split.prefix.length) : tag;
}

/** Formats a version as a tag with `prefix`. */
export function formatTag(v: SemVer, prefix: string): string {
  return prefix + formatVersion(v);
}

/**
 * Bumps a version: `major` -> `X+1.0.0`, `minor` -> `X.Y+1.0`, `patch` -> `X.Y.Z+1`. A stable version is
 * always bumped; build metadata and pre-release identifiers are dropped. Throws when the bumped number would
 * pass 2^53 - 1.
 */
export function bumpVersion(v: SemVer, kind: BumpKind): SemVer {
  // From the stable part: the package would release `1.2.3-rc.1` as `1.2.3` on a patch bump.
  const next = inc(`${v.major}.${v.minor}.${v.patch}`, kind);
  const bumped = next === null ? null : parseVersion(next);
  if (!bumped) throw new Error(`cannot bump ${formatVersion(v)} by ${kind}`);
  return bumped;
}

/** What {@link nextVersion} needs. */
export interface NextVersionInput {
  /** The last published stable version (`null` when nothing was released yet: the base is `0.0.0`). */
  last: SemVer | null;
  /** The bump the changes call for. */
  bump: BumpKind;
  /**
   * A pre-release identifier (`rc`, `beta`): the next version becomes `X.Y.Z-<id>.N`, N one above the highest
   * published `X.Y.Z-<id>.N` in `existing` (0 when there is none). Empty or absent: a stable version.
   */
  prerelease?: string;
  /** Every version already published (used to number pre-releases). */
  existing?: readonly SemVer[];
}

/**
 * The next version: the last stable version bumped by the kind of change, optionally as a numbered
 * pre-release of that version (`1.3.0-rc.0`, then `1.3.0-rc.1` once `rc.0` is published).
 */
export function nextVersion(input: NextVersionInput): SemVer {
  const base = input.last ?? { major: 0, minor: 0, patch: 0, prerelease: [], build: [] };
  const next = bumpVersion(base, input.bump);
  const id = input.prerelease?.trim();
  if (!id) return next;
  let n = 0;
  for (const v of input.existing ?? []) {
    if (v.major !== next.major || v.minor !== next.minor || v.patch !== next.patch) continue;
    const [head, num] = v.prerelease;
    if (v.prerelease.length === 2 && head === id && typeof num === 'number' && num >= n) n = num + 1;
  }
  return { ...next, prerelease: [id, n] };
}

/** The larger of two bumps (`major` > `minor` > `patch`). */
export function maxBump(a: BumpKind, b: BumpKind): BumpKind {
  const rank: Record<BumpKind, number> = { patch: 0, minor: 1, major: 2 };
  return rank[a] >= rank[b] ? a : b;
}
