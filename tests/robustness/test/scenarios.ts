// One realistic run of every action against the emulator, seeded from scratch: the event, the
// inputs, the config, the store, and the routes its main read and write go through. The fault
// matrix, the idempotency checks, the bad-input corpus and the security checks all drive these.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderPrioritizeMarker } from '@userloop/core';
import {
  runAction,
  seedFromWebhook,
  startSim,
  webhookExample,
  type RequestLogEntry,
  type RunActionResult,
  type RunnerEvent,
  type Sim,
  type Store,
} from '../../../packages/github-sim/src/index.ts';

export type ActionName = 'prioritize' | 'require-docs' | 'draft-release-notes' | 'notify-requesters' | 'kpi-report';
export const ACTIONS: readonly ActionName[] = ['prioritize', 'require-docs', 'draft-release-notes', 'notify-requesters', 'kpi-report'];

/** Retry waits scaled to milliseconds (`retry-after: 60` costs 60 ms). */
export const WAIT_ENV = { USERLOOP_WAIT_SCALE: '0.001' };
export const BOT = 'github-actions[bot]';

/** A request route: the method and GitHub's OpenAPI template (or `/graphql`). */
/** A run of a bundled action, with the emulator's request log entries. */
export type RunResult = RunActionResult<RequestLogEntry>;

export interface Route {
  method: string;
  route: string;
}

export interface Scenario {
  action: ActionName;
  /** `owner/name` of the repository the action works on. */
  repo: string;
  /** Seeds a fresh emulator; returns the event to run on. */
  seed(store: Store): RunnerEvent;
  /** `.github/userloop.yml` in the checkout (absent when undefined). */
  config?: string;
  inputs?: Record<string, string>;
  /** The event's `ref` and `sha` when the runner cannot derive them. */
  ref?: (store: Store) => { ref?: string; sha?: string };
  /** The write every successful run makes (the first one when there are several). */
  write: Route;
  /** A read every run makes (REST when the action has one, else GraphQL). */
  read: Route;
  usesGraphql: boolean;
  /** The exit code of a fault-free run (require-docs fails a pull request missing its docs by design). */
  exitCode: number;
}

