import { describe, expect, it } from 'vitest';
import { CACHE_EVICTION_MS, type PlatformRun } from '../src/index.ts';
import { setup } from './platform-helpers.ts';

const wf = (name: string, text: string): Record<string, string> => ({ [`.github/workflows/${name}`]: text });

/** A pull_request workflow: one job with the default token reading a secret, one asking for write permissions. */
const PR_WORKFLOW = `name: pr
on: pull_request
jobs:
  default:
    runs-on: ubuntu-latest
    steps:
      - env:
          SECRET: \${{ secrets.DEPLOY_KEY }}
        run: echo "secret=\${SECRET:-none}" >> "$GITHUB_OUTPUT"
        id: s
    outputs:
      secret: \${{ steps.s.outputs.secret }}
  writer:
    runs-on: ubuntu-latest
    permissions:
      issues: write
      pull-requests: write
    steps:
      - run: echo ok
`;

/** A job graph: needs with outputs, a fromJSON matrix, if:, continue-on-error and timeout-minutes. */
const GRAPH_WORKFLOW = `name: graph
on: workflow_dispatch
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      list: \${{ steps.p.outputs.list }}
    steps:
      - id: p
        run: echo 'list=["a","b","c"]' >> "$GITHUB_OUTPUT"
  leg:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix:
        item: \${{ fromJSON(needs.plan.outputs.list) }}
    steps:
      - env:
          ITEM: \${{ matrix.item }}
          INDEX: \${{ strategy.job-index }}
        run: echo "$ITEM $INDEX" >> "$GITHUB_STEP_SUMMARY"
  flaky:
    needs: plan
    runs-on: ubuntu-latest
    continue-on-error: true
    steps:
      - run: exit 3
  slow:
    needs: plan
    runs-on: ubuntu-latest
    timeout-minutes: 1
    steps:
      - run: sleep 5
  after:
    needs: [leg, flaky]
    runs-on: ubuntu-latest
    steps:
      - run: echo after
  never:
    needs: slow
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  cleanup:
    needs: slow
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo cleanup
`;

describe('platform: the runner machine', () => {
  it("its environment (runnerEnv) reaches every step, a run: script's and a composite action's", async () => {
    const workflow = `name: env
on: workflow_dispatch
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: echo "script sees \${MACHINE_VAR:-nothing}"
      - uses: actions/checkout@v4
      - uses: ./actions/echo-env
`;
    const action = `name: echo-env
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "action sees \${MACHINE_VAR:-nothing}"
`;
    const { platform } = await setup([], { ...wf('env.yml', workflow), 'actions/echo-env/action.yml': action }, { runnerEnv: { MACHINE_VAR: 'the runner' } });
    const run = platform.dispatch('env.yml');
    await platform.settle();
    expect(run.conclusion).toBe('success');
    expect(run.jobs[0]?.stdout).toContain('script sees the runner');
    expect(run.jobs[0]?.stdout).toContain('action sees the runner');
  });
});

