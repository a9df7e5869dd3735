/**
 * Discovery and parsing of the repository's workflows and composite actions, shared by the
 * repository checks. Every function takes a root directory so the same code runs on the real
 * tree and on the fixture trees under tests/fixtures/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesRoot = path.join(repoRoot, 'tests', 'fixtures');

/** A workflow or action metadata file found under a root. */
export interface RepoFile {
  kind: 'workflow' | 'action';
  /** Absolute path. */
  file: string;
  /** Path relative to the root, with `/`. */
  rel: string;
  text: string;
}

/** A parsed file: the plain data plus the YAML document for source positions. */
export interface ParsedFile extends RepoFile {
  doc: Document.Parsed;
  data: unknown;
  lineOf(offset: number): number;
}

/** Lists `.github/workflows/*.{yml,yaml}` and `actions/* /action.{yml,yaml}` under root (sorted). */
export function discover(root: string): RepoFile[] {
  const out: RepoFile[] = [];
  const wfDir = path.join(root, '.github', 'workflows');
  if (existsSync(wfDir)) {
    for (const name of readdirSync(wfDir).sort()) {
      if (/\.ya?ml$/.test(name)) out.push(load('workflow', root, path.join(wfDir, name)));
    }
  }
  const actionsDir = path.join(root, 'actions');
  if (existsSync(actionsDir)) {
    for (const name of readdirSync(actionsDir).sort()) {
      const dir = path.join(actionsDir, name);
      if (!statSync(dir).isDirectory()) continue;
      for (const meta of ['action.yml', 'action.yaml']) {
        const file = path.join(dir, meta);
        if (existsSync(file)) out.push(load('action', root, file));
      }
    }
  }
  return out;
}

