import { describe, expect, it } from 'vitest';
import {
  findMarkers,
  findRegion,
  hasMarker,
  isIsoDate,
  isLogin,
  markerLines,
  markerLinesByParse,
  markerPrefix,
  neutraliseMarkers,
  parseMarker,
  readMarker,
  renderMarker,
  renderRegionEnd,
  stripMarkers,
} from '../src/index.ts';

describe('markers', () => {
  it('renders a marker with JSON data', () => {
    expect(renderMarker('k', { priority: 'high', n: 2 })).toBe('<!-- userloop:k {"priority":"high","n":2} -->');
    expect(renderMarker('docs-review', { tag: 'v1' })).toBe('<!-- userloop:docs-review {"tag":"v1"} -->');
    expect(renderMarker('prioritize-similar')).toBe('<!-- userloop:prioritize-similar -->');
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
    for (const value of [0, 'text', [1, 'two', { three: 3 }], { nested: { a: ['\u2028', '\n', '"'] } }]) {
      expect(parseMarker(`hello\n\n${renderMarker('k', value)}`, 'k')).toEqual(value);
    }
  });

  it('returns undefined when there is no marker of that kind, null for a bare marker', () => {
    const body = `text\n\n${renderMarker('a', { v: 1 })}`;
    expect(parseMarker(body, 'b')).toBeUndefined();
    expect(parseMarker(body, 'a-b')).toBeUndefined();
    expect(parseMarker(null, 'a')).toBeUndefined();
    expect(parseMarker('x\n\n<!-- userloop:a -->', 'a')).toBeNull();
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
    const body = `a\n${renderMarker('k', 1)}\nb\n${renderMarker('k', 2)}\nc\n${renderMarker('other', 3)}`;
    expect(findMarkers(body, 'k').map((m) => m.data)).toEqual([1, 2]);
    expect(stripMarkers(body, 'k')).toBe(`a\n\nb\n\nc\n${renderMarker('other', 3)}`);
  });

  it('rejects a kind that could break the marker', () => {
    expect(() => renderMarker('bad kind', 1)).toThrow("invalid marker kind 'bad kind'");
    expect(() => markerPrefix('a-->')).toThrow(/invalid marker kind/);
  });
});

describe('a marker counts only on a marker line, outside code and quotes', () => {
  const m = renderMarker('prioritize-seen', { thumbsUp: 1, duplicateEvents: 0 });
  const read = (body: string) => readMarker(body, 'prioritize-seen');

  it.each([
    ['the first line', `${m}\nThanks!`],
    ['after a blank line', `Thanks!\n\n${m}`],
    ['the last line after text', `Thanks!\n${m}`],
    ['after another marker line', `Thanks!\n\n${renderMarker('k', 1)}\n${m}`],
    ['after a closed fence', 'Run\n\n```sh\nx\n```\n\n' + m],
    ['after a list', `- one\n- two\n${m}`],
    ['after a quote', `> quoted\n${m}`],
    ['with CRLF line breaks', `Thanks!\r\n\r\n${m}\r\n`],
    ['with trailing spaces', `Thanks!\n\n${m}  `],
  ])('read: %s', (_name, body) => {
    expect(read(body)).toEqual({ thumbsUp: 1, duplicateEvents: 0 });
  });

  it.each([
    ['in a sentence', `Thanks! ${m}`],
    ['followed by text on its line', `${m} trailing`],
    ['indented', `Thanks!\n\n    ${m}`],
    ['indented by one space', `Thanks!\n\n ${m}`],
    ['in a fenced code block', `Run:\n\n\`\`\`\n${m}\n\`\`\`\n`],
    ['in a tilde fence', `~~~md\n${m}\n~~~`],
    ['in an unclosed fence', `\`\`\`\n${m}`],
    ['in a longer fence with a shorter inner fence', `\`\`\`\`\n\`\`\`\n\n${m}\n\`\`\`\`\n`],
    ['in inline code', `\`${m}\``],
    ['in a quote', `> ${m}`],
    ['in a list item', `- ${m}`],
    ['in a table cell', `| a |\n| - |\n| ${m} |`],
    ['in an HTML block', `<details>\n${m}\n</details>`],
    ['in an HTML comment', `<!-- a note\n\n${m}\n-->`],
    ['in a fence inside an HTML block then a fence', `<details>\n\`\`\`\n</details>\n\n\`\`\`\n${m}\n\`\`\``],
    ['neutralised', neutraliseMarkers(`Thanks!\n\n${m}`)],
    ['neutralised inside code', neutraliseMarkers(`\`\`\`\n\`\`\`\n\n${m}`)],
  ])('not read: %s', (_name, body) => {
    expect(read(body)).toBeNull();
  });

  it('skips the code and reads the line after it', () => {
    const forged = renderMarker('prioritize-seen', { thumbsUp: 999, duplicateEvents: 9 });
    const body = `Use it:\n\n\`\`\`html\n${forged}\n\`\`\`\n\n${m}`;
    expect(findMarkers(body, 'prioritize-seen').map((x) => x.data)).toEqual([{ thumbsUp: 1, duplicateEvents: 0 }]);
    expect(markerLines(body).map((x) => x.index)).toEqual([body.lastIndexOf(m)]);
  });

  it('neutralising keeps the text as it reads, with a word joiner after each `<`', () => {
    expect(neutraliseMarkers('a <!-- b --> `<!--` c')).toBe('a <\u2060!-- b --> `<\u2060!--` c');
    expect(neutraliseMarkers('no comment here')).toBe('no comment here');
  });
});

