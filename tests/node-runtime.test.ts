// Every action's first step finds a Node.js 20 or newer before its bundle runs: composite steps run
// whatever `node` the job has, and self-hosted runners, actions-runner-controller pods and `container:`
// jobs often have none, or an old one. Run through action.yml by the emulator's runner with a PATH that
// has no node, with a node that reports v18, with a node only in the runner's tool cache, and as usual.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runAction, seedFromWebhook, startSim, webhookExample, type Sim } from '../packages/github-sim/src/index.ts';
import { formatFindings, shellcheckFindings } from './helpers/checks.ts';
import { repoRoot } from './helpers/repo-files.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const ACTIONS = ['draft-release-notes', 'kpi-report', 'notify-requesters', 'prioritize', 'require-docs'];
const source = readFileSync(path.join(repoRoot, 'scripts', 'find-node.sh'), 'utf8');

describe('the node check of every action.yml', () => {
  it('is one script, shellcheck-clean, copied into each action by the build', () => {
    const findings = shellcheckFindings({ rel: 'scripts/find-node.sh', where: 'file', line: 1, shell: 'bash', script: source });
    expect(findings, formatFindings(findings)).toEqual([]);
    for (const name of ACTIONS) {
      const copy = readFileSync(path.join(repoRoot, 'actions', name, 'dist', 'find-node.sh'), 'utf8');
      expect(copy.split('\n').filter((line) => !line.startsWith('# Generated from scripts/find-node.sh')), name).toEqual(source.split('\n'));
    }
  });

  it('runs first in each action, and the bundle runs with the node it found', () => {
    for (const name of ACTIONS) {
      const steps = (rec(rec(parseYaml(readFileSync(path.join(repoRoot, 'actions', name, 'action.yml'), 'utf8')))['runs'])['steps'] as unknown[]).map(rec);
      expect(steps[0], name).toMatchObject({ id: 'node', shell: 'bash', run: 'bash "$GITHUB_ACTION_PATH/dist/find-node.sh"' });
      const bundle = steps.filter((s) => String(s['run']).includes('dist/index.mjs'));
      expect(bundle, name).toHaveLength(1);
      expect(String(bundle[0]?.['run']).trim(), name).toBe('"$USERLOOP_NODE" "$GITHUB_ACTION_PATH/dist/index.mjs"');
      expect(rec(bundle[0]?.['env'])['USERLOOP_NODE'], name).toBe('${{ steps.node.outputs.path }}');
    }
  });
});

describe('an action on a runner without a usable node (emulator runner, require-docs)', () => {
  let sim: Sim;
  let dir: string;
  beforeEach(async () => {
    sim = await startSim();
    dir = mkdtempSync(path.join(tmpdir(), 'userloop-node-'));
  });
  afterEach(async () => {
    sim.assertClean();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A directory holding only what a bare job container has: bash (plus the extra programs given). */
  function bin(extra: Record<string, string> = {}): string {
    const binDir = path.join(dir, 'bin');
    mkdirSync(binDir, { recursive: true });
    symlinkSync('/bin/bash', path.join(binDir, 'bash'));
    for (const [name, script] of Object.entries(extra)) {
      writeFileSync(path.join(binDir, name), script);
      chmodSync(path.join(binDir, name), 0o755);
    }
    return binDir;
  }

  /** The recorded pull_request "opened" payload of a README change: matched against the docs globs. */
  function run(options: { path?: string; toolCache?: string } = {}) {
    const payload = webhookExample('pull_request', 'opened');
    seedFromWebhook(sim.store, payload);
    const pr = rec(payload['pull_request']);
    const issue = sim.store.mustIssue('Codertocat/Hello-World', Number(pr['number']));
    issue.pull_request!.files = [{ sha: '0'.repeat(40), filename: 'README.md', status: 'added', additions: 1, deletions: 0, changes: 1 }];
    return runAction({
      actionDir: 'actions/require-docs',
      sim,
      event: { name: 'pull_request', payload },
      inputs: { token: 'test-token' },
      ...(options.path ? { env: { PATH: options.path }, hostNode: false } : {}),
      ...(options.toolCache ? { runnerEnv: { RUNNER_TOOL_CACHE: options.toolCache } } : {}),
    });
  }

  const errors = (r: Awaited<ReturnType<typeof run>>) => r.annotations.filter((a) => a.level === 'error' && a.title === 'Node.js 20 or newer is needed');

  it('no node on PATH: fails before the bundle with one annotation saying to add actions/setup-node', async () => {
    const r = await run({ path: bin() });
    expect(r.exitCode).toBe(1);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]?.message).toBe(
      "userloop's require-docs runs on Node.js 20 or newer, and this job has none (no node on PATH or in the runner's tool cache). " +
        'Add a step before this one: uses: actions/setup-node with node-version: 20 (or newer).',
    );
    expect(r.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['node', 'failure'],
      ['check', 'skipped'],
    ]);
    expect(r.requests).toEqual([]);
    expect(r.stderr).not.toContain('command not found');
  });

  it('a node that reports v18: fails the same way, naming what it found', async () => {
    const binDir = bin({ node: '#!/bin/bash\necho v18.19.0\n' });
    const r = await run({ path: binDir });
    expect(r.exitCode).toBe(1);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]?.message).toContain(`found only ${path.join(binDir, 'node')} (v18.19.0)`);
    expect(r.steps.find((s) => s.id === 'check')?.outcome).toBe('skipped');
    expect(r.requests).toEqual([]);
  });

  it('a node only in the runner tool cache (old one on PATH): runs the action with it', async () => {
    const cache = path.join(dir, 'toolcache');
    for (const version of ['18.20.4', process.versions.node]) mkdirSync(path.join(cache, 'node', version, 'x64', 'bin'), { recursive: true });
    writeFileSync(path.join(cache, 'node', '18.20.4', 'x64', 'bin', 'node'), '#!/bin/bash\necho v18.20.4\n');
    chmodSync(path.join(cache, 'node', '18.20.4', 'x64', 'bin', 'node'), 0o755);
    symlinkSync(process.execPath, path.join(cache, 'node', process.versions.node, 'x64', 'bin', 'node'));
    const r = await run({ path: bin({ node: '#!/bin/bash\necho v16.20.2\n' }), toolCache: cache });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Node.js v${process.versions.node}: ${path.join(cache, 'node', process.versions.node, 'x64', 'bin', 'node')}`);
    expect(r.outputs).toMatchObject({ 'is-feature': 'false', passed: 'true' });
    expect(r.requests.length).toBeGreaterThan(0);
  });

  it('the usual runner (node on PATH): runs, matching globs without an ExperimentalWarning', async () => {
    const r = await run();
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ 'is-feature': 'false', passed: 'true' });
    expect(r.stderr).not.toMatch(/ExperimentalWarning|matchesGlob/);
  });
});
