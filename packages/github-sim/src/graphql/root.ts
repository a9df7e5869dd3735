/** Query and Mutation roots: the entry points of every GraphQL call. */
import { SimError, type NodeTarget, type SimIssue, type SimRepository } from '../store.ts';
import { searchIssues, type SearchHit } from '../search.ts';
import { paginate, paginateMap, type PageArgs } from './connection.ts';
import { GithubFieldError } from './field-error.ts';
import { MAX_COMMENT_BODY, tooLong } from '../limits.ts';
import {
  actorModel,
  commentModel,
  issueModel,
  nodeModel,
  repoModel,
  userModel,
  type GraphqlContext,
  type Model,
} from './models.ts';

type Args = Record<string, unknown>;

const REACTIONS: Record<string, '+1' | '-1' | 'laugh' | 'hooray' | 'confused' | 'heart' | 'rocket' | 'eyes'> = {
  THUMBS_UP: '+1',
  THUMBS_DOWN: '-1',
  LAUGH: 'laugh',
  HOORAY: 'hooray',
  CONFUSED: 'confused',
  HEART: 'heart',
  ROCKET: 'rocket',
  EYES: 'eyes',
};

export function queryRoot(ctx: GraphqlContext): Model {
  const { store } = ctx;
  return {
    __typename: 'Query',
    repository: (a: Args) => {
      const repo = store.repo(a['owner'] as string, a['name'] as string);
      if (!repo) {
        throw new GithubFieldError('NOT_FOUND', `Could not resolve to a Repository with the name '${String(a['owner'])}/${String(a['name'])}'.`);
      }
      return repoModel(ctx, repo);
    },
    viewer: () => userModel(ctx.viewer, true),
    user: (a: Args) => {
      const u = store.findUser(a['login'] as string);
      if (!u || u.type !== 'User') throw new GithubFieldError('NOT_FOUND', `Could not resolve to a User with the login of '${String(a['login'])}'.`);
      return userModel(u);
    },
    organization: (a: Args) => {
      const u = store.findUser(a['login'] as string);
      if (!u || u.type !== 'Organization') {
        throw new GithubFieldError('NOT_FOUND', `Could not resolve to an Organization with the login of '${String(a['login'])}'.`);
      }
      return userModel(u);
    },
    repositoryOwner: (a: Args) => {
      const u = store.findUser(a['login'] as string);
      return u && u.type !== 'Bot' ? userModel(u) : null;
    },
    search: (a: Args) => {
      const type = a['type'] as string;
      const raw = String(a['query'] ?? '');
      if (type !== 'ISSUE' && type !== 'ISSUE_ADVANCED') {
        return { __typename: 'SearchResultItemConnection', ...paginate([], a as PageArgs, 'search'), issueCount: 0, repositoryCount: 0, userCount: 0, discussionCount: 0, wikiCount: 0, codeCount: 0 };
      }
      const sort = /(?:^|\s)sort:(created|updated|comments)(?:-(asc|desc))?/.exec(raw);
      let hits: SearchHit[];
      try {
        hits = searchIssues(store, raw.replace(/(?:^|\s)sort:\S+/g, ' '), { advanced: type === 'ISSUE_ADVANCED', sort: sort?.[1], order: sort?.[2] ?? 'desc' });
      } catch (error) {
        if (!(error instanceof SimError)) throw error;
        const detail = (error.errors?.[0] as { message?: string } | undefined)?.message;
        throw new GithubFieldError('UNPROCESSABLE', detail ?? error.message);
      }
      // GitHub serves at most 1,000 results; only the page's become models.
      const page = paginateMap(hits.slice(0, 1000), a as PageArgs, (h) => issueModel(ctx, h.repo, h.issue));
      return { __typename: 'SearchResultItemConnection', ...page, issueCount: hits.length };
    },
    rateLimit: () => ({ __typename: 'RateLimit', ...ctx.rateLimit, remaining: Math.max(0, ctx.rateLimit.limit - ctx.rateLimit.used) }),
    node: (a: Args) => {
      const m = nodeModel(ctx, store.findNode(a['id'] as string));
      if (!m) throw new GithubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(a['id'])}'`);
      return m;
    },
    nodes: (a: Args) => {
      const ids = a['ids'] as string[];
      if (ids.length > 100) throw new GithubFieldError('ARGUMENT_LIMIT', 'You may not request more than 100 nodes at once.');
      return ids.map((id) => {
        const m = nodeModel(ctx, store.findNode(id));
        if (!m) throw new GithubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
        return m;
      });
    },
  };
}

