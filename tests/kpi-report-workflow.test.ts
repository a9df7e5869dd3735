// The reusable KPI workflow: where the action is checked out from when another repository calls it, and
// snapshot caches that cannot leak between repositories whose names share a prefix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('kpi-report.yml on GitHub Enterprise Server and with one repository', () => {
  const script = String(stepsOf('plan').find((s) => s['id'] === 'plan')?.['run']);
  const plan = (serverUrl: string, repositories: string): Record<string, string> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kpi-plan-'));
    const out = path.join(dir, 'output');
    try {
      const r = spawnSync('bash', ['-e', '-c', script], {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          GITHUB_OUTPUT: out,
          PERIOD: '',
          SCHEDULE: '',
          REPOSITORIES: repositories,
          CURRENT: 'org/app',
          CURRENT_SHA: 'c'.repeat(40),
          GITHUB_WORKFLOW_REF: 'org/app/.github/workflows/kpi-report.yml@refs/heads/main',
          USERLOOP_REPOSITORY: '',
          USERLOOP_REF: '',
          SERVER_URL: serverUrl,
        },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      return Object.fromEntries(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it.each([
    ['https://github.com', 'org/app, org/docs', { artifacts: 'true', 'fan-out': 'true' }],
    ['https://github.com', '', { artifacts: 'true', 'fan-out': 'false', 'snapshot-key': 'org/app' }],
    ['https://octo.ghe.com', 'org/app, org/docs', { artifacts: 'true', 'fan-out': 'true' }],
    ['https://ghes.example.com', 'org/app, org/docs', { artifacts: 'false', 'fan-out': 'false', 'snapshot-key': 'org/app+org/docs' }],
    ['https://ghes.example.com', '', { artifacts: 'false', 'fan-out': 'false' }],
  ])('%s, repositories %j: %j', (serverUrl, repositories, expected) => {
    expect(plan(serverUrl, repositories)).toMatchObject(expected);
  });

  it('no artifact action runs when artifacts are off (GHES): the fan-out job is skipped, every artifact step of the report job is guarded', () => {
    expect(String(rec(jobs['collect'])['if'])).toContain("needs.plan.outputs.fan-out == 'true'");
    const report = rec(jobs['report']);
    // The report job runs when collect is skipped.
    expect(String(report['if'])).toContain("needs.collect.result == 'skipped'");
    for (const step of stepsOf('report').filter((s) => /^actions\/(upload|download)-artifact@/.test(String(s['uses'])))) {
      expect(String(step['if']), JSON.stringify(step)).toMatch(/needs\.plan\.outputs\.(fan-out == 'true'|artifacts == 'true')|steps\.earlier\.outputs\.run-id != ''/);
    }
    const earlier = stepsOf('report').find((s) => s['id'] === 'earlier');
    expect(String(earlier?.['if'])).toContain("needs.plan.outputs.artifacts == 'true'");
  });

  it('one job reads and renders when there is no fan-out: collect then render from the same directory, no records artifact', () => {
    const steps = stepsOf('report');
    const collect = steps.find((s) => s['id'] === 'collect');
    const render = steps.find((s) => s['id'] === 'report');
    expect(rec(collect?.['with'])).toMatchObject({ mode: 'collect', 'snapshot-path': '.kpi/snapshot.json', 'data-path': '.kpi/records/records.json' });
    expect(String(collect?.['if'])).toBe("needs.plan.outputs.fan-out != 'true'");
    expect(rec(render?.['with'])).toMatchObject({ mode: 'render', 'data-dir': '.kpi/records' });
  });
});

describe('kpi-report.yml snapshot kept longer than the cache (a 90-day artifact of an earlier run)', () => {
  const find = stepsOf('collect').find((s) => s['id'] === 'earlier');
  const script = String(find?.['run']);

  /** Runs the lookup with `curl` answering `listing` (GET /repos/{owner}/{repo}/actions/artifacts). */
  function lookUp(listing: unknown, snapshotExists = false): { status: number | null; outputs: Record<string, string>; url: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'kpi-snap-'));
    try {
      const bin = path.join(dir, 'bin');
      spawnSync('mkdir', ['-p', bin, path.join(dir, 'work', '.kpi')]);
      writeFileSync(path.join(dir, 'listing.json'), JSON.stringify(listing));
      writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\nfor a in "$@"; do last="$a"; done\nprintf '%s' "$last" > "${dir}/url"\ncat "${dir}/listing.json"\n`, { mode: 0o755 });
      if (snapshotExists) writeFileSync(path.join(dir, 'work', '.kpi', 'snapshot.json'), '{}');
      const out = path.join(dir, 'output');
      const r = spawnSync('bash', ['-e', '-c', script], {
        cwd: path.join(dir, 'work'),
        env: { PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, GITHUB_OUTPUT: out, GH_TOKEN: 't', REPOSITORIES: 'org/app', GITHUB_API_URL: 'https://api.github.com', GITHUB_REPOSITORY: 'org/app' },
        encoding: 'utf8',
      });
      const text = readFileSync(out, 'utf8');
      let url = '';
      try {
        url = readFileSync(path.join(dir, 'url'), 'utf8');
      } catch {
        // curl not called
      }
      return { status: r.status, outputs: Object.fromEntries(text.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])), url };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const artifact = (runId: number, extra: Record<string, unknown> = {}) => ({
    name: 'userloop-kpi-snapshot-org_app',
    expired: false,
    workflow_run: { id: runId, repository_id: 1, head_repository_id: 1, head_branch: 'main' },
    ...extra,
  });

  it("picks the newest unexpired artifact of this repository's own runs, never a fork's or an expired one", () => {
    const r = lookUp({
      total_count: 4,
      artifacts: [
        artifact(40, { workflow_run: { id: 40, repository_id: 1, head_repository_id: 99, head_branch: 'main' } }), // a fork's pull request
        artifact(30, { expired: true }),
        artifact(20),
        artifact(10),
      ],
    });
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ name: 'userloop-kpi-snapshot-org_app', 'run-id': '20' });
    expect(r.url).toBe('https://api.github.com/repos/org/app/actions/artifacts?name=userloop-kpi-snapshot-org_app&per_page=20');
  });

  it('none found: no run id, so the download is skipped and the run reads everything', () => {
    expect(lookUp({ total_count: 0, artifacts: [] }).outputs).toEqual({ name: 'userloop-kpi-snapshot-org_app', 'run-id': '' });
  });

  it('the cache had the snapshot: no lookup', () => {
    const r = lookUp({ total_count: 1, artifacts: [artifact(20)] }, true);
    expect(r.outputs).toEqual({ name: 'userloop-kpi-snapshot-org_app' });
    expect(r.url).toBe('');
  });

  it('the snapshot is uploaded for 90 days under the name the next run looks for', () => {
    const upload = stepsOf('collect').find((s) => s['name'] === 'Keep the snapshot for the next run');
    expect(rec(upload?.['with'])).toMatchObject({ name: '${{ steps.earlier.outputs.name }}', path: '.kpi/snapshot.json', 'retention-days': 90 });
    expect(rec(rec(jobs['collect'])['permissions'])['actions']).toBe('read');
    expect(rec(rec(jobs['report'])['permissions'])['actions']).toBe('read');
  });
});