const COMMENTS: Route = { method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments' };
const GRAPHQL: Route = { method: 'POST', route: '/graphql' };
const HELLO = 'Codertocat/Hello-World';

// ----- prioritize: a new issue another person says "+1" to -----

const prioritize: Scenario = {
  action: 'prioritize',
  repo: HELLO,
  seed(store) {
    const payload = webhookExample('issues', 'opened');
    seedFromWebhook(store, payload);
    store.createComment(HELLO, 1, { user: 'octocat', body: '+1, same here' });
    return { name: 'issues', payload };
  },
  write: { method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/labels' },
  read: GRAPHQL,
  usesGraphql: true,
  exitCode: 0,
};

// ----- require-docs: a feature pull request without docs (fails by design, with one sticky comment) -----

const requireDocs: Scenario = {
  action: 'require-docs',
  repo: HELLO,
  seed(store) {
    const payload = webhookExample('pull_request', 'opened');
    const pr = payload['pull_request'] as { title: string; body: string | null; number: number };
    pr.title = 'feat: export to CSV';
    pr.body = 'Adds an export.';
    seedFromWebhook(store, payload);
    store.mustIssue(HELLO, pr.number).pull_request!.files = [
      { sha: '0'.repeat(40), filename: 'src/export.ts', status: 'added', additions: 1, deletions: 0, changes: 1 },
    ];
    return { name: 'pull_request', payload };
  },
  write: COMMENTS,
  // one GraphQL query reads the pull request, its files, the token's identity and its sticky comment
  read: GRAPHQL,
  usesGraphql: true,
  exitCode: 1,
};

// ----- draft-release-notes: a push to main after a release and two merged pull requests -----

const OCTO = 'octo-org/octo-repo';

/** A pull request into `main` (one commit on its own branch, by alice unless `user`), merged by the maintainer. */
export function mergePr(store: Store, repo: string, title: string, extra: { body?: string; closes?: number[]; user?: string } = {}): number {
  store.advance(60_000);
  const branch = `feature-${store.nextId}`;
  store.setRef(repo, `refs/heads/${branch}`, store.resolveRef(repo, 'refs/heads/main')!);
  store.advance(60_000);
  const [commit] = store.commitOn(repo, branch, [title]);
  store.advance(60_000);
  const pr = store.createPull(repo, {
    title,
    body: extra.body ?? '',
    user: extra.user ?? 'alice',
    head: { ref: branch, sha: commit!.sha },
    base: { ref: 'main' },
    commits: [commit!.sha],
    files: [{ filename: 'src/index.ts' }],
    closing_issues: extra.closes ?? [],
  });
  store.mergePull(repo, pr.number, 'maintainer');
  return pr.number;
}

function seedOcto(store: Store): void {
  store.createRepo({ owner: 'octo-org', name: 'octo-repo', collaborators: { maintainer: 'admin' } });
  for (const login of ['alice', 'bob', 'carol', 'maintainer']) store.addUser({ login });
  store.advance(60_000);
  store.commitOn(OCTO, 'main', ['Initial commit']);
}

/** An issue with prioritize's ledger comment naming `requesters`. */
function ledgerIssue(store: Store, repo: string, title: string, author: string, requesters: string[]): number {
  store.advance(60_000);
  const issue = store.createIssue(repo, { title, user: author, body: `${title}, please.` });
  const marker = renderPrioritizeMarker({
    priority: 'high',
    path: ['blocked:no', 'new-user:no', 'quick:no', 'brought-up-before:yes'],
    due: null,
    ledger: { requesters: requesters.map((login) => ({ login, via: login === author ? 'author' : 'comment' })), places: [] },
  });
  store.createComment(repo, issue.number, { body: `Priority: High\n\n${marker}`, user: BOT });
  return issue.number;
}

function pushPayload(store: Store): Record<string, unknown> {
  const payload = webhookExample('push') as Record<string, unknown>;
  const repository = payload['repository'] as Record<string, unknown>;
  Object.assign(repository, { full_name: OCTO, name: 'octo-repo', default_branch: 'main', owner: { ...(repository['owner'] as object), login: 'octo-org' } });
  payload['ref'] = 'refs/heads/main';
  payload['after'] = store.resolveRef(OCTO, 'refs/heads/main');
  return payload;
}

const draftReleaseNotes: Scenario = {
  action: 'draft-release-notes',
  repo: OCTO,
  seed(store) {
    seedOcto(store);
    mergePr(store, OCTO, 'fix: first');
    store.advance(60_000);
    store.createRelease(OCTO, { tag_name: 'v1.0.0', target_commitish: 'main', name: 'v1.0.0', body: 'Published notes' });
    const issue = ledgerIssue(store, OCTO, 'Export please', 'bob', ['bob', 'carol']);
    mergePr(store, OCTO, 'feat: export', { body: '## How to use\n\n```sh\nexport --csv\n```', closes: [issue] });
    mergePr(store, OCTO, 'fix: crash on start', { user: 'carol' });
    return { name: 'push', payload: pushPayload(store) };
  },
  ref: (store) => ({ ref: 'refs/heads/main', sha: store.resolveRef(OCTO, 'refs/heads/main')! }),
  write: { method: 'POST', route: '/repos/{owner}/{repo}/releases' },
  read: { method: 'GET', route: '/repos/{owner}/{repo}/releases' },
  usesGraphql: true,
  exitCode: 0,
};

// ----- notify-requesters: a published release that resolves two issues -----

/** What a notify-requesters seed may vary: the merged pull request's title, its body after the closing keywords, its files. */
export interface NotifySeed {
  title?: string;
  body?: string;
  files?: string[];
}

/** The recorded `release.published` event, its repository seeded, with a first commit on `master`. */
export function publishedRelease(store: Store): RunnerEvent {
  const payload = webhookExample('release', 'published');
  seedFromWebhook(store, payload);
  store.commitOn(HELLO, 'master', [{ message: 'Initial commit' }]);
  store.advance(60_000);
  return { name: 'release', payload };
}

/** The release's pull request: its title, body and files, and the message of its one commit. */
interface ReleasedPull {
  message: string;
  title: string;
  body: string;
  files: string[];
}

/**
 * `pull`, by Codertocat, merged into the default branch: its closing keywords close `closes` as completed (as
 * GitHub does), and its commit is tagged `0.0.1`.
 */
export function mergeReleasedPull(store: Store, pull: ReleasedPull, closes: number[]): void {
  const [commit] = store.commitOn(HELLO, 'master', [{ message: pull.message }]);
  store.createPull(HELLO, {
    title: pull.title,
    user: 'Codertocat',
    body: pull.body,
    merged: true,
    merge_commit_sha: commit!.sha,
    commits: [commit!.sha],
    files: pull.files.map((filename) => ({ filename })),
  });
  for (const number of closes) store.closeIssue(HELLO, number, 'Codertocat', 'completed', commit!.sha);
  store.setRef(HELLO, 'refs/tags/0.0.1', commit!.sha);
}

/**
 * A published release that resolves two issues: #first (alice, +1 from bob) and #second (carol), closed as
 * completed by one merged pull request into the default branch (as GitHub does), tagged `0.0.1`.
 */
export function seedNotifyRelease(store: Store, seed: NotifySeed = {}): RunnerEvent {
  const event = publishedRelease(store);
  const first = store.createIssue(HELLO, { title: 'Say hello in French', user: 'alice' }).number;
  store.createComment(HELLO, first, { user: 'bob', body: '+1' });
  const second = store.createIssue(HELLO, { title: 'Say hello in German', user: 'carol' }).number;
  store.advance(60_000);
  mergeReleasedPull(
    store,
    {
      message: 'feat: bonjour, hallo',
      title: seed.title ?? 'feat: bonjour, hallo',
      body: `Closes #${first}, fixes #${second}\n\n${seed.body ?? '## How to use\n\n`hello --lang fr`\n'}`,
      files: seed.files ?? ['docs/fr.md', 'src/hello.js'],
    },
    [first, second],
  );
  return event;
}

const notifyRequesters: Scenario = {
  action: 'notify-requesters',
  repo: HELLO,
  config: 'notify-requesters:\n  min-interval-ms: 0\n  upgrade-hint: npm i hello-world@{version}\n',
  seed: (store) => seedNotifyRelease(store),
  write: COMMENTS,
  read: GRAPHQL,
  usesGraphql: true,
  exitCode: 0,
};

// ----- kpi-report: the weekly report of a small repository -----

const kpiReport: Scenario = {
  action: 'kpi-report',
  repo: OCTO,
  config: 'kpi-report:\n  goals:\n    first-response-p90-hours: 24\n',
  inputs: { period: 'week', 'as-of': '2026-11-23T06:00:00Z' },
  seed(store) {
    store.now = new Date('2026-11-01T00:00:00Z');
    store.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'octo-repo', collaborators: { alice: 'write' } });
    const at = (iso: string) => (store.now = new Date(iso));
    at('2026-11-16T09:00:00Z');
    const one = store.createIssue(OCTO, { title: 'Crash on start', user: 'uma', labels: ['bug'], author_association: 'NONE' }).number;
    store.createComment(OCTO, one, { user: BOT, body: `Priority: Fix it now\n\n${renderPrioritizeMarker({ priority: 'fix-it-now', path: [], due: '2026-11-17', ledger: { requesters: [{ login: 'uma', via: 'author' }], places: [] } })}` });
    at('2026-11-16T11:00:00Z');
    store.createComment(OCTO, one, { user: 'alice', body: 'Looking.', author_association: 'MEMBER' });
    at('2026-11-17T09:00:00Z');
    store.closeIssue(OCTO, one, 'alice', 'completed');
    at('2026-11-18T10:00:00Z');
    store.createIssue(OCTO, { title: 'Dark mode', user: 'vic', author_association: 'NONE' });
    at('2026-11-20T10:00:00Z');
    store.createIssue(OCTO, { title: 'Export to CSV', user: 'wes', author_association: 'NONE' });
    at('2026-11-23T06:00:00Z');
    return { name: 'schedule', payload: { schedule: '0 6 * * 1' } };
  },
  write: { method: 'POST', route: '/repos/{owner}/{repo}/issues' },
  read: GRAPHQL,
  usesGraphql: true,
  exitCode: 0,
};

