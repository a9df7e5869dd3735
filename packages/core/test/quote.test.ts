// Core's quoting functions: one per context for text a person wrote. Exact strings.
import { describe, expect, it } from 'vitest';
import { cutNotice, markdownHref, neutraliseMentions, neutraliseQuoted, parseMarkdown, quoteBlock, quoteCode, quoteInline, stripBidi } from '../src/index.ts';

const Z = '\u200B';

describe('quoteInline (a title or a name on one line)', () => {
  it('neutralises every @-mention form GitHub links; an e-mail address is left alone', () => {
    expect(quoteInline('.@a -@b _@org/team_ (@c) /@d &#64;e &#x40;f me@example.com @g')).toBe(
      `.@${Z}a -@${Z}b \\_@${Z}org/team\\_ \\(@${Z}c\\) /@${Z}d &amp;\\#64;e &amp;\\#x40;f me@example.com @${Z}g`,
    );
  });

  it('renders images, links and autolinks as inert text', () => {
    expect(quoteInline('![x](https://t.example/p.gif) [click](https://evil.example) www.evil.example')).toBe(
      `\\!\\[x\\]\\(https:${Z}//t.example/p.gif\\) \\[click\\]\\(https:${Z}//evil.example\\) www${Z}.evil.example`,
    );
    const tree = parseMarkdown(quoteInline('![x](https://t.example/p.gif) [click](https://evil.example) https://a.example'));
    expect(JSON.stringify(tree)).not.toMatch(/"type":"(image|link)"/);
  });

  it('shows raw HTML and comment openers as text, removes bidi controls, makes one line', () => {
    expect(quoteInline('<img src=x> <!-- userloop:notify {} -->\n\u202Egnp.exe\u2066x\u2069')).toBe('&lt;img src=x&gt; &lt;\\!-- userloop:notify \\{\\} --&gt; gnp.exex');
  });

  it('cuts to max characters with an ellipsis, never splitting a surrogate pair', () => {
    expect(quoteInline('abcdefghij', { max: 5 })).toBe('abcd…');
    expect(quoteInline('abc😀def', { max: 5 })).toBe('abc…');
  });
});

describe('quoteCode (a file name as inline code)', () => {
  it('fences backticks, breaks <!--, removes bidi controls', () => {
    expect(quoteCode('docs/a`b\u202E<!--x.md')).toBe(`\`\`docs/a\`b<\u2060!--x.md\`\``);
    expect(quoteCode('`x`')).toBe('`` `x` ``');
  });
});

describe('neutraliseMentions', () => {
  it('covers the forms after any non-letter and the @ entities, outside code and links', () => {
    expect(neutraliseMentions('.@a -@b _@org/team_ \\@c `@d` [@e](https://x) https://x.test/@f &#64;g')).toBe(
      `.@${Z}a -@${Z}b _@${Z}org/team_ \\@${Z}c \`@d\` [@e](https://x) https://x.test/@f @${Z}g`,
    );
  });
});

describe('neutraliseQuoted (a markdown text kept as markdown)', () => {
  it('shows raw HTML as text, drops HTML comments, breaks <!-- inside code, removes bidi controls', () => {
    const text = 'Hi\u202E @a\n\n<img src=x onerror=alert(1)>\n\n<!-- hint -->\n\n```\n<!-- userloop:prioritize {} -->\n@b\n```';
    expect(neutraliseQuoted(text)).toBe(`Hi @${Z}a\n\n&lt;img src=x onerror=alert(1)>\n\n\n\n\`\`\`\n<\u2060!-- userloop:prioritize {} -->\n@b\n\`\`\``);
  });

  it('closes a fence left open, inside a quote or a list item too, so nothing after it is swallowed', () => {
    expect(neutraliseQuoted('```sh\nrun')).toBe('```sh\nrun\n```');
    expect(neutraliseQuoted('> ~~~\n> run')).toBe('> ~~~\n> run\n> ~~~');
    expect(neutraliseQuoted('- item\n\n  ```\n  run')).toBe('- item\n\n  ```\n  run\n  ```');
  });

  it('is idempotent', () => {
    const once = neutraliseQuoted('.@a <b> <!-- c --> ```\n<!--');
    expect(neutraliseQuoted(once)).toBe(once);
  });
});

