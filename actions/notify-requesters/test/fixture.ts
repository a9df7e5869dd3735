// A small repository in the emulator: a first release, issues with their requesters, merged pull requests
// that close them, and the next release.
import { createOctokit, defaultConfig, ledgerOptionsFromConfig, notifyRequestersSection, prioritizeSection, type LedgerOptions, type NotifyRequestersConfig, type Octokit, PACED_WRITES_THROTTLE } from '@userloop/core';
import type { Sim, SimRelease, Store } from '@userloop/github-sim';
import type { MainInput } from '../src/types.ts';

export const OWNER = 'octo-org';
export const REPO = 'octo-repo';
export const FULL = `${OWNER}/${REPO}`;

/** The repository with one commit and the published release v1.0.0. */
export function seedRepo(store: Store): void {
  store.addUser({ login: OWNER, type: 'Organization' });
  store.createRepo({ owner: OWNER, name: REPO, collaborators: { maintainer: 'admin' } });
  store.commitOn(FULL, 'main', [{ message: 'Initial commit' }]);
  store.createRelease(FULL, { tag_name: 'v1.0.0', name: 'v1.0.0', author: 'maintainer' });
  store.advance(60_000);
}

/** Opens an issue; returns its number. */
export function addIssue(store: Store, user: string, title: string, extra: { body?: string; labels?: string[] } = {}): number {
  store.advance(1000);
  return store.createIssue(FULL, { title, user, body: extra.body ?? `${title}, please.`, labels: extra.labels ?? [] }).number;
}

/** Opens one issue per `[user, title]`, in order; returns their numbers. */
export function addIssues<const T extends readonly (readonly [user: string, title: string])[]>(store: Store, issues: T): { -readonly [K in keyof T]: number } {
  return issues.map(([user, title]) => addIssue(store, user, title)) as { -readonly [K in keyof T]: number };
}

/** A comment by `user`. */
export function comment(store: Store, issue: number, user: string, body: string): void {
  store.advance(1000);
  store.createComment(FULL, issue, { user, body });
}

/**
 * Merges a pull request (a commit on main) that closes `closes`; returns its number. Merged into another
 * branch (`base`, later merged into main), it links `closes` but closes nothing, as on GitHub.
 */
export function mergePr(
  store: Store,
  input: { title: string; body?: string; user?: string; closes?: number[]; files?: string[]; labels?: string[]; base?: string },
): number {
  store.advance(60_000);
  const [commit] = store.commitOn(FULL, 'main', [{ message: input.title, author: { login: input.user ?? 'dev' } }]);
  const pr = store.createPull(FULL, {
    title: input.title,
    body: input.body ?? '',
    user: input.user ?? 'dev',
    labels: input.labels ?? [],
    merged: true,
    merge_commit_sha: commit!.sha,
    commits: [commit!.sha],
    closing_issues: input.closes ?? [],
    files: (input.files ?? ['src/index.ts']).map((filename) => ({ filename })),
    ...(input.base ? { base: { ref: input.base } } : {}),
  });
  if (input.base) return pr.number;
  for (const n of input.closes ?? []) {
    const issue = store.issue(FULL, n);
    if (issue && issue.state === 'open') store.closeIssue(FULL, n, input.user ?? 'dev', 'completed', commit!.sha);
  }
  return pr.number;
}

/**
 * The usual story: an issue `user` opened (with `comments`, each `[user, body]`), closed by a merged pull
 * request (`pr`), then the next release published; returns the issue's number.
 */
export function shipIssue(
  store: Store,
  issue: { user: string; title: string; comments?: readonly (readonly [user: string, body: string])[] },
  pr: Omit<Parameters<typeof mergePr>[1], 'closes'>,
): number {
  const number = addIssue(store, issue.user, issue.title);
  for (const [user, body] of issue.comments ?? []) comment(store, number, user, body);
  mergePr(store, { ...pr, closes: [number] });
  publish(store);
  return number;
}

/** Publishes the next release at main's head. */
export function publish(store: Store, tag = 'v1.1.0', body: string | null = null): SimRelease {
  store.advance(60_000);
  return store.createRelease(FULL, { tag_name: tag, name: tag, body, author: 'maintainer' });
}

/** The action's client (core's, with PACED_WRITES_THROTTLE, as run.ts makes it) pointed at the emulator, with every wait scaled to nothing. */
export function octokitFor(sim: Sim, token = 'test-token'): Octokit {
  return createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { ...PACED_WRITES_THROTTLE, waitScale: 0 }, retries: 1 });
}

/** The ledger options run.ts passes for a config with these `bots` and `prioritize` section. */
export function ledgerFor(bots: readonly string[], prioritize: Record<string, unknown> = {}): LedgerOptions {
  return ledgerOptionsFromConfig({ bots, prioritize: prioritizeSection.parse(prioritize) });
}

/** The section with test pacing (no waits) and any overrides. */
export function config(overrides: Record<string, unknown> = {}): NotifyRequestersConfig {
  return notifyRequestersSection.parse({ 'min-interval-ms': 0, ...overrides });
}

/** Bodies of the comments the bot wrote on an issue. */
export function botComments(store: Store, issue: number): string[] {
  return store.commentsOf(FULL, issue).filter((c) => c.user === 'github-actions[bot]').map((c) => c.body);
}

/** The people a notice body mentions in its `cc` line. */
export function mentioned(body: string): string[] {
  const line = body.split('\n').find((l) => l.startsWith('cc @'));
  return line ? line.slice(3).split(' ').map((m) => m.replace(/^@/, '')) : [];
}

/** The bot's release notices on an issue (its other comments, such as prioritize's, left out). */
export function notices(store: Store, issue: number): string[] {
  return botComments(store, issue).filter((b) => b.includes('<!-- userloop:notify '));
}

/** The input of `main` for a release of this repository; `bots` are excluded from the ledger. */
export function mainInput(bots: readonly string[], overrides: Partial<MainInput> = {}): MainInput {
  return {
    owner: OWNER,
    repo: REPO,
    serverUrl: 'https://github.com',
    trigger: { kind: 'release', tag: 'v1.1.0', release: null },
    config: config(),
    usageHeadings: defaultConfig()['require-docs']['how-to-use'].headings,
    bots: [...bots],
    ledger: ledgerFor(bots),
    areas: [],
    ...overrides,
  };
}
