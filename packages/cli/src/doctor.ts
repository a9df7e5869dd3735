/**
 * `userloop doctor --repo OWNER/NAME [--fix]`: checks through the API that a repository is ready for the loop
 * (its config, the labels it names, the workflows `userloop init` writes, require-docs as a required check of
 * the default branch, area owners who exist) and, with `--fix`, creates the missing labels. It changes
 * nothing else: a required check or an owner is a person's decision, so it says what to do instead.
 * Each check is one line: ✓ fine, ✗ a problem, ? could not be checked with this token (and why).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  createOctokit,
  DEFAULT_CONFIG_PATH,
  defaultConfig,
  formatConfigIssue,
  graphqlUrlFor,
  httpStatus,
  labelsNamed,
  loadConfig,
  parseConfig,
  OWNER_WANTED,
  placeholderIn,
  type ConfigResult,
  type LabelSpec,
  type Octokit,
  type UserloopConfig,
} from '@userloop/core';
import { CliError } from './errors.ts';
import { initFiles, USERLOOP_REPOSITORY } from './init.ts';

/** Options of {@link doctor}. */
export interface DoctorOptions {
  repo: string;
  /** REST base URL (default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3). */
  api?: string;
  /** A local config file instead of the repository's `.github/userloop.yml`. */
  config?: string;
  /** The userloop ref every workflow must use; default: any, each compared with what init writes at its own ref. */
  ref?: string;
  /** Create the missing labels. */
  fix?: boolean;
  token?: string;
  log?: (line: string) => void;
}

/** ✓, ✗ or ?. */
type CheckStatus = 'ok' | 'problem' | 'unknown';

/** One line of the report. */
interface DoctorCheck {
  section: 'config' | 'labels' | 'workflows' | 'required-check' | 'owners';
  status: CheckStatus;
  /** What was checked: a config key, a file, a check name, an owner. */
  subject: string;
  message: string;
  /** What `--fix` does about it (said without `--fix`), or what a person should do. */
  fix?: string;
}

/** What `doctor` found and did. */
export interface DoctorResult {
  repository: string;
  defaultBranch: string;
  /** Every check passed: nothing wrong and nothing left unchecked. */
  ready: boolean;
  checks: DoctorCheck[];
  /** Labels `--fix` created. */
  created: string[];
}

/** The REST error of a read, for a `?` line: `HTTP 403: Resource not accessible by integration`. */
function why(error: unknown): string {
  const status = httpStatus(error);
  const message = ((error as { response?: { data?: { message?: string } } }).response?.data?.message ?? (error instanceof Error ? error.message : String(error))).split('\n')[0];
  return status === undefined ? message ?? 'unknown error' : `HTTP ${status}: ${message}`;
}

/** GitHub's `message` of an error answer. */
const messageOf = (error: unknown): string => (error as { response?: { data?: { message?: string } } }).response?.data?.message ?? '';

const quote = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

interface Repo {
  octokit: Octokit;
  owner: string;
  repo: string;
  branch: string;
}

/** A file of the default branch, or undefined when it does not exist. */
async function readFile(r: Repo, path: string): Promise<string | undefined> {
  try {
    const { data } = await r.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: r.owner, repo: r.repo, path, ref: r.branch });
    const file = data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || file.type !== 'file') return undefined;
    return file.encoding === 'base64' ? Buffer.from(file.content ?? '', 'base64').toString('utf8') : (file.content ?? '');
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

// ----- labels -----

/** The names of a repository's labels, lower-cased (GitHub's label names are unique in any case). */
async function labelNames(r: Repo): Promise<Set<string>> {
  const labels = await r.octokit.paginate('GET /repos/{owner}/{repo}/labels', { owner: r.owner, repo: r.repo, per_page: 100 });
  return new Set((labels as Array<{ name: string }>).map((l) => l.name.toLowerCase()));
}

