import { describe, expect, it } from 'vitest';
import {
  boundPrioritizeMarker,
  buildLedger,
  checkOutsideRequest,
  isLedgerPartial,
  MARKER_MAX_OUTSIDE,
  mergeLedgers,
  mergeOutside,
  type OutsideRequester,
  parseRequestedBy,
  personalDataIn,
  readPrioritizeMarker,
  readRequestRecord,
  renderMarker,
  renderPrioritizeMarker,
  REQUEST_MARKER_KIND,
  requesterCount,
  splitRequest,
} from '../src/index.ts';

const SOURCE = 'https://github.com/acme/notes/issues/1#issuecomment-9';
const dana: OutsideRequester = { name: 'Dana', place: 'Discord', url: 'https://discord.com/channels/1/2/3', by: 'maria', source: SOURCE };

describe('/requested-by commands', () => {
  it('reads a quoted name with its place and a link, an unquoted one, and a bare name', () => {
    expect(parseRequestedBy('/requested-by "Dana (Discord)" https://discord.com/channels/1/2/3')).toEqual([
      { ok: true, entry: { name: 'Dana', place: 'Discord', url: 'https://discord.com/channels/1/2/3' } },
    ]);
    expect(parseRequestedBy('Thanks!\n/requested-by Lee Park (Forum) https://forum.example.com/t/42\n/requested-by Sam')).toEqual([
      { ok: true, entry: { name: 'Lee Park', place: 'Forum', url: 'https://forum.example.com/t/42' } },
      { ok: true, entry: { name: 'Sam' } },
    ]);
  });

  it('ignores commands in code, quotes and mid-sentence', () => {
    const body = '> /requested-by "Quoted"\n\n```\n/requested-by "Fenced"\n```\n\nSay `/requested-by "Inline"` or write /requested-by X';
    expect(parseRequestedBy(body)).toEqual([]);
  });

  it('refuses e-mail addresses and phone numbers, a missing name and a bad link', () => {
    const [mail] = parseRequestedBy('/requested-by "Dana dana@example.com (Support)"');
    expect(mail).toMatchObject({ ok: false, reason: 'personal-data' });
    expect(mail && !mail.ok && mail.message).toContain('an e-mail address');
    expect(parseRequestedBy('/requested-by "Dana (+1 415 555 0100)"')[0]).toMatchObject({ ok: false, reason: 'personal-data' });
    expect(parseRequestedBy('/requested-by Dana mailto:dana@example.com')[0]).toMatchObject({ ok: false, reason: 'personal-data' });
    expect(parseRequestedBy('/requested-by')[0]).toMatchObject({ ok: false, reason: 'no-name' });
    expect(checkOutsideRequest({ name: 'Dana', url: `https://x.example/${'a'.repeat(400)}` })).toMatchObject({ ok: false, reason: 'bad-url' });
    expect(checkOutsideRequest({ name: 'Dana', url: 'javascript:alert(1)' })).toMatchObject({ ok: false, reason: 'bad-url' });
  });

  it('keeps ids in links and handles that are not contact details', () => {
    expect(personalDataIn('https://discord.com/channels/123456789012/987654321098')).toBeNull();
    expect(personalDataIn('Dana (https://medium.com/@dana.smith)')).toBeNull();
    expect(personalDataIn('dana#1234')).toBeNull();
    expect(personalDataIn('call 555-010-0199')).toBe('a phone number');
  });

  it('cuts a name to one clean line: no HTML, code or line breaks', () => {
    const r = checkOutsideRequest({ name: `<b>Dana</b>\n\`x\` ${'y'.repeat(200)}`, place: 'Dis<cord>' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry.name).not.toMatch(/[<>`\n]/);
    expect(r.entry.name.length).toBeLessThanOrEqual(80);
    expect(r.entry.place).toBe('Dis cord');
  });

  it('splits a name with parentheses inside from its place', () => {
    expect(splitRequest('"Dana (Dee) (Discord)"')).toEqual({ name: 'Dana (Dee)', place: 'Discord', url: undefined });
  });
});

describe('the ledger of people outside GitHub', () => {
  it('buildLedger keeps them once by name and link (case-insensitive); they count as requesters', () => {
    const ledger = buildLedger({
      issue: { number: 1, url: 'https://github.com/acme/notes/issues/1', author: { login: 'alice' } },
      outside: [dana, { ...dana, name: 'DANA', url: 'https://DISCORD.com/channels/1/2/3', by: 'gus' }, { ...dana, url: 'https://forum.example.com/t/1' }],
    });
    expect(ledger.outside).toHaveLength(2);
    expect(ledger.outside?.[0]?.by).toBe('maria');
    expect(requesterCount(ledger)).toBe(3);
  });

  it('mergeLedgers keeps what an earlier marker recorded', () => {
    const previous = { requesters: [], places: [], outside: [dana] };
    const fresh = { requesters: [{ login: 'alice', via: 'author' as const }], places: [] };
    expect(mergeLedgers(previous, fresh).outside).toEqual([dana]);
    expect(mergeLedgers(fresh, { ...fresh }).outside).toBeUndefined();
    expect(mergeOutside([dana], [{ ...dana, by: 'gus' }])).toEqual([dana]);
  });

  it('the marker carries them, bounded to the newest, and says when some were left out', () => {
    const many = Array.from({ length: MARKER_MAX_OUTSIDE + 5 }, (_, i) => ({ ...dana, name: `Person ${i}` }));
    const data = { priority: 'low' as const, path: [], due: null, ledger: { requesters: [], places: [], outside: many } };
    const bounded = boundPrioritizeMarker(data);
    expect(bounded.ledger.outside).toHaveLength(MARKER_MAX_OUTSIDE);
    expect(bounded.ledger.outside?.at(-1)?.name).toBe(`Person ${MARKER_MAX_OUTSIDE + 4}`);
    expect(bounded.counts?.outside).toBe(MARKER_MAX_OUTSIDE + 5);
    expect(isLedgerPartial(bounded)).toBe(true);
    const back = readPrioritizeMarker(`${renderPrioritizeMarker(data)}\n`);
    expect(back?.ledger.outside).toEqual(bounded.ledger.outside);
  });

  it('an entry that would not validate is left out of the marker rather than breaking it', () => {
    const data = { priority: 'low' as const, path: [], due: null, ledger: { requesters: [], places: [], outside: [dana, { ...dana, name: 'x<y', url: 'https://x.example/1' }] } };
    expect(readPrioritizeMarker(renderPrioritizeMarker(data))?.ledger.outside).toEqual([dana]);
  });

  it('a long ledger with long links still leaves room for the reply', () => {
    const long = 'https://forum.example.com/' + 'a'.repeat(270);
    const data = {
      priority: 'low' as const,
      path: [],
      due: null,
      ledger: {
        requesters: Array.from({ length: 600 }, (_, i) => ({ login: `someone-with-a-long-login-${i}`.slice(0, 39), via: 'reaction' as const, url: long, at: '2026-01-01T00:00:00Z' })),
        places: Array.from({ length: 40 }, (_, i) => ({ kind: 'community' as const, url: `${long.slice(0, 480)}${i}`, host: 'forum.example.com' })),
        outside: Array.from({ length: 30 }, (_, i) => ({ ...dana, name: `${'N'.repeat(75)} ${i}`, place: 'P'.repeat(40), url: `${long}${i}`, source: `${long}${i}` })),
      },
    };
    expect(renderPrioritizeMarker(data).length).toBeLessThan(60_000);
  });

  it("reads the intake's record from a body with its marker", () => {
    const body = `Asked outside GitHub.\n\n${renderMarker(REQUEST_MARKER_KIND, { name: 'Dana', place: 'Discord', by: 'maria' })}\n`;
    expect(readRequestRecord(body, SOURCE)).toEqual({ name: 'Dana', place: 'Discord', by: 'maria', source: SOURCE });
    expect(readRequestRecord('no marker', SOURCE)).toBeNull();
  });
});