describe('platform: jobs and tokens', () => {
  it("each job's token has exactly the job's permissions (else the workflow's), enforced by the API", async () => {
    const { platform, sim } = await setup(['permissions.yml']);
    const n = sim.store.createIssue('octo/app', { title: 'target', user: 'alice' }).number;
    const run = platform.dispatch('permissions.yml', { number: n });
    await platform.settle();
    const byJob = Object.fromEntries(run.jobs.map((j) => [j.id, j]));
    expect(byJob.inherit?.permissions).toEqual({ metadata: 'read', contents: 'read' });
    expect(byJob.reader?.permissions).toEqual({ metadata: 'read', issues: 'read', pull_requests: 'write' });
    expect(byJob.none?.permissions).toEqual({ metadata: 'read' });
    // issues: read cannot comment: GitHub answers 403 and the step fails.
    expect(byJob.reader?.conclusion).toBe('failure');
    expect(byJob.reader?.steps.find((s) => s.id === 'post')?.outputs.status).toBe('403');
    expect(sim.store.commentsOf('octo/app', n)).toHaveLength(0);
    expect(run.conclusion).toBe('failure');
    // The tokens ended with their jobs.
    expect([...sim.store.tokens.values()].filter((t) => t.kind === 'github-token')).toHaveLength(0);
  });

  it("without permissions: the token gets GitHub's restricted default; a fork's pull request gets read only and no secrets", async () => {
    const { platform } = await setup([], wf('pr.yml', PR_WORKFLOW), { secrets: { DEPLOY_KEY: 'k-123' } });
    platform.openPullRequest({ user: 'maria', head: 'feature', title: 'Feature', files: ['src/a.ts'] });
    platform.openPullRequest({ user: 'stranger', head: 'patch', title: 'Patch', files: ['src/b.ts'], fork: true });
    const [own, fork] = await platform.settle();
    const jobs = (r: PlatformRun | undefined) => Object.fromEntries((r?.jobs ?? []).map((j) => [j.id, j]));
    expect(jobs(own).default?.permissions).toEqual({ metadata: 'read', contents: 'read', packages: 'read' });
    expect(jobs(own).writer?.permissions).toEqual({ metadata: 'read', issues: 'write', pull_requests: 'write' });
    // The secret reached the step; an output holding it is not passed on, as the runner does.
    expect(jobs(own).default?.outputs.secret).toBeUndefined();
    expect(jobs(own).default?.annotations.map((a) => a.message)).toContain("Skip output 'secret' since it may contain secret.");
    expect(jobs(fork).writer?.permissions).toEqual({ metadata: 'read', issues: 'read', pull_requests: 'read' });
    expect(jobs(fork).default?.outputs.secret).toBe('none');
    expect(platform.payloadErrors).toEqual([]);
  });

  it('jobs run in needs order with outputs, a fromJSON matrix, if:, continue-on-error and timeout-minutes', async () => {
    const { platform } = await setup([], wf('graph.yml', GRAPH_WORKFLOW), { minuteMs: 300 });
    const run = platform.dispatch('graph.yml');
    await platform.settle();
    const legs = run.jobs.filter((j) => j.id === 'leg');
    expect(legs.map((j) => j.name).sort()).toEqual(['leg (a)', 'leg (b)', 'leg (c)']);
    expect(legs.map((j) => j.summary.trim()).sort()).toEqual(['a 0', 'b 1', 'c 2']);
    const conclusion = (id: string) => run.jobs.find((j) => j.id === id)?.conclusion;
    expect(conclusion('flaky')).toBe('failure');
    expect(conclusion('after')).toBe('success');
    expect(conclusion('slow')).toBe('failure');
    expect(run.jobs.find((j) => j.id === 'slow')?.errors.join()).toContain('exceeded the maximum execution time of 1 minutes');
    expect(conclusion('never')).toBe('skipped');
    expect(conclusion('cleanup')).toBe('success');
    expect(run.conclusion).toBe('failure');
  });

  it('a uses: the platform cannot resolve fails the job with an error naming it', async () => {
    const { platform } = await setup([], wf('other.yml', 'name: other\non: workflow_dispatch\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some-org/some-action@v1\n'));
    const run = platform.dispatch('other.yml');
    await platform.settle();
    expect(run.conclusion).toBe('failure');
    expect(run.jobs[0]?.errors.join()).toContain("Unable to resolve action 'some-org/some-action@v1'");
  });
});

