/**
 * The emulator's state: one in-memory GitHub, with GitHub's own REST field names.
 *
 * Users are referenced by `login` everywhere inside the store (a `string`); the REST and
 * GraphQL layers render them into full user objects with `store.user(login)`.
 * Every write goes through a method here so that the timeline events GitHub would add
 * (labeled, closed, commented, ...) are added too, with the actor and `store.now`.
 *
 * Ids are deterministic: one counter per store (`nextId`), bumped past any id given explicitly.
 * node_ids are `<prefix>_<base64(kind:id)>` and resolvable with `store.findNode(nodeId)`.
 */
import { createHash } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type UserType = 'User' | 'Bot' | 'Organization';
export type AccessLevel = 'read' | 'write' | 'admin';
export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type AuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';
export type IssueState = 'open' | 'closed';
export type StateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
export type LockReason = 'off-topic' | 'too heated' | 'resolved' | 'spam' | null;
export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';
export const REACTION_CONTENTS: readonly ReactionContent[] = [
  '+1',
  '-1',
  'laugh',
  'hooray',
  'confused',
  'heart',
  'rocket',
  'eyes',
];

export interface SimUser {
  login: string;
  id: number;
  node_id: string;
  type: UserType;
  site_admin: boolean;
  name: string | null;
  email: string | null;
  /** For `type: 'Organization'`: member logins. */
  members: string[];
  created_at: string;
}

export interface SimTeam {
  id: number;
  node_id: string;
  org: string;
  slug: string;
  name: string;
  description: string | null;
  members: string[];
}

/** Classic branch protection of one branch: its required status checks (`null`: protected without them). */
export interface SimBranchProtection {
  required_status_checks: { strict: boolean; checks: Array<{ context: string; app_id: number | null }> } | null;
}

/** A repository ruleset: which branches it targets (`conditions.ref_name`) and its rules. */
export interface SimRuleset {
  id: number;
  name: string;
  enforcement: 'active' | 'evaluate' | 'disabled';
  /** Ref patterns: `~DEFAULT_BRANCH`, `~ALL`, `refs/heads/main`, `refs/heads/release/*`. */
  include: string[];
  exclude: string[];
  rules: Array<{ type: string; parameters?: Record<string, unknown> }>;
}

/** What a token may do. Keys are GitHub App permission names (issues, pull_requests, contents, metadata, ...). */
export interface SimToken {
  login: string;
  permissions: Record<string, AccessLevel>;
  /**
   * `github-token`: a workflow run's GITHUB_TOKEN for `repository` (its scopes are the job's `permissions:`;
   * it shares the repository's hourly budgets, and events it causes start no workflow). Default `app`.
   */
  kind?: 'github-token' | 'app' | 'pat' | undefined;
  /** The repository (`owner/name`) a `github-token` belongs to. */
  repository?: string | undefined;
}

export interface SimLabel {
  id: number;
  node_id: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface SimMilestone {
  id: number;
  node_id: string;
  number: number;
  title: string;
  description: string | null;
  state: IssueState;
  due_on: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  creator: string;
}

export interface SimReaction {
  id: number;
  node_id: string;
  user: string;
  content: ReactionContent;
  created_at: string;
}

export type SimEventKind =
  | 'labeled'
  | 'unlabeled'
  | 'closed'
  | 'reopened'
  | 'marked_as_duplicate'
  | 'unmarked_as_duplicate'
  | 'cross-referenced'
  | 'connected'
  | 'disconnected'
  | 'assigned'
  | 'unassigned'
  | 'commented'
  | 'locked'
  | 'unlocked'
  | 'renamed'
  | 'milestoned'
  | 'demilestoned'
  | 'merged'
  | 'referenced'
  | 'ready_for_review'
  | 'convert_to_draft';

/** One timeline event. Only the fields relevant to `event` are set. */
export interface SimEvent {
  id: number;
  node_id: string;
  event: SimEventKind;
  actor: string;
  created_at: string;
  /** labeled / unlabeled */
  label?: { name: string; color: string };
  /** assigned / unassigned */
  assignee?: string;
  /** closed: the reason at the time */
  state_reason?: StateReason;
  /** closed / merged / referenced */
  commit_id?: string | null;
  /** cross-referenced: the issue or PR that mentions this one */
  source?: { repository: string; number: number };
  /** marked_as_duplicate: the canonical issue; connected: the linked PR/issue */
  subject?: { repository: string; number: number };
  /** commented: the comment id (the timeline renders the comment itself) */
  comment_id?: number;
  /** renamed */
  rename?: { from: string; to: string };
  /** locked */
  lock_reason?: LockReason;
  /** milestoned / demilestoned */
  milestone?: { title: string };
}

export interface SimComment {
  id: number;
  node_id: string;
  issue_number: number;
  body: string;
  user: string;
  /**
   * An explicit author_association (from a snapshot or a recorded payload). Absent: computed when read,
   * like GitHub, by `Store.authorAssociation` (a collaborator added later shows as one on old comments).
   */
  author_association?: AuthorAssociation;
  created_at: string;
  updated_at: string;
  reactions: SimReaction[];
}

export interface SimPullFile {
  sha: string;
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

export interface SimBranchRef {
  ref: string;
  sha: string;
  /** full name `owner/name` of the repository holding the branch (a fork for fork PRs) */
  repo: string;
}

/** The pull-request half of an issue that is a pull request. */
export interface SimPullRequest {
  id: number;
  node_id: string;
  head: SimBranchRef;
  base: SimBranchRef;
  merged: boolean;
  merged_at: string | null;
  merged_by: string | null;
  merge_commit_sha: string | null;
  draft: boolean;
  files: SimPullFile[];
  /** commit shas, oldest first */
  commits: string[];
  /** issues this PR closes when merged (GitHub's closingIssuesReferences) */
  closing_issues: Array<{ repository: string; number: number }>;
  requested_reviewers: string[];
}

export interface SimIssue {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: IssueState;
  state_reason: StateReason;
  locked: boolean;
  active_lock_reason: LockReason;
  /** label names (rendered from the repository's labels) */
  labels: string[];
  assignees: string[];
  milestone: number | null;
  /** An explicit author_association override; absent: computed when read (see `Store.authorAssociation`). */
  author_association?: AuthorAssociation;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  /** comment count, as GitHub reports it */
  comments: number;
  /** ids of the comments, in creation order (not a GitHub field) */
  comment_ids: number[];
  reactions: SimReaction[];
  timeline: SimEvent[];
  pull_request?: SimPullRequest;
}

export interface SimCommitAuthor {
  name: string;
  email: string;
  date: string;
  /** the GitHub user this commit is attributed to, if any */
  login?: string | null;
}

export interface SimCommit {
  sha: string;
  node_id: string;
  message: string;
  parents: string[];
  author: SimCommitAuthor;
  committer: SimCommitAuthor;
}

export interface SimRelease {
  id: number;
  node_id: string;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  created_at: string;
  published_at: string | null;
  author: string;
}

/** One Actions artifact: files a workflow run uploaded, kept until `expires_at` (retention days). */
export interface SimArtifact {
  id: number;
  node_id: string;
  name: string;
  /** The repository whose run uploaded it. */
  repository_id: number;
  /** The run that uploaded it (`github.run_id`). */
  run_id: number;
  /** The repository of the run's head commit: a fork's id for a fork's pull request run. */
  head_repository_id: number;
  head_branch: string;
  head_sha: string;
  size_in_bytes: number;
  /** `sha256:<hex>` of the content. */
  digest: string;
  created_at: string;
  updated_at: string;
  expires_at: string;
  /** The uploaded files, by path relative to the artifact's root. */
  files: Map<string, Buffer>;
}

/** What an upload gives {@link Store.createArtifact}. */
export interface ArtifactInput {
  name: string;
  run_id: number;
  head_repository_id?: number;
  /** Default: the repository's default branch. */
  head_branch?: string;
  head_sha: string;
  /** Days until it expires (GitHub's default: 90). */
  retention_days?: number;
  files: Map<string, Buffer>;
}

export interface SimRepository {
  id: number;
  node_id: string;
  owner: string;
  name: string;
  full_name: string;
  description: string | null;
  default_branch: string;
  private: boolean;
  fork: boolean;
  /** full name of the parent for forks */
  parent: string | null;
  archived: boolean;
  created_at: string;
  updated_at: string;
  pushed_at: string;
  /** login -> role */
  collaborators: Record<string, RepoRole>;
  /** keyed by lower-cased name */
  labels: Map<string, SimLabel>;
  milestones: Map<number, SimMilestone>;
  issues: Map<number, SimIssue>;
  comments: Map<number, SimComment>;
  commits: Map<string, SimCommit>;
  /** full ref name (`refs/heads/main`, `refs/tags/v1.0.0`) -> commit sha */
  refs: Map<string, string>;
  releases: SimRelease[];
  /** ref (branch, tag or sha) -> path -> text */
  contents: Map<string, Map<string, string>>;
  /** next issue/PR number */
  next_number: number;
  next_milestone: number;
}

export type NodeTarget =
  | { kind: 'User'; user: SimUser }
  | { kind: 'Team'; team: SimTeam }
  | { kind: 'Repository'; repo: SimRepository }
  | { kind: 'Issue'; repo: SimRepository; issue: SimIssue }
  | { kind: 'PullRequest'; repo: SimRepository; issue: SimIssue }
  | { kind: 'IssueComment'; repo: SimRepository; comment: SimComment }
  | { kind: 'Label'; repo: SimRepository; label: SimLabel }
  | { kind: 'Milestone'; repo: SimRepository; milestone: SimMilestone }
  | { kind: 'Release'; repo: SimRepository; release: SimRelease }
  | { kind: 'Reaction'; repo: SimRepository; reaction: SimReaction }
  | { kind: 'Commit'; repo: SimRepository; commit: SimCommit }
  | { kind: 'Event'; repo: SimRepository; issue: SimIssue; event: SimEvent };

/** A user given by login or by a (partial) GitHub user object. */
export type UserRef = string | { login: string; id?: number; type?: UserType; site_admin?: boolean; name?: string | null };

export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

const DEFAULT_NOW = '2024-06-01T12:00:00Z';
export const DEFAULT_TOKEN = 'test-token';
export const ACTIONS_BOT = 'github-actions[bot]';
const ACTIONS_BOT_ID = 41898282;

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const nodeId = (prefix: string, kind: string, id: number | string): string =>
  `${prefix}_${Buffer.from(`${kind}:${id}`).toString('base64url')}`;

const lower = (s: string): string => s.toLowerCase();

/** A deleted issue (REST answers 410) or a transferred one (REST answers 301 to `to`). */
export type GoneIssue = { kind: 'deleted' } | { kind: 'transferred'; to: { repository: string; number: number } };

const goneKey = (fullName: string, number: number): string => `${fullName.toLowerCase()}#${number}`;

// ---------------------------------------------------------------------------------------------
// Inputs of the write methods
// ---------------------------------------------------------------------------------------------

export interface CreateRepoInput {
  owner: UserRef;
  name: string;
  id?: number;
  default_branch?: string;
  private?: boolean;
  description?: string | null;
  fork?: boolean;
  parent?: string | null;
  collaborators?: Record<string, RepoRole>;
  created_at?: string;
}

export interface CreateIssueInput {
  title: string;
  body?: string | null;
  user?: UserRef;
  labels?: Array<string | { name: string; color?: string; description?: string | null }>;
  assignees?: UserRef[];
  milestone?: number | null;
  number?: number;
  id?: number;
  state?: IssueState;
  state_reason?: StateReason;
  locked?: boolean;
  active_lock_reason?: LockReason;
  created_at?: string;
  updated_at?: string;
  closed_at?: string | null;
  author_association?: AuthorAssociation;
  /** add `labeled`/`assigned` events for the initial labels/assignees (default true, like GitHub) */
  events?: boolean;
}

export interface CreatePullInput extends CreateIssueInput {
  head?: { ref: string; sha?: string; repo?: string };
  base?: { ref: string; sha?: string; repo?: string };
  draft?: boolean;
  merged?: boolean;
  merged_at?: string | null;
  merged_by?: UserRef | null;
  merge_commit_sha?: string | null;
  files?: Array<Partial<SimPullFile> & { filename: string }>;
  commits?: string[];
  closing_issues?: Array<number | { repository?: string; number: number }>;
  pull_id?: number;
}

export interface UpdateIssueInput {
  title?: string;
  body?: string | null;
  state?: IssueState;
  state_reason?: StateReason;
  labels?: string[];
  assignees?: string[];
  milestone?: number | null;
}

export interface CommitInput {
  sha?: string;
  message: string;
  parents?: string[];
  author?: Partial<SimCommitAuthor>;
  committer?: Partial<SimCommitAuthor>;
  date?: string;
}

export interface ReleaseInput {
  id?: number;
  tag_name: string;
  target_commitish?: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  created_at?: string;
  published_at?: string | null;
  author?: UserRef;
}

export interface CompareResult {
  status: 'identical' | 'ahead' | 'behind' | 'diverged';
  ahead_by: number;
  behind_by: number;
  merge_base: string | null;
  base: string;
  head: string;
  /** commits reachable from head but not from base, oldest first */
  commits: SimCommit[];
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

export class Store {
  /** The emulator's clock: every timestamp written is `store.now`. Tests may set it. */
  now: Date = new Date(DEFAULT_NOW);
  users = new Map<string, SimUser>();
  teams: SimTeam[] = [];
  /** Classic branch protection, by `owner/repo:branch` (repository in lower case). */
  private branchProtections = new Map<string, SimBranchProtection>();
  /** Repository rulesets, by `owner/repo` in lower case. */
  private rulesets = new Map<string, SimRuleset[]>();
  tokens = new Map<string, SimToken>();
  repos = new Map<string, SimRepository>();
  /** Actions artifacts of every repository, in upload order. */
  artifacts: SimArtifact[] = [];
  nextId = 1;
  private nodes = new Map<string, NodeTarget>();
  /** Deleted and transferred issues, by `owner/repo#number` (lower case). */
  private goneIssues = new Map<string, GoneIssue>();
  /**
   * The lower-cased authors of each repository's merged pull requests (CONTRIBUTOR), worked out when first
   * asked and again after a merge, a deletion, or once the repository's issues changed in number.
   */
  private contributors = new WeakMap<SimRepository, { issues: number; logins: Set<string> }>();

