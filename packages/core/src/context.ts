import { readFileSync } from 'node:fs';
import { graphqlUrlFor } from './octokit.ts';

/** A GitHub account as webhook payloads carry it. */
export interface WebhookUser {
  login: string;
  id: number;
  type?: 'User' | 'Bot' | 'Organization' | string;
  html_url?: string;
}

/** A label as webhook payloads carry it. */
export interface WebhookLabel {
  id?: number;
  name: string;
  color?: string;
  description?: string | null;
}

/** What an issue and a pull request payload have in common. */
interface WebhookItem {
  id: number;
  node_id?: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed' | string;
}

/** The issue of an `issues` or `issue_comment` event (a pull request when `pull_request` is set). */
export interface WebhookIssue extends WebhookItem {
  state_reason?: string | null;
  locked?: boolean;
  user: WebhookUser | null;
  labels?: WebhookLabel[];
  assignees?: WebhookUser[];
  milestone?: { title: string; number: number; due_on?: string | null } | null;
  author_association?: string;
  html_url: string;
  created_at: string;
  updated_at?: string;
  closed_at?: string | null;
  comments?: number;
  pull_request?: { url?: string; html_url?: string; merged_at?: string | null } | null;
}

/** The comment of an `issue_comment` event. */
export interface WebhookComment {
  id: number;
  node_id?: string;
  body: string;
  user: WebhookUser | null;
  html_url: string;
  created_at: string;
  updated_at?: string;
  author_association?: string;
}

/** A branch end of a pull request. */
export interface WebhookPullRequestRef {
  ref: string;
  sha: string;
  label?: string;
  repo: { full_name: string; fork?: boolean; name?: string; owner?: WebhookUser } | null;
}

/** The pull request of a `pull_request` / `pull_request_target` event. */
export interface WebhookPullRequest extends WebhookItem {
  draft?: boolean;
  merged?: boolean | null;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  user: WebhookUser | null;
  labels?: WebhookLabel[];
  author_association?: string;
  html_url: string;
  created_at: string;
  base: WebhookPullRequestRef;
  head: WebhookPullRequestRef;
}

/** The release of a `release` event. */
export interface WebhookRelease {
  id: number;
  node_id?: string;
  tag_name: string;
  target_commitish?: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  created_at?: string;
  published_at: string | null;
  author?: WebhookUser;
}

/** The repository of an event. */
export interface WebhookRepository {
  id?: number;
  name: string;
  full_name: string;
  owner: WebhookUser;
  default_branch?: string;
  private?: boolean;
  fork?: boolean;
  html_url?: string;
}