export const SCENARIOS: Record<ActionName, Scenario> = {
  prioritize,
  'require-docs': requireDocs,
  'draft-release-notes': draftReleaseNotes,
  'notify-requesters': notifyRequesters,
  'kpi-report': kpiReport,
};

/** A fresh emulator seeded for the scenario, with the event to run on. */
export async function setUp(sc: Scenario): Promise<{ sim: Sim; event: RunnerEvent }> {
  const sim = await startSim();
  const event = sc.seed(sim.store);
  sim.resetCounters();
  return { sim, event };
}

/** Runs `test` on a fresh emulator seeded for the scenario (setUp), and stops the emulator after it, passed or failed. */
export async function withScenario<T>(sc: Scenario, test: (sim: Sim, event: RunnerEvent) => Promise<T>): Promise<T> {
  const { sim, event } = await setUp(sc);
  try {
    return await test(sim, event);
  } finally {
    await sim.stop();
  }
}

/** Runs `test` on a fresh, empty emulator, and stops the emulator after it, passed or failed. */
export async function withSim<T>(test: (sim: Sim) => Promise<T>): Promise<T> {
  const sim = await startSim();
  try {
    return await test(sim);
  } finally {
    await sim.stop();
  }
}

export interface RunOptions {
  token?: string;
  /** replaces the scenario's config file text; null: no config file */
  config?: string | null;
  /** files to put in the checkout besides the config, path -> text */
  files?: Record<string, string>;
  inputs?: Record<string, string>;
  event?: RunnerEvent;
  raw?: boolean;
}

