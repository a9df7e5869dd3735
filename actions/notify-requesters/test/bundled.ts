// The BUNDLED action run through its action.yml by the emulator's runner: a fresh emulator and workspace
// for each test, one run, and the payloads GitHub sends for the fixture repository.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { runAction, startSim, webhookExample, type Sim, type SimRelease } from '@userloop/github-sim';
import { FULL, OWNER, REPO, seedRepo } from './fixture.ts';

/**
 * Before each test of the file: an emulator (holding the fixture repository unless `seed` is false) and a
 * workspace (a temporary folder named `prefix…`) whose `.github/userloop.yml` holds `config`, handed to
 * `started`; after it, the emulator checked and stopped and the workspace removed.
 */
export function useBundledAction(options: { prefix: string; config: string; seed?: boolean }, started: (test: { sim: Sim; workspace: string }) => void): void {
  let test: { sim: Sim; workspace: string };
  beforeEach(async () => {
    const sim = await startSim();
    if (options.seed ?? true) seedRepo(sim.store);
    const workspace = await mkdtemp(path.join(os.tmpdir(), options.prefix));
    await mkdir(path.join(workspace, '.github'), { recursive: true });
    await writeFile(path.join(workspace, '.github', 'userloop.yml'), options.config);
    test = { sim, workspace };
    started(test);
  });
  afterEach(async () => {
    test.sim.assertClean();
    await test.sim.stop();
    await rm(test.workspace, { recursive: true, force: true });
  });
}

/** One run of the bundled action for `event`, with every wait scaled to nothing. */
export function runBundled(
  sim: Sim,
  workspace: string,
  event: { name: string; payload: Record<string, unknown> },
  options: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
): ReturnType<typeof runAction> {
  return runAction({ actionDir: 'actions/notify-requesters', sim, event, inputs: options.inputs ?? {}, workspace, env: { USERLOOP_WAIT_SCALE: '0', ...options.env } });
}

type Payload = Record<string, unknown>;

/** A recorded payload moved to the fixture repository. */
export function inRepo(payload: Payload & { repository: Payload }): Payload {
  return { ...payload, repository: { ...payload.repository, name: REPO, full_name: FULL, owner: { ...(payload.repository['owner'] as object), login: OWNER } } };
}

/** A `release` payload as GitHub sends it for this release of the fixture repository. */
export function releasePayload(action: string, rel: SimRelease): Payload {
  const template = webhookExample('release', 'published') as Payload & { release: Payload; repository: Payload };
  return inRepo({
    ...template,
    action,
    release: {
      ...template.release,
      id: rel.id,
      tag_name: rel.tag_name,
      name: rel.name,
      body: rel.body,
      draft: rel.draft,
      prerelease: rel.prerelease,
      published_at: rel.published_at,
      created_at: rel.created_at,
      html_url: `https://github.com/${FULL}/releases/tag/${rel.tag_name}`,
    },
  });
}
