import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatFindings,
  SHELLCHECK_INSTALL_HINT,
  shellcheckFindings,
  shellcheckVersion,
  shellDialect,
  withPlaceholders,
} from './helpers/checks.ts';
import { discover, fixturesRoot, parse, repoRoot, runScripts, type RunScript } from './helpers/repo-files.ts';

const scriptsOf = (root: string): RunScript[] => discover(root).map(parse).flatMap(runScripts);

function requireShellcheck(): void {
  if (shellcheckVersion() === undefined) throw new Error(SHELLCHECK_INSTALL_HINT);
}

describe('shellcheck of every run: script', () => {
  beforeAll(requireShellcheck);

  it('shellcheck is installed', () => {
    expect(shellcheckVersion(), SHELLCHECK_INSTALL_HINT).toMatch(/^\d+\.\d+/);
  });

  it('passes on the real tree (.github/workflows/*, actions/*/action.yml)', () => {
    const findings = scriptsOf(repoRoot).flatMap(shellcheckFindings);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('passes the clean fixtures, including a workflow script with an expression', () => {
    const scripts = scriptsOf(path.join(fixturesRoot, 'clean'));
    expect(scripts.length).toBe(3);
    expect(scripts.some((s) => s.script.includes('${{'))).toBe(true);
    const findings = scripts.flatMap(shellcheckFindings);
    expect(findings, formatFindings(findings)).toEqual([]);
  });

  it('catches SC2086 in the violation fixtures, at the line in the file', () => {
    const scripts = scriptsOf(path.join(fixturesRoot, 'violations'));
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    const findings = scripts.flatMap(shellcheckFindings);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(['actions/unquoted/action.yml:15 SC2086']);
  });

  it('treats an unquoted ${{ }} in a workflow script like an unquoted variable', () => {
    const base = { rel: 'inline.yml', where: 'jobs.a.steps[0]', line: 10, shell: 'bash' };
    expect(shellcheckFindings({ ...base, script: 'echo ${{ github.sha }}\n' }).map((f) => [f.rule, f.line])).toEqual([['SC2086', 10]]);
    expect(shellcheckFindings({ ...base, script: 'echo "${{ github.sha }}"\n' })).toEqual([]);
    // Not a shell script: not checked.
    expect(shellcheckFindings({ ...base, shell: 'python', script: 'print( $x )' })).toEqual([]);
  });
});

describe('script extraction helpers', () => {
  it('replaces each expression with its own placeholder variable', () => {
    expect(withPlaceholders('a ${{ x }} b "${{ y.z }}" ${{ format(\'{0}\', 1) }}')).toBe('a ${GHA_EXPR_1} b "${GHA_EXPR_2}" ${GHA_EXPR_3}');
  });

  it('maps step shells to shellcheck dialects', () => {
    expect(shellDialect('bash')).toBe('bash');
    expect(shellDialect('bash -e {0}')).toBe('bash');
    expect(shellDialect('/usr/bin/sh {0}')).toBe('sh');
    expect(shellDialect('pwsh')).toBeUndefined();
    expect(shellDialect('node {0}')).toBeUndefined();
  });
});
