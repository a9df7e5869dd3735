import { describe, expect, it } from 'vitest';
import {
  escapeTableCell,
  withoutCode,
  findSection,
  fitBody,
  markdownTable,
  neutraliseMentions,
  nodeText,
  parseMarkdown,
  splitBody,
  TRUNCATION_NOTICE,
} from '../src/index.ts';

const ZWSP = '\u200B';

describe('markdownTable', () => {
  it('renders an aligned GFM table', () => {
    expect(markdownTable([['Area', 'Open'], ['CLI', 12], ['Docs', null]], { align: ['l', 'r'] })).toBe(
      ['| Area | Open |', '| :--- | ---: |', '| CLI  |   12 |', '| Docs |      |'].join('\n'),
    );
  });

  it('escapes pipes and newlines, keeps backticks', () => {
    expect(markdownTable([['a'], ['x | y\nz `a|b`']], { alignDelimiters: false })).toBe(
      ['| a |', '| - |', '| x \\| y<br>z `a\\|b` |'].join('\n'),
    );
  });

  it('leaves an already escaped pipe alone and escapes one after an escaped backslash', () => {
    expect(escapeTableCell('a \\| b')).toBe('a \\| b');
    expect(escapeTableCell('a \\\\| b')).toBe('a \\\\\\| b');
    expect(escapeTableCell(undefined)).toBe('');
    expect(escapeTableCell(true)).toBe('true');
  });

  it('produces a table GitHub parses into the same cells', () => {
    const cells = ['plain', 'pipe | inside', 'code `x | y`', 'two\nlines'];
    const tree = parseMarkdown(markdownTable([['h1', 'h2', 'h3', 'h4'], cells]));
    const table = tree.children[0];
    expect(table?.type).toBe('table');
    if (table?.type !== 'table') return;
    expect(table.children).toHaveLength(2);
    expect(table.children[1]?.children.map((cell) => nodeText(cell))).toEqual(['plain', 'pipe | inside', 'code x | y', 'two<br>lines']);
  });

  it('renders nothing for no rows', () => {
    expect(markdownTable([])).toBe('');
  });
});

describe('findSection', () => {
  const body = [
    '### What are you trying to do?',
    '',
    'Ship a release.',
    '',
    '### How to use',
    '',
    '```sh',
    '# not a heading',
    'userloop demo',
    '```',
    '',
    '#### Options',
    '',
    '- `--fast`',
    '',
    '### Anything else?',
    '',
    '_No response_',
  ].join('\n');

  it('returns the content up to the next heading of the same or a higher level', () => {
    const section = findSection(body, /^how to use$/i);
    expect(section?.heading).toBe('How to use');
    expect(section?.depth).toBe(3);
    expect(section?.markdown).toBe(['```sh', '# not a heading', 'userloop demo', '```', '', '#### Options', '', '- `--fast`'].join('\n'));
    expect(section?.nodes.map((node) => node.type)).toEqual(['code', 'heading', 'list']);
  });

  it('returns the last section to the end and undefined when absent', () => {
    expect(findSection(body, /anything else/i)?.markdown).toBe('_No response_');
    expect(findSection(body, /^nope$/)).toBeUndefined();
  });

  it('matches heading text without its markup and handles setext headings', () => {
    const text = 'Docs **link**\n============\n\nSee [the guide](https://x.test).\n\nNext\n====\n';
    expect(findSection(text, /^docs link$/i)?.markdown).toBe('See [the guide](https://x.test).');
  });

  it('returns an empty section when the next heading follows at once', () => {
    expect(findSection('## A\n## B\ntext\n', /^A$/)?.markdown).toBe('');
  });
});

describe('neutraliseMentions', () => {
  it('breaks user and team mentions with a zero-width space', () => {
    expect(neutraliseMentions('Thanks @octocat and @octo-org/docs-team!')).toBe(`Thanks @${ZWSP}octocat and @${ZWSP}octo-org/docs-team!`);
    expect(neutraliseMentions('@start of text\n(@paren)')).toBe(`@${ZWSP}start of text\n(@${ZWSP}paren)`);
  });

  it('leaves code, e-mail addresses, URLs and package scopes alone', () => {
    const text = 'mail me@example.com, see https://x.test/@user, `@inline` and\n\n```\n@block\n```\n';
    expect(neutraliseMentions(text)).toBe(text);
  });

  it('also neutralises mentions inside raw HTML, which GitHub links too', () => {
    expect(neutraliseMentions('<p>Asked by @alice</p>')).toBe(`<p>Asked by @${ZWSP}alice</p>`);
  });

  it('is idempotent', () => {
    const once = neutraliseMentions('hi @octocat');
    expect(neutraliseMentions(once)).toBe(once);
  });
});