function requireWrite(ctx: GraphqlContext, pull: boolean): void {
  const p = ctx.permissions;
  if (!p) return;
  const ok = p['issues'] === 'write' || (pull && p['pull_requests'] === 'write');
  if (!ok) throw new GithubFieldError('FORBIDDEN', 'Resource not accessible by integration');
}

function subjectIssue(ctx: GraphqlContext, id: unknown): { repo: SimRepository; issue: SimIssue } {
  const target: NodeTarget | undefined = ctx.store.findNode(String(id));
  if (target && (target.kind === 'Issue' || target.kind === 'PullRequest')) return { repo: target.repo, issue: target.issue };
  throw new GithubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(id)}'.`);
}

function labelNames(ctx: GraphqlContext, ids: unknown): string[] {
  return (ids as string[]).map((id) => {
    const t = ctx.store.findNode(id);
    if (t?.kind !== 'Label') throw new GithubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'.`);
    return t.label.name;
  });
}

function input(a: Args): Args {
  return (a['input'] ?? {}) as Args;
}

/** The mutations the actions use; each one counts one write. */
export function mutationRoot(ctx: GraphqlContext): Model {
  const { store } = ctx;
  const actor = ctx.viewer.login;
  const write = <T>(fn: () => T): T => {
    const out = fn();
    ctx.writes++;
    return out;
  };
  return {
    __typename: 'Mutation',
    addComment: (a: Args) => {
      const inp = input(a);
      const { repo, issue } = subjectIssue(ctx, inp['subjectId']);
      requireWrite(ctx, Boolean(issue.pull_request));
      // requireWrite let the token through: it may write issues (or pull requests, for a pull request).
      if (issue.locked && !store.mayCommentLocked(repo, actor, true)) {
        throw new GithubFieldError('UNPROCESSABLE', 'Unable to create comment because issue is locked.');
      }
      const body = String(inp['body'] ?? '');
      if (tooLong(body, MAX_COMMENT_BODY)) throw new GithubFieldError('UNPROCESSABLE', `Body is too long (maximum is ${MAX_COMMENT_BODY} characters)`);
      const c = write(() => store.createComment(repo, issue.number, { body, user: actor }));
      const node = commentModel(ctx, repo, c);
      const edge = { __typename: 'IssueCommentEdge', cursor: Buffer.from(`cursor:v2:${issue.comment_ids.length - 1}`).toString('base64'), node };
      return {
        __typename: 'AddCommentPayload',
        clientMutationId: inp['clientMutationId'] ?? null,
        commentEdge: edge,
        subject: () => issueModel(ctx, repo, issue),
        timelineEdge: { __typename: 'IssueTimelineItemEdge', cursor: edge.cursor, node },
      };
    },
    updateIssueComment: (a: Args) => {
      const inp = input(a);
      const t = store.findNode(String(inp['id']));
      if (t?.kind !== 'IssueComment') {
        throw new GithubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(inp['id'])}'.`);
      }
      requireWrite(ctx, false);
      if (tooLong(inp['body'], MAX_COMMENT_BODY)) throw new GithubFieldError('UNPROCESSABLE', `Body is too long (maximum is ${MAX_COMMENT_BODY} characters)`);
      const c = write(() => store.updateComment(t.repo, t.comment.id, String(inp['body'] ?? '')));
      return { __typename: 'UpdateIssueCommentPayload', clientMutationId: inp['clientMutationId'] ?? null, issueComment: commentModel(ctx, t.repo, c) };
    },
    addLabelsToLabelable: (a: Args) => {
      const inp = input(a);
      const { repo, issue } = subjectIssue(ctx, inp['labelableId']);
      requireWrite(ctx, Boolean(issue.pull_request));
      const names = labelNames(ctx, inp['labelIds']);
      write(() => store.addLabels(repo, issue.number, names, actor));
      return { __typename: 'AddLabelsToLabelablePayload', clientMutationId: inp['clientMutationId'] ?? null, labelable: () => issueModel(ctx, repo, issue) };
    },
    removeLabelsFromLabelable: (a: Args) => {
      const inp = input(a);
      const { repo, issue } = subjectIssue(ctx, inp['labelableId']);
      requireWrite(ctx, Boolean(issue.pull_request));
      const names = labelNames(ctx, inp['labelIds']);
      write(() => {
        for (const n of names) if (issue.labels.some((l) => l.toLowerCase() === n.toLowerCase())) store.removeLabel(repo, issue.number, n, actor);
      });
      return {
        __typename: 'RemoveLabelsFromLabelablePayload',
        clientMutationId: inp['clientMutationId'] ?? null,
        labelable: () => issueModel(ctx, repo, issue),
      };
    },
    closeIssue: (a: Args) => {
      const inp = input(a);
      const { repo, issue } = subjectIssue(ctx, inp['issueId']);
      requireWrite(ctx, false);
      const reason = inp['stateReason'] === 'NOT_PLANNED' ? 'not_planned' : inp['stateReason'] === 'DUPLICATE' ? 'duplicate' : 'completed';
      write(() => store.closeIssue(repo, issue.number, actor, reason));
      return { __typename: 'CloseIssuePayload', clientMutationId: inp['clientMutationId'] ?? null, issue: () => issueModel(ctx, repo, issue) };
    },
    reopenIssue: (a: Args) => {
      const inp = input(a);
      const { repo, issue } = subjectIssue(ctx, inp['issueId']);
      requireWrite(ctx, false);
      write(() => store.reopenIssue(repo, issue.number, actor));
      return { __typename: 'ReopenIssuePayload', clientMutationId: inp['clientMutationId'] ?? null, issue: () => issueModel(ctx, repo, issue) };
    },
    addReaction: (a: Args) => {
      const inp = input(a);
      const t = store.findNode(String(inp['subjectId']));
      const content = REACTIONS[String(inp['content'])];
      if (!content) throw new GithubFieldError('UNPROCESSABLE', `Unknown reaction content '${String(inp['content'])}'`);
      let subject: Model;
      let reaction;
      if (t?.kind === 'Issue' || t?.kind === 'PullRequest') {
        requireWrite(ctx, t.kind === 'PullRequest');
        reaction = write(() => store.addReaction(t.repo, { issue: t.issue.number }, actor, content)).reaction;
        subject = issueModel(ctx, t.repo, t.issue);
      } else if (t?.kind === 'IssueComment') {
        requireWrite(ctx, false);
        reaction = write(() => store.addReaction(t.repo, { comment: t.comment.id }, actor, content)).reaction;
        subject = commentModel(ctx, t.repo, t.comment);
      } else {
        throw new GithubFieldError('NOT_FOUND', `Could not resolve to a node with the global id of '${String(inp['subjectId'])}'.`);
      }
      return {
        __typename: 'AddReactionPayload',
        clientMutationId: inp['clientMutationId'] ?? null,
        subject,
        reaction: {
          __typename: 'Reaction',
          id: reaction.node_id,
          databaseId: reaction.id,
          content: String(inp['content']),
          createdAt: reaction.created_at,
          user: () => actorModel(ctx, reaction.user),
        },
      };
    },
  };
}
