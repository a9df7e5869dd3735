// The second peer: release-drafter (npm `release-drafter-github-app`, the Probot app behind the
// release-drafter/release-drafter action), on the same push to main as draft-release-notes. Its published
// bundle (`dist/index.js`, what the action's `runs.main` starts) runs unmodified through the emulator's
// runner, inside a one-step composite wrapper (the runner runs composite actions), so it is measured as our
// actions are: requests, GraphQL points, writes, time, RSS and CPU of its node process.
//
// Probot takes its API address from GHE_HOST/GHE_PROTOCOL (`<host>/api/v3`, GraphQL at `<host>/api/graphql`)
// as on GitHub Enterprise Server; a small proxy in this process maps those paths onto the emulator's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Sim } from '@userloop/github-sim';
import { FULL } from './generate.ts';
import { checkpoint, measureRunner, type PeerRunBase, type RunSample } from './measure.ts';
import { pushEvent } from './scenarios.ts';

/** `second` is the same push again (release-drafter rewrites its draft every time). */
export interface DrafterPeerResult extends PeerRunBase {
  mode: 'runner';
  exitCode: number;
  /** Releases it created (drafts) on the first run. */
  draftsCreated: number;
}

/** A release-drafter.yml as its README suggests, with this repository's labels as categories. */
const CONFIG = `name-template: 'v$RESOLVED_VERSION'
tag-template: 'v$RESOLVED_VERSION'
categories:
  - title: 'Features'
    labels: ['feature', 'enhancement']
  - title: 'Bug Fixes'
    labels: ['bug']
change-template: '- $TITLE (#$NUMBER) @$AUTHOR'
template: |
  ## Changes

  $CHANGES
`;

const WRAPPER = `name: release-drafter (unmodified, from npm)
description: Runs release-drafter-github-app's published bundle with the job's node, as its action.yml does.
inputs:
  token:
    description: unused (the bundle reads GITHUB_TOKEN)
    required: false
runs:
  using: composite
  steps:
    - run: node "$RELEASE_DRAFTER_MAIN"
      shell: bash
`;

function locate(): { main: string; version: string } | { error: string } {
  try {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('release-drafter-github-app/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string; main?: string };
    return { main: join(dirname(pkgPath), 'dist', 'index.js'), version: pkg.version };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Forwards `/api/v3/...` to the emulator's `/...` and `/api/graphql` to `/graphql`; returns its host:port. */
async function proxy(target: string): Promise<{ host: string; close: () => Promise<void> }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/api\/graphql/, '/graphql').replace(/^\/api\/v3/, '') || '/';
    const out = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path, headers: { ...req.headers, host: to.host } },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    out.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { host: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const strip = (s: RunSample): Omit<RunSample, 'outputs' | 'stderr'> => {
  const { outputs: _o, stderr: _e, ...rest } = s;
  return rest;
};

/**
 * Runs release-drafter on the push draft-release-notes gets, on the repository as draft-release-notes'
 * first run saw it (no draft release: drafts are set aside for the run and put back after), twice.
 */
export async function runDrafterPeer(sim: Sim, size: number): Promise<DrafterPeerResult | { name: string; error: string }> {
  const name = 'release-drafter';
  const found = locate();
  if ('error' in found) return { name, error: found.error };
  const repo = sim.store.mustRepo(FULL);
  const dir = mkdtempSync(join(tmpdir(), 'bench-drafter-'));
  writeFileSync(join(dir, 'action.yml'), WRAPPER);
  const releases = repo.releases;
  repo.releases = releases.filter((r) => !r.draft);
  sim.store.setContent(FULL, '.github/release-drafter.yml', CONFIG);
  const p = await proxy(sim.url);
  const violationsBefore = sim.violations.length;
  const undo = checkpoint(sim.store);
  try {
    const e = pushEvent(sim);
    const run = () =>
      measureRunner(sim, {
        actionDir: dir,
        event: { name: e.name, payload: e.payload },
        ref: 'refs/heads/main',
        sha: e.sha,
        env: { GITHUB_TOKEN: 'test-token', GHE_HOST: p.host, GHE_PROTOCOL: 'http', RELEASE_DRAFTER_MAIN: found.main, 'INPUT_CONFIG-NAME': 'release-drafter.yml', LOG_LEVEL: 'warn' },
      });
    const before = repo.releases.length;
    const first = await run();
    const created = repo.releases.length - before;
    const second = await run();
    const kinds = sim.violations.slice(violationsBefore).map((v) => `${v.kind}: ${v.method} ${v.route ?? v.path}`);
    const failed = /Release drafter failed[^\n]*/.exec(first.stderr)?.[0] ?? (first.exitCode ? first.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300) : null);
    return {
      name,
      version: found.version,
      size,
      mode: 'runner',
      first: strip(first),
      second: strip(second),
      exitCode: first.exitCode,
      draftsCreated: created,
      violations: sim.violations.length - violationsBefore,
      violationKinds: [...new Set(kinds)],
      error: failed,
    };
  } finally {
    undo();
    await p.close();
    repo.contents.get(repo.default_branch)?.delete('.github/release-drafter.yml');
    repo.releases = releases;
    rmSync(dir, { recursive: true, force: true });
  }
}
