import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, requireDocsSection } from '@userloop/core';
import { evaluate, featureTitle, readNaming, skipReason, type PullRequestFacts } from '../src/evaluate.ts';

const config = requireDocsSection.parse(undefined);
const withConfig = (input: unknown) => requireDocsSection.parse(input);

const HOW_TO_USE = '## How to use\n\n```yaml\n- uses: userloop/require-docs@v1\n```\n';
const NAMING = '## Naming\n\nChosen: `require-docs`\n\nAlternatives:\n\n- `docs-check`: too generic\n- `docs-gate`: sounds like a blocker\n';

/** A feature pull request with a doc and a how-to-use section; `changedFiles` follows `files` unless given. */
const pr = (over: Partial<PullRequestFacts> = {}): PullRequestFacts => {
  const files = over.files ?? [
    { filename: 'src/search.ts', status: 'added' },
    { filename: 'docs/search.md', status: 'added' },
  ];
  return { title: 'feat: add search', body: HOW_TO_USE, draft: false, labels: [], files, changedFiles: files.length, ...over };
};

const rule = (facts: PullRequestFacts, id: string, cfg = config) => evaluate(facts, cfg).rules.find((r) => r.id === id);

describe('featureTitle', () => {
  it.each([
    ['feat: add search', 'feat:'],
    ['feat(api): add search', 'feat(api):'],
    ['feat!: drop node 18', 'feat!:'],
    ['feat(api)!: rename option', 'feat(api)!:'],
    ['Feat: capitalised type', 'Feat:'],
    ['  feat:  leading spaces', 'feat:'],
    ['feat(scope with spaces): ok', 'feat(scope with spaces):'],
    ['fix: a bug', undefined],
    ['fix(api)!: breaking fix', undefined],
    ['chore: deps', undefined],
    ['docs: readme', undefined],
    ['feature: not the type', undefined],
    ['feat add search', undefined],
    ['feat:', undefined],
    ['feat: ', undefined],
    ['feat(api: unbalanced', undefined],
    ['feat()): extra paren', undefined],
    ['add feat: in the middle', undefined],
    ['', undefined],
  ])('%j -> %j', (title, expected) => {
    expect(featureTitle(title, ['feat'])).toBe(expected);
  });

  it('uses the configured types', () => {
    expect(featureTitle('perf(db): faster', ['feat', 'perf'])).toBe('perf(db):');
    expect(featureTitle('feat: x', ['perf'])).toBeUndefined();
  });
});

