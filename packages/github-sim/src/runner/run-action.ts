/**
 * Runs a composite `action.yml` the way the GitHub Actions runner does: inputs with defaults,
 * expressions in `if:`/`env:`/`with:`/`working-directory`, `run:` steps under bash, the runner's
 * environment variables, file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH,
 * GITHUB_STEP_SUMMARY) and workflow commands (annotations, masks, groups).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  commandToAnnotation,
  FileCommandError,
  maskSecrets,
  parseKeyValueFile,
  parseWorkflowCommand,
  type Annotation,
} from './commands.ts';
import {
  evaluateCondition,
  evaluateString,
  evaluateTemplate,
  ExpressionError,
  parseExpression,
  parseTemplate,
  toExprValue,
  truthy,
  type EvalScope,
  type ExprValue,
} from './expressions.ts';

/** The part of a running emulator the runner uses (structural, so any `Sim` fits). */
export interface RunnerSim<R = unknown> {
  /** REST base URL, becomes GITHUB_API_URL. */
  readonly url: string;
  /** GraphQL endpoint, becomes GITHUB_GRAPHQL_URL. */
  readonly graphqlUrl: string;
  /** The emulator's request log; the run returns the entries appended while it ran. */
  readonly requests: readonly R[];
}

/** The event that triggered the (simulated) workflow run. */
export interface RunnerEvent {
  /** `github.event_name` / GITHUB_EVENT_NAME, e.g. `issues`. */
  name: string;
  /** The webhook payload, written to GITHUB_EVENT_PATH and exposed as `github.event`. */
  payload: Record<string, unknown>;
}

/** Options of {@link runAction}. */
export interface RunActionOptions<R = unknown> {
  /**
   * Directory holding `action.yml` (or `action.yaml`). A relative path is resolved against the
   * current directory, or else against the repository root (the directory of pnpm-workspace.yaml).
   */
  actionDir: string;
  /** The emulator: its URLs become GITHUB_API_URL / GITHUB_GRAPHQL_URL. Without it, github.com URLs are used. */
  sim?: RunnerSim<R>;
  event: RunnerEvent;
  /** The `with:` values. Names are matched case-insensitively; numbers and booleans become strings. */
  inputs?: Record<string, string | number | boolean | undefined> | undefined;
  /** Workflow/job-level `env:`; visible to every step and in the `env` context. */
  env?: Record<string, string>;
  /** `owner/repo`; default: `payload.repository.full_name`, else `octo-org/octo-repo`. */
  repository?: string;
  /** GITHUB_WORKSPACE (and the default working directory); default: a fresh temp directory, removed afterwards. */
  workspace?: string;
  /** `github.token`; default `test-token` (the emulator's default bot token). Masked in the output, like the runner does. */
  token?: string;
  /** GITHUB_ACTOR; default `payload.sender.login`, else `octocat`. */
  actor?: string;
  /** GITHUB_REF; default derived from the event (push: `payload.ref`, pull_request: `refs/pull/N/merge`, release: the tag). */
  ref?: string;
  /** GITHUB_SHA; default derived from the event, else a fixed fake SHA. */
  sha?: string;
  /** Overrides GITHUB_API_URL (default: `sim.url`, else https://api.github.com). */
  apiUrl?: string;
  /** Overrides GITHUB_GRAPHQL_URL (default: `sim.graphqlUrl`, else https://api.github.com/graphql). */
  graphqlUrl?: string;
  /** GITHUB_SERVER_URL; default https://github.com. */
  serverUrl?: string;
  /** Each step is killed (its whole process group) after this many milliseconds. Default 60 000. */
  stepTimeoutMs?: number;
  /**
   * Pass this process's environment to the steps. Default false: steps get only PATH, HOME,
   * locale and temp variables, so a developer's or CI's GITHUB_* variables never leak in.
   */
  inheritEnv?: boolean;
  /** Keep RUNNER_TEMP (event file, scripts, file-command files) after the run, for debugging. */
  keepTemp?: boolean;
  /**
   * Also return what the steps wrote before masking (`result.raw`), to check that an action never
   * prints a secret itself instead of relying on the runner's masking. Default false.
   */
  raw?: boolean;
  /**
   * Cancels the run: the running step's process group is killed and no later step starts (the
   * platform emulation uses it for `cancel-in-progress` and a job's `timeout-minutes`).
   */
  signal?: AbortSignal;
  /** Runner environment variables to set or override (GITHUB_JOB, GITHUB_RUN_ID, GITHUB_WORKFLOW_REF...). */
  runnerEnv?: Record<string, string>;
  /** Properties of the `github` context to set or override (job, run_id, workflow...). */
  githubContext?: Record<string, unknown>;
  /**
   * Append the directory of the Node.js running this process to the steps' PATH, so `node` is found
   * wherever the tests run. Default true; false runs the steps with only the PATH given (in `env`),
   * like a self-hosted runner or job container that has no `node`.
   */
  hostNode?: boolean;
}

