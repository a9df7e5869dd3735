// What `userloop init` writes must run on GitHub as written: GitHub refuses a call of a reusable workflow
// that misses a required input, passes an undeclared one or grants less than a called job asks for, before
// any job starts; every job needs a concurrency group and (except a reusable-workflow call, where GitHub
// forbids it) timeout-minutes; the refs must resolve and agree. Checked here on the files init writes,
// against this checkout's own reusable workflow and action.yml files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { evaluateString, type ExprValue } from '../../github-sim/src/runner/expressions.ts';
import { defaultBranchOf, initFiles, readReusableWorkflow, DEFAULT_REF, USERLOOP_REPOSITORY } from '../src/init.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const LEVEL = { none: 0, read: 1, write: 2 } as const;
const level = (v: unknown): number => LEVEL[v as keyof typeof LEVEL] ?? -1;

/** The workflows init writes, parsed, by file name. */
function workflows(options: Parameters<typeof initFiles>[0] = {}): Record<string, Rec> {
  const out: Record<string, Rec> = {};
  for (const f of initFiles(options)) {
    if (f.path.startsWith('.github/workflows/')) out[f.path.slice('.github/workflows/'.length)] = rec(parseYaml(f.content));
  }
  return out;
}

const jobsOf = (wf: Rec): [string, Rec][] => Object.entries(rec(wf['jobs'])).map(([id, job]) => [id, rec(job)]);
const stepsOf = (job: Rec): Rec[] => ((job['steps'] as unknown[] | undefined) ?? []).map(rec);

/** `owner/repo/path@ref` split; the path is resolved in this checkout. */
function splitUses(uses: string): { repo: string; path: string; ref: string } {
  const m = /^([^/]+\/[^/]+)\/([^@]+)@(.+)$/.exec(uses);
  if (!m?.[1] || !m[2] || !m[3]) throw new Error(`unexpected uses: ${uses}`);
  return { repo: m[1], path: m[2], ref: m[3] };
}

/** The concurrency group a job would get for an event (evaluated like the runner does). */
function groupFor(job: Rec, eventName: string, event: Rec, extra: { inputs?: Rec; ref?: string } = {}): string {
  const group = rec(job['concurrency'])['group'];
  expect(typeof group).toBe('string');
  const github = { event_name: eventName, event, ref: extra.ref ?? 'refs/heads/main', repository: 'octo-org/app' };
  return evaluateString(String(group), { contexts: { github: github as unknown as ExprValue, inputs: (extra.inputs ?? {}) as ExprValue } });
}