describe('platform: concurrency', () => {
  it('one running and one pending per group: a newer pending run cancels the older one', async () => {
    const { platform } = await setup(['queue.yml']);
    const first = platform.dispatch('queue.yml', { group: 'g' });
    const second = platform.dispatch('queue.yml', { group: 'g' });
    const third = platform.dispatch('queue.yml', { group: 'g' });
    const other = platform.dispatch('queue.yml', { group: 'h' });
    await platform.settle();
    expect([first, second, third, other].map((r) => r.conclusion)).toEqual(['success', 'cancelled', 'success', 'success']);
    expect(second.errors.join()).toContain("higher priority waiting request for 'queue-g'");
    expect(second.jobs).toHaveLength(0);
    // Same group: the third started only after the first completed. Other group: at the same time as the first.
    expect(third.startedAt ?? 0).toBeGreaterThanOrEqual(first.completedAt ?? Infinity);
    expect(other.startedAt ?? Infinity).toBeLessThan(first.completedAt ?? 0);
  });

  it('cancel-in-progress cancels the running run (its process is killed)', async () => {
    const { platform } = await setup(['queue.yml']);
    const first = platform.dispatch('queue.yml', { group: 'c', cancel: true, sleep: '20' });
    await new Promise((r) => setTimeout(r, 300));
    const second = platform.dispatch('queue.yml', { group: 'c', cancel: true, sleep: '0' });
    const started = Date.now();
    await platform.settle();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(first.conclusion).toBe('cancelled');
    expect(first.jobs[0]?.steps[0]?.outcome).toBe('cancelled');
    expect(second.conclusion).toBe('success');
  });
});

