import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import { parseCodeowners } from '../src/codeowners.ts';
import { computePeriod } from '../src/compute.ts';
import { item, options } from './dataset.ts';
import { runMain } from './run-main.ts';
import { CONFIG_YAML, FULL, seedDataset } from './seed.ts';

/** The names of the CODEOWNERS areas whose rule decides each file's owners (GitHub: the last matching line). */
function owners(text: string, paths: string[]): Record<string, string[]> {
  const areas = parseCodeowners(text);
  return Object.fromEntries(paths.map((path) => [path, areas.filter((a) => a.decides?.(path)).map((a) => a.owners.join(' '))]));
}

describe('CODEOWNERS: the last matching line decides a file owners', () => {
  it('a later rule takes the files it matches from an earlier one', () => {
    const text = '*       @org/everyone\n/src/editor/   @org/editor\n';
    expect(owners(text, ['src/editor/canvas.ts', 'src/editor/a/b.ts', 'src/cli/main.ts', 'README.md'])).toEqual({
      'src/editor/canvas.ts': ['@org/editor'],
      'src/editor/a/b.ts': ['@org/editor'],
      'src/cli/main.ts': ['@org/everyone'],
      'README.md': ['@org/everyone'],
    });
    // In the other order, `*` is last and decides every file.
    expect(owners('/src/editor/ @org/editor\n* @org/everyone\n', ['src/editor/canvas.ts'])).toEqual({ 'src/editor/canvas.ts': ['@org/everyone'] });
  });

  it('a later rule without owners leaves its files with none', () => {
    const text = '/apps/ @octocat\n/apps/github\n';
    expect(owners(text, ['apps/main.js', 'apps/github/index.js', 'apps/github'])).toEqual({
      'apps/main.js': ['@octocat'],
      'apps/github/index.js': [],
      'apps/github': [],
    });
    // A rule whose owners are e-mails only (not areas here) decides its files all the same.
    expect(owners('*.js @js\n/legacy/ legacy@example.com\n', ['legacy/a.js', 'src/a.js'])).toEqual({ 'legacy/a.js': [], 'src/a.js': ['@js'] });
  });

  it('skips the lines GitHub does not accept: `\\#` for a leading `#`, `!` negation, `[ ]` ranges', () => {
    const text = ['* @all', '\\#notes.md @alice', '!README.md', '!docs/** @nobody', '*.[ch] @c-team', '# a comment @bob', 'docs/ @docs # the docs'].join('\n');
    const areas = parseCodeowners(text);
    expect(areas.map((a) => a.name)).toEqual(['*', 'docs/']);
    expect(owners(text, ['#notes.md', 'README.md', 'main.c', 'docs/guide.md', 'docs/README.md'])).toEqual({
      '#notes.md': ['@all'],
      'README.md': ['@all'],
      'main.c': ['@all'],
      'docs/guide.md': ['@docs'],
      'docs/README.md': ['@docs'],
    });
  });

  it('matches as GitHub documents: `docs/*` not nested, `apps/` and `**/logs` at any depth, dot files, case', () => {
    const text = ['*.js @js', 'docs/* @docs', 'apps/ @apps', '**/logs @logs', '/build/logs/ @build', '/Vendor/ @vendor', '/*.md @root-md'].join('\n');
    expect(owners(text, ['docs/a.md', 'docs/b/c.md', 'x/apps/y/z.txt', 'deeply/nested/logs/a', 'build/logs/b/c', '.github/x.js', 'vendor/a.txt', 'README.md', 'docs/README.md'])).toEqual({
      'docs/a.md': ['@docs'],
      'docs/b/c.md': [],
      'x/apps/y/z.txt': ['@apps'],
      'deeply/nested/logs/a': ['@logs'],
      'build/logs/b/c': ['@build'],
      '.github/x.js': ['@js'],
      'vendor/a.txt': [],
      'README.md': ['@root-md'],
      'docs/README.md': ['@docs'],
    });
  });

  it('a pattern repeated on a later line is one area, the later one', () => {
    const areas = parseCodeowners('*.md @old\n*.md @new\n');
    expect(areas.map((a) => [a.name, a.owners])).toEqual([['*.md', ['@new']]]);
    expect(areas[0]?.decides?.('a/b.md')).toBe(true);
  });
});

describe('CODEOWNERS areas in the report', () => {
  it('a pull request counts for the areas of its files deciding rules only; config areas keep any matching path', () => {
    const areas = [
      { name: 'Editor (config)', labels: [], paths: ['src/editor/**'], owners: ['@carol'] },
      ...parseCodeowners('* @org/everyone\n/src/editor/ @org/editor\n/src/generated/\n'),
    ];
    const pulls = [
      item(30, { kind: 'pull', files: ['src/editor/canvas.ts'] }),
      item(31, { kind: 'pull', files: ['src/editor/canvas.ts', 'README.md'] }),
      item(32, { kind: 'pull', files: ['src/generated/api.ts'] }),
    ];
    const m = computePeriod(pulls, [], options({ areas }));
    const counted = Object.fromEntries(m.areas.map((a) => [a.name, a.firstResponse.count]));
    // #30 editor only (not `*` as well); #31 editor and `*` (README.md); #32 nobody's (the last rule has no owners).
    expect(counted).toEqual({ 'Editor (config)': 2, '*': 1, '/src/editor/': 2 });
  });
});

describe('CODEOWNERS read from the repository (main against the emulator)', () => {
  let sim: Sim;
  beforeEach(async () => {
    sim = await startSim();
  });
  afterEach(async () => {
    sim.assertClean();
    await sim.stop();
  });

  it('each merged pull request counts for the owners of its files deciding lines, not for every matching pattern', async () => {
    seedDataset(sim);
    // PR 20 changes src/cli/json.ts and docs/cli.md, PR 21 src/x.ts (the bot's PR 22 is left out).
    sim.store.setContent(FULL, '.github/CODEOWNERS', '# owners\n*   @org/everyone\n/src/cli/   @org/cli\n/docs/\n');
    const config = parseConfig(`${CONFIG_YAML}  import-codeowners: true\n`, '.github/userloop.yml').config!;
    const result = await runMain(sim, { config, asOf: '2026-11-23T06:00:00Z', post: false });
    const areas = result.report?.current.areas ?? [];
    const pulls = Object.fromEntries(areas.map((a) => [a.name, [a.firstResponse.answered, a.firstResponse.unanswered, a.firstResponse.closedWithoutReply]]));
    // Answered, unanswered, closed without a reply: `*` has PR 21 only (closed without a reply); PR 20 (answered)
    // is `/src/cli/`'s alone, its docs/cli.md decided by `/docs/`, a line without owners.
    expect(pulls).toMatchObject({ '*': [0, 0, 1], '/src/cli/': [1, 0, 0] });
    expect(areas.find((a) => a.name === '/src/cli/')?.owners).toEqual(['@org/cli']);
    expect(areas.map((a) => a.name)).not.toContain('/docs/');
  });
});
