/**
 * Seeding the store from GitHub's recorded webhook payloads (`@octokit/webhooks-examples`).
 */
import { createRequire } from 'node:module';
import type {
  AuthorAssociation,
  IssueState,
  LockReason,
  SimComment,
  SimIssue,
  SimRelease,
  SimRepository,
  StateReason,
  Store,
  UserRef,
  UserType,
} from './store.ts';

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: Array<Record<string, unknown> & { action?: string }>;
}

let examples: ExampleGroup[] | undefined;

/** All recorded examples, grouped by event name (loaded once per process). */
export function webhookExamples(): ExampleGroup[] {
  examples ??= createRequire(import.meta.url)('@octokit/webhooks-examples') as ExampleGroup[];
  return examples;
}

/** A deep copy of the first recorded payload for `event` (and `action`, when given). Throws if there is none. */
export function webhookExample(event: string, action?: string): Record<string, unknown> & { action?: string } {
  const group = webhookExamples().find((g) => g.name === event);
  const ex = group?.examples.find((e) => action === undefined || e.action === action);
  if (!ex) throw new Error(`github-sim: no recorded webhook example for ${event}${action ? `.${action}` : ''}`);
  return structuredClone(ex);
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function userRef(v: unknown): UserRef | undefined {
  const u = obj(v);
  if (!u || typeof u.login !== 'string') return undefined;
  return {
    login: u.login,
    ...(typeof u.id === 'number' ? { id: u.id } : {}),
    ...(typeof u.type === 'string' ? { type: u.type as UserType } : {}),
    ...(typeof u.site_admin === 'boolean' ? { site_admin: u.site_admin } : {}),
  };
}

function ensureUser(store: Store, v: unknown): string | undefined {
  const ref = userRef(v);
  return ref ? store.user(ref).login : undefined;
}

function seedRepo(store: Store, payload: Obj): SimRepository {
  const r = obj(payload.repository);
  if (!r) throw new Error('github-sim: webhook payload has no repository');
  const owner = (userRef(r.owner) as Exclude<UserRef, string> | undefined) ?? { login: String(r.full_name ?? 'octo-org/octo-repo').split('/')[0]! };
  if (obj(payload.organization) && typeof (payload.organization as Obj).login === 'string') {
    store.addUser({ login: (payload.organization as Obj).login as string, type: 'Organization', ...(typeof (payload.organization as Obj).id === 'number' ? { id: (payload.organization as Obj).id as number } : {}) });
  }
  store.user(owner);
  const existing = store.repo(`${owner.login}/${String(r.name)}`);
  if (existing) return existing;
  return store.createRepo({
    owner,
    name: String(r.name),
    ...(typeof r.id === 'number' ? { id: r.id } : {}),
    default_branch: str(r.default_branch) ?? 'main',
    private: r.private === true,
    description: str(r.description) ?? null,
    fork: r.fork === true,
    ...(str(r.created_at) ? { created_at: str(r.created_at)! } : {}),
  });
}

function labelsOf(store: Store, repo: SimRepository, v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const names: string[] = [];
  for (const l of v) {
    const o = obj(l);
    if (!o || typeof o.name !== 'string') continue;
    if (!store.findLabel(repo, o.name)) {
      store.createLabel(repo, {
        name: o.name,
        ...(typeof o.color === 'string' ? { color: o.color } : {}),
        description: str(o.description) ?? null,
        default: o.default === true,
      });
    }
    names.push(o.name);
  }
  return names;
}

function issueFields(store: Store, repo: SimRepository, i: Obj) {
  const assignees = (Array.isArray(i.assignees) ? i.assignees : []).map((a) => ensureUser(store, a)).filter((a): a is string => !!a);
  const state = (str(i.state) as IssueState | undefined) ?? 'open';
  return {
    number: Number(i.number),
    ...(typeof i.id === 'number' ? { id: i.id } : {}),
    title: String(i.title ?? ''),
    body: str(i.body) ?? null,
    user: ensureUser(store, i.user) ?? repo.owner,
    labels: labelsOf(store, repo, i.labels),
    assignees,
    state,
    state_reason: (i.state_reason as StateReason | undefined) ?? (state === 'closed' ? 'completed' : null),
    locked: i.locked === true,
    active_lock_reason: (i.active_lock_reason as LockReason | undefined) ?? null,
    ...(str(i.created_at) ? { created_at: str(i.created_at)! } : {}),
    ...(str(i.updated_at) ? { updated_at: str(i.updated_at)! } : {}),
    closed_at: str(i.closed_at) ?? null,
    ...(str(i.author_association) ? { author_association: i.author_association as AuthorAssociation } : {}),
  };
}

function upsertIssue(store: Store, repo: SimRepository, i: Obj, pr?: Obj): SimIssue {
  const existing = repo.issues.get(Number(i.number));
  const fields = issueFields(store, repo, i);
  if (existing) {
    Object.assign(existing, {
      title: fields.title,
      body: fields.body,
      state: fields.state,
      state_reason: fields.state_reason,
      locked: fields.locked,
      active_lock_reason: fields.active_lock_reason,
      labels: fields.labels,
      assignees: fields.assignees,
      closed_at: fields.closed_at,
    });
    return existing;
  }
  if (!pr) return store.createIssue(repo, fields);
  const head = obj(pr.head);
  const base = obj(pr.base);
  const headRepo = obj(head?.repo);
  return store.createPull(repo, {
    ...fields,
    ...(typeof pr.id === 'number' ? { pull_id: pr.id } : {}),
    ...(head ? { head: { ref: String(head.ref), ...(str(head.sha) ? { sha: str(head.sha)! } : {}), ...(str(headRepo?.full_name) ? { repo: str(headRepo?.full_name)! } : {}) } } : {}),
    ...(base ? { base: { ref: String(base.ref), ...(str(base.sha) ? { sha: str(base.sha)! } : {}), repo: repo.full_name } } : {}),
    draft: pr.draft === true,
    merged: pr.merged === true || !!str(pr.merged_at),
    merged_at: str(pr.merged_at) ?? null,
    ...(pr.merged_by ? { merged_by: userRef(pr.merged_by) ?? null } : {}),
    merge_commit_sha: str(pr.merge_commit_sha) ?? null,
  });
}

export interface SeedResult {
  repository: SimRepository;
  issue?: SimIssue;
  comment?: SimComment;
  release?: SimRelease;
}

/**
 * Creates in `store` what a recorded webhook payload describes: the repository (with its owner),
 * the sender, and the issue / pull request / comment / release of the event. Ids and timestamps
 * of the payload are kept; existing issues are updated to the payload's state.
 */
export function seedFromWebhook(store: Store, payload: Record<string, unknown>): SeedResult {
  const repo = seedRepo(store, payload);
  ensureUser(store, payload.sender);
  const result: SeedResult = { repository: repo };
  const pr = obj(payload.pull_request);
  const issue = obj(payload.issue);
  if (pr) {
    result.issue = upsertIssue(store, repo, pr, pr);
  } else if (issue) {
    const isPr = obj(issue.pull_request);
    result.issue = upsertIssue(store, repo, issue, isPr ? { head: { ref: `pr-${String(issue.number)}` }, merged_at: isPr.merged_at } : undefined);
  }
  const comment = obj(payload.comment);
  if (comment && result.issue && typeof comment.body === 'string') {
    const id = typeof comment.id === 'number' ? comment.id : undefined;
    const existing = id !== undefined ? repo.comments.get(id) : undefined;
    if (existing) {
      existing.body = comment.body;
      result.comment = existing;
    } else {
      result.comment = store.createComment(repo, result.issue.number, {
        body: comment.body,
        user: ensureUser(store, comment.user) ?? repo.owner,
        ...(id !== undefined ? { id } : {}),
        ...(str(comment.created_at) ? { created_at: str(comment.created_at)! } : {}),
        ...(str(comment.updated_at) ? { updated_at: str(comment.updated_at)! } : {}),
        ...(str(comment.author_association) ? { author_association: comment.author_association as AuthorAssociation } : {}),
      });
    }
  }
  const release = obj(payload.release);
  if (release && typeof release.tag_name === 'string') {
    const id = typeof release.id === 'number' ? release.id : undefined;
    const existing = id !== undefined ? store.release(repo, id) : undefined;
    result.release =
      existing ??
      store.createRelease(repo, {
        ...(id !== undefined ? { id } : {}),
        tag_name: release.tag_name,
        target_commitish: str(release.target_commitish) ?? repo.default_branch,
        name: str(release.name) ?? null,
        body: str(release.body) ?? null,
        draft: release.draft === true,
        prerelease: release.prerelease === true,
        ...(str(release.created_at) ? { created_at: str(release.created_at)! } : {}),
        published_at: str(release.published_at) ?? null,
        author: userRef(release.author) ?? repo.owner,
      });
  }
  return result;
}
