/**
 * Workflow files: parsing, validation and the `on:` filters GitHub applies before it creates a run.
 */
import { parse as parseYaml } from 'yaml';
import type { ActionStep } from '../runner/run-action.ts';

/** One `on.workflow_dispatch.inputs` / `on.workflow_call.inputs` entry. */
interface WorkflowInput {
  description?: string;
  required?: boolean;
  default?: unknown;
  type?: string;
  options?: string[];
}

/** The filters of one event under `on:` (an event listed without filters has an empty object). */
export interface Trigger {
  types?: string[];
  branches?: string[];
  'branches-ignore'?: string[];
  tags?: string[];
  'tags-ignore'?: string[];
  paths?: string[];
  'paths-ignore'?: string[];
  /** `schedule`: the cron expressions. */
  crons?: string[];
  /** `workflow_dispatch` / `workflow_call` inputs. */
  inputs?: Record<string, WorkflowInput>;
  /** `workflow_call` outputs (`value` is an expression over `jobs`). */
  outputs?: Record<string, { description?: string; value?: string }>;
  /** `workflow_call` secrets. */
  secrets?: Record<string, { description?: string; required?: boolean }>;
}

/** A step of a job, as written: the keys of a composite action's step, and `timeout-minutes`. */
export interface StepDef extends ActionStep {
  'timeout-minutes'?: number | string;
}

/** `concurrency:` in its long form. */
interface ConcurrencyDef {
  group: string;
  'cancel-in-progress'?: boolean | string;
}

/** A job, as written. */
export interface JobDef {
  name?: string;
  needs?: string[] | undefined;
  if?: string | boolean | number;
  'runs-on'?: unknown;
  permissions?: Permissions;
  concurrency?: ConcurrencyDef | undefined;
  outputs?: Record<string, string>;
  env?: Record<string, unknown>;
  defaults?: { run?: { shell?: string; 'working-directory'?: string } };
  steps?: StepDef[];
  'timeout-minutes'?: number | string;
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean | string; 'max-parallel'?: number | string };
  'continue-on-error'?: boolean | string;
  /** A reusable workflow call. */
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: 'inherit' | Record<string, unknown>;
}

/** `permissions:`: `read-all`, `write-all`, or a map of scope -> read/write/none. */
export type Permissions = 'read-all' | 'write-all' | Record<string, string>;

/** A parsed, validated workflow file. */
export interface Workflow {
  /** Path relative to the repository root (`.github/workflows/x.yml`). */
  file: string;
  name: string;
  on: Record<string, Trigger>;
  env: Record<string, unknown>;
  permissions?: Permissions;
  concurrency?: ConcurrencyDef;
  defaults?: JobDef['defaults'];
  jobs: Record<string, JobDef>;
}

/** A workflow file GitHub would not accept ("The workflow is not valid"). */
export class WorkflowError extends Error {
  constructor(
    readonly file: string,
    readonly errors: string[],
  ) {
    super(`The workflow is not valid. ${errors.map((e) => `${file}: ${e}`).join(' ')}`);
    this.name = 'WorkflowError';
  }
}

const TOP_KEYS = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs']);
const JOB_KEYS = new Set([
  'name', 'needs', 'if', 'runs-on', 'permissions', 'environment', 'concurrency', 'outputs', 'env', 'defaults',
  'steps', 'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets',
]);
const CALL_JOB_KEYS = new Set(['name', 'needs', 'if', 'permissions', 'concurrency', 'strategy', 'uses', 'with', 'secrets']);
const STEP_KEYS = new Set(['id', 'name', 'if', 'uses', 'run', 'shell', 'with', 'env', 'working-directory', 'continue-on-error', 'timeout-minutes']);
const FILTER_KEYS = new Set(['types', 'branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore', 'inputs', 'outputs', 'secrets']);
const PERMISSION_SCOPES = new Set([
  'actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models',
  'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses',
]);
const INPUT_TYPES = new Set(['string', 'boolean', 'number', 'choice', 'environment']);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : [String(v)];

/**
 * Parses and validates a workflow file's text. Throws {@link WorkflowError} listing every problem
 * (unknown keys, a job without steps, `needs:` naming a missing job or a cycle, bad permissions...).
 */