/** The labels of the issue forms in `.github/ISSUE_TEMPLATE`: GitHub leaves out a form's label that does not exist. */
async function formLabels(r: Repo): Promise<Array<{ file: string; names: string[] }>> {
  let entries: Array<{ path: string; type: string }>;
  try {
    const { data } = await r.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: r.owner, repo: r.repo, path: '.github/ISSUE_TEMPLATE', ref: r.branch });
    entries = Array.isArray(data) ? (data as Array<{ path: string; type: string }>) : [];
  } catch (error) {
    if (httpStatus(error) === 404) return [];
    throw error;
  }
  const forms: Array<{ file: string; names: string[] }> = [];
  for (const entry of entries.filter((e) => e.type === 'file' && /\.ya?ml$/i.test(e.path) && !/\/config\.ya?ml$/i.test(e.path))) {
    const text = await readFile(r, entry.path);
    let labels: unknown;
    try {
      labels = (parseYaml(text ?? '') as { labels?: unknown } | null)?.labels;
    } catch {
      continue; // not a form GitHub can read either
    }
    const names = (typeof labels === 'string' ? labels.split(',') : Array.isArray(labels) ? labels : []).filter((l): l is string => typeof l === 'string').map((l) => l.trim()).filter(Boolean);
    if (names.length > 0) forms.push({ file: entry.path, names });
  }
  return forms;
}

interface LabelNeed {
  subject: string;
  purpose: string;
  need: 'each' | 'one';
  labels: LabelSpec[];
}

/** The labels a need still lacks: every missing one (`each`), or the first when none exists (`one`). */
function lacking(need: LabelNeed, existing: ReadonlySet<string>): LabelSpec[] {
  const missing = need.labels.filter((l) => !existing.has(l.name.toLowerCase()));
  if (need.need === 'each') return missing;
  return missing.length === need.labels.length ? need.labels.slice(0, 1) : [];
}

async function createLabel(r: Repo, label: LabelSpec): Promise<'created' | 'exists' | { failed: string }> {
  try {
    await r.octokit.request('POST /repos/{owner}/{repo}/labels', { owner: r.owner, repo: r.repo, name: label.name, color: label.color, description: label.description });
    return 'created';
  } catch (error) {
    // 422: it exists (made since the read, by a person or an overlapping run): the end state is the one wanted.
    if (httpStatus(error) === 422) return 'exists';
    return { failed: why(error) };
  }
}

async function checkLabels(r: Repo, config: UserloopConfig, fix: boolean, log: (line: string) => void): Promise<{ checks: DoctorCheck[]; created: string[] }> {
  const needs: LabelNeed[] = labelsNamed(config).map((g) => ({ subject: g.key, purpose: g.purpose, need: g.need, labels: g.labels }));
  for (const form of await formLabels(r)) {
    needs.push({ subject: form.file, purpose: 'labels the issue form puts on (GitHub leaves out one that does not exist)', need: 'each', labels: form.names.map((name) => ({ name, color: 'ededed', description: '' })) });
  }
  const existing = await labelNames(r);
  const created: string[] = [];
  const failed = new Map<string, string>();
  if (fix) {
    const wanted = new Map<string, LabelSpec>();
    for (const need of needs) for (const label of lacking(need, existing)) if (!wanted.has(label.name.toLowerCase())) wanted.set(label.name.toLowerCase(), label);
    if (wanted.size > 0) log(`userloop doctor: creating ${wanted.size} label(s), one a second ...`);
    for (const [key, label] of wanted) {
      const outcome = await createLabel(r, label);
      if (typeof outcome === 'object') failed.set(key, outcome.failed);
      else {
        existing.add(key);
        if (outcome === 'created') created.push(label.name);
      }
    }
  }
  const checks = needs.map((need): DoctorCheck => {
    const names = need.labels.map((l) => l.name);
    const missing = lacking(need, existing);
    const base = { section: 'labels' as const, subject: need.subject };
    if (missing.length === 0) {
      const made = names.filter((n) => created.some((c) => c.toLowerCase() === n.toLowerCase()));
      return { ...base, status: 'ok', message: `${quote(names)}${need.need === 'one' && names.length > 1 ? ' (one of them is enough)' : ''}${made.length ? `; created ${quote(made)}` : ''}` };
    }
    const refused = missing.map((l) => failed.get(l.name.toLowerCase())).find((f) => f !== undefined);
    const what = need.need === 'one' ? `none of ${quote(names)} exists (${need.purpose})` : `missing ${quote(missing.map((l) => l.name))} (${need.purpose})`;
    return {
      ...base,
      status: 'problem',
      message: what,
      fix: refused
        ? `could not create ${quote(missing.map((l) => l.name))} (${refused}); the token needs \`issues: write\``
        : `--fix creates ${quote(missing.map((l) => l.name))}`,
    };
  });
  return { checks, created };
}