describe('what is a feature', () => {
  const verdict = (facts: PullRequestFacts, cfg = config) => {
    const e = evaluate(facts, cfg);
    return { isFeature: e.isFeature, outcome: e.outcome, reasons: e.featureReasons, why: e.notFeatureReason };
  };

  it('a feat title', () => {
    expect(verdict(pr())).toEqual({ isFeature: true, outcome: 'checked', reasons: ['title `feat:`'], why: '' });
  });

  it('a feature label, any case, with a plain title', () => {
    expect(verdict(pr({ title: 'Add search', labels: ['Enhancement', 'bug'] })).reasons).toEqual(['label `Enhancement`']);
    expect(verdict(pr({ title: 'Add search', labels: ['feature', 'enhancement'] })).reasons).toEqual(['labels `feature` and `enhancement`']);
  });

  it('changed files under feature paths', () => {
    const cfg = withConfig({ feature: { paths: ['src/**'] } });
    expect(verdict(pr({ title: 'Add search' }), cfg).reasons).toEqual(['changed `src/search.ts`']);
    const many = pr({ title: 'Add search', files: [1, 2, 3].map((n) => ({ filename: `src/${n}.ts`, status: 'modified' })), changedFiles: 3 });
    expect(verdict(many, cfg).reasons).toEqual(['changed `src/1.ts` and 2 more']);
    expect(verdict(pr({ title: 'Add search', files: [{ filename: 'lib/a.ts', status: 'added' }], changedFiles: 1 }), cfg).isFeature).toBe(false);
  });

  it('all three reasons together', () => {
    const cfg = withConfig({ feature: { paths: ['src/**'] } });
    expect(verdict(pr({ title: 'feat(ui)!: x', labels: ['feature'] }), cfg).reasons).toEqual([
      'label `feature`',
      'title `feat(ui)!:`',
      'changed `src/search.ts`',
    ]);
  });

  it.each([
    ['fix: crash', []],
    ['chore: deps', ['dependencies']],
    ['Refactor the parser', []],
  ])('%j with labels %j is not a feature and passes', (title, labels) => {
    const e = evaluate(pr({ title, labels, body: null, files: [{ filename: 'src/a.ts', status: 'modified' }], changedFiles: 1 }), config);
    expect(e).toMatchObject({ isFeature: false, outcome: 'not-feature', passed: true, missing: [], rules: [] });
    expect(e.notFeatureReason).toBe('no feature label, no `feat:` title and no change under feature paths');
  });

  it('a docs-only change is not a feature, even with a feat title or label', () => {
    const facts = pr({ labels: ['feature'], body: null, files: [{ filename: 'docs/a.md', status: 'modified' }, { filename: 'README.md', status: 'modified' }] });
    expect(verdict(facts)).toEqual({ isFeature: false, outcome: 'not-feature', reasons: ['label `feature`', 'title `feat:`'], why: 'it changes only docs' });
  });

  it('a cut file list is never called docs-only', () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({ filename: `docs/p${i}.md`, status: 'added' }));
    expect(evaluate(pr({ files, changedFiles: 3500 }), config).isFeature).toBe(true);
  });

  it('a pull request with no files is not docs-only', () => {
    expect(evaluate(pr({ files: [] }), config).isFeature).toBe(true);
  });

  it('drafts are skipped unless skip-drafts is off', () => {
    expect(evaluate(pr({ draft: true, body: null, files: [] }), config)).toMatchObject({ outcome: 'draft', isFeature: true, passed: true, rules: [] });
    const e = evaluate(pr({ draft: true, body: null, files: [] }), withConfig({ 'skip-drafts': false }));
    expect(e).toMatchObject({ outcome: 'checked', passed: false, missing: ['docs', 'how-to-use'] });
  });
});

