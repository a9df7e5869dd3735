// `userloop init` for a product: its name in the issue forms, an area question with its areas, every field
// the config's required-info asks for, its areas and owners in the config, and a checklist of what is left.
// And `check-config` on what a person then edits: problems in line order, placeholders as warnings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '@userloop/core';
import { actionlintFindings, permissionsFindings } from '../../../tests/helpers/checks.ts';
import { discover, parse } from '../../../tests/helpers/repo-files.ts';
import { askProductAndAreas } from '../src/init.ts';
import { cli } from '../src/main.ts';

type Rec = Record<string, unknown>;
interface FormElement {
  type: string;
  id?: string;
  attributes: { label?: string; options?: string[]; value?: string; description?: string; placeholder?: string };
  validations?: { required?: boolean };
}
interface IssueForm {
  name: string;
  description: string;
  labels: string[];
  body: FormElement[];
}

const dirs: string[] = [];
function repo(remote?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'userloop-product-'));
  dirs.push(dir);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  if (remote) execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', remote]);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cli(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
const formOf = (dir: string, kind: 'bug' | 'feature'): IssueForm => parseYaml(read(dir, `.github/ISSUE_TEMPLATE/${kind}.yml`)) as IssueForm;

/** What GitHub refuses in an issue form: a missing name or description, repeated ids, a dropdown without options, repeated or reserved options. */
function formProblems(form: IssueForm): string[] {
  const problems: string[] = [];
  if (!form.name || !form.description) problems.push('name and description are required');
  const ids = form.body.flatMap((e) => (e.id ? [e.id] : []));
  if (new Set(ids).size !== ids.length) problems.push(`repeated ids: ${ids.join(', ')}`);
  for (const e of form.body) {
    if (e.type !== 'markdown' && !e.attributes.label) problems.push(`${e.id ?? e.type} has no label`);
    if (e.id && !/^[A-Za-z0-9_-]+$/.test(e.id)) problems.push(`id ${e.id} is not letters, digits, - and _`);
    if (e.type === 'dropdown') {
      const options = e.attributes.options ?? [];
      if (options.length === 0) problems.push(`${e.id} has no options`);
      if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) problems.push(`${e.id} repeats an option`);
      if (options.some((o) => o.toLowerCase() === 'none')) problems.push(`${e.id} uses the reserved option None`);
    }
  }
  return problems;
}