  constructor() {
    this.addUser({ login: ACTIONS_BOT, id: ACTIONS_BOT_ID, type: 'Bot' });
    this.addToken(DEFAULT_TOKEN, ACTIONS_BOT, {
      issues: 'write',
      pull_requests: 'write',
      contents: 'write',
      metadata: 'read',
      discussions: 'write',
    });
  }

  // ----- clock and ids -----

  /** `store.now` as GitHub prints timestamps (`2024-06-01T12:00:00Z`). */
  nowIso(): string {
    return iso(this.now);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  /** A fresh id, or `explicit` (and the counter moves past it). */
  newId(explicit?: number): number {
    if (explicit !== undefined) {
      if (explicit >= this.nextId) this.nextId = explicit + 1;
      return explicit;
    }
    return this.nextId++;
  }

  private register(prefix: string, kind: string, id: number | string, target: NodeTarget): string {
    const nid = nodeId(prefix, kind, id);
    this.nodes.set(nid, target);
    return nid;
  }

  /** Resolves a node_id written by this store (GraphQL `node(id:)`). */
  findNode(id: string): NodeTarget | undefined {
    return this.nodes.get(id);
  }

  // ----- users, teams, tokens -----

  /** Adds (or returns the existing) user. */
  addUser(input: UserRef & object | string): SimUser {
    const ref = typeof input === 'string' ? { login: input } : input;
    const existing = this.users.get(lower(ref.login));
    if (existing) return existing;
    const type: UserType = ref.type ?? (ref.login.endsWith('[bot]') ? 'Bot' : 'User');
    const id = this.newId(ref.id);
    const user: SimUser = {
      login: ref.login,
      id,
      node_id: '',
      type,
      site_admin: ref.site_admin ?? false,
      name: ref.name ?? null,
      email: null,
      members: [],
      created_at: this.nowIso(),
    };
    user.node_id = this.register(type === 'Bot' ? 'BOT' : type === 'Organization' ? 'O' : 'U', type, id, {
      kind: 'User',
      user,
    });
    this.users.set(lower(ref.login), user);
    return user;
  }

  /** The user with this login, or undefined. */
  findUser(login: string): SimUser | undefined {
    return this.users.get(lower(login));
  }

  /** The user with this login, created as a plain User if unknown. */
  user(ref: UserRef): SimUser {
    return this.addUser(typeof ref === 'string' ? { login: ref } : ref);
  }

  addOrgMember(org: string, login: string): void {
    const o = this.addUser({ login: org, type: 'Organization' });
    this.user(login);
    if (!o.members.some((m) => lower(m) === lower(login))) o.members.push(login);
  }

  addTeam(input: { org: string; slug: string; name?: string; description?: string | null; members?: string[]; id?: number }): SimTeam {
    this.addUser({ login: input.org, type: 'Organization' });
    const id = this.newId(input.id);
    const team: SimTeam = {
      id,
      node_id: '',
      org: input.org,
      slug: input.slug,
      name: input.name ?? input.slug,
      description: input.description ?? null,
      members: [...(input.members ?? [])],
    };
    team.node_id = this.register('T', 'Team', id, { kind: 'Team', team });
    for (const m of team.members) this.addOrgMember(input.org, m);
    this.teams.push(team);
    return team;
  }

  addToken(
    token: string,
    login: string,
    permissions: Record<string, AccessLevel>,
    options: { kind?: SimToken['kind']; repository?: string } = {},
  ): SimToken {
    this.user(login);
    const t: SimToken = { login, permissions: { metadata: 'read', ...permissions }, ...options };
    this.tokens.set(token, t);
    return t;
  }

  // ----- branch protection and rulesets -----

  /** Protects `branch` (classic branch protection), with these required status checks (none: protected without). */
  protectBranch(repoRef: SimRepository | string, branch: string, input: { contexts?: string[]; checks?: Array<{ context: string; app_id?: number | null }>; strict?: boolean } = {}): SimBranchProtection {
    const repo = this.repoOf(repoRef);
    const checks = [...(input.contexts ?? []).map((context) => ({ context, app_id: null })), ...(input.checks ?? []).map((c) => ({ context: c.context, app_id: c.app_id ?? null }))];
    const protection: SimBranchProtection = {
      required_status_checks: input.contexts === undefined && input.checks === undefined ? null : { strict: input.strict ?? false, checks },
    };
    this.branchProtections.set(`${lower(repo.full_name)}:${branch}`, protection);
    return protection;
  }

  /** The classic protection of `branch`, or undefined when it is not protected. */
  branchProtection(repoRef: SimRepository | string, branch: string): SimBranchProtection | undefined {
    return this.branchProtections.get(`${lower(this.repoOf(repoRef).full_name)}:${branch}`);
  }

  /** Adds a repository ruleset (default: active, on the default branch). */
  addRuleset(repoRef: SimRepository | string, input: Partial<Omit<SimRuleset, 'rules'>> & { rules: SimRuleset['rules'] }): SimRuleset {
    const repo = this.repoOf(repoRef);
    const ruleset: SimRuleset = {
      id: this.newId(input.id),
      name: input.name ?? 'ruleset',
      enforcement: input.enforcement ?? 'active',
      include: input.include ?? ['~DEFAULT_BRANCH'],
      exclude: input.exclude ?? [],
      rules: input.rules,
    };
    const list = this.rulesets.get(lower(repo.full_name)) ?? [];
    list.push(ruleset);
    this.rulesets.set(lower(repo.full_name), list);
    return ruleset;
  }

  /**
   * The rules of the active rulesets that target `branch` (it need not exist), as GitHub's "rules for a
   * branch" lists them: rulesets in `evaluate` or `disabled` enforcement count for nothing.
   */
  rulesFor(repoRef: SimRepository | string, branch: string): Array<{ rule: SimRuleset['rules'][number]; ruleset: SimRuleset }> {
    const repo = this.repoOf(repoRef);
    const ref = `refs/heads/${branch}`;
    const matches = (pattern: string): boolean => {
      if (pattern === '~ALL') return true;
      if (pattern === '~DEFAULT_BRANCH') return branch === repo.default_branch;
      const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^/]*' : '[^/]'));
      return new RegExp(`^${source}$`).test(ref);
    };
    return (this.rulesets.get(lower(repo.full_name)) ?? [])
      .filter((r) => r.enforcement === 'active' && r.include.some(matches) && !r.exclude.some(matches))
      .flatMap((ruleset) => ruleset.rules.map((rule) => ({ rule, ruleset })));
  }

