import { quoteCode, quoteInline } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import type { NoteEntry, NotesModel } from '../src/build.ts';
import { emptyRangeMessage, mention, renderNotes } from '../src/render.ts';

const ZW = '\u200B';
const url = (n: number) => `https://github.com/o/r/pull/${n}`;
const entry = (over: Partial<NoteEntry> & { number: number; category: number }): NoteEntry => ({
  title: `Change ${over.number}`,
  url: url(over.number),
  author: 'alice',
  closes: [],
  requesters: [],
  ...over,
});

const model = (over: Partial<NotesModel>): NotesModel => ({
  marker: '<!-- m -->',
  categories: ['Breaking changes', 'Features', 'Fixes', 'Docs', 'Other'],
  entries: [],
  bots: null,
  usageHeading: 'How to use',
  compareUrl: 'https://github.com/o/r/compare/v1.0.0...v1.1.0',
  ...over,
});

describe('titles and logins in the notes (core quoteInline and quoteCode)', () => {
  it('escapes markdown and HTML and neutralises mentions', () => {
    expect(quoteInline('Add <script> & **bold** [x](y) for @alice, @org/team; me@x.io')).toBe(
      `Add &lt;script&gt; &amp; \\*\\*bold\\*\\* \\[x\\]\\(y\\) for @${ZW}alice, @${ZW}org/team; me@x.io`,
    );
    expect(quoteInline('multi\nline\r\ntitle')).toBe('multi line title');
    expect(quoteInline('#1 `code` _u_ |p| ~s~ !i')).toBe('\\#1 \\`code\\` \\_u\\_ \\|p\\| \\~s\\~ \\!i');
  });
  it('mention(), and quoteCode for a login that is not one', () => {
    expect(mention('alice')).toBe('@alice');
    expect(mention('renovate[bot]')).toBe('@renovate[bot]');
    expect(mention('bad login!')).toBe('`bad login!`');
    expect(quoteCode('a`b')).toBe('``a`b``');
    expect(quoteCode('`x')).toBe('`` `x ``');
  });
});

describe('renderNotes', () => {
  it('renders every kind of entry in order, exactly', () => {
    const body = renderNotes(
      model({
        entries: [
          entry({ number: 1, category: 0, title: 'feat!: drop v1 API', snippet: '```sh\nnpx tool --v2\n```', closes: [{ label: '#10', url: 'https://github.com/o/r/issues/10' }], requesters: ['bob', 'carol'] }),
          entry({ number: 2, category: 1, title: 'feat: export', snippet: null, author: 'dave' }),
          entry({ number: 3, category: 2, title: 'fix: crash @eve', closes: [{ label: 'x/y#5', url: 'https://github.com/x/y/issues/5' }], requesters: ['frank'] }),
          entry({ number: 4, category: 2, title: 'fix: other', author: null }),
        ],
        bots: { title: 'Dependency updates', pullRequests: [{ number: 7, url: url(7) }, { number: 8, url: url(8) }], authors: ['dependabot', 'renovate'] },
      }),
    );
    expect(body).toBe(
      [
        '<!-- m -->',
        '### Breaking changes',
        '#### feat\\!: drop v1 API',
        '[#1](https://github.com/o/r/pull/1) by @alice · Closes [#10](https://github.com/o/r/issues/10) · Requested by @bob, @carol',
        '```sh\nnpx tool --v2\n```',
        '### Features',
        '#### feat: export',
        '[#2](https://github.com/o/r/pull/2) by @dave',
        '_No usage snippet yet: see "Needs a usage snippet" below._',
        '### Fixes',
        [
          `- fix: crash @${ZW}eve · [#3](https://github.com/o/r/pull/3) by @alice · Closes [x/y#5](https://github.com/x/y/issues/5) · Requested by @frank`,
          '- fix: other · [#4](https://github.com/o/r/pull/4)',
          '- Dependency updates: [#7](https://github.com/o/r/pull/7), [#8](https://github.com/o/r/pull/8) by @dependabot, @renovate',
        ].join('\n'),
        '### Needs a usage snippet',
        'Add a "How to use" section to the body of these pull requests; the notes update on the next run.',
        '- feat: export · [#2](https://github.com/o/r/pull/2) by @dave',
        '**Full changelog**: https://github.com/o/r/compare/v1.0.0...v1.1.0',
      ].join('\n\n') + '\n',
    );
  });

  it('only bots: an Other section; an implicit category past the configured ones is titled Other', () => {
    expect(
      renderNotes(model({ compareUrl: null, bots: { title: 'Deps', pullRequests: [{ number: 9, url: url(9) }], authors: [] } })),
    ).toBe('<!-- m -->\n\n### Other\n\n- Deps: [#9](https://github.com/o/r/pull/9)\n');
    expect(renderNotes(model({ compareUrl: null, categories: ['New'], entries: [entry({ number: 5, category: 1 })] }))).toBe(
      '<!-- m -->\n\n### Other\n\n- Change 5 · [#5](https://github.com/o/r/pull/5) by @alice\n',
    );
  });

  it('emptyRangeMessage', () => {
    expect(emptyRangeMessage('v1.0.0', 'abcdef123456')).toBe(
      'No merged pull request to release between v1.0.0 and abcdef1; no draft is left behind.',
    );
    expect(emptyRangeMessage(null, 'abcdef123456')).toBe('No merged pull request to release up to abcdef1; no draft is left behind.');
  });
});
