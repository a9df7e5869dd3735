import { describe, expect, it } from 'vitest';
import { draftKeyOf, emptiedDraft, handEdits, notesDigest, placeNotes, readDraftState } from '../src/draft-region.ts';
import type { ReleaseInfo } from '@userloop/core';
import { findOwnDrafts, renderDraftMarker } from '../src/releases.ts';

const MARKER = renderDraftMarker('v');
const START = '<!-- userloop:draft-release-notes.start -->';
const END = '<!-- userloop:draft-release-notes.end -->';
const NOTES = `${MARKER}\n\n### Features\n\n- Export · #2`;
const state = (name: string, notes: string, kept = false) =>
  `<!-- userloop:draft-release-notes-state {"name":"${name}","digest":"${notesDigest(notes)}"${kept ? ',"kept":true' : ''}} -->`;

const draft = (over: Partial<ReleaseInfo> = {}): ReleaseInfo => ({
  id: 7,
  tag_name: 'v1.1.0',
  name: 'v1.1.0',
  body: '',
  draft: true,
  prerelease: false,
  target_commitish: 'main',
  published_at: null,
  html_url: 'https://github.com/o/r/releases/tag/untagged-1',
  ...over,
});

describe('the draft as the bot’s region', () => {
  it('writes the notes as its region with the name it chose and a digest of the notes', () => {
    const placed = placeNotes(null, `${NOTES}\n`, 'v1.1.0', 125_000, '_cut_');
    expect(placed).toEqual({ name: 'v1.1.0', truncated: false, body: `${START}\n${NOTES}\n\n${state('v1.1.0', NOTES)}\n\n${END}` });
    expect(readDraftState(placed.body)).toEqual({ name: 'v1.1.0', digest: notesDigest(NOTES) });
    expect(draftKeyOf(placed.body)).toBe('v');
  });

  it('keeps a maintainer’s text around the notes and the name they chose; records the bot’s own name', () => {
    const first = placeNotes(null, NOTES, 'v1.1.0', 125_000, '_cut_').body;
    const edited = draft({ name: 'The export release', body: `Intro by a maintainer.\r\n\r\n${first}\r\n\r\nThanks!` });
    expect(handEdits(edited)).toEqual({ before: false, outside: true, name: true, notes: false });
    const next = `${MARKER}\n\n### Features\n\n- Export · #2\n- Import · #3`;
    const placed = placeNotes(edited, next, 'v1.2.0', 125_000, '_cut_');
    expect(placed).toEqual({
      name: 'The export release',
      truncated: false,
      body: `Intro by a maintainer.\r\n\r\n${START}\n${next}\n\n${state('v1.2.0', next, true)}\n\n${END}\r\n\r\nThanks!`,
    });
    // Found again as the bot's draft, though its marker is no longer the body's first line.
    expect(findOwnDrafts([draft({ body: placed.body })], 'v')).toHaveLength(1);
  });

  it('takes the name of a draft written before the record as the bot’s, and a renamed one never back', () => {
    expect(placeNotes(draft({ name: 'v1.0.9', body: `${MARKER}\n\nold` }), NOTES, 'v1.1.0', 125_000, '_cut_').name).toBe('v1.1.0');
    const body = placeNotes(null, NOTES, 'v1.1.0', 125_000, '_cut_').body;
    expect(placeNotes(draft({ name: 'v1.1.0', body }), NOTES, 'v1.2.0', 125_000, '_cut_').name).toBe('v1.2.0');
    expect(placeNotes(draft({ name: 'Mine', body }), NOTES, 'v1.2.0', 125_000, '_cut_').name).toBe('Mine');
  });

  it('reads the key only at the top of the region, or of a body written before regions', () => {
    expect(draftKeyOf(`${MARKER}\n\nold notes`)).toBe('v');
    expect(draftKeyOf(`intro\n\n${MARKER}`)).toBeNull();
    expect(draftKeyOf(`${START}\nnotes\n\n${MARKER}\n\n${END}`)).toBeNull();
    // A region marker deleted by a maintainer: the draft marker is still found.
    expect(draftKeyOf(`Intro\n\n${MARKER}\n\nnotes\n\n${END}`)).toBe('v');
  });

  it('cuts the notes, never the maintainer’s text, to fit the limit', () => {
    const first = placeNotes(null, NOTES, 'v1.1.0', 125_000, '_cut_').body;
    const edited = draft({ body: `${'n'.repeat(600)}\n\n${first}` });
    const long = `${MARKER}\n\n${['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(100)).join('\n\n')}`;
    const placed = placeNotes(edited, long, 'v1.1.0', 1_200, '_cut_');
    expect(placed.truncated).toBe(true);
    expect(placed.body.length).toBeLessThanOrEqual(1_200);
    expect(placed.body).not.toContain('e'.repeat(100));
    expect(placed.body.startsWith(`${'n'.repeat(600)}\n\n${START}\n${MARKER}\n\n${'a'.repeat(100)}\n\n`)).toBe(true);
    expect(placed.body).toContain('_cut_');
    // No room left at all: a clear error rather than a cut maintainer's text.
    expect(() => placeNotes(edited, long, 'v1.1.0', 800, '_cut_')).toThrow(
      "the draft release: the text people wrote around the bot's part is 602 characters, which leaves no room for the bot's part within the 800-character limit; shorten that text",
    );
  });
});

describe('a draft with nothing left to release', () => {
  it('is deleted when nobody edited it (null), emptied and kept when someone did', () => {
    const body = placeNotes(null, NOTES, 'v1.1.0', 125_000, '_cut_').body;
    expect(emptiedDraft(draft({ body }), MARKER, 'Nothing yet.')).toBeNull();
    // Written before regions: nothing tells an edit, so it is deleted as before.
    expect(emptiedDraft(draft({ body: `${MARKER}\n\nold` }), MARKER, 'Nothing yet.')).toBeNull();

    const emptied = `${MARKER}\n\nNothing yet.`;
    for (const edited of [draft({ body: `Note\n\n${body}` }), draft({ name: 'Mine', body }), draft({ body: body.replace('Export', 'Export to CSV') })]) {
      const kept = emptiedDraft(edited, MARKER, 'Nothing yet.');
      expect(kept).toEqual({
        tag_name: 'v1.1.0',
        name: edited.name,
        body: `${edited.body!.startsWith('Note') ? 'Note\n\n' : ''}${START}\n${emptied}\n\n${state('v1.1.0', emptied, true)}\n\n${END}`,
        prerelease: false,
        target_commitish: 'main',
      });
      // Once kept, always kept: the next empty range leaves it too.
      expect(emptiedDraft(draft({ body: kept!.body }), MARKER, 'Nothing yet.')).not.toBeNull();
    }
  });
});