  // ----- repositories -----

  createRepo(input: CreateRepoInput): SimRepository {
    const owner = this.user(typeof input.owner === 'string' ? input.owner : input.owner);
    const full = `${owner.login}/${input.name}`;
    const existing = this.repos.get(lower(full));
    if (existing) return existing;
    const id = this.newId(input.id);
    const at = input.created_at ?? this.nowIso();
    const repo: SimRepository = {
      id,
      node_id: '',
      owner: owner.login,
      name: input.name,
      full_name: full,
      description: input.description ?? null,
      default_branch: input.default_branch ?? 'main',
      private: input.private ?? false,
      fork: input.fork ?? false,
      parent: input.parent ?? null,
      archived: false,
      created_at: at,
      updated_at: at,
      pushed_at: at,
      collaborators: { ...(input.collaborators ?? {}) },
      labels: new Map(),
      milestones: new Map(),
      issues: new Map(),
      comments: new Map(),
      commits: new Map(),
      refs: new Map(),
      releases: [],
      contents: new Map(),
      next_number: 1,
      next_milestone: 1,
    };
    repo.node_id = this.register('R', 'Repository', id, { kind: 'Repository', repo });
    for (const login of Object.keys(repo.collaborators)) this.user(login);
    this.repos.set(lower(full), repo);
    return repo;
  }

  /** The repository `owner/name` (case-insensitive), or undefined. */
  repo(owner: string, name?: string): SimRepository | undefined {
    const full = name === undefined ? owner : `${owner}/${name}`;
    return this.repos.get(lower(full));
  }

  /** Like `repo()` but throws a 404 SimError. */
  mustRepo(owner: string, name?: string): SimRepository {
    const r = this.repo(owner, name);
    if (!r) throw new SimError(404, 'Not Found');
    return r;
  }

  private repoOf(r: SimRepository | string): SimRepository {
    return typeof r === 'string' ? this.mustRepo(r) : r;
  }

  /** The role of `login` on the repository (owner and org admins are admin). */
  roleOf(repoRef: SimRepository | string, login: string): RepoRole | null {
    const repo = this.repoOf(repoRef);
    if (lower(login) === lower(repo.owner)) return 'admin';
    const direct = Object.entries(repo.collaborators).find(([l]) => lower(l) === lower(login));
    if (direct) return direct[1];
    return null;
  }

  /**
   * Whether `login` may comment on a locked conversation: GitHub lets people with write access (the write,
   * maintain and admin roles) and a bot whose token may write (the GITHUB_TOKEN or an app with
   * `issues: write`) comment there; everyone else gets "Unable to create comment because issue is locked.".
   */
  mayCommentLocked(repoRef: SimRepository | string, login: string, tokenMayWrite: boolean): boolean {
    const role = this.roleOf(repoRef, login);
    if (role === 'admin' || role === 'maintain' || role === 'write') return true;
    return this.findUser(login)?.type === 'Bot' && tokenMayWrite;
  }

  /** GitHub's author_association of `login` on the repository. */
  associationOf(repoRef: SimRepository | string, login: string): AuthorAssociation {
    const repo = this.repoOf(repoRef);
    if (lower(login) === lower(repo.owner)) return 'OWNER';
    const owner = this.findUser(repo.owner);
    if (owner?.type === 'Organization' && owner.members.some((m) => lower(m) === lower(login))) return 'MEMBER';
    if (this.roleOf(repo, login)) return 'COLLABORATOR';
    let known = this.contributors.get(repo);
    if (!known || known.issues !== repo.issues.size) {
      const logins = new Set<string>();
      for (const i of repo.issues.values()) if (i.pull_request?.merged) logins.add(lower(i.user));
      known = { issues: repo.issues.size, logins };
      this.contributors.set(repo, known);
    }
    return known.logins.has(lower(login)) ? 'CONTRIBUTOR' : 'NONE';
  }

  /**
   * The author_association GitHub shows for an issue or comment, computed now (GitHub does not freeze it
   * when the item is written): the explicit override from a snapshot when there is one.
   */
  authorAssociation(repoRef: SimRepository | string, item: { user: string; author_association?: AuthorAssociation }): AuthorAssociation {
    return item.author_association ?? this.associationOf(repoRef, item.user);
  }

  // ----- labels -----

