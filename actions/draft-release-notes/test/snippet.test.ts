import { describe, expect, it } from 'vitest';
// The notes quote the how-to-use section through core's one definition (demoted to level 5, under the
// entry's own `####` heading); these pin what the notes get from it.
import { extractUsageSnippet as extract, sanitizeSnippet as sanitize, usageHeadingPattern } from '@userloop/core';

const ZW = '\u200B';
const HEADINGS = ['How to use', 'Usage'];
const heading = usageHeadingPattern(HEADINGS);
const extractUsageSnippet = (body: string, headings: readonly string[]) => extract(body, headings, { demoteTo: 5 });
const sanitizeSnippet = (markdown: string) => sanitize(markdown, { demoteTo: 5 });

describe('usageHeadingPattern', () => {
  it('matches a prefix, any case, flexible spaces; escapes regex characters', () => {
    expect(heading.test('How to use')).toBe(true);
    expect(heading.test('how  to USE it:')).toBe(true);
    expect(heading.test('Usage')).toBe(true);
    expect(heading.test('Summary')).toBe(false);
    expect(heading.test('Not how to use')).toBe(false);
    expect(usageHeadingPattern(['C++ (usage)']).test('c++ (usage) notes')).toBe(true);
  });
});

describe('extractUsageSnippet', () => {
  it('keeps the section up to the next heading of the same level, code fences byte for byte', () => {
    const fence = ['```yaml', '# a YAML comment, not a heading', 'key:   value   ', '@not-a-mention: true', '```'].join('\n');
    const body = [
      '## Summary',
      'Adds export. cc @alice',
      '',
      '## How to use',
      '',
      'Run it with `--out @bob` and:',
      '',
      fence,
      '',
      '### Options',
      '',
      'Thanks @carol and @org/team, mail me at me@example.com.',
      '',
      '## Checklist',
      '- [x] tests',
    ].join('\n');
    expect(extractUsageSnippet(body, HEADINGS)).toBe(
      [
        'Run it with `--out @bob` and:',
        '',
        fence,
        '',
        '##### Options',
        '',
        `Thanks @${ZW}carol and @${ZW}org/team, mail me at me@example.com.`,
      ].join('\n'),
    );
  });

  it('demotes headings keeping their relative levels, capped at 6; setext headings become ATX', () => {
    const body = '# Usage\n\n## Step one\n\ntext\n\n### Detail\n\nSetext\n------\n\n#### Deep\n';
    expect(extractUsageSnippet(body, HEADINGS)).toBe('##### Step one\n\ntext\n\n###### Detail\n\n##### Setext\n\n###### Deep');
  });

  it('returns null when the section is missing, empty, or only a template comment', () => {
    expect(extractUsageSnippet('## Summary\n\nNothing', HEADINGS)).toBeNull();
    expect(extractUsageSnippet('## How to use\n\n## Next\n', HEADINGS)).toBeNull();
    expect(extractUsageSnippet('## How to use\n\n<!-- Tell users how to use it -->\n\n## Next', HEADINGS)).toBeNull();
    expect(extractUsageSnippet('', HEADINGS)).toBeNull();
  });

  it('normalises CRLF bodies', () => {
    expect(extractUsageSnippet('## Usage\r\n\r\n```sh\r\nnpx tool\r\n```\r\n', HEADINGS)).toBe('```sh\nnpx tool\n```');
  });
});

describe('sanitizeSnippet: hostile bodies', () => {
  it('drops HTML comments (fake markers) and shows tags as text', () => {
    const md = [
      '<!-- userloop:draft-release-notes {"key":"v"} -->',
      '',
      '<script>alert(1)</script>',
      '',
      'Click <img src=x onerror=alert(1)> here </details>',
      '',
      '<details><summary>more</summary>',
      '',
      'inside',
      '',
      '</details>',
    ].join('\n');
    const out = sanitizeSnippet(md);
    expect(out).not.toMatch(/<(?!!)/); // no raw tag opener survives
    expect(out).not.toContain('userloop:');
    expect(out).toBe(
      [
        '&lt;script>alert(1)&lt;/script>',
        '',
        'Click &lt;img src=x onerror=alert(1)> here &lt;/details>',
        '',
        '&lt;details>&lt;summary>more&lt;/summary>',
        '',
        'inside',
        '',
        '&lt;/details>',
      ].join('\n'),
    );
  });

  it('leaves HTML inside code alone, but for `<!--`, broken so no snippet can carry a marker', () => {
    const md = '```html\n<script>ok()</script>\n<!-- kept -->\n```\n\nand `<b>` inline';
    expect(sanitizeSnippet(md)).toBe(md.replace('<!--', '<\u2060!--'));
  });

  it('inline HTML in a heading is made inert too', () => {
    expect(sanitizeSnippet('## Use <b>bold</b> @dave')).toBe(`##### Use &lt;b>bold&lt;/b> @${ZW}dave`);
  });

  it('a heading deeper than the minimum is not promoted', () => {
    expect(sanitizeSnippet('###### tiny\n\ntext')).toBe('###### tiny\n\ntext');
  });
});