describe('the workflows userloop init writes', () => {
  const written = workflows();

  it('calls the reusable KPI workflow with every input it requires, only inputs it declares, and the permissions its jobs ask for', () => {
    const wf = written['userloop-kpi-report.yml'];
    expect(wf).toBeDefined();
    const calls = jobsOf(wf ?? {}).filter(([, job]) => typeof job['uses'] === 'string');
    expect(calls).toHaveLength(1);
    for (const [id, job] of calls) {
      const { repo, path, ref } = splitUses(String(job['uses']));
      expect(repo).toBe(USERLOOP_REPOSITORY);
      const called = rec(parseYaml(readFileSync(join(repoRoot, path), 'utf8')));
      const declared = rec(rec(rec(called['on'])['workflow_call'])['inputs']);
      const passed = rec(job['with']);
      const required = Object.entries(declared).filter(([, spec]) => rec(spec)['required'] === true).map(([name]) => name);
      expect(required.length, 'the reusable workflow has required inputs to check').toBeGreaterThan(0);
      for (const name of required) expect(passed, `${id} passes required input ${name}`).toHaveProperty([name]);
      for (const name of Object.keys(passed)) expect(declared, `${id} passes undeclared input ${name}`).toHaveProperty([name]);
      // Both name the same userloop: the workflow file and the action it checks out come from one commit.
      expect(passed['userloop-repository']).toBe(repo);
      expect(passed['userloop-ref']).toBe(ref);
      // A job that calls a reusable workflow may not set timeout-minutes (GitHub rejects the file).
      expect(job).not.toHaveProperty('timeout-minutes');
      const granted = rec(job['permissions']);
      for (const [calledId, calledJob] of Object.entries(rec(called['jobs']))) {
        const asked = rec(rec(calledJob)['permissions'] ?? called['permissions']);
        for (const [scope, lvl] of Object.entries(asked)) {
          expect(level(granted[scope]), `${id} grants ${scope}: ${String(lvl)} for ${path} job ${calledId}`).toBeGreaterThanOrEqual(level(lvl));
        }
      }
    }
  });

  it('gives every job a concurrency group and every job that runs steps a timeout', () => {
    expect(Object.keys(written).sort()).toEqual([
      'userloop-draft-release-notes.yml',
      'userloop-kpi-report.yml',
      'userloop-notify-requesters.yml',
      'userloop-prioritize.yml',
      'userloop-require-docs.yml',
    ]);
    for (const [file, wf] of Object.entries(written)) {
      for (const [id, job] of jobsOf(wf)) {
        expect(rec(job['concurrency'])['group'], `${file} ${id}`).toEqual(expect.stringMatching(/^userloop-[a-z-]+-\$\{\{.+\}\}$/));
        if (typeof job['uses'] !== 'string') expect(job['timeout-minutes'], `${file} ${id}`).toEqual(expect.any(Number));
      }
    }
    expect(rec(rec(written['userloop-draft-release-notes.yml']?.['jobs'])['draft-release-notes'])['concurrency']).toMatchObject({ 'cancel-in-progress': false });
  });

  it('groups runs by what they write: the issue, the PR, the release tag, the branch, the period', () => {
    const job = (file: string): Rec => jobsOf(written[file] ?? {})[0]?.[1] ?? {};
    const prioritize = job('userloop-prioritize.yml');
    const issue = (n: number): Rec => ({ issue: { number: n } });
    expect(groupFor(prioritize, 'issues', issue(7))).toBe(groupFor(prioritize, 'issue_comment', issue(7)));
    expect(groupFor(prioritize, 'issues', issue(7))).not.toBe(groupFor(prioritize, 'issues', issue(8)));
    expect(groupFor(prioritize, 'schedule', {})).toBe(groupFor(prioritize, 'workflow_dispatch', {}));
    expect(groupFor(prioritize, 'schedule', {})).not.toBe(groupFor(prioritize, 'issues', issue(7)));

    const docs = job('userloop-require-docs.yml');
    expect(groupFor(docs, 'pull_request', { pull_request: { number: 3 } })).not.toBe(groupFor(docs, 'pull_request', { pull_request: { number: 4 } }));
    const queued = (ref: string): string => groupFor(docs, 'merge_group', { merge_group: { head_ref: ref } });
    expect(queued('refs/heads/gh-readonly-queue/main/pr-3-abc')).not.toBe(queued('refs/heads/gh-readonly-queue/main/pr-4-def'));

    const notify = job('userloop-notify-requesters.yml');
    const release = groupFor(notify, 'release', { release: { tag_name: 'v1.2.0' } });
    expect(groupFor(notify, 'workflow_dispatch', {}, { inputs: { tag: 'v1.2.0' } })).toBe(release);
    expect(groupFor(notify, 'release', { release: { tag_name: 'v1.3.0' } })).not.toBe(release);
    expect(groupFor(notify, 'issues', issue(5))).not.toBe(groupFor(notify, 'issues', issue(6)));
    expect(groupFor(notify, 'pull_request', { pull_request: { number: 9 } })).not.toBe(release);

    const draft = job('userloop-draft-release-notes.yml');
    expect(groupFor(draft, 'push', {}, { ref: 'refs/heads/main' })).not.toBe(groupFor(draft, 'push', {}, { ref: 'refs/heads/next' }));

    const kpi = job('userloop-kpi-report.yml');
    expect(groupFor(kpi, 'schedule', {})).toBe(groupFor(kpi, 'workflow_dispatch', {}, { inputs: { period: 'week' } }));
    expect(groupFor(kpi, 'workflow_dispatch', {}, { inputs: { period: 'month' } })).not.toBe(groupFor(kpi, 'schedule', {}));
  });

  it('listens to the events each action needs, with least-privilege permissions per job', () => {
    const on = (file: string): Rec => rec(written[file]?.['on']);
    const only = (file: string): Rec => jobsOf(written[file] ?? {})[0]?.[1] ?? {};

    expect(on('userloop-prioritize.yml')).toMatchObject({
      issues: { types: ['opened', 'edited', 'reopened', 'labeled', 'unlabeled', 'closed'] },
      issue_comment: { types: ['created', 'edited'] },
      schedule: [{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }],
    });
    expect(Object.keys(on('userloop-prioritize.yml')).sort()).toEqual(['issue_comment', 'issues', 'repository_dispatch', 'schedule', 'workflow_dispatch']);
    // Its GraphQL read selects pull-request nodes (cross-references): FORBIDDEN in a private repository without it.
    expect(only('userloop-prioritize.yml')['permissions']).toEqual({ contents: 'read', issues: 'write', 'pull-requests': 'read' });

    expect(on('userloop-require-docs.yml')).toEqual({
      pull_request: { types: ['opened', 'edited', 'synchronize', 'reopened', 'labeled', 'unlabeled', 'ready_for_review'] },
      merge_group: { types: ['checks_requested'] },
    });
    expect(only('userloop-require-docs.yml')['permissions']).toEqual({ contents: 'read', 'pull-requests': 'write' });

    expect(on('userloop-draft-release-notes.yml')).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(only('userloop-draft-release-notes.yml')['permissions']).toEqual({ contents: 'write', 'pull-requests': 'read', issues: 'read' });

    const notifyOn = on('userloop-notify-requesters.yml');
    expect(notifyOn).toMatchObject({
      release: { types: ['published', 'released'] },
      issues: { types: ['assigned'] },
      pull_request: { types: ['opened'] },
      workflow_dispatch: { inputs: { tag: { required: true, type: 'string' } } },
    });
    const notify = only('userloop-notify-requesters.yml');
    expect(notify['permissions']).toEqual({ contents: 'read', issues: 'write', 'pull-requests': 'read' });
    expect(stepsOf(notify)[0]?.['with']).toEqual({ tag: '${{ inputs.tag }}' });
    expect(String(notify['if'])).toContain('github.event.pull_request.head.repo.full_name == github.repository');

    expect(Object.keys(on('userloop-kpi-report.yml')).sort()).toEqual(['schedule', 'workflow_dispatch']);
    for (const [file, wf] of Object.entries(written)) expect(wf['permissions'], file).toEqual({});
  });

  it('runs only actions this checkout has, with inputs they declare, all at one ref that resolves', () => {
    const refs = new Set<string>();
    for (const [file, wf] of Object.entries(written)) {
      for (const [id, job] of jobsOf(wf)) {
        if (typeof job['uses'] === 'string') refs.add(splitUses(job['uses']).ref);
        for (const step of stepsOf(job)) {
          const { repo, path, ref } = splitUses(String(step['uses']));
          refs.add(ref);
          expect(repo).toBe(USERLOOP_REPOSITORY);
          const meta = join(repoRoot, path, 'action.yml');
          expect(existsSync(meta), `${file} ${id}: ${path}`).toBe(true);
          const inputs = rec(rec(parseYaml(readFileSync(meta, 'utf8')))['inputs']);
          for (const name of Object.keys(rec(step['with']))) expect(inputs, `${file} ${id}: input ${name} of ${path}`).toHaveProperty([name]);
        }
        for (const step of stepsOf(job)) expect(step, `${file} ${id}`).not.toHaveProperty('run');
      }
    }
    // The major tag userloop's release workflow keeps (.github/workflows/release.yml, tests/release-workflow.test.ts).
    expect([...refs]).toEqual([DEFAULT_REF]);
  });

  it('--ref pins every uses: line and userloop-ref to the same commit, and rejects what is not a ref', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const pinned = workflows({ ref: sha });
    const refs = new Set<string>();
    for (const wf of Object.values(pinned)) {
      for (const [, job] of jobsOf(wf)) {
        if (typeof job['uses'] === 'string') {
          refs.add(splitUses(job['uses']).ref);
          refs.add(String(rec(job['with'])['userloop-ref']));
        }
        for (const step of stepsOf(job)) refs.add(splitUses(String(step['uses'])).ref);
      }
    }
    expect([...refs]).toEqual([sha]);
    expect(initFiles({ ref: sha }).find((f) => f.path.endsWith('kpi-report.yml'))?.content).toContain(`# Pinned to the userloop commit ${sha}`);
    expect(() => initFiles({ ref: 'v1 --force' })).toThrow('--ref "v1 --force" is not a tag, branch or full commit sha');
  });
});

