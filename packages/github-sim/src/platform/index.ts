/**
 * The GitHub Actions platform around the emulated API: human acts change the store and emit the events
 * GitHub emits; the repository's workflows run on them as GitHub runs them (on: filters, which events
 * start workflows, tokens with the job's permissions, concurrency groups, reusable workflows).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Sim } from '../server.ts';
import { ACTIONS_BOT, type ReactionContent, type SimIssue, type SimRepository, type StateReason, type LockReason } from '../store.ts';
import { toExprValue, evaluateString, type ExprValue } from '../runner/expressions.ts';
import type { Annotation } from '../runner/commands.ts';
import { validateWebhookPayload, type WebhookPayloadError } from '../webhooks.ts';
import { CacheStore, type CacheEntry } from './builtins.ts';
import { ConcurrencyGroups } from './concurrency.ts';
import { coerceInput, RunExecutor, type JobRecord, type RunEvent } from './engine.ts';
import { Payloads } from './payloads.ts';
import { cronMatches, parseWorkflow, triggers, WorkflowError, type EventFacts, type Workflow } from './workflow.ts';

export { parseWorkflow, triggers, cronMatches, matchesPatterns, WorkflowError, type Workflow, type Trigger, type EventFacts } from './workflow.ts';
export { tokenPermissions, expandMatrix, type JobRecord, type StepRecord, type StepOutcome } from './engine.ts';
export { CACHE_EVICTION_MS, type CacheEntry } from './builtins.ts';
export { Payloads } from './payloads.ts';

/**
 * Use as `by` for an act done by a workflow's GITHUB_TOKEN (a release published by a release workflow):
 * the store changes, the webhook event is recorded, and no workflow starts, as on GitHub.
 */
export const GITHUB_TOKEN = 'GITHUB_TOKEN';

/** The names not among `present`, compared without case (as GitHub compares logins and label names). */
function notIn(names: string[], present: string[]): string[] {
  return names.filter((n) => !present.some((x) => x.toLowerCase() === n.toLowerCase()));
}

/** Options of {@link createPlatform}. */
export interface PlatformOptions {
  sim: Sim;
  /** `owner/name`; created in the store when missing. */
  repository: string;
  /** The repository's working tree: `.github/workflows/*.yml`, local actions, config. */
  checkout: string;
  /** Other repositories' working trees, by `owner/name` (actions and reusable workflows they hold). */
  actionRepos?: Record<string, string>;
  /** Repository secrets (`secrets.NAME`); fork pull requests get none. */
  secrets?: Record<string, string>;
  /** Repository variables (`vars.NAME`). */
  vars?: Record<string, string>;
  /** Real milliseconds per minute of `timeout-minutes` (default 60 000). */
  minuteMs?: number;
  /**
   * Variables the runner machine sets for every step, as a self-hosted runner's environment does (the demo
   * shortens the actions' waits with `USERLOOP_WAIT_SCALE`).
   */
  runnerEnv?: Record<string, string>;
}

/** How a run ended. */
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'startup_failure';

/** One workflow run. */
export interface PlatformRun {
  id: number;
  /** The workflow file, relative to the repository root (`.github/workflows/prioritize.yml`). */
  workflow: string;
  workflowName: string;
  event: string;
  action?: string;
  payload: Record<string, unknown>;
  actor: string;
  status: 'queued' | 'pending' | 'in_progress' | 'completed';
  conclusion: RunConclusion | null;
  /** Why the run did not start or was cancelled (GitHub's messages). */
  errors: string[];
  jobs: JobRecord[];
  /** The workflow-level concurrency group, when there is one. */
  concurrencyGroup?: string;
  /** `inputs` of a workflow_dispatch run. */
  inputs: Record<string, ExprValue>;
  /** Real-clock milliseconds (Date.now()) when its first job started and when it completed. */
  startedAt?: number;
  completedAt?: number;
}

/** Every annotation of a run, from all its jobs. */
export function runAnnotations(run: PlatformRun): Annotation[] {
  return run.jobs.flatMap((j) => j.annotations);
}

/** One webhook event the platform emitted. */
export interface PlatformEvent {
  name: string;
  action?: string;
  payload: Record<string, unknown>;
  /** `human`: a person's act; `github-token`: done with a workflow's GITHUB_TOKEN (starts no workflow but dispatches). */
  origin: 'human' | 'github-token';
  /** Ids of the runs it created. */
  runs: number[];
  /** Store-clock time. */
  at: string;
}

interface PendingEvent {
  name: string;
  action?: string;
  payload: Record<string, unknown>;
  facts: EventFacts;
  /** workflow_dispatch: the only workflow it targets. */
  workflowFile?: string;
  inputs?: Record<string, ExprValue>;
}

type IssueRef = number | { number: number };
// Webhook payloads are read by path here; their shapes are checked against GitHub's description when emitted.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const num = (i: IssueRef): number => (typeof i === 'number' ? i : i.number);

/** Creates the platform for one repository of a running emulator. */
export function createPlatform(options: PlatformOptions): Platform {
  return new Platform(options);
}