describe('fitBody', () => {
  it('a report of tables of thousands of rows is cut before the table that does not fit, never inside it', () => {
    const section = (i: number) => `## Section ${i}\n\n| Item | Owner |\n| --- | --- |\n${Array.from({ length: 300 }, (_, r) => `| item ${i}-${r} | @owner-${r % 7} |`).join('\n')}\n`;
    const body = Array.from({ length: 20 }, (_, i) => section(i)).join('\n');
    expect(body.length).toBeGreaterThan(120_000);
    const fit = fitBody(body, 65_536);
    expect(fit.truncated).toBe(true);
    expect(fit.body.length).toBeLessThanOrEqual(65_536);
    // The cut falls between blocks: before a section's heading or before its table, never among the rows.
    expect(fit.rest).toMatch(/^(## Section \d+|\| Item \| Owner \|)\n/);
    expect(fit.body.startsWith(body.slice(0, body.length - fit.rest.length).trimEnd())).toBe(true);
  });

  const para = (n: number, size: number): string => `P${n} ${'x'.repeat(size - 3 - String(n).length)}.`;

  it('returns a short body untouched', () => {
    expect(fitBody('short', 10)).toEqual({ body: 'short', truncated: false, rest: '' });
  });

  it('cuts at the last block boundary that fits and returns the rest', () => {
    const blocks = [para(1, 40), para(2, 40), para(3, 40)];
    const body = blocks.join('\n\n');
    const result = fitBody(body, 100, 'NOTICE');
    expect(result).toEqual({ body: `${blocks[0]}\n\n${blocks[1]}\n\nNOTICE`, truncated: true, rest: blocks[2] });
    expect(result.body.length).toBeLessThanOrEqual(100);
  });

  it('never cuts inside a code fence or a table', () => {
    const fence = ['```js', ...Array.from({ length: 10 }, (_, i) => `line(${i});`), '```'].join('\n');
    const table = markdownTable([['a', 'b'], ...Array.from({ length: 10 }, (_, i) => [`r${i}`, 'v'])]);
    const body = ['intro', fence, table, 'outro'].join('\n\n');
    for (let limit = 60; limit < body.length; limit += 7) {
      const { body: cut, rest } = fitBody(body, limit, '');
      expect(cut.length).toBeLessThanOrEqual(limit);
      const fences = cut.split('\n').filter((line) => line.startsWith('```')).length;
      expect(fences % 2).toBe(0);
      const lastLine = cut.split('\n').at(-1) ?? '';
      if (lastLine.startsWith('|')) expect(cut.endsWith(table)).toBe(true);
      expect(`${cut}\n\n${rest}`.replace(/\n+/g, '\n')).toContain(rest.replace(/\n+/g, '\n'));
    }
  });

  it('cuts between list items of a long list', () => {
    const items = Array.from({ length: 50 }, (_, i) => `- requester @user${i}`);
    const body = items.join('\n');
    const { body: cut, rest, truncated } = fitBody(body, 200, TRUNCATION_NOTICE);
    expect(truncated).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith(`\n\n${TRUNCATION_NOTICE}`)).toBe(true);
    const kept = cut.slice(0, -(TRUNCATION_NOTICE.length + 2));
    expect(`${kept}\n${rest}`).toBe(body);
  });

  it('closes and reopens a code fence when one block is bigger than the limit', () => {
    const body = ['```ts', ...Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`), '```'].join('\n');
    const { body: cut, rest, truncated } = fitBody(body, 200, 'CUT');
    expect(truncated).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.startsWith('```ts\nconst v0 = 0;')).toBe(true);
    expect(cut.endsWith('\n```\n\nCUT')).toBe(true);
    expect(rest.startsWith('```ts\n')).toBe(true);
    expect(rest.endsWith('```')).toBe(true);
  });

  it('fits a real 65,536-character limit with the default notice', () => {
    const blocks = Array.from({ length: 2000 }, (_, i) => para(i, 60));
    const { body, truncated, rest } = fitBody(blocks.join('\n\n'));
    expect(truncated).toBe(true);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.endsWith(TRUNCATION_NOTICE)).toBe(true);
    expect(rest.startsWith('P')).toBe(true);
  });
});

describe('splitBody', () => {
  it('splits into chunks within the limit that join back to the text', () => {
    const blocks = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ${'y'.repeat(30)}`);
    const body = blocks.join('\n\n');
    const chunks = splitBody(body, 150);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(150);
    expect(chunks.join('\n\n')).toBe(body);
  });

  it('returns one chunk when the body fits', () => {
    expect(splitBody('hello', 100)).toEqual(['hello']);
  });
});

describe('withoutCode', () => {
  it('drops HTML comments (an unclosed one to the end), fenced code and, asked, inline code; each one space', () => {
    expect(withoutCode('a <!-- x --> b')).toBe('a   b');
    expect(withoutCode('a <!-- never closed\nb')).toBe('a  ');
    expect(withoutCode('a\n```\nfixes #1\n```\nb')).toBe('a\n \nb');
    expect(withoutCode('a `#2` b')).toBe('a `#2` b');
    expect(withoutCode('a `#2` b', { inline: true })).toBe('a   b');
  });
});
