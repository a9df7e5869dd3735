// The reusable KPI workflow: where the action is checked out from when another repository calls it, and
// snapshot caches that cannot leak between repositories whose names share a prefix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './helpers/repo-files.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});
const workflow = rec(parseYaml(readFileSync(path.join(repoRoot, '.github/workflows/kpi-report.yml'), 'utf8')));
const on = rec(workflow['on']);
const jobs = rec(workflow['jobs']);
const stepsOf = (job: string): Rec[] => (rec(jobs[job])['steps'] as unknown[]).map(rec);

describe('kpi-report.yml called from another repository', () => {
  it('requires userloop-repository and userloop-ref (github.* names the caller there), with no default', () => {
    const inputs = rec(rec(on['workflow_call'])['inputs']);
    for (const name of ['userloop-repository', 'userloop-ref']) {
      const spec = rec(inputs[name]);
      expect(spec['required'], name).toBe(true);
      expect(spec['default'], name).toBeUndefined();
      expect(String(spec['description']), name).not.toMatch(/default|empty/i);
    }
  });

  const plan = stepsOf('plan').find((s) => s['id'] === 'plan');
  const script = String(plan?.['run']);

  function runPlan(env: Record<string, string>): { status: number | null; outputs: Record<string, string>; stdout: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'kpi-plan-'));
    const out = path.join(dir, 'output');
    try {
      const r = spawnSync('bash', ['-e', '-c', script], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GITHUB_OUTPUT: out, PERIOD: '', SCHEDULE: '', REPOSITORIES: '', USERLOOP_REPOSITORY: '', USERLOOP_REF: '', ...env },
        encoding: 'utf8',
      });
      let text = '';
      try {
        text = readFileSync(out, 'utf8');
      } catch {
        // no outputs written
      }
      const outputs = Object.fromEntries(text.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      return { status: r.status, outputs, stdout: r.stdout };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('called without the userloop inputs: fails with a clear error instead of checking out the caller', () => {
    const r = runPlan({ CURRENT: 'org/app', CURRENT_SHA: 'c'.repeat(40), GITHUB_WORKFLOW_REF: 'org/app/.github/workflows/weekly.yml@refs/heads/main' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error::Called as a reusable workflow');
    expect(r.outputs['userloop-repository']).toBeUndefined();
  });

  it('called with them: checks out the named repository and commit', () => {
    const r = runPlan({
      CURRENT: 'org/app',
      CURRENT_SHA: 'c'.repeat(40),
      GITHUB_WORKFLOW_REF: 'org/app/.github/workflows/weekly.yml@refs/heads/main',
      USERLOOP_REPOSITORY: 'owner/userloop',
      USERLOOP_REF: 'a'.repeat(40),
    });
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ 'userloop-repository': 'owner/userloop', 'userloop-ref': 'a'.repeat(40), repositories: '["org/app"]', period: 'week' });
  });

  it('run here (schedule or by hand): this repository at this run\'s commit', () => {
    const r = runPlan({ CURRENT: 'owner/userloop', CURRENT_SHA: 'b'.repeat(40), GITHUB_WORKFLOW_REF: 'owner/userloop/.github/workflows/kpi-report.yml@refs/heads/main' });
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ 'userloop-repository': 'owner/userloop', 'userloop-ref': 'b'.repeat(40) });
  });
});

describe('kpi-report.yml snapshot cache', () => {
  const cache = rec(stepsOf('collect').find((s) => String(s['uses']).startsWith('actions/cache@'))?.['with']);
  const expand = (template: string, repository: string): string =>
    template
      .replace(/\$\{\{\s*matrix\.repository\s*\}\}/g, repository)
      .replace(/\$\{\{\s*github\.run_id\s*\}\}/g, '123')
      .replace(/\$\{\{\s*github\.run_attempt\s*\}\}/g, '1');

  it('a repository restores its own snapshot', () => {
    expect(expand(String(cache['key']), 'org/app').startsWith(expand(String(cache['restore-keys']), 'org/app'))).toBe(true);
  });

  it.each([
    ['org/app', 'org/app-docs'],
    ['org/app', 'org/app.js'],
    ['org/app', 'org/app_v2'],
    ['org/a', 'org/a-1'],
  ])('%s does not restore the snapshot of %s', (mine, other) => {
    expect(expand(String(cache['key']), other).startsWith(expand(String(cache['restore-keys']), mine))).toBe(false);
  });
});
