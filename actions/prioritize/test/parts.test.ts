import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { saysPhrase } from '@userloop/core';
import { answerIsYes, parseFormBody, readFormAnswers, readFormFields } from '../src/forms.ts';
import { PRIORITIZE_QUERY } from '../src/read.ts';
import { findSimilar, words } from '../src/similar.ts';

const options = { blockedId: 'blocks-you', newUserId: 'new-user', blockedLabel: 'block', newUserLabel: 'new to' };

describe('issue forms', () => {
  const bug = readFileSync(new URL('../../../.github/ISSUE_TEMPLATE/bug.yml', import.meta.url), 'utf8');
  const feature = readFileSync(new URL('../../../.github/ISSUE_TEMPLATE/feature.yml', import.meta.url), 'utf8');
  const fields = readFormFields([
    { path: 'bug.yml', text: bug },
    { path: 'feature.yml', text: feature },
    { path: 'broken.yml', text: 'body: [: nope' },
    { path: 'odd.yml', text: 'name: x\nbody: 3\n' },
  ]);

  it("this repository's forms ask the flowchart's questions", () => {
    const ids = fields.map((f) => f.id);
    expect(ids.filter((id) => id === 'blocks-you')).toHaveLength(2);
    expect(ids.filter((id) => id === 'new-user')).toHaveLength(2);
    expect(ids).toEqual(expect.arrayContaining(['what-happened', 'steps', 'expected', 'version', 'environment', 'logs', 'goal', 'problem']));
  });

  it('answers the questions from a bug form body', () => {
    const label = (id: string) => fields.find((f) => f.id === id)?.label ?? '';
    const body = [
      `### ${label('what-happened')}`, '', 'Crash on save. This blocks me.', '',
      `### ${label('blocks-you')}`, '', 'No, I have a workaround', '',
      `### ${label('new-user')}`, '', 'Yes', '',
      '### Something the template never had', '', 'extra', '',
      `### ${label('logs')}`, '', '_No response_', '',
    ].join('\n');
    const answers = readFormAnswers(body, fields, options);
    expect(answers.blocked).toBe(false);
    expect(answers.newUser).toBe(true);
    expect(answers.freeText).toBe('Crash on save. This blocks me.\n\nextra');
    expect(answers.sections.map((s) => [s.field?.id ?? null, s.value])).toEqual([
      ['what-happened', 'Crash on save. This blocks me.'],
      ['blocks-you', 'No, I have a workaround'],
      ['new-user', 'Yes'],
      [null, 'extra'],
      ['logs', null],
    ]);
  });

  it('falls back to heading words without templates, and to the whole body without a form', () => {
    expect(readFormAnswers('### Does this block you?\n\nyes\n', [], options).blocked).toBe(true);
    const free = readFormAnswers('Just text, no form.', [], options);
    expect(free).toEqual({ blocked: null, newUser: null, sections: [], freeText: 'Just text, no form.' });
    expect(readFormAnswers('', [], options).freeText).toBe('');
    expect(readFormAnswers(null, [], options).freeText).toBe('');
  });

  it('does not split on headings inside code fences', () => {
    expect(parseFormBody('### A\n\n```\n### not a heading\n```\n').map((s) => s.heading)).toEqual(['A']);
  });

  it.each([
    ['Yes', true],
    ['yes, completely', true],
    ['Oui', true],
    ['Sí', true],
    ['No', false],
    ['Nein', false],
    ['- [x] I am blocked\n- [ ] Not blocked', true],
    ['- [ ] I am blocked', false],
    ['maybe', null],
    [null, null],
  ])('answerIsYes(%j) = %s', (value, expected) => {
    expect(answerIsYes(value)).toBe(expected);
  });
});

describe('phrases', () => {
  it.each([
    ['This blocks me', true],
    ['this BLOCKS us from shipping', true],
    ['It is a blocker.', true],
    ['This does not block me', false],
    ["It's not a blocker", false],
    ['Not a blocker. But it blocks my colleague? no. It blocks me.', true],
    ['> this blocks me\n\nquoted only', false],
    ['`blocks me` in code', false],
    ['unblocks meanwhile', false],
    ['', false],
  ])('saysPhrase(%j) = %s', (text, expected) => {
    expect(saysPhrase(text, ['blocks me', 'blocks us', 'blocker'])).toBe(expected);
  });
  it('copes with a 1 MB body and 500 mentions', () => {
    const big = `${'@someone '.repeat(500)}${'lorem ipsum '.repeat(90_000)}`;
    const t = Date.now();
    expect(saysPhrase(big, ['blocks me'])).toBe(false);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('similar issues', () => {
  it('tokenizes without stop words, links or markup', () => {
    expect(words('The CSV export is broken: see https://x.y/z <!-- hidden -->\n### Heading\n2024 crash')).toEqual(['csv', 'export', 'broken', 'see', 'crash']);
  });
  it('ranks by similarity, at most max, above the threshold', () => {
    const candidates = [
      { number: 1, title: 'CSV export drops last row', body: 'export csv last row missing', url: 'u1' },
      { number: 2, title: 'Export to PDF is slow', body: 'pdf export slow', url: 'u2' },
      { number: 3, title: 'Dark mode', body: 'dark theme please', url: 'u3' },
      { number: 4, title: 'CSV export: last row missing', body: '', url: 'u4' },
      { number: 9, title: 'CSV export drops the last row', body: 'same', url: 'u9' },
    ];
    const result = findSimilar({ number: 9, title: 'CSV export drops the last row', body: 'The last row is missing' }, candidates, { max: 3, minScore: 0.3 });
    expect(result.map((r) => r.number)).toEqual([1, 4]);
    expect(findSimilar({ number: 9, title: 'CSV export drops the last row', body: '' }, candidates, { max: 1, minScore: 0 }).map((r) => r.number)).toEqual([1]);
    expect(findSimilar({ number: 9, title: 'the', body: '' }, candidates, { max: 3, minScore: 0.3 })).toEqual([]);
    expect(findSimilar({ number: 9, title: 'csv', body: '' }, candidates, { max: 0, minScore: 0 })).toEqual([]);
  });
});

describe('the GraphQL read', () => {
  it("is valid against GitHub's public schema", () => {
    // graphql is a dependency of the emulator package: loaded from there; GitHub's schema is a devDependency here.
    const simRequire = createRequire(new URL('../../../packages/github-sim/package.json', import.meta.url));
    const { buildSchema, parse, validate } = simRequire('graphql') as {
      buildSchema(sdl: string, options: { assumeValidSDL: boolean }): unknown;
      parse(source: string): unknown;
      validate(schema: unknown, document: unknown): { message: string }[];
    };
    const schema = buildSchema(readFileSync(new URL('../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url), 'utf8'), { assumeValidSDL: true });
    expect(validate(schema, parse(PRIORITIZE_QUERY)).map((e) => e.message)).toEqual([]);
  });
});
