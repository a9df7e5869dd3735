import { describe, expect, it } from 'vitest';
import { readRegion, regionMarkerKinds, regionRoom, renderMarker, renderRegion, replaceRegion } from '../src/index.ts';

const START = '<!-- userloop:k.start -->';
const END = '<!-- userloop:k.end -->';

describe('owned regions', () => {
  it('renders the region with its two markers around the content', () => {
    expect(regionMarkerKinds('k')).toEqual({ start: 'k.start', end: 'k.end' });
    expect(renderRegion('k', 'Hello\n\nWorld\n')).toBe(`${START}\nHello\n\nWorld\n\n${END}`);
    expect(renderRegion('k', '')).toBe(`${START}\n${END}`);
  });

  it('region markers are not read as the data marker of the same kind', () => {
    const body = `${renderRegion('k', 'x')}`;
    expect(body.includes(renderMarker('k'))).toBe(false);
    expect(readRegion(`${body}\n${renderMarker('k', { a: 1 })}`, 'k').state).toBe('region');
  });

  it('finds its end marker after an HTML block that ends the bot’s text', () => {
    const body = replaceRegion(null, 'k', '<details><summary>All</summary>\n\nrows\n</details>').body;
    expect(body).toBe(`${START}\n<details><summary>All</summary>\n\nrows\n</details>\n\n${END}`);
    expect(readRegion(`Note\n\n${body}`, 'k')).toEqual({ state: 'region', before: 'Note\n\n', content: '<details><summary>All</summary>\n\nrows\n</details>', after: '' });
  });

  it('reads the person’s text around the region exactly', () => {
    const body = `Note above\r\n\n${START}\nbot text\n\n${END}\n\nNote below`;
    expect(readRegion(body, 'k')).toEqual({ state: 'region', before: 'Note above\r\n\n', content: 'bot text', after: '\n\nNote below' });
  });

  it('replaces only the region and keeps the text before and after as it is', () => {
    const body = `  Note *above*\n\n${START}\nold bot text\n${END}\n\nNote below  \n`;
    expect(replaceRegion(body, 'k', 'new bot text\n').body).toBe(`  Note *above*\n\n${START}\nnew bot text\n\n${END}\n\nNote below  \n`);
  });

  it('takes a body without region markers (an older version’s) whole as the region', () => {
    expect(readRegion('old bot text', 'k')).toEqual({ state: 'whole', before: '', content: 'old bot text', after: '' });
    expect(replaceRegion('old bot text <!-- userloop:k {"v":1} -->', 'k', 'new').body).toBe(`${START}\nnew\n\n${END}`);
    expect(replaceRegion(null, 'k', 'new')).toEqual({ body: `${START}\nnew\n\n${END}`, truncated: false, state: 'empty' });
    expect(replaceRegion('  \n', 'k', 'new').state).toBe('empty');
  });

  it('recreates a region whose start marker a person deleted at the end, keeping all their text', () => {
    const body = `My note\n\nold bot text\n${renderMarker('k', { v: 1 })}\n${END}\nbelow`;
    const out = replaceRegion(body, 'k', 'new', { strip: ['k'] });
    expect(out.state).toBe('damaged');
    expect(out.body).toBe(`My note\n\nold bot text\nbelow\n\n${START}\nnew\n\n${END}`);
  });

  it('recreates a region whose end marker a person deleted, and one whose markers are swapped', () => {
    expect(replaceRegion(`${START}\nold\n\nMy note`, 'k', 'new').body).toBe(`old\n\nMy note\n\n${START}\nnew\n\n${END}`);
    expect(replaceRegion(`${END}\nMy note\n${START}`, 'k', 'new').body).toBe(`My note\n\n${START}\nnew\n\n${END}`);
  });

  it('removes stale data markers of the bot from the person’s text', () => {
    const body = `Copied\n\n${renderMarker('k', { v: 0 })}\nnote\n${START}\n${renderMarker('k', { v: 1 })}\n\n${END}`;
    expect(replaceRegion(body, 'k', renderMarker('k', { v: 2 }), { strip: ['k'] }).body).toBe(`Copied\n\nnote\n${START}\n${renderMarker('k', { v: 2 })}\n\n${END}`);
  });

  it('cuts the bot’s part, never the person’s, to fit the limit', () => {
    const note = `${'n'.repeat(50)}\n\n`;
    const body = `${note}${START}\nold\n${END}`;
    const content = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)].join('\n\n');
    const out = replaceRegion(body, 'k', content, { limit: 190, notice: '_(cut)_' });
    expect(out.truncated).toBe(true);
    expect(out.body).toBe(`${note}${START}\n${'a'.repeat(40)}\n\n_(cut)_\n\n${END}`);
    expect(out.body.length).toBeLessThanOrEqual(190);
    expect(regionRoom(body, 'k', 200)).toBe(200 - `${note}${START}\n\n\n${END}`.length);
    const fits = replaceRegion(body, 'k', 'x'.repeat(regionRoom(body, 'k', 200)), { limit: 200 });
    expect(fits).toEqual({ body: `${note}${START}\n${'x'.repeat(regionRoom(body, 'k', 200))}\n\n${END}`, truncated: false, state: 'region' });
    expect(fits.body.length).toBe(200);
  });

  it('says so when the person’s text leaves no room for the bot’s part', () => {
    const body = `${'n'.repeat(190)}\n${START}\nold\n${END}`;
    expect(() => regionRoom(body, 'k', 200, [], 'the reply on o/r#3')).toThrow(
      "the reply on o/r#3: the text people wrote around the bot's part is 191 characters, which leaves no room for the bot's part within the 200-character limit; shorten that text",
    );
    expect(regionRoom(body, 'k', 200)).toBe(200 - 191 - `${START}\n\n\n${END}`.length);
    expect(() => replaceRegion(body, 'k', 'a'.repeat(100), { limit: 200, notice: '_(cut)_', what: 'the reply on o/r#3' })).toThrow(
      "the reply on o/r#3: the text people wrote around the bot's part is 191 characters, which leaves no room for the bot's part within the 200-character limit; shorten that text",
    );
  });
});
