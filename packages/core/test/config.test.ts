import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closestMatch,
  ConfigError,
  configSchema,
  defaultConfig,
  editDistance,
  formatConfigIssue,
  loadConfig,
  MAX_REPORTED_ISSUES,
  MAX_CONFIG_BYTES,
  parseConfig,
  requireValidConfig,
  sections,
} from '../src/index.ts';

const FILE = '.github/userloop.yml';

describe('parseConfig', () => {
  it('reports a misspelt key with file, line, column, key path and the closest valid key', () => {
    const text = ['areas:', '  - name: CLI', '    lables: [cli]', '    owners: ["@octocat"]', ''].join('\n');
    const { errors, config } = parseConfig(text, FILE);
    expect(errors).toEqual([
      {
        file: FILE,
        line: 3,
        column: 5,
        key: 'areas[0].lables',
        message: "unknown key 'lables' in areas[0]; did you mean 'labels'?",
        suggestion: 'labels',
      },
    ]);
    expect(formatConfigIssue(errors[0]!)).toBe(
      ".github/userloop.yml:3:5: unknown key 'lables' in areas[0]; did you mean 'labels'?",
    );
    // No config to use by mistake: a result with errors has none.
    expect(config).toBeNull();
  });

  it('suggests the closest key inside an action section (prioritize.lables -> labels)', () => {
    const { errors } = parseConfig('prioritize:\n  lables: {}\n', FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      line: 2,
      column: 3,
      key: 'prioritize.lables',
      message: "unknown key 'lables' in prioritize; did you mean 'labels'?",
      suggestion: 'labels',
    });
  });

  it('suggests the closest section for a misspelt top-level key', () => {
    const { errors } = parseConfig('bots: []\nprioritise: {}\n', FILE);
    expect(errors).toEqual([
      {
        file: FILE,
        line: 2,
        column: 1,
        key: 'prioritise',
        message: "unknown key 'prioritise' at the top level; did you mean 'prioritize'?",
        suggestion: 'prioritize',
      },
    ]);
  });

  it('lists the valid keys when nothing is close', () => {
    const { errors } = parseConfig('areas:\n  - name: x\n    zzzzzzzz: 1\n', FILE);
    expect(errors[0]?.message).toBe(
      "unknown key 'zzzzzzzz' in areas[0]; valid keys: name, description, labels, paths, owners",
    );
    expect(errors[0]?.suggestion).toBeUndefined();
  });

  it('locates invalid values at the value, with the key path', () => {
    const text = 'areas:\n  - name: CLI\n    labels: [cli]\n    owners:\n      - "@octocat"\n      - octocat\n';
    const { errors } = parseConfig(text, FILE);
    expect(errors).toEqual([
      {
        file: FILE,
        line: 6,
        column: 9,
        key: 'areas[0].owners[1]',
        message: 'areas[0].owners[1]: expected a user "@login" or a team "@org/team"',
      },
    ]);
  });

  it('reports a missing required key and a wrong type', () => {
    const { errors } = parseConfig('areas:\n  - labels: [a]\nbots: true\n', FILE);
    expect(errors.map((e) => [e.line, e.column, e.key, e.message])).toEqual([
      [2, 5, 'areas[0].name', "missing required key 'name' in areas[0]"],
      [3, 7, 'bots', 'bots: expected a list (`[a, b]`, or one `- item` per line), found true'],
    ]);
  });

  it('reports duplicate area names', () => {
    const { errors } = parseConfig('areas:\n  - name: CLI\n    labels: [a]\n  - name: cli\n    labels: [b]\n', FILE);
    expect(errors.map((e) => [e.line, e.key, e.message])).toEqual([[4, 'areas[1].name', "areas[1].name: duplicate area name 'cli'"]]);
  });

  it('treats an empty file, a comments-only file and an empty section as defaults', () => {
    for (const text of ['', '   \n', '# nothing yet\n', 'prioritize:\n  # labels: {}\n']) {
      const result = parseConfig(text, FILE);
      expect(result.errors).toEqual([]);
      expect(result.config).toEqual(defaultConfig());
    }
  });

  it('gives every registered section a default, so an empty file parses', () => {
    expect(() => configSchema.parse({})).not.toThrow();
    expect(Object.keys(defaultConfig()).sort()).toEqual(Object.keys(sections).sort());
  });

  it('applies defaults inside an area and keeps what was written', () => {
    const { config, errors, warnings } = parseConfig('areas:\n  - name: CLI\n    paths: ["src/cli/**"]\n    owners: ["@org/cli-team"]\n', FILE);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config!.areas).toEqual([{ name: 'CLI', labels: [], paths: ['src/cli/**'], owners: ['@org/cli-team'] }]);
  });

  it('prioritize.required-info: the bug form by default; a rule needs a form or labels, with the line of the rule', () => {
    expect(defaultConfig().prioritize['required-info']).toEqual([{ form: 'bug', fields: ['what-happened', 'steps', 'expected', 'version', 'logs'] }]);
    expect(defaultConfig().prioritize['needs-info-label']).toBe('needs info');
    const ok = parseConfig('prioritize:\n  required-info:\n    - labels: [crash]\n      fields: [version]\n  needs-info-label: waiting for details\n', FILE);
    expect(ok.errors).toEqual([]);
    expect(ok.config!.prioritize['required-info']).toEqual([{ labels: ['crash'], fields: ['version'] }]);
    const { errors } = parseConfig('prioritize:\n  required-info:\n    - fields: [version]\n    - form: bug\n      fields: []\n', FILE);
    expect(errors.map((e) => [e.line, e.key, e.message])).toEqual([
      [3, 'prioritize.required-info[0]', 'prioritize.required-info[0]: a rule needs a `form` or `labels` to match'],
      [5, 'prioritize.required-info[1].fields', 'prioritize.required-info[1].fields: name at least one field'],
    ]);
  });

  it('prioritize.needs-design: the checklist offers no placeholder, the owners line `{owners}`', () => {
    const { errors } = parseConfig('prioritize:\n  needs-design:\n    checklist: "Why? {author}"\n    owners: "{owner} decide"\n', FILE);
    expect(errors.map((e) => [e.line, e.key, e.suggestion])).toEqual([
      [3, 'prioritize.needs-design.checklist', undefined],
      [4, 'prioritize.needs-design.owners', '{owners}'],
    ]);
  });

  it('prioritize.proposals: on by default with its heading and phrases; the question offers `{reporter}`, `{by}`, `{link}`; a misspelt key is named', () => {
    const proposals = defaultConfig().prioritize.proposals;
    expect(proposals.enabled).toBe(true);
    expect(proposals.heading).toBe('Proposed solution');
    expect(proposals.phrases.yes).toContain('it works');
    expect(proposals.phrases.no).toContain("doesn't work");
    const ok = parseConfig('prioritize:\n  proposals:\n    heading: Workaround\n    phrases:\n      yes: [works]\n', FILE);
    expect(ok.errors).toEqual([]);
    expect(ok.config!.prioritize.proposals).toMatchObject({ heading: 'Workaround', phrases: { yes: ['works'], no: proposals.phrases.no } });
    const { errors } = parseConfig('prioritize:\n  proposals:\n    ask: "{reportr}, does it help?"\n    heding: Fix\n', FILE);
    expect(errors.map((e) => [e.line, e.key, e.suggestion])).toEqual([
      [3, 'prioritize.proposals.ask', '{reporter}'],
      [4, 'prioritize.proposals.heding', 'heading'],
    ]);
  });

  it('warns about an area nothing can belong to', () => {
    const { warnings, errors } = parseConfig('areas:\n  - name: Ghost\n', FILE);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      { file: FILE, line: 2, column: 5, key: 'areas[0]', message: "area 'Ghost' has no labels and no paths, so nothing will belong to it" },
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const { errors } = parseConfig('bots: [a, b\nareas: []\n', FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: FILE, line: 2, column: 1, key: '' });
    expect(errors[0]?.message).toMatch(/^YAML syntax error: Flow sequence in block collection must be sufficiently indented/);
  });

  it('reports duplicate keys', () => {
    const { errors } = parseConfig('bots: []\nbots: [x]\n', FILE);
    expect(errors[0]).toMatchObject({ line: 2, column: 1, message: 'YAML syntax error: Map keys must be unique' });
  });

  it('rejects a top level that is not a mapping', () => {
    expect(parseConfig('- areas\n- bots\n', FILE).errors).toEqual([
      { file: FILE, line: 1, column: 1, key: '', message: 'the top level must be a mapping of sections (for example `prioritize:`)' },
    ]);
    expect(parseConfig('just text\n', FILE).errors[0]?.message).toBe(
      'the top level must be a mapping of sections (for example `prioritize:`)',
    );
  });

  it('stops an alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']] as const) {
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    const { errors } = parseConfig(`${lines.join('\n')}\n`, FILE);
    expect(errors).toEqual([
      { file: FILE, line: 1, column: 1, key: '', message: 'too many YAML aliases (more than 100); this looks like an alias bomb' },
    ]);
  });

  it('rejects a file over 1 MiB', () => {
    const text = `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    expect(parseConfig(text, FILE).errors).toEqual([
      { file: FILE, line: 1, column: 1, key: '', message: `the file is too large (${MAX_CONFIG_BYTES + 3} bytes; the limit is ${MAX_CONFIG_BYTES} bytes)` },
    ]);
  });

  it('never throws for garbage', () => {
    for (const text of ['{{{{', '!!binary ???', ': : :', '\t- x', 'a: !!int nope', '\u0000']) {
      expect(() => parseConfig(text, FILE)).not.toThrow();
    }
  });
});

describe('parseConfig on huge files: linear, with a cap on what is reported', () => {
  it('reports 100,000 unknown keys as the first 50 in line order and a count of the rest', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1\n`).join('');
    const started = performance.now();
    const result = parseConfig(text, FILE);
    const { errors } = result;
    const omittedErrors = result.config === null ? result.omittedErrors : undefined;
    // Measured as a note only (2 shared cores, busy): 1-2 s, most of it the YAML parser itself.
    console.info(`100,000 unknown keys: ${Math.round(performance.now() - started)} ms`);
    expect(errors).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(errors.slice(0, 3).map((e) => [e.line, e.key])).toEqual([[1, 'k0'], [2, 'k1'], [3, 'k2']]);
    expect(errors[49]).toMatchObject({ line: 50, key: 'k49', message: expect.stringMatching(/^unknown key 'k49' at the top level; valid keys: areas, bots, /) });
    expect(errors[50]).toEqual({ file: FILE, line: 51, column: 1, key: '', message: '99950 more errors not listed (only the first 50 in line order are); fix these and check again' });
    expect(omittedErrors).toBe(99_950);
    expect(() => requireValidConfig({ config: null, warnings: [], errors, ...(omittedErrors === undefined ? {} : { omittedErrors }) })).toThrow(/^\.github\/userloop\.yml has 100000 errors:/);
  });

  it('finds 50,000 repeated keys in one pass, and lists the first 50', () => {
    const text = `prioritize:\n${'  labels: {}\n'.repeat(50_000)}`;
    const result = parseConfig(text, FILE);
    const { errors } = result;
    const omittedErrors = result.config === null ? result.omittedErrors : undefined;
    expect(errors[0]).toMatchObject({ line: 3, column: 3, message: 'YAML syntax error: Map keys must be unique' });
    expect(errors).toHaveLength(51);
    expect(omittedErrors).toBe(49_999 - 50);
  });

  it('orders errors of several sections by line, unknown keys and wrong values together', () => {
    const text = 'prioritize:\n  lables: {}\nbots: 3\nareas: x\nbost: []\n';
    expect(parseConfig(text, FILE).errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
  });

  it('searches no suggestion for a key of half a megabyte (the search is bounded)', () => {
    const key = 'p'.repeat(500_000);
    const { errors } = parseConfig(`? ${key}\n: 1\n`, FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`unknown key '${'p'.repeat(100)}…' at the top level; valid keys: ${Object.keys(sections).join(', ')}`);
    expect(errors[0]!.suggestion).toBeUndefined();
  });
});