/** The un-masked output of a run (see {@link RunActionOptions.raw}). */
export interface RawRunOutput {
  /** Everything the steps wrote to stdout, as written (the runner's own `::add-mask::` lines included). */
  stdout: string;
  /** Everything the steps wrote to stderr, as written. */
  stderr: string;
  /** Every step's GITHUB_STEP_SUMMARY content, as written. */
  summary: string;
  /** The annotations before masking. */
  annotations: Annotation[];
  /** The composite outputs (never masked by the runner either). */
  outputs: Record<string, string>;
}

/** What happened to one step. */
export interface StepResult {
  /** The step's `id`, or a generated `__run_N` one. */
  id: string;
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  /** Like outcome, except a failed step with `continue-on-error: true` concludes `success`. */
  conclusion: 'success' | 'failure' | 'skipped';
  /** The shell's exit code; null when skipped, killed on timeout, or failed before starting. */
  exitCode: number | null;
  timedOut: boolean;
  /** Outputs the step wrote to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  durationMs: number;
}

/** Result of {@link runAction}. */
export interface RunActionResult<R = unknown> {
  /** 0 when every step succeeded (or continued on error); else the first failed step's exit code (1 for a timeout or runner error). */
  exitCode: number;
  /** The composite action's declared `outputs:`, evaluated after the steps (like the runner, undeclared step outputs are not included: see `steps`). */
  outputs: Record<string, string>;
  /** Every step's GITHUB_STEP_SUMMARY content, concatenated, secrets masked. */
  summary: string;
  /**
   * Annotations from `::error`/`::warning`/`::notice` on stdout or stderr, plus the ones the
   * runner adds itself: `Process completed with exit code N.` for a failed step, timeouts,
   * unexpected inputs, missing required inputs, malformed file commands. Secrets masked.
   */
  annotations: Annotation[];
  /** Everything the steps wrote to stdout (workflow command lines kept), secrets masked as `***`. */
  stdout: string;
  /** Everything the steps wrote to stderr, secrets masked as `***`. */
  stderr: string;
  /** The emulator requests made during this run (empty without a sim). */
  requests: R[];
  steps: StepResult[];
  /** Variables the steps wrote to GITHUB_ENV (they reach the job's later steps, like on the runner). */
  env: Record<string, string>;
  /** Directories the steps added to GITHUB_PATH, latest first. */
  path: string[];
  /** True when `signal` aborted the run. */
  cancelled: boolean;
  /** The un-masked output, when `raw: true` was passed. */
  raw?: RawRunOutput;
}

/** Raised when the action cannot be run at all: unreadable or invalid action.yml, unsupported syntax or features. */
export class ActionRunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRunnerError';
  }
}

const DEFAULT_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';
const DEFAULT_TIMEOUT_MS = 60_000;
const SUMMARY_LIMIT = 1024 * 1024;
/** The named-values a composite action's expressions can use (secrets are not available in composite actions). */
const CONTEXT_NAMES = ['github', 'env', 'inputs', 'steps', 'runner', 'job', 'strategy', 'matrix'];
const PASSTHROUGH_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SHELL', 'SYSTEMROOT'];

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: unknown;
}

/** A step of a composite action, as written (a workflow's step adds `timeout-minutes`). */
export interface ActionStep {
  id?: string;
  name?: string;
  if?: string | boolean | number;
  run?: string;
  uses?: string;
  shell?: string;
  env?: Record<string, unknown>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
  'continue-on-error'?: boolean | string;
}

interface ActionMetadata {
  name?: string;
  inputs?: Record<string, ActionInput | null>;
  outputs?: Record<string, { description?: string; value?: unknown } | null>;
  runs?: { using?: string; steps?: ActionStep[] };
}

function findRepoRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveActionDir(actionDir: string): string {
  if (path.isAbsolute(actionDir)) return actionDir;
  const fromCwd = path.resolve(actionDir);
  if (existsSync(fromCwd)) return fromCwd;
  const root = findRepoRoot();
  return root ? path.resolve(root, actionDir) : fromCwd;
}

async function loadAction(actionPath: string): Promise<{ file: string; meta: ActionMetadata }> {
  const candidates = ['action.yml', 'action.yaml'].map((f) => path.join(actionPath, f));
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new ActionRunnerError(`No action.yml or action.yaml in ${actionPath}`);
  let meta: unknown;
  try {
    meta = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ActionRunnerError(`${file}: invalid YAML: ${(error as Error).message}`);
  }
  if (meta === null || typeof meta !== 'object') throw new ActionRunnerError(`${file}: expected a mapping at the top level`);
  const m = meta as ActionMetadata;
  if (m.runs?.using !== 'composite') {
    throw new ActionRunnerError(`${file}: runs.using is '${String(m.runs?.using)}'; this runner runs composite actions only`);
  }
  if (!Array.isArray(m.runs.steps)) throw new ActionRunnerError(`${file}: runs.steps must be a list`);
  m.runs.steps.forEach((step, i) => {
    const where = `${file}: runs.steps[${i}]${step?.id ? ` (id: ${step.id})` : ''}`;
    if (step === null || typeof step !== 'object') throw new ActionRunnerError(`${where}: a step must be a mapping`);
    if (step.uses !== undefined) {
      throw new ActionRunnerError(`${where}: 'uses: ${step.uses}' is not supported by the github-sim runner (only 'run:' steps; nested actions are not emulated)`);
    }
    if (typeof step.run !== 'string') throw new ActionRunnerError(`${where}: a step needs 'run:'`);
    if (typeof step.shell !== 'string' || step.shell === '') {
      throw new ActionRunnerError(`${where}: required property is missing: shell (composite 'run:' steps must set 'shell:')`);
    }
    if (step.id !== undefined && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step.id)) {
      throw new ActionRunnerError(`${where}: invalid step id '${step.id}'`);
    }
    // Every expression is parsed before any step runs, so unsupported syntax fails early.
    const check = (field: string, text: unknown, bare = false): void => {
      if (typeof text !== 'string') return;
      try {
        if (bare && !text.includes('${{')) parseExpression(text, CONTEXT_NAMES);
        else parseTemplate(text, CONTEXT_NAMES);
      } catch (error) {
        if (error instanceof ExpressionError) throw new ExpressionError(`${where}.${field}: ${error.message}`, error.expression);
        throw error;
      }
    };
    check('if', step.if, true);
    for (const field of ['run', 'shell', 'working-directory', 'continue-on-error', 'name'] as const) check(field, step[field]);
    for (const [k, v] of Object.entries(step.env ?? {})) check(`env.${k}`, v);
  });
  for (const [name, spec] of Object.entries(m.outputs ?? {})) {
    const value = spec?.value;
    if (typeof value === 'string') {
      try {
        parseTemplate(value, CONTEXT_NAMES);
      } catch (error) {
        if (error instanceof ExpressionError) throw new ExpressionError(`${file}: outputs.${name}.value: ${error.message}`, error.expression);
        throw error;
      }
    }
  }
  return { file, meta: m };
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function deriveRefSha(eventName: string, payload: Record<string, unknown>): { ref: string; sha: string } {
  const repo = asRecord(payload.repository);
  const defaultRef = `refs/heads/${str(repo.default_branch) ?? 'main'}`;
  if (eventName === 'push') return { ref: str(payload.ref) ?? defaultRef, sha: str(payload.after) ?? DEFAULT_SHA };
  if (eventName === 'pull_request' || eventName === 'pull_request_review' || eventName === 'pull_request_review_comment') {
    const pr = asRecord(payload.pull_request);
    const head = asRecord(pr.head);
    const number = typeof pr.number === 'number' ? pr.number : payload.number;
    return {
      ref: number !== undefined ? `refs/pull/${String(number)}/merge` : defaultRef,
      sha: str(pr.merge_commit_sha) ?? str(head.sha) ?? DEFAULT_SHA,
    };
  }
  if (eventName === 'release') {
    const tag = str(asRecord(payload.release).tag_name);
    return { ref: tag ? `refs/tags/${tag}` : defaultRef, sha: DEFAULT_SHA };
  }
  return { ref: defaultRef, sha: DEFAULT_SHA };
}

