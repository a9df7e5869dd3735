// Builds repository histories in the emulator's store the way GitHub would have them: feature branches,
// merge commits, releases with tags, issues with the prioritize bot's ledger comment.
import { renderPrioritizeMarker } from '@userloop/core';
import type { Store } from '@userloop/github-sim';

export const OWNER = 'octo-org';
export const REPO = 'octo-repo';
export const FULL = `${OWNER}/${REPO}`;

export interface PrSpec {
  title: string;
  body?: string;
  labels?: string[];
  user?: string;
  /** Branch merged into (default main). */
  base?: string;
  /** Number of commits on the feature branch (default 1). */
  commits?: number;
  /** Start the feature branch from this sha instead of the base's head (a long-lived branch). */
  from?: string;
  files?: string[];
  closes?: number[];
}

export class History {
  constructor(readonly store: Store) {}

  /** Advances the emulator clock so every commit gets its own date, as on GitHub. */
  tick(): void {
    this.store.advance(60_000);
  }

  head(branch = 'main'): string {
    const sha = this.store.resolveRef(FULL, `refs/heads/${branch}`);
    if (!sha) throw new Error(`no branch ${branch}`);
    return sha;
  }

  commit(branch: string, message: string): string {
    this.tick();
    return this.store.commitOn(FULL, branch, [message])[0]!.sha;
  }

  branch(name: string, from: string): void {
    this.store.setRef(FULL, `refs/heads/${name}`, from);
  }

  /** Opens a pull request from a fresh feature branch, merges it with a merge commit, returns its number. */
  merge(spec: PrSpec): number {
    const base = spec.base ?? 'main';
    const feature = `feature-${this.store.nextId}`;
    this.branch(feature, spec.from ?? this.head(base));
    const shas: string[] = [];
    for (let i = 0; i < (spec.commits ?? 1); i += 1) shas.push(this.commit(feature, `${spec.title} (${i + 1})`));
    this.tick();
    const pr = this.store.createPull(FULL, {
      title: spec.title,
      body: spec.body ?? '',
      labels: spec.labels ?? [],
      user: spec.user ?? 'alice',
      head: { ref: feature, sha: shas.at(-1)! },
      base: { ref: base },
      commits: shas,
      files: (spec.files ?? ['src/index.ts']).map((filename) => ({ filename })),
      closing_issues: spec.closes ?? [],
    });
    this.store.mergePull(FULL, pr.number, 'maintainer');
    return pr.number;
  }

  /** Cherry-picks commits onto `branch` through a backport pull request (new commits, same changes). */
  backport(number: number, branch: string, title?: string): number {
    const original = this.store.issue(FULL, number)!;
    return this.merge({ title: title ?? `[${branch}] ${original.title}`, base: branch, body: `Backport of #${number}.` });
  }

  /** Publishes a release at the branch head (the tag is created there). */
  release(tag: string, branch = 'main', extra: { prerelease?: boolean } = {}): number {
    this.tick();
    return this.store.createRelease(FULL, { tag_name: tag, target_commitish: branch, name: tag, body: 'Published notes', ...extra }).id;
  }

  /** An issue opened by `author`, with the prioritize bot's (`bot`) comment carrying the ledger of `requesters`. */
  issue(title: string, author: string, requesters?: string[], bot = 'github-actions[bot]'): number {
    this.tick();
    const issue = this.store.createIssue(FULL, { title, user: author });
    if (requesters) {
      const marker = renderPrioritizeMarker({
        priority: 'high',
        path: ['blocked:no', 'new-user:no', 'quick:no', 'brought-up-before:yes'],
        due: null,
        ledger: { requesters: requesters.map((login) => ({ login, via: login === author ? 'author' : 'comment' })), places: [] },
      });
      this.store.createComment(FULL, issue.number, { body: `Priority: High\n\n${marker}`, user: bot });
    }
    return issue.number;
  }
}

/** A new emulator store with the repository, its first commit on main, and a few people. */
export function seed(store: Store): History {
  store.createRepo({ owner: OWNER, name: REPO, collaborators: { maintainer: 'admin' } });
  for (const login of ['alice', 'bob', 'carol', 'dave', 'erin', 'mallory', 'maintainer']) store.addUser({ login });
  store.addUser({ login: 'dependabot[bot]', type: 'Bot' });
  const h = new History(store);
  h.tick();
  store.commitOn(FULL, 'main', ['Initial commit']);
  return h;
}