describe('requireValidConfig', () => {
  it('throws a ConfigError carrying every issue, formatted with file:line:column', () => {
    const result = parseConfig('bots: 1\nprioritise: {}\n', FILE);
    let thrown: unknown;
    try {
      requireValidConfig(result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(
      [
        '.github/userloop.yml has 2 errors:',
        '  .github/userloop.yml:1:7: bots: expected a list (`[a, b]`, or one `- item` per line), found 1',
        "  .github/userloop.yml:2:1: unknown key 'prioritise' at the top level; did you mean 'prioritize'?",
      ].join('\n'),
    );
  });

  it('returns the config when there are no errors', () => {
    expect(requireValidConfig(parseConfig('bots: [renovate]\n', FILE)).bots).toEqual(['renovate']);
  });
});

describe('closestMatch', () => {
  it('gives no suggestion for an input over 100 characters, and skips candidates too long or short to be a typo', () => {
    expect(closestMatch('x'.repeat(101), ['x'.repeat(100)])).toBeUndefined();
    expect(closestMatch('lables', ['a'.repeat(100_000), 'labels'])).toBe('labels');
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('lables', 'labels')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('ignores case and _ versus -', () => {
    expect(closestMatch('Require_Docs', ['require-docs', 'prioritize'])).toBe('require-docs');
  });

  it('returns nothing when no candidate is plausible', () => {
    expect(closestMatch('zzz', ['labels', 'owners'])).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
});

describe('loadConfig from the workspace', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads the checked-out file when it is there', async () => {
    dir = await mkdtemp(join(tmpdir(), 'userloop-config-'));
    await mkdir(join(dir, '.github'));
    await writeFile(join(dir, '.github/userloop.yml'), 'bots: [renovate]\n');
    const result = await loadConfig({ owner: 'o', repo: 'r', workspace: dir });
    expect(result.source).toBe('workspace');
    expect(result.errors).toEqual([]);
    expect(result.config!.bots).toEqual(['renovate']);
  });

  it('reports errors in the workspace file against its repository path', async () => {
    dir = await mkdtemp(join(tmpdir(), 'userloop-config-'));
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config/loop.yml'), 'bost: []\n');
    const result = await loadConfig({ owner: 'o', repo: 'r', workspace: dir, path: 'config/loop.yml' });
    expect(result.errors).toEqual([
      { file: 'config/loop.yml', line: 1, column: 1, key: 'bost', message: "unknown key 'bost' at the top level; did you mean 'bots'?", suggestion: 'bots' },
    ]);
  });

  it('is an error naming config-path when the path the user chose is missing, or a directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'userloop-config-'));
    await mkdir(join(dir, 'config'));
    const missing = await loadConfig({ owner: 'o', repo: 'r', workspace: dir, path: 'config/nope.yml' });
    expect(missing.errors.map((e) => [e.file, e.message])).toEqual([
      ['config/nope.yml', "config-path 'config/nope.yml' does not exist (not in the checkout, not in o/r). Fix the `config-path` input, or remove it to use .github/userloop.yml."],
    ]);
    const directory = await loadConfig({ owner: 'o', repo: 'r', workspace: dir, path: 'config' });
    expect(directory.errors.map((e) => e.message)).toEqual(["config-path 'config' is a directory, not a file: name the YAML file (for example .github/userloop.yml)."]);
    // The default path, missing: every default, as before.
    expect((await loadConfig({ owner: 'o', repo: 'r', workspace: dir, path: './.github/userloop.yml' })).errors).toEqual([]);
  });

  it('means defaults when there is no file and no client', async () => {
    dir = await mkdtemp(join(tmpdir(), 'userloop-config-'));
    const result = await loadConfig({ owner: 'o', repo: 'r', workspace: dir });
    expect(result).toEqual({ config: defaultConfig(), warnings: [], errors: [], source: 'default' });
  });
});