describe('marker data is validated per kind', () => {
  it('ignores a marker of a known kind whose data does not validate (as if absent)', () => {
    const bad = [
      '<!-- userloop:notify {"tag":"v1","people":["ok","x\\n## [pwn](https://evil.example)"]} -->',
      '<!-- userloop:notify {"tag":"v1","people":"alice"} -->',
      '<!-- userloop:work-started {"issue":0,"people":[]} -->',
      '<!-- userloop:prioritize-seen {"thumbsUp":-1,"duplicateEvents":0} -->',
      '<!-- userloop:prioritize-seen {"thumbsUp":1e12,"duplicateEvents":0} -->',
      '<!-- userloop:prioritize-change {"priority":"high","due":"2026-13-01"} -->',
      '<!-- userloop:require-docs {"feature":true,"passed":"yes","missing":[],"skipped":false} -->',
      '<!-- userloop:kpi-report {"period":"2026-W47 <b>"} -->',
      `<!-- userloop:notify {"tag":"v1","people":${JSON.stringify(Array.from({ length: 5001 }, (_, i) => `p${i}`))}} -->`,
    ];
    for (const body of bad) {
      const kind = /userloop:([a-z-]+)/.exec(body)![1]!;
      expect(findMarkers(body, kind), body.slice(0, 80)).toEqual([]);
      expect(hasMarker(body, kind)).toBe(false);
    }
  });

  it('reads valid data and drops unknown fields', () => {
    expect(readMarker('<!-- userloop:notify {"tag":"v1.2.0","people":["alice","bob-2"],"x":1} -->', 'notify')).toEqual({ tag: 'v1.2.0', people: ['alice', 'bob-2'] });
    expect(readMarker('<!-- userloop:prioritize-change {"priority":"high","due":"2028-02-29"} -->', 'prioritize-change')).toEqual({ priority: 'high', due: '2028-02-29' });
  });

  it('reads region delimiters only bare, and the draft state only with its digest', () => {
    expect(hasMarker('<!-- userloop:prioritize.start -->', 'prioritize.start')).toBe(true);
    expect(hasMarker('<!-- userloop:prioritize.end {"x":1} -->', 'prioritize.end')).toBe(false);
    expect(readMarker('<!-- userloop:draft-release-notes-state {"name":"v1.3.0","digest":"0123456789abcdef","kept":true} -->', 'draft-release-notes-state')).toEqual({ name: 'v1.3.0', digest: '0123456789abcdef', kept: true });
    expect(readMarker('<!-- userloop:draft-release-notes-state {"name":"v1.3.0","digest":"nope"} -->', 'draft-release-notes-state')).toBeNull();
  });

  it('refuses to write data the readers would ignore', () => {
    expect(() => renderMarker('prioritize-seen', { thumbsUp: 1.5, duplicateEvents: 0 })).toThrow("marker 'prioritize-seen': invalid data at 'thumbsUp'");
    expect(() => renderMarker('notify')).toThrow(/marker 'notify': invalid data/);
    expect(() => renderMarker('docs-review', { tag: 'v1\n## x' })).toThrow(/invalid data at 'tag'/);
  });

  it('knows GitHub logins and real dates', () => {
    for (const ok of ['a', 'octo-cat', 'A1', 'x'.repeat(39), 'user_emu', 'my-app[bot]']) expect(isLogin(ok), ok).toBe(true);
    for (const bad of ['', '-a', 'a b', 'a.b', 'x'.repeat(40), '@a', 'a\n', '<b>']) expect(isLogin(bad), bad).toBe(false);
    for (const ok of ['2026-02-28', '2028-02-29', '2000-01-01']) expect(isIsoDate(ok), ok).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '1969-12-31', '26-01-01', '2026-1-1', 'soon']) expect(isIsoDate(bad), bad).toBe(false);
  });
});

