// The draft is shared with the maintainers: the notes are the bot's region of its body (core's owned
// regions), and what a maintainer wrote there is theirs. Pure: a release and the notes in, what to write out.
import { createHash } from 'node:crypto';
import { findMarkers, readRegion, regionRoom, renderMarker, replaceRegion, fitBody } from '@userloop/core';
import type { ReleaseInfo } from '@userloop/core';

/** The marker kind that identifies the draft this action owns: the first line of the bot's region, `{ key }`. */
export const DRAFT_MARKER_KIND = 'draft-release-notes';

/**
 * The marker kind of what the bot last wrote, the last line of its region:
 * `<!-- userloop:draft-release-notes-state {"name":"v1.3.0","digest":"…"} -->`: the release name it chose
 * and a digest of its notes, so a name or notes a maintainer changed are told apart from the bot's own.
 */
const DRAFT_STATE_KIND = 'draft-release-notes-state';

/** The release the action wants to exist. */
export interface DesiredRelease {
  tag_name: string;
  name: string;
  body: string;
  prerelease: boolean;
  target_commitish: string;
}

/** What the bot last wrote in a draft. */
export interface DraftState {
  /** The release name the bot chose (the draft's name may be a maintainer's since). */
  name: string;
  /** A digest of the notes the bot wrote in its region. */
  digest: string;
  /** True once a person edited the draft: from then on it is never deleted. */
  kept?: boolean;
}

const normalise = (text: string): string => text.replace(/\r\n?/g, '\n').trim();

/** A short digest of the bot's notes (line endings and outer white space ignored). */
export function notesDigest(notes: string): string {
  return createHash('sha256').update(normalise(notes)).digest('hex').slice(0, 16);
}

/**
 * The key of the draft: the draft marker on the first line of the bot's region, or of the body for a
 * draft written before regions; when a maintainer deleted a region marker, the first draft marker line of
 * the body (a draft is seen and edited only by people with write access). `null` when there is none.
 */
export function draftKeyOf(body: string | null | undefined): string | null {
  const region = readRegion(body, DRAFT_MARKER_KIND);
  const text = region.state === 'region' ? region.content : (body ?? '');
  const marker = findMarkers(text, DRAFT_MARKER_KIND)[0];
  if (!marker || (region.state !== 'damaged' && marker.index !== 0)) return null;
  const key = (marker.data as { key?: unknown } | null)?.key;
  return typeof key === 'string' ? key : null;
}

/** What the bot last wrote in `body` (`null` for a draft written before this record, or without it). */
export function readDraftState(body: string | null | undefined): DraftState | null {
  const region = readRegion(body, DRAFT_MARKER_KIND);
  if (region.state !== 'region') return null;
  const found = findMarkers(region.content, DRAFT_STATE_KIND).at(-1);
  const data = found?.data as Partial<DraftState> | null | undefined;
  if (!data || typeof data.name !== 'string' || typeof data.digest !== 'string') return null;
  return data.kept === true ? { name: data.name, digest: data.digest, kept: true } : { name: data.name, digest: data.digest };
}

/** The notes the bot wrote in its region, without the state line. */
function regionNotes(body: string | null | undefined): string {
  const region = readRegion(body, DRAFT_MARKER_KIND);
  let notes = region.content;
  for (const m of findMarkers(notes, DRAFT_STATE_KIND).reverse()) notes = notes.slice(0, m.index) + notes.slice(m.index + m.length);
  return notes;
}

/**
 * Whether a person changed the draft since the bot last wrote it: text outside the bot's region (or a
 * region marker deleted), a name other than the one the bot chose, or notes other than the bot's; `before`
 * when an earlier run found it edited. A draft written before this record counts as edited only for text
 * outside a region.
 */
