/**
 * `userloop init`: writes what a repository needs to run the loop — a workflow per action with
 * least-privilege permissions, a commented `.github/userloop.yml` with the product's areas and owners,
 * issue forms for the product and a PR template — then prints what is left to do.
 * Never overwrites a file without `--force`; `--dry-run` only prints.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { PLACEHOLDER_OWNER } from '@userloop/core';
import { embeddedFiles } from './embedded.ts';
import { CliError } from './errors.ts';
import { checkProduct, labelsToCreate, parseAreas, starterFiles, type StarterArea } from './starter.ts';

/** The repository holding userloop's actions and its reusable KPI workflow. */
export const USERLOOP_REPOSITORY = 'userloop/userloop';
/** Where userloop's own actions live on GitHub. */
const ACTIONS_REF = `${USERLOOP_REPOSITORY}/actions`;
/**
 * The ref `init` pins by default: the moving major tag, which this repository's release workflow
 * (.github/workflows/release.yml) moves to each published v1.x.y release. `--ref` pins anything else (a
 * tag or a full commit sha), the same in every file.
 */
export const DEFAULT_REF = 'v1';

/** The reusable KPI workflow, read at init time so the call `init` writes passes what it requires. */
const KPI_WORKFLOW_PATH = '.github/workflows/kpi-report.yml';

/** One file `init` writes. */
export interface InitFile {
  path: string;
  content: string;
}

/** Options of {@link initFiles}. */
export interface InitFilesOptions {
  /** The ref pinned in every `uses:` (and passed as `userloop-ref`); default {@link DEFAULT_REF}. */
  ref?: string | undefined;
  /** The branch draft-release-notes follows (the repository's default branch); default `main`. */
  defaultBranch?: string;
  /** The text of the reusable KPI workflow; default: {@link KPI_WORKFLOW_PATH} of this checkout. */
  kpiWorkflow?: string;
  /** The product's name in the issue forms (default `this project`). */
  product?: string | undefined;
  /** The product's areas and owners (default: two example areas in the config, no area question). */
  areas?: readonly StarterArea[] | undefined;
}

type Permissions = Record<string, 'read' | 'write'>;
const LEVELS = ['none', 'read', 'write'] as const;

/** One job of a workflow `init` writes: the action step, its events and what it may do. */
interface JobSpec {
  action: string;
  permissions: Permissions;
  /** `concurrency.group`, an expression naming what runs must not overlap on (the issue, the PR...). */
  group: string;
  cancelInProgress: boolean;
  timeoutMinutes: number;
  if?: string;
  with?: Record<string, string>;
}

const REF_PATTERN = /^(?:[0-9a-f]{40}|[A-Za-z0-9][A-Za-z0-9._/-]*)$/;

function checkRef(ref: string, what: string): string {
  if (!REF_PATTERN.test(ref) || ref.includes('..') || ref.endsWith('/') || ref.endsWith('.lock')) {
    throw new CliError(`${what} ${JSON.stringify(ref)} is not a tag, branch or full commit sha`);
  }
  return ref;
}

/** Comment lines telling how the `@ref` of the `uses:` lines below is chosen and how to pin a sha. */
function pinComment(ref: string, alsoInput: boolean): string {
  const also = alsoInput ? ' and as `userloop-ref:`' : '';
  if (/^[0-9a-f]{40}$/.test(ref)) {
    return `# Pinned to the userloop commit ${ref}: every update is yours to review. To update, write a newer
# commit sha after the \`@\`${also}.
`;
  }
  return `# Runs userloop at \`${ref}\`. To review every update instead, pin a full commit sha: print the current one
# with \`git ls-remote https://github.com/${USERLOOP_REPOSITORY} ${ref}\` and write it after the \`@\`${also}
# (or re-run \`userloop init --ref <sha> --force\`).
`;
}

function yamlPermissions(permissions: Permissions, indent: string): string {
  return Object.entries(permissions)
    .map(([k, v]) => `${indent}${k}: ${v}`)
    .join('\n');
}