  createLabel(
    repoRef: SimRepository | string,
    input: { name: string; color?: string; description?: string | null; id?: number; default?: boolean },
  ): SimLabel {
    const repo = this.repoOf(repoRef);
    if (repo.labels.has(lower(input.name))) {
      throw new SimError(422, 'Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    }
    const id = this.newId(input.id);
    const label: SimLabel = {
      id,
      node_id: '',
      name: input.name,
      color: (input.color ?? 'ededed').replace(/^#/, ''),
      description: input.description ?? null,
      default: input.default ?? false,
    };
    label.node_id = this.register('LA', 'Label', id, { kind: 'Label', repo, label });
    repo.labels.set(lower(input.name), label);
    return label;
  }

  findLabel(repoRef: SimRepository | string, name: string): SimLabel | undefined {
    return this.repoOf(repoRef).labels.get(lower(name));
  }

  /** The label, created with GitHub's default color when missing (as "add labels" does). */
  ensureLabel(repoRef: SimRepository | string, name: string): SimLabel {
    return this.findLabel(repoRef, name) ?? this.createLabel(repoRef, { name });
  }

  updateLabel(
    repoRef: SimRepository | string,
    name: string,
    patch: { new_name?: string; color?: string; description?: string | null },
  ): SimLabel {
    const repo = this.repoOf(repoRef);
    const label = repo.labels.get(lower(name));
    if (!label) throw new SimError(404, 'Not Found');
    if (patch.new_name !== undefined && lower(patch.new_name) !== lower(label.name)) {
      if (repo.labels.has(lower(patch.new_name))) {
        throw new SimError(422, 'Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
      }
      repo.labels.delete(lower(label.name));
      for (const issue of repo.issues.values()) {
        issue.labels = issue.labels.map((l) => (lower(l) === lower(label.name) ? patch.new_name! : l));
      }
      label.name = patch.new_name;
      repo.labels.set(lower(label.name), label);
    } else if (patch.new_name !== undefined) {
      label.name = patch.new_name;
    }
    if (patch.color !== undefined) label.color = patch.color.replace(/^#/, '');
    if (patch.description !== undefined) label.description = patch.description;
    return label;
  }

  deleteLabel(repoRef: SimRepository | string, name: string): void {
    const repo = this.repoOf(repoRef);
    const label = repo.labels.get(lower(name));
    if (!label) throw new SimError(404, 'Not Found');
    repo.labels.delete(lower(name));
    for (const issue of repo.issues.values()) issue.labels = issue.labels.filter((l) => lower(l) !== lower(name));
  }

  // ----- milestones -----

  createMilestone(
    repoRef: SimRepository | string,
    input: { title: string; description?: string | null; state?: IssueState; due_on?: string | null; number?: number; creator?: UserRef },
  ): SimMilestone {
    const repo = this.repoOf(repoRef);
    const number = input.number ?? repo.next_milestone;
    repo.next_milestone = Math.max(repo.next_milestone, number + 1);
    const id = this.newId();
    const m: SimMilestone = {
      id,
      node_id: '',
      number,
      title: input.title,
      description: input.description ?? null,
      state: input.state ?? 'open',
      due_on: input.due_on ?? null,
      created_at: this.nowIso(),
      updated_at: this.nowIso(),
      closed_at: input.state === 'closed' ? this.nowIso() : null,
      creator: this.user(input.creator ?? repo.owner).login,
    };
    m.node_id = this.register('MI', 'Milestone', id, { kind: 'Milestone', repo, milestone: m });
    repo.milestones.set(number, m);
    return m;
  }

  // ----- issues -----

  /** The issue or PR `number`, or undefined. */
  issue(repoRef: SimRepository | string, number: number): SimIssue | undefined {
    return this.repoOf(repoRef).issues.get(number);
  }

  mustIssue(repoRef: SimRepository | string, number: number): SimIssue {
    const i = this.issue(repoRef, number);
    if (!i) throw new SimError(404, 'Not Found');
    return i;
  }

  /**
   * Deletes issue `number` as GitHub does (an admin deletes it): it and its comments are gone, and every
   * REST route under `/repos/{owner}/{repo}/issues/{number}` answers 410 Gone from now on. GraphQL finds
   * no such issue (`NOT_FOUND`).
   */
  deleteIssue(repoRef: SimRepository | string, number: number): void {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    for (const id of issue.comment_ids) repo.comments.delete(id);
    repo.issues.delete(number);
    this.contributors.delete(repo);
    this.goneIssues.set(goneKey(repo.full_name, number), { kind: 'deleted' });
  }

  /**
   * Transfers issue `number` to the repository `toRepoRef`, as GitHub does: a new issue there (next
   * number; title, body, author, state, labels that exist there, and the comments), the old one gone.
   * Every REST route under the old issue answers 301 Moved Permanently with a `location` on the new
   * issue; GraphQL finds no issue under the old number. Returns the new issue.
   */
  transferIssue(repoRef: SimRepository | string, number: number, toRepoRef: SimRepository | string): SimIssue {
    const repo = this.repoOf(repoRef);
    const to = this.repoOf(toRepoRef);
    const issue = this.mustIssue(repo, number);
    if (issue.pull_request) throw new SimError(422, 'A pull request cannot be transferred');
    const comments = issue.comment_ids.map((id) => repo.comments.get(id)).filter((c): c is SimComment => c !== undefined);
    const moved = this.createIssue(to, {
      title: issue.title,
      body: issue.body,
      user: issue.user,
      created_at: issue.created_at,
      state: issue.state,
      state_reason: issue.state_reason,
      labels: issue.labels.filter((l) => this.findLabel(to, l) !== undefined),
      events: false,
    });
    for (const c of comments) this.createComment(to, moved.number, { body: c.body, user: c.user, created_at: c.created_at, updated_at: c.updated_at });
    for (const c of comments) repo.comments.delete(c.id);
    repo.issues.delete(number);
    this.goneIssues.set(goneKey(repo.full_name, number), { kind: 'transferred', to: { repository: to.full_name, number: moved.number } });
    return moved;
  }

  /** What became of a deleted or transferred issue (`undefined` for one that exists or never did). */
  goneIssue(owner: string, repo: string, number: number): GoneIssue | undefined {
    return this.goneIssues.get(goneKey(`${owner}/${repo}`, number));
  }

  private addEvent(repo: SimRepository, issue: SimIssue, e: Omit<SimEvent, 'id' | 'node_id' | 'created_at'> & { created_at?: string }): SimEvent {
    const id = this.newId();
    const ev: SimEvent = { id, node_id: '', created_at: e.created_at ?? this.nowIso(), ...e } as SimEvent;
    ev.created_at = e.created_at ?? this.nowIso();
    const prefix = EVENT_PREFIX[ev.event] ?? 'EV';
    ev.node_id = this.register(prefix, ev.event, id, { kind: 'Event', repo, issue, event: ev });
    issue.timeline.push(ev);
    return ev;
  }

  /** Adds a timeline event as is (for seeding events GitHub adds that have no write method here). */
  recordEvent(
    repoRef: SimRepository | string,
    number: number,
    e: Omit<SimEvent, 'id' | 'node_id' | 'created_at'> & { created_at?: string },
  ): SimEvent {
    const repo = this.repoOf(repoRef);
    this.user(e.actor);
    return this.addEvent(repo, this.mustIssue(repo, number), e);
  }

  createIssue(repoRef: SimRepository | string, input: CreateIssueInput): SimIssue {
    const repo = this.repoOf(repoRef);
    const number = input.number ?? repo.next_number;
    if (repo.issues.has(number)) throw new SimError(422, `Issue #${number} already exists`);
    repo.next_number = Math.max(repo.next_number, number + 1);
    const author = this.user(input.user ?? ACTIONS_BOT);
    const created = input.created_at ?? this.nowIso();
    const id = this.newId(input.id);
    const state = input.state ?? 'open';
    const issue: SimIssue = {
      id,
      node_id: '',
      number,
      title: input.title,
      body: input.body ?? null,
      user: author.login,
      state,
      state_reason: input.state_reason ?? (state === 'closed' ? 'completed' : null),
      locked: input.locked ?? false,
      active_lock_reason: input.active_lock_reason ?? null,
      labels: [],
      assignees: [],
      milestone: input.milestone ?? null,
      ...(input.author_association ? { author_association: input.author_association } : {}),
      created_at: created,
      updated_at: input.updated_at ?? created,
      closed_at: state === 'closed' ? (input.closed_at ?? created) : null,
      closed_by: state === 'closed' ? author.login : null,
      comments: 0,
      comment_ids: [],
      reactions: [],
      timeline: [],
    };
    issue.node_id = this.register('I', 'Issue', id, { kind: 'Issue', repo, issue });
    repo.issues.set(number, issue);
    const withEvents = input.events ?? true;
    for (const l of input.labels ?? []) {
      const spec = typeof l === 'string' ? { name: l } : l;
      const label = this.findLabel(repo, spec.name) ?? this.createLabel(repo, spec);
      if (!issue.labels.some((x) => lower(x) === lower(label.name))) {
        issue.labels.push(label.name);
        if (withEvents) this.addEvent(repo, issue, { event: 'labeled', actor: author.login, label: { name: label.name, color: label.color }, created_at: created });
      }
    }
    for (const a of input.assignees ?? []) {
      const u = this.user(a);
      if (!issue.assignees.includes(u.login)) {
        issue.assignees.push(u.login);
        if (withEvents) this.addEvent(repo, issue, { event: 'assigned', actor: author.login, assignee: u.login, created_at: created });
      }
    }
    if (state === 'closed' && withEvents) {
      this.addEvent(repo, issue, { event: 'closed', actor: author.login, state_reason: issue.state_reason, commit_id: null, created_at: issue.closed_at ?? created });
    }
    return issue;
  }

  createPull(repoRef: SimRepository | string, input: CreatePullInput): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.createIssue(repo, input);
    const pid = this.newId(input.pull_id);
    const headRef = input.head?.ref ?? `patch-${issue.number}`;
    const baseRef = input.base?.ref ?? repo.default_branch;
    const pr: SimPullRequest = {
      id: pid,
      node_id: '',
      head: {
        ref: headRef,
        sha: input.head?.sha ?? input.commits?.at(-1) ?? fakeSha(`${repo.full_name}#${issue.number}:head`),
        repo: input.head?.repo ?? repo.full_name,
      },
      base: {
        ref: baseRef,
        sha: input.base?.sha ?? repo.refs.get(`refs/heads/${baseRef}`) ?? fakeSha(`${repo.full_name}:${baseRef}`),
        repo: input.base?.repo ?? repo.full_name,
      },
      merged: input.merged ?? false,
      merged_at: input.merged ? (input.merged_at ?? issue.closed_at ?? this.nowIso()) : null,
      merged_by: input.merged ? this.user(input.merged_by ?? repo.owner).login : null,
      merge_commit_sha: input.merged ? (input.merge_commit_sha ?? fakeSha(`${repo.full_name}#${issue.number}:merge`)) : null,
      draft: input.draft ?? false,
      files: (input.files ?? []).map((f) => normalizeFile(f)),
      commits: [...(input.commits ?? [])],
      closing_issues: (input.closing_issues ?? []).map((c) =>
        typeof c === 'number' ? { repository: repo.full_name, number: c } : { repository: c.repository ?? repo.full_name, number: c.number },
      ),
      requested_reviewers: [],
    };
    pr.node_id = nodeId('PR', 'PullRequest', pid);
    issue.pull_request = pr;
    // A PR's node is the PullRequest; keep the issue node_id resolvable too.
    this.nodes.set(pr.node_id, { kind: 'PullRequest', repo, issue });
    this.nodes.set(issue.node_id, { kind: 'PullRequest', repo, issue });
    issue.node_id = pr.node_id;
    if (pr.merged) this.contributors.delete(repo);
    if (pr.merged && input.state !== 'closed') {
      issue.state = 'closed';
      issue.state_reason = null;
      issue.closed_at = pr.merged_at;
      issue.closed_by = pr.merged_by;
    }
    for (const c of pr.closing_issues) {
      const target = this.repo(c.repository)?.issues.get(c.number);
      const targetRepo = this.repo(c.repository);
      if (target && targetRepo) {
        this.addEvent(targetRepo, target, { event: 'connected', actor: issue.user, subject: { repository: repo.full_name, number: issue.number } });
        this.addEvent(targetRepo, target, { event: 'cross-referenced', actor: issue.user, source: { repository: repo.full_name, number: issue.number } });
      }
    }
    return issue;
  }

  /** Updates the fields given, adding renamed/closed/reopened/labeled/unlabeled/assigned/unassigned events. */
  updateIssue(repoRef: SimRepository | string, number: number, patch: UpdateIssueInput, actorRef: UserRef = ACTIONS_BOT): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    if (patch.title !== undefined && patch.title !== issue.title) {
      this.addEvent(repo, issue, { event: 'renamed', actor, rename: { from: issue.title, to: patch.title } });
      issue.title = patch.title;
    }
    if (patch.body !== undefined) issue.body = patch.body;
    if (patch.labels !== undefined) this.setLabels(repo, number, patch.labels, actor);
    if (patch.assignees !== undefined) {
      const next = patch.assignees.map((a) => this.user(a).login);
      for (const a of issue.assignees.filter((x) => !next.includes(x))) this.addEvent(repo, issue, { event: 'unassigned', actor, assignee: a });
      for (const a of next.filter((x) => !issue.assignees.includes(x))) this.addEvent(repo, issue, { event: 'assigned', actor, assignee: a });
      issue.assignees = [...new Set(next)];
    }
    if (patch.milestone !== undefined && patch.milestone !== issue.milestone) {
      const old = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone);
      if (old) this.addEvent(repo, issue, { event: 'demilestoned', actor, milestone: { title: old.title } });
      if (patch.milestone !== null) {
        const m = repo.milestones.get(patch.milestone);
        if (!m) throw new SimError(422, 'Validation Failed', [{ resource: 'Issue', code: 'invalid', field: 'milestone', value: patch.milestone }]);
        this.addEvent(repo, issue, { event: 'milestoned', actor, milestone: { title: m.title } });
      }
      issue.milestone = patch.milestone;
    }
    if (patch.state === 'closed' && issue.state !== 'closed') {
      this.closeIssue(repo, number, actor, patch.state_reason ?? 'completed');
    } else if (patch.state === 'open' && issue.state !== 'open') {
      this.reopenIssue(repo, number, actor);
    } else if (patch.state_reason !== undefined && patch.state === undefined && issue.state === 'closed') {
      issue.state_reason = patch.state_reason;
    }
    issue.updated_at = this.nowIso();
    return issue;
  }

  closeIssue(repoRef: SimRepository | string, number: number, actorRef: UserRef = ACTIONS_BOT, reason: StateReason = 'completed', commitId: string | null = null): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    if (issue.state === 'closed') return issue;
    issue.state = 'closed';
    issue.state_reason = issue.pull_request ? null : (reason ?? 'completed');
    issue.closed_at = this.nowIso();
    issue.closed_by = actor;
    issue.updated_at = this.nowIso();
    this.addEvent(repo, issue, { event: 'closed', actor, state_reason: issue.state_reason, commit_id: commitId });
    return issue;
  }

  reopenIssue(repoRef: SimRepository | string, number: number, actorRef: UserRef = ACTIONS_BOT): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    if (issue.state === 'open') return issue;
    if (issue.pull_request?.merged) throw new SimError(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'invalid', field: 'state' }]);
    issue.state = 'open';
    issue.state_reason = issue.pull_request ? null : 'reopened';
    issue.closed_at = null;
    issue.closed_by = null;
    issue.updated_at = this.nowIso();
    this.addEvent(repo, issue, { event: 'reopened', actor });
    return issue;
  }

