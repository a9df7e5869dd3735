import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionlintFindings,
  expressionInRunFindings,
  formatFindings,
  permissionsFindings,
  pinningFindings,
  type Finding,
} from './helpers/checks.ts';
import { discover, fixturesRoot, isPinned, parse, repoRoot, type ParsedFile } from './helpers/repo-files.ts';

const real = discover(repoRoot).map(parse);
const clean = discover(path.join(fixturesRoot, 'clean')).map(parse);
const violations = discover(path.join(fixturesRoot, 'violations')).map(parse);

type Check = (f: ParsedFile) => Finding[] | Promise<Finding[]>;
const checks: Record<string, Check> = {
  actionlint: actionlintFindings,
  permissions: permissionsFindings,
  'pinned uses': pinningFindings,
  'no ${{ in composite run': expressionInRunFindings,
};

async function run(check: Check, files: ParsedFile[]): Promise<Finding[]> {
  return (await Promise.all(files.map(async (f) => check(f)))).flat();
}

/** `file:line [rule]` keys, sorted, for exact comparisons. */
const keys = (findings: Finding[]): string[] =>
  findings.map((f) => `${f.file}${f.line !== undefined ? `:${f.line}` : ''} [${f.rule}]`).sort();

describe('the real tree (.github/workflows/*, actions/*/action.yml)', () => {
  for (const [name, check] of Object.entries(checks)) {
    it(`passes: ${name}`, async () => {
      const findings = await run(check, real);
      expect(findings, formatFindings(findings)).toEqual([]);
    });
  }
});

describe('the checks catch violations (tests/fixtures)', () => {
  it('discovers the fixture files dynamically', () => {
    expect(clean.map((f) => f.rel)).toEqual(['.github/workflows/ci.yml', '.github/workflows/report.yml', 'actions/hello/action.yml']);
    expect(violations.map((f) => f.rel)).toEqual([
      '.github/workflows/lint-error.yml',
      '.github/workflows/no-permissions.yml',
      '.github/workflows/unpinned.yml',
      'actions/expr-in-run/action.yml',
      'actions/lint-error/action.yml',
      'actions/unquoted/action.yml',
    ]);
  });

  it('passes the clean forms of every check', async () => {
    for (const check of Object.values(checks)) {
      const findings = await run(check, clean);
      expect(findings, formatFindings(findings)).toEqual([]);
    }
  });

  it('actionlint: workflow expression errors, and composite steps linted with source lines', async () => {
    const findings = await run(actionlintFindings, violations);
    expect(keys(findings)).toEqual([
      '.github/workflows/lint-error.yml:10 [actionlint/expression]',
      '.github/workflows/lint-error.yml:11 [actionlint/expression]',
      'actions/lint-error/action.yml [action-metadata]',
      'actions/lint-error/action.yml:11 [actionlint/expression]',
    ]);
    const messages = formatFindings(findings);
    expect(messages).toContain('undefined variable "foo"');
    expect(messages).toContain('"github.event.issue.title" is potentially untrusted');
    expect(messages).toContain('property "nmae" is not defined');
    expect(messages).toContain("runs.steps[1]: a composite 'run:' step must set 'shell:'");
  });

  it('permissions: a job without permissions in a workflow without top-level ones', async () => {
    const findings = await run(permissionsFindings, violations);
    expect(keys(findings)).toEqual(['.github/workflows/no-permissions.yml:5 [permissions]']);
    expect(findings[0]?.message).toContain("job 'build'");
  });

  it('pinned uses: a tag reference is caught, a SHA and a local action pass', async () => {
    const findings = await run(pinningFindings, violations);
    expect(findings.map((f) => f.message)).toEqual([
      "jobs.build.steps[0]: 'uses: actions/checkout@v4' is not pinned to a 40-character commit SHA",
    ]);
    expect(isPinned('./actions/prioritize')).toBe(true);
    expect(isPinned('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683')).toBe(true);
    expect(isPinned('octo-org/shared/.github/workflows/x.yml@0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isPinned('actions/checkout@11bd719')).toBe(false);
    expect(isPinned('actions/checkout@main')).toBe(false);
    expect(isPinned('docker://alpine:3.20')).toBe(false);
    expect(isPinned(`docker://alpine@sha256:${'a'.repeat(64)}`)).toBe(true);
  });

  it('no ${{ in composite run: caught with its line', async () => {
    const findings = await run(expressionInRunFindings, violations);
    expect(keys(findings)).toEqual(['actions/expr-in-run/action.yml:11 [expression-in-run]']);
  });
});