/** An event payload: the fields the actions read are typed, the rest is `unknown`. */
export interface WebhookPayload {
  action?: string;
  issue?: WebhookIssue;
  comment?: WebhookComment;
  pull_request?: WebhookPullRequest;
  release?: WebhookRelease;
  repository?: WebhookRepository;
  sender?: WebhookUser;
  label?: WebhookLabel;
  changes?: Record<string, { from: unknown }>;
  inputs?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Everything an action needs to know about the workflow run that started it. */
export interface EventContext {
  /** `GITHUB_EVENT_NAME`: `issues`, `issue_comment`, `pull_request`, `release`, `schedule`, … */
  eventName: string;
  /** `payload.action` (`opened`, `created`, `published`, …), when the event has one. */
  action: string | undefined;
  /** The event payload from `GITHUB_EVENT_PATH`. */
  payload: WebhookPayload;
  /** The repository the workflow runs in (`GITHUB_REPOSITORY`). */
  repo: { owner: string; repo: string };
  /** `GITHUB_ACTOR`. */
  actor: string;
  /** `GITHUB_REF` (`refs/heads/main`, `refs/pull/1/merge`, `refs/tags/v1.0.0`). */
  ref: string;
  /** `GITHUB_SHA`. */
  sha: string;
  /** `GITHUB_WORKSPACE`: where the repository is checked out (empty when not set). */
  workspace: string;
  /** REST base URL (`GITHUB_API_URL`, default `https://api.github.com`). */
  apiUrl: string;
  /** GraphQL endpoint (`GITHUB_GRAPHQL_URL`, default derived from `apiUrl`). */
  graphqlUrl: string;
  /** Web URL (`GITHUB_SERVER_URL`, default `https://github.com`). */
  serverUrl: string;
  /** `GITHUB_RUN_ID` (0 when not set). */
  runId: number;
}

/** A problem with the environment the action runs in (not the user's configuration). */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

const strip = (url: string): string => url.replace(/\/+$/, '');

/**
 * Reads the event context from the runner's environment: event name, payload (parsed from
 * `GITHUB_EVENT_PATH`), repository, actor, ref, sha, workspace and the URLs of the GitHub
 * instance (github.com or Enterprise Server).
 *
 * @throws ContextError when `GITHUB_EVENT_PATH` is missing or not JSON, or the repository is unknown
 */
export function readContext(env: NodeJS.ProcessEnv = process.env): EventContext {
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (!eventPath) {
    throw new ContextError('GITHUB_EVENT_PATH is not set: run this inside a GitHub Actions workflow (or set it to an event payload file).');
  }
  let text: string;
  try {
    text = readFileSync(eventPath, 'utf8');
  } catch (error) {
    throw new ContextError(`Cannot read the event payload at GITHUB_EVENT_PATH=${eventPath}: ${(error as Error).message}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new ContextError(`The event payload at ${eventPath} is not valid JSON: ${(error as Error).message}`);
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ContextError(`The event payload at ${eventPath} is not a JSON object.`);
  }
  const typed = payload as WebhookPayload;

  const fullName = env['GITHUB_REPOSITORY'] || typed.repository?.full_name || '';
  const [owner, repo, ...extra] = fullName.split('/');
  if (!owner || !repo || extra.length > 0) {
    throw new ContextError(`GITHUB_REPOSITORY must look like "owner/repo" (got "${fullName}").`);
  }

  const apiUrl = strip(env['GITHUB_API_URL'] || 'https://api.github.com');
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    action: typeof typed.action === 'string' ? typed.action : undefined,
    payload: typed,
    repo: { owner, repo },
    actor: env['GITHUB_ACTOR'] ?? typed.sender?.login ?? '',
    ref: env['GITHUB_REF'] ?? '',
    sha: env['GITHUB_SHA'] ?? '',
    workspace: env['GITHUB_WORKSPACE'] ?? '',
    apiUrl,
    graphqlUrl: strip(env['GITHUB_GRAPHQL_URL'] || graphqlUrlFor(apiUrl)),
    serverUrl: strip(env['GITHUB_SERVER_URL'] || 'https://github.com'),
    runId: Number(env['GITHUB_RUN_ID'] ?? 0) || 0,
  };
}

/** `value` when it is an object whose `key` has the type `type` (a payload part as GitHub sends it), else `undefined`. */
function part<T>(value: unknown, key: string, type: 'number' | 'string'): T | undefined {
  return value && typeof value === 'object' && typeof (value as Record<string, unknown>)[key] === type ? (value as T) : undefined;
}

/** The issue of an `issues` or `issue_comment` event (pull requests included; see {@link isPullRequestIssue}). */
export function getIssue(context: Pick<EventContext, 'payload'>): WebhookIssue | undefined {
  return part<WebhookIssue>(context.payload.issue, 'number', 'number');
}

/** The comment of an `issue_comment` (or review comment) event. */
export function getComment(context: Pick<EventContext, 'payload'>): WebhookComment | undefined {
  return part<WebhookComment>(context.payload.comment, 'id', 'number');
}

/** The pull request of a `pull_request` / `pull_request_target` / review event. */
export function getPullRequest(context: Pick<EventContext, 'payload'>): WebhookPullRequest | undefined {
  return part<WebhookPullRequest>(context.payload.pull_request, 'number', 'number');
}

/** The release of a `release` event. */
export function getRelease(context: Pick<EventContext, 'payload'>): WebhookRelease | undefined {
  return part<WebhookRelease>(context.payload.release, 'tag_name', 'string');
}

/** True when an issue payload is really a pull request (an `issue_comment` on a PR). */
export function isPullRequestIssue(issue: WebhookIssue): boolean {
  return issue.pull_request !== undefined && issue.pull_request !== null;
}

/**
 * True when the event's pull request comes from a fork: its token is read-only and secrets are
 * absent, so actions degrade to reporting instead of writing.
 */
export function isForkPullRequest(context: Pick<EventContext, 'payload'>): boolean {
  const pr = getPullRequest(context);
  if (!pr) return false;
  const head = pr.head.repo?.full_name;
  return pr.head.repo === null || (head !== undefined && head !== pr.base.repo?.full_name);
}

/**
 * Narrows the context to an event name (and optionally an action): `isEvent(ctx, 'issues', 'opened')`.
 */
export function isEvent(context: Pick<EventContext, 'eventName' | 'action'>, eventName: string, ...actions: string[]): boolean {
  if (context.eventName !== eventName) return false;
  return actions.length === 0 || (context.action !== undefined && actions.includes(context.action));
}

/**
 * The events an action handles: event name → the actions handled (an empty list: any action, or an event
 * without actions such as `push` or `workflow_dispatch`).
 */
export type SupportedEvents = Readonly<Record<string, readonly string[]>>;

/**
 * `null` when the action handles the event, else the notice to log before a clean exit (exit 0, no writes):
 * it names the event (and its action) and the supported ones, e.g. "draft-release-notes runs on push,
 * pull_request (closed) and workflow_dispatch; nothing to do for watch.started."
 *
 * @param context - the event (`eventName`, `action`)
 * @param supported - the events handled (see {@link SupportedEvents})
 * @param name - the action's name, for the notice (default "this action")
 */
export function unsupportedEvent(context: Pick<EventContext, 'eventName' | 'action'>, supported: SupportedEvents, name = 'this action'): string | null {
  const actions = Object.hasOwn(supported, context.eventName) ? supported[context.eventName] : undefined;
  if (actions && (actions.length === 0 || (context.action !== undefined && actions.includes(context.action)))) return null;
  const list = Object.entries(supported).map(([event, acts]) => (acts.length > 0 ? `${event} (${acts.join(', ')})` : event));
  const events = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : (list[0] ?? 'no event');
  return `${name} runs on ${events}; nothing to do for ${context.eventName}${context.action ? `.${context.action}` : ''}.`;
}
