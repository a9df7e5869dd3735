// Cold start: each bundle's size, and the time from spawning `node dist/index.mjs` (with the environment
// the runner gives a step) to the emulator receiving its first request; median of 20.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Sim } from '@userloop/github-sim';
import { FULL, OWNER } from './generate.ts';
import { median } from './measure.ts';
import type { ActionName } from './scenarios.ts';

export interface ColdStart {
  action: ActionName;
  bundleBytes: number;
  /** Median ms from spawn to the first request the emulator saw. */
  firstRequestMs: number | null;
  /** Median ms from spawn to process exit. */
  exitMs: number;
  samples: number;
}

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The action's inputs with their action.yml defaults, as INPUT_* variables (`${{ github.token }}` -> the token). */
function inputEnv(action: ActionName, inputs: Record<string, string>): Record<string, string> {
  const yml = parse(readFileSync(join(ROOT, 'actions', action, 'action.yml'), 'utf8')) as { inputs?: Record<string, { default?: string }> };
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(yml.inputs ?? {})) {
    const value = inputs[name] ?? (spec.default === '${{ github.token }}' ? 'test-token' : String(spec.default ?? ''));
    env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  }
  return env;
}

export async function coldStart(
  sim: Sim,
  action: ActionName,
  event: { name: string; payload: Record<string, unknown> },
  inputs: Record<string, string>,
  samples = 20,
): Promise<ColdStart> {
  const bundle = join(ROOT, 'actions', action, 'dist', 'index.mjs');
  const dir = mkdtempSync(join(tmpdir(), `bench-cold-${action}-`));
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const firsts: number[] = [];
  const exits: number[] = [];
  // The first request is logged when the emulator appends it to `sim.requests`.
  const log = sim.requests as unknown as { push: (...items: unknown[]) => number };
  const push = log.push;
  let firstAt: number | null = null;
  log.push = function (this: unknown, ...items: unknown[]) {
    if (firstAt === null) firstAt = performance.now();
    return push.apply(this, items);
  };
  try {
    for (let k = 0; k < samples; k += 1) {
      for (const f of ['output', 'summary', 'env', 'path', 'state']) writeFileSync(join(dir, f), '');
      const env: Record<string, string> = {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? dir,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: event.name,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: FULL,
        GITHUB_REPOSITORY_OWNER: OWNER,
        GITHUB_API_URL: sim.url,
        GITHUB_GRAPHQL_URL: sim.graphqlUrl,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_WORKSPACE: dir,
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        GITHUB_ENV: join(dir, 'env'),
        GITHUB_PATH: join(dir, 'path'),
        GITHUB_STATE: join(dir, 'state'),
        GITHUB_ACTOR: 'alice',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: sim.store.resolveRef(FULL, 'main') ?? '0'.repeat(40),
        GITHUB_RUN_ID: '1',
        GITHUB_ACTION_PATH: join(ROOT, 'actions', action),
        RUNNER_TEMP: dir,
        USERLOOP_WAIT_SCALE: '0',
        ...inputEnv(action, inputs),
      };
      firstAt = null;
      const t0 = performance.now();
      const child = spawn(process.execPath, [bundle], { env, stdio: 'ignore' });
      await new Promise<void>((done) => child.on('exit', () => done()));
      exits.push(performance.now() - t0);
      if (firstAt !== null) firsts.push((firstAt as number) - t0);
    }
  } finally {
    log.push = push;
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    action,
    bundleBytes: statSync(bundle).size,
    firstRequestMs: firsts.length ? median(firsts) : null,
    exitMs: median(exits),
    samples,
  };
}
