import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REF, USERLOOP_REPOSITORY } from '../packages/cli/src/init.ts';
import { fillBlocks, inputsTable, staleFiles } from '../scripts/docs.ts';
import { repoRoot } from './helpers/repo-files.ts';

describe('generated docs', () => {
  it('every action README carries the inputs and outputs of its action.yml, and docs/config.md matches the schema (run `pnpm gen:docs`)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('fills a generated block and refuses a README without one', () => {
    const table = inputsTable({ inputs: { token: { description: 'a | b', default: '${{ github.token }}' } } });
    expect(fillBlocks('x\n<!-- generated:inputs -->\nold\n<!-- /generated -->\ny', { inputs: table }, 'R.md')).toBe(
      `x\n<!-- generated:inputs -->\n${table}\n<!-- /generated -->\ny`,
    );
    expect(table).toContain('a \\| b');
    expect(() => fillBlocks('no block', { inputs: table }, 'R.md')).toThrow('R.md: no <!-- generated:inputs -->');
  });
});

/**
 * Every reference to userloop in a document (`uses: userloop/...`, a `userloop-repository:` or
 * `userloop-ref:` value) that is not the form `init` writes: `userloop/userloop/actions/<action>@<ref>` or
 * `userloop/userloop/.github/workflows/kpi-report.yml@<ref>`, with `ref` init's default (`<name>` stands for
 * any action in prose).
 */
function offForm(file: string, text: string, ref: string, actions: string[]): string[] {
  const out: string[] = [];
  const uses = new RegExp(`^(?:${[...actions, '<name>'].map((a) => `actions/${a}`).join('|')}|\\.github/workflows/kpi-report\\.yml)@${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  text.split('\n').forEach((line, i) => {
    // In a workflow, only the example in its comments: its own steps pass expressions.
    if (file.startsWith('.github/') && !line.trimStart().startsWith('#')) return;
    const at = `${file}:${i + 1}: ${line.trim()}`;
    const u = /\buses:\s*([^\s#'"`]+)/.exec(line)?.[1];
    if (u && /^[\w.-]+\/userloop\b/i.test(u) && !(u.startsWith(`${USERLOOP_REPOSITORY}/`) && uses.test(u.slice(USERLOOP_REPOSITORY.length + 1)))) out.push(at);
    const repo = /\buserloop-repository:\s*(\S+)/.exec(line)?.[1];
    if (repo !== undefined && repo !== USERLOOP_REPOSITORY) out.push(at);
    const r = /\buserloop-ref:\s*(\S+)/.exec(line)?.[1];
    if (r !== undefined && r !== ref) out.push(at);
  });
  return out;
}

describe('one way to reference the actions', () => {
  const actions = readdirSync(path.join(repoRoot, 'actions')).filter((a) => existsSync(path.join(repoRoot, 'actions', a, 'action.yml')));
  const docs = [
    'README.md',
    'packages/cli/README.md',
    ...actions.map((a) => `actions/${a}/README.md`),
    ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
    ...readdirSync(path.join(repoRoot, '.github', 'workflows')).map((f) => `.github/workflows/${f}`),
  ].filter((f) => existsSync(path.join(repoRoot, f)));

  it(`every uses: userloop/... line in the READMEs, docs/*.md and the workflows' comments is ${USERLOOP_REPOSITORY}/...@${DEFAULT_REF}, as init writes it`, () => {
    const found = docs.flatMap((f) => offForm(f, readFileSync(path.join(repoRoot, f), 'utf8'), DEFAULT_REF, actions));
    expect(found).toEqual([]);
    const examples = docs.flatMap((f) => readFileSync(path.join(repoRoot, f), 'utf8').split('\n').filter((l) => l.includes(`uses: ${USERLOOP_REPOSITORY}/`)));
    expect(examples.length).toBeGreaterThanOrEqual(actions.length);
  });

  it('catches a README line in another form', () => {
    const text = [
      '      - uses: userloop/userloop/actions/prioritize@v1',
      '      - uses: OWNER/userloop/actions/prioritize@v1',
      '      - uses: userloop/userloop/actions/prioritize@<full commit sha>',
      '      - uses: userloop/userloop/actions/prioritize@main',
      '      - uses: userloop/userloop/actions/nonexistent@v1',
      '    uses: userloop/userloop/.github/workflows/kpi-report.yml@v1',
      '      userloop-repository: OWNER/userloop',
      '      userloop-ref: <the same commit sha>',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    ].join('\n');
    expect(offForm('R.md', text, 'v1', ['prioritize']).map((l) => l.split(':')[1])).toEqual(['2', '3', '4', '5', '7', '8']);
  });

  it('init\'s default major tag is kept by the release workflow, and the README says so', () => {
    if (/^v\d+$/.test(DEFAULT_REF)) {
      const release = readFileSync(path.join(repoRoot, '.github/workflows/release.yml'), 'utf8');
      expect(release).toContain('node scripts/major-tag.mjs');
      expect(existsSync(path.join(repoRoot, 'scripts/major-tag.mjs'))).toBe(true);
    }
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`\`init\` writes \`@${DEFAULT_REF}\``);
    expect(readme).toContain('.github/workflows/release.yml');
  });
});