export function parseWorkflow(file: string, text: string): Workflow {
  const errors: string[] = [];
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new WorkflowError(file, [`invalid YAML: ${(error as Error).message}`]);
  }
  if (!isRecord(doc)) throw new WorkflowError(file, ['expected a mapping at the top level']);
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) errors.push(`Unexpected value '${k}'`);
  const on = normalizeOn(doc.on, errors);
  const jobsRaw = doc.jobs;
  const jobs: Record<string, JobDef> = {};
  if (!isRecord(jobsRaw) || Object.keys(jobsRaw).length === 0) errors.push("Required property is missing: jobs");
  else {
    for (const [id, raw] of Object.entries(jobsRaw)) {
      const where = `jobs.${id}`;
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)) errors.push(`${where}: invalid job id`);
      if (!isRecord(raw)) {
        errors.push(`${where}: a job must be a mapping`);
        continue;
      }
      const job = raw as unknown as JobDef;
      const allowed = job.uses !== undefined ? CALL_JOB_KEYS : JOB_KEYS;
      for (const k of Object.keys(raw)) if (!allowed.has(k)) errors.push(`${where}: Unexpected value '${k}'`);
      if (job.uses === undefined) {
        if (raw['runs-on'] === undefined) errors.push(`${where}: Required property is missing: runs-on`);
        if (!Array.isArray(job.steps) || job.steps.length === 0) errors.push(`${where}: Required property is missing: steps`);
        else {
          job.steps.forEach((step, i) => {
            const sw = `${where}.steps[${i}]`;
            if (!isRecord(step)) {
              errors.push(`${sw}: a step must be a mapping`);
              return;
            }
            for (const k of Object.keys(step)) if (!STEP_KEYS.has(k)) errors.push(`${sw}: Unexpected value '${k}'`);
            if ((step.uses === undefined) === (step.run === undefined)) errors.push(`${sw}: a step needs exactly one of 'uses' or 'run'`);
            if (step.id !== undefined && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(step.id))) errors.push(`${sw}: invalid step id '${String(step.id)}'`);
          });
          const ids = job.steps.map((s) => s?.id).filter((x): x is string => typeof x === 'string');
          const dup = ids.find((x, i) => ids.indexOf(x) !== i);
          if (dup) errors.push(`${where}: the identifier '${dup}' may not be used more than once within the same scope`);
        }
      }
      job.needs = strings(raw.needs);
      if (raw.permissions !== undefined) checkPermissions(`${where}.permissions`, raw.permissions, errors);
      if (raw.concurrency !== undefined) job.concurrency = normalizeConcurrency(`${where}.concurrency`, raw.concurrency, errors);
      jobs[id] = job;
    }
    for (const [id, job] of Object.entries(jobs)) {
      for (const n of job.needs ?? []) if (!jobs[n]) errors.push(`jobs.${id}.needs: Job '${id}' depends on unknown job '${n}'`);
    }
    const cycle = findCycle(jobs);
    if (cycle) errors.push(`jobs: Job '${cycle}' depends on itself (a cycle in needs)`);
  }
  if (doc.permissions !== undefined) checkPermissions('permissions', doc.permissions, errors);
  const concurrency = doc.concurrency !== undefined ? normalizeConcurrency('concurrency', doc.concurrency, errors) : undefined;
  if (errors.length > 0) throw new WorkflowError(file, errors);
  return {
    file,
    name: typeof doc.name === 'string' ? doc.name : file,
    on,
    env: isRecord(doc.env) ? doc.env : {},
    ...(doc.permissions !== undefined ? { permissions: doc.permissions as Permissions } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(isRecord(doc.defaults) ? { defaults: doc.defaults as JobDef['defaults'] } : {}),
    jobs,
  };
}