/** See {@link createPlatform}. */
export class Platform {
  readonly sim: Sim;
  readonly repository: string;
  readonly checkout: string;
  readonly actionRepos: Record<string, string>;
  /** Every run, in creation order. */
  readonly runs: PlatformRun[] = [];
  /** Every event emitted, in order. */
  readonly events: PlatformEvent[] = [];
  /** Payloads that GitHub's webhook description rejects (should stay empty). */
  readonly payloadErrors: Array<{ event: string; action?: string; errors: WebhookPayloadError[] }> = [];
  /** The repository's actions/cache storage. */
  readonly cache = new CacheStore();
  secrets: Record<string, string>;
  vars: Record<string, string>;
  private readonly minuteMs: number;
  private readonly runnerEnv: Record<string, string>;
  private readonly groups = new ConcurrencyGroups();
  private readonly active = new Set<Promise<void>>();
  private readonly runNumbers = new Map<string, number>();
  private nextRunId = 1;
  private scanned: number;
  private readonly payloads: Payloads;

  constructor(options: PlatformOptions) {
    this.sim = options.sim;
    this.repository = options.repository;
    this.checkout = path.resolve(options.checkout);
    this.actionRepos = { ...(options.actionRepos ?? {}) };
    this.secrets = { ...(options.secrets ?? {}) };
    this.vars = { ...(options.vars ?? {}) };
    this.minuteMs = options.minuteMs ?? 60_000;
    this.runnerEnv = { ...(options.runnerEnv ?? {}) };
    const [owner, name] = options.repository.split('/') as [string, string];
    if (!owner || !name) throw new Error(`createPlatform: repository must be owner/name, got '${options.repository}'`);
    const store = this.sim.store;
    const repo = store.repo(options.repository) ?? store.createRepo({ owner, name });
    if (!repo.refs.has(`refs/heads/${repo.default_branch}`)) store.commitOn(repo, repo.default_branch, ['Initial commit']);
    this.payloads = new Payloads(store, this.sim.url, repo);
    this.scanned = this.sim.requests.length;
  }

  private get repo(): SimRepository {
    return this.sim.store.mustRepo(this.repository);
  }

  // ----------------------------------------------------------------------------------------------
  // Workflows
  // ----------------------------------------------------------------------------------------------

