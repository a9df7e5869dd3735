import { describe, expect, it } from 'vitest';
import { renderPrioritizeMarker, type PrioritizeMarkerData } from '@userloop/core';
import { placeReply } from '../src/render.ts';

const DATA: PrioritizeMarkerData = { priority: 'low', path: ['blocked:no'], due: null, ledger: { requesters: [{ login: 'ann', via: 'author' }], places: [] } };
const MARKER = renderPrioritizeMarker(DATA);
const START = '<!-- userloop:prioritize.start -->';
const END = '<!-- userloop:prioritize.end -->';

describe('placeReply: the reply is the bot’s region of its comment', () => {
  it('writes a first reply as its region, the marker last inside it', () => {
    expect(placeReply(null, { body: 'Thanks! Low.\n', markerData: DATA })).toEqual({ body: `${START}\nThanks! Low.\n\n${MARKER}\n\n${END}`, truncated: false });
  });

  it('replaces only the region of an edited reply; a reply written before regions is taken whole', () => {
    const previous = `Note above\r\n\r\n${START}\nOld.\n\n${MARKER}\n\n${END}\r\n\r\nNote below`;
    expect(placeReply(previous, { body: 'New.', markerData: DATA }).body).toBe(`Note above\r\n\r\n${START}\nNew.\n\n${MARKER}\n\n${END}\r\n\r\nNote below`);
    expect(placeReply(`Old.\n\n${MARKER}`, { body: 'New.', markerData: DATA }).body).toBe(`${START}\nNew.\n\n${MARKER}\n\n${END}`);
  });

  it('cuts the reply, never the note or the marker, to fit the limit', () => {
    const previous = `${'n'.repeat(500)}\n\n${START}\nOld.\n\n${MARKER}\n\n${END}`;
    const body = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((c) => c.repeat(100)).join('\n\n');
    const placed = placeReply(previous, { body, markerData: DATA }, 1_400);
    expect(placed.truncated).toBe(true);
    expect(placed.body.length).toBeLessThanOrEqual(1_400);
    expect(placed.body.startsWith(`${'n'.repeat(500)}\n\n${START}\n${'a'.repeat(100)}\n\n`)).toBe(true);
    expect(placed.body.endsWith(`\n\n${MARKER}\n\n${END}`)).toBe(true);
  });
});
