// userloop's own release workflow on the emulated platform: a release published by a person moves the major
// tag `vX` to its commit once the committed bundles match a rebuild; pre-releases, older patch releases,
// releases published with a GITHUB_TOKEN and stale bundles move nothing. The version rules (move, keep,
// a new major) run the tag job's script directly: each workflow run reinstalls the workspace for its check.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS_BOT, createPlatform, GITHUB_TOKEN, startSim, type Platform, type PlatformRun, type Sim } from '../packages/github-sim/src/index.ts';
import { repoRoot } from './helpers/repo-files.ts';

const REPO = 'userloop/userloop';
const MAINTAINER = 'maria';
const WORKFLOW = '.github/workflows/release.yml';
/** What a copy of the repository leaves out: installed and generated directories, other workflows. */
const SKIP = new Set(['node_modules', '.git', '.turbo', 'tmp', 'coverage']);

let sim: Sim;
let platform: Platform;
let checkout: string;

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${String(r.status)}):\n${r.stdout}\n${r.stderr}`);
}

beforeAll(async () => {
  // The repository as a maintainer has it, with bundles rebuilt from its sources (the release's commit is
  // one whose bundles CI checked), and only the release workflow: the test is about that workflow.
  checkout = mkdtempSync(path.join(os.tmpdir(), 'userloop-release-'));
  cpSync(repoRoot, checkout, {
    recursive: true,
    filter: (src) => !SKIP.has(path.basename(src)) && !(path.dirname(src) === path.join(repoRoot, '.github', 'workflows') && src !== path.join(repoRoot, WORKFLOW)),
  });
  sh('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], checkout);
  sh('node', ['scripts/bundle.mjs'], checkout);
  sim = await startSim();
  const [owner, name] = REPO.split('/') as [string, string];
  sim.store.createRepo({ owner, name, collaborators: { [MAINTAINER]: 'admin' } });
  platform = createPlatform({ sim, repository: REPO, checkout });
}, 180_000);

afterAll(async () => {
  await platform?.settle();
  await sim?.stop();
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

const tagSha = (tag: string): string | undefined => sim.store.mustRepo(REPO).refs.get(`refs/tags/${tag}`);
const lastRun = (): number => platform.runs.at(-1)?.id ?? 0;

/** A new commit on `branch` (default: main), the commit a release is then published from. */
const commit = (message: string, branch?: string): string => platform.push({ by: MAINTAINER, message, ...(branch ? { branch } : {}) });

/** Publishes a release and returns the runs of the release workflow it started, settled. */
async function publish(tag: string, target: string, options: { prerelease?: boolean; by?: string } = {}): Promise<PlatformRun[]> {
  const since = lastRun();
  platform.publishRelease({ tag, target, by: options.by ?? MAINTAINER, ...(options.prerelease ? { prerelease: true } : {}) });
  await platform.settle();
  return platform.runs.filter((r) => r.id > since && r.workflow === WORKFLOW);
}

const describeRun = (run: PlatformRun | undefined): string =>
  run
    ? `${run.conclusion} ${run.errors.join(' ')}\n` +
      run.jobs.map((j) => `${j.id}: ${j.conclusion} ${j.errors.join(' ')} ${j.annotations.map((a) => `[${a.level}] ${a.message}`).join(' ')}\n${j.stderr.slice(-2000)}`).join('\n')
    : 'no run';

/** The one run of the workflow succeeded, both jobs ran; returns the tag job's notice. */
function succeeded(runs: PlatformRun[]): string {
  expect(runs.length, describeRun(runs[0])).toBe(1);
  const run = runs[0] as PlatformRun;
  expect(run.conclusion, describeRun(run)).toBe('success');
  expect(run.jobs.map((j) => `${j.id} ${j.conclusion}`)).toEqual(['check success', 'major-tag success']);
  const job = run.jobs.find((j) => j.id === 'major-tag');
  expect(job?.permissions).toEqual({ contents: 'write', metadata: 'read' });
  return (job?.annotations ?? []).filter((a) => a.level === 'notice').map((a) => a.message).join('\n');
}

/**
 * Runs the tag job's script as the job does (its env), without the workflow around it: the version rules
 * are the script's, and each workflow run reinstalls the workspace for the bundle check.
 */
async function runScript(tag: string, sha: string): Promise<{ status: number; stdout: string; stderr: string; token: string }> {
  const token = `ghs_release_${tag.replace(/\W/g, '_')}`;
  sim.store.addToken(token, ACTIONS_BOT, { contents: 'write' }, { kind: 'github-token', repository: REPO });
  // Asynchronously: the emulator answers from this process.
  const r = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'scripts', 'major-tag.mjs')],
      { env: { PATH: process.env['PATH'] ?? '', GITHUB_API_URL: sim.url, GITHUB_REPOSITORY: REPO, GITHUB_TOKEN: token, GITHUB_SHA: sha, TAG: tag }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  return { ...r, token };
}

/** Publishes a release without starting workflows (as the script sees it), then runs the tag job's script for it. */
async function publishAndRunScript(tag: string, target: string): Promise<string> {
  platform.publishRelease({ tag, target, by: GITHUB_TOKEN });
  await platform.settle();
  const r = await runScript(tag, target);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stdout + r.stderr).not.toContain(r.token);
  return r.stdout;
}

/** Writes to the refs API made since request index `from`. */
const refWrites = (from: number): string[] =>
  sim.requests.slice(from).filter((r) => r.method !== 'GET' && (r.route ?? '').includes('/git/refs')).map((r) => `${r.method} ${r.path}`);

describe('the release workflow moves the major tag', () => {
  let c100 = '';
  let c110 = '';

  it('v1.0.0 published by a maintainer: v1 is created at its commit', async () => {
    c100 = commit('feat: first release');
    const notice = succeeded(await publish('v1.0.0', c100));
    expect(tagSha('v1')).toBe(c100);
    expect(notice).toContain(`v1 created at ${c100} (v1.0.0)`);
  }, 300_000);

  it('v1.1.0: v1 moves to it', async () => {
    c110 = commit('feat: a feature');
    const from = sim.requests.length;
    const notice = await publishAndRunScript('v1.1.0', c110);
    expect(tagSha('v1')).toBe(c110);
    expect(tagSha('v1.0.0')).toBe(c100);
    expect(notice).toContain(`v1 moved from ${c100} to ${c110} (v1.1.0)`);
    expect(refWrites(from)).toEqual(['PATCH /repos/userloop/userloop/git/refs/tags/v1']);
  }, 300_000);

  it('v1.0.1 published after v1.1.0 (from a maintenance branch): v1 stays at v1.1.0', async () => {
    const c101 = commit('fix: a patch for 1.0', 'release-1.0');
    const from = sim.requests.length;
    const notice = await publishAndRunScript('v1.0.1', c101);
    expect(tagSha('v1')).toBe(c110);
    expect(notice).toContain('v1.0.1 is older than v1.1.0, the newest v1 release: v1 stays where it is.');
    expect(refWrites(from)).toEqual([]);
  }, 300_000);

  it('re-running the script for v1.1.0 writes nothing', async () => {
    const from = sim.requests.length;
    const r = await runScript('v1.1.0', c110);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`::notice::v1 already points at ${c110} (v1.1.0): nothing to do.`);
    expect(r.stdout + r.stderr).not.toContain(r.token);
    expect(refWrites(from)).toEqual([]);
    expect(sim.requests.slice(from).every((q) => q.method === 'GET')).toBe(true);
    expect(tagSha('v1')).toBe(c110);
  }, 60_000);

  it('v2.0.0: v2 is created, v1 is untouched', async () => {
    const c200 = commit('feat!: a breaking change');
    const notice = await publishAndRunScript('v2.0.0', c200);
    expect(tagSha('v2')).toBe(c200);
    expect(tagSha('v1')).toBe(c110);
    expect(notice).toContain(`v2 created at ${c200} (v2.0.0)`);
  }, 300_000);

  it('a pre-release starts no tag move; promoted to a release, it moves the tag', async () => {
    const v2 = tagSha('v2');
    const c210 = commit('feat: another feature');
    expect(await publish('v2.1.0', c210, { prerelease: true })).toEqual([]);
    expect(tagSha('v2')).toBe(v2);
    expect(tagSha('v2.1.0')).toBe(c210);

    const since = lastRun();
    platform.promotePrerelease('v2.1.0', { by: MAINTAINER });
    await platform.settle();
    const runs = platform.runs.filter((r) => r.id > since && r.workflow === WORKFLOW);
    expect(succeeded(runs)).toContain(`v2 moved from ${String(v2)} to ${c210} (v2.1.0)`);
    expect(tagSha('v2')).toBe(c210);
  }, 300_000);

  it('a release published with a workflow GITHUB_TOKEN starts no workflow: v2 stays', async () => {
    const v2 = tagSha('v2');
    const c220 = commit('feat: published by a workflow');
    expect(await publish('v2.2.0', c220, { by: GITHUB_TOKEN })).toEqual([]);
    expect(tagSha('v2')).toBe(v2);
  }, 300_000);

  it('bundles that differ from a rebuild: the check fails and the tag stays', async () => {
    const v2 = tagSha('v2');
    const bundle = path.join(checkout, 'actions', 'prioritize', 'dist', 'index.mjs');
    const text = readFileSync(bundle, 'utf8');
    writeFileSync(bundle, `${text}\n// edited by hand\n`);
    try {
      const runs = await publish('v2.3.0', commit('feat: hand-edited bundle'));
      expect(runs.length).toBe(1);
      const run = runs[0] as PlatformRun;
      expect(run.conclusion, describeRun(run)).toBe('failure');
      expect(run.jobs.map((j) => `${j.id} ${j.conclusion}`)).toEqual(['check failure', 'major-tag skipped']);
      expect(run.jobs[0]?.stderr).toContain('actions/prioritize/dist/index.mjs: differs from a rebuild');
      expect(tagSha('v2')).toBe(v2);
    } finally {
      writeFileSync(bundle, text);
    }
  }, 300_000);
});
