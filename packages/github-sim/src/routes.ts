/**
 * REST handlers over the store, keyed by `METHOD /openapi/template`. Requests reach them already
 * matched and validated against GitHub's OpenAPI description (see openapi.ts / server.ts).
 */
import { createHash } from 'node:crypto';
import type { Renderer } from './render.ts';
import { HTML } from './render.ts';
import {
  SimError,
  type IssueState,
  type LockReason,
  type ReactionContent,
  type SimIssue,
  type SimArtifact,
  type SimReaction,
  type SimRepository,
  type SimToken,
  type StateReason,
  type Store,
} from './store.ts';
import { MAX_COMMENT_BODY, MAX_ISSUE_BODY, MAX_ISSUE_TITLE, MAX_LABEL_NAME, MAX_RELEASE_BODY, assertLength, tooLong } from './limits.ts';
import { searchIssues } from './search.ts';

export interface RouteContext {
  store: Store;
  render: Renderer;
  method: string;
  template: string;
  /** request path without the query */
  path: string;
  params: Record<string, string>;
  /** declared query params, coerced to their schema types */
  query: Record<string, unknown>;
  body: unknown;
  token: SimToken;
  /** base URL of the emulator, e.g. http://127.0.0.1:1234 */
  baseUrl: string;
  /** the request's `Accept` header, when it had one */
  accept?: string;
}

interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** a body sent as is (a raw media type) instead of JSON; `headers` gives its content-type */
  raw?: string;
}

export type RouteHandler = (ctx: RouteContext) => RouteResult;

const lower = (s: string): string => s.toLowerCase();
type Obj = Record<string, unknown>;

// ----- helpers -----

function repoOf(ctx: RouteContext): SimRepository {
  const r = ctx.store.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!r) throw new SimError(404, 'Not Found');
  return r;
}

function issueOf(ctx: RouteContext, repo: SimRepository, key = 'issue_number'): SimIssue {
  const i = repo.issues.get(Number(ctx.params[key] ?? ctx.params.pull_number));
  if (!i) throw new SimError(404, 'Not Found');
  return i;
}

function pullOf(ctx: RouteContext, repo: SimRepository): SimIssue {
  const i = repo.issues.get(Number(ctx.params.pull_number));
  if (!i?.pull_request) throw new SimError(404, 'Not Found');
  return i;
}

function bodyObj(ctx: RouteContext): Obj {
  return ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? (ctx.body as Obj) : {};
}

