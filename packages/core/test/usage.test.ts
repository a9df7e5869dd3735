// The one definition of a pull request's "How to use" section, shared by require-docs,
// draft-release-notes and notify-requesters.
import { describe, expect, it } from 'vitest';
import { extractUsageSnippet, findUsageSection, parseConfig, usageHeadingPattern } from '../src/index.ts';

const ZW = '\u200B';
const HEADINGS = ['How to use', 'Usage'];

describe('usageHeadingPattern', () => {
  const pattern = usageHeadingPattern(HEADINGS);
  it.each([
    ['How to use', true],
    ['how  to USE it:', true],
    ['📖 How to use', true],
    ['1. Usage', true],
    ['Usage: CLI', true],
    ['Usages', false],
    ['Unusual usage', false],
    ['Not how to use', false],
    ['Summary', false],
  ])('%j -> %s', (heading, expected) => {
    expect(pattern.test(heading)).toBe(expected);
  });

  it('escapes regex characters in the configured headings', () => {
    expect(usageHeadingPattern(['C++ (usage)']).test('c++ (usage) notes')).toBe(true);
    expect(usageHeadingPattern(['C++ (usage)']).test('cxx (usage)')).toBe(false);
  });
});

describe('findUsageSection', () => {
  it('finds a heading that starts with an emoji', () => {
    const body = '## Summary\n\nx\n\n## 📖 How to use\n\n```sh\nrun\n```\n';
    expect(findUsageSection(body, HEADINGS)?.heading).toBe('📖 How to use');
  });

  it('prefers a heading that is exactly a configured phrase over one that only starts with it', () => {
    const body = '## Usage metrics\n\nDashboards.\n\n## How to use\n\n```sh\nrun\n```\n';
    expect(findUsageSection(body, HEADINGS)?.heading).toBe('How to use');
  });

  it('falls back to a heading that starts with the phrase, and takes the first exact one', () => {
    expect(findUsageSection('## How to use it:\n\nx', HEADINGS)?.heading).toBe('How to use it:');
    expect(findUsageSection('## Usage\n\na\n\n## How to use\n\nb', HEADINGS)?.markdown).toBe('a');
  });
});

describe('extractUsageSnippet', () => {
  it('takes the snippet under an emoji heading, after a "Usage metrics" section', () => {
    const body = '## Usage metrics\n\nDashboards.\n\n## 📖 How to use\n\n```sh\nrun\n```\n';
    expect(extractUsageSnippet(body, HEADINGS)).toBe('```sh\nrun\n```');
  });

  it('keeps code fences byte for byte, blank lines included; only `<!--` is broken there (no snippet can carry a marker)', () => {
    const fence = ['```yaml', '# a YAML comment, not a heading', 'key:   value   ', '', '', '', '<!-- kept -->', '@not-a-mention: true', '```'].join('\n');
    expect(extractUsageSnippet(`## How to use\n\n${fence}\n`, HEADINGS)).toBe(fence.replace('<!--', '<\u2060!--'));
  });

  it('demotes headings to `demoteTo`, keeping their relative levels, capped at 6; setext becomes ATX', () => {
    const body = '# Usage\n\n## Step one\n\ntext\n\n### Detail\n\nSetext\n------\n\n#### Deep\n';
    expect(extractUsageSnippet(body, HEADINGS, { demoteTo: 5 })).toBe('##### Step one\n\ntext\n\n###### Detail\n\n##### Setext\n\n###### Deep');
    expect(extractUsageSnippet(body, HEADINGS, { demoteTo: 4 })).toBe('#### Step one\n\ntext\n\n##### Detail\n\n#### Setext\n\n###### Deep');
    expect(extractUsageSnippet('## Usage\n\n###### tiny\n\ntext', HEADINGS, { demoteTo: 4 })).toBe('###### tiny\n\ntext');
  });

  it('strips HTML comments (fake markers), shows other HTML as text, neutralises mentions outside code', () => {
    const body = [
      '## How to use',
      '',
      '<!-- userloop:notify {"tag":"v1","people":["x"]} -->',
      '<img src=x onerror=alert(1)>',
      '',
      'Ask @someone or @org/team, mail me@example.com, run `--as @bob`.',
      '',
      '## Next',
    ].join('\n');
    expect(extractUsageSnippet(body, HEADINGS)).toBe(
      `&lt;img src=x onerror=alert(1)>\n\nAsk @${ZW}someone or @${ZW}org/team, mail me@example.com, run \`--as @bob\`.`,
    );
  });

  it('returns null when the section is missing, empty, or only a template comment', () => {
    expect(extractUsageSnippet('## Summary\n\nNothing', HEADINGS)).toBeNull();
    expect(extractUsageSnippet('## How to use\n\n## Next\n', HEADINGS)).toBeNull();
    expect(extractUsageSnippet('## How to use\n\n<!-- Tell users how to use it -->\n\n## Next', HEADINGS)).toBeNull();
    expect(extractUsageSnippet(null, HEADINGS)).toBeNull();
    expect(extractUsageSnippet('', HEADINGS)).toBeNull();
  });

  it('normalises CRLF bodies', () => {
    expect(extractUsageSnippet('## Usage\r\n\r\n```sh\r\nnpx tool\r\n```\r\n', HEADINGS)).toBe('```sh\nnpx tool\n```');
  });
});

describe('one setting for the usage section', () => {
  it('is require-docs.how-to-use.headings; the per-action usage-headings keys are gone', () => {
    expect(parseConfig('require-docs:\n  how-to-use:\n    headings: [Try it]\n').config!['require-docs']['how-to-use'].headings).toEqual(['Try it']);
    for (const section of ['draft-release-notes', 'notify-requesters']) {
      const { errors } = parseConfig(`${section}:\n  usage-headings: [Usage]\n`);
      expect(errors.map((e) => e.key)).toEqual([`${section}.usage-headings`]);
    }
  });
});
