import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { createPlatform, startSim, type Platform, type PlatformOptions, type Sim } from '../src/index.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'platform');

/**
 * A checkout holding the fixture actions and the named fixture workflows (file names under
 * fixtures/platform/workflows) plus extra files (`path -> text`).
 */
export function makeCheckout(workflows: string[], extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'platform-checkout-'));
  cpSync(path.join(FIXTURES, 'actions'), path.join(dir, 'actions'), { recursive: true });
  mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
  for (const w of workflows) cpSync(path.join(FIXTURES, 'workflows', w), path.join(dir, '.github', 'workflows', w));
  for (const [p, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

/** Stops the emulator and removes the checkout when the running test finishes, once the platform's runs settle. */
export function cleanUpAfterTest(sim: Sim, platform: Platform, checkout: string): void {
  onTestFinished(async () => {
    await platform.settle();
    await sim.stop();
    rmSync(checkout, { recursive: true, force: true });
  });
}

/** A started emulator and a platform on `octo/app` with the given checkout, cleaned up when the test finishes. */
export async function setup(workflows: string[], extra: Record<string, string> = {}, options: Partial<PlatformOptions> = {}): Promise<{ sim: Sim; platform: Platform }> {
  const sim = await startSim();
  sim.store.createRepo({ owner: 'octo', name: 'app', collaborators: { maria: 'write' } });
  const checkout = makeCheckout(workflows, extra);
  const platform = createPlatform({ sim, repository: 'octo/app', checkout, ...options });
  cleanUpAfterTest(sim, platform, checkout);
  return { sim, platform };
}
