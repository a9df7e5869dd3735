/** Writes the committed demo snapshot: `pnpm --filter userloop gen:demo`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDemoSnapshot } from './snapshot.ts';

export const DEMO_SNAPSHOT_PATH = fileURLToPath(new URL('../../demo/lumen.snapshot.json', import.meta.url));

/** The snapshot as committed: pretty JSON with a trailing newline. */
export function demoSnapshotText(): string {
  return `${JSON.stringify(buildDemoSnapshot(), null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DEMO_SNAPSHOT_PATH, demoSnapshotText());
  console.log(`wrote ${DEMO_SNAPSHOT_PATH}`);
}