// ----- workflows -----

type Yaml = Record<string, unknown>;
const rec = (v: unknown): Yaml => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Yaml) : {});
const LEVELS = ['none', 'read', 'write'];

/** The `uses:` of a job: its own (a reusable workflow) or its steps'. */
function usesOf(job: Yaml): string[] {
  const steps = Array.isArray(job['steps']) ? (job['steps'] as unknown[]) : [];
  return [job['uses'], ...steps.map((s) => rec(s)['uses'])].filter((u): u is string => typeof u === 'string');
}

/** The userloop ref a workflow runs (`userloop/userloop/...@REF`), or undefined. */
function userloopRef(text: string): string | undefined {
  const escaped = USERLOOP_REPOSITORY.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`${escaped}/[^@\\s"']+@([^\\s"'#]+)`).exec(text)?.[1];
}

/** What a workflow lacks of init's: events, branches of an event, permissions of the job running the same action. */
function differences(actual: Yaml, expected: Yaml): string[] {
  const out: string[] = [];
  const onA = typeof actual['on'] === 'string' ? { [actual['on'] as string]: null } : rec(actual['on']);
  for (const [event, spec] of Object.entries(rec(expected['on']))) {
    if (!(event in onA)) {
      out.push(`no \`${event}\` event`);
      continue;
    }
    const branches = rec(spec)['branches'];
    const have = rec(onA[event])['branches'];
    if (Array.isArray(branches) && Array.isArray(have)) {
      const lost = branches.filter((b) => !have.includes(b));
      if (lost.length) out.push(`\`${event}\` does not run on ${lost.join(', ')}`);
    }
  }
  const jobsA = Object.values(rec(actual['jobs'])).map(rec);
  for (const [id, job] of Object.entries(rec(expected['jobs'])).map(([k, v]) => [k, rec(v)] as const)) {
    const target = usesOf(job)[0]?.replace(/@.*$/, '');
    const mine = jobsA.find((j) => usesOf(j).some((u) => u.replace(/@.*$/, '') === target));
    if (!mine) {
      out.push(`no job runs ${target ?? id}`);
      continue;
    }
    const granted = mine['permissions'] ?? actual['permissions'];
    for (const [scope, level] of Object.entries(rec(job['permissions']))) {
      const has = granted === 'write-all' ? 'write' : granted === 'read-all' ? 'read' : String(rec(granted)[scope] ?? 'none');
      if (LEVELS.indexOf(has) < LEVELS.indexOf(String(level))) out.push(`\`permissions: ${scope}: ${String(level)}\` missing (has ${has})`);
    }
  }
  return out;
}

/** The check name the require-docs workflow produces: its job's `name:`, else the job's id. */
function requireDocsCheckName(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return undefined;
  }
  for (const [id, job] of Object.entries(rec(rec(doc)['jobs']))) {
    if (usesOf(rec(job)).some((u) => u.includes('/actions/require-docs@'))) return typeof rec(job)['name'] === 'string' ? (rec(job)['name'] as string) : id;
  }
  return undefined;
}