const workflow = (name: string, on: string, job: JobSpec, ref: string): string =>
  `# Written by \`userloop init\`. Docs: https://github.com/${USERLOOP_REPOSITORY}/tree/main/actions/${job.action}
${pinComment(ref, false)}name: "${name}"
on:
${on}
permissions: {}
jobs:
  ${job.action}:
${job.if ? `    if: ${job.if}\n` : ''}    runs-on: ubuntu-latest
    timeout-minutes: ${job.timeoutMinutes}
    concurrency:
      group: ${job.group}
      cancel-in-progress: ${job.cancelInProgress}
    permissions:
${yamlPermissions(job.permissions, '      ')}
    steps:
      - uses: ${ACTIONS_REF}/${job.action}@${ref}
${job.with ? `        with:\n${Object.entries(job.with).map(([k, v]) => `          ${k}: ${v}`).join('\n')}\n` : ''}`;

/** The inputs of a reusable workflow's `workflow_call` and the permissions its jobs request. */
export interface ReusableWorkflow {
  inputs: Record<string, { required: boolean; type: string }>;
  /** Per scope, the most any job of the called workflow asks for: the caller must grant at least that. */
  permissions: Permissions;
}

/**
 * Reads what a caller of a reusable workflow must pass (`on.workflow_call.inputs`) and grant (the
 * union of its jobs' `permissions:`). GitHub refuses a call that misses a required input, passes an
 * undeclared one, or grants less than a called job requests, before any job starts.
 * @param text - the reusable workflow's YAML
 * @param file - its path, for error messages
 */
export function readReusableWorkflow(text: string, file: string): ReusableWorkflow {
  const doc = parseYaml(text) as unknown;
  const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const call = rec(rec(rec(doc)['on'])['workflow_call']);
  if (!('workflow_call' in rec(rec(doc)['on']))) throw new CliError(`${file}: not a reusable workflow (no on.workflow_call)`);
  const inputs: ReusableWorkflow['inputs'] = {};
  for (const [name, spec] of Object.entries(rec(call['inputs']))) {
    inputs[name] = { required: rec(spec)['required'] === true, type: String(rec(spec)['type'] ?? 'string') };
  }
  const permissions: Permissions = {};
  const top = rec(doc)['permissions'];
  for (const [jobId, job] of Object.entries(rec(rec(doc)['jobs']))) {
    const granted = 'permissions' in rec(job) ? rec(job)['permissions'] : top;
    if (granted === undefined) continue;
    if (typeof granted === 'string') {
      throw new CliError(`${file}: job ${jobId} asks for \`permissions: ${granted}\`; init can only pass on per-scope permissions`);
    }
    for (const [scope, level] of Object.entries(rec(granted))) {
      if (level !== 'read' && level !== 'write' && level !== 'none') throw new CliError(`${file}: job ${jobId}: permission ${scope}: ${String(level)} is not read, write or none`);
      if (level === 'none') continue;
      if (LEVELS.indexOf(level) > LEVELS.indexOf(permissions[scope] ?? 'none')) permissions[scope] = level;
    }
  }
  return { inputs, permissions };
}

/**
 * The KPI report workflow: a call of the reusable workflow passing every input it requires. Inputs
 * `init` can fill are listed here; a required input it cannot fill fails `init` (and its test) instead
 * of writing a call GitHub would refuse.
 */
function kpiWorkflow(ref: string, kpiText: string): string {
  const called = readReusableWorkflow(kpiText, KPI_WORKFLOW_PATH);
  const values: Record<string, string> = {
    period: "${{ inputs.period || 'week' }}",
    'userloop-repository': USERLOOP_REPOSITORY,
    'userloop-ref': ref,
  };
  for (const [name, spec] of Object.entries(called.inputs)) {
    if (spec.required && !(name in values)) {
      throw new Error(`${KPI_WORKFLOW_PATH} requires the input ${name}, which userloop init does not pass; teach init (packages/cli/src/init.ts) its value`);
    }
  }
  const passed = Object.entries(values).filter(([name]) => name in called.inputs);
  const permissions = Object.keys(called.permissions).sort().map((scope) => `      ${scope}: ${called.permissions[scope]}`);
  return `# Written by \`userloop init\`. Docs: https://github.com/${USERLOOP_REPOSITORY}/tree/main/actions/kpi-report
# Calls userloop's reusable KPI workflow; its jobs read this repository and post the report as an issue.
${pinComment(ref, true)}name: "userloop: KPI report"
on:
  schedule:
    - cron: "0 7 * * 1" # Mondays 07:00 UTC: the week that just ended
  workflow_dispatch:
    inputs:
      period:
        description: "week or month"
        type: choice
        options: [week, month]
        default: week
permissions: {}
jobs:
  report:
    # One report per period at a time (a second run waits, then finds the report and updates it).
    concurrency:
      group: userloop-kpi-report-\${{ inputs.period || 'week' }}
      cancel-in-progress: false
    # What the called workflow's jobs ask for; a reusable workflow's jobs set their own timeout-minutes.
    permissions:
${permissions.join('\n')}
    uses: ${USERLOOP_REPOSITORY}/${KPI_WORKFLOW_PATH}@${ref}
    with:
${passed.map(([name, value]) => `      ${name}: ${JSON.stringify(value)}`).join('\n')}
`;
}