function normalizeOn(raw: unknown, errors: string[]): Record<string, Trigger> {
  const out: Record<string, Trigger> = {};
  if (raw === undefined || raw === null) {
    errors.push('Required property is missing: on');
    return out;
  }
  if (typeof raw === 'string') return { [raw]: {} };
  if (Array.isArray(raw)) {
    for (const e of raw) out[String(e)] = {};
    return out;
  }
  if (!isRecord(raw)) {
    errors.push('on: expected an event name, a list or a mapping');
    return out;
  }
  for (const [event, spec] of Object.entries(raw)) {
    if (event === 'schedule') {
      const crons = Array.isArray(spec) ? spec.map((s) => (isRecord(s) ? String(s.cron ?? '') : '')) : [];
      if (crons.length === 0 || crons.some((c) => c.trim().split(/\s+/).length !== 5)) errors.push("on.schedule: a list of '- cron: <5 fields>' entries is required");
      out.schedule = { crons };
      continue;
    }
    if (spec === null || spec === undefined) {
      out[event] = {};
      continue;
    }
    if (!isRecord(spec)) {
      errors.push(`on.${event}: expected a mapping`);
      continue;
    }
    const t: Trigger = {};
    for (const [k, v] of Object.entries(spec)) {
      if (!FILTER_KEYS.has(k)) {
        errors.push(`on.${event}: Unexpected value '${k}'`);
        continue;
      }
      if (k === 'inputs') {
        t.inputs = {};
        for (const [name, def] of Object.entries(isRecord(v) ? v : {})) {
          const d = (isRecord(def) ? def : {}) as WorkflowInput;
          if (d.type !== undefined && !INPUT_TYPES.has(d.type)) errors.push(`on.${event}.inputs.${name}: unknown type '${d.type}'`);
          if (d.type === 'choice' && (!Array.isArray(d.options) || d.options.length === 0)) errors.push(`on.${event}.inputs.${name}: a choice needs options`);
          if (event === 'workflow_call' && d.type === undefined) errors.push(`on.${event}.inputs.${name}: Required property is missing: type`);
          t.inputs[name] = d;
        }
      } else if (k === 'outputs' || k === 'secrets') {
        (t as Record<string, unknown>)[k] = isRecord(v) ? v : {};
      } else {
        (t as Record<string, unknown>)[k] = strings(v);
      }
    }
    if (t.branches && t['branches-ignore']) errors.push(`on.${event}: branches and branches-ignore cannot be used together`);
    if (t.paths && t['paths-ignore']) errors.push(`on.${event}: paths and paths-ignore cannot be used together`);
    out[event] = t;
  }
  return out;
}

function normalizeConcurrency(where: string, raw: unknown, errors: string[]): ConcurrencyDef | undefined {
  if (typeof raw === 'string') return { group: raw };
  if (isRecord(raw) && typeof raw.group === 'string') {
    const c: ConcurrencyDef = { group: raw.group };
    if (raw['cancel-in-progress'] !== undefined) c['cancel-in-progress'] = raw['cancel-in-progress'] as boolean | string;
    return c;
  }
  errors.push(`${where}: expected a group name or { group, cancel-in-progress }`);
  return undefined;
}

function checkPermissions(where: string, raw: unknown, errors: string[]): void {
  if (raw === 'read-all' || raw === 'write-all') return;
  if (!isRecord(raw)) {
    errors.push(`${where}: expected read-all, write-all or a mapping`);
    return;
  }
  for (const [scope, level] of Object.entries(raw)) {
    if (!PERMISSION_SCOPES.has(scope)) errors.push(`${where}: Unexpected value '${scope}'`);
    if (!['read', 'write', 'none'].includes(String(level))) errors.push(`${where}.${scope}: expected read, write or none, got '${String(level)}'`);
    if (scope === 'id-token' && level === 'read') errors.push(`${where}.id-token: expected write or none`);
  }
}

function findCycle(jobs: Record<string, JobDef>): string | undefined {
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): string | undefined => {
    if (state.get(id) === 2) return undefined;
    if (state.get(id) === 1) return id;
    state.set(id, 1);
    for (const n of jobs[id]?.needs ?? []) {
      if (!jobs[n]) continue;
      const c = visit(n);
      if (c) return c;
    }
    state.set(id, 2);
    return undefined;
  };
  for (const id of Object.keys(jobs)) {
    const c = visit(id);
    if (c) return c;
  }
  return undefined;
}

// ----- filters -----

/**
 * A GitHub filter pattern as a RegExp: `*` matches any characters but `/`, `**` any characters,
 * `?` one character, `+` one or more of the preceding character, `[...]` a set.
 */
