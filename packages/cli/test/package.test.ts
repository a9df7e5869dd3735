// The CLI as a team installs it: packed into a tarball, installed into an empty folder with npm (offline:
// the package carries its dependencies inside one bundle), then each command run as a user types it.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim, type Snapshot } from '@userloop/github-sim';
import { DEMO_SNAPSHOT_PATH } from '../src/demo/generate.ts';

const cliRoot = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(join(cliRoot, 'package.json'), 'utf8')) as { version: string }).version;
let home: string;
let bin: string;
let sim: Sim;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'userloop-installed-'));
  const packs = join(home, 'packs');
  mkdirSync(packs);
  // `npm pack` runs the package's prepack script, which bundles dist/userloop.mjs.
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: cliRoot, stdio: 'pipe' });
  const tarball = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
  const project = join(home, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "a-team-repo", "private": true }\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: project, stdio: 'pipe' });
  bin = join(project, 'node_modules', '.bin', 'userloop');
  sim = await startSim({ snapshot: JSON.parse(readFileSync(DEMO_SNAPSHOT_PATH, 'utf8')) as Snapshot });
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the installed command without blocking this process, which also serves the emulator it may call. */
function userloop(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(bin, args, { cwd: home, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: home, ...env } }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

describe('the installed userloop command', () => {
  it('is one package with no dependency to fetch, and says its version and its commands', async () => {
    expect(readdirSync(join(home, 'project', 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['userloop']);
    expect(await userloop(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
    const help = await userloop(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'check-config', 'doctor', 'report', 'demo']) expect(help.out).toContain(`  ${command}`);
    expect(await userloop(['init', '--help'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: userloop init /) });
    expect(await userloop(['doctor', '--help'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: userloop doctor --repo OWNER\/NAME/) });
  });

  it('init writes a repository that check-config accepts; a broken config fails with its line, also as JSON', async () => {
    const repo = join(home, 'repo');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    const init = await userloop(['init', '--dir', repo]);
    expect(init.code).toBe(0);
    expect(init.out).toContain('wrote .github/userloop.yml');
    expect(await userloop(['check-config', join(repo, '.github/userloop.yml')])).toMatchObject({ code: 0, out: expect.stringContaining(': valid') });

    const bad = join(home, 'bad.yml');
    writeFileSync(bad, 'prioritize:\n  lables: {}\n');
    const checked = await userloop(['check-config', '--json', bad]);
    expect(checked.code).toBe(1);
    const json = JSON.parse(checked.out) as { valid: boolean; errors: { line: number; key: string; suggestion?: string }[] };
    expect(json.valid).toBe(false);
    expect(json.errors[0]).toMatchObject({ line: 2, key: 'prioritize.lables', suggestion: 'labels' });
  });

  it('doctor checks a repository through the API, with the workflows init writes carried in the bundle', async () => {
    const doctor = await userloop(['doctor', '--repo', 'lumen-app/lumen', '--api', sim.url, '--json'], { GITHUB_TOKEN: 'demo-token' });
    expect(doctor.err).toContain('userloop doctor: reading lumen-app/lumen');
    const result = JSON.parse(doctor.out) as { ready: boolean; checks: Array<{ section: string; subject: string; status: string }> };
    expect(doctor.code).toBe(result.ready ? 0 : 1);
    expect(result.checks.filter((c) => c.section === 'workflows').map((c) => c.subject)).toContain('.github/workflows/userloop-require-docs.yml');
    expect(result.checks.some((c) => c.section === 'labels' && c.subject === 'prioritize.labels')).toBe(true);
    expect(await userloop(['doctor'])).toMatchObject({ code: 2, err: 'userloop: doctor needs --repo OWNER/NAME\n' });
  });

  it('report reads a repository through the API and prints the report; a wrong command line exits 2', async () => {
    const report = await userloop(['report', '--repo', 'lumen-app/lumen', '--api', sim.url, '--as-of', '2026-11-16'], { GITHUB_TOKEN: 'demo-token' });
    expect(report.err).toContain('reading lumen-app/lumen');
    expect(report.code).toBe(0);
    expect(report.out).toContain('# KPI report 2026-W46');
    expect(await userloop(['report'])).toMatchObject({ code: 2, err: 'userloop: report needs --repo OWNER/NAME\n' });
    expect((await userloop(['frobnicate'])).code).toBe(2);
  });

  it('the demo says it runs from a clone', async () => {
    const demo = await userloop(['demo']);
    expect(demo.code).toBe(1);
    expect(demo.err).toContain('the demo runs from a clone of userloop');
  });
});