describe('rule: docs', () => {
  it('passes on a changed doc', () => {
    expect(rule(pr(), 'docs')).toEqual({ id: 'docs', status: 'pass', detail: 'changes `docs/search.md`', todo: '' });
  });

  it.each([
    ['docs/guide/img.png', true],
    ['README.md', true],
    ['packages/x/README.md', true],
    ['site/page.mdx', true],
    ['CHANGELOG.md', false],
    ['packages/x/CHANGELOG.md', false],
    ['.changeset/brave-cats.md', false],
    ['src/docs.ts', false],
  ])('%s counts as a doc: %s', (filename, counts) => {
    const facts = pr({ files: [{ filename: 'src/a.ts', status: 'added' }, { filename, status: 'modified' }] });
    expect(rule(facts, 'docs')?.status).toBe(counts ? 'pass' : 'fail');
  });

  it('a removed doc does not count', () => {
    expect(rule(pr({ files: [{ filename: 'src/a.ts', status: 'added' }, { filename: 'docs/old.md', status: 'removed' }] }), 'docs')?.status).toBe('fail');
  });

  it('lists a few docs and counts the rest', () => {
    const files = [{ filename: 'src/a.ts', status: 'added' }, ...['docs/a.md', 'docs/b.md', 'docs/c.md', 'docs/d.md'].map((filename) => ({ filename, status: 'added' }))];
    expect(rule(pr({ files }), 'docs')?.detail).toBe('changes `docs/a.md`, `docs/b.md` and 2 more');
  });

  it('fails with what to do', () => {
    expect(rule(pr({ files: [{ filename: 'src/a.ts', status: 'added' }] }), 'docs')).toEqual({
      id: 'docs',
      status: 'fail',
      detail: 'no doc changed and no docs pull request linked',
      todo: 'Change a doc in this pull request (`docs/**`, `**/*.md` or `**/*.mdx`), or link the docs pull request under a `## Docs` heading.',
    });
  });

  const codeOnly = [{ filename: 'src/a.ts', status: 'added' }];
  it.each([
    ['a docs-repository pull URL anywhere', 'See https://github.com/octo-org/octo-docs/pull/12 for the docs.', 'links the docs pull request octo-org/octo-docs#12'],
    ['a markdown link to a GHES docs pull request', 'Docs: [here](https://ghe.example.com/acme/documentation/pull/7/files)', 'links the docs pull request acme/documentation#7'],
    ['an owner/name#N reference to a docs repository', 'Docs in acme/website-docs#44.', 'links the docs pull request acme/website-docs#44'],
    ['any pull request under a Docs heading', '## Docs\n\nhttps://github.com/acme/website/pull/9', 'links the docs pull request acme/website#9'],
    ['any pull request under a Documentation heading', '### 📚 Documentation\n\n- acme/site#3', 'links the docs pull request acme/site#3'],
  ])('passes on %s', (_name, body, detail) => {
    expect(rule(pr({ body: `${body}\n\n${HOW_TO_USE}`, files: codeOnly }), 'docs')).toMatchObject({ status: 'pass', detail });
  });

  it.each([
    ['a pull request of a non-docs repository outside the Docs section', 'Related: https://github.com/acme/website/pull/9'],
    ['an issue of a docs repository', 'https://github.com/acme/docs/issues/9'],
    ['a same-repository #N reference under Docs', '## Docs\n\n#12'],
    ['a link only inside an HTML comment', '<!-- https://github.com/acme/docs/pull/1 -->'],
    ['a link inside a code block', '```\nhttps://github.com/acme/docs/pull/1\n```'],
  ])('fails on %s', (_name, body) => {
    expect(rule(pr({ body, files: codeOnly }), 'docs')?.status).toBe('fail');
  });

  it('says when the file list was cut', () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({ filename: `src/f${i}.ts`, status: 'added' }));
    const e = evaluate(pr({ files, changedFiles: 3201 }), config);
    expect(e.rules[0]?.detail).toBe('no doc changed and no docs pull request linked (only the first 3,000 of 3,201 files were read)');
    expect(e.notices).toEqual(['This pull request changes 3,201 files; GitHub lists only the first 3,000, so only those were checked.']);
  });

  it('is reported off when disabled', () => {
    expect(rule(pr({ files: codeOnly }), 'docs', withConfig({ docs: { enabled: false } }))).toEqual({ id: 'docs', status: 'off', detail: 'turned off in config', todo: '' });
  });

  it('uses configured globs and repositories', () => {
    const cfg = withConfig({ docs: { globs: ['site/**', '!site/drafts/**'], repositories: ['acme/handbook'] } });
    expect(rule(pr({ files: [{ filename: 'site/a.txt', status: 'added' }, ...codeOnly] }), 'docs', cfg)?.status).toBe('pass');
    expect(rule(pr({ files: [{ filename: 'site/drafts/a.txt', status: 'added' }, ...codeOnly] }), 'docs', cfg)?.status).toBe('fail');
    expect(rule(pr(), 'docs', cfg)?.status).toBe('fail');
    expect(rule(pr({ body: 'acme/handbook#2', files: codeOnly }), 'docs', cfg)?.status).toBe('pass');
    expect(rule(pr({ body: 'acme/docs#2', files: codeOnly }), 'docs', cfg)?.status).toBe('fail');
  });
});