  /** Adds labels (creating missing ones like GitHub does); adds one `labeled` event per new label. */
  addLabels(repoRef: SimRepository | string, number: number, names: string[], actorRef: UserRef = ACTIONS_BOT): SimLabel[] {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    for (const name of names) {
      const label = this.ensureLabel(repo, name);
      if (issue.labels.some((l) => lower(l) === lower(label.name))) continue;
      issue.labels.push(label.name);
      this.addEvent(repo, issue, { event: 'labeled', actor, label: { name: label.name, color: label.color } });
      issue.updated_at = this.nowIso();
    }
    return this.issueLabels(repo, issue);
  }

  /** Removes one label; throws 404 (Label does not exist) when the issue doesn't have it. */
  removeLabel(repoRef: SimRepository | string, number: number, name: string, actorRef: UserRef = ACTIONS_BOT): SimLabel[] {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    const idx = issue.labels.findIndex((l) => lower(l) === lower(name));
    if (idx < 0) throw new SimError(404, 'Label does not exist');
    const [removed] = issue.labels.splice(idx, 1);
    const label = this.findLabel(repo, removed!);
    this.addEvent(repo, issue, { event: 'unlabeled', actor, label: { name: removed!, color: label?.color ?? 'ededed' } });
    issue.updated_at = this.nowIso();
    return this.issueLabels(repo, issue);
  }

  /** Replaces all labels. */
  setLabels(repoRef: SimRepository | string, number: number, names: string[], actorRef: UserRef = ACTIONS_BOT): SimLabel[] {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const keep = new Set(names.map(lower));
    for (const l of [...issue.labels]) if (!keep.has(lower(l))) this.removeLabel(repo, number, l, actorRef);
    return this.addLabels(repo, number, names, actorRef);
  }

  issueLabels(repoRef: SimRepository | string, issue: SimIssue): SimLabel[] {
    const repo = this.repoOf(repoRef);
    return issue.labels.map((n) => this.ensureLabel(repo, n));
  }

  addAssignees(repoRef: SimRepository | string, number: number, logins: string[], actorRef: UserRef = ACTIONS_BOT): SimIssue {
    const issue = this.mustIssue(repoRef, number);
    return this.updateIssue(repoRef, number, { assignees: [...issue.assignees, ...logins.filter((l) => !issue.assignees.includes(l))] }, actorRef);
  }

  removeAssignees(repoRef: SimRepository | string, number: number, logins: string[], actorRef: UserRef = ACTIONS_BOT): SimIssue {
    const issue = this.mustIssue(repoRef, number);
    const drop = new Set(logins.map(lower));
    return this.updateIssue(repoRef, number, { assignees: issue.assignees.filter((a) => !drop.has(lower(a))) }, actorRef);
  }

  lockIssue(repoRef: SimRepository | string, number: number, reason: LockReason = null, actorRef: UserRef = ACTIONS_BOT): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    if (!issue.locked) {
      issue.locked = true;
      issue.active_lock_reason = reason;
      issue.updated_at = this.nowIso();
      this.addEvent(repo, issue, { event: 'locked', actor, lock_reason: reason });
    }
    return issue;
  }