describe('init follows the reusable KPI workflow instead of drifting from it', () => {
  const real = readFileSync(join(repoRoot, '.github/workflows/kpi-report.yml'), 'utf8');

  it('fails, naming the input, when the reusable workflow requires an input init cannot fill', () => {
    const changed = real.replace(/(\n {2}workflow_call:\n {4}inputs:\n)/, '$1      team:\n        description: x\n        type: string\n        required: true\n');
    expect(changed).not.toBe(real);
    expect(() => initFiles({ kpiWorkflow: changed })).toThrow(/requires the input team, which userloop init does not pass/);
  });

  it('grants what a job of the reusable workflow newly asks for', () => {
    const changed = real.replace(/(\n {2}report:\n(?: {4}.*\n)*? {4}permissions:\n)/, '$1      discussions: read\n');
    expect(changed).not.toBe(real);
    expect(readReusableWorkflow(changed, 'x.yml').permissions).toMatchObject({ discussions: 'read', issues: 'write' });
    const kpi = initFiles({ kpiWorkflow: changed }).find((f) => f.path.endsWith('kpi-report.yml'));
    expect(rec(rec(rec(parseYaml(kpi?.content ?? ''))['jobs'])['report'])['permissions']).toMatchObject({ discussions: 'read', issues: 'write' });
  });
});

describe('the default branch draft-release-notes follows', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is the branch of a fresh repository, and main or master when only that one exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'userloop-branch-'));
    dirs.push(dir);
    execFileSync('git', ['init', '-q', '-b', 'trunk', dir]);
    expect(defaultBranchOf(dir)).toBe('trunk');
    const git = (...args: string[]): void => {
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { stdio: 'ignore' });
    };
    git('commit', '-q', '--allow-empty', '-m', 'first');
    git('branch', '-m', 'trunk', 'master');
    git('checkout', '-q', '-b', 'feature');
    expect(defaultBranchOf(dir)).toBe('master');
    const files = workflows({ defaultBranch: defaultBranchOf(dir) });
    expect(rec(files['userloop-draft-release-notes.yml']?.['on'])['push']).toEqual({ branches: ['master'] });
  });
});