describe('rule: how to use', () => {
  const howTo = (body: string | null, cfg = config) => rule(pr({ body }), 'how-to-use', cfg);
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it.each([
    ['a fenced block under How to use', HOW_TO_USE, 'a code block under "How to use"'],
    ['a fenced block under Usage', '# Usage\n\n~~~\nuserloop check\n~~~', 'a code block under "Usage"'],
    ['a heading with emoji, other case and more words', '## 🚀 how to use it:\n\n```\nx\n```', 'a code block under "🚀 how to use it:"'],
    ['a code block nested in a sub-section', '## How to use\n\n### From the CLI\n\n```sh\nx\n```', 'a code block under "How to use"'],
    ['a code block in a list item', '## Usage\n\n1. Run\n\n   ```sh\n   x\n   ```', 'a code block under "Usage"'],
    ['enough prose', `## How to use\n\n${words(15)}`, '15 words under "How to use"'],
    ['a numbered heading', '## 2. Usage\n\n```\nx\n```', 'a code block under "2. Usage"'],
    [
      'an exact heading after one that only starts with the phrase (the section the notes quote)',
      '## Usage metrics\n\nDashboards.\n\n## How to use\n\n```sh\nx\n```',
      'a code block under "How to use"',
    ],
  ])('passes with %s', (_name, body, detail) => {
    expect(howTo(body)).toEqual({ id: 'how-to-use', status: 'pass', detail, todo: '' });
  });

  const todo = 'Add a `## How to use` section to the body with a code block or at least 15 words on how to use the feature; the release notes quote it.';
  it.each([
    ['a null body', null, 'no "How to use" or "Usage" section in the body'],
    ['an empty body', '', 'no "How to use" or "Usage" section in the body'],
    ['a heading that only contains the phrase', '## Unusual usage\n\n```\nx\n```', 'no "How to use" or "Usage" section in the body'],
    ['a word that only starts with the phrase', '## Usages\n\n```\nx\n```', 'no "How to use" or "Usage" section in the body'],
    ['the phrase in prose, not a heading', 'How to use:\n\n```\nx\n```', 'no "How to use" or "Usage" section in the body'],
    ['too little prose', `## How to use\n\n${words(14)}`, '"How to use" has 14 words of 15 and no code block'],
    ['the template comment only', '## How to use\n\n<!-- A code block or a few sentences showing how to use the feature. -->\n', '"How to use" has 0 words of 15 and no code block'],
    ['an empty code block', '## How to use\n\n```yaml\n```\n', '"How to use" has 0 words of 15 and no code block'],
    ['code under the next section', '## How to use\n\nsoon\n\n## Other\n\n```\nx\n```', '"How to use" has 1 word of 15 and no code block'],
    ['a second matching section: only the first counts', `## Usage\n\nshort\n\n## How to use\n\n${words(20)}`, '"Usage" has 1 word of 15 and no code block'],
    ['prose whose code block is only one word', '## How to use\n\n`x`', '"How to use" has 1 word of 15 and no code block'],
  ])('fails with %s', (_name, body, detail) => {
    expect(howTo(body)).toEqual({ id: 'how-to-use', status: 'fail', detail, todo });
  });

  it('uses configured headings and word count', () => {
    const cfg = withConfig({ 'how-to-use': { headings: ['Example'], 'min-words': 3 } });
    expect(howTo('## Example\n\none two three', cfg)?.status).toBe('pass');
    expect(howTo(HOW_TO_USE, cfg)).toMatchObject({ status: 'fail', detail: 'no "Example" section in the body' });
    expect(howTo(null, withConfig({ 'how-to-use': { enabled: false } }))?.status).toBe('off');
  });
});

