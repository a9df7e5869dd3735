import { describe, expect, it } from 'vitest';
import { findMarkers, hasMarker, markerPrefix, parseMarker, renderMarker, stripMarkers } from '../src/index.ts';

describe('markers', () => {
  it('renders a marker with JSON data', () => {
    expect(renderMarker('prioritize', { priority: 'high', n: 2 })).toBe('<!-- userloop:prioritize {"priority":"high","n":2} -->');
    expect(renderMarker('docs-review')).toBe('<!-- userloop:docs-review -->');
  });

  it('escapes data so `-->` cannot close the comment early', () => {
    const data = { note: 'evil --> <script>alert(1)</script> & <!-- nested' };
    const marker = renderMarker('x', data);
    expect(marker).toBe(
      '<!-- userloop:x {"note":"evil --\\u003e \\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 \\u003c!-- nested"} -->',
    );
    expect(marker.indexOf('-->')).toBe(marker.length - 3);
    expect(parseMarker(`before\n${marker}\nafter`, 'x')).toEqual(data);
  });

  it('round-trips any JSON value', () => {
    for (const value of [null, 0, 'text', [1, 'two', { three: 3 }], { nested: { a: ['\u2028', '\n', '"'] } }]) {
      expect(parseMarker(`hello ${renderMarker('k', value)}`, 'k')).toEqual(value);
    }
  });

  it('returns undefined when there is no marker of that kind, null for a bare marker', () => {
    const body = `text ${renderMarker('a', { v: 1 })}`;
    expect(parseMarker(body, 'b')).toBeUndefined();
    expect(parseMarker(body, 'a-b')).toBeUndefined();
    expect(parseMarker(null, 'a')).toBeUndefined();
    expect(parseMarker('x <!-- userloop:a -->', 'a')).toBeNull();
    expect(hasMarker(body, 'a')).toBe(true);
    expect(hasMarker(body, 'b')).toBe(false);
  });

  it('does not confuse a kind with a longer kind sharing its prefix', () => {
    const body = renderMarker('notify-release', { v: 1 });
    expect(parseMarker(body, 'notify')).toBeUndefined();
    expect(parseMarker(body, 'notify-release')).toEqual({ v: 1 });
  });

  it('ignores a marker with broken JSON', () => {
    expect(parseMarker('<!-- userloop:a {broken -->', 'a')).toBeUndefined();
  });

  it('finds and strips every marker of a kind', () => {
    const body = `a ${renderMarker('k', 1)} b ${renderMarker('k', 2)} c ${renderMarker('other', 3)}`;
    expect(findMarkers(body, 'k').map((m) => m.data)).toEqual([1, 2]);
    expect(stripMarkers(body, 'k')).toBe(`a  b  c ${renderMarker('other', 3)}`);
  });

  it('rejects a kind that could break the marker', () => {
    expect(() => renderMarker('bad kind', 1)).toThrow("invalid marker kind 'bad kind'");
    expect(() => markerPrefix('a-->')).toThrow(/invalid marker kind/);
  });
});