describe('userloop init --product --areas', () => {
  it('writes issue forms for the product: its name, an area question with its areas, every required-info field, nothing of userloop itself', async () => {
    const dir = repo();
    const result = await run('init', '--dir', dir, '--product', 'Lumen Notes', '--areas', 'Editor=@alice @bob, Sync=org/sync-team');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);

    const bug = formOf(dir, 'bug');
    const feature = formOf(dir, 'feature');
    for (const form of [bug, feature]) {
      expect(formProblems(form)).toEqual([]);
      expect(form.description).toContain('Lumen Notes');
      const area = form.body.find((e) => e.id === 'area');
      expect(area?.type).toBe('dropdown');
      expect(area?.attributes.label).toBe('Which part of Lumen Notes is it about?');
      expect(area?.attributes.options).toEqual(['Editor', 'Sync', 'Not sure']);
      // The flowchart's two questions keep the ids prioritize reads.
      expect(form.body.filter((e) => e.id === 'blocks-you' || e.id === 'new-user').map((e) => e.attributes.label)).toEqual([
        'Does this block you?',
        'Are you new to Lumen Notes?',
      ]);
    }
    expect(bug.labels).toEqual(['bug']);
    expect(feature.labels).toEqual(['enhancement']);

    // Every field the written config asks a bug report for is a field of the bug form.
    const config = parseConfig(read(dir, '.github/userloop.yml'), '.github/userloop.yml');
    expect(config.errors).toEqual([]);
    const asked = config.config!.prioritize['required-info'].filter((r) => r.form === 'bug').flatMap((r) => r.fields);
    expect(asked).toEqual(['what-happened', 'steps', 'expected', 'version', 'logs']);
    const bugIds = bug.body.map((e) => e.id);
    for (const id of asked) expect(bugIds, id).toContain(id);

    for (const path of ['.github/ISSUE_TEMPLATE/bug.yml', '.github/ISSUE_TEMPLATE/feature.yml', '.github/ISSUE_TEMPLATE/config.yml', '.github/pull_request_template.md']) {
      const text = read(dir, path);
      expect(text, path).not.toMatch(/\.\/actions\/|ACTIONS_STEP_DEBUG|userloop/i);
    }
    // The PR template carries the sections require-docs reads.
    expect(read(dir, '.github/pull_request_template.md')).toMatch(/## How to use[\s\S]*## Docs[\s\S]*## Naming[\s\S]*- \[ \] This pull request adds a new name/);
  });

  it('writes the areas and owners into the config, which check-config accepts without a warning', async () => {
    const dir = repo();
    expect((await run('init', '--dir', dir, '--product', 'Lumen', '--areas', 'Editor=@alice+@bob,Sync=@org/sync-team')).code).toBe(0);
    const { config, warnings } = parseConfig(read(dir, '.github/userloop.yml'), '.github/userloop.yml');
    expect(config?.areas.map((a) => [a.name, a.labels, a.owners])).toEqual([
      ['Editor', ['area: editor'], ['@alice', '@bob']],
      ['Sync', ['area: sync'], ['@org/sync-team']],
    ]);
    expect(warnings).toEqual([]);
    const check = await run('check-config', '--strict', join(dir, '.github/userloop.yml'));
    expect(check).toMatchObject({ code: 0, err: '' });
    expect(check.out).toMatch(/userloop\.yml: valid$/);
  });

  it('an area without an owner gets the placeholder, which check-config warns about on its line (and --strict fails on)', async () => {
    const dir = repo();
    expect((await run('init', '--dir', dir, '--areas', 'Editor=@alice, Docs')).code).toBe(0);
    const file = join(dir, '.github/userloop.yml');
    const line = read(dir, '.github/userloop.yml').split('\n').findIndex((l) => l.includes('@your-login')) + 1;
    expect(line).toBeGreaterThan(0);
    const check = await run('check-config', file);
    expect(check.code).toBe(0);
    expect(check.out).toContain(`warning: ${file}:${line}:`);
    expect(check.out).toContain('areas[1].owners[0]: "@your-login" is a placeholder');
    expect(check.out).toContain('valid (1 warning(s))');
    const strict = await run('check-config', '--strict', file);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('1 warning(s), which --strict counts as errors');
    const json = JSON.parse((await run('check-config', '--json', file)).out) as { valid: boolean; warnings: { line: number; key: string }[] };
    expect(json.valid).toBe(true);
    expect(json.warnings).toEqual([expect.objectContaining({ line, key: 'areas[1].owners[0]' })]);
  });

  it('prints a checklist of what is left: owners, paths, labels to create, the required check and userloop doctor for this repository', async () => {
    const dir = repo('git@github.com:lumen-app/notes.git');
    const result = await run('init', '--dir', dir, '--product', 'Lumen', '--areas', 'Editor=@alice, Docs');
    expect(result.code).toBe(0);
    const checklist = result.out.slice(result.out.indexOf('What is left:'));
    const steps = checklist.split('\n').filter((l) => l.startsWith('  [ ] '));
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect(checklist).toContain('Give Docs an owner: replace @your-login');
    expect(checklist).toContain('`areas[].paths`');
    expect(checklist).toContain('push them to main');
    expect(checklist).toContain('"bug", "enhancement", "area: editor", "area: docs", "skip-docs", "new-name"');
    expect(checklist).toMatch(/Make require-docs a required check: .*the rule for main.*"require-docs"/);
    expect(checklist).toContain('`userloop doctor --repo lumen-app/notes`');
    // Told the product's name: nothing to say about it.
    expect(checklist).not.toContain('--product');
  });

  it('without flags (not on a terminal): the repository\'s name in the forms, example areas, and the checklist says how to name them', async () => {
    const dir = repo('https://github.com/lumen-app/lumen-notes.git');
    const result = await run('init', '--dir', dir);
    expect(result.code).toBe(0);
    expect(formOf(dir, 'bug').description).toContain('Something in lumen-notes does not work');
    expect(formOf(dir, 'bug').body.some((e) => e.id === 'area')).toBe(false);
    expect(result.out).toContain('two example areas owned by @your-login (re-run with --force --areas');
    expect(result.out).toContain('re-run with --force --product');
    const { warnings } = parseConfig(read(dir, '.github/userloop.yml'), '.github/userloop.yml');
    expect(warnings.map((w) => w.key)).toEqual(['areas[0].owners[0]', 'areas[1].owners[0]']);

    const noRemote = repo();
    await run('init', '--dir', noRemote);
    expect(formOf(noRemote, 'feature').description).toContain(`Ask for something new in ${basename(noRemote)}.`);
  });

  it('--dry-run prints the product\'s files and the checklist, writes nothing; --force rewrites them for another product', async () => {
    const dir = repo();
    const dry = await run('init', '--dir', dir, '--dry-run', '--product', 'Lumen', '--areas', 'Editor=@alice');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('--- .github/ISSUE_TEMPLATE/bug.yml\nname: Bug report\ndescription: Something in Lumen does not work');
    expect(dry.out).toContain('What is left once these files are written:');
    expect(discover(dir)).toEqual([]);

    expect((await run('init', '--dir', dir, '--product', 'Lumen', '--areas', 'Editor=@alice')).code).toBe(0);
    expect((await run('init', '--dir', dir, '--product', 'Lumen Pro', '--areas', 'Editor=@alice')).code).toBe(2);
    expect(formOf(dir, 'bug').description).toContain('in Lumen does');
    expect((await run('init', '--dir', dir, '--force', '--product', 'Lumen Pro', '--areas', 'Editor=@alice, Sync=@bob')).code).toBe(0);
    expect(formOf(dir, 'bug').description).toContain('in Lumen Pro does');
    expect(formOf(dir, 'bug').body.find((e) => e.id === 'area')?.attributes.options).toEqual(['Editor', 'Sync', 'Not sure']);
  });

  it('the workflows it writes for a product still pass actionlint and the permission checks', async () => {
    const dir = repo();
    expect((await run('init', '--dir', dir, '--product', 'Lumen', '--areas', 'Editor=@alice')).code).toBe(0);
    const workflows = discover(dir).filter((f) => f.kind === 'workflow');
    expect(workflows).toHaveLength(5);
    for (const wf of workflows) {
      const parsed = parse(wf);
      expect(await actionlintFindings(parsed), wf.rel).toEqual([]);
      expect(permissionsFindings(parsed), wf.rel).toEqual([]);
    }
  });

  it.each([
    [['--areas', 'Editor=alice!'], '--areas: "@alice!" (an owner of Editor) is not a GitHub user @login or a team @org/team'],
    [['--areas', '=@alice'], '--areas: "=@alice" has no area name before the `=` (write Name=@owner)'],
    [['--areas', 'Editor=@a, editor=@b'], '--areas: the area "editor" is named twice'],
    [['--areas', 'None=@a'], '--areas: "None" cannot be an area\'s name'],
    [['--areas', ' , '], '--areas needs at least one area'],
    [['--product', '  '], '--product needs a name'],
  ])('refuses %j with a clear message and writes nothing', async (args, message) => {
    const dir = repo();
    const result = await run('init', '--dir', dir, ...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`userloop: ${message}`);
    expect(discover(dir)).toEqual([]);
  });

  it('on a terminal, asks for what the flags did not give: a wrong answer is asked again, Enter keeps the default', async () => {
    const answers = ['Lumen', 'Editor=alice!', 'Editor=@alice, Docs'];
    const asked: string[] = [];
    const said: string[] = [];
    const ask = (question: string): Promise<string> => {
      asked.push(question);
      return Promise.resolve(answers.shift() ?? '');
    };
    expect(await askProductAndAreas({}, ask, (line) => said.push(line))).toEqual({
      product: 'Lumen',
      areas: [
        { name: 'Editor', owners: ['@alice'] },
        { name: 'Docs', owners: [] },
      ],
    });
    expect(asked).toHaveLength(3);
    expect(said).toEqual(['--areas: "@alice!" (an owner of Editor) is not a GitHub user @login or a team @org/team']);
    // A flag given is not asked; Enter keeps the default.
    asked.length = 0;
    expect(await askProductAndAreas({ areas: 'Sync=@bob' }, ask, () => {})).toEqual({ areas: [{ name: 'Sync', owners: ['@bob'] }] });
    expect(asked).toEqual([expect.stringMatching(/^Product name/)]);
  });

  it('--help documents the new flags', async () => {
    const help = await run('init', '--help');
    expect(help.out).toMatch(/^Usage: userloop init \[--product NAME\] \[--areas "AREA=@OWNER, \.\.\."\]/);
    expect(help.out).toContain('--product NAME  the product\'s name in the issue forms');
    expect(help.out).toContain('--areas LIST    its areas and their owners: "Editor=@alice @bob, Sync=@org/sync-team"');
    expect((await run('check-config', '--help')).out).toContain('--strict        fail on warnings too');
  });
});