/** Every file `init` writes, in order. */
export function initFiles(options: InitFilesOptions = {}): InitFile[] {
  const ref = checkRef(options.ref ?? DEFAULT_REF, '--ref');
  const branch = checkRef(options.defaultBranch ?? 'main', 'the default branch');
  const embedded = embeddedFiles();
  const kpiText = options.kpiWorkflow ?? embedded[KPI_WORKFLOW_PATH] ?? '';
  const files: InitFile[] = [
    {
      path: '.github/workflows/userloop-prioritize.yml',
      content: workflow(
        'userloop: prioritize',
        `  issues:
    types: [opened, edited, reopened, labeled, unlabeled, closed]
  issue_comment:
    types: [created, edited]
  # A 👍 sends no event: once a day, re-evaluate the open issues whose 👍 or duplicates changed.
  schedule:
    - cron: "23 5 * * *"
  # By hand: the sweep. With request-name: a request from outside GitHub (a chat bot or a support tool can
  # call this, or send a repository_dispatch of type userloop-request with the same fields in client_payload).
  workflow_dispatch:
    inputs:
      request-name:
        description: "The name of a person who asked outside GitHub (empty: run the sweep). No e-mail or phone."
        type: string
      request-place:
        description: "Where they asked: Discord, Forum, Support..."
        type: string
      request-url:
        description: "A link to where they asked"
        type: string
      issue-number:
        description: "The issue to record it on"
        type: string
      issue-title:
        description: "Else the title of the open issue to record it on (opened when there is none)"
        type: string
      request-text:
        description: "Their words, quoted"
        type: string
  repository_dispatch:
    types: [userloop-request]`,
        {
          action: 'prioritize',
          // pull-requests: read — its GraphQL read of an issue's cross-references includes PR nodes.
          permissions: { contents: 'read', issues: 'write', 'pull-requests': 'read' },
          // One run per issue event at a time; the daily sweep is its own group. Each request from outside GitHub is
          // a group of its own: GitHub keeps one waiting run per group and cancels the older, which would drop a
          // request; its writes are safe next to the issue's own run (each person is recorded once).
          group:
            "userloop-prioritize-${{ github.event.issue.number || ((github.event_name == 'repository_dispatch' || inputs.request-name != '') && github.run_id) || 'sweep' }}",
          cancelInProgress: false,
          timeoutMinutes: 15,
          // The intake's fields, from the dispatch's inputs or client_payload (empty on every other event).
          with: {
            'request-name': '${{ inputs.request-name || github.event.client_payload.name }}',
            'request-place': '${{ inputs.request-place || github.event.client_payload.place }}',
            'request-url': '${{ inputs.request-url || github.event.client_payload.url }}',
            'issue-number': '${{ inputs.issue-number || github.event.client_payload.issue }}',
            'issue-title': '${{ inputs.issue-title || github.event.client_payload.title }}',
            'request-text': '${{ inputs.request-text || github.event.client_payload.text }}',
          },
        },
        ref,
      ),
    },
    {
      path: '.github/workflows/userloop-require-docs.yml',
      content: workflow(
        'userloop: require docs',
        `  pull_request:
    types: [opened, edited, synchronize, reopened, labeled, unlabeled, ready_for_review]
  # A merge queue asks for the same check on the queued commit.
  merge_group:
    types: [checks_requested]`,
        {
          action: 'require-docs',
          permissions: { contents: 'read', 'pull-requests': 'write' },
          group: 'userloop-require-docs-${{ github.event.pull_request.number || github.event.merge_group.head_ref }}',
          cancelInProgress: false,
          timeoutMinutes: 10,
        },
        ref,
      ),
    },
    {
      path: '.github/workflows/userloop-draft-release-notes.yml',
      content: workflow(
        'userloop: draft release notes',
        `  push:
    branches: [${branch}] # the default branch
  workflow_dispatch:`,
        {
          action: 'draft-release-notes',
          permissions: { contents: 'write', 'pull-requests': 'read', issues: 'read' },
          // One draft per branch: runs queue instead of racing, and none is cancelled half-way.
          group: 'userloop-draft-release-notes-${{ github.ref }}',
          cancelInProgress: false,
          timeoutMinutes: 15,
        },
        ref,
      ),
    },
    {
      path: '.github/workflows/userloop-notify-requesters.yml',
      content: workflow(
        'userloop: notify requesters',
        `  release:
    types: [published, released]
  issues:
    types: [assigned]
  pull_request:
    types: [opened]
  # A release published by another workflow's GITHUB_TOKEN sends no event: run this by hand (or from
  # that workflow) with the tag.
  workflow_dispatch:
    inputs:
      tag:
        description: "The release tag to announce, e.g. v1.2.0"
        type: string
        required: true`,
        {
          action: 'notify-requesters',
          // Pull requests from forks get a read-only token and cannot comment: same-repository ones only.
          if: 'github.event_name != \'pull_request\' || github.event.pull_request.head.repo.full_name == github.repository',
          permissions: { contents: 'read', issues: 'write', 'pull-requests': 'read' },
          // One run per release tag (published and released arrive together), else per issue or PR.
          group:
            'userloop-notify-requesters-${{ github.event.release.tag_name || inputs.tag || github.event.issue.number || github.event.pull_request.number }}',
          cancelInProgress: false,
          timeoutMinutes: 30,
          with: { tag: '${{ inputs.tag }}' },
        },
        ref,
      ),
    },
    { path: '.github/workflows/userloop-kpi-report.yml', content: kpiWorkflow(ref, kpiText) },
    // The config, the issue forms and the PR template, written for the product.
    ...starterFiles({ product: options.product, areas: options.areas }),
  ];
  return files;
}