describe('rule: naming', () => {
  const naming = (over: Partial<PullRequestFacts>, cfg = config) => rule(pr(over), 'naming', cfg);
  const todo = 'Under `## Naming`, write `Chosen: <name>` and list 2 alternatives you considered.';

  it('is not needed without a trigger', () => {
    expect(naming({})).toEqual({ id: 'naming', status: 'not-needed', detail: 'no new name or option', todo: '' });
    expect(naming({ body: `${HOW_TO_USE}\n- [ ] Adds a new name or option` })?.status).toBe('not-needed');
  });

  it('triggers on a label, a naming path and a checked box', () => {
    const cfg = withConfig({ naming: { paths: ['src/config/**'] } });
    const facts = {
      labels: ['New-Name'],
      body: `${HOW_TO_USE}\n- [x] Adds a **new name** or option`,
      files: [{ filename: 'src/config/schema.ts', status: 'modified' }, { filename: 'docs/a.md', status: 'added' }],
    };
    expect(naming(facts, cfg)).toEqual({
      id: 'naming',
      status: 'fail',
      detail: 'adds a new name (label `New-Name`, changes `src/config/schema.ts`, the "new name" box is checked) but the body has no "Naming" section',
      todo,
    });
  });

  it('passes with the chosen name and two alternatives', () => {
    expect(naming({ labels: ['new-name'], body: `${HOW_TO_USE}\n${NAMING}` })).toEqual({ id: 'naming', status: 'pass', detail: '`require-docs`, 2 alternatives', todo: '' });
  });

  it('fails without a chosen name', () => {
    const body = `${HOW_TO_USE}\n## Naming\n\nChosen:\n\n- a\n- b`;
    expect(naming({ labels: ['new-name'], body })).toEqual({ id: 'naming', status: 'fail', detail: 'adds a new name (label `new-name`) but the naming section gives no chosen name', todo });
  });

  it('fails with one alternative', () => {
    const body = `${HOW_TO_USE}\n## Naming\n\nChosen: \`scan\`\n\n- \`check\``;
    expect(naming({ labels: ['new-name'], body })).toEqual({ id: 'naming', status: 'fail', detail: 'adds a new name (label `new-name`): `scan` with 1 of 2 alternatives', todo });
  });

  it('follows min-alternatives', () => {
    const body = `${HOW_TO_USE}\n## Naming\n\nChosen: scan\n\n- check`;
    expect(naming({ labels: ['new-name'], body }, withConfig({ naming: { 'min-alternatives': 1 } }))?.detail).toBe('`scan`, 1 alternative');
    expect(naming({ labels: ['new-name'], body: null }, withConfig({ naming: { enabled: false } }))?.status).toBe('off');
  });
});

describe('readNaming', () => {
  const read = (markdown: string) => readNaming(parseMarkdown(markdown).children);

  it.each([
    ['a list under an Alternatives line', 'Chosen: `require-docs`\nAlternatives:\n\n- `docs-check`: too generic\n- `docs-gate`', { chosen: 'require-docs', alternatives: ['docs-check: too generic', 'docs-gate'] }],
    ['an inline Alternatives line', 'Name: scan\n\nAlternatives: check, inspect; audit', { chosen: 'scan', alternatives: ['check', 'inspect', 'audit'] }],
    ['all as list items', '- Chosen name: **scan**\n- Alternative: check\n- inspect', { chosen: 'scan', alternatives: ['check', 'inspect'] }],
    ['nested alternatives', '- Chosen: scan\n- Alternatives considered:\n  - check\n  - inspect', { chosen: 'scan', alternatives: ['check', 'inspect'] }],
    ['duplicates and the chosen name again', 'Chosen: scan\n\n- scan\n- Check\n- check (again)\n- `inspect`', { chosen: 'scan', alternatives: ['Check', 'inspect'] }],
    ['placeholders only', 'Chosen: <!-- the name -->\nAlternatives: ..., …\n\n- \n- <!-- another -->', { chosen: undefined, alternatives: [] }],
    ['task items, which are a checklist', 'Chosen: scan\n\n- [x] check\n- [ ] inspect', { chosen: 'scan', alternatives: [] }],
    ['prose lines, which are not alternatives', 'Chosen: scan\nWe also thought about check and inspect.', { chosen: 'scan', alternatives: [] }],
    ['a blockquote', '> Chosen: scan\n>\n> - check\n> - inspect', { chosen: 'scan', alternatives: ['check', 'inspect'] }],
  ])('%s', (_name, markdown, expected) => {
    expect(read(markdown)).toEqual(expected);
  });
});