/** The command line the runner uses for a `shell:` (bash, sh, python or a custom template with `{0}`). */
export function shellCommand(shell: string, scriptPath: string): { file: string; args: string[] } {
  const templates: Record<string, string> = {
    bash: 'bash --noprofile --norc -eo pipefail {0}',
    sh: 'sh -e {0}',
    python: 'python3 {0}',
  };
  const template = templates[shell] ?? shell;
  if (!template.includes('{0}')) {
    throw new ActionRunnerError(`Unsupported shell '${shell}': use bash, sh, python or a custom template containing {0}`);
  }
  const parts = template.split(/\s+/).filter(Boolean).map((p) => p.replace('{0}', scriptPath));
  const [file, ...args] = parts as [string, ...string[]];
  return { file, args };
}

interface LineSink {
  onLine(line: string): void;
}

/** Splits a stream into lines (keeping the text) and feeds each complete line to a sink. */
function lineSplitter(sink: LineSink): { push(chunk: string): void; end(): void } {
  let buffer = '';
  return {
    push(chunk) {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        sink.onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
    },
    end() {
      if (buffer !== '') sink.onLine(buffer);
      buffer = '';
    },
  };
}

/**
 * Runs a composite action like the GitHub Actions runner does and reports what it did.
 *
 * Throws {@link ActionRunnerError} when action.yml is missing/invalid or uses something this
 * runner does not emulate (nested `uses:`), and an ExpressionError for malformed or unsupported
 * expression syntax. A failing step, a timeout or a missing required input is not thrown: it is
 * reported through `exitCode` and an error annotation, like a failed job.
 */
