// The files of this repository that `init` writes or reads: read from the checkout when run from a clone;
// the installed bundle carries them inline (packages/cli/scripts/bundle.mjs replaces this module).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every file `init` needs, by its path in the repository. */
export function embeddedFiles(): Record<string, string> {
  const paths = ['.github/workflows/kpi-report.yml', '.github/pull_request_template.md'];
  const templates = join(repoRoot, '.github', 'ISSUE_TEMPLATE');
  if (existsSync(templates)) paths.push(...readdirSync(templates).sort().map((name) => `.github/ISSUE_TEMPLATE/${name}`));
  return Object.fromEntries(paths.filter((p) => existsSync(join(repoRoot, p))).map((p) => [p, readFileSync(join(repoRoot, p), 'utf8')]));
}