function load(kind: RepoFile['kind'], root: string, file: string): RepoFile {
  return { kind, file, rel: path.relative(root, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') };
}

/** Parses a discovered file; YAML syntax errors are thrown with the file name. */
export function parse(f: RepoFile): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(f.text, { lineCounter, keepSourceTokens: true });
  if (doc.errors.length > 0) throw new Error(`${f.rel}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  return { ...f, doc, data: doc.toJS(), lineOf: (offset) => lineCounter.linePos(offset).line };
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A `run:` script with where it came from. */
export interface RunScript {
  rel: string;
  /** Where the script is: `jobs.<job>.steps[i]` or `runs.steps[i]`. */
  where: string;
  /** 1-based line of the script's first line in the file. */
  line: number;
  script: string;
  /** The shell the script runs under (step `shell`, else defaults, else `bash`). */
  shell: string;
}

function scriptLine(f: ParsedFile, pathInDoc: (string | number)[]): number {
  const node = f.doc.getIn(pathInDoc, true) as YamlNode | undefined;
  if (!node || !isScalar(node) || !node.range) return 1;
  const line = f.lineOf(node.range[0]);
  // A block scalar (`run: |`) starts on the line after its indicator.
  return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? line + 1 : line;
}

function defaultShell(...scopes: unknown[]): string | undefined {
  for (const s of scopes) {
    const shell = asRecord(asRecord(asRecord(s).defaults).run).shell;
    if (typeof shell === 'string') return shell;
  }
  return undefined;
}

/** Every `run:` script of a workflow (all jobs) or of a composite action. */
export function runScripts(f: ParsedFile): RunScript[] {
  const out: RunScript[] = [];
  const data = asRecord(f.data);
  if (f.kind === 'workflow') {
    for (const [jobId, job] of Object.entries(asRecord(data.jobs))) {
      const steps = asRecord(job).steps;
      if (!Array.isArray(steps)) continue;
      steps.forEach((step: unknown, i) => {
        const s = asRecord(step);
        if (typeof s.run !== 'string') return;
        out.push({
          rel: f.rel,
          where: `jobs.${jobId}.steps[${i}]`,
          line: scriptLine(f, ['jobs', jobId, 'steps', i, 'run']),
          script: s.run,
          shell: typeof s.shell === 'string' ? s.shell : (defaultShell(job, data) ?? 'bash'),
        });
      });
    }
  } else {
    const steps = asRecord(data.runs).steps;
    if (Array.isArray(steps)) {
      steps.forEach((step: unknown, i) => {
        const s = asRecord(step);
        if (typeof s.run !== 'string') return;
        out.push({
          rel: f.rel,
          where: `runs.steps[${i}]`,
          line: scriptLine(f, ['runs', 'steps', i, 'run']),
          script: s.run,
          shell: typeof s.shell === 'string' ? s.shell : 'bash',
        });
      });
    }
  }
  return out;
}

/** Every `uses:` reference: workflow steps, reusable-workflow jobs and composite steps. */
export function usesRefs(f: ParsedFile): { where: string; uses: string }[] {
  const out: { where: string; uses: string }[] = [];
  const data = asRecord(f.data);
  const fromSteps = (steps: unknown, prefix: string): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((step: unknown, i) => {
      const uses = asRecord(step).uses;
      if (typeof uses === 'string') out.push({ where: `${prefix}[${i}]`, uses });
    });
  };
  if (f.kind === 'workflow') {
    for (const [jobId, job] of Object.entries(asRecord(data.jobs))) {
      const j = asRecord(job);
      if (typeof j.uses === 'string') out.push({ where: `jobs.${jobId}`, uses: j.uses });
      fromSteps(j.steps, `jobs.${jobId}.steps`);
    }
  } else {
    fromSteps(asRecord(data.runs).steps, 'runs.steps');
  }
  return out;
}

/** True when a `uses:` reference is local or pinned (40-hex commit SHA; docker images by sha256 digest). */
export function isPinned(uses: string): boolean {
  if (uses.startsWith('./')) return true;
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses);
  return /^[^\s@]+\/[^\s@]+@[0-9a-f]{40}$/.test(uses);
}

/**
 * Builds a workflow that actionlint can check from a composite action: the action's steps become
 * the steps of one job and its inputs become `workflow_call` inputs (so `inputs.<name>` is typed).
 * The steps' source lines are copied with one indentation shift, so a finding maps back exactly:
 * original line = synthetic line - lineDelta, original column = synthetic column - colDelta.
 */
export function actionAsWorkflow(f: ParsedFile): { text: string; lineDelta: number; colDelta: number } {
  const data = asRecord(f.data);
  const inputs = Object.keys(asRecord(data.inputs));
  const header = [
    'on:',
    '  workflow_call:',
    ...(inputs.length > 0 ? ['    inputs:', ...inputs.flatMap((n) => [`      ${JSON.stringify(n)}:`, '        type: string'])] : []),
    'jobs:',
    '  composite:',
    '    runs-on: ubuntu-latest',
    '    steps:',
  ];
  const stepsNode = f.doc.getIn(['runs', 'steps'], true) as YamlNode | undefined;
  if (!stepsNode || !isSeq(stepsNode) || !stepsNode.range || stepsNode.flow) {
    const steps = asRecord(data.runs).steps ?? [];
    const body = JSON.stringify(steps);
    return { text: `${header.join('\n')} ${body === '[]' ? '[{run: "true", shell: bash}]' : body}\n`, lineDelta: 0, colDelta: 0 };
  }
  const start = f.text.lastIndexOf('\n', stepsNode.range[0] - 1) + 1;
  const lines = f.text.slice(start, stepsNode.range[1]).replace(/\n+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const min = Math.min(...indents);
  const shifted = lines.map((l) => (l.trim() === '' ? '' : `      ${l.slice(Math.min(min, /^ */.exec(l)?.[0].length ?? 0))}`));
  const firstLine = f.lineOf(start);
  return { text: `${[...header, ...shifted].join('\n')}\n`, lineDelta: header.length + 1 - firstLine, colDelta: 6 - min };
}
