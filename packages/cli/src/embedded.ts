// The files of this repository that `init` writes as they are: read from the checkout when run from a clone;
// the installed bundle carries them inline (packages/cli/scripts/bundle.mjs replaces this module). The issue
// forms and the pull request template `init` writes are the product's own (starter.ts), not these.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every file `init` needs, by its path in the repository: the reusable KPI report workflow. */
export function embeddedFiles(): Record<string, string> {
  const paths = ['.github/workflows/kpi-report.yml'];
  return Object.fromEntries(paths.filter((p) => existsSync(join(repoRoot, p))).map((p) => [p, readFileSync(join(repoRoot, p), 'utf8')]));
}
