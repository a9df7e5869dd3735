import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { actionlintFindings, permissionsFindings } from '../../../tests/helpers/checks.ts';
import { discover, parse } from '../../../tests/helpers/repo-files.ts';
import { cli } from '../src/main.ts';
import { initFiles } from '../src/init.ts';

const dirs: string[] = [];
function tempDir(git: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'userloop-init-'));
  dirs.push(dir);
  if (git) execFileSync('git', ['init', '-q', dir]);
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

describe('userloop init', () => {
  it('writes workflows that pass actionlint and declare permissions, and a config check-config accepts', async () => {
    const dir = tempDir(true);
    const result = await run('init', '--dir', dir);
    expect(result.code).toBe(0);
    const workflows = discover(dir).filter((f) => f.kind === 'workflow');
    expect(workflows.map((f) => f.rel)).toEqual([
      '.github/workflows/userloop-draft-release-notes.yml',
      '.github/workflows/userloop-kpi-report.yml',
      '.github/workflows/userloop-notify-requesters.yml',
      '.github/workflows/userloop-prioritize.yml',
      '.github/workflows/userloop-require-docs.yml',
    ]);
    for (const wf of workflows) {
      const parsed = parse(wf);
      expect(await actionlintFindings(parsed), wf.rel).toEqual([]);
      expect(permissionsFindings(parsed), wf.rel).toEqual([]);
    }
    const check = await run('check-config', join(dir, '.github/userloop.yml'));
    expect(check.err).toBe('');
    expect(check.out).toContain('userloop.yml: valid');
    expect(check.code).toBe(0);
  });

  it('refuses a directory outside a git repository with a clear message', async () => {
    const dir = tempDir(false);
    const result = await run('init', '--dir', dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/is not inside a git repository; run `git init` there first/);
  });

  it('never overwrites without --force, lists what is in the way, and --force overwrites', async () => {
    const dir = tempDir(true);
    mkdirSync(join(dir, '.github'), { recursive: true });
    writeFileSync(join(dir, '.github/userloop.yml'), 'areas: []\n');
    const refused = await run('init', '--dir', dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('  .github/userloop.yml');
    expect(readFileSync(join(dir, '.github/userloop.yml'), 'utf8')).toBe('areas: []\n');
    const forced = await run('init', '--dir', dir, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, '.github/userloop.yml'), 'utf8')).toContain('The ownership map');
  });

  it('--dry-run prints every file and writes none', async () => {
    const dir = tempDir(true);
    const result = await run('init', '--dir', dir, '--dry-run');
    expect(result.code).toBe(0);
    for (const file of initFiles()) expect(result.out).toContain(`--- ${file.path}`);
    expect(discover(dir)).toEqual([]);
  });
});

describe('userloop check-config', () => {
  it('names file, line, column and the suggested key for a misspelt key', async () => {
    const dir = tempDir(false);
    const file = join(dir, 'userloop.yml');
    writeFileSync(file, 'areas:\n  - name: Editor\n    lables: [editor]\n');
    const result = await run('check-config', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:3:5: unknown key 'lables' in areas[0]; did you mean 'labels'?`);
  });

  it('says clearly when the file does not exist', async () => {
    const result = await run('check-config', '/nonexistent/userloop.yml');
    expect(result.code).toBe(2);
    expect(result.err).toBe('userloop: /nonexistent/userloop.yml: no such file (pass the path of your userloop.yml)');
  });

  it('rejects an unknown command with the usage', async () => {
    const result = await run('frobnicate');
    expect(result.code).toBe(2);
    expect(result.err).toContain("unknown command 'frobnicate'");
    expect(result.err).toContain('Usage: userloop <command>');
  });
});
