/**
 * Runs one workflow run: jobs in `needs:` order with `if:`, matrices, outputs, timeouts and job
 * concurrency; each job on a fresh GITHUB_TOKEN with the job's permissions, its `run:` steps under bash,
 * its `uses:` steps through the composite action runner or the built-in marketplace stand-ins.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sim } from '../server.ts';
import { ACTIONS_BOT, type AccessLevel } from '../store.ts';
import { commandToAnnotation, FileCommandError, maskSecrets, parseKeyValueFile, parseWorkflowCommand, type Annotation } from '../runner/commands.ts';
import {
  evaluateCondition,
  evaluateString,
  evaluateTemplate,
  ExpressionError,
  toExprValue,
  truthy,
  type EvalScope,
  type ExprValue,
} from '../runner/expressions.ts';
import { runAction, shellCommand, spawnStep } from '../runner/run-action.ts';
import { BUILTIN_ACTIONS, checkout, collect, downloadArtifact, uploadArtifact, writeFiles, type CacheStore } from './builtins.ts';
import type { ConcurrencyGroups } from './concurrency.ts';
import type { JobDef, Permissions, StepDef, Workflow } from './workflow.ts';

/** How a step ended (`cancelled` when the run was cancelled or the job timed out while it ran). */
export type StepOutcome = 'success' | 'failure' | 'skipped' | 'cancelled';

/** One step of a job, as the run's log shows it. */
export interface StepRecord {
  name: string;
  id?: string;
  uses?: string;
  outcome: StepOutcome;
  /** Like outcome, but a failed step with `continue-on-error` concludes `success`. */
  conclusion: StepOutcome;
  outputs: Record<string, string>;
}

/** One job (one matrix leg, one job of a called workflow). */
export interface JobRecord {
  /** The job id in its workflow. */
  id: string;
  /** As GitHub shows it: `name`, `name (matrix values)`, `caller / callee`. */
  name: string;
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped';
  steps: StepRecord[];
  outputs: Record<string, string>;
  annotations: Annotation[];
  /** GITHUB_STEP_SUMMARY of every step. */
  summary: string;
  stdout: string;
  stderr: string;
  /** The scopes of the job's GITHUB_TOKEN (REST permission names: `pull_requests`...). */
  permissions: Record<string, AccessLevel>;
  matrix?: Record<string, ExprValue>;
  /** Why the job failed without a failing step (unresolvable action, timeout, bad expression). */
  errors: string[];
}

/** The part of a platform a run needs. */
export interface EngineHost {
  sim: Sim;
  repository: string;
  checkout: string;
  actionRepos: Record<string, string>;
  vars: Record<string, string>;
  cache: CacheStore;
  groups: ConcurrencyGroups;
  /** Real milliseconds per minute of `timeout-minutes`. */
  minuteMs: number;
  /** Variables the runner machine sets for every step (as a self-hosted runner's environment does). */
  runnerEnv?: Record<string, string>;
  /** Called after every step (the platform turns API writes into events). */
  afterStep(): void;
  /** Loads the workflow a job's `uses:` names; throws an Error with a message GitHub would show. */
  loadCalledWorkflow(uses: string): Workflow;
}

/** What a run knows about its event. */
export interface RunEvent {
  name: string;
  action?: string;
  payload: Record<string, unknown>;
  actor: string;
  ref: string;
  sha: string;
  /** A pull request from a fork: read-only token, no secrets. */
  fork: boolean;
}

const CLOCK_PRELOAD = new URL('./clock.mjs', import.meta.url).href;

/** The environment that makes a job's Node.js processes tell time by the store's clock (`storeNowMs` now). */
function simClockEnv(storeNowMs: number): Record<string, string> {
  return { NODE_OPTIONS: `--import=${CLOCK_PRELOAD}`, GITHUB_SIM_CLOCK_OFFSET_MS: String(storeNowMs - Date.now()) };
}