  unlockIssue(repoRef: SimRepository | string, number: number, actorRef: UserRef = ACTIONS_BOT): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    if (!issue.locked) throw new SimError(404, 'Not Found');
    issue.locked = false;
    issue.active_lock_reason = null;
    issue.updated_at = this.nowIso();
    this.addEvent(repo, issue, { event: 'unlocked', actor });
    return issue;
  }

  /** Marks `number` as a duplicate of `canonical` (adds marked_as_duplicate, and closes it as duplicate if `close`). */
  markDuplicate(repoRef: SimRepository | string, number: number, canonical: number | { repository: string; number: number }, actorRef: UserRef = ACTIONS_BOT, close = true): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const actor = this.user(actorRef).login;
    const subject = typeof canonical === 'number' ? { repository: repo.full_name, number: canonical } : canonical;
    this.addEvent(repo, issue, { event: 'marked_as_duplicate', actor, subject });
    const target = this.repo(subject.repository)?.issues.get(subject.number);
    const targetRepo = this.repo(subject.repository);
    if (target && targetRepo) this.addEvent(targetRepo, target, { event: 'cross-referenced', actor, source: { repository: repo.full_name, number } });
    if (close) this.closeIssue(repo, number, actor, 'duplicate');
    return issue;
  }

  /** `source` mentions issue `number`: adds a cross-referenced event on it. */
  crossReference(repoRef: SimRepository | string, number: number, source: number | { repository: string; number: number }, actorRef: UserRef = ACTIONS_BOT): SimEvent {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const src = typeof source === 'number' ? { repository: repo.full_name, number: source } : source;
    return this.addEvent(repo, issue, { event: 'cross-referenced', actor: this.user(actorRef).login, source: src });
  }

  /** Links PR `prNumber` to issue `number` (a `connected` event on the issue, a closing reference on the PR). */
  connect(repoRef: SimRepository | string, number: number, prNumber: number, actorRef: UserRef = ACTIONS_BOT): SimEvent {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const pr = this.mustIssue(repo, prNumber);
    if (pr.pull_request && !pr.pull_request.closing_issues.some((c) => c.number === number && lower(c.repository) === lower(repo.full_name))) {
      pr.pull_request.closing_issues.push({ repository: repo.full_name, number });
    }
    return this.addEvent(repo, issue, { event: 'connected', actor: this.user(actorRef).login, subject: { repository: repo.full_name, number: prNumber } });
  }

  // ----- comments -----

  createComment(
    repoRef: SimRepository | string,
    number: number,
    input: { body: string; user?: UserRef; created_at?: string; updated_at?: string; id?: number; author_association?: AuthorAssociation },
  ): SimComment {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const user = this.user(input.user ?? ACTIONS_BOT).login;
    const id = this.newId(input.id);
    const at = input.created_at ?? this.nowIso();
    const comment: SimComment = {
      id,
      node_id: '',
      issue_number: number,
      body: input.body,
      user,
      ...(input.author_association ? { author_association: input.author_association } : {}),
      created_at: at,
      updated_at: input.updated_at ?? at,
      reactions: [],
    };
    comment.node_id = this.register('IC', 'IssueComment', id, { kind: 'IssueComment', repo, comment });
    repo.comments.set(id, comment);
    issue.comment_ids.push(id);
    issue.comments++;
    if (at > issue.updated_at) issue.updated_at = at;
    this.addEvent(repo, issue, { event: 'commented', actor: user, comment_id: id, created_at: at });
    return comment;
  }

  comment(repoRef: SimRepository | string, id: number): SimComment | undefined {
    return this.repoOf(repoRef).comments.get(id);
  }

  /** The comments on issue `number`, oldest first. */
  commentsOf(repoRef: SimRepository | string, number: number): SimComment[] {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const out: SimComment[] = [];
    for (const id of issue.comment_ids) {
      const c = repo.comments.get(id);
      if (c) out.push(c);
    }
    return out;
  }

  updateComment(repoRef: SimRepository | string, id: number, body: string): SimComment {
    const repo = this.repoOf(repoRef);
    const c = repo.comments.get(id);
    if (!c) throw new SimError(404, 'Not Found');
    c.body = body;
    c.updated_at = this.nowIso();
    return c;
  }

  deleteComment(repoRef: SimRepository | string, id: number): void {
    const repo = this.repoOf(repoRef);
    const c = repo.comments.get(id);
    if (!c) throw new SimError(404, 'Not Found');
    repo.comments.delete(id);
    const issue = repo.issues.get(c.issue_number);
    if (issue) {
      issue.comment_ids = issue.comment_ids.filter((x) => x !== id);
      issue.comments = issue.comment_ids.length;
      issue.timeline = issue.timeline.filter((e) => e.comment_id !== id);
    }
  }

  // ----- reactions -----

  /**
   * Adds a reaction to an issue (`{ issue: n }`) or a comment (`{ comment: id }`).
   * Returns `created: false` with the existing reaction when this user already reacted so (GitHub answers 200).
   */
  addReaction(
    repoRef: SimRepository | string,
    target: { issue: number } | { comment: number },
    userRef: UserRef,
    content: ReactionContent,
    created_at?: string,
  ): { reaction: SimReaction; created: boolean } {
    const repo = this.repoOf(repoRef);
    let list: SimReaction[];
    if ('issue' in target) list = this.mustIssue(repo, target.issue).reactions;
    else {
      const c = repo.comments.get(target.comment);
      if (!c) throw new SimError(404, 'Not Found');
      list = c.reactions;
    }
    const user = this.user(userRef).login;
    const existing = list.find((r) => lower(r.user) === lower(user) && r.content === content);
    if (existing) return { reaction: existing, created: false };
    const id = this.newId();
    const reaction: SimReaction = { id, node_id: '', user, content, created_at: created_at ?? this.nowIso() };
    reaction.node_id = this.register('REA', 'Reaction', id, { kind: 'Reaction', repo, reaction });
    list.push(reaction);
    return { reaction, created: true };
  }

  deleteReaction(repoRef: SimRepository | string, target: { issue: number } | { comment: number }, reactionId: number): void {
    const repo = this.repoOf(repoRef);
    const holder = 'issue' in target ? this.mustIssue(repo, target.issue) : repo.comments.get(target.comment);
    if (!holder) throw new SimError(404, 'Not Found');
    const before = holder.reactions.length;
    holder.reactions = holder.reactions.filter((r) => r.id !== reactionId);
    if (holder.reactions.length === before) throw new SimError(404, 'Not Found');
  }

  // ----- pull requests -----

  pull(repoRef: SimRepository | string, number: number): SimIssue | undefined {
    const i = this.issue(repoRef, number);
    return i?.pull_request ? i : undefined;
  }

  /** Merges PR `number`: closes it, sets merged/merged_at/merge_commit_sha, closes its closing issues. */
  mergePull(repoRef: SimRepository | string, number: number, actorRef: UserRef = ACTIONS_BOT, mergeCommitSha?: string): SimIssue {
    const repo = this.repoOf(repoRef);
    const issue = this.mustIssue(repo, number);
    const pr = issue.pull_request;
    if (!pr) throw new SimError(404, 'Not Found');
    if (pr.merged) throw new SimError(405, 'Pull Request is not mergeable');
    const actor = this.user(actorRef).login;
    const sha =
      mergeCommitSha ??
      this.addCommit(repo, {
        message: `Merge pull request #${number} from ${pr.head.repo.split('/')[0]}/${pr.head.ref}\n\n${issue.title}`,
        parents: [repo.refs.get(`refs/heads/${pr.base.ref}`) ?? pr.base.sha, ...(pr.commits.length ? [pr.commits.at(-1)!] : [])].filter((p) =>
          repo.commits.has(p),
        ),
        author: { name: actor, email: `${actor}@users.noreply.github.com`, login: actor },
      }).sha;
    if (repo.commits.has(sha)) repo.refs.set(`refs/heads/${pr.base.ref}`, sha);
    pr.merged = true;
    this.contributors.delete(repo);
    pr.merged_at = this.nowIso();
    pr.merged_by = actor;
    pr.merge_commit_sha = sha;
    this.addEvent(repo, issue, { event: 'merged', actor, commit_id: sha });
    this.closeIssue(repo, number, actor, null);
    for (const c of pr.closing_issues) {
      const r = this.repo(c.repository);
      const target = r?.issues.get(c.number);
      if (r && target && target.state === 'open') this.closeIssue(r, c.number, actor, 'completed', sha);
    }
    return issue;
  }

  // ----- commits, refs, contents -----

  /** Adds a commit; its sha is derived from its content unless given. */
  addCommit(repoRef: SimRepository | string, input: CommitInput): SimCommit {
    const repo = this.repoOf(repoRef);
    const date = input.date ?? input.author?.date ?? this.nowIso();
    const author: SimCommitAuthor = {
      name: input.author?.name ?? input.author?.login ?? 'Monalisa Octocat',
      email: input.author?.email ?? `${input.author?.login ?? 'octocat'}@users.noreply.github.com`,
      date,
      login: input.author?.login ?? null,
    };
    if (author.login) this.user(author.login);
    const committer: SimCommitAuthor = { ...author, ...(input.committer ?? {}), date: input.committer?.date ?? date };
    const parents = input.parents ?? [];
    const sha =
      input.sha ??
      createHash('sha1')
        .update(JSON.stringify([repo.full_name, input.message, parents, author, this.nextId]))
        .digest('hex');
    const commit: SimCommit = { sha, node_id: '', message: input.message, parents: [...parents], author, committer };
    commit.node_id = this.register('C', 'Commit', sha, { kind: 'Commit', repo, commit });
    this.newId();
    repo.commits.set(sha, commit);
    if (date > repo.pushed_at) repo.pushed_at = date;
    return commit;
  }

  /**
   * Appends a linear history on `branch` (created if missing) and moves the branch to the last commit.
   * Returns the new commits, oldest first.
   */
  commitOn(repoRef: SimRepository | string, branch: string, commits: Array<CommitInput | string>): SimCommit[] {
    const repo = this.repoOf(repoRef);
    let parent = repo.refs.get(`refs/heads/${branch}`);
    const out: SimCommit[] = [];
    for (const c of commits) {
      const input = typeof c === 'string' ? { message: c } : c;
      const commit = this.addCommit(repo, { ...input, parents: input.parents ?? (parent ? [parent] : []) });
      parent = commit.sha;
      out.push(commit);
    }
    if (parent) repo.refs.set(`refs/heads/${branch}`, parent);
    return out;
  }

  /** Sets `ref` (`refs/heads/x`, `refs/tags/v1`, or a short `heads/x` / `tags/v1`) to `sha`. */
  setRef(repoRef: SimRepository | string, ref: string, sha: string): void {
    const repo = this.repoOf(repoRef);
    repo.refs.set(ref.startsWith('refs/') ? ref : `refs/${ref}`, sha);
  }

  /** A lightweight tag at `sha` (default: the default branch's head). */
  createTag(repoRef: SimRepository | string, tag: string, sha?: string): string {
    const repo = this.repoOf(repoRef);
    const target = sha ?? this.resolveRef(repo, repo.default_branch);
    if (!target) throw new SimError(422, 'Reference does not exist');
    repo.refs.set(`refs/tags/${tag}`, target);
    return target;
  }

  /** A branch, tag, full ref, or (abbreviated) sha -> sha; undefined if unknown. */
  resolveRef(repoRef: SimRepository | string, ref: string): string | undefined {
    const repo = this.repoOf(repoRef);
    if (repo.commits.has(ref)) return ref;
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`]) {
      const sha = repo.refs.get(candidate);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      for (const sha of repo.commits.keys()) if (sha.startsWith(ref)) return sha;
    }
    return undefined;
  }

  private ancestors(repo: SimRepository, sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      const c = repo.commits.get(s);
      if (c) stack.push(...c.parents);
    }
    return seen;
  }

  /** `base...head` by ancestry over the commit DAG, like GitHub's compare. Throws 404 for unknown refs. */
  compare(repoRef: SimRepository | string, base: string, head: string): CompareResult {
    const repo = this.repoOf(repoRef);
    const b = this.resolveRef(repo, base);
    const h = this.resolveRef(repo, head);
    if (!b || !h) throw new SimError(404, `No commit found for the ref ${!b ? base : head}`);
    const ofBase = this.ancestors(repo, b);
    const ofHead = this.ancestors(repo, h);
    const aheadSet = [...ofHead].filter((s) => !ofBase.has(s));
    const behind = [...ofBase].filter((s) => !ofHead.has(s)).length;
    // merge base: the common ancestor reached first walking back from head
    let mergeBase: string | null = null;
    const queue = [h];
    const seen = new Set<string>();
    while (queue.length && !mergeBase) {
      const s = queue.shift()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (ofBase.has(s)) mergeBase = s;
      else queue.push(...(repo.commits.get(s)?.parents ?? []));
    }
    const commits = topoOldestFirst(repo, new Set(aheadSet));
    const status = aheadSet.length === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : aheadSet.length === 0 ? 'behind' : 'diverged';
    return { status, ahead_by: aheadSet.length, behind_by: behind, merge_base: mergeBase, base: b, head: h, commits };
  }

  /** Sets the text of `path` at `ref` (default: the default branch). */
  setContent(repoRef: SimRepository | string, path: string, text: string, ref?: string): void {
    const repo = this.repoOf(repoRef);
    const key = ref ?? repo.default_branch;
    let files = repo.contents.get(key);
    if (!files) repo.contents.set(key, (files = new Map()));
    files.set(path.replace(/^\/+/, ''), text);
  }

  /** The text of `path` at `ref` (a branch/tag/sha key of `contents`, or the default branch when `ref` resolves to its head). */
  getContent(repoRef: SimRepository | string, path: string, ref?: string): string | undefined {
    const repo = this.repoOf(repoRef);
    const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
    const key = ref ?? repo.default_branch;
    const direct = repo.contents.get(key) ?? repo.contents.get(key.replace(/^refs\/(heads|tags)\//, ''));
    if (direct) return direct.get(clean);
    const sha = this.resolveRef(repo, key);
    if (sha) {
      for (const [k, files] of repo.contents) if (this.resolveRef(repo, k) === sha) return files.get(clean);
      if (sha === this.resolveRef(repo, repo.default_branch) || !repo.refs.size) return repo.contents.get(repo.default_branch)?.get(clean);
    }
    return undefined;
  }

  /** Paths directly under directory `dir` at `ref` (files and sub-directories). */
  listDirectory(repoRef: SimRepository | string, dir: string, ref?: string): Array<{ path: string; type: 'file' | 'dir' }> | undefined {
    const repo = this.repoOf(repoRef);
    const key = ref ?? repo.default_branch;
    const files = repo.contents.get(key) ?? repo.contents.get(repo.default_branch);
    if (!files) return undefined;
    const prefix = dir.replace(/^\/+/, '').replace(/\/+$/, '');
    const out = new Map<string, 'file' | 'dir'>();
    for (const p of files.keys()) {
      if (prefix && !p.startsWith(`${prefix}/`)) continue;
      const rest = prefix ? p.slice(prefix.length + 1) : p;
      const [first, ...more] = rest.split('/');
      out.set(prefix ? `${prefix}/${first}` : first!, more.length ? 'dir' : 'file');
    }
    if (!out.size) return undefined;
    return [...out].map(([path, type]) => ({ path, type })).sort((a, b) => a.path.localeCompare(b.path));
  }

  // ----- releases -----

  createRelease(repoRef: SimRepository | string, input: ReleaseInput): SimRelease {
    const repo = this.repoOf(repoRef);
    if (!input.draft && repo.releases.some((r) => r.tag_name === input.tag_name && !r.draft)) {
      throw new SimError(422, 'Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
    }
    const id = this.newId(input.id);
    const at = input.created_at ?? this.nowIso();
    const draft = input.draft ?? false;
    const rel: SimRelease = {
      id,
      node_id: '',
      tag_name: input.tag_name,
      target_commitish: input.target_commitish ?? repo.default_branch,
      name: input.name ?? null,
      body: input.body ?? null,
      draft,
      prerelease: input.prerelease ?? false,
      created_at: at,
      published_at: draft ? null : (input.published_at ?? at),
      author: this.user(input.author ?? ACTIONS_BOT).login,
    };
    rel.node_id = this.register('RE', 'Release', id, { kind: 'Release', repo, release: rel });
    repo.releases.push(rel);
    if (!draft && !repo.refs.has(`refs/tags/${rel.tag_name}`)) {
      const sha = this.resolveRef(repo, rel.target_commitish);
      if (sha) repo.refs.set(`refs/tags/${rel.tag_name}`, sha);
    }
    return rel;
  }

  release(repoRef: SimRepository | string, id: number): SimRelease | undefined {
    return this.repoOf(repoRef).releases.find((r) => r.id === id);
  }

  updateRelease(repoRef: SimRepository | string, id: number, patch: Partial<Omit<ReleaseInput, 'id' | 'author'>>): SimRelease {
    const repo = this.repoOf(repoRef);
    const rel = this.release(repo, id);
    if (!rel) throw new SimError(404, 'Not Found');
    if (patch.tag_name !== undefined) rel.tag_name = patch.tag_name;
    if (patch.target_commitish !== undefined) rel.target_commitish = patch.target_commitish;
    if (patch.name !== undefined) rel.name = patch.name;
    if (patch.body !== undefined) rel.body = patch.body;
    if (patch.prerelease !== undefined) rel.prerelease = patch.prerelease;
    if (patch.draft !== undefined && patch.draft !== rel.draft) {
      rel.draft = patch.draft;
      rel.published_at = patch.draft ? null : this.nowIso();
      if (!patch.draft && !repo.refs.has(`refs/tags/${rel.tag_name}`)) {
        const sha = this.resolveRef(repo, rel.target_commitish);
        if (sha) repo.refs.set(`refs/tags/${rel.tag_name}`, sha);
      }
    }
    return rel;
  }

  deleteRelease(repoRef: SimRepository | string, id: number): void {
    const repo = this.repoOf(repoRef);
    const idx = repo.releases.findIndex((r) => r.id === id);
    if (idx < 0) throw new SimError(404, 'Not Found');
    repo.releases.splice(idx, 1);
  }

  /** The latest published, non-prerelease release (by published_at, then id). */
  latestRelease(repoRef: SimRepository | string): SimRelease | undefined {
    const list = this.repoOf(repoRef).releases.filter((r) => !r.draft && !r.prerelease);
    return list.sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? '') || b.id - a.id)[0];
  }

  /** Releases newest first, as GitHub lists them. */
  listReleases(repoRef: SimRepository | string): SimRelease[] {
    return [...this.repoOf(repoRef).releases].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  }

  // ----- Actions artifacts -----

  /** Records an artifact uploaded by run `run_id` of `repo`; it expires `retention_days` (default 90) from now. */
  createArtifact(repoRef: SimRepository | string, input: ArtifactInput): SimArtifact {
    const repo = this.repoOf(repoRef);
    const id = this.newId();
    const at = this.nowIso();
    const days = input.retention_days ?? 90;
    if (!Number.isInteger(days) || days < 1 || days > 90) throw new SimError(422, `retention_days must be a whole number from 1 to 90, got ${String(days)}`);
    const hash = createHash('sha256');
    let size = 0;
    for (const [file, data] of [...input.files].sort(([a], [b]) => a.localeCompare(b))) {
      hash.update(file).update('\0').update(data);
      size += data.length;
    }
    const artifact: SimArtifact = {
      id,
      node_id: nodeId('A', 'Artifact', id),
      name: input.name,
      repository_id: repo.id,
      run_id: input.run_id,
      head_repository_id: input.head_repository_id ?? repo.id,
      head_branch: input.head_branch ?? repo.default_branch,
      head_sha: input.head_sha,
      size_in_bytes: size,
      digest: `sha256:${hash.digest('hex')}`,
      created_at: at,
      updated_at: at,
      expires_at: iso(new Date(this.now.getTime() + days * 24 * 60 * 60 * 1000)),
      files: new Map(input.files),
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Whether an artifact's retention has run out by the store clock. */
  artifactExpired(a: SimArtifact): boolean {
    return Date.parse(a.expires_at) <= this.now.getTime();
  }

  /** The artifacts of a repository (optionally of one run and/or name), newest first as GitHub lists them. */
  listArtifacts(repoRef: SimRepository | string, filter: { run_id?: number; name?: string } = {}): SimArtifact[] {
    const repo = this.repoOf(repoRef);
    return this.artifacts
      .filter((a) => a.repository_id === repo.id && (filter.run_id === undefined || a.run_id === filter.run_id) && (filter.name === undefined || a.name === filter.name))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  }

  /** One artifact of a repository by id, or undefined. */
  artifact(repoRef: SimRepository | string, id: number): SimArtifact | undefined {
    const repo = this.repoOf(repoRef);
    return this.artifacts.find((a) => a.id === id && a.repository_id === repo.id);
  }

  /** Deletes an artifact (upload-artifact's `overwrite: true` replaces one of the same run and name). */
  deleteArtifact(repoRef: SimRepository | string, id: number): void {
    const repo = this.repoOf(repoRef);
    const idx = this.artifacts.findIndex((a) => a.id === id && a.repository_id === repo.id);
    if (idx < 0) throw new SimError(404, 'Not Found');
    this.artifacts.splice(idx, 1);
  }

  // ----- snapshots -----

  /** Loads a snapshot (see the package README) into this store. */
  load(snapshot: Snapshot): this {
    loadSnapshot(this, snapshot);
    return this;
  }
}

const EVENT_PREFIX: Partial<Record<SimEventKind, string>> = {
  labeled: 'LE',
  unlabeled: 'ULE',
  closed: 'CE',
  reopened: 'REE',
  marked_as_duplicate: 'MADE',
  'cross-referenced': 'CRE',
  connected: 'CNE',
  assigned: 'AE',
  unassigned: 'UAE',
  commented: 'IC',
  locked: 'LOE',
  unlocked: 'ULOE',
  renamed: 'RTE',
  merged: 'ME',
};

/** A deterministic fake commit sha for refs that have no commit in the store. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function normalizeFile(f: Partial<SimPullFile> & { filename: string }): SimPullFile {
  const additions = f.additions ?? 0;
  const deletions = f.deletions ?? 0;
  const out: SimPullFile = {
    sha: f.sha ?? fakeSha(`file:${f.filename}:${f.patch ?? ''}`),
    filename: f.filename,
    status: f.status ?? 'modified',
    additions,
    deletions,
    changes: f.changes ?? additions + deletions,
  };
  if (f.patch !== undefined) out.patch = f.patch;
  if (f.previous_filename !== undefined) out.previous_filename = f.previous_filename;
  return out;
}

function topoOldestFirst(repo: SimRepository, set: Set<string>): SimCommit[] {
  const out: SimCommit[] = [];
  const visited = new Set<string>();
  const visit = (sha: string): void => {
    // iterative DFS post-order so long histories don't blow the stack
    const stack: Array<{ sha: string; done: boolean }> = [{ sha, done: false }];
    while (stack.length) {
      const top = stack.pop()!;
      if (top.done) {
        const c = repo.commits.get(top.sha);
        if (c) out.push(c);
        continue;
      }
      if (visited.has(top.sha)) continue;
      visited.add(top.sha);
      stack.push({ sha: top.sha, done: true });
      const parents = repo.commits.get(top.sha)?.parents ?? [];
      for (const p of [...parents].reverse()) if (set.has(p) && !visited.has(p)) stack.push({ sha: p, done: false });
    }
  };
  const sorted = [...set].sort((a, b) => (repo.commits.get(a)?.committer.date ?? '').localeCompare(repo.commits.get(b)?.committer.date ?? ''));
  for (const s of sorted) visit(s);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Snapshot format
// ---------------------------------------------------------------------------------------------

export interface SnapshotComment {
  id?: number;
  body: string;
  user?: UserRef;
  created_at?: string;
  updated_at?: string;
  author_association?: AuthorAssociation;
  reactions?: SnapshotReaction[];
}

export interface SnapshotReaction {
  content: ReactionContent;
  user: UserRef;
  created_at?: string;
}

export interface SnapshotEvent {
  event: SimEventKind;
  actor?: UserRef;
  created_at?: string;
  label?: { name: string; color?: string };
  assignee?: string;
  state_reason?: StateReason;
  commit_id?: string | null;
  source?: { repository?: string; number: number };
  subject?: { repository?: string; number: number };
}

export interface SnapshotIssue extends Omit<CreateIssueInput, 'events'> {
  number: number;
  comments?: SnapshotComment[];
  reactions?: SnapshotReaction[];
  /** extra timeline events (labeled/assigned/closed events for the initial state are added automatically) */
  events?: SnapshotEvent[];
  /** present for pull requests */
  pull_request?: Omit<CreatePullInput, keyof CreateIssueInput>;
}

export interface SnapshotRepository extends Omit<CreateRepoInput, 'owner'> {
  owner: UserRef;
  labels?: Array<{ name: string; color?: string; description?: string | null; id?: number }>;
  milestones?: Array<{ number?: number; title: string; description?: string | null; state?: IssueState; due_on?: string | null }>;
  issues?: SnapshotIssue[];
  /** commits in any order; parents must be listed in the snapshot */
  commits?: CommitInput[];
  /** `refs/heads/main` or `heads/main` -> sha (or a commit message's sha given in commits) */
  refs?: Record<string, string>;
  releases?: ReleaseInput[];
  /** ref -> path -> text; a plain `path -> text` map means the default branch */
  contents?: Record<string, Record<string, string> | string>;
}

/** The JSON state format accepted by `startSim({ snapshot })` and `store.load()`; GitHub field names. */
export interface Snapshot {
  /** the sim clock, ISO 8601 */
  now?: string;
  users?: Array<UserRef & object>;
  teams?: Array<{ org: string; slug: string; name?: string; description?: string | null; members?: string[] }>;
  /** token -> { login, permissions } */
  tokens?: Record<string, { login: string; permissions?: Record<string, AccessLevel> }>;
  repositories?: SnapshotRepository[];
}

function loadSnapshot(store: Store, snap: Snapshot): void {
  if (snap.now) store.now = new Date(snap.now);
  for (const u of snap.users ?? []) store.addUser(u);
  for (const t of snap.teams ?? []) store.addTeam(t);
  for (const [token, t] of Object.entries(snap.tokens ?? {})) store.addToken(token, t.login, t.permissions ?? { issues: 'write', pull_requests: 'write', contents: 'write' });
  const deferred: Array<() => void> = [];
  for (const r of snap.repositories ?? []) {
    const repo = store.createRepo(r);
    for (const l of r.labels ?? []) if (!store.findLabel(repo, l.name)) store.createLabel(repo, l);
    for (const m of r.milestones ?? []) store.createMilestone(repo, m);
    const pending = new Map((r.commits ?? []).map((c, i) => [c.sha ?? `#${i}`, c]));
    const addWithParents = (key: string): void => {
      const c = pending.get(key);
      if (!c) return;
      pending.delete(key);
      for (const p of c.parents ?? []) addWithParents(p);
      store.addCommit(repo, c);
    };
    for (const key of [...pending.keys()]) addWithParents(key);
    for (const [ref, sha] of Object.entries(r.refs ?? {})) store.setRef(repo, ref, sha);
    if (r.contents) {
      for (const [key, value] of Object.entries(r.contents)) {
        if (typeof value === 'string') store.setContent(repo, key, value);
        else for (const [path, text] of Object.entries(value)) store.setContent(repo, path, text, key);
      }
    }
    const issues = [...(r.issues ?? [])].sort((a, b) => a.number - b.number);
    for (const i of issues) {
      const { comments, reactions, events, pull_request, ...rest } = i;
      if (pull_request) {
        const { closing_issues, ...prRest } = pull_request;
        store.createPull(repo, { ...rest, ...prRest });
        if (closing_issues?.length) {
          deferred.push(() => {
            for (const c of closing_issues) {
              const ref = typeof c === 'number' ? { repository: repo.full_name, number: c } : { repository: c.repository ?? repo.full_name, number: c.number };
              const target = store.repo(ref.repository)?.issues.get(ref.number);
              const pr = repo.issues.get(i.number)?.pull_request;
              if (!pr) continue;
              pr.closing_issues.push(ref);
              if (target) {
                const targetRepo = store.mustRepo(ref.repository);
                store.recordEvent(targetRepo, ref.number, { event: 'connected', actor: repo.issues.get(i.number)!.user, subject: { repository: repo.full_name, number: i.number }, created_at: i.created_at ?? store.nowIso() });
              }
            }
          });
        }
      } else {
        store.createIssue(repo, rest);
      }
      for (const c of comments ?? []) {
        const made = store.createComment(repo, i.number, c);
        for (const rx of c.reactions ?? []) store.addReaction(repo, { comment: made.id }, rx.user, rx.content, rx.created_at);
      }
      for (const rx of reactions ?? []) store.addReaction(repo, { issue: i.number }, rx.user, rx.content, rx.created_at);
      for (const e of events ?? []) {
        deferred.push(() =>
          store.recordEvent(repo, i.number, {
            event: e.event,
            actor: store.user(e.actor ?? ACTIONS_BOT).login,
            ...(e.created_at ? { created_at: e.created_at } : {}),
            ...(e.label ? { label: { name: e.label.name, color: e.label.color ?? store.findLabel(repo, e.label.name)?.color ?? 'ededed' } } : {}),
            ...(e.assignee ? { assignee: store.user(e.assignee).login } : {}),
            ...(e.state_reason !== undefined ? { state_reason: e.state_reason } : {}),
            ...(e.commit_id !== undefined ? { commit_id: e.commit_id } : {}),
            ...(e.source ? { source: { repository: e.source.repository ?? repo.full_name, number: e.source.number } } : {}),
            ...(e.subject ? { subject: { repository: e.subject.repository ?? repo.full_name, number: e.subject.number } } : {}),
          }),
        );
      }
    }
    for (const rel of r.releases ?? []) store.createRelease(repo, rel);
  }
  for (const f of deferred) f();
  // keep each timeline in time order (explicit events may be older than the seeded state's events)
  for (const repo of store.repos.values()) {
    for (const issue of repo.issues.values()) issue.timeline.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
  }
}
