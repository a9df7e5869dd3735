/**
 * Webhook payloads built from the store's state at the moment of the event, in the shapes GitHub sends.
 */
import { Renderer } from '../render.ts';
import type { SimComment, SimIssue, SimRelease, SimRepository, Store } from '../store.ts';

type Obj = Record<string, unknown>;

/** Builds the payloads of one repository's events. */
export class Payloads {
  private readonly render: Renderer;

  constructor(
    readonly store: Store,
    apiUrl: string,
    readonly repo: SimRepository,
  ) {
    this.render = new Renderer(store, apiUrl);
  }

  /** The `repository` object of a webhook (GitHub's webhook shape has `pushed_at` etc. as in REST). */
  repository(): Obj {
    const r = this.render.repository(this.repo, true);
    // Webhook repositories carry these flags; REST may omit some of them.
    return {
      ...r,
      allow_forking: r.allow_forking ?? true,
      is_template: r.is_template ?? false,
      web_commit_signoff_required: r.web_commit_signoff_required ?? false,
      topics: r.topics ?? [],
      visibility: r.visibility ?? (this.repo.private ? 'private' : 'public'),
      custom_properties: {},
    };
  }

  sender(login: string): Obj {
    return this.render.user(login) as Obj;
  }

  private base(action: string | undefined, sender: string): Obj {
    return { ...(action !== undefined ? { action } : {}), repository: this.repository(), sender: this.sender(sender) };
  }

  /** `issues` event. `extra`: `label`, `assignee`, `changes`... */
  issues(action: string, issue: SimIssue, sender: string, extra: Obj = {}): Obj {
    return { ...this.base(action, sender), issue: this.render.issue(this.repo, issue), ...extra };
  }

  label(name: string): Obj {
    return this.render.label(this.repo, this.store.ensureLabel(this.repo, name));
  }

  user(login: string): Obj {
    return this.render.user(login) as Obj;
  }

  /** `issue_comment` event. */
  issueComment(action: string, issue: SimIssue, comment: SimComment, sender: string, extra: Obj = {}): Obj {
    return { ...this.base(action, sender), issue: this.render.issue(this.repo, issue), comment: this.render.comment(this.repo, comment), ...extra };
  }

  /** `pull_request` event. */
  pullRequest(action: string, pr: SimIssue, sender: string, extra: Obj = {}): Obj {
    return { ...this.base(action, sender), number: pr.number, pull_request: this.render.pull(this.repo, pr, true), ...extra };
  }

  /** `release` event. */
  release(action: string, release: SimRelease, sender: string, extra: Obj = {}): Obj {
    return { ...this.base(action, sender), release: { ...this.render.release(this.repo, release), assets: [] }, ...extra };
  }

  /** `push` event for `ref` moved from `before` to `after`. */
  push(ref: string, before: string, after: string, sender: string, commitShas: string[]): Obj {
    const commits = commitShas
      .map((sha) => this.repo.commits.get(sha))
      .filter((c) => c !== undefined)
      .map((c) => ({
        id: c.sha,
        tree_id: c.sha,
        distinct: true,
        message: c.message,
        timestamp: c.author.date,
        url: `https://github.com/${this.repo.full_name}/commit/${c.sha}`,
        author: { name: c.author.name, email: c.author.email, ...(c.author.login ? { username: c.author.login } : {}) },
        committer: { name: c.committer.name, email: c.committer.email, ...(c.committer.login ? { username: c.committer.login } : {}) },
        added: [],
        removed: [],
        modified: [],
      }));
    const user = this.store.user(sender);
    return {
      ref,
      before,
      after,
      base_ref: null,
      created: /^0+$/.test(before),
      deleted: false,
      forced: false,
      compare: `https://github.com/${this.repo.full_name}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits,
      head_commit: commits.at(-1) ?? null,
      pusher: { name: user.login, email: user.email ?? `${user.login}@users.noreply.github.com` },
      repository: this.pushRepository(),
      sender: this.sender(sender),
    };
  }

  /** In `push` payloads `created_at` and `pushed_at` are Unix times, and `master_branch`/`stargazers` appear. */
  private pushRepository(): Obj {
    const r = this.repository();
    const unix = (v: unknown): unknown => (typeof v === 'string' ? Math.floor(Date.parse(v) / 1000) : v);
    return { ...r, created_at: unix(r.created_at), pushed_at: unix(r.pushed_at), stargazers: r.stargazers_count ?? 0, master_branch: this.repo.default_branch };
  }

  /** `merge_group.checks_requested` for a queue entry of `pr` on its base branch. */
  mergeGroup(pr: SimIssue, headSha: string, sender: string): Obj {
    const p = pr.pull_request!;
    const base = this.repo.refs.get(`refs/heads/${p.base.ref}`) ?? p.base.sha;
    const headRef = `refs/heads/gh-readonly-queue/${p.base.ref}/pr-${pr.number}-${base}`;
    const user = this.store.user(sender);
    return {
      ...this.base('checks_requested', sender),
      merge_group: {
        head_sha: headSha,
        head_ref: headRef,
        base_sha: base,
        base_ref: `refs/heads/${p.base.ref}`,
        head_commit: {
          id: headSha,
          tree_id: headSha,
          message: `Merge pull request #${pr.number}`,
          timestamp: this.store.nowIso(),
          author: { name: user.login, email: `${user.login}@users.noreply.github.com` },
          committer: { name: 'GitHub', email: 'noreply@github.com' },
        },
      },
    };
  }

  /** `workflow_dispatch`. */
  workflowDispatch(workflowFile: string, ref: string, inputs: Record<string, unknown>, sender: string): Obj {
    return { inputs, ref, repository: this.repository(), sender: this.sender(sender), workflow: workflowFile };
  }

  /** `repository_dispatch`. */
  repositoryDispatch(eventType: string, clientPayload: Record<string, unknown>, sender: string): Obj {
    return { ...this.base(eventType, sender), branch: this.repo.default_branch, client_payload: clientPayload };
  }

  /** `schedule` (GitHub sends the cron and the repository). */
  schedule(cron: string): Obj {
    return { schedule: cron, repository: this.repository(), workflow: '' };
  }
}