/** Slices `items` for `per_page`/`page` and sets GitHub's `Link` header. */
function paginate<T>(ctx: RouteContext, items: T[], opts: { defaultPerPage?: number; maxPerPage?: number; maxItems?: number } = {}): { page: T[]; headers: Record<string, string> } {
  const max = opts.maxPerPage ?? 100;
  const all = opts.maxItems !== undefined ? items.slice(0, opts.maxItems) : items;
  const perPageRaw = typeof ctx.query.per_page === 'number' ? ctx.query.per_page : (opts.defaultPerPage ?? 30);
  const perPage = Math.max(1, Math.min(max, Math.floor(perPageRaw)));
  const pageNo = Math.max(1, typeof ctx.query.page === 'number' ? Math.floor(ctx.query.page) : 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const page = all.slice((pageNo - 1) * perPage, pageNo * perPage);
  const headers: Record<string, string> = {};
  if (last > 1 || pageNo > 1) {
    const link = (n: number): string => {
      const u = new URL(ctx.baseUrl + ctx.path);
      for (const [k, v] of Object.entries(ctx.query)) {
        if (k === 'page' || v === undefined) continue;
        u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
      }
      u.searchParams.set('page', String(n));
      return `<${u.toString()}>`;
    };
    const parts: string[] = [];
    if (pageNo > 1) parts.push(`${link(Math.min(pageNo - 1, last))}; rel="prev"`);
    if (pageNo < last) parts.push(`${link(pageNo + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (pageNo > 1) parts.push(`${link(1)}; rel="first"`);
    if (parts.length) headers.link = parts.join(', ');
  }
  return { page, headers };
}

function list<T>(ctx: RouteContext, items: T[], render: (x: T) => unknown, opts?: Parameters<typeof paginate>[2]): RouteResult {
  const { page, headers } = paginate(ctx, items, opts);
  return { status: 200, body: page.map(render), headers };
}

function labelNames(input: unknown): string[] {
  const raw = Array.isArray(input) ? input : input && typeof input === 'object' && 'labels' in input ? (input as { labels: unknown }).labels : typeof input === 'string' ? [input] : [];
  if (typeof raw === 'string') return [raw];
  if (!Array.isArray(raw)) return [];
  return raw.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean);
}

/** GitHub's check of a label colour: six hex digits (a leading `#` is dropped, as the emulator stores it). */
function assertColor(color: unknown): void {
  if (color === undefined) return;
  if (typeof color !== 'string' || !/^[0-9a-f]{6}$/i.test(color.replace(/^#/, ''))) {
    throw new SimError(422, 'Validation Failed', [{ resource: 'Label', code: 'invalid', field: 'color' }]);
  }
}

/** Label names of a request body, each held to GitHub's 50-character limit (a new name creates the label). */
function newLabelNames(input: unknown): string[] {
  const names = labelNames(input);
  for (const n of names) assertLength('Label', 'name', n, MAX_LABEL_NAME);
  return names;
}

/** GitHub's limits on an issue's title (256) and body (65,536), for a create or an edit. */
function assertIssueLengths(b: Record<string, unknown>): void {
  assertLength('Issue', 'title', b.title, MAX_ISSUE_TITLE);
  assertLength('Issue', 'body', b.body, MAX_ISSUE_BODY);
  if (b.labels !== undefined && b.labels !== null) newLabelNames(b.labels);
}

function assertAssignable(store: Store, repo: SimRepository, logins: string[]): void {
  for (const l of logins) {
    if (!store.findUser(l)) throw new SimError(422, 'Validation Failed', [{ value: l, resource: 'Issue', field: 'assignees', code: 'invalid' }]);
  }
  void repo;
}

function since(ctx: RouteContext): string | undefined {
  return typeof ctx.query.since === 'string' ? new Date(ctx.query.since).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

function sortIssues(items: SimIssue[], sort: unknown, direction: unknown): SimIssue[] {
  const key = sort === 'updated' ? 'updated_at' : sort === 'comments' ? 'comments' : 'created_at';
  const dir = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (c || a.number - b.number) * dir;
  });
}

function reactionsOf(ctx: RouteContext, reactions: SimReaction[]): RouteResult {
  const content = ctx.query.content;
  const items = content ? reactions.filter((r) => r.content === content) : reactions;
  return list(ctx, items, (r) => ctx.render.reaction(r));
}

function commentAllowed(ctx: RouteContext, repo: SimRepository, issue: SimIssue): void {
  if (!issue.locked) return;
  if (!ctx.store.mayCommentLocked(repo, ctx.token.login, ctx.token.permissions.issues === 'write')) throw new SimError(403, 'Unable to create comment because issue is locked.');
}

// ----- handlers -----

export const routes: Record<string, RouteHandler> = {
  'GET /rate_limit': () => ({ status: 200, body: {} }), // filled by the server (needs its counters)

  'GET /user': (ctx) => {
    const u = ctx.store.user(ctx.token.login);
    if (u.type === 'Bot') throw new SimError(403, 'Resource not accessible by integration');
    return { status: 200, body: ctx.render.fullUser(u.login, true) };
  },

  // The caller's view of a person's access: `permission` is admin, write (maintain and write roles), read
  // (triage and read roles, and anyone on a public repository) or none; `role_name` is the exact role.
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': (ctx) => {
    const repo = repoOf(ctx);
    const u = ctx.store.findUser(ctx.params.username ?? '');
    if (!u) throw new SimError(404, 'Not Found');
    const role = ctx.store.roleOf(repo, u.login);
    const permission = role === 'admin' ? 'admin' : role === 'maintain' || role === 'write' ? 'write' : role || !repo.private ? 'read' : 'none';
    const user = ctx.render.user(u.login);
    return {
      status: 200,
      body: {
        permission,
        role_name: role ?? permission,
        user: user && {
          ...user,
          permissions: { admin: role === 'admin', maintain: role === 'admin' || role === 'maintain', push: permission === 'admin' || permission === 'write', triage: role !== null && role !== 'read', pull: permission !== 'none' },
          role_name: role ?? permission,
        },
      },
    };
  },

  'GET /users/{username}': (ctx) => {
    const u = ctx.store.findUser(ctx.params.username ?? '');
    if (!u) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.fullUser(u.login, false) };
  },

  // A team of an organization. An app (and a workflow's GITHUB_TOKEN, which has no organization permissions)
  // needs the organization's `members: read` permission.
  'GET /orgs/{org}/teams/{team_slug}': (ctx) => {
    const org = ctx.store.findUser(ctx.params.org ?? '');
    if (!org || org.type !== 'Organization') throw new SimError(404, 'Not Found');
    if (ctx.token.kind !== 'pat' && !ctx.token.permissions.members) throw new SimError(403, 'Resource not accessible by integration');
    const team = ctx.store.teams.find((t) => lower(t.org) === lower(org.login) && lower(t.slug) === lower(ctx.params.team_slug ?? ''));
    if (!team) throw new SimError(404, 'Not Found');
    const orgUrl = `${ctx.baseUrl}/orgs/${org.login}`;
    const url = `${ctx.baseUrl}/organizations/${org.id}/team/${team.id}`;
    const created = org.created_at;
    return {
      status: 200,
      body: {
        id: team.id,
        node_id: team.node_id,
        url,
        html_url: `${HTML}/orgs/${org.login}/teams/${team.slug}`,
        name: team.name,
        slug: team.slug,
        description: team.description,
        privacy: 'closed',
        notification_setting: 'notifications_enabled',
        permission: 'pull',
        members_url: `${url}/members{/member}`,
        repositories_url: `${url}/repos`,
        parent: null,
        members_count: team.members.length,
        repos_count: 0,
        created_at: created,
        updated_at: created,
        type: 'organization',
        organization_id: org.id,
        organization: {
          login: org.login,
          id: org.id,
          node_id: org.node_id,
          url: orgUrl,
          repos_url: `${orgUrl}/repos`,
          events_url: `${orgUrl}/events`,
          hooks_url: `${orgUrl}/hooks`,
          issues_url: `${orgUrl}/issues`,
          members_url: `${orgUrl}/members{/member}`,
          public_members_url: `${orgUrl}/public_members{/member}`,
          avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
          description: null,
          html_url: `${HTML}/${org.login}`,
          has_organization_projects: true,
          has_repository_projects: true,
          public_repos: [...ctx.store.repos.values()].filter((r) => lower(r.owner) === lower(org.login) && !r.private).length,
          public_gists: 0,
          followers: 0,
          following: 0,
          type: 'Organization',
          created_at: created,
          updated_at: created,
          archived_at: null,
        },
      },
    };
  },

  'GET /repos/{owner}/{repo}': (ctx) => {
    const repo = repoOf(ctx);
    const p = ctx.token.permissions;
    const push = p.contents === 'write' || p.contents === 'admin';
    const owner = ctx.store.findUser(repo.owner);
    // what GitHub adds to the full repository for an authenticated caller (recorded by @octokit/fixtures)
    return {
      status: 200,
      body: {
        ...ctx.render.repository(repo, true),
        permissions: { admin: p.administration === 'write', maintain: false, push, triage: push || p.issues === 'write', pull: true },
        temp_clone_token: push ? '' : null,
        allow_squash_merge: true,
        allow_merge_commit: true,
        allow_rebase_merge: true,
        allow_auto_merge: false,
        delete_branch_on_merge: false,
        allow_update_branch: false,
        use_squash_pr_title_as_default: false,
        ...(owner?.type === 'Organization' ? { organization: ctx.render.user(owner.login) } : {}),
      },
    };
  },

  // ----- issues -----
  'GET /repos/{owner}/{repo}/issues': (ctx) => {
    const repo = repoOf(ctx);
    const q = ctx.query;
    const state = (q.state as string | undefined) ?? 'open';
    const labels = typeof q.labels === 'string' && q.labels ? q.labels.split(',').map((s) => lower(s.trim())) : [];
    const s = since(ctx);
    let items = [...repo.issues.values()].filter((i) => {
      if (state !== 'all' && i.state !== state) return false;
      if (labels.length && !labels.every((l) => i.labels.some((x) => lower(x) === l))) return false;
      if (s && i.updated_at < s) return false;
      if (typeof q.creator === 'string' && lower(i.user) !== lower(q.creator)) return false;
      if (typeof q.assignee === 'string') {
        if (q.assignee === 'none' ? i.assignees.length > 0 : q.assignee === '*' ? i.assignees.length === 0 : !i.assignees.some((a) => lower(a) === lower(q.assignee as string))) return false;
      }
      if (typeof q.milestone === 'string') {
        if (q.milestone === 'none' ? i.milestone !== null : q.milestone === '*' ? i.milestone === null : i.milestone !== Number(q.milestone)) return false;
      }
      if (typeof q.mentioned === 'string' && !(i.body ?? '').includes(`@${q.mentioned}`)) return false;
      return true;
    });
    items = sortIssues(items, q.sort, q.direction);
    return list(ctx, items, (i) => ctx.render.issue(repo, i));
  },

  'POST /repos/{owner}/{repo}/issues': (ctx) => {
    const repo = repoOf(ctx);
    const b = bodyObj(ctx);
    assertIssueLengths(b);
    const assignees = [...((b.assignees as string[] | undefined) ?? []), ...(typeof b.assignee === 'string' ? [b.assignee] : [])];
    assertAssignable(ctx.store, repo, assignees);
    const issue = ctx.store.createIssue(repo, {
      title: String(b.title),
      body: (b.body as string | null | undefined) ?? null,
      user: ctx.token.login,
      labels: labelNames(b.labels ?? []),
      assignees,
      milestone: typeof b.milestone === 'number' ? b.milestone : null,
    });
    return { status: 201, body: ctx.render.issue(repo, issue), headers: { location: `${ctx.render.repoUrl(repo)}/issues/${issue.number}` } };
  },

  'GET /repos/{owner}/{repo}/issues/{issue_number}': (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, body: ctx.render.issue(repo, issueOf(ctx, repo)) };
  },

  'PATCH /repos/{owner}/{repo}/issues/{issue_number}': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const b = bodyObj(ctx);
    assertIssueLengths(b);
    const assignees = b.assignees !== undefined ? ((b.assignees as string[] | null) ?? []) : b.assignee !== undefined ? (b.assignee === null ? [] : [String(b.assignee)]) : undefined;
    if (assignees) assertAssignable(ctx.store, repo, assignees);
    if (b.state_reason !== undefined && b.state_reason !== null && b.state === 'open' && b.state_reason !== 'reopened') {
      throw new SimError(422, 'Validation Failed', [{ resource: 'Issue', code: 'invalid', field: 'state_reason' }]);
    }
    ctx.store.updateIssue(
      repo,
      issue.number,
      {
        ...(b.title !== undefined && b.title !== null ? { title: String(b.title) } : {}),
        ...(b.body !== undefined ? { body: b.body as string | null } : {}),
        ...(b.state !== undefined ? { state: b.state as IssueState } : {}),
        ...(b.state_reason !== undefined ? { state_reason: b.state_reason as StateReason } : {}),
        ...(b.labels !== undefined ? { labels: labelNames(b.labels ?? []) } : {}),
        ...(assignees !== undefined ? { assignees } : {}),
        ...(b.milestone !== undefined ? { milestone: b.milestone === null ? null : Number(b.milestone) } : {}),
      },
      ctx.token.login,
    );
    return { status: 200, body: ctx.render.issue(repo, issue) };
  },

  'PUT /repos/{owner}/{repo}/issues/{issue_number}/lock': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    ctx.store.lockIssue(repo, issue.number, (bodyObj(ctx).lock_reason as LockReason | undefined) ?? null, ctx.token.login);
    return { status: 204 };
  },

  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    if (issue.locked) ctx.store.unlockIssue(repo, issue.number, ctx.token.login);
    return { status: 204 };
  },

  'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const logins = (bodyObj(ctx).assignees as string[] | undefined) ?? [];
    assertAssignable(ctx.store, repo, logins);
    ctx.store.addAssignees(repo, issue.number, logins, ctx.token.login);
    return { status: 201, body: ctx.render.issue(repo, issue) };
  },

  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    ctx.store.removeAssignees(repo, issue.number, (bodyObj(ctx).assignees as string[] | undefined) ?? [], ctx.token.login);
    return { status: 200, body: ctx.render.issue(repo, issue) };
  },

  // ----- comments -----
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const s = since(ctx);
    const items = ctx.store.commentsOf(repo, issue.number).filter((c) => !s || c.updated_at >= s);
    return list(ctx, items, (c) => ctx.render.comment(repo, c));
  },

  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    commentAllowed(ctx, repo, issue);
    const body = String(bodyObj(ctx).body);
    // GitHub's answer to a new comment over the limit (an edit gets the `custom` shape of assertLength)
    if (tooLong(body, MAX_COMMENT_BODY)) {
      throw new SimError(422, 'Validation Failed', [
        { resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${MAX_COMMENT_BODY} characters)` },
      ]);
    }
    const c = ctx.store.createComment(repo, issue.number, { body, user: ctx.token.login });
    return { status: 201, body: ctx.render.comment(repo, c), headers: { location: `${ctx.render.repoUrl(repo)}/issues/comments/${c.id}` } };
  },

  'GET /repos/{owner}/{repo}/issues/comments': (ctx) => {
    const repo = repoOf(ctx);
    const s = since(ctx);
    const dir = ctx.query.direction === 'desc' ? -1 : 1;
    const key = ctx.query.sort === 'updated' ? 'updated_at' : 'created_at';
    const items = [...repo.comments.values()].filter((c) => !s || c.updated_at >= s).sort((a, b) => (a[key].localeCompare(b[key]) || a.id - b.id) * dir);
    return list(ctx, items, (c) => ctx.render.comment(repo, c));
  },

  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
    const repo = repoOf(ctx);
    const c = repo.comments.get(Number(ctx.params.comment_id));
    if (!c) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.comment(repo, c) };
  },

  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
    const repo = repoOf(ctx);
    assertLength('IssueComment', 'body', bodyObj(ctx).body, MAX_COMMENT_BODY);
    const c = ctx.store.updateComment(repo, Number(ctx.params.comment_id), String(bodyObj(ctx).body));
    return { status: 200, body: ctx.render.comment(repo, c) };
  },

  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
    ctx.store.deleteComment(repoOf(ctx), Number(ctx.params.comment_id));
    return { status: 204 };
  },

  // ----- labels -----
  'GET /repos/{owner}/{repo}/labels': (ctx) => {
    const repo = repoOf(ctx);
    return list(ctx, [...repo.labels.values()], (l) => ctx.render.label(repo, l));
  },

  'POST /repos/{owner}/{repo}/labels': (ctx) => {
    const repo = repoOf(ctx);
    const b = bodyObj(ctx);
    assertLength('Label', 'name', b.name, MAX_LABEL_NAME);
    assertColor(b.color);
    const l = ctx.store.createLabel(repo, {
      name: String(b.name),
      ...(typeof b.color === 'string' ? { color: b.color } : {}),
      description: (b.description as string | undefined) ?? null,
    });
    return { status: 201, body: ctx.render.label(repo, l), headers: { location: `${ctx.render.repoUrl(repo)}/labels/${encodeURIComponent(l.name)}` } };
  },

  'GET /repos/{owner}/{repo}/labels/{name}': (ctx) => {
    const repo = repoOf(ctx);
    const l = ctx.store.findLabel(repo, ctx.params.name ?? '');
    if (!l) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.label(repo, l) };
  },

  'PATCH /repos/{owner}/{repo}/labels/{name}': (ctx) => {
    const repo = repoOf(ctx);
    const b = bodyObj(ctx);
    assertLength('Label', 'name', b.new_name, MAX_LABEL_NAME);
    assertColor(b.color);
    const l = ctx.store.updateLabel(repo, ctx.params.name ?? '', {
      ...(typeof b.new_name === 'string' ? { new_name: b.new_name } : {}),
      ...(typeof b.color === 'string' ? { color: b.color } : {}),
      ...(b.description !== undefined ? { description: b.description as string | null } : {}),
    });
    return { status: 200, body: ctx.render.label(repo, l) };
  },

  'DELETE /repos/{owner}/{repo}/labels/{name}': (ctx) => {
    ctx.store.deleteLabel(repoOf(ctx), ctx.params.name ?? '');
    return { status: 204 };
  },

  'GET /repos/{owner}/{repo}/issues/{issue_number}/labels': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    return list(ctx, ctx.store.issueLabels(repo, issue), (l) => ctx.render.label(repo, l));
  },

  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const labels = ctx.store.addLabels(repo, issue.number, newLabelNames(ctx.body), ctx.token.login);
    return { status: 200, body: labels.map((l) => ctx.render.label(repo, l)) };
  },

  'PUT /repos/{owner}/{repo}/issues/{issue_number}/labels': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const labels = ctx.store.setLabels(repo, issue.number, newLabelNames(ctx.body), ctx.token.login);
    return { status: 200, body: labels.map((l) => ctx.render.label(repo, l)) };
  },

  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    ctx.store.setLabels(repo, issue.number, [], ctx.token.login);
    return { status: 204 };
  },

  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const labels = ctx.store.removeLabel(repo, issue.number, ctx.params.name ?? '', ctx.token.login);
    return { status: 200, body: labels.map((l) => ctx.render.label(repo, l)) };
  },

  // ----- reactions -----
  'GET /repos/{owner}/{repo}/issues/{issue_number}/reactions': (ctx) => {
    const repo = repoOf(ctx);
    return reactionsOf(ctx, issueOf(ctx, repo).reactions);
  },

  'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const { reaction, created } = ctx.store.addReaction(repo, { issue: issue.number }, ctx.token.login, bodyObj(ctx).content as ReactionContent);
    return { status: created ? 201 : 200, body: ctx.render.reaction(reaction) };
  },

  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}': (ctx) => {
    const repo = repoOf(ctx);
    ctx.store.deleteReaction(repo, { issue: issueOf(ctx, repo).number }, Number(ctx.params.reaction_id));
    return { status: 204 };
  },

  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': (ctx) => {
    const repo = repoOf(ctx);
    const c = repo.comments.get(Number(ctx.params.comment_id));
    if (!c) throw new SimError(404, 'Not Found');
    return reactionsOf(ctx, c.reactions);
  },

  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': (ctx) => {
    const repo = repoOf(ctx);
    const { reaction, created } = ctx.store.addReaction(repo, { comment: Number(ctx.params.comment_id) }, ctx.token.login, bodyObj(ctx).content as ReactionContent);
    return { status: created ? 201 : 200, body: ctx.render.reaction(reaction) };
  },

  'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}': (ctx) => {
    ctx.store.deleteReaction(repoOf(ctx), { comment: Number(ctx.params.comment_id) }, Number(ctx.params.reaction_id));
    return { status: 204 };
  },

  // ----- timeline / events -----
  'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const items = issue.timeline.map((e) => ctx.render.timelineEvent(repo, issue, e)).filter((x) => x !== null);
    return list(ctx, items, (x) => x);
  },

  'GET /repos/{owner}/{repo}/issues/{issue_number}/events': (ctx) => {
    const repo = repoOf(ctx);
    const issue = issueOf(ctx, repo);
    const items = issue.timeline.filter((e) => e.event !== 'commented' && e.event !== 'cross-referenced');
    return list(ctx, items, (e) => ctx.render.timelineEvent(repo, issue, e));
  },

  // ----- pulls -----
  'GET /repos/{owner}/{repo}/pulls': (ctx) => {
    const repo = repoOf(ctx);
    const q = ctx.query;
    const state = (q.state as string | undefined) ?? 'open';
    let items = [...repo.issues.values()].filter((i) => {
      const pr = i.pull_request;
      if (!pr) return false;
      if (state !== 'all' && i.state !== state) return false;
      if (typeof q.base === 'string' && pr.base.ref !== q.base) return false;
      if (typeof q.head === 'string') {
        const [owner, ref] = q.head.includes(':') ? q.head.split(':') : [undefined, q.head];
        if (ref !== pr.head.ref) return false;
        if (owner && lower(pr.head.repo.split('/')[0]!) !== lower(owner)) return false;
      }
      return true;
    });
    items = sortIssues(items, q.sort === 'popularity' || q.sort === 'long-running' ? 'created' : q.sort, q.direction ?? 'desc');
    return list(ctx, items, (i) => ctx.render.pull(repo, i, false));
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}': (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, body: ctx.render.pull(repo, pullOf(ctx, repo)) };
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': (ctx) => {
    const repo = repoOf(ctx);
    const pr = pullOf(ctx, repo).pull_request!;
    return list(
      ctx,
      pr.files,
      (f) => ({
        ...f,
        blob_url: `${HTML}/${repo.full_name}/blob/${pr.head.sha}/${f.filename}`,
        raw_url: `${HTML}/${repo.full_name}/raw/${pr.head.sha}/${f.filename}`,
        contents_url: `${ctx.render.repoUrl(repo)}/contents/${f.filename}?ref=${pr.head.sha}`,
      }),
      { maxItems: 3000 },
    );
  },

  'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits': (ctx) => {
    const repo = repoOf(ctx);
    const pr = pullOf(ctx, repo).pull_request!;
    const commits = pr.commits.map((sha) => repo.commits.get(sha)).filter((c) => c !== undefined);
    return list(ctx, commits, (c) => ctx.render.commit(repo, c), { maxItems: 250 });
  },

  'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': (ctx) => {
    const repo = repoOf(ctx);
    const i = pullOf(ctx, repo);
    if (i.state !== 'open') throw new SimError(405, 'Pull Request is not mergeable');
    ctx.store.mergePull(repo, i.number, ctx.token.login, typeof bodyObj(ctx).sha === 'string' ? undefined : undefined);
    return { status: 200, body: { sha: i.pull_request!.merge_commit_sha, merged: true, message: 'Pull Request successfully merged' } };
  },

  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.commit_sha ?? '') ?? ctx.params.commit_sha;
    const items = [...repo.issues.values()].filter((i) => i.pull_request && (i.pull_request.merge_commit_sha === sha || i.pull_request.commits.includes(sha ?? '') || i.pull_request.head.sha === sha));
    return list(ctx, items, (i) => ctx.render.pull(repo, i, false));
  },

  // ----- commits, compare, refs, tags, contents -----
  'GET /repos/{owner}/{repo}/commits': (ctx) => {
    const repo = repoOf(ctx);
    const start = ctx.store.resolveRef(repo, typeof ctx.query.sha === 'string' ? ctx.query.sha : repo.default_branch);
    if (!start) return { status: 200, body: [] };
    const out = [];
    const seen = new Set<string>();
    const queue = [start];
    while (queue.length) {
      const sha = queue.shift()!;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const c = repo.commits.get(sha);
      if (!c) continue;
      out.push(c);
      queue.push(...c.parents);
    }
    out.sort((a, b) => b.committer.date.localeCompare(a.committer.date));
    return list(ctx, out, (c) => ctx.render.commit(repo, c));
  },

  'GET /repos/{owner}/{repo}/commits/{ref}': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.ref ?? '');
    const c = sha ? repo.commits.get(sha) : undefined;
    if (!c) throw new SimError(422, `No commit found for SHA: ${ctx.params.ref}`);
    return { status: 200, body: { ...ctx.render.commit(repo, c), stats: { total: 0, additions: 0, deletions: 0 }, files: [] } };
  },

  'GET /repos/{owner}/{repo}/compare/{basehead}': (ctx) => {
    const repo = repoOf(ctx);
    const m = /^(.+?)\.{2,3}(.+)$/.exec(ctx.params.basehead ?? '');
    if (!m) throw new SimError(404, 'Not Found');
    const cmp = ctx.store.compare(repo, m[1]!, m[2]!);
    const { page, headers } = paginate(ctx, cmp.commits, { defaultPerPage: 250, maxPerPage: 250 });
    const u = ctx.render.repoUrl(repo);
    const baseCommit = repo.commits.get(cmp.base);
    const mb = cmp.merge_base ? repo.commits.get(cmp.merge_base) : undefined;
    return {
      status: 200,
      headers,
      body: {
        url: `${u}/compare/${ctx.params.basehead}`,
        html_url: `${HTML}/${repo.full_name}/compare/${ctx.params.basehead}`,
        permalink_url: `${HTML}/${repo.full_name}/compare/${cmp.base.slice(0, 7)}...${cmp.head.slice(0, 7)}`,
        diff_url: `${HTML}/${repo.full_name}/compare/${ctx.params.basehead}.diff`,
        patch_url: `${HTML}/${repo.full_name}/compare/${ctx.params.basehead}.patch`,
        base_commit: baseCommit ? ctx.render.commit(repo, baseCommit) : null,
        merge_base_commit: mb ? ctx.render.commit(repo, mb) : baseCommit ? ctx.render.commit(repo, baseCommit) : null,
        status: cmp.status,
        ahead_by: cmp.ahead_by,
        behind_by: cmp.behind_by,
        total_commits: cmp.ahead_by,
        commits: page.map((c) => ctx.render.commit(repo, c)),
        files: [],
      },
    };
  },

  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}': (ctx) => {
    const repo = repoOf(ctx);
    const prefix = `refs/${ctx.params.ref ?? ''}`;
    const items = [...repo.refs].filter(([r]) => r.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
    return list(ctx, items, ([r, sha]) => ctx.render.ref(repo, r, sha), { maxPerPage: 10000, defaultPerPage: 10000 });
  },

  'GET /repos/{owner}/{repo}/git/ref/{ref}': (ctx) => {
    const repo = repoOf(ctx);
    const full = `refs/${ctx.params.ref ?? ''}`;
    const sha = repo.refs.get(full);
    if (!sha) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.ref(repo, full, sha) };
  },

  'POST /repos/{owner}/{repo}/git/refs': (ctx) => {
    const repo = repoOf(ctx);
    const b = bodyObj(ctx);
    const ref = String(b.ref);
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) throw new SimError(422, 'Reference update failed');
    if (repo.refs.has(ref)) throw new SimError(422, 'Reference already exists');
    repo.refs.set(ref, String(b.sha));
    return { status: 201, body: ctx.render.ref(repo, ref, String(b.sha)), headers: { location: `${ctx.render.repoUrl(repo)}/git/${ref}` } };
  },

  'PATCH /repos/{owner}/{repo}/git/refs/{ref}': (ctx) => {
    const repo = repoOf(ctx);
    const full = `refs/${ctx.params.ref ?? ''}`;
    if (!repo.refs.has(full)) throw new SimError(422, 'Reference does not exist');
    const sha = String(bodyObj(ctx).sha);
    repo.refs.set(full, sha);
    return { status: 200, body: ctx.render.ref(repo, full, sha) };
  },

  'DELETE /repos/{owner}/{repo}/git/refs/{ref}': (ctx) => {
    const repo = repoOf(ctx);
    const full = `refs/${ctx.params.ref ?? ''}`;
    if (!repo.refs.delete(full)) throw new SimError(422, 'Reference does not exist');
    return { status: 204 };
  },

  'GET /repos/{owner}/{repo}/tags': (ctx) => {
    const repo = repoOf(ctx);
    const items = [...repo.refs].filter(([r]) => r.startsWith('refs/tags/')).sort(([a], [b]) => b.localeCompare(a));
    const u = ctx.render.repoUrl(repo);
    return list(ctx, items, ([r, sha]) => {
      const name = r.slice('refs/tags/'.length);
      return { name, commit: { sha, url: `${u}/commits/${sha}` }, zipball_url: `${u}/zipball/refs/tags/${name}`, tarball_url: `${u}/tarball/refs/tags/${name}`, node_id: `REF_${Buffer.from(r).toString('base64url')}` };
    });
  },

  'GET /repos/{owner}/{repo}/contents/{path}': (ctx) => {
    const repo = repoOf(ctx);
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const ref = typeof ctx.query.ref === 'string' && ctx.query.ref ? ctx.query.ref : repo.default_branch;
    const u = ctx.render.repoUrl(repo);
    const entry = (p: string, type: 'file' | 'dir', text?: string): Obj => {
      const sha = text === undefined ? fakeShaOf(`${repo.full_name}:${ref}:${p}/`) : gitBlobSha(text);
      const html = `${HTML}/${repo.full_name}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${p}`;
      const self = `${u}/contents/${p}?ref=${encodeURIComponent(ref)}`;
      const git = `${u}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
      return {
        type,
        size: text === undefined ? 0 : Buffer.byteLength(text),
        name: p.split('/').at(-1),
        path: p,
        sha,
        url: self,
        git_url: git,
        html_url: html,
        download_url: type === 'file' ? `https://raw.githubusercontent.com/${repo.full_name}/${ref}/${p}` : null,
        _links: { self, git, html },
      };
    };
    const text = path ? ctx.store.getContent(repo, path, ref) : undefined;
    if (text !== undefined && /application\/vnd\.github(\.v3)?\.raw/.test(ctx.accept ?? '')) {
      return { status: 200, raw: text, headers: { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8', 'x-github-media-type': 'github.v3; param=raw' } };
    }
    if (text !== undefined) {
      const b64 = Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n');
      return { status: 200, body: { ...entry(path, 'file', text), content: b64.endsWith('\n') || !b64 ? b64 : `${b64}\n`, encoding: 'base64' } };
    }
    const dir = ctx.store.listDirectory(repo, path, ref);
    if (!dir) throw new SimError(404, 'Not Found');
    return { status: 200, body: dir.map((d) => entry(d.path, d.type, d.type === 'file' ? ctx.store.getContent(repo, d.path, ref) : undefined)) };
  },

  // ----- branch rules -----
  // The active rules that apply to a branch, from every ruleset targeting it; anyone who can read the
  // repository may list them.
  'GET /repos/{owner}/{repo}/rules/branches/{branch}': (ctx) => {
    const repo = repoOf(ctx);
    return list(ctx, ctx.store.rulesFor(repo, ctx.params.branch ?? ''), ({ rule, ruleset }) => ({
      ...rule,
      ruleset_source_type: 'Repository',
      ruleset_source: repo.full_name,
      ruleset_id: ruleset.id,
    }));
  },

  // Classic branch protection is an administration resource: an app (or a workflow's GITHUB_TOKEN) without
  // `administration: read` gets 403, a person's token without the admin role 404.
  'GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks': (ctx) => {
    const repo = repoOf(ctx);
    if (ctx.token.kind === 'pat' ? ctx.store.roleOf(repo, ctx.token.login) !== 'admin' : !ctx.token.permissions.administration) {
      throw ctx.token.kind === 'pat' ? new SimError(404, 'Not Found') : new SimError(403, 'Resource not accessible by integration');
    }
    const branch = ctx.params.branch ?? '';
    const protection = ctx.store.branchProtection(repo, branch);
    if (!protection) throw new SimError(404, 'Branch not protected');
    const required = protection.required_status_checks;
    if (!required) throw new SimError(404, 'Required status checks not enabled');
    const url = `${ctx.render.repoUrl(repo)}/branches/${encodeURIComponent(branch)}/protection/required_status_checks`;
    return {
      status: 200,
      body: { url, strict: required.strict, contexts: required.checks.map((c) => c.context), contexts_url: `${url}/contexts`, checks: required.checks },
    };
  },

  // ----- Actions artifacts -----
  'GET /repos/{owner}/{repo}/actions/artifacts': (ctx) => {
    const repo = repoOf(ctx);
    const name = typeof ctx.query.name === 'string' ? ctx.query.name : undefined;
    const items = ctx.store.listArtifacts(repo, name !== undefined ? { name } : {});
    const { page, headers } = paginate(ctx, items);
    return { status: 200, headers, body: { total_count: items.length, artifacts: page.map((a) => renderArtifact(ctx, repo, a)) } };
  },

  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts': (ctx) => {
    const repo = repoOf(ctx);
    const name = typeof ctx.query.name === 'string' ? ctx.query.name : undefined;
    const items = ctx.store.listArtifacts(repo, { run_id: Number(ctx.params.run_id), ...(name !== undefined ? { name } : {}) });
    if (ctx.query.direction === 'asc') items.reverse();
    const { page, headers } = paginate(ctx, items);
    return { status: 200, headers, body: { total_count: items.length, artifacts: page.map((a) => renderArtifact(ctx, repo, a)) } };
  },

  'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}': (ctx) => {
    const repo = repoOf(ctx);
    const a = ctx.store.artifact(repo, Number(ctx.params.artifact_id));
    if (!a) throw new SimError(404, 'Not Found');
    return { status: 200, body: renderArtifact(ctx, repo, a) };
  },

  'DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}': (ctx) => {
    const repo = repoOf(ctx);
    ctx.store.deleteArtifact(repo, Number(ctx.params.artifact_id));
    return { status: 204 };
  },

  // The archive: a redirect to short-lived blob storage (the emulator's stand-ins read the files from the
  // store); an expired artifact is gone.
  'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}': (ctx) => {
    const repo = repoOf(ctx);
    const a = ctx.store.artifact(repo, Number(ctx.params.artifact_id));
    if (!a || ctx.params.archive_format !== 'zip') throw new SimError(404, 'Not Found');
    if (ctx.store.artifactExpired(a)) throw new SimError(410, 'Artifact has expired');
    return { status: 302, headers: { location: `${ctx.baseUrl}/_sim/artifacts/${a.id}.zip` } };
  },

  // ----- releases -----
  'GET /repos/{owner}/{repo}/releases': (ctx) => {
    const repo = repoOf(ctx);
    const canSeeDrafts = ctx.token.permissions.contents === 'write' || ctx.token.permissions.contents === 'admin';
    const items = ctx.store.listReleases(repo).filter((r) => canSeeDrafts || !r.draft);
    return list(ctx, items, (r) => ctx.render.release(repo, r));
  },

  'POST /repos/{owner}/{repo}/releases': (ctx) => {
    const repo = repoOf(ctx);
    const b = bodyObj(ctx);
    assertLength('Release', 'body', b.body, MAX_RELEASE_BODY);
    const rel = ctx.store.createRelease(repo, {
      tag_name: String(b.tag_name),
      ...(typeof b.target_commitish === 'string' ? { target_commitish: b.target_commitish } : {}),
      name: (b.name as string | undefined) ?? String(b.tag_name),
      body: (b.body as string | undefined) ?? null,
      draft: b.draft === true,
      prerelease: b.prerelease === true,
      author: ctx.token.login,
    });
    return { status: 201, body: ctx.render.release(repo, rel), headers: { location: `${ctx.render.repoUrl(repo)}/releases/${rel.id}` } };
  },

  'GET /repos/{owner}/{repo}/releases/latest': (ctx) => {
    const repo = repoOf(ctx);
    const rel = ctx.store.latestRelease(repo);
    if (!rel) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.release(repo, rel) };
  },

  'GET /repos/{owner}/{repo}/releases/tags/{tag}': (ctx) => {
    const repo = repoOf(ctx);
    const rel = repo.releases.find((r) => r.tag_name === ctx.params.tag && !r.draft);
    if (!rel) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.release(repo, rel) };
  },

  'GET /repos/{owner}/{repo}/releases/{release_id}': (ctx) => {
    const repo = repoOf(ctx);
    const rel = ctx.store.release(repo, Number(ctx.params.release_id));
    if (!rel) throw new SimError(404, 'Not Found');
    return { status: 200, body: ctx.render.release(repo, rel) };
  },

  'PATCH /repos/{owner}/{repo}/releases/{release_id}': (ctx) => {
    const repo = repoOf(ctx);
    const b = bodyObj(ctx);
    assertLength('Release', 'body', b.body, MAX_RELEASE_BODY);
    const rel = ctx.store.updateRelease(repo, Number(ctx.params.release_id), {
      ...(typeof b.tag_name === 'string' ? { tag_name: b.tag_name } : {}),
      ...(typeof b.target_commitish === 'string' ? { target_commitish: b.target_commitish } : {}),
      ...(b.name !== undefined ? { name: b.name as string | null } : {}),
      ...(b.body !== undefined ? { body: b.body as string | null } : {}),
      ...(typeof b.draft === 'boolean' ? { draft: b.draft } : {}),
      ...(typeof b.prerelease === 'boolean' ? { prerelease: b.prerelease } : {}),
    });
    return { status: 200, body: ctx.render.release(repo, rel) };
  },

  'DELETE /repos/{owner}/{repo}/releases/{release_id}': (ctx) => {
    ctx.store.deleteRelease(repoOf(ctx), Number(ctx.params.release_id));
    return { status: 204 };
  },

  // ----- milestones -----
  'GET /repos/{owner}/{repo}/milestones': (ctx) => {
    const repo = repoOf(ctx);
    const state = (ctx.query.state as string | undefined) ?? 'open';
    const items = [...repo.milestones.values()].filter((m) => state === 'all' || m.state === state);
    return list(ctx, items, (m) => ctx.render.milestone(repo, m));
  },

  // ----- search -----
  'GET /search/issues': (ctx) => {
    const hits = searchIssues(ctx.store, String(ctx.query.q ?? ''), {
      advanced: ctx.query.advanced_search === 'true',
      sort: typeof ctx.query.sort === 'string' ? ctx.query.sort : undefined,
      order: typeof ctx.query.order === 'string' ? ctx.query.order : undefined,
    });
    const { page, headers } = paginate(ctx, hits, { maxItems: 1000 });
    return {
      status: 200,
      headers,
      body: { total_count: hits.length, incomplete_results: false, search_type: 'lexical', items: page.map((h) => ({ ...ctx.render.issue(h.repo, h.issue), score: h.score })) },
    };
  },
};