export function handEdits(release: ReleaseInfo): { outside: boolean; name: boolean; notes: boolean; before: boolean } {
  const region = readRegion(release.body, DRAFT_MARKER_KIND);
  const state = readDraftState(release.body);
  return {
    before: state?.kept === true,
    outside: region.state === 'damaged' || (region.state === 'region' && (region.before.trim() !== '' || region.after.trim() !== '')),
    name: state !== null && (release.name ?? '') !== state.name,
    notes: state !== null && notesDigest(regionNotes(release.body)) !== state.digest,
  };
}

/** The marker kinds the bot writes in its region, removed from a maintainer's text should a copy be left there. */
const STRIP = [DRAFT_MARKER_KIND, DRAFT_STATE_KIND];

/**
 * The name and body to write: `notes` (which start with the draft marker) as the bot's region of the
 * existing draft, ending with the state line; the maintainer's text around the region kept; the name the
 * bot chose unless a maintainer renamed the draft (then theirs stays). The notes are cut, with `pointer`,
 * so the body fits `limit` with the maintainer's text counted.
 */
export function placeNotes(
  existing: ReleaseInfo | null,
  notes: string,
  name: string,
  limit: number,
  pointer: string,
): { name: string; body: string; truncated: boolean } {
  const previous = existing?.body ?? null;
  const probe = renderMarker(DRAFT_STATE_KIND, { name, digest: notesDigest(''), kept: true });
  const room = regionRoom(previous, DRAFT_MARKER_KIND, limit, STRIP, 'the draft release', probe.length + pointer.length + 300) - probe.length - 2;
  const fitted = fitBody(notes.trimEnd(), room, pointer);
  const edits = existing ? handEdits(existing) : null;
  const kept = edits !== null && (edits.before || edits.outside || edits.name || edits.notes);
  const record: DraftState = { name, digest: notesDigest(fitted.body), ...(kept ? { kept: true } : {}) };
  const body = replaceRegion(previous, DRAFT_MARKER_KIND, `${fitted.body.trimEnd()}\n\n${renderMarker(DRAFT_STATE_KIND, record)}`, { strip: STRIP, what: 'the draft release' }).body;
  const keepName = existing !== null && edits !== null && edits.name;
  return { name: keepName ? (existing.name ?? name) : name, body, truncated: fitted.truncated };
}

/**
 * The draft a maintainer edited, when the range has nothing left to release: kept, with the bot's region
 * emptied to its marker, a line saying why, and the state line; the name and the maintainer's text as they are.
 * `null` when the draft was not edited by hand (it is deleted, as before).
 */
export function emptiedDraft(existing: ReleaseInfo, marker: string, line: string): DesiredRelease | null {
  const edits = handEdits(existing);
  if (!edits.before && !edits.outside && !edits.name && !edits.notes) return null;
  const notes = `${marker}\n\n${line}`;
  const state = readDraftState(existing.body);
  const record = renderMarker(DRAFT_STATE_KIND, { name: state?.name ?? existing.name ?? '', digest: notesDigest(notes), kept: true } satisfies DraftState);
  return {
    tag_name: existing.tag_name,
    name: existing.name ?? '',
    body: replaceRegion(existing.body, DRAFT_MARKER_KIND, `${notes}\n\n${record}`, { strip: STRIP, what: 'the draft release' }).body,
    prerelease: existing.prerelease,
    target_commitish: existing.target_commitish,
  };
}

/**
 * This action's drafts for one key (newest first, as findOwnDrafts gives them) sorted out: the oldest is the
 * draft (the rule overlapping runs agree on, core's keepOne); the others are duplicates an older version
 * left, deleted so a later run heals them, except those a person edited (their text would be lost), which
 * are left and said.
 */
export function sortDrafts(drafts: readonly ReleaseInfo[]): { existing: ReleaseInfo | null; duplicates: ReleaseInfo[]; edited: ReleaseInfo[] } {
  const others = drafts.slice(0, -1);
  const isEdited = (d: ReleaseInfo): boolean => Object.values(handEdits(d)).some(Boolean);
  return { existing: drafts.at(-1) ?? null, duplicates: others.filter((d) => !isEdited(d)), edited: others.filter(isEdited) };
}