async function checkWorkflows(r: Repo, ref: string | undefined): Promise<{ checks: DoctorCheck[]; checkName: string }> {
  const template = initFiles({ ref, defaultBranch: r.branch }).filter((f) => f.path.startsWith('.github/workflows/'));
  const checks: DoctorCheck[] = [];
  let checkName = requireDocsCheckName(template.find((f) => f.path.endsWith('require-docs.yml'))?.content ?? '') ?? 'require-docs';
  for (const file of template) {
    const base = { section: 'workflows' as const, subject: file.path };
    let text: string | undefined;
    try {
      text = await readFile(r, file.path);
    } catch (error) {
      checks.push({ ...base, status: 'unknown', message: `could not be read (${why(error)})`, fix: 'run again with a token that can read the repository\'s contents' });
      continue;
    }
    if (text === undefined) {
      checks.push({ ...base, status: 'problem', message: `missing on ${r.branch}`, fix: 'run `userloop init`, commit and push the file' });
      continue;
    }
    if (file.path.endsWith('require-docs.yml')) checkName = requireDocsCheckName(text) ?? checkName;
    const used = userloopRef(text);
    if (used === undefined) {
      checks.push({ ...base, status: 'problem', message: `does not run ${USERLOOP_REPOSITORY}`, fix: 'rewrite it with `userloop init --force`' });
      continue;
    }
    if (ref !== undefined && used !== ref) {
      checks.push({ ...base, status: 'problem', message: `runs userloop at ${used}, not at ${ref}`, fix: `rewrite it with \`userloop init --ref ${ref} --force\`` });
      continue;
    }
    let expected: string;
    try {
      expected = initFiles({ ref: used, defaultBranch: r.branch }).find((f) => f.path === file.path)?.content ?? file.content;
    } catch {
      checks.push({ ...base, status: 'problem', message: `runs userloop at "${used}", which is not a tag, branch or commit sha`, fix: 'rewrite it with `userloop init --force`' });
      continue;
    }
    if (text === expected) {
      checks.push({ ...base, status: 'ok', message: `as \`userloop init\` writes it, userloop at ${used}` });
      continue;
    }
    let lacks: string[];
    try {
      lacks = differences(rec(parseYaml(text)), rec(parseYaml(expected)));
    } catch (error) {
      checks.push({ ...base, status: 'problem', message: `is not valid YAML (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`, fix: 'rewrite it with `userloop init --force`' });
      continue;
    }
    checks.push(
      lacks.length === 0
        ? { ...base, status: 'ok', message: `userloop at ${used}, with init's events and permissions (edited since init; your changes are kept)` }
        : { ...base, status: 'problem', message: `userloop at ${used}, but ${lacks.join('; ')}`, fix: `rewrite it with \`userloop init --ref ${used} --force\`, or add what is missing` },
    );
  }
  return { checks, checkName };
}

// ----- the required check -----

interface RuleEntry {
  type?: string;
  ruleset_id?: number;
  parameters?: { required_status_checks?: Array<{ context?: string }> };
}

async function checkRequired(r: Repo, checkName: string): Promise<DoctorCheck> {
  const base = { section: 'required-check' as const, subject: checkName };
  const how = `require it on ${r.branch}: Settings → Rules → Rulesets → a branch ruleset on the default branch with "Require status checks to pass" and "${checkName}" (or Settings → Branches → branch protection); it can be picked once the workflow has run on a pull request`;
  let rulesNote = '';
  try {
    const rules = (await r.octokit.paginate('GET /repos/{owner}/{repo}/rules/branches/{branch}', { owner: r.owner, repo: r.repo, branch: r.branch, per_page: 100 })) as RuleEntry[];
    const requiring = rules.find((rule) => rule.type === 'required_status_checks' && (rule.parameters?.required_status_checks ?? []).some((c) => c.context === checkName));
    if (requiring) return { ...base, status: 'ok', message: `a required status check on ${r.branch} (ruleset ${requiring.ruleset_id ?? ''})`.replace(' ()', '') };
  } catch (error) {
    // GitHub Enterprise Server before rulesets has no such route (404); classic protection still says.
    rulesNote = httpStatus(error) === 404 ? '' : `; the rulesets could not be read either (${why(error)})`;
  }
  try {
    const { data } = await r.octokit.request('GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks', { owner: r.owner, repo: r.repo, branch: r.branch });
    const contexts = [...(data.contexts ?? []), ...(data.checks ?? []).map((c) => c.context)];
    if (contexts.includes(checkName)) return { ...base, status: 'ok', message: `a required status check on ${r.branch} (branch protection)` };
    return { ...base, status: 'problem', message: `not a required status check on ${r.branch} (its branch protection requires ${contexts.length ? quote([...new Set(contexts)]) : 'no check'})`, fix: how };
  } catch (error) {
    const message = messageOf(error);
    if (httpStatus(error) === 404 && /^(Branch not protected|Required status checks not enabled)$/.test(message)) {
      return { ...base, status: 'problem', message: `not a required status check on ${r.branch} (no ruleset requires it; ${message.toLowerCase()})`, fix: how };
    }
    return {
      ...base,
      status: 'unknown',
      message: `no ruleset of ${r.branch} requires it, and the token cannot read its branch protection (${why(error)})${rulesNote}`,
      fix: 'run again with a token of a repository admin (fine-grained: Administration read) to check',
    };
  }
}