/** An artifact as the REST API shows it. */
function renderArtifact(ctx: RouteContext, repo: SimRepository, a: SimArtifact): Obj {
  const url = `${ctx.baseUrl}/repos/${repo.full_name}/actions/artifacts/${a.id}`;
  return {
    id: a.id,
    node_id: a.node_id,
    name: a.name,
    size_in_bytes: a.size_in_bytes,
    url,
    archive_download_url: `${url}/zip`,
    expired: ctx.store.artifactExpired(a),
    created_at: a.created_at,
    expires_at: a.expires_at,
    updated_at: a.updated_at,
    digest: a.digest,
    workflow_run: { id: a.run_id, repository_id: a.repository_id, head_repository_id: a.head_repository_id, head_branch: a.head_branch, head_sha: a.head_sha },
  };
}

function gitBlobSha(text: string): string {
  return fakeShaOf(`blob ${Buffer.byteLength(text)}\0${text}`);
}

function fakeShaOf(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** Which token permission a route needs (GitHub App permission names). */
export function permissionFor(template: string): string {
  if (template.startsWith('/search/') || template === '/user' || template.startsWith('/users/') || template === '/rate_limit') return 'none';
  if (/^\/repos\/\{owner\}\/\{repo\}\/(issues|labels|milestones)/.test(template)) return 'issues';
  if (/^\/repos\/\{owner\}\/\{repo\}\/pulls/.test(template)) return 'pull_requests';
  if (/^\/repos\/\{owner\}\/\{repo\}\/actions\//.test(template)) return 'actions';
  if (/^\/repos\/\{owner\}\/\{repo\}\/(releases|git|contents|compare|commits|tags|branches)/.test(template)) return 'contents';
  return 'metadata';
}