export async function runAction<R = unknown>(options: RunActionOptions<R>): Promise<RunActionResult<R>> {
  const actionPath = resolveActionDir(options.actionDir);
  const { meta } = await loadAction(actionPath);
  const steps = meta.runs?.steps ?? [];
  const requestStart = options.sim ? options.sim.requests.length : 0;
  const timeoutMs = options.stepTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'github-sim-runner-'));
  const ownWorkspace = options.workspace === undefined;
  const workspace = options.workspace !== undefined ? path.resolve(options.workspace) : await mkdtemp(path.join(os.tmpdir(), 'github-sim-workspace-'));

  const payload = options.event.payload;
  const repository = options.repository ?? str(asRecord(payload.repository).full_name) ?? 'octo-org/octo-repo';
  const owner = repository.split('/')[0] ?? repository;
  const actor = options.actor ?? str(asRecord(payload.sender).login) ?? 'octocat';
  const derived = deriveRefSha(options.event.name, payload);
  const ref = options.ref ?? derived.ref;
  const sha = options.sha ?? derived.sha;
  const token = options.token ?? 'test-token';
  const apiUrl = options.apiUrl ?? options.sim?.url ?? 'https://api.github.com';
  const graphqlUrl = options.graphqlUrl ?? options.sim?.graphqlUrl ?? 'https://api.github.com/graphql';
  const serverUrl = options.serverUrl ?? 'https://github.com';
  const refName = ref.replace(/^refs\/(heads|tags)\//, '');
  const refType = ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  const pr = asRecord(payload.pull_request);
  const headRef = options.event.name.startsWith('pull_request') ? (str(asRecord(pr.head).ref) ?? '') : '';
  const baseRef = options.event.name.startsWith('pull_request') ? (str(asRecord(pr.base).ref) ?? '') : '';

  const eventDir = path.join(runnerTemp, '_github_workflow');
  const fileCommandDir = path.join(runnerTemp, '_runner_file_commands');
  await mkdir(eventDir, { recursive: true });
  await mkdir(fileCommandDir, { recursive: true });
  const eventPath = path.join(eventDir, 'event.json');
  await writeFile(eventPath, JSON.stringify(payload, null, 2));

  const secrets = new Set<string>();
  if (token) secrets.add(token);
  const annotations: Annotation[] = [];
  const stepResults: StepResult[] = [];
  let stdout = '';
  let stderr = '';
  let summary = '';
  let failed = false;
  let exitCode = 0;

  const fail = (code: number): void => {
    if (!failed) exitCode = code;
    failed = true;
  };

  const runnerEnv: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: graphqlUrl,
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTOR: actor,
    GITHUB_TRIGGERING_ACTOR: actor,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: refType,
    GITHUB_HEAD_REF: headRef,
    GITHUB_BASE_REF: baseRef,
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_WORKFLOW: 'github-sim',
    GITHUB_RETENTION_DAYS: '90',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(runnerTemp, '_tool'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'github-sim',
    RUNNER_ENVIRONMENT: 'github-hosted',
    ...(options.runnerEnv ?? {}),
  };

  const githubContext = toExprValue({
    action: '__run',
    action_path: actionPath,
    actor,
    api_url: apiUrl,
    base_ref: baseRef,
    event: payload,
    event_name: options.event.name,
    event_path: eventPath,
    graphql_url: graphqlUrl,
    head_ref: headRef,
    job: 'test',
    ref,
    ref_name: refName,
    ref_type: refType,
    repository,
    repository_owner: owner,
    retention_days: '90',
    run_attempt: '1',
    run_id: '1',
    run_number: '1',
    server_url: serverUrl,
    sha,
    token,
    triggering_actor: actor,
    workflow: 'github-sim',
    workspace,
    ...(options.githubContext ?? {}),
  });
  const runnerContext = toExprValue({
    os: 'Linux',
    arch: 'X64',
    name: 'github-sim',
    environment: 'github-hosted',
    temp: runnerTemp,
    tool_cache: path.join(runnerTemp, '_tool'),
  });

  const jobEnv: Record<string, string> = { ...(options.env ?? {}) };
  const fileEnv: Record<string, string> = {};
  const extraPath: string[] = [];
  const stepsContext: Record<string, ExprValue> = {};
  let inputsContext: Record<string, ExprValue> = {};

  const scope = (extra?: Record<string, string>): EvalScope => ({
    contexts: {
      github: githubContext,
      env: toExprValue({ ...jobEnv, ...fileEnv, ...(extra ?? {}) }),
      inputs: inputsContext,
      steps: stepsContext,
      runner: runnerContext,
      job: toExprValue({ status: failed ? 'failure' : 'success' }),
      strategy: toExprValue({ 'fail-fast': true, 'job-index': 0, 'job-total': 1, 'max-parallel': 1 }),
      matrix: null,
    },
    status: { failed },
  });

  try {
    // Inputs: match names case-insensitively, apply defaults (which may hold expressions), check required.
    const declared = Object.entries(meta.inputs ?? {});
    const given = new Map<string, string>();
    const unexpected: string[] = [];
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      if (value === undefined) continue;
      const match = declared.find(([d]) => d.toLowerCase() === name.toLowerCase());
      if (match) given.set(match[0], String(value));
      else unexpected.push(name);
    }
    if (unexpected.length > 0) {
      annotations.push({
        level: 'warning',
        message: `Unexpected input(s) ${unexpected.map((u) => `'${u}'`).join(', ')}, valid inputs are [${declared.map(([d]) => `'${d}'`).join(', ')}]`,
      });
    }
    const inputs: Record<string, ExprValue> = {};
    const missing: string[] = [];
    for (const [name, spec] of declared) {
      const s = spec ?? {};
      if (given.has(name)) inputs[name] = given.get(name) as string;
      else if (s.default !== undefined && s.default !== null) inputs[name] = evaluateString(String(s.default), scope());
      else {
        inputs[name] = '';
        if (s.required === true) missing.push(name);
      }
    }
    inputsContext = inputs;

    if (missing.length > 0) {
      for (const name of missing) {
        const message = `Input required and not supplied: ${name}`;
        annotations.push({ level: 'error', message });
        stderr += `Error: ${message}\n`;
      }
      fail(1);
    } else {
      for (const [index, step] of steps.entries()) {
        if (options.signal?.aborted) break;
        const result = await runStep(step, index);
        stepResults.push(result);
      }
    }

    const outputs: Record<string, string> = {};
    if (!(missing.length > 0)) {
      for (const [name, spec] of Object.entries(meta.outputs ?? {})) {
        const value = spec?.value;
        outputs[name] = value === undefined || value === null ? '' : evaluateString(String(value), scope());
      }
    }

    const requests = options.sim ? sliceRequests(options.sim.requests, requestStart) : [];
    return {
      exitCode,
      outputs,
      summary: maskSecrets(summary, secrets),
      annotations: annotations.map((a) => maskAnnotation(a, secrets)),
      stdout: maskSecrets(stdout, secrets),
      stderr: maskSecrets(stderr, secrets),
      requests,
      steps: stepResults,
      env: { ...fileEnv },
      path: [...extraPath],
      cancelled: options.signal?.aborted ?? false,
      ...(options.raw ? { raw: { stdout, stderr, summary, annotations: annotations.map((a) => ({ ...a })), outputs: { ...outputs } } } : {}),
    };
  } finally {
    if (!options.keepTemp) await rm(runnerTemp, { recursive: true, force: true });
    if (ownWorkspace) await rm(workspace, { recursive: true, force: true });
  }

  async function runStep(step: ActionStep, index: number): Promise<StepResult> {
    const id = step.id ?? `__run${index === 0 ? '' : `_${index + 1}`}`;
    const name = step.name !== undefined ? safeName(step.name) : `Run ${(step.run ?? '').split('\n')[0]}`;
    const started = Date.now();
    const base: StepResult = { id, name, outcome: 'skipped', conclusion: 'skipped', exitCode: null, timedOut: false, outputs: {}, durationMs: 0 };

    if (!evaluateCondition(step.if, scope())) {
      stepsContext[id] = toExprValue({ outputs: {}, outcome: 'skipped', conclusion: 'skipped' });
      return base;
    }

    let continueOnError = false;
    let stepExit: number | null = null;
    let timedOut = false;
    let ok = false;
    const outputs: Record<string, string> = {};
    try {
      continueOnError = evalContinueOnError(step['continue-on-error']);
      const stepEnv: Record<string, string> = {};
      const envScope = scope();
      for (const [k, v] of Object.entries(step.env ?? {})) {
        stepEnv[k] = v === null || v === undefined ? '' : typeof v === 'string' ? evaluateString(v, envScope) : String(v);
      }
      const inner = scope(stepEnv);
      const script = evaluateString(step.run ?? '', inner);
      const wd = step['working-directory'] !== undefined ? evaluateString(step['working-directory'], inner) : '';
      const cwd = wd ? path.resolve(workspace, wd) : workspace;
      const shell = evaluateString(step.shell ?? 'bash', inner);

      const files = {
        GITHUB_OUTPUT: path.join(fileCommandDir, `set_output_${randomUUID()}`),
        GITHUB_ENV: path.join(fileCommandDir, `set_env_${randomUUID()}`),
        GITHUB_PATH: path.join(fileCommandDir, `add_path_${randomUUID()}`),
        GITHUB_STEP_SUMMARY: path.join(fileCommandDir, `step_summary_${randomUUID()}`),
        GITHUB_STATE: path.join(fileCommandDir, `save_state_${randomUUID()}`),
      };
      for (const f of Object.values(files)) await writeFile(f, '');

      const scriptPath = path.join(runnerTemp, `${randomUUID()}${shell === 'python' ? '.py' : '.sh'}`);
      const { file: shellFile, args } = shellCommand(shell, scriptPath);
      await writeFile(scriptPath, script);

      const env: Record<string, string> = {};
      const hostEnv = options.inheritEnv ? process.env : Object.fromEntries(PASSTHROUGH_ENV.map((k) => [k, process.env[k]]));
      for (const [k, v] of Object.entries(hostEnv)) if (v !== undefined) env[k] = v;
      Object.assign(env, jobEnv, fileEnv, stepEnv, runnerEnv, files, { GITHUB_ACTION: id });
      const nodeDir = options.hostNode === false ? '' : path.dirname(process.execPath);
      env.PATH = [...extraPath, env.PATH ?? '', nodeDir].filter(Boolean).join(path.delimiter);

      if (!existsSync(cwd)) throw new StepError(`An error occurred trying to start process '${shellFile}' with working directory '${cwd}'. No such file or directory`);

      const commandState: { stopToken?: string | undefined } = {};
      const run = await spawnStep(shellFile, args, cwd, env, timeoutMs, (line) => handleCommandLine(commandState, line), options.signal);
      stepExit = run.exitCode;
      timedOut = run.timedOut;
      stdout += run.stdout;
      stderr += run.stderr;

      // File commands are processed whatever the exit code, like the runner does.
      try {
        for (const [k, v] of parseKeyValueFile(await readFile(files.GITHUB_OUTPUT, 'utf8'))) outputs[k] = v;
        for (const [k, v] of parseKeyValueFile(await readFile(files.GITHUB_ENV, 'utf8'))) fileEnv[k] = v;
      } catch (error) {
        if (error instanceof FileCommandError) throw new StepError(`Unable to process file command successfully: ${error.message}`);
        throw error;
      }
      for (const line of (await readFile(files.GITHUB_PATH, 'utf8')).split('\n')) {
        const p = line.trim();
        if (p) extraPath.unshift(p);
      }
      const stepSummary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8');
      const size = Buffer.byteLength(stepSummary);
      if (size > SUMMARY_LIMIT) {
        annotations.push({
          level: 'error',
          message: `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${SUMMARY_LIMIT / 1024}k, got ${Math.ceil(size / 1024)}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary`,
        });
      } else {
        summary += stepSummary;
      }

      if (run.aborted) {
        annotations.push({ level: 'error', message: 'The operation was canceled.' });
      } else if (timedOut) {
        const message = `The action '${name}' has timed out after ${timeoutMs / 1000} seconds.`;
        annotations.push({ level: 'error', message });
        stderr += `Error: ${message}\n`;
      } else if (stepExit !== 0) {
        annotations.push({ level: 'error', message: `Process completed with exit code ${String(stepExit)}.` });
      } else {
        ok = true;
      }
    } catch (error) {
      if (!(error instanceof StepError) && !(error instanceof ExpressionError && error.phase === 'evaluate')) throw error;
      annotations.push({ level: 'error', message: error.message });
      stderr += `Error: ${error.message}\n`;
    }

    const outcome = ok ? 'success' : 'failure';
    const conclusion = ok || continueOnError ? 'success' : 'failure';
    if (conclusion === 'failure') fail(stepExit !== null && stepExit !== 0 && !timedOut ? stepExit : 1);
    stepsContext[id] = toExprValue({ outputs, outcome, conclusion });
    return { id, name, outcome, conclusion, exitCode: stepExit, timedOut, outputs, durationMs: Date.now() - started };
  }

  function evalContinueOnError(v: boolean | string | undefined): boolean {
    if (v === undefined) return false;
    if (typeof v === 'boolean') return v;
    return truthy(evaluateTemplate(v, scope()));
  }

  function safeName(n: string): string {
    try {
      return evaluateString(n, scope());
    } catch {
      return n;
    }
  }

  function handleCommandLine(state: { stopToken?: string | undefined }, line: string): void {
    const cmd = parseWorkflowCommand(line);
    if (!cmd) return;
    if (state.stopToken !== undefined) {
      if (cmd.name === state.stopToken) state.stopToken = undefined;
      return;
    }
    if (cmd.name === 'stop-commands') {
      state.stopToken = cmd.data;
      return;
    }
    if (cmd.name === 'add-mask') {
      const value = cmd.data.trim();
      if (value) secrets.add(value);
      return;
    }
    const annotation = commandToAnnotation(cmd);
    if (annotation) annotations.push(annotation);
  }
}