// ----- owners -----

async function checkOwners(r: Repo, config: UserloopConfig): Promise<DoctorCheck[]> {
  const where = new Map<string, string[]>();
  config.areas.forEach((area, i) => area.owners.forEach((owner, j) => where.set(owner, [...(where.get(owner) ?? []), `areas[${i}].owners[${j}]`])));
  const checks: DoctorCheck[] = [];
  for (const [handle, keys] of where) {
    const base = { section: 'owners' as const, subject: handle };
    const at = ` (${keys.join(', ')})`;
    const placeholder = placeholderIn(handle);
    if (placeholder !== undefined) {
      checks.push({ ...base, status: 'problem', message: `a placeholder${at}`, fix: `write ${OWNER_WANTED}` });
      continue;
    }
    const [login, team] = handle.replace(/^@/, '').split('/') as [string, string | undefined];
    try {
      if (team !== undefined) {
        await r.octokit.request('GET /orgs/{org}/teams/{team_slug}', { org: login, team_slug: team });
        checks.push({ ...base, status: 'ok', message: `a team of ${login}${at}` });
        continue;
      }
      const { data } = await r.octokit.request('GET /users/{username}', { username: login });
      if (data.type === 'User') checks.push({ ...base, status: 'ok', message: `a GitHub user${at}` });
      else checks.push({ ...base, status: 'problem', message: `is a${data.type === 'Organization' ? 'n organization' : ` ${data.type.toLowerCase()}`}, not a person${at}`, fix: 'name a person (`@alice`) or a team (`@org/team`)' });
    } catch (error) {
      if (httpStatus(error) === 404) {
        checks.push({
          ...base,
          status: 'problem',
          message: team !== undefined ? `no team ${team} in ${login}, or one the token cannot see${at}` : `no such GitHub user${at}`,
          fix: 'fix the handle in the config',
        });
      } else {
        const hint = team !== undefined ? '; reading a team needs a token with the organization\'s Members read (classic: read:org)' : '';
        checks.push({ ...base, status: 'unknown', message: `could not be checked (${why(error)})${hint}${at}` });
      }
    }
  }
  return checks;
}

// ----- the whole check -----