describe('userloop check-config', () => {
  it('lists errors and warnings together in line order, each with its key, in plain words', async () => {
    const dir = repo();
    const file = join(dir, 'userloop.yml');
    writeFileSync(
      file,
      [
        'areas:',
        '  - name: Editor',
        '    owners: ["@your-login"]', // 3: a placeholder (warning)
        '    paths: ["src/{editor"]', //   4: a bad glob
        'prioritize:',
        '  holidays: ["2026-13-45"]', //   6: not a date
        '  due-business-days:',
        '    high: 0', //                  8: no day at all
        '  duplicates:',
        '    min-similarity: 80', //       10: a percentage
        '',
      ].join('\n'),
    );
    const result = await run('check-config', file);
    expect(result.code).toBe(1);
    const lines = result.err.split('\n');
    expect(lines.map((l) => /^(error|warning): .*?:(\d+):\d+: (\S+)/.exec(l)?.slice(1, 4).join(' ') ?? l)).toEqual([
      'warning 3 areas[0].owners[0]:',
      'error 4 areas[0].paths[0]:',
      'error 6 prioritize.holidays[0]:',
      'error 8 prioritize.due-business-days.high:',
      'error 10 prioritize.duplicates.min-similarity:',
      `${file}: 4 error(s), 1 warning(s)`,
    ]);
    expect(result.err).toContain('prioritize.duplicates.min-similarity: 80 is not a fraction between 0 and 1; write 0.8 for 80%');
    expect(result.err).toContain('prioritize.due-business-days.high: 0 is too small; write a whole number of business days from 1 to 365');
    expect(result.err).not.toMatch(/expected (int|number)|Too (big|small)/);
  });

  it('a typo still suggests the key', async () => {
    const dir = repo();
    const file = join(dir, 'userloop.yml');
    writeFileSync(file, 'prioritize:\n  holidays: ["2026-02-30"]\n  remind-days-befor: 2\n');
    const result = await run('check-config', '--json', file);
    const json = JSON.parse(result.out) as { errors: Rec[] };
    expect(json.errors).toEqual([
      expect.objectContaining({ line: 2, key: 'prioritize.holidays[0]', message: 'prioritize.holidays[0]: 2026-02-30 is not a real date: February 2026 has 28 days' }),
      expect.objectContaining({ line: 3, key: 'prioritize.remind-days-befor', suggestion: 'remind-days-before' }),
    ]);
  });
});