describe('platform: reusable workflows', () => {
  const called = `name: called
on:
  workflow_call:
    inputs:
      userloop-repository:
        type: string
        required: true
      period:
        type: string
        default: week
    outputs:
      said:
        value: \${{ jobs.say.outputs.said }}
jobs:
  say:
    runs-on: ubuntu-latest
    permissions:
      issues: write
      contents: read
    outputs:
      said: \${{ steps.s.outputs.said }}
    steps:
      - id: s
        env:
          REPO: \${{ inputs.userloop-repository }}
          PERIOD: \${{ inputs.period }}
          CALLER: \${{ github.workflow }}
          EVENT: \${{ github.event_name }}
        run: echo "said=$REPO $PERIOD $CALLER $EVENT" >> "$GITHUB_OUTPUT"
`;

  it('a call without a required input fails the whole run before any job starts, with GitHub\'s message', async () => {
    const { platform } = await setup([], {}, { actionRepos: {} });
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const path = await import('node:path');
    const lib = path.join(platform.checkout, '..', `lib-${Date.now()}`);
    mkdirSync(path.join(lib, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(lib, '.github', 'workflows', 'report.yml'), called);
    platform.actionRepos['userloop/userloop'] = lib;
    /** Writes the calling workflow, weekly.yml. */
    const writeCaller = (text: string) => writeFileSync(path.join(platform.checkout, '.github', 'workflows', 'weekly.yml'), text);
    writeCaller(`name: weekly
on:
  schedule:
    - cron: '0 6 * * 1'
  workflow_dispatch:
permissions:
  issues: write
  contents: read
jobs:
  report:
    uses: userloop/userloop/.github/workflows/report.yml@v1
    with:
      period: month
`);
    const [bad] = platform.schedule('0 6 * * 1');
    await platform.settle();
    expect(bad?.conclusion).toBe('startup_failure');
    expect(bad?.jobs).toHaveLength(0);
    expect(bad?.errors[0]).toBe(
      'The workflow is not valid. .github/workflows/weekly.yml (Line: 11, Col: 11): Input userloop-repository is required, but not provided while calling.',
    );

    // Unknown inputs are refused too.
    writeCaller(`name: weekly
on: workflow_dispatch
permissions:
  issues: write
  contents: read
jobs:
  report:
    uses: userloop/userloop/.github/workflows/report.yml@v1
    with:
      userloop-repository: userloop/userloop
      colour: blue
`);
    const unknown = platform.dispatch('weekly.yml');
    expect(unknown.conclusion).toBe('startup_failure');
    expect(unknown.errors[0]).toContain('Invalid input, colour is not defined in the referenced workflow.');

    // Given its inputs, the called workflow runs with the caller's github context; its outputs reach the caller.
    writeCaller(`name: weekly
on: workflow_dispatch
permissions:
  issues: read
  contents: read
jobs:
  report:
    uses: userloop/userloop/.github/workflows/report.yml@v1
    with:
      userloop-repository: userloop/userloop
  show:
    needs: report
    runs-on: ubuntu-latest
    steps:
      - env:
          SAID: \${{ needs.report.outputs.said }}
        run: echo "$SAID" >> "$GITHUB_STEP_SUMMARY"
`);
    const good = platform.dispatch('weekly.yml');
    await platform.settle();
    expect(good.conclusion).toBe('success');
    expect(good.jobs.map((j) => j.name)).toEqual(['report / say', 'show']);
    expect(good.jobs[1]?.summary.trim()).toBe('userloop/userloop week weekly workflow_dispatch');
    // The called job asked for issues: write, but its caller granted only read.
    expect(good.jobs[0]?.permissions).toEqual({ metadata: 'read', issues: 'read', contents: 'read' });
  });
});

describe('platform: on: filters', () => {
  it('types, branches, tags, paths, schedule crons and workflow_dispatch inputs', async () => {
    const { platform } = await setup([], {
      ...wf('docs.yml', "name: docs\non:\n  push:\n    branches: [main, 'release/**']\n    paths: ['docs/**', '!docs/drafts/**']\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo docs\n"),
      ...wf('tags.yml', "name: tags\non:\n  push:\n    tags: ['v*']\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo tag\n"),
      ...wf('prs.yml', 'name: prs\non:\n  pull_request:\n    branches-ignore: [legacy]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo pr\n'),
      ...wf('nightly.yml', "name: nightly\non:\n  schedule:\n    - cron: '30 2 * * *'\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo night\n"),
      ...wf('manual.yml', "name: manual\non:\n  workflow_dispatch:\n    inputs:\n      period:\n        type: choice\n        options: [week, month]\n        default: week\n      dry:\n        type: boolean\n      who:\n        type: string\n        required: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - if: inputs.dry\n        run: echo dry\n      - env:\n          P: ${{ inputs.period }}\n        run: echo \"$P\" >> \"$GITHUB_STEP_SUMMARY\"\n"),
    });
    const runsOf = (file: string) => platform.runs.filter((r) => r.workflow === `.github/workflows/${file}`);
    platform.push({ by: 'maria', files: ['docs/guide.md'] });
    platform.push({ by: 'maria', files: ['docs/drafts/x.md'] });
    platform.push({ by: 'maria', branch: 'feature', files: ['docs/guide.md'] });
    platform.push({ by: 'maria', branch: 'release/1.2', files: ['src/x.ts', 'docs/a.md'] });
    expect(runsOf('docs.yml')).toHaveLength(2);
    expect(runsOf('tags.yml')).toHaveLength(0);
    platform.openPullRequest({ user: 'maria', head: 'f1', title: 'One' });
    platform.openPullRequest({ user: 'maria', head: 'f2', base: 'legacy', title: 'Two' });
    const pr = platform.openPullRequest({ user: 'maria', head: 'f3', title: 'Three' });
    platform.editPullRequest(pr, { by: 'maria', title: 'Three!' }); // edited is not a default pull_request type
    expect(runsOf('prs.yml')).toHaveLength(2);
    expect(platform.schedule('0 3 * * *')).toHaveLength(0);
    expect(platform.schedule('30 2 * * *')).toHaveLength(1);
    platform.sim.store.now = new Date('2024-06-03T02:30:00Z');
    expect(platform.tick().map((r) => r.workflow)).toEqual(['.github/workflows/nightly.yml']);
    expect(() => platform.dispatch('manual.yml', { period: 'year', who: 'x' })).toThrow("Provided value 'year' for input 'period' not in the list of allowed values");
    expect(() => platform.dispatch('manual.yml', {})).toThrow("Required input 'who' not provided");
    expect(() => platform.dispatch('manual.yml', { who: 'x', extra: 1 })).toThrow('Unexpected inputs provided: ["extra"]');
    const run = platform.dispatch('manual.yml', { who: 'x' });
    await platform.settle();
    expect(run.jobs[0]?.steps.map((s) => s.outcome)).toEqual(['skipped', 'success']);
    expect(run.jobs[0]?.summary.trim()).toBe('week');
    expect(platform.payloadErrors).toEqual([]);
  });

  it('a merge emits pull_request.closed, a push to the base and issues.closed for the issues it closes; a merge queue emits merge_group', async () => {
    const { platform, sim } = await setup(['log-issues.yml'], {
      ...wf('merged.yml', 'name: merged\non:\n  pull_request:\n    types: [closed]\n  push:\n    branches: [main]\n  merge_group:\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo merged\n'),
    });
    const issue = platform.openIssue({ user: 'alice', title: 'Bug' });
    const pr = platform.openPullRequest({ user: 'maria', head: 'fix', title: 'Fix the bug', closes: [issue], files: ['src/fix.ts'] });
    platform.enqueue(pr, { by: 'maria' });
    platform.mergePullRequest(pr, { by: 'maria' });
    await platform.settle();
    const merged = platform.runs.filter((r) => r.workflow === '.github/workflows/merged.yml').map((r) => `${r.event}.${r.action ?? ''}`);
    expect(merged.sort()).toEqual(['merge_group.checks_requested', 'pull_request.closed', 'push.']);
    const closed = platform.runs.find((r) => r.event === 'pull_request' && r.action === 'closed');
    expect((closed?.payload.pull_request as { merged: boolean }).merged).toBe(true);
    expect(sim.store.mustIssue('octo/app', issue).state).toBe('closed');
    expect(platform.runs.some((r) => r.event === 'issues' && r.action === 'closed')).toBe(true);
    expect(platform.runs.every((r) => r.conclusion === 'success')).toBe(true);
    expect(platform.payloadErrors).toEqual([]);
  });
});

describe('platform: cache and artifacts', () => {
  const cacheWorkflow = `name: snapshot
on: workflow_dispatch
jobs:
  collect:
    runs-on: ubuntu-latest
    steps:
      - id: cache
        uses: actions/cache@v4
        with:
          path: .kpi/snapshot.json
          key: kpi-\${{ github.run_id }}
          restore-keys: kpi-
      - env:
          HIT: \${{ steps.cache.outputs.cache-hit }}
        run: |
          mkdir -p .kpi
          if [ -f .kpi/snapshot.json ]; then echo "restored $(cat .kpi/snapshot.json)" >> "$GITHUB_STEP_SUMMARY"; else echo "cold" >> "$GITHUB_STEP_SUMMARY"; fi
          echo "run $GITHUB_RUN_ID" > .kpi/snapshot.json
      - uses: actions/upload-artifact@v4
        with:
          name: records-\${{ strategy.job-index }}
          path: .kpi/snapshot.json
  report:
    needs: collect
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          pattern: records-*
          path: out
      - run: cat out/records-0/snapshot.json >> "$GITHUB_STEP_SUMMARY"
`;

  it('restores by restore-keys prefix, saves after the job, and evicts entries unused for 7 days', async () => {
    const { platform, sim } = await setup([], wf('snapshot.yml', cacheWorkflow));
    const summary = (r: PlatformRun, id: string) => r.jobs.find((j) => j.id === id)?.summary.trim();
    const first = platform.dispatch('snapshot.yml');
    await platform.settle();
    expect(summary(first, 'collect')).toBe('cold');
    expect(summary(first, 'report')).toBe(`run ${first.id}`);
    expect(platform.cacheEntries().map((e) => e.key)).toEqual([`kpi-${first.id}`]);

    sim.store.advance(6 * 24 * 3600 * 1000);
    const second = platform.dispatch('snapshot.yml');
    await platform.settle();
    expect(summary(second, 'collect')).toBe(`restored run ${first.id}`);

    // The newest entry was last used now; 7 days and a minute later every entry is gone.
    sim.store.advance(CACHE_EVICTION_MS + 60_000);
    expect(platform.cacheEntries()).toEqual([]);
    const third = platform.dispatch('snapshot.yml');
    await platform.settle();
    expect(summary(third, 'collect')).toBe('cold');
  });
});