/** Options of {@link init}. */
export interface InitOptions {
  dir: string;
  /** The userloop ref to pin (tag, branch or full commit sha); default {@link DEFAULT_REF}. */
  ref?: string | undefined;
  /** The repository's default branch; default: found with git (see {@link defaultBranchOf}). */
  branch?: string | undefined;
  /** The product's name in the issue forms; default: the repository's name (origin's, else the folder's). */
  product?: string | undefined;
  /** The product's areas and owners (`--areas`). */
  areas?: readonly StarterArea[] | undefined;
  force?: boolean;
  dryRun?: boolean;
  log?: (line: string) => void;
}

/** What `init` did with each file, and what is left for the person running it. */
export interface InitResult {
  written: string[];
  skipped: string[];
  /** The steps left after init, one line each. */
  checklist: string[];
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

function git(dir: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks on a terminal for what was not given as a flag: the product's name and its areas. An empty answer
 * keeps the default (the repository's name; example areas); a wrong one is asked again.
 * @param given - the flags given (`--product`, `--areas`)
 * @param ask - asks one question and returns the answer
 * @param say - prints a line (the reason an answer was refused)
 */
export async function askProductAndAreas(
  given: { product?: string | undefined; areas?: string | undefined },
  ask: (question: string) => Promise<string>,
  say: (line: string) => void,
): Promise<{ product?: string; areas?: StarterArea[] }> {
  const answer = async <T>(question: string, read: (text: string) => T): Promise<T | undefined> => {
    for (;;) {
      const text = (await ask(question)).trim();
      if (text === '') return undefined;
      try {
        return read(text);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        say(error.message);
      }
    }
  };
  const product = given.product !== undefined ? checkProduct(given.product) : await answer('Product name, as reporters know it (Enter: the repository\'s name): ', checkProduct);
  const areas =
    given.areas !== undefined
      ? parseAreas(given.areas)
      : await answer('Areas and their owners, e.g. Editor=@alice, Sync=@bob (Enter: example areas to edit later): ', parseAreas);
  return { ...(product !== undefined ? { product } : {}), ...(areas !== undefined ? { areas } : {}) };
}

/**
 * The default branch of the repository at `dir`, for draft-release-notes' `on: push: branches:`:
 * origin's HEAD when known, else `main` or `master` when only one of them exists, else the branch
 * checked out (a fresh `git init`), else `main`.
 */
export function defaultBranchOf(dir: string): string {
  const remote = git(dir, 'symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD');
  if (remote?.startsWith('origin/')) return remote.slice('origin/'.length);
  const local = ['main', 'master'].filter((b) => git(dir, 'rev-parse', '--verify', '--quiet', `refs/heads/${b}`) !== undefined);
  if (local.length === 1 && local[0]) return local[0];
  return git(dir, 'symbolic-ref', '--quiet', '--short', 'HEAD') ?? 'main';
}

/** `owner/name` of the repository's GitHub remote (origin), when it has one. */
function githubRepository(dir: string): string | undefined {
  const url = git(dir, 'remote', 'get-url', 'origin');
  const match = url === undefined ? null : /github\.com[:/]([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The name the product is known by when `--product` is not given: the repository's name. */
function defaultProduct(dir: string): string {
  return githubRepository(dir)?.split('/')[1] ?? basename(dir);
}

/** What is left after init: placeholders, labels, the required check, and `userloop doctor` once pushed. */
function checklist(options: { dir: string; branch: string; areas: readonly StarterArea[]; productGiven: boolean }): string[] {
  const { areas, branch } = options;
  const repo = githubRepository(options.dir) ?? 'OWNER/NAME';
  const steps: string[] = [];
  if (areas.length === 0) {
    steps.push(
      `Name your product's areas and owners: .github/userloop.yml has two example areas owned by ${PLACEHOLDER_OWNER} (re-run with --force --areas "Editor=@alice, Sync=@bob", or edit \`areas:\`). \`userloop check-config\` warns about every placeholder left.`,
    );
  } else {
    const ownerless = areas.filter((a) => a.owners.length === 0).map((a) => a.name);
    if (ownerless.length > 0) {
      steps.push(`Give ${ownerless.join(', ')} an owner: replace ${PLACEHOLDER_OWNER} in .github/userloop.yml (\`userloop check-config\` warns while one is left).`);
    }
    steps.push('Add each area\'s paths (`areas[].paths`, e.g. `src/editor/**`) so pull requests count in their area.');
  }
  if (!options.productGiven) steps.push('The issue forms call the product by the repository\'s name; re-run with --force --product "Your Product" to change it.');
  steps.push(`Commit these files and push them to ${branch}.`);
  steps.push(
    `Create the labels people and the issue forms put on (GitHub leaves out a form's label that does not exist): ${labelsToCreate(areas).map((l) => `"${l}"`).join(', ')}. The priority and "needs info" labels are created on first use.`,
  );
  steps.push(`Make require-docs a required check: Settings > Rules > Rulesets (or Branches) > the rule for ${branch} > Require status checks to pass > add "require-docs".`);
  steps.push(`Then check the repository with \`userloop doctor --repo ${repo}\` (labels, the required check, workflow permissions).`);
  return steps;
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
  const branch = options.branch ?? defaultBranchOf(dir);
  const areas = options.areas ?? [];
  const files = initFiles({ ref: options.ref, defaultBranch: branch, product: options.product ?? defaultProduct(dir), areas });
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0 && !options.force && !options.dryRun) {
    throw new CliError(
      `these files already exist and would be overwritten:\n${existing.map((p) => `  ${p}`).join('\n')}\nRe-run with --force to overwrite them, or --dry-run to see what would be written.`,
    );
  }
  const result: InitResult = { written: [], skipped: [], checklist: checklist({ dir, branch, areas, productGiven: options.product !== undefined }) };
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
    log(`\ndraft-release-notes follows pushes to ${branch} (the default branch); userloop is pinned at ${options.ref ?? DEFAULT_REF}.`);
  }
  log(`\nWhat is left${options.dryRun ? ' once these files are written' : ''}:\n${result.checklist.map((step) => `  [ ] ${step}`).join('\n')}`);
  return result;
}