const ALL_SCOPES = ['actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'issues', 'models', 'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses'];

/**
 * The token scopes of `permissions:` (REST names, `none` dropped). Absent: GitHub's restricted default
 * for a new repository (contents and packages read; metadata read is always granted).
 */
export function tokenPermissions(p: Permissions | undefined, fork: boolean): Record<string, AccessLevel> {
  let map: Record<string, string>;
  if (p === undefined) map = { contents: 'read', packages: 'read' };
  else if (p === 'read-all') map = Object.fromEntries(ALL_SCOPES.map((s) => [s, 'read']));
  else if (p === 'write-all') map = Object.fromEntries(ALL_SCOPES.map((s) => [s, 'write']));
  else map = p;
  const out: Record<string, AccessLevel> = { metadata: 'read' };
  for (const [scope, level] of Object.entries(map)) {
    if (level !== 'read' && level !== 'write') continue;
    if (scope === 'id-token') continue;
    out[scope.replace(/-/g, '_')] = fork ? 'read' : level;
  }
  return out;
}

/** Each scope at most what `cap` grants (a called workflow's token never exceeds its caller's). */
function capPermissions(p: Record<string, AccessLevel>, cap: Record<string, AccessLevel>): Record<string, AccessLevel> {
  const rank = { read: 1, write: 2, admin: 3 } as const;
  const out: Record<string, AccessLevel> = {};
  for (const [scope, level] of Object.entries(p)) {
    const c = cap[scope];
    if (!c) continue;
    out[scope] = rank[level] <= rank[c] ? level : c;
  }
  return out;
}

class JobCancelled extends Error {}

/** A workflow (or a called workflow) being run inside one run. */
export interface RunScope {
  workflow: Workflow;
  /** Base of the `github` context (without job-specific properties). */
  github: Record<string, unknown>;
  inputs: Record<string, ExprValue>;
  secrets: Record<string, string>;
  /** Prefix of job names (`caller / `) inside a called workflow. */
  namePrefix: string;
  /** Caps every job's token (a called workflow's caller job). */
  permissionCap?: Record<string, AccessLevel>;
  /** The caller's workflow `permissions:` (a called workflow without its own uses the caller's). */
  inheritedPermissions?: Permissions | undefined;
}

/** Runs the jobs of one workflow run and records them. */
export class RunExecutor {
  readonly jobs: JobRecord[] = [];
  readonly errors: string[] = [];
  private readonly controller = new AbortController();
  cancelReason: string | undefined;

  constructor(
    private readonly host: EngineHost,
    private readonly event: RunEvent,
    readonly runId: number,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Cancels the run: running steps are killed, no further job starts. */
  cancel(reason: string): void {
    this.cancelReason ??= reason;
    this.controller.abort();
  }

  /** Runs every job of `scope`; resolves to each job's result and outputs. */
  async runWorkflow(scope: RunScope): Promise<Record<string, { result: JobRecord['conclusion']; outputs: Record<string, string> }>> {
    const results: Record<string, { result: JobRecord['conclusion']; outputs: Record<string, string> }> = {};
    const promises = new Map<string, Promise<void>>();
    const start = (id: string): Promise<void> => {
      let p = promises.get(id);
      if (!p) {
        const job = scope.workflow.jobs[id] as JobDef;
        p = (async () => {
          await Promise.all((job.needs ?? []).map(start));
          results[id] = await this.runJob(scope, id, job, results);
        })();
        promises.set(id, p);
      }
      return p;
    };
    await Promise.all(Object.keys(scope.workflow.jobs).map(start));
    return results;
  }

  private baseContexts(scope: RunScope, needs: Record<string, ExprValue>): Record<string, ExprValue> {
    return {
      github: toExprValue(scope.github),
      inputs: toExprValue(scope.inputs),
      vars: toExprValue(this.host.vars),
      needs,
    };
  }

  private async runJob(
    scope: RunScope,
    id: string,
    job: JobDef,
    results: Record<string, { result: JobRecord['conclusion']; outputs: Record<string, string> }>,
  ): Promise<{ result: JobRecord['conclusion']; outputs: Record<string, string> }> {
    const needs: Record<string, ExprValue> = {};
    for (const n of job.needs ?? []) needs[n] = toExprValue(results[n] ?? { result: 'skipped', outputs: {} });
    const failed = (job.needs ?? []).some((n) => results[n]?.result === 'failure' || results[n]?.result === 'cancelled');
    // A job whose dependency was skipped is skipped too, unless its if: calls a status function.
    const neededSkipped = (job.needs ?? []).some((n) => results[n]?.result === 'skipped') && !/\b(always|success|failure|cancelled)\s*\(/i.test(String(job.if ?? ''));
    const displayName = `${scope.namePrefix}${job.name ?? id}`;
    const record = (conclusion: JobRecord['conclusion'], errors: string[] = []): JobRecord => {
      const r: JobRecord = { id, name: displayName, conclusion, steps: [], outputs: {}, annotations: errors.map((m) => ({ level: 'error' as const, message: m })), summary: '', stdout: '', stderr: '', permissions: {}, errors };
      this.jobs.push(r);
      return r;
    };
    const base = this.baseContexts(scope, needs);
    const status = { failed, cancelled: this.signal.aborted };
    let run: boolean;
    try {
      run = !neededSkipped && evaluateCondition(job.if, { contexts: base, status });
    } catch (error) {
      record('failure', [`${scope.workflow.file}: jobs.${id}.if: ${(error as Error).message}`]);
      return { result: 'failure', outputs: {} };
    }
    if (this.signal.aborted && !run) {
      record('cancelled');
      return { result: 'cancelled', outputs: {} };
    }
    if (!run) {
      record('skipped');
      return { result: 'skipped', outputs: {} };
    }
    if (job.uses !== undefined) return this.runCall(scope, id, job, needs, displayName, record);

    let legs: Array<Record<string, ExprValue> | undefined>;
    try {
      legs = expandMatrix(job.strategy?.matrix, { contexts: base });
    } catch (error) {
      record('failure', [`${scope.workflow.file}: jobs.${id}.strategy: ${(error as Error).message}`]);
      return { result: 'failure', outputs: {} };
    }
    if (legs.length === 0) {
      record('failure', [`${scope.workflow.file}: jobs.${id}.strategy: Matrix vector does not contain any values`]);
      return { result: 'failure', outputs: {} };
    }
    const failFast = job.strategy?.['fail-fast'] === undefined ? true : truthy(evaluateTemplate(String(job.strategy['fail-fast']), { contexts: base }));
    const maxParallel = job.strategy?.['max-parallel'] !== undefined ? Number(evaluateString(String(job.strategy['max-parallel']), { contexts: base })) || legs.length : legs.length;
    const legControllers = legs.map(() => new AbortController());
    const outcomes: Array<{ result: JobRecord['conclusion']; outputs: Record<string, string> }> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < legs.length) {
        const index = next++;
        const matrix = legs[index];
        const name = matrix && Object.keys(matrix).length > 0 ? `${displayName} (${Object.values(matrix).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')})` : displayName;
        const strategy = { 'fail-fast': failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': maxParallel };
        const out = await this.runLeg(scope, id, job, name, needs, matrix, strategy, (legControllers[index] as AbortController).signal);
        outcomes[index] = out;
        if (out.result === 'failure' && failFast && !truthy(toExprValue(job['continue-on-error'] ?? false))) {
          for (const c of legControllers) c.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxParallel, legs.length) }, worker));
    const result = outcomes.some((o) => o.result === 'failure') ? 'failure' : outcomes.some((o) => o.result === 'cancelled') ? 'cancelled' : 'success';
    const outputs: Record<string, string> = {};
    for (const o of outcomes) for (const [k, v] of Object.entries(o.outputs)) if (v !== '') outputs[k] = v;
    return { result, outputs };
  }

  /** A job that calls a reusable workflow: its jobs run inside this run, with the caller's `github` context. */
  private async runCall(
    scope: RunScope,
    id: string,
    job: JobDef,
    needs: Record<string, ExprValue>,
    displayName: string,
    record: (c: JobRecord['conclusion'], errors?: string[]) => JobRecord,
  ): Promise<{ result: JobRecord['conclusion']; outputs: Record<string, string> }> {
    let called: Workflow;
    try {
      called = this.host.loadCalledWorkflow(job.uses as string);
    } catch (error) {
      record('failure', [(error as Error).message]);
      return { result: 'failure', outputs: {} };
    }
    const contexts = { ...this.baseContexts(scope, needs), strategy: toExprValue({}), matrix: null };
    const call = called.on.workflow_call ?? {};
    const inputs: Record<string, ExprValue> = {};
    const secrets: Record<string, string> = {};
    try {
      const given = job.with ?? {};
      for (const [name, spec] of Object.entries(call.inputs ?? {})) {
        const raw = name in given ? given[name] : spec.default;
        const value = raw === undefined || raw === null ? null : typeof raw === 'string' ? evaluateTemplate(raw, { contexts }) : toExprValue(raw);
        inputs[name] = coerceInput(spec.type ?? 'string', value, name);
      }
      if (job.secrets === 'inherit') Object.assign(secrets, scope.secrets);
      else for (const [k, v] of Object.entries(job.secrets ?? {})) secrets[k] = evaluateString(String(v), { contexts: { ...contexts, secrets: toExprValue(scope.secrets) } });
    } catch (error) {
      record('failure', [`${scope.workflow.file}: jobs.${id}.with: ${(error as Error).message}`]);
      return { result: 'failure', outputs: {} };
    }
    const callerPermissions = tokenPermissions(job.permissions ?? scope.workflow.permissions ?? scope.inheritedPermissions, this.event.fork);
    const results = await this.runWorkflow({
      workflow: called,
      github: scope.github,
      inputs,
      secrets,
      namePrefix: `${displayName} / `,
      permissionCap: scope.permissionCap ? capPermissions(callerPermissions, scope.permissionCap) : callerPermissions,
      inheritedPermissions: job.permissions ?? scope.workflow.permissions ?? scope.inheritedPermissions,
    });
    const values = Object.values(results);
    const result = values.some((r) => r.result === 'failure') ? 'failure' : values.some((r) => r.result === 'cancelled') ? 'cancelled' : 'success';
    const outputs: Record<string, string> = {};
    const jobsCtx = toExprValue(results);
    for (const [name, spec] of Object.entries(call.outputs ?? {})) {
      try {
        outputs[name] = spec.value === undefined ? '' : evaluateString(spec.value, { contexts: { github: toExprValue(scope.github), inputs, vars: toExprValue(this.host.vars), jobs: jobsCtx } });
      } catch {
        outputs[name] = '';
      }
    }
    return { result, outputs };
  }

  private async runLeg(
    scope: RunScope,
    id: string,
    job: JobDef,
    name: string,
    needs: Record<string, ExprValue>,
    matrix: Record<string, ExprValue> | undefined,
    strategy: Record<string, ExprValue>,
    legSignal: AbortSignal,
  ): Promise<{ result: JobRecord['conclusion']; outputs: Record<string, string> }> {
    const host = this.host;
    const workflow = scope.workflow;
    const rec: JobRecord = { id, name, conclusion: 'success', steps: [], outputs: {}, annotations: [], summary: '', stdout: '', stderr: '', permissions: {}, errors: [], ...(matrix ? { matrix } : {}) };
    this.jobs.push(rec);
    const fail = (message: string): void => {
      rec.errors.push(message);
      rec.annotations.push({ level: 'error', message });
    };
    const jobContexts: Record<string, ExprValue> = { ...this.baseContexts(scope, needs), strategy: toExprValue(strategy), matrix: matrix ?? null };

    // Job-level concurrency.
    let group: string | undefined;
    const jobController = new AbortController();
    let timedOut = false;
    const holder = { cancel: (reason: string) => { rec.errors.push(reason); jobController.abort(); } };
    if (job.concurrency) {
      try {
        group = evaluateString(job.concurrency.group, { contexts: jobContexts });
        const cip = job.concurrency['cancel-in-progress'];
        const cancelInProgress = cip === undefined ? false : truthy(typeof cip === 'string' ? evaluateTemplate(cip, { contexts: jobContexts }) : cip);
        const acquired = await host.groups.acquire(group, cancelInProgress, holder);
        if (!acquired) {
          group = undefined;
          rec.conclusion = 'cancelled';
          rec.errors.push(`Canceling since a higher priority waiting request for '${String(job.concurrency.group)}' exists`);
          return { result: 'cancelled', outputs: {} };
        }
      } catch (error) {
        fail(`${workflow.file}: jobs.${id}.concurrency: ${(error as Error).message}`);
        rec.conclusion = 'failure';
        return { result: 'failure', outputs: {} };
      }
    }
    const signal = AbortSignal.any([this.signal, legSignal, jobController.signal]);

    const permissions = (() => {
      const own = tokenPermissions(job.permissions ?? workflow.permissions ?? scope.inheritedPermissions, this.event.fork);
      return scope.permissionCap ? capPermissions(own, scope.permissionCap) : own;
    })();
    rec.permissions = permissions;
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    host.sim.store.addToken(token, ACTIONS_BOT, permissions, { kind: 'github-token', repository: host.repository });

    const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'github-sim-job-'));
    const workspace = path.join(runnerTemp, 'workspace');
    await mkdir(workspace, { recursive: true });
    const eventPath = path.join(runnerTemp, 'event.json');
    await writeFile(eventPath, JSON.stringify(this.event.payload, null, 2));
    const fileCommandDir = path.join(runnerTemp, '_runner_file_commands');
    await mkdir(fileCommandDir, { recursive: true });

    const masks = new Set<string>([token, ...Object.values(scope.secrets).filter((s) => s !== '')]);
    const fileEnv: Record<string, string> = {};
    const extraPath: string[] = [];
    const stepsContext: Record<string, ExprValue> = {};
    const posts: Array<() => Promise<void>> = [];
    let jobFailed = false;

    const refName = this.event.ref.replace(/^refs\/(heads|tags)\//, '');
    const github: Record<string, unknown> = { ...scope.github, job: id, token, workspace, event_path: eventPath, action: '' };
    const runnerContext = { os: 'Linux', arch: 'X64', name: 'GitHub Actions', environment: 'github-hosted', temp: runnerTemp, tool_cache: path.join(runnerTemp, '_tool') };
    const secretsContext = { ...scope.secrets, GITHUB_TOKEN: token };
    const runnerEnv: Record<string, string> = {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: this.event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: host.repository,
      GITHUB_REPOSITORY_OWNER: host.repository.split('/')[0] as string,
      GITHUB_API_URL: host.sim.url,
      GITHUB_GRAPHQL_URL: host.sim.graphqlUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTOR: this.event.actor,
      GITHUB_TRIGGERING_ACTOR: this.event.actor,
      GITHUB_SHA: this.event.sha,
      GITHUB_REF: this.event.ref,
      GITHUB_REF_NAME: refName,
      GITHUB_REF_TYPE: this.event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      GITHUB_HEAD_REF: String(scope.github.head_ref ?? ''),
      GITHUB_BASE_REF: String(scope.github.base_ref ?? ''),
      GITHUB_RUN_ID: String(this.runId),
      GITHUB_RUN_NUMBER: String(scope.github.run_number ?? this.runId),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: id,
      GITHUB_WORKFLOW: String(scope.github.workflow ?? workflow.name),
      GITHUB_WORKFLOW_REF: String(scope.github.workflow_ref ?? ''),
      GITHUB_RETENTION_DAYS: '90',
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: path.join(runnerTemp, '_tool'),
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'GitHub Actions',
      RUNNER_ENVIRONMENT: 'github-hosted',
      ...host.runnerEnv,
    };
    // Node.js processes of this job tell the store's time, not the machine's (see clock.mjs).
    const clockEnv = simClockEnv(host.sim.store.now.getTime());
    let jobEnv: Record<string, string> = {};
    const scopeFor = (extra?: Record<string, string>): EvalScope => ({
      contexts: {
        ...jobContexts,
        github: toExprValue(github),
        env: toExprValue({ ...jobEnv, ...fileEnv, ...(extra ?? {}) }),
        steps: stepsContext,
        secrets: toExprValue(secretsContext),
        job: toExprValue({ status: jobFailed ? 'failure' : signal.aborted ? 'cancelled' : 'success' }),
        runner: toExprValue(runnerContext),
      },
      status: { failed: jobFailed, cancelled: signal.aborted },
    });

    let timer: NodeJS.Timeout | undefined;
    try {
      // env: workflow then job, each value evaluated (workflow env sees no env context of its own).
      for (const [k, v] of Object.entries(workflow.env)) jobEnv[k] = typeof v === 'string' ? evaluateString(v, scopeFor()) : String(v);
      for (const [k, v] of Object.entries(job.env ?? {})) jobEnv = { ...jobEnv, [k]: typeof v === 'string' ? evaluateString(v, scopeFor()) : String(v) };
      const timeoutMinutes = job['timeout-minutes'] !== undefined ? Number(evaluateString(String(job['timeout-minutes']), { contexts: jobContexts })) : 360;
      if (!(timeoutMinutes > 0)) throw new Error(`jobs.${id}.timeout-minutes: expected a positive number`);
      timer = setTimeout(() => {
        timedOut = true;
        jobController.abort();
      }, timeoutMinutes * host.minuteMs);

      for (const [index, step] of (job.steps ?? []).entries()) {
        const stepId = step.id ?? `__${index}`;
        const stepName = step.name ? safeEval(step.name, scopeFor()) : step.uses ? `Run ${step.uses}` : `Run ${(step.run ?? '').split('\n')[0]}`;
        const srec: StepRecord = { name: stepName, ...(step.id ? { id: step.id } : {}), ...(step.uses ? { uses: step.uses } : {}), outcome: 'skipped', conclusion: 'skipped', outputs: {} };
        rec.steps.push(srec);
        if (signal.aborted && !/always\(\)|cancelled\(\)/.test(String(step.if ?? ''))) {
          srec.outcome = srec.conclusion = signal.aborted && !jobFailed ? 'cancelled' : 'skipped';
          stepsContext[stepId] = toExprValue({ outputs: {}, outcome: 'skipped', conclusion: 'skipped' });
          continue;
        }
        let runIt: boolean;
        try {
          runIt = evaluateCondition(step.if, scopeFor());
        } catch (error) {
          fail(`${workflow.file}: jobs.${id}.steps[${index}].if: ${(error as Error).message}`);
          jobFailed = true;
          srec.outcome = srec.conclusion = 'failure';
          continue;
        }
        if (!runIt) {
          stepsContext[stepId] = toExprValue({ outputs: {}, outcome: 'skipped', conclusion: 'skipped' });
          continue;
        }
        let ok = false;
        try {
          const stepEnv: Record<string, string> = {};
          for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = typeof v === 'string' ? evaluateString(v, scopeFor()) : String(v ?? '');
          const inner = scopeFor(stepEnv);
          const stepTimeout = step['timeout-minutes'] !== undefined ? Number(evaluateString(String(step['timeout-minutes']), inner)) * host.minuteMs : timeoutMinutes * host.minuteMs;
          if (step.run !== undefined) {
            ok = await this.runShell(step, inner, { job, workflow, workspace, runnerTemp, fileCommandDir, env: { ...jobEnv, ...fileEnv, ...stepEnv, ...runnerEnv, ...clockEnv }, extraPath, fileEnv, srec, rec, masks, stepTimeout, signal, stepId });
          } else {
            const uses = step.uses as string;
            const withValues: Record<string, string> = {};
            for (const [k, v] of Object.entries(step.with ?? {})) withValues[k] = typeof v === 'string' ? evaluateString(v, inner) : String(v ?? '');
            const [repoPart] = uses.split('@') as [string];
            const builtin = [...BUILTIN_ACTIONS].find((b) => repoPart === b || repoPart.startsWith(`${b}/`));
            if (builtin) {
              ok = await this.runBuiltin(repoPart, withValues, { workspace, srec, rec, posts, jobStatus: () => !jobFailed && !signal.aborted });
            } else {
              const actionDir = this.resolveAction(uses, workspace);
              const result = await runAction({
                actionDir,
                sim: host.sim,
                event: { name: this.event.name, payload: this.event.payload },
                inputs: withValues,
                env: { ...jobEnv, ...fileEnv, ...stepEnv, ...clockEnv, PATH: [...extraPath, process.env.PATH ?? ''].filter(Boolean).join(path.delimiter) },
                repository: host.repository,
                workspace,
                token,
                actor: this.event.actor,
                ref: this.event.ref,
                sha: this.event.sha,
                stepTimeoutMs: stepTimeout,
                signal,
                runnerEnv: { ...host.runnerEnv, GITHUB_JOB: id, GITHUB_RUN_ID: String(this.runId), GITHUB_RUN_NUMBER: runnerEnv.GITHUB_RUN_NUMBER as string, GITHUB_WORKFLOW: runnerEnv.GITHUB_WORKFLOW as string, GITHUB_WORKFLOW_REF: runnerEnv.GITHUB_WORKFLOW_REF as string, RUNNER_NAME: 'GitHub Actions' },
                githubContext: { job: id, run_id: String(this.runId), run_number: runnerEnv.GITHUB_RUN_NUMBER, workflow: runnerEnv.GITHUB_WORKFLOW, workflow_ref: runnerEnv.GITHUB_WORKFLOW_REF, event_name: this.event.name },
              });
              rec.stdout += result.stdout;
              rec.stderr += result.stderr;
              rec.summary += result.summary;
              rec.annotations.push(...result.annotations);
              Object.assign(fileEnv, result.env);
              extraPath.unshift(...result.path);
              srec.outputs = result.outputs;
              ok = result.exitCode === 0;
              if (result.cancelled) throw new JobCancelled();
            }
          }
        } catch (error) {
          if (error instanceof JobCancelled) {
            srec.outcome = srec.conclusion = 'cancelled';
            stepsContext[stepId] = toExprValue({ outputs: srec.outputs, outcome: 'cancelled', conclusion: 'cancelled' });
            continue;
          }
          if (!(error instanceof ExpressionError) && !(error instanceof PlatformStepError) && !(error instanceof FileCommandError)) throw error;
          fail(error.message);
        }
        if (signal.aborted && !ok) {
          srec.outcome = srec.conclusion = 'cancelled';
          stepsContext[stepId] = toExprValue({ outputs: srec.outputs, outcome: 'cancelled', conclusion: 'cancelled' });
          continue;
        }
        const continueOnError = step['continue-on-error'] !== undefined && truthy(typeof step['continue-on-error'] === 'string' ? evaluateTemplate(step['continue-on-error'], scopeFor()) : step['continue-on-error']);
        srec.outcome = ok ? 'success' : 'failure';
        srec.conclusion = ok || continueOnError ? 'success' : 'failure';
        if (srec.conclusion === 'failure') jobFailed = true;
        stepsContext[stepId] = toExprValue({ outputs: srec.outputs, outcome: srec.outcome, conclusion: srec.conclusion });
        host.afterStep();
      }
      if (!jobFailed && !signal.aborted) {
        for (const post of posts.reverse()) await post();
      }
      for (const [k, v] of Object.entries(job.outputs ?? {})) {
        try {
          const value = evaluateString(String(v), scopeFor());
          // Like the runner, an output holding a secret is not passed on.
          if ([...masks].some((m) => m !== '' && value.includes(m))) rec.annotations.push({ level: 'warning', message: `Skip output '${k}' since it may contain secret.` });
          else rec.outputs[k] = value;
        } catch (error) {
          fail(`${workflow.file}: jobs.${id}.outputs.${k}: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      if (error instanceof PlatformStepError || error instanceof ExpressionError || (error instanceof Error && error.message.startsWith('jobs.'))) {
        fail(error.message);
        jobFailed = true;
      } else throw error;
    } finally {
      if (timer) clearTimeout(timer);
      host.sim.store.tokens.delete(token);
      if (group) host.groups.release(group, holder);
      await rm(runnerTemp, { recursive: true, force: true });
      host.afterStep();
    }
    if (timedOut) fail(`The job running on runner GitHub Actions has exceeded the maximum execution time of ${String(job['timeout-minutes'])} minutes.`);
    rec.stdout = maskSecrets(rec.stdout, masks);
    rec.stderr = maskSecrets(rec.stderr, masks);
    rec.summary = maskSecrets(rec.summary, masks);
    rec.annotations = rec.annotations.map((a) => ({ ...a, message: maskSecrets(a.message, masks) }));
    const continueOnError = job['continue-on-error'] !== undefined && truthy(toExprValue(job['continue-on-error']));
    if (timedOut) rec.conclusion = 'failure';
    else if (signal.aborted && !jobFailed) rec.conclusion = 'cancelled';
    else rec.conclusion = jobFailed ? 'failure' : 'success';
    const result = rec.conclusion === 'failure' && continueOnError ? 'success' : rec.conclusion;
    return { result, outputs: rec.outputs };
  }

  private resolveAction(uses: string, workspace: string): string {
    if (uses.startsWith('./')) {
      const dir = path.resolve(workspace, uses);
      if (!existsSync(dir)) throw new PlatformStepError(`Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '${dir}'. Did you forget to run actions/checkout before running your local action?`);
      return dir;
    }
    const m = /^([^/@]+\/[^/@]+)((?:\/[^@]*)?)@(.+)$/.exec(uses);
    const root = m ? this.host.actionRepos[m[1] as string] : undefined;
    if (!m || !root) {
      throw new PlatformStepError(
        `Unable to resolve action '${uses}': the platform emulation runs local actions (./...), actions of the mapped repositories (${Object.keys(this.host.actionRepos).join(', ') || 'none'}) and ${[...BUILTIN_ACTIONS].join(', ')}`,
      );
    }
    return path.join(root, (m[2] ?? '').replace(/^\//, ''));
  }

  private async runShell(
    step: StepDef,
    scope: EvalScope,
    ctx: {
      job: JobDef;
      workflow: Workflow;
      workspace: string;
      runnerTemp: string;
      fileCommandDir: string;
      env: Record<string, string>;
      extraPath: string[];
      fileEnv: Record<string, string>;
      srec: StepRecord;
      rec: JobRecord;
      masks: Set<string>;
      stepTimeout: number;
      signal: AbortSignal;
      stepId: string;
    },
  ): Promise<boolean> {
    const script = evaluateString(step.run ?? '', scope);
    const defaults = { ...(ctx.workflow.defaults?.run ?? {}), ...(ctx.job.defaults?.run ?? {}) };
    const shell = step.shell !== undefined ? evaluateString(step.shell, scope) : (defaults.shell ?? 'bash');
    const wd = step['working-directory'] !== undefined ? evaluateString(step['working-directory'], scope) : (defaults['working-directory'] ?? '');
    const cwd = wd ? path.resolve(ctx.workspace, wd) : ctx.workspace;
    if (!existsSync(cwd)) throw new PlatformStepError(`An error occurred trying to start process '${shell}' with working directory '${cwd}'. No such file or directory`);
    const files = {
      GITHUB_OUTPUT: path.join(ctx.fileCommandDir, `set_output_${randomUUID()}`),
      GITHUB_ENV: path.join(ctx.fileCommandDir, `set_env_${randomUUID()}`),
      GITHUB_PATH: path.join(ctx.fileCommandDir, `add_path_${randomUUID()}`),
      GITHUB_STEP_SUMMARY: path.join(ctx.fileCommandDir, `step_summary_${randomUUID()}`),
      GITHUB_STATE: path.join(ctx.fileCommandDir, `save_state_${randomUUID()}`),
    };
    for (const f of Object.values(files)) await writeFile(f, '');
    const scriptPath = path.join(ctx.runnerTemp, `${randomUUID()}${shell === 'python' ? '.py' : '.sh'}`);
    await writeFile(scriptPath, script);
    const { file, args } = shellCommand(shell, scriptPath);
    const env: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SHELL']) if (process.env[k] !== undefined) env[k] = process.env[k] as string;
    Object.assign(env, ctx.env, files, { GITHUB_ACTION: ctx.stepId });
    env.PATH = [...ctx.extraPath, env.PATH ?? '', path.dirname(process.execPath)].filter(Boolean).join(path.delimiter);
    const state: { stop?: string | undefined } = {};
    const onLine = (line: string): void => {
      const cmd = parseWorkflowCommand(line);
      if (!cmd) return;
      if (state.stop !== undefined) {
        if (cmd.name === state.stop) state.stop = undefined;
        return;
      }
      if (cmd.name === 'stop-commands') state.stop = cmd.data;
      else if (cmd.name === 'add-mask') {
        if (cmd.data.trim()) ctx.masks.add(cmd.data.trim());
      } else {
        const a = commandToAnnotation(cmd);
        if (a) ctx.rec.annotations.push(a);
      }
    };
    const run = await spawnStep(file, args, cwd, env, ctx.stepTimeout, onLine, ctx.signal);
    ctx.rec.stdout += run.stdout;
    ctx.rec.stderr += run.stderr;
    for (const [k, v] of parseKeyValueFile(await readFile(files.GITHUB_OUTPUT, 'utf8'))) ctx.srec.outputs[k] = v;
    for (const [k, v] of parseKeyValueFile(await readFile(files.GITHUB_ENV, 'utf8'))) ctx.fileEnv[k] = v;
    for (const line of (await readFile(files.GITHUB_PATH, 'utf8')).split('\n')) if (line.trim()) ctx.extraPath.unshift(line.trim());
    ctx.rec.summary += await readFile(files.GITHUB_STEP_SUMMARY, 'utf8');
    if (run.aborted) throw new JobCancelled();
    if (run.timedOut) {
      ctx.rec.annotations.push({ level: 'error', message: `The action '${ctx.srec.name}' has timed out after ${Math.round(ctx.stepTimeout / this.host.minuteMs)} minutes.` });
      return false;
    }
    if (run.exitCode !== 0) ctx.rec.annotations.push({ level: 'error', message: `Process completed with exit code ${String(run.exitCode)}.` });
    return run.exitCode === 0;
  }

  private async runBuiltin(
    name: string,
    inputs: Record<string, string>,
    ctx: { workspace: string; srec: StepRecord; rec: JobRecord; posts: Array<() => Promise<void>>; jobStatus: () => boolean },
  ): Promise<boolean> {
    const lines = (v: string | undefined): string[] => (v ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    const host = this.host;
    const now = (): number => host.sim.store.now.getTime();
    const warn = (message: string): void => void ctx.rec.annotations.push({ level: 'warning', message });
    switch (name) {
      case 'actions/checkout': {
        const repo = inputs.repository || host.repository;
        const source = repo.toLowerCase() === host.repository.toLowerCase() ? host.checkout : host.actionRepos[repo];
        if (!source) throw new PlatformStepError(`actions/checkout: repository '${repo}' is not available (map it in actionRepos)`);
        const dest = path.resolve(ctx.workspace, inputs.path ?? '');
        if (!(dest === ctx.workspace || dest.startsWith(`${ctx.workspace}${path.sep}`))) throw new PlatformStepError(`actions/checkout: path '${inputs.path ?? ''}' is outside the workspace`);
        await checkout(source, dest, lines(inputs['sparse-checkout']));
        return true;
      }
      case 'actions/cache':
      case 'actions/cache/restore':
      case 'actions/cache/save': {
        const key = inputs.key ?? '';
        const pathsInput = inputs.path ?? '';
        if (!key) throw new PlatformStepError(`${name}: Input required and not supplied: key`);
        if (!pathsInput.trim()) throw new PlatformStepError(`${name}: Input required and not supplied: path`);
        const paths = lines(pathsInput);
        let exact = false;
        if (name !== 'actions/cache/save') {
          const hit = host.cache.restore(key, lines(inputs['restore-keys']), paths.join('\n'), now());
          if (hit) {
            await writeFiles(ctx.workspace, hit.entry.files);
            exact = hit.exact;
            ctx.srec.outputs['cache-matched-key'] = hit.entry.key;
            ctx.srec.outputs['cache-primary-key'] = key;
          } else if (inputs['fail-on-cache-miss'] === 'true') {
            throw new PlatformStepError(`Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: ${key}`);
          }
          ctx.srec.outputs['cache-hit'] = exact ? 'true' : 'false';
        }
        const save = async (): Promise<void> => {
          const { files } = await collect(ctx.workspace, paths);
          if (files.size === 0) {
            warn('Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.');
            return;
          }
          if (!host.cache.save(key, paths.join('\n'), files, now())) warn(`Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`);
        };
        if (name === 'actions/cache/save') await save();
        else if (name === 'actions/cache' && !exact) ctx.posts.push(save);
        return true;
      }
      case 'actions/upload-artifact':
      case 'actions/download-artifact': {
        const artifactRun = { sim: host.sim, repository: host.repository, runId: this.runId, payload: this.event.payload, ref: this.event.ref, sha: this.event.sha, workspace: ctx.workspace };
        const r = await (name === 'actions/upload-artifact' ? uploadArtifact : downloadArtifact)(inputs, artifactRun);
        r.warnings.forEach(warn);
        Object.assign(ctx.srec.outputs, r.outputs);
        if (r.error !== undefined) throw new PlatformStepError(r.error);
        return true;
      }
    }
    throw new PlatformStepError(`Unable to resolve action '${name}'`);
  }
}

/** A step failure the runner reports as an error annotation (unresolvable action, missing input...). */
class PlatformStepError extends Error {}

function safeEval(text: string, scope: EvalScope): string {
  try {
    return evaluateString(text, scope);
  } catch {
    return text;
  }
}

/** A `workflow_call`/`workflow_dispatch` input value converted to its declared type. */
export function coerceInput(type: string, value: ExprValue, name: string): ExprValue {
  if (type === 'boolean') {
    if (value === null || value === '') return false;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new Error(`Unexpected value '${String(value)}' for input '${name}' of type boolean`);
  }
  if (type === 'number') {
    if (value === null || value === '') return 0;
    const n = Number(value);
    if (Number.isNaN(n)) throw new Error(`Unexpected value '${String(value)}' for input '${name}' of type number`);
    return n;
  }
  return value === null ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Expands `strategy.matrix` into its legs (cartesian product, then exclude, then include). */
export function expandMatrix(raw: unknown, scope: EvalScope): Array<Record<string, ExprValue> | undefined> {
  if (raw === undefined || raw === null) return [undefined];
  let matrix: ExprValue = typeof raw === 'string' ? evaluateTemplate(raw, scope) : toExprValue(raw);
  if (matrix === null || typeof matrix !== 'object' || Array.isArray(matrix)) throw new Error('matrix must be a mapping');
  const resolved: Record<string, ExprValue> = {};
  for (const [k, v] of Object.entries(matrix)) resolved[k] = typeof v === 'string' && v.includes('${{') ? evaluateTemplate(v, scope) : v;
  matrix = resolved;
  const { include, exclude, ...axes } = matrix as Record<string, ExprValue>;
  let legs: Array<Record<string, ExprValue>> = [{}];
  const axisKeys = Object.keys(axes);
  for (const key of axisKeys) {
    const values = axes[key];
    if (!Array.isArray(values)) throw new Error(`matrix.${key} must be a list`);
    legs = legs.flatMap((leg) => values.map((v) => ({ ...leg, [key]: v })));
  }
  if (axisKeys.length === 0) legs = [];
  const same = (a: ExprValue, b: ExprValue): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(exclude)) {
    legs = legs.filter((leg) => !exclude.some((ex) => ex !== null && typeof ex === 'object' && !Array.isArray(ex) && Object.entries(ex).every(([k, v]) => same(leg[k] ?? null, v))));
  }
  if (Array.isArray(include)) {
    const originals = legs.map((l) => ({ ...l }));
    for (const inc of include) {
      if (inc === null || typeof inc !== 'object' || Array.isArray(inc)) continue;
      let added = false;
      legs.forEach((leg, i) => {
        const orig = originals[i] as Record<string, ExprValue>;
        if (Object.entries(inc).every(([k, v]) => !(k in orig) || same(orig[k] ?? null, v))) {
          Object.assign(leg, inc);
          added = true;
        }
      });
      if (!added) legs.push({ ...inc });
    }
  }
  return legs;
}