function configChecks(loaded: ConfigResult, file: string): DoctorCheck[] {
  const base = { section: 'config' as const, subject: file };
  if (loaded.source === 'default') {
    return [{ ...base, status: 'problem', message: 'missing: every action runs on its defaults, and no area has an owner', fix: 'run `userloop init`, fill in the areas and owners, commit and push it' }];
  }
  if (loaded.errors.length > 0) return loaded.errors.map((e) => ({ ...base, status: 'problem', message: formatConfigIssue(e), fix: 'check it offline with `userloop check-config`' }));
  return [{ ...base, status: 'ok', message: `valid${loaded.warnings.length ? ` (${loaded.warnings.length} warning(s): \`userloop check-config\` lists them)` : ''}` }];
}

/** Checks the repository and, with `fix`, creates the missing labels. */
export async function doctor(options: DoctorOptions): Promise<DoctorResult> {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(options.repo);
  if (!match) throw new CliError(`--repo must be OWNER/NAME, got '${options.repo}'`);
  const [, owner, repo] = match as unknown as [string, string, string];
  if (!options.token) throw new CliError('set GITHUB_TOKEN to a token that can read the repository (and write issues for --fix; a repository admin\'s token also checks branch protection)');
  if (options.ref !== undefined) initFiles({ ref: options.ref }); // a malformed --ref is a usage error, before any request
  const apiUrl = (options.api ?? 'https://api.github.com').replace(/\/+$/, '');
  const octokit = createOctokit({ token: options.token, apiUrl, graphqlUrl: graphqlUrlFor(apiUrl) });
  const log = options.log ?? ((line: string) => console.error(line));
  log(`userloop doctor: reading ${owner}/${repo} from ${apiUrl} ...`);
  let branch: string;
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
    branch = data.default_branch;
  } catch (error) {
    if (httpStatus(error) === 404) throw new Error(`${owner}/${repo}: not found, or the token cannot see it`);
    throw error;
  }
  const r: Repo = { octokit, owner, repo, branch };
  const file = options.config ?? DEFAULT_CONFIG_PATH;
  const loaded = options.config ? parseConfig(readLocal(options.config), options.config) : await loadConfig({ octokit, owner, repo, ref: branch });
  const checks = configChecks(loaded, file);
  const config = loaded.errors.length === 0 ? (loaded.config ?? defaultConfig()) : undefined;
  let created: string[] = [];
  if (config) {
    const labels = await checkLabels(r, config, options.fix === true, log);
    checks.push(...labels.checks);
    created = labels.created;
  }
  const workflows = await checkWorkflows(r, options.ref);
  checks.push(...workflows.checks);
  checks.push(await checkRequired(r, workflows.checkName));
  if (config) checks.push(...(await checkOwners(r, config)));
  return { repository: `${owner}/${repo}`, defaultBranch: branch, ready: checks.every((c) => c.status === 'ok'), checks, created };
}

function readLocal(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`${path}: no such file (pass the path of your userloop.yml)`);
  }
}

const MARK: Record<CheckStatus, string> = { ok: '✓', problem: '✗', unknown: '?' };
const TITLES: Record<DoctorCheck['section'], string> = {
  config: 'Config',
  labels: 'Labels',
  workflows: 'Workflows',
  'required-check': 'Required check',
  owners: 'Area owners',
};

/** The report for a terminal: a line per check under its section, then the verdict and what `--fix` would do. */
export function formatDoctor(result: DoctorResult, fixed: boolean): string {
  const lines = [`${result.repository} (default branch ${result.defaultBranch})`];
  for (const section of Object.keys(TITLES) as Array<DoctorCheck['section']>) {
    const mine = result.checks.filter((c) => c.section === section);
    if (mine.length === 0) continue;
    lines.push('', TITLES[section]);
    for (const c of mine) lines.push(`  ${MARK[c.status]} ${c.subject}: ${c.message}${c.fix && c.status !== 'ok' ? `\n      → ${c.fix}` : ''}`);
  }
  const problems = result.checks.filter((c) => c.status === 'problem');
  const unknown = result.checks.filter((c) => c.status === 'unknown');
  lines.push('');
  if (result.ready) lines.push('Ready: every check passed.');
  else {
    const parts = [problems.length ? `${problems.length} problem(s)` : '', unknown.length ? `${unknown.length} check(s) the token could not make` : ''].filter(Boolean);
    lines.push(`Not ready: ${parts.join(', ')}.`);
  }
  if (unknown.length) lines.push(`Could not check: ${unknown.map((c) => c.subject).join(', ')} (see the ? lines).`);
  const labelFixes = problems.filter((c) => c.section === 'labels' && c.fix?.startsWith('--fix'));
  if (!fixed && labelFixes.length) lines.push(`\`userloop doctor --fix\` would create the missing labels of ${labelFixes.length} key(s); it changes nothing else.`);
  if (fixed) lines.push(result.created.length ? `Created ${result.created.length} label(s): ${quote(result.created)}.` : 'Created no label.');
  return lines.join('\n');
}
