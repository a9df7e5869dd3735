import { describe, expect, it } from 'vitest';
import { parseConfig } from '@userloop/core';

describe('require-docs config section', () => {
  it('defaults to the team rule when the section is absent or empty', () => {
    for (const text of ['', 'require-docs:\n', 'require-docs: {}\n']) {
      const { config, errors } = parseConfig(text);
      expect(errors).toEqual([]);
      expect(config!['require-docs']).toEqual({
        feature: { labels: ['feature', 'enhancement'], 'title-types': ['feat'], paths: [] },
        'skip-drafts': true,
        'skip-label': 'skip-docs',
        docs: {
          enabled: true,
          globs: ['docs/**', '**/*.md', '**/*.mdx', '!**/CHANGELOG*'],
          repositories: ['*/*doc*'],
          headings: ['Docs', 'Documentation'],
        },
        'how-to-use': { enabled: true, headings: ['How to use', 'Usage'], 'min-words': 15 },
        naming: { enabled: true, labels: ['new-name'], paths: [], checkbox: 'new name', headings: ['Naming'], 'min-alternatives': 2 },
      });
    }
  });

  it('reads every key', () => {
    const text = [
      'require-docs:',
      '  feature: { labels: [feat], title-types: [feat, perf], paths: ["src/**"] }',
      '  skip-drafts: false',
      '  skip-label: no-docs',
      '  docs: { enabled: false, globs: ["site/**"], repositories: [acme/handbook], headings: [Manual] }',
      '  how-to-use: { headings: [Example], min-words: 5 }',
      '  naming: { labels: [naming], paths: ["src/config/**"], checkbox: renames, headings: [Names], min-alternatives: 3 }',
    ].join('\n');
    const { config, errors } = parseConfig(text);
    expect(errors).toEqual([]);
    expect(config!['require-docs']).toMatchObject({
      feature: { labels: ['feat'], 'title-types': ['feat', 'perf'], paths: ['src/**'] },
      'skip-drafts': false,
      'skip-label': 'no-docs',
      docs: { enabled: false, globs: ['site/**'], repositories: ['acme/handbook'], headings: ['Manual'] },
      'how-to-use': { enabled: true, headings: ['Example'], 'min-words': 5 },
      naming: { labels: ['naming'], paths: ['src/config/**'], checkbox: 'renames', headings: ['Names'], 'min-alternatives': 3 },
    });
  });

  it('puts a bad glob on its own line', () => {
    const text = ['require-docs:', '  docs:', '    globs:', '      - docs/**', '      - "docs/"', '  naming:', '    paths: ["src/{a,b"]'].join('\n');
    const { errors } = parseConfig(text, '.github/userloop.yml');
    expect(errors).toEqual([
      expect.objectContaining({
        file: '.github/userloop.yml',
        line: 5,
        key: 'require-docs.docs.globs[1]',
        message: expect.stringContaining('invalid glob "docs/": a folder matches no file; write "docs/**"'),
      }),
      expect.objectContaining({
        line: 7,
        key: 'require-docs.naming.paths[0]',
        message: expect.stringContaining('invalid glob "src/{a,b": a `{` has no matching `}`'),
      }),
    ]);
  });

  it('suggests the closest key for a typo and rejects bad values', () => {
    const { errors } = parseConfig('require-docs:\n  skip-draft: true\n  how-to-use:\n    min-words: 0\n');
    expect(errors.map((e) => [e.line, e.key]).sort()).toEqual([
      [2, 'require-docs.skip-draft'],
      [4, 'require-docs.how-to-use.min-words'],
    ]);
    expect(errors.find((e) => e.key === 'require-docs.skip-draft')?.suggestion).toBe('skip-drafts');
  });
});
