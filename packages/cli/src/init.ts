/**
 * `userloop init`: writes what a repository needs to run the loop — a workflow per action with
 * least-privilege permissions, a commented `.github/userloop.yml`, issue forms and a PR template.
 * Never overwrites a file without `--force`; `--dry-run` only prints.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.ts';

/** Where userloop's own actions live on GitHub; users pin the moving major tag. */
export const ACTIONS_REF = 'userloop/userloop/actions';
export const VERSION_TAG = 'v1';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** One file `init` writes. */
export interface InitFile {
  path: string;
  content: string;
}

const workflow = (name: string, on: string, permissions: Record<string, string>, action: string, extra = ''): string =>
  `# Written by \`userloop init\`. Docs: https://github.com/userloop/userloop/tree/main/actions/${action}
name: "${name}"
on:
${on}
permissions: {}
jobs:
  ${action}:
    runs-on: ubuntu-latest
    permissions:
${Object.entries(permissions)
  .map(([k, v]) => `      ${k}: ${v}`)
  .join('\n')}
    steps:
      - uses: ${ACTIONS_REF}/${action}@${VERSION_TAG}${extra}
`;

/** The commented configuration file a new repository starts from; `check-config` accepts it. */
export const STARTER_CONFIG = `# userloop configuration: one section per action, every key optional.
# Editor completion: point your YAML extension at packages/core/userloop.schema.json of userloop.
# Validate offline with: pnpm userloop check-config .github/userloop.yml

# The ownership map: product areas, what belongs to them, and who owns them.
# kpi-report groups its numbers by area and owner; notify-requesters assigns the docs review to owners.
areas:
  - name: Core
    labels: ["area: core"]
    paths: ["src/**"]
    owners: ["@your-login"]
  - name: Docs
    labels: ["docs"]
    paths: ["docs/**"]
    owners: ["@your-login"]

# Accounts that are bots even though GitHub does not say so (service accounts).
bots: []
`;

/** Every file `init` writes, in order. */
export function initFiles(): InitFile[] {
  const files: InitFile[] = [
    {
      path: '.github/workflows/userloop-prioritize.yml',
      content: workflow(
        'userloop: prioritize',
        '  issues:\n    types: [opened, edited, reopened, labeled, unlabeled]\n  issue_comment:\n    types: [created, edited]',
        { contents: 'read', issues: 'write' },
        'prioritize',
      ),
    },
    {
      path: '.github/workflows/userloop-require-docs.yml',
      content: workflow(
        'userloop: require docs',
        '  pull_request:\n    types: [opened, edited, synchronize, reopened, labeled, unlabeled, ready_for_review]',
        { contents: 'read', 'pull-requests': 'write' },
        'require-docs',
      ),
    },
    {
      path: '.github/workflows/userloop-draft-release-notes.yml',
      content: workflow(
        'userloop: draft release notes',
        '  push:\n    branches: [main]\n  workflow_dispatch:',
        { contents: 'write', 'pull-requests': 'read', issues: 'read' },
        'draft-release-notes',
      ),
    },
    {
      path: '.github/workflows/userloop-notify-requesters.yml',
      content: workflow(
        'userloop: notify requesters',
        '  release:\n    types: [published]\n  issues:\n    types: [assigned]\n  pull_request:\n    types: [opened]',
        { contents: 'read', issues: 'write', 'pull-requests': 'read' },
        'notify-requesters',
      ),
    },
    {
      path: '.github/workflows/userloop-kpi-report.yml',
      content: `# Written by \`userloop init\`. Docs: https://github.com/userloop/userloop/tree/main/actions/kpi-report
name: "userloop: KPI report"
on:
  schedule:
    - cron: "0 7 * * 1"
  workflow_dispatch:
permissions: {}
jobs:
  report:
    permissions:
      contents: read
      issues: write
      pull-requests: read
    uses: userloop/userloop/.github/workflows/kpi-report.yml@${VERSION_TAG}
`,
    },
    { path: '.github/userloop.yml', content: STARTER_CONFIG },
  ];
  // Issue forms and the PR template: the same files this repository uses for itself.
  const templates = join(repoRoot, '.github', 'ISSUE_TEMPLATE');
  if (existsSync(templates)) {
    for (const name of readdirSync(templates).sort()) {
      files.push({ path: `.github/ISSUE_TEMPLATE/${name}`, content: readFileSync(join(templates, name), 'utf8') });
    }
  }
  const prTemplate = join(repoRoot, '.github', 'pull_request_template.md');
  if (existsSync(prTemplate)) files.push({ path: '.github/pull_request_template.md', content: readFileSync(prTemplate, 'utf8') });
  return files;
}

/** Options of {@link init}. */
export interface InitOptions {
  dir: string;
  force?: boolean;
  dryRun?: boolean;
  log?: (line: string) => void;
}

/** What `init` did with each file. */
export interface InitResult {
  written: string[];
  skipped: string[];
}

function isGitRepository(dir: string): boolean {
  let current = dir;
  for (;;) {
    if (existsSync(join(current, '.git'))) return true;
    const parent = dirname(current);
    if (parent === current) return false;
    current = parent;
  }
}

/**
 * Writes the starter files into `dir`. Refuses a directory that is not inside a git repository, and
 * refuses to overwrite existing files unless `force` (listing every file that is in the way).
 */
export function init(options: InitOptions): InitResult {
  const log = options.log ?? console.log;
  const dir = options.dir;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
  if (!isGitRepository(dir)) {
    throw new CliError(`${dir} is not inside a git repository; run \`git init\` there first, or pass --dir with a repository`);
  }
  const files = initFiles();
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0 && !options.force && !options.dryRun) {
    throw new CliError(
      `these files already exist and would be overwritten:\n${existing.map((p) => `  ${p}`).join('\n')}\nRe-run with --force to overwrite them, or --dry-run to see what would be written.`,
    );
  }
  const result: InitResult = { written: [], skipped: [] };
  for (const file of files) {
    const target = join(dir, file.path);
    if (options.dryRun) {
      log(`--- ${file.path}${existing.includes(file.path) ? ' (exists; --force would overwrite it)' : ''}\n${file.content}`);
      result.skipped.push(file.path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    result.written.push(file.path);
    log(`wrote ${file.path}`);
  }
  if (!options.dryRun) {
    log('\nNext: edit .github/userloop.yml (areas and owners), commit, and push. Check it with `userloop check-config`.');
  }
  return result;
}