describe('regions delimited by marker lines', () => {
  it('finds the region between the bare marker and its end line', () => {
    const body = `note\n${renderMarker('r')}\n- a\n- b\n${renderRegionEnd('r')}\nafter`;
    const region = findRegion(body, 'r');
    expect(region?.inner).toBe('\n- a\n- b\n');
    expect(body.slice(region!.start, region!.end)).toBe(`${renderMarker('r')}\n- a\n- b\n${renderRegionEnd('r')}`);
    expect(findRegion(`${renderRegionEnd('r')}\n${renderMarker('r')}`, 'r')).toBeNull();
    expect(findRegion(`\`\`\`\n${renderMarker('r')}\n${renderRegionEnd('r')}\n\`\`\``, 'r')).toBeNull();
  });
});

describe('reading is fast enough for thousands of comments', () => {
  it('reads 5,000 bot replies in well under a few seconds', () => {
    const bodies = Array.from(
      { length: 5_000 },
      (_, i) =>
        `${renderMarker('prioritize-seen', { thumbsUp: i, duplicateEvents: 0 })}\nThanks for reporting this! ${'word '.repeat(60)}\n\n<sub>How we decided: blocks someone? no.</sub>\n\n${renderMarker('k', { requesters: Array.from({ length: 20 }, (_, j) => `user${j}`) })}`,
    );
    const started = performance.now();
    let found = 0;
    for (const body of bodies) found += findMarkers(body, 'k').length + findMarkers(body, 'prioritize-seen').length;
    expect(found).toBe(10_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('the fast path agrees with a full CommonMark parse', () => {
  it('on 3,000 bodies built from fences, HTML, lists, quotes, tables, text and markers', () => {
    const pieces = [
      '',
      '',
      'Some text.',
      '```',
      '```sh',
      '~~~',
      '````',
      '    indented',
      '<details>',
      '</details>',
      '<div>',
      '<!-- a note',
      '-->',
      '<pre>',
      '</pre>',
      '<sub>small</sub>',
      '- item',
      '  - nested',
      '> quote',
      '| a | b |',
      '| - | - |',
      '1. first',
      renderMarker('k', { n: 1 }),
      renderMarker('k', { n: 2 }),
      renderRegionEnd('k'),
      ` ${renderMarker('k', { n: 3 })}`,
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let trusted = 0;
    for (let n = 0; n < 3_000; n++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]!);
      const body = lines.join(random() < 0.2 ? '\r\n' : '\n');
      const fast = markerLines(body);
      expect(fast, JSON.stringify(body)).toEqual(markerLinesByParse(body));
      trusted += fast.length;
    }
    expect(trusted).toBeGreaterThan(500);
  });
});