describe('skip label', () => {
  it.each([
    ['skip-docs: internal refactor, no user-facing change', 'internal refactor, no user-facing change'],
    ['Skip docs: typo', 'typo'],
    ['**skip-docs reason:** covered by #12', 'covered by #12'],
    ['intro\n\nSKIP_DOCS : hotfix', 'hotfix'],
    ['- skip-docs: in a list', 'in a list'],
    ['skip-docs:', undefined],
    ['skip-docs: ...', undefined],
    ['<!-- skip-docs: reason in a comment -->', undefined],
    ['```\nskip-docs: in code\n```', 'in code'],
    ['we skip-docs: not at line start', undefined],
    ['', undefined],
  ])('%j -> reason %j', (body, reason) => {
    expect(skipReason(parseMarkdown(body), 'skip-docs')).toBe(reason);
  });

  it('with a reason: skipped, passed, rules not run', () => {
    const e = evaluate(pr({ labels: ['Skip-Docs'], body: 'skip-docs: backend only', files: [{ filename: 'src/a.ts', status: 'added' }] }), config);
    expect(e).toMatchObject({ outcome: 'skipped', isFeature: true, passed: true, skipped: true, skipReason: 'backend only', skipWithoutReason: false, rules: [], missing: [] });
  });

  it('without a reason: the rules run and the skip is flagged', () => {
    const e = evaluate(pr({ labels: ['skip-docs'], body: null, files: [{ filename: 'src/a.ts', status: 'added' }] }), config);
    expect(e).toMatchObject({ outcome: 'checked', passed: false, skipped: false, skipWithoutReason: true, missing: ['docs', 'how-to-use'] });
  });

  it('a reason without the label does nothing', () => {
    const e = evaluate(pr({ body: 'skip-docs: why', files: [{ filename: 'src/a.ts', status: 'added' }] }), config);
    expect(e).toMatchObject({ outcome: 'checked', skipped: false, skipWithoutReason: false });
  });

  it('a configured label', () => {
    const cfg = withConfig({ 'skip-label': 'no docs needed' });
    const e = evaluate(pr({ labels: ['No Docs Needed'], body: 'no-docs-needed: internal', files: [] }), cfg);
    expect(e).toMatchObject({ outcome: 'skipped', skipReason: 'internal' });
  });
});

describe('a complete feature', () => {
  it('passes every rule', () => {
    const e = evaluate(pr({ labels: ['feature', 'new-name'], body: `${HOW_TO_USE}\n${NAMING}` }), config);
    expect(e).toEqual({
      outcome: 'checked',
      isFeature: true,
      featureReasons: ['label `feature`', 'title `feat:`'],
      notFeatureReason: '',
      passed: true,
      missing: [],
      skipped: false,
      skipReason: '',
      skipWithoutReason: false,
      rules: [
        { id: 'docs', status: 'pass', detail: 'changes `docs/search.md`', todo: '' },
        { id: 'how-to-use', status: 'pass', detail: 'a code block under "How to use"', todo: '' },
        { id: 'naming', status: 'pass', detail: '`require-docs`, 2 alternatives', todo: '' },
      ],
      notices: [],
    });
  });
});

describe('the shipped pull request template', () => {
  const template = readFileSync(new URL('../../../.github/pull_request_template.md', import.meta.url), 'utf8');
  const facts = (body: string) => pr({ body, labels: ['new-name'], files: [{ filename: 'src/a.ts', status: 'added' }] });

  it('unfilled, every rule fails (its hints are HTML comments)', () => {
    expect(evaluate(facts(template), config).missing).toEqual(['docs', 'how-to-use', 'naming']);
  });

  it('filled in, every rule passes', () => {
    const filled = template
      .replace('## How to use\n', `## How to use\n\n\`\`\`yaml\n- uses: ./actions/require-docs\n\`\`\`\n`)
      .replace('## Docs\n', '## Docs\n\nhttps://github.com/octo-org/website/pull/7\n')
      .replace('## Naming\n', '## Naming\n\nChosen: `require-docs`\nAlternatives:\n\n- `docs-check`: too generic\n- `docs-gate`: sounds like a blocker\n')
      .replace('- [ ] This pull request adds a new name', '- [x] This pull request adds a new name');
    const e = evaluate({ ...facts(filled), labels: [] }, config);
    expect(e.rules.map((r) => [r.id, r.status, r.detail])).toEqual([
      ['docs', 'pass', 'links the docs pull request octo-org/website#7'],
      ['how-to-use', 'pass', 'a code block under "How to use"'],
      ['naming', 'pass', '`require-docs`, 2 alternatives'],
    ]);
  });
});