export function filterPatternRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i += 1;
        if (pattern[i + 1] === '/') {
          i += 1;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '.';
    else if (ch === '+') re += '+';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += pattern.slice(i, close + 1);
        i = close;
      }
    } else re += ch.replace(/[.^$|(){}\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** GitHub's rule for a pattern list with `!` negations: the last pattern that matches decides. */
export function matchesPatterns(value: string, patterns: string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    if (filterPatternRegExp(negate ? p.slice(1) : p).test(value)) matched = !negate;
  }
  return matched;
}

/** What an event carries for the `on:` filters. */
export interface EventFacts {
  name: string;
  action?: string;
  /** push: the branch or tag pushed; pull_request/merge_group: the base branch. */
  branch?: string;
  tag?: string;
  /** Files changed (push, pull_request): for `paths` filters; undefined skips them. */
  paths?: string[];
  /** schedule: the cron that fired. */
  cron?: string;
}

/** Activity types GitHub starts a workflow for when `types:` is not given (all, except for these). */
const DEFAULT_TYPES: Record<string, string[]> = {
  pull_request: ['opened', 'synchronize', 'reopened'],
  pull_request_target: ['opened', 'synchronize', 'reopened'],
};

/** True when the workflow's `on:` accepts the event (names, types, branches, tags, paths, crons). */
export function triggers(workflow: Workflow, event: EventFacts): boolean {
  const t = workflow.on[event.name];
  if (!t) return false;
  if (event.name === 'workflow_call') return false;
  if (event.name === 'schedule') return (t.crons ?? []).some((c) => normalizeCron(c) === normalizeCron(event.cron ?? ''));
  const types = t.types ?? DEFAULT_TYPES[event.name];
  if (types && event.action !== undefined && !types.includes(event.action)) return false;
  if (['push', 'pull_request', 'pull_request_target', 'merge_group'].includes(event.name)) {
    if (event.tag !== undefined) {
      // A tag push: only tags filters apply; a workflow with only branch filters does not run.
      if (t.tags) return matchesPatterns(event.tag, t.tags);
      if (t['tags-ignore']) return !matchesPatterns(event.tag, t['tags-ignore']);
      if (t.branches || t['branches-ignore']) return false;
      return true;
    }
    if (event.name === 'push' && (t.tags || t['tags-ignore']) && !t.branches && !t['branches-ignore']) return false;
    const branch = event.branch ?? '';
    if (t.branches && !matchesPatterns(branch, t.branches)) return false;
    if (t['branches-ignore'] && matchesPatterns(branch, t['branches-ignore'])) return false;
    if (event.paths !== undefined && event.name !== 'merge_group') {
      const paths = t.paths;
      const ignore = t['paths-ignore'];
      if (paths && !event.paths.some((p) => matchesPatterns(p, paths))) return false;
      if (ignore && event.paths.every((p) => matchesPatterns(p, ignore))) return false;
    }
  }
  return true;
}

function normalizeCron(c: string): string {
  return c.trim().split(/\s+/).join(' ');
}

/** True when the 5-field cron expression matches the minute of `date` (UTC), like GitHub's scheduler. */
export function cronMatches(cron: string, date: Date): boolean {
  const fields = normalizeCron(cron).split(' ');
  if (fields.length !== 5) return false;
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const names: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
  const field = (spec: string, value: number, lo: number, hi: number): boolean =>
    spec.split(',').some((part) => {
      const [range, stepText] = part.split('/') as [string, string | undefined];
      const step = stepText ? Number(stepText) : 1;
      const num = (s: string): number => (names[s.toLowerCase()] ?? Number(s));
      let a = lo;
      let b = hi;
      if (range !== '*') {
        const [x, y] = range.split('-') as [string, string | undefined];
        a = num(x);
        b = y !== undefined ? num(y) : stepText ? hi : a;
      }
      if (hi === 6 && b === 7) b = 6;
      const v = hi === 6 && value === 7 ? 0 : value;
      return v >= a && v <= b && (v - a) % step === 0;
    });
  const domStar = dom === '*';
  const dowStar = dow === '*';
  const domOk = field(dom, date.getUTCDate(), 1, 31);
  const dowOk = field(dow.replace(/\b7\b/g, '0'), date.getUTCDay(), 0, 6);
  const dayOk = domStar || dowStar ? domOk && dowOk : domOk || dowOk;
  return field(min, date.getUTCMinutes(), 0, 59) && field(hour, date.getUTCHours(), 0, 23) && field(month, date.getUTCMonth() + 1, 1, 12) && dayOk;
}