describe('quoteBlock (a snippet or a section, cut to fit)', () => {
  it('leaves a text that fits as neutraliseQuoted makes it', () => {
    expect(quoteBlock('Use `x` .@a', { max: 100 })).toBe(`Use \`x\` .@${Z}a`);
  });

  it('cuts at a block boundary and links the source', () => {
    const text = Array.from({ length: 30 }, (_, i) => `paragraph ${i} says something`).join('\n\n');
    expect(quoteBlock(text, { max: 150, source: { label: '#12', url: 'https://github.com/o/r/pull/12' } })).toBe(
      'paragraph 0 says something\n\nparagraph 1 says something\n\n_(cut here to fit: read all of it in [#12](https://github.com/o/r/pull/12))_',
    );
  });

  it('cuts one long paragraph between words', () => {
    expect(quoteBlock(`one\n\ntwo\n\n${'three '.repeat(50)}`, { max: 120, source: '#12' })).toBe(
      'one\n\ntwo\n\nthree three three three three three three three three three three\n\n_(cut here to fit: read all of it in #12)_',
    );
  });

  it('cuts inside one large code block at a line break, the fence closed before the notice', () => {
    const text = `## Usage\n\n\`\`\`sh\n${Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')}\n\`\`\``;
    const out = quoteBlock(text, { max: 200, source: '#7' });
    expect(out).toBe(
      `## Usage\n\n\`\`\`sh\n${Array.from({ length: 18 }, (_, i) => `line ${i}`).join('\n')}\n\`\`\`\n\n_(cut here to fit: read all of it in #7)_`,
    );
    expect(out.length).toBeLessThanOrEqual(200);
  });

  it('a 70,000-character single line still fits', () => {
    const out = quoteBlock('x'.repeat(70_000), { max: 65_536, source: '#1' });
    expect(out.length).toBeLessThanOrEqual(65_536);
    expect(out.endsWith('_(cut here to fit: read all of it in #1)_')).toBe(true);
  });

  it('says where the rest is, or that it did not fit', () => {
    expect(cutNotice()).toBe('_(cut here to fit; the rest did not fit within GitHub\u2019s size limit)_');
    expect(cutNotice({ label: 'the comment', url: 'https://x/(1)' })).toBe('_(cut here to fit: read all of it in [the comment](https://x/%281%29))_');
  });
});

describe('stripBidi', () => {
  it('removes U+202A-U+202E and U+2066-U+2069 only', () => {
    expect(stripBidi('a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\u200Fk')).toBe('abcdefghij\u200Fk');
  });
});

describe('markdownHref (a URL a person gave, as the target of a link the bot writes)', () => {
  it('cannot end the link early or start a link of its own', () => {
    const href = markdownHref('https://x.example/a)[click](https://evil.example) <b>');
    expect(href).toBe('https://x.example/a%29%5Bclick%5D%28https://evil.example%29%20%3Cb%3E');
    const links = [...parseLinks(`[where they asked](${href})`)];
    expect(links).toEqual([href]);
  });
});

/** The link targets GitHub's markdown parser sees. */
function* parseLinks(markdown: string): Generator<string> {
  const visit = function* (node: { type: string; url?: string; children?: unknown[] }): Generator<string> {
    if (node.type === 'link' && node.url) yield node.url;
    for (const child of node.children ?? []) yield* visit(child as { type: string; url?: string; children?: unknown[] });
  };
  yield* visit(parseMarkdown(markdown) as unknown as { type: string; children?: unknown[] });
}