/** Runs the BUNDLED action through its action.yml, in a fresh checkout holding the config. */
export async function runScenario(sc: Scenario, sim: Sim, event: RunnerEvent, options: RunOptions = {}): Promise<RunResult> {
  const workspace = await mkdtemp(join(tmpdir(), `robustness-${sc.action}-`));
  try {
    const config = options.config === undefined ? sc.config : options.config;
    const files: Record<string, string> = { ...(config === undefined || config === null ? {} : { '.github/userloop.yml': config }), ...(options.files ?? {}) };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(workspace, file)), { recursive: true });
      await writeFile(join(workspace, file), text);
    }
    const token = options.token ?? 'test-token';
    return await runAction({
      actionDir: `actions/${sc.action}`,
      sim,
      event: options.event ?? event,
      inputs: { ...(sc.inputs ?? {}), ...(options.inputs ?? {}), token },
      token,
      env: WAIT_ENV,
      repository: sc.repo,
      workspace,
      ...(sc.ref ? sc.ref(sim.store) : {}),
      ...(options.raw ? { raw: true } : {}),
    });
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/**
 * A body without notify-requesters' log of its runs' writes (the `runs` of its progress marker, which
 * counts the hour's writes across runs): a faulted run and its re-run log two runs where a fault-free one
 * logs one, and what the progress says is done and left is compared as it is.
 */
function withoutRunLog(body: string | null): string | null {
  return body?.replace(/(<!-- userloop:notify-progress \{.*?)"runs":\[[^\]]*\]/g, '$1"runs":[]') ?? null;
}

/**
 * What the actions can change, without ids or timestamps: every issue (title, body, state, labels, every
 * comment's author and body), the repository's labels and its releases.
 */
export function repoState(store: Store, repo: string): unknown {
  const r = store.mustRepo(repo);
  const issues = [...r.issues.values()]
    .sort((a, b) => a.number - b.number)
    .map((i) => ({
      number: i.number,
      title: i.title,
      body: withoutRunLog(i.body),
      state: i.state,
      locked: i.locked,
      labels: [...i.labels].sort(),
      comments: store.commentsOf(repo, i.number).map((c) => `${c.user}: ${c.body}`),
    }));
  const labels = [...r.labels.values()].map((l) => l.name).sort();
  const releases = store
    .listReleases(repo)
    .map((x) => ({ tag: x.tag_name, name: x.name, body: x.body, draft: x.draft, prerelease: x.prerelease, target: x.target_commitish }))
    .sort((a, b) => `${a.tag}`.localeCompare(`${b.tag}`));
  return { issues, labels, releases };
}

/** How many comments the bot wrote, per issue, and how many releases and issues it made: to find doubles. */
export function botWrites(store: Store, repo: string): { comments: Record<number, number>; issues: number; releases: number } {
  const r = store.mustRepo(repo);
  const comments: Record<number, number> = {};
  let issues = 0;
  for (const i of r.issues.values()) {
    const n = store.commentsOf(repo, i.number).filter((c) => c.user === BOT).length;
    if (n) comments[i.number] = n;
    if (i.user === BOT) issues++;
  }
  return { comments, issues, releases: store.listReleases(repo).length };
}

/** The requests of a run that write: everything but reads and GraphQL queries. */
export const writesOf = (r: RunResult): RunResult['requests'] => r.requests.filter((q) => q.method !== 'GET' && q.route !== 'POST /graphql');

/** The annotations of a run as `level: message` lines, for failure messages. */
export function describeRun(r: RunResult): string {
  return [`exit ${r.exitCode}`, ...r.annotations.map((a) => `${a.level}: ${a.message}`), r.stderr.slice(0, 2000)].join('\n');
}