/** What {@link spawnStep} reports. */
export interface SpawnResult {
  exitCode: number | null;
  timedOut: boolean;
  /** True when `signal` killed the process. */
  aborted: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs one step's shell in its own process group, feeding every output line to `onLine` (for workflow
 * commands). The group is killed after `timeout` ms or when `signal` aborts; background processes the
 * step left behind end with it.
 */
export function spawnStep(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeout: number,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const outLines = lineSplitter({ onLine });
    const errLines = lineSplitter({ onLine });
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    let aborted = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeout);
    const onAbort = (): void => {
      aborted = true;
      killGroup(child.pid);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      outLines.push(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      errLines.push(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new StepError(`An error occurred trying to start process '${file}': ${error.message}`));
    });
    // Background processes the step left behind would hold the pipes open: end them with the step.
    child.on('exit', () => killGroup(child.pid));
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outLines.end();
      errLines.end();
      resolve({ exitCode: timedOut || aborted ? null : code, timedOut, aborted, stdout: out, stderr: err });
    });
  });
}

class StepError extends Error {}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

function sliceRequests<R>(requests: readonly R[], start: number): R[] {
  return requests.length >= start ? requests.slice(start) : [...requests];
}

function maskAnnotation(a: Annotation, secrets: Set<string>): Annotation {
  const out: Annotation = { ...a, message: maskSecrets(a.message, secrets) };
  if (a.title !== undefined) out.title = maskSecrets(a.title, secrets);
  return out;
}