  /** The workflow files of the checkout, parsed (a file GitHub would reject has `error`). */
  workflows(): Array<{ file: string; workflow?: Workflow; error?: WorkflowError; events: string[] }> {
    const dir = path.join(this.checkout, '.github', 'workflows');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => {
        const file = `.github/workflows/${f}`;
        const text = readFileSync(path.join(dir, f), 'utf8');
        try {
          const workflow = parseWorkflow(file, text);
          return { file, workflow, events: Object.keys(workflow.on) };
        } catch (error) {
          if (!(error instanceof WorkflowError)) throw error;
          return { file, error, events: looseEvents(text) };
        }
      });
  }

  /** Loads the workflow a job's `uses:` names (this checkout for `./`, else a mapped repository). */
  private loadCalledWorkflow(uses: string): Workflow {
    let root: string | undefined;
    let rel: string;
    if (uses.startsWith('./')) {
      root = this.checkout;
      rel = uses.slice(2).replace(/@.*$/, '');
    } else {
      const m = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(uses);
      if (!m) throw new Error(`invalid value workflow reference: ${uses}: references to workflows must be prefixed with format 'owner/repository/' or './' for local workflows`);
      root = this.actionRepos[m[1] as string] ?? (m[1]?.toLowerCase() === this.repository.toLowerCase() ? this.checkout : undefined);
      rel = m[2] as string;
      if (!root) throw new Error(`error parsing called workflow "${uses}": failed to fetch workflow: workflow was not found (map ${m[1]} in actionRepos)`);
    }
    const file = path.join(root, rel);
    if (!existsSync(file)) throw new Error(`error parsing called workflow "${uses}": failed to fetch workflow: workflow was not found.`);
    const wf = parseWorkflow(rel, readFileSync(file, 'utf8'));
    if (!wf.on.workflow_call) throw new Error(`error parsing called workflow "${uses}": workflow is not reusable as it is missing a \`on.workflow_call\` trigger`);
    return wf;
  }

  /**
   * GitHub's checks when it creates a run that calls reusable workflows: each required input given,
   * no input the called workflow does not declare, each required secret given. Returns the messages.
   */
  private startupErrors(file: string, text: string, workflow: Workflow): string[] {
    const errors: string[] = [];
    const lines = text.split('\n');
    for (const [id, job] of Object.entries(workflow.jobs)) {
      if (job.uses === undefined) continue;
      const lineIndex = lines.findIndex((l) => new RegExp(`^\\s*uses:\\s*['"]?${escapeRe(job.uses as string)}`).test(l));
      const at = lineIndex >= 0 ? ` (Line: ${lineIndex + 1}, Col: ${(lines[lineIndex] as string).indexOf('uses:') + 7})` : '';
      let called: Workflow;
      try {
        called = this.loadCalledWorkflow(job.uses);
      } catch (error) {
        errors.push(`${file}${at}: ${(error as Error).message}`);
        continue;
      }
      const declared = called.on.workflow_call?.inputs ?? {};
      const given = job.with ?? {};
      for (const [name, spec] of Object.entries(declared)) {
        if (spec.required === true && !(name in given) && (spec.default === undefined || spec.default === null)) {
          errors.push(`${file}${at}: Input ${name} is required, but not provided while calling.`);
        }
      }
      for (const name of Object.keys(given)) {
        if (!(name in declared)) errors.push(`${file}${at}: Invalid input, ${name} is not defined in the referenced workflow.`);
      }
      if (job.secrets !== 'inherit') {
        const givenSecrets = job.secrets ?? {};
        for (const [name, spec] of Object.entries(called.on.workflow_call?.secrets ?? {})) {
          if (spec?.required === true && !(name in givenSecrets)) errors.push(`${file}${at}: Secret ${name} is required, but not provided while calling.`);
        }
        for (const name of Object.keys(givenSecrets)) {
          if (!(name in (called.on.workflow_call?.secrets ?? {}))) errors.push(`${file}${at}: Invalid secret, ${name} is not defined in the referenced workflow.`);
        }
      }
      void id;
    }
    return errors;
  }

  // ----------------------------------------------------------------------------------------------
  // Events and runs
  // ----------------------------------------------------------------------------------------------

  /** Emits events that happen at the same moment; their runs start concurrently. */
  private emit(list: PendingEvent[], actor: string, origin: 'human' | 'github-token'): PlatformEvent[] {
    const out: PlatformEvent[] = [];
    const workflows = this.workflows();
    for (const e of list) {
      // A schedule is no webhook event (GitHub builds that payload itself): nothing to hold it to.
      const errors = e.name === 'schedule' ? [] : validateWebhookPayload(e.name, e.action, e.payload);
      if (errors.length > 0) this.payloadErrors.push({ event: e.name, ...(e.action !== undefined ? { action: e.action } : {}), errors });
      const ev: PlatformEvent = { name: e.name, ...(e.action !== undefined ? { action: e.action } : {}), payload: e.payload, origin, runs: [], at: this.sim.store.nowIso() };
      this.events.push(ev);
      out.push(ev);
      // Events caused by the GITHUB_TOKEN start no workflow, except workflow_dispatch and repository_dispatch.
      if (origin === 'github-token' && e.name !== 'workflow_dispatch' && e.name !== 'repository_dispatch') continue;
      for (const w of workflows) {
        if (e.workflowFile !== undefined && w.file !== e.workflowFile) continue;
        if (w.error) {
          if (w.events.includes(e.name)) ev.runs.push(this.failedRun(w.file, e, actor, [w.error.message]).id);
          continue;
        }
        const wf = w.workflow as Workflow;
        if (!triggers(wf, e.facts)) continue;
        ev.runs.push(this.createRun(wf, e, actor).id);
      }
    }
    return out;
  }

  private newRun(file: string, name: string, e: PendingEvent, actor: string): PlatformRun {
    const run: PlatformRun = {
      id: this.nextRunId++,
      workflow: file,
      workflowName: name,
      event: e.name,
      ...(e.action !== undefined ? { action: e.action } : {}),
      payload: e.payload,
      actor,
      status: 'queued',
      conclusion: null,
      errors: [],
      jobs: [],
      inputs: e.inputs ?? {},
    };
    this.runs.push(run);
    return run;
  }

  private failedRun(file: string, e: PendingEvent, actor: string, errors: string[]): PlatformRun {
    const run = this.newRun(file, file, e, actor);
    run.status = 'completed';
    run.conclusion = 'startup_failure';
    run.errors.push(...errors);
    return run;
  }

  private refSha(e: PendingEvent): { ref: string; sha: string } {
    const repo = this.repo;
    const head = (branch: string): string => repo.refs.get(`refs/heads/${branch}`) ?? '0'.repeat(40);
    const p = e.payload as Loose;
    switch (e.name) {
      case 'push':
        return { ref: p.ref, sha: p.after };
      case 'pull_request':
      case 'pull_request_target':
        return e.name === 'pull_request' ? { ref: `refs/pull/${p.number}/merge`, sha: p.pull_request.head.sha } : { ref: `refs/heads/${repo.default_branch}`, sha: head(repo.default_branch) };
      case 'merge_group':
        return { ref: p.merge_group.head_ref, sha: p.merge_group.head_sha };
      case 'release':
        return { ref: `refs/tags/${p.release.tag_name}`, sha: repo.refs.get(`refs/tags/${p.release.tag_name}`) ?? head(repo.default_branch) };
      case 'workflow_dispatch':
        return { ref: p.ref, sha: head(String(p.ref).replace(/^refs\/heads\//, '')) };
      default:
        return { ref: `refs/heads/${repo.default_branch}`, sha: head(repo.default_branch) };
    }
  }

  private createRun(workflow: Workflow, e: PendingEvent, actor: string): PlatformRun {
    const text = readFileSync(path.join(this.checkout, workflow.file), 'utf8');
    const startup = this.startupErrors(workflow.file, text, workflow);
    if (startup.length > 0) {
      const run = this.failedRun(workflow.file, e, actor, [`The workflow is not valid. ${startup.join(' ')}`]);
      run.workflowName = workflow.name;
      return run;
    }
    const run = this.newRun(workflow.file, workflow.name, e, actor);
    const number = (this.runNumbers.get(workflow.file) ?? 0) + 1;
    this.runNumbers.set(workflow.file, number);
    const { ref, sha } = this.refSha(e);
    const pr = (e.payload.pull_request ?? {}) as Loose;
    const isPr = e.name.startsWith('pull_request');
    const repo = this.repo;
    const fork = e.name === 'pull_request' && String(pr.head?.repo?.full_name ?? repo.full_name).toLowerCase() !== repo.full_name.toLowerCase();
    const github: Record<string, unknown> = {
      event: e.payload,
      event_name: e.name,
      actor,
      triggering_actor: actor,
      ref,
      ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      ref_protected: false,
      sha,
      repository: repo.full_name,
      repository_id: String(repo.id),
      repository_owner: repo.owner,
      repositoryUrl: `git://github.com/${repo.full_name}.git`,
      run_id: String(run.id),
      run_number: String(number),
      run_attempt: '1',
      retention_days: '90',
      workflow: workflow.name,
      workflow_ref: `${repo.full_name}/${workflow.file}@${ref}`,
      workflow_sha: sha,
      server_url: 'https://github.com',
      api_url: this.sim.url,
      graphql_url: this.sim.graphqlUrl,
      head_ref: isPr ? String(pr.head?.ref ?? '') : '',
      base_ref: isPr ? String(pr.base?.ref ?? '') : '',
      secret_source: 'Actions',
    };
    const event: RunEvent = { name: e.name, ...(e.action !== undefined ? { action: e.action } : {}), payload: e.payload, actor, ref, sha, fork };
    const executor = new RunExecutor(
      {
        sim: this.sim,
        repository: repo.full_name,
        checkout: this.checkout,
        actionRepos: this.actionRepos,
        vars: this.vars,
        cache: this.cache,
        groups: this.groups,
        minuteMs: this.minuteMs,
        runnerEnv: this.runnerEnv,
        afterStep: () => this.pump(),
        loadCalledWorkflow: (uses) => this.loadCalledWorkflow(uses),
      },
      event,
      run.id,
    );
    // Job results are recorded as they happen.
    Object.defineProperty(run, 'jobs', { get: () => executor.jobs, enumerable: true });
    let group: string | undefined;
    let cancelInProgress = false;
    if (workflow.concurrency) {
      try {
        const contexts = { github: toExprValue(github), inputs: toExprValue(e.inputs ?? {}), vars: toExprValue(this.vars) };
        group = evaluateString(workflow.concurrency.group, { contexts });
        const cip = workflow.concurrency['cancel-in-progress'];
        cancelInProgress = cip === true || (typeof cip === 'string' && evaluateString(cip, { contexts }) === 'true');
        run.concurrencyGroup = group;
      } catch (error) {
        run.status = 'completed';
        run.conclusion = 'startup_failure';
        run.errors.push(`${workflow.file}: concurrency: ${(error as Error).message}`);
        return run;
      }
    }
    const secrets = fork ? {} : { ...this.secrets };
    const holder = { cancel: (reason: string) => executor.cancel(reason) };
    const execute = async (): Promise<void> => {
      if (group !== undefined) {
        run.status = 'pending';
        const acquired = await this.groups.acquire(group, cancelInProgress, holder);
        if (!acquired) {
          run.status = 'completed';
          run.conclusion = 'cancelled';
          run.errors.push(`Canceling since a higher priority waiting request for '${group}' exists`);
          return;
        }
      }
      run.status = 'in_progress';
      run.startedAt = Date.now();
      try {
        const results = await executor.runWorkflow({ workflow, github, inputs: e.inputs ?? {}, secrets, namePrefix: '' });
        const values = Object.values(results);
        if (executor.signal.aborted) {
          run.conclusion = 'cancelled';
          if (executor.cancelReason) run.errors.push(executor.cancelReason);
        } else run.conclusion = values.some((r) => r.result === 'failure') ? 'failure' : values.some((r) => r.result === 'cancelled') ? 'cancelled' : 'success';
      } catch (error) {
        run.conclusion = 'failure';
        run.errors.push(`The platform failed to run the workflow: ${(error as Error).stack ?? String(error)}`);
      } finally {
        if (group !== undefined) this.groups.release(group, holder);
        run.status = 'completed';
        run.completedAt = Date.now();
      }
    };
    const p = execute().finally(() => this.active.delete(p));
    this.active.add(p);
    return run;
  }

  /** Waits until every run (including runs started by events of finished runs) has completed. */
  async settle(): Promise<PlatformRun[]> {
    for (;;) {
      this.pump();
      const active = [...this.active];
      if (active.length === 0) break;
      await Promise.all(active);
    }
    return this.runs;
  }

  /**
   * Turns API writes made since the last call into the events GitHub would send. A write made with a
   * workflow's GITHUB_TOKEN (the `github-actions[bot]` identity) is recorded but starts no workflow;
   * a write with a person's or another app's token starts workflows like a person's act.
   */
  pump(): void {
    const requests = this.sim.requests;
    const repo = this.repo;
    const prefix = `/repos/${repo.full_name}/`.toLowerCase();
    for (; this.scanned < requests.length; this.scanned++) {
      const r = requests[this.scanned];
      if (!r || r.status === 0 || r.status >= 300 || !r.route || r.method === 'GET') continue;
      if (!r.path.toLowerCase().startsWith(prefix)) continue;
      const login = r.login ?? ACTIONS_BOT;
      const origin = login === ACTIONS_BOT ? 'github-token' : 'human';
      const body = (r.body ?? {}) as Loose;
      const n = Number(/\/issues\/(\d+)/.exec(r.path)?.[1] ?? NaN);
      switch (r.route) {
        case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
          const issue = repo.issues.get(n);
          const c = issue ? [...this.sim.store.commentsOf(repo, n)].reverse().find((x) => x.user === login && x.body === body.body) : undefined;
          if (issue && c) this.emit([{ name: 'issue_comment', action: 'created', payload: this.payloads.issueComment('created', issue, c, login), facts: { name: 'issue_comment', action: 'created' } }], login, origin);
          break;
        }
        case 'POST /repos/{owner}/{repo}/issues': {
          const issue = [...repo.issues.values()].reverse().find((i) => i.user === login && i.title === body.title);
          if (issue) this.emit(this.openedEvents(issue, login), login, origin);
          break;
        }
        case 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': {
          const issue = repo.issues.get(n);
          const names: string[] = Array.isArray(body.labels) ? body.labels.map((l: unknown) => (typeof l === 'string' ? l : String((l as { name?: string }).name))) : [];
          if (issue) this.emit(names.map((l) => this.issueEvent('labeled', issue, login, { label: this.payloads.label(l) })), login, origin);
          break;
        }
        case 'PATCH /repos/{owner}/{repo}/issues/{issue_number}': {
          const issue = repo.issues.get(n);
          if (issue && (body.state === 'closed' || body.state === 'open')) this.emit([this.issueEvent(body.state === 'closed' ? 'closed' : 'reopened', issue, login)], login, origin);
          break;
        }
        case 'POST /repos/{owner}/{repo}/releases': {
          const rel = [...repo.releases].reverse().find((x) => x.tag_name === body.tag_name);
          if (rel && !rel.draft) this.emit(this.releaseEvents(rel.id, login, true), login, origin);
          break;
        }
        case 'PATCH /repos/{owner}/{repo}/releases/{release_id}': {
          const id = Number(/\/releases\/(\d+)/.exec(r.path)?.[1]);
          const rel = repo.releases.find((x) => x.id === id);
          if (rel && body.draft === false) this.emit(this.releaseEvents(rel.id, login, false), login, origin);
          break;
        }
        default:
          break;
      }
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Payload helpers
  // ----------------------------------------------------------------------------------------------

  private issueEvent(action: string, issue: SimIssue, sender: string, extra: Record<string, unknown> = {}): PendingEvent {
    if (issue.pull_request) {
      const payload = this.payloads.pullRequest(action, issue, sender, extra);
      return { name: 'pull_request', action, payload, facts: { name: 'pull_request', action, branch: issue.pull_request.base.ref, paths: issue.pull_request.files.map((f) => f.filename) } };
    }
    return { name: 'issues', action, payload: this.payloads.issues(action, issue, sender, extra), facts: { name: 'issues', action } };
  }

  private openedEvents(issue: SimIssue, sender: string): PendingEvent[] {
    return [
      this.issueEvent('opened', issue, sender),
      ...issue.labels.map((l) => this.issueEvent('labeled', issue, sender, { label: this.payloads.label(l) })),
      ...issue.assignees.map((a) => this.issueEvent('assigned', issue, sender, { assignee: this.payloads.user(a) })),
    ];
  }

  private releaseEvents(id: number, sender: string, created: boolean): PendingEvent[] {
    const rel = this.repo.releases.find((r) => r.id === id);
    if (!rel) return [];
    const actions = [...(created ? ['created'] : []), 'published', rel.prerelease ? 'prereleased' : 'released'];
    return actions.map((action) => ({ name: 'release', action, payload: this.payloads.release(action, rel, sender), facts: { name: 'release', action } }));
  }

  private issue(i: IssueRef): SimIssue {
    return this.sim.store.mustIssue(this.repo, num(i));
  }

  /** `GITHUB_TOKEN` -> the bot and origin `github-token`; a login -> that person. */
  private who(by: string): { login: string; origin: 'human' | 'github-token' } {
    return by === GITHUB_TOKEN ? { login: ACTIONS_BOT, origin: 'github-token' } : { login: this.sim.store.user(by).login, origin: 'human' };
  }

  // ----------------------------------------------------------------------------------------------
  // Human acts
  // ----------------------------------------------------------------------------------------------

  /**
   * Opens an issue (as an issue form does): emits `issues.opened`, one `issues.labeled` per label and one
   * `issues.assigned` per assignee, all at the same moment. Returns the issue number.
   */
  openIssue(input: { user: string; title: string; body?: string; labels?: string[]; assignees?: string[] }): number {
    const { login, origin } = this.who(input.user);
    const issue = this.sim.store.createIssue(this.repo, { title: input.title, body: input.body ?? null, user: login, labels: input.labels ?? [], assignees: input.assignees ?? [] });
    this.emit(this.openedEvents(issue, login), login, origin);
    return issue.number;
  }

  /** Comments on an issue or pull request: `issue_comment.created`. Returns the comment id. */
  comment(issue: IssueRef, input: { user: string; body: string }): number {
    const { login, origin } = this.who(input.user);
    const i = this.issue(issue);
    const c = this.sim.store.createComment(this.repo, i.number, { body: input.body, user: login });
    this.emit([{ name: 'issue_comment', action: 'created', payload: this.payloads.issueComment('created', i, c, login), facts: { name: 'issue_comment', action: 'created' } }], login, origin);
    return c.id;
  }

  /** Edits an issue's title and/or body: `issues.edited` (or `pull_request.edited`) with `changes`. */
  editIssue(issue: IssueRef, input: { by: string; title?: string; body?: string }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    const changes: Record<string, { from: string }> = {};
    if (input.title !== undefined && input.title !== i.title) changes.title = { from: i.title };
    if (input.body !== undefined && input.body !== i.body) changes.body = { from: i.body ?? '' };
    this.sim.store.updateIssue(this.repo, i.number, { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { body: input.body } : {}) }, login);
    this.emit([this.issueEvent('edited', i, login, { changes })], login, origin);
  }

  /** Same as {@link editIssue}, for a pull request. */
  editPullRequest(pr: IssueRef, input: { by: string; title?: string; body?: string }): void {
    this.editIssue(pr, input);
  }

  /** Edits a comment: `issue_comment.edited` with `changes.body.from`. */
  editComment(commentId: number, input: { by: string; body: string }): void {
    const { login, origin } = this.who(input.by);
    const repo = this.repo;
    const c = this.sim.store.comment(repo, commentId);
    if (!c) throw new Error(`editComment: no comment ${commentId} in ${repo.full_name}`);
    const from = c.body;
    this.sim.store.updateComment(repo, commentId, input.body);
    const i = this.issue(c.issue_number);
    this.emit([{ name: 'issue_comment', action: 'edited', payload: this.payloads.issueComment('edited', i, c, login, { changes: { body: { from } } }), facts: { name: 'issue_comment', action: 'edited' } }], login, origin);
  }

  /** Reacts to an issue (`{ issue }`) or a comment (`{ comment }`). GitHub sends no event for a reaction. */
  react(target: { issue: number } | { comment: number }, input: { user: string; content: ReactionContent }): void {
    this.sim.store.addReaction(this.repo, target, input.user, input.content);
  }

  /** Assigns people: one `issues.assigned` per new assignee, at the same moment. */
  assign(issue: IssueRef, assignees: string[], input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    const added = notIn(assignees, i.assignees);
    this.sim.store.addAssignees(this.repo, i.number, added, login);
    this.emit(added.map((a) => this.issueEvent('assigned', i, login, { assignee: this.payloads.user(a) })), login, origin);
  }

  /** Adds labels: one `issues.labeled` (or `pull_request.labeled`) per new label, at the same moment. */
  label(issue: IssueRef, labels: string[], input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    const added = notIn(labels, i.labels);
    this.sim.store.addLabels(this.repo, i.number, added, login);
    this.emit(added.map((l) => this.issueEvent('labeled', i, login, { label: this.payloads.label(l) })), login, origin);
  }

  /** Removes a label: `issues.unlabeled`. */
  unlabel(issue: IssueRef, label: string, input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    const l = this.payloads.label(label);
    this.sim.store.removeLabel(this.repo, i.number, label, login);
    this.emit([this.issueEvent('unlabeled', i, login, { label: l })], login, origin);
  }

  /**
   * Closes an issue (`issues.closed`) or a pull request without merging (`pull_request.closed`). With
   * `duplicateOf`, it is marked as a duplicate of that issue and closed as `duplicate`; GitHub sends
   * events for the closed issue only, none for the original.
   */
  close(issue: IssueRef, input: { by: string; reason?: Exclude<StateReason, null | 'reopened'>; duplicateOf?: number }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    if (input.duplicateOf !== undefined) this.sim.store.markDuplicate(this.repo, i.number, input.duplicateOf, login, true);
    else this.sim.store.closeIssue(this.repo, i.number, login, input.reason ?? 'completed');
    this.emit([this.issueEvent('closed', i, login)], login, origin);
  }

  /** Reopens: `issues.reopened` / `pull_request.reopened`. */
  reopen(issue: IssueRef, input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    this.sim.store.reopenIssue(this.repo, i.number, login);
    this.emit([this.issueEvent('reopened', i, login)], login, origin);
  }

  /** Locks the conversation: `issues.locked`. */
  lock(issue: IssueRef, input: { by: string; reason?: LockReason }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(issue);
    this.sim.store.lockIssue(this.repo, i.number, input.reason ?? null, login);
    this.emit([this.issueEvent('locked', i, login)], login, origin);
  }

  /**
   * Opens a pull request from `head` into `base` (default: the default branch) changing `files`:
   * `pull_request.opened`. With `fork: true` the head is in the user's fork: its runs get a read-only
   * token and no secrets. `closes` lists issues it closes when merged. Returns the number.
   */
  openPullRequest(input: { user: string; head: string; base?: string; title: string; body?: string; files?: string[]; fork?: boolean; draft?: boolean; closes?: number[]; labels?: string[] }): number {
    const { login, origin } = this.who(input.user);
    const store = this.sim.store;
    const repo = this.repo;
    let headRepo = repo.full_name;
    if (input.fork) {
      const fork = store.createRepo({ owner: login, name: repo.name, fork: true, parent: repo.full_name });
      headRepo = fork.full_name;
    }
    const commit = store.addCommit(repo, { message: input.title, parents: [repo.refs.get(`refs/heads/${input.base ?? repo.default_branch}`) as string].filter(Boolean), author: { login } });
    const pr = store.createPull(repo, {
      title: input.title,
      body: input.body ?? null,
      user: login,
      labels: input.labels ?? [],
      head: { ref: input.head, repo: headRepo, sha: commit.sha },
      base: { ref: input.base ?? repo.default_branch },
      draft: input.draft ?? false,
      files: (input.files ?? []).map((filename) => ({ filename })),
      commits: [commit.sha],
      closing_issues: input.closes ?? [],
    });
    this.emit([this.issueEvent('opened', pr, login)], login, origin);
    return pr.number;
  }

  /**
   * Merges a pull request: `pull_request.closed` (merged), a `push` to the base branch, and
   * `issues.closed` for each issue it closes, all at the same moment.
   */
  mergePullRequest(pr: IssueRef, input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const repo = this.repo;
    const i = this.issue(pr);
    const p = i.pull_request;
    if (!p) throw new Error(`mergePullRequest: #${i.number} is not a pull request`);
    const ref = `refs/heads/${p.base.ref}`;
    const before = repo.refs.get(ref) ?? '0'.repeat(40);
    const closing = p.closing_issues.filter((c) => c.repository.toLowerCase() === repo.full_name.toLowerCase() && repo.issues.get(c.number)?.state === 'open').map((c) => c.number);
    this.sim.store.mergePull(repo, i.number, login);
    const after = repo.refs.get(ref) ?? p.merge_commit_sha ?? before;
    const events: PendingEvent[] = [
      this.issueEvent('closed', i, login),
      { name: 'push', payload: this.payloads.push(ref, before, after, login, [after]), facts: { name: 'push', branch: p.base.ref, paths: p.files.map((f) => f.filename) } },
      ...closing.map((n) => this.issueEvent('closed', this.issue(n), login)),
    ];
    this.emit(events, login, origin);
  }

  /** Adds a pull request to the merge queue: `merge_group.checks_requested`. */
  enqueue(pr: IssueRef, input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const i = this.issue(pr);
    if (!i.pull_request) throw new Error(`enqueue: #${i.number} is not a pull request`);
    const sha = this.sim.store.addCommit(this.repo, { message: `Merge queue entry for #${i.number}`, parents: [i.pull_request.head.sha].filter((s) => this.repo.commits.has(s)), author: { login } }).sha;
    this.emit([{ name: 'merge_group', action: 'checks_requested', payload: this.payloads.mergeGroup(i, sha, login), facts: { name: 'merge_group', action: 'checks_requested', branch: i.pull_request.base.ref } }], login, origin);
  }

  /**
   * Publishes a release: `release.created`, `release.published` and `release.released` (or
   * `release.prereleased`) at the same moment. `by: GITHUB_TOKEN` (a release workflow's token): the
   * events are recorded but start no workflow. Returns the release id.
   */
  publishRelease(input: { tag: string; name?: string; body?: string; prerelease?: boolean; by: string; target?: string }): number {
    const { login, origin } = this.who(input.by);
    const rel = this.sim.store.createRelease(this.repo, { tag_name: input.tag, name: input.name ?? input.tag, body: input.body ?? null, prerelease: input.prerelease ?? false, author: login, ...(input.target ? { target_commitish: input.target } : {}) });
    this.emit(this.releaseEvents(rel.id, login, true), login, origin);
    return rel.id;
  }

  /** Turns a pre-release into a full release: `release.released` and `release.edited` (not `published`). */
  promotePrerelease(tag: string, input: { by: string }): void {
    const { login, origin } = this.who(input.by);
    const rel = this.repo.releases.find((r) => r.tag_name === tag);
    if (!rel) throw new Error(`promotePrerelease: no release ${tag}`);
    if (!rel.prerelease) throw new Error(`promotePrerelease: ${tag} is not a pre-release`);
    this.sim.store.updateRelease(this.repo, rel.id, { prerelease: false });
    this.emit(
      ['released', 'edited'].map((action) => ({
        name: 'release',
        action,
        payload: this.payloads.release(action, rel, login, action === 'edited' ? { changes: {} } : {}),
        facts: { name: 'release', action },
      })),
      login,
      origin,
    );
  }

  /** Pushes commits to a branch changing `files`: `push`. Returns the new head sha. */
  push(input: { by: string; branch?: string; message?: string; files?: string[] }): string {
    const { login, origin } = this.who(input.by);
    const repo = this.repo;
    const branch = input.branch ?? repo.default_branch;
    const ref = `refs/heads/${branch}`;
    const before = repo.refs.get(ref) ?? '0'.repeat(40);
    const [commit] = this.sim.store.commitOn(repo, branch, [{ message: input.message ?? 'Update', author: { login } }]);
    const after = (commit as { sha: string }).sha;
    this.emit([{ name: 'push', payload: this.payloads.push(ref, before, after, login, [after]), facts: { name: 'push', branch, paths: input.files ?? [] } }], login, origin);
    return after;
  }

  /**
   * Runs a workflow by hand (`workflow_dispatch`), as the API and the Actions tab do: inputs are checked
   * against `on.workflow_dispatch.inputs` (unknown, missing required, bad choice or type: an Error with
   * GitHub's message) and defaults applied. Returns the run.
   */
  dispatch(workflowFile: string, inputs: Record<string, string | number | boolean> = {}, input: { by?: string; ref?: string } = {}): PlatformRun {
    const { login, origin } = this.who(input.by ?? this.repo.owner);
    const file = workflowFile.includes('/') ? workflowFile : `.github/workflows/${workflowFile}`;
    const w = this.workflows().find((x) => x.file === file);
    if (!w) throw new Error(`dispatch: Not Found (no workflow ${file})`);
    if (w.error) throw w.error;
    const spec = w.workflow?.on.workflow_dispatch;
    if (!spec) throw new Error("Workflow does not have 'workflow_dispatch' trigger");
    const declared = spec.inputs ?? {};
    const unknown = Object.keys(inputs).filter((k) => !(k in declared));
    if (unknown.length > 0) throw new Error(`Unexpected inputs provided: ${JSON.stringify(unknown)}`);
    const payloadInputs: Record<string, unknown> = {};
    const typed: Record<string, ExprValue> = {};
    for (const [name, d] of Object.entries(declared)) {
      const given = inputs[name];
      if (given === undefined && d.required === true && (d.default === undefined || d.default === '')) throw new Error(`Required input '${name}' not provided`);
      const raw = given ?? d.default ?? (d.type === 'boolean' ? false : '');
      if (d.type === 'choice' && !(d.options ?? []).map(String).includes(String(raw))) throw new Error(`Provided value '${String(raw)}' for input '${name}' not in the list of allowed values`);
      typed[name] = coerceInput(d.type ?? 'string', toExprValue(raw), name);
      payloadInputs[name] = d.type === 'boolean' || d.type === 'number' ? typed[name] : String(raw);
    }
    const ref = input.ref ?? `refs/heads/${this.repo.default_branch}`;
    const [ev] = this.emit(
      [{ name: 'workflow_dispatch', payload: this.payloads.workflowDispatch(file, ref, payloadInputs, login), facts: { name: 'workflow_dispatch' }, workflowFile: file, inputs: typed }],
      login,
      origin,
    );
    return this.runs.find((r) => r.id === ev?.runs[0]) as PlatformRun;
  }

  /** `repository_dispatch` with `eventType` (the API's `event_type`). */
  repositoryDispatch(eventType: string, clientPayload: Record<string, unknown> = {}, input: { by?: string } = {}): void {
    const { login, origin } = this.who(input.by ?? this.repo.owner);
    this.emit([{ name: 'repository_dispatch', action: eventType, payload: this.payloads.repositoryDispatch(eventType, clientPayload, login), facts: { name: 'repository_dispatch', action: eventType } }], login, origin);
  }

  /** The scheduler fires `cron`: every workflow with exactly this `schedule` cron runs. */
  schedule(cron: string): PlatformRun[] {
    const login = this.repo.owner;
    const [ev] = this.emit([{ name: 'schedule', payload: this.payloads.schedule(cron), facts: { name: 'schedule', cron } }], login, 'human');
    return this.runs.filter((r) => ev?.runs.includes(r.id));
  }

  /** The scheduler at the store clock's minute: fires every cron of the workflows that matches it. */
  tick(at: Date = this.sim.store.now): PlatformRun[] {
    const crons = new Set<string>();
    for (const w of this.workflows()) for (const c of w.workflow?.on.schedule?.crons ?? []) if (cronMatches(c, at)) crons.add(c);
    return [...crons].flatMap((c) => this.schedule(c));
  }

  /** The cache entries left (after evicting those not accessed for 7 days of the store clock). */
  cacheEntries(): CacheEntry[] {
    return this.cache.list(this.sim.store.now.getTime());
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The event names of a workflow GitHub rejects (to record its failed runs). */
function looseEvents(text: string): string[] {
  try {
    const doc = parseYaml(text) as { on?: unknown } | null;
    const on = doc?.on;
    if (typeof on === 'string') return [on];
    if (Array.isArray(on)) return on.map(String);
    if (on && typeof on === 'object') return Object.keys(on);
  } catch {
    // not YAML at all
  }
  return [];
}
