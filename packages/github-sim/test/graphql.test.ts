import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { startSim, type Sim } from '../src/index.ts';
import { computeCost, githubSchema, handleGraphql, schemaTimings } from '../src/graphql/index.ts';

const OWNER = 'octo-org';
const REPO = 'octo-repo';

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: Record<string, unknown>[];
}

async function gql(sim: Sim, query: string, variables?: Record<string, unknown>, token = 'test-token'): Promise<{ status: number; body: GqlBody }> {
  const res = await fetch(sim.graphqlUrl, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlBody };
}

/** Cost of a document as GitHub's documented arithmetic computes it. */
function costOf(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
  if (!op) throw new Error('no operation');
  return computeCost(githubSchema(), op, fragments, variables);
}

let sim: Sim;

beforeAll(async () => {
  sim = await startSim();
  const s = sim.store;
  const repo = s.createRepo({ owner: { login: OWNER, type: 'Organization' }, name: REPO });
  s.addUser({ login: 'renovate[bot]', type: 'Bot' });
  for (let n = 1; n <= 250; n++) {
    const author = n % 50 === 0 ? 'renovate[bot]' : `user${n % 7}`;
    s.createIssue(repo, { title: `Issue ${n}`, body: `Body ${n}`, user: author, labels: n % 3 === 0 ? ['bug'] : ['feature'] });
    s.createComment(repo, n, { body: `first comment on ${n}`, user: `user${(n + 1) % 7}` });
    if (n % 2 === 0) s.createComment(repo, n, { body: `second comment on ${n}`, user: 'github-actions[bot]' });
    s.addReaction(repo, { issue: n }, `user${(n + 2) % 7}`, '+1');
    if (n % 5 === 0) s.addReaction(repo, { issue: n }, `user${(n + 3) % 7}`, 'heart');
  }
  s.closeIssue(repo, 7, 'user1', 'not_planned');
});

afterAll(async () => {
  await sim?.stop();
});

describe('graphql: rejected like GitHub', () => {
  it('rejects an unknown field with GitHub undefinedField shape (HTTP 200)', async () => {
    const r = await gql(sim, `query {\n  repository(owner: "${OWNER}", name: "${REPO}") {\n    bogus\n  }\n}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      errors: [
        {
          path: ['query', 'repository', 'bogus'],
          extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'bogus' },
          locations: [{ line: 3, column: 5 }],
          message: "Field 'bogus' doesn't exist on type 'Repository'",
        },
      ],
    });
    expect(r.body).not.toHaveProperty('data');
  });

  it('rejects a connection without first/last, and first over 100', async () => {
    const missing = await gql(sim, `{ repository(owner: "${OWNER}", name: "${REPO}") { issues { nodes { number } } } }`);
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({
      errors: [
        {
          type: 'MISSING_PAGINATION_BOUNDARIES',
          path: ['repository', 'issues'],
          locations: [{ line: 1, column: 54 }],
          message: 'You must provide a `first` or `last` value to properly paginate the `issues` connection.',
        },
      ],
    });
    const nested = await gql(sim, `{ repository(owner: "${OWNER}", name: "${REPO}") { issues(first: 1) { nodes { comments { nodes { body } } } } } }`);
    expect(nested.body.errors?.[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES', path: ['repository', 'issues', 'nodes', 'comments'] });
    const excessive = await gql(sim, `query($n: Int!) { repository(owner: "${OWNER}", name: "${REPO}") { issues(first: $n) { nodes { number } } } }`, { n: 101 });
    expect(excessive.body.errors).toEqual([
      expect.objectContaining({
        type: 'EXCESSIVE_PAGINATION',
        message: 'Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.',
      }),
    ]);
    // totalCount alone needs no page size (github-readme-stats style `issues(states: OPEN) { totalCount }`)
    const count = await gql(sim, `{ repository(owner: "${OWNER}", name: "${REPO}") { issues(states: CLOSED) { totalCount } } }`);
    expect(count.body).toEqual({ data: { repository: { issues: { totalCount: 1 } } } });
  });

  it("accepts semantic-release's getRelatedIssues: `state` of differing enum types on Issue and PullRequest", async () => {
    // the shape @semantic-release/github 11 sends (lib/success.js buildRelatedIssuesQuery): the same
    // base fields inside `... on Issue` and `... on PullRequest`; graphql-js rejects `state`
    // (IssueState vs PullRequestState), graphql-ruby (GitHub) does not.
    const base = 'id number title state closedAt comments { totalCount } milestone { state } labels(first: 40) { nodes { name } } author { login __typename } locked';
    const issue = (n: number) => `issue${n}: issueOrPullRequest(number: ${n}) { ... on Issue { ${base} } ... on PullRequest { ${base} mergedAt isDraft commits { totalCount } } }`;
    const query = `query getRelatedIssues($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ${issue(7)} ${issue(9)} } }`;
    const r = await gql(sim, query, { owner: OWNER, repo: REPO });
    expect(r.body.errors).toBeUndefined();
    const repo = r.body.data?.['repository'] as Record<string, Record<string, unknown>>;
    expect(repo['issue7']).toMatchObject({ number: 7, state: 'CLOSED', title: 'Issue 7', comments: { totalCount: 1 } });
    expect(repo['issue9']).toMatchObject({ number: 9, state: 'OPEN', labels: { nodes: [{ name: 'bug' }] } });
    // the same with named fragments, and different fields under one response key on disjoint types
    const frag = await gql(
      sim,
      `{ repository(owner: "${OWNER}", name: "${REPO}") { issueOrPullRequest(number: 9) { ...I ...P } } }
       fragment I on Issue { state x: title c: comments(first: 1) { totalCount } }
       fragment P on PullRequest { state x: body c: comments(last: 1) { totalCount } }`,
    );
    expect(frag.body).toEqual({ data: { repository: { issueOrPullRequest: { state: 'OPEN', x: 'Issue 9', c: { totalCount: 1 } } } } });
  });

  it('still rejects real field merge conflicts in graphql-ruby fieldConflict shape', async () => {
    const args = await gql(sim, `{\n  repository(owner: "${OWNER}", name: "${REPO}") {\n    issue(number: 1) { title }\n    issue(number: 2) { title }\n  }\n}`);
    expect(args.body).toEqual({
      errors: [
        {
          path: [],
          extensions: { code: 'fieldConflict', fieldName: 'issue', conflicts: '{number:"1"} or {number:"2"}' },
          locations: [
            { line: 3, column: 5 },
            { line: 4, column: 5 },
          ],
          message: `Field 'issue' has an argument conflict: {number:"1"} or {number:"2"}?`,
        },
      ],
    });
    // a string argument is serialised as its GraphQL source, quotes included (as GitHub shows it)
    const strings = await gql(sim, '{ user(login: "a") { login } user(login: "b") { login } }');
    expect(strings.body.errors?.[0]?.['message']).toBe(String.raw`Field 'user' has an argument conflict: {login:"\"a\""} or {login:"\"b\""}?`);
    // same response key, different fields, on a type and an interface it implements: not disjoint
    const fields = await gql(
      sim,
      `{ repository(owner: "${OWNER}", name: "${REPO}") { issue(number: 1) { ... on Closable { x: closed } ... on Issue { x: title } } } }`,
    );
    expect(fields.body.errors).toEqual([
      expect.objectContaining({
        path: [],
        extensions: { code: 'fieldConflict', fieldName: 'x', conflicts: 'closed or title' },
        message: "Field 'x' has a field conflict: closed or title?",
      }),
    ]);
    // nested: differing arguments below two selections of the same issue
    const nested = await gql(
      sim,
      `{ repository(owner: "${OWNER}", name: "${REPO}") { issue(number: 1) { comments(first: 5) { totalCount } } issue(number: 1) { comments(last: 5) { totalCount } } } }`,
    );
    expect(nested.body.errors?.map((e) => e['message'])).toEqual([`Field 'comments' has an argument conflict: {first:"5"} or {last:"5"}?`]);
    expect(nested.body).not.toHaveProperty('data');
  });

  it('answers a malformed query with a graphql-ruby parse error', async () => {
    const r = await gql(sim, '{ repository(owner: "a", name: "b") { id }} }');
    expect(r.body).toEqual({ errors: [{ message: 'Parse error on "}" (RCURLY) at [1, 45]', locations: [{ line: 1, column: 45 }] }] });
  });

  it('rejects a bad argument literal and a bad variable value like graphql-ruby', async () => {
    const lit = await gql(sim, `{ repository(owner: "${OWNER}", name: "${REPO}") { issues(first: 1, states: [BOGUS]) { totalCount } } }`);
    expect(lit.body).toEqual({
      errors: [
        {
          path: ['query', 'repository', 'issues', 'states'],
          extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: 'states' },
          locations: [{ line: 1, column: 71 }],
          message: "Argument 'states' on Field 'issues' has an invalid value ([BOGUS]). Expected type '[IssueState!]'.",
        },
      ],
    });
    const v = await gql(sim, 'query($n: Int!) { repository(owner: "a", name: "b") { issue(number: $n) { id } } }', { n: null });
    expect(v.body).toEqual({
      errors: [
        {
          extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
          locations: [{ line: 1, column: 7 }],
          message: 'Variable $n of type Int! was provided invalid value',
        },
      ],
    });
  });

  it('reports an unknown repository as NOT_FOUND with data null', async () => {
    const r = await gql(sim, '{ repository(owner: "nobody", name: "nothing") { id } }');
    expect(r.body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 1, column: 3 }],
          message: "Could not resolve to a Repository with the name 'nobody/nothing'.",
        },
      ],
    });
  });
});

const PAGE_QUERY = `
query Page($owner: String!, $name: String!, $after: String) {
  rateLimit { cost nodeCount }
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title state stateReason
        author { login __typename }
        labels(first: 10) { nodes { name } }
        reactions(first: 10, content: THUMBS_UP) { totalCount nodes { user { login } } }
        reactionGroups { content reactors(first: 10) { totalCount } }
        comments(first: 20) {
          totalCount
          nodes { body createdAt author { login __typename } reactions(first: 5) { totalCount } }
        }
        timelineItems(first: 50, itemTypes: [LABELED_EVENT, ISSUE_COMMENT, CLOSED_EVENT]) {
          totalCount
          nodes {
            __typename
            ... on LabeledEvent { label { name } actor { login } }
            ... on IssueComment { body }
            ... on ClosedEvent { stateReason actor { login } }
          }
        }
      }
    }
  }
}`;

interface IssueNode {
  id: string;
  number: number;
  title: string;
  state: string;
  stateReason: string | null;
  author: { login: string; __typename: string };
  labels: { nodes: { name: string }[] };
  reactions: { totalCount: number; nodes: { user: { login: string } }[] };
  reactionGroups: { content: string; reactors: { totalCount: number } }[];
  comments: { totalCount: number; nodes: { body: string; author: { login: string; __typename: string } }[] };
  timelineItems: { totalCount: number; nodes: { __typename: string; body?: string; label?: { name: string }; stateReason?: string }[] };
}

describe('graphql: reads the store', () => {
  it('pages through 250 issues with nested comments, reactions and timeline in 3 queries', async () => {
    sim.resetCounters();
    const seen: IssueNode[] = [];
    let after: string | null = null;
    const pages: boolean[] = [];
    for (;;) {
      const r = await gql(sim, PAGE_QUERY, { owner: OWNER, name: REPO, after });
      expect(r.body.errors).toBeUndefined();
      const data = r.body.data as {
        rateLimit: { cost: number; nodeCount: number };
        repository: { issues: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: IssueNode[] } };
      };
      // 1 (issues) + 100 x 5 connections below it (labels, reactions, reactors, comments, timelineItems) + 100 x 20 (comment reactions) = 2,501
      expect(data.rateLimit.cost).toBe(Math.round((1 + 100 * 5 + 100 * 20) / 100));
      expect(data.repository.issues.totalCount).toBe(250);
      seen.push(...data.repository.issues.nodes);
      pages.push(data.repository.issues.pageInfo.hasNextPage);
      if (!data.repository.issues.pageInfo.hasNextPage) break;
      after = data.repository.issues.pageInfo.endCursor;
    }
    expect(pages).toEqual([true, true, false]);
    expect(sim.counters.graphqlQueries).toBe(3);
    expect(sim.counters.graphqlPoints).toBe(3 * 25);
    expect(seen.map((i) => i.number)).toEqual(Array.from({ length: 250 }, (_, k) => k + 1));

    const repo = sim.store.repo(OWNER, REPO);
    if (!repo) throw new Error('repo missing');
    for (const node of seen) {
      const issue = repo.issues.get(node.number);
      if (!issue) throw new Error(`issue ${node.number} missing`);
      expect(node.id).toBe(issue.node_id);
      expect(node.title).toBe(issue.title);
      expect(node.labels.nodes.map((l) => l.name)).toEqual(issue.labels);
      const comments = sim.store.commentsOf(repo, node.number);
      expect(node.comments.totalCount).toBe(comments.length);
      expect(node.comments.nodes.map((c) => c.body)).toEqual(comments.map((c) => c.body));
      const thumbs = issue.reactions.filter((x) => x.content === '+1');
      expect(node.reactions.totalCount).toBe(thumbs.length);
      expect(node.reactions.nodes.map((x) => x.user.login)).toEqual(thumbs.map((x) => x.user));
      const heart = node.reactionGroups.find((g) => g.content === 'HEART');
      expect(heart?.reactors.totalCount).toBe(issue.reactions.filter((x) => x.content === 'heart').length);
      expect(node.timelineItems.nodes.map((t) => t.__typename)).toEqual(
        issue.timeline
          .filter((e) => ['labeled', 'commented', 'closed'].includes(e.event))
          .map((e) => (e.event === 'labeled' ? 'LabeledEvent' : e.event === 'closed' ? 'ClosedEvent' : 'IssueComment')),
      );
    }
    const seven = seen[6];
    expect(seven?.state).toBe('CLOSED');
    expect(seven?.stateReason).toBe('NOT_PLANNED');
    expect(seven?.timelineItems.nodes.at(-1)).toEqual({ __typename: 'ClosedEvent', stateReason: 'NOT_PLANNED', actor: { login: 'user1' } });
  });

  it('resolves a bot author as __typename Bot (login without [bot]) and a user as User', async () => {
    const r = await gql(
      sim,
      `{ repository(owner: "${OWNER}", name: "${REPO}") {
          bot: issue(number: 50) { author { __typename login ... on Bot { id } } comments(first: 5) { nodes { author { __typename login } } } }
          human: issue(number: 1) { author { __typename login ... on User { databaseId } } }
        } }`,
    );
    expect(r.body.errors).toBeUndefined();
    const repo = r.body.data?.['repository'] as {
      bot: { author: { __typename: string; login: string; id: string }; comments: { nodes: { author: { __typename: string; login: string } }[] } };
      human: { author: { __typename: string; login: string; databaseId: number } };
    };
    expect(repo.bot.author).toEqual({ __typename: 'Bot', login: 'renovate', id: sim.store.findUser('renovate[bot]')?.node_id });
    expect(repo.bot.comments.nodes[1]?.author).toEqual({ __typename: 'Bot', login: 'github-actions' });
    expect(repo.human.author).toEqual({ __typename: 'User', login: 'user1', databaseId: sim.store.findUser('user1')?.id });
  });

  it('answers a bot reaction as GitHub does: Reaction.user (typed User) is a User keeping the Bot node id; reactors say Bot', async () => {
    const s = sim.store;
    const repo = s.createRepo({ owner: { login: 'reactions-org', type: 'Organization' }, name: 'reactions' });
    const { number } = s.createIssue(repo, { title: 'Thumbs', user: 'user1' });
    s.addReaction(repo, { issue: number }, 'renovate[bot]', '+1');
    s.addReaction(repo, { issue: number }, 'user2', '+1');
    const r = await gql(
      sim,
      `{ repository(owner: "reactions-org", name: "reactions") { issue(number: ${number}) {
          reactions(first: 10) { nodes { user { __typename login id } } }
          reactionGroups { content reactors(first: 10) { nodes { __typename ... on Bot { login } ... on User { login } } } }
        } } }`,
    );
    expect(r.body.errors).toBeUndefined();
    const issue = (r.body.data?.['repository'] as { issue: { reactions: { nodes: unknown[] }; reactionGroups: { content: string; reactors: { nodes: unknown[] } }[] } }).issue;
    expect(issue.reactions.nodes).toEqual([
      { user: { __typename: 'User', login: 'renovate', id: s.findUser('renovate[bot]')?.node_id } },
      { user: { __typename: 'User', login: 'user2', id: s.findUser('user2')?.node_id } },
    ]);
    expect(s.findUser('renovate[bot]')?.node_id).toMatch(/^BOT_/);
    expect(issue.reactionGroups.find((g) => g.content === 'THUMBS_UP')?.reactors.nodes).toEqual([
      { __typename: 'Bot', login: 'renovate' },
      { __typename: 'User', login: 'user2' },
    ]);
  });

  it('walks commit history by ancestry between two tags, and finds the associated pull request', async () => {
    const s = sim.store;
    const repo = s.mustRepo(OWNER, REPO);
    const base = s.commitOn(repo, 'main', [
      { message: 'init', date: '2024-01-01T00:00:00Z' },
      { message: 'v1 work', date: '2024-01-02T00:00:00Z' },
    ]);
    s.createTag(repo, 'v1.0.0', base.at(-1)?.sha);
    const feature = s.commitOn(repo, 'main', [
      { message: 'feat: a', date: '2024-02-01T00:00:00Z' },
      { message: 'fix: b', date: '2024-02-02T00:00:00Z' },
    ]);
    const pr = s.createPull(repo, { title: 'Feature A', user: 'user2', head: { ref: 'feat-a' }, commits: [feature[0]?.sha ?? ''], closing_issues: [3] });
    s.mergePull(repo, pr.number, 'user2');
    s.createTag(repo, 'v1.1.0');
    const r = await gql(
      sim,
      `query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
        refs(refPrefix: "refs/tags/", first: 10) { nodes { name target { ... on Commit { oid } } } }
        to: ref(qualifiedName: "refs/tags/v1.1.0") { target { ... on Commit {
          history(first: 20) { nodes { oid messageHeadline associatedPullRequests(first: 5) { nodes { number merged closingIssuesReferences(first: 5) { nodes { number } } } } } }
        } } }
      } }`,
      { o: OWNER, n: REPO },
    );
    expect(r.body.errors).toBeUndefined();
    const data = r.body.data?.['repository'] as {
      refs: { nodes: { name: string; target: { oid: string } }[] };
      to: { target: { history: { nodes: { oid: string; messageHeadline: string; associatedPullRequests: { nodes: { number: number; merged: boolean; closingIssuesReferences: { nodes: { number: number }[] } }[] } }[] } } };
    };
    expect(data.refs.nodes.map((n) => n.name)).toEqual(['v1.0.0', 'v1.1.0']);
    const from = data.refs.nodes[0]?.target.oid;
    const between: string[] = [];
    for (const c of data.to.target.history.nodes) {
      if (c.oid === from) break;
      between.push(c.messageHeadline);
    }
    expect(between).toEqual([`Merge pull request #${pr.number} from ${OWNER}/feat-a`, 'fix: b', 'feat: a']);
    const merge = data.to.target.history.nodes[0];
    expect(merge?.associatedPullRequests.nodes).toEqual([{ number: pr.number, merged: true, closingIssuesReferences: { nodes: [{ number: 3 }] } }]);
  });
});

describe('graphql: search and nodes', () => {
  it('searches issues like GitHub search syntax, and resolves node ids the store assigned', async () => {
    const s = sim.store;
    const i5 = s.mustIssue(`${OWNER}/${REPO}`, 5);
    const c = s.commentsOf(`${OWNER}/${REPO}`, 5)[0];
    const r = await gql(
      sim,
      `query($q: String!, $ids: [ID!]!) {
        search(query: $q, type: ISSUE, first: 5) { issueCount nodes { ... on Issue { number } } }
        nodes(ids: $ids) { __typename ... on Issue { number } ... on IssueComment { body } }
      }`,
      { q: `repo:${OWNER}/${REPO} is:issue is:open label:bug sort:created-asc`, ids: [i5.node_id, c?.node_id] },
    );
    expect(r.body.errors).toBeUndefined();
    const bugs = [...s.mustRepo(OWNER, REPO).issues.values()].filter((i) => i.state === 'open' && !i.pull_request && i.labels.includes('bug'));
    expect(r.body.data?.['search']).toEqual({ issueCount: bugs.length, nodes: bugs.slice(0, 5).map((i) => ({ number: i.number })) });
    expect(r.body.data?.['nodes']).toEqual([
      { __typename: 'Issue', number: 5 },
      { __typename: 'IssueComment', body: 'first comment on 5' },
    ]);
  });
});

describe('graphql: cost', () => {
  // https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
  it("reproduces the docs' worked point example: 5,101 requests -> 51 points", async () => {
    const query = `query {
      viewer {
        login
        repositories(first: 100) {
          edges { node { id
            issues(first: 50) {
              edges { node { id
                labels(first: 60) { edges { node { id name } } }
              } }
            }
          } }
        }
      }
    }`;
    const c = costOf(query);
    expect(c.requests).toBe(1 + 100 + 5000);
    expect(c.cost).toBe(51);
    expect(c.errors).toEqual([]);
    const r = await gql(sim, query.replace('login', 'login } rateLimit { cost nodeCount } viewer2: viewer { login'));
    expect((r.body.data?.['rateLimit'] as { cost: number }).cost).toBe(51);
  });

  it("reproduces the docs' node-count examples: 550 and 22,060 nodes", () => {
    const simple = costOf(`query { viewer { repositories(first: 50) { edges { repository:node { name
      issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }`);
    expect(simple.nodeCount).toBe(550);
    expect(simple.requests).toBe(51);
    expect(simple.cost).toBe(1);
    const complex = costOf(`query { viewer { repositories(first: 50) { edges { repository:node { name
      pullRequests(first: 20) { edges { pullRequest:node { title comments(first: 10) { edges { comment:node { bodyHTML } } } } } }
      issues(first: 20) { totalCount edges { issue:node { title bodyHTML comments(first: 10) { edges { comment:node { bodyHTML } } } } } }
    } } }
    followers(first: 10) { edges { follower:node { login } } } } }`);
    expect(complex.nodeCount).toBe(22_060);
    expect(complex.requests).toBe(1 + 50 + 1000 + 50 + 1000 + 1);
    expect(complex.cost).toBe(21);
  });

  it('counts fragments, costs at least 1 point, and rejects more than 500,000 nodes', async () => {
    const withFragment = costOf(`query { viewer { repositories(first: 10) { nodes { ...R } } } }
      fragment R on Repository { issues(first: 100) { nodes { comments(first: 100) { totalCount } } } }`);
    expect(withFragment.requests).toBe(1 + 10 + 1000);
    expect(withFragment.cost).toBe(10);
    expect(costOf('{ viewer { login } }').cost).toBe(1);
    const r = await gql(sim, `{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } }`);
    expect(r.body).toEqual({
      errors: [
        {
          type: 'MAX_NODE_LIMIT_EXCEEDED',
          path: ['viewer', 'repositories', 'nodes', 'issues', 'nodes', 'labels'],
          locations: [{ line: 1, column: 76 }],
          message:
            'By the time this query traverses to the labels connection, it is requesting up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000.',
        },
      ],
    });
  });

  it('builds the 1.2 MB schema once per process', () => {
    const t = schemaTimings();
    expect(githubSchema()).toBe(githubSchema());
    expect(t.buildMs).toBeGreaterThan(0);
  });
});

describe('graphql: mutations', () => {
  it('adds a comment visible over REST, counted as a write', async () => {
    const issue = sim.store.issue(`${OWNER}/${REPO}`, 42);
    if (!issue) throw new Error('issue 42 missing');
    sim.resetCounters();
    const r = await gql(
      sim,
      `mutation($id: ID!, $body: String!) { addComment(input: { subjectId: $id, body: $body }) {
        commentEdge { node { id databaseId body author { login __typename } } } subject { id } } }`,
      { id: issue.node_id, body: 'Thanks! <!-- userloop:test {} -->' },
    );
    expect(r.body.errors).toBeUndefined();
    const node = (r.body.data?.['addComment'] as { commentEdge: { node: { id: string; databaseId: number; body: string; author: { login: string; __typename: string } } } }).commentEdge.node;
    expect(node.author).toEqual({ login: 'github-actions', __typename: 'Bot' });
    expect(sim.counters.writes).toBe(1);
    expect(sim.counters.graphqlPoints).toBe(1);

    const rest = await fetch(`${sim.url}/repos/${OWNER}/${REPO}/issues/42/comments?per_page=100`, { headers: { authorization: 'token test-token' } });
    expect(rest.status).toBe(200);
    const comments = (await rest.json()) as { id: number; node_id: string; body: string; user: { login: string; type: string } }[];
    const added = comments.at(-1);
    expect(added).toMatchObject({ id: node.databaseId, node_id: node.id, body: 'Thanks! <!-- userloop:test {} -->', user: { login: 'github-actions[bot]', type: 'Bot' } });

    const upd = await gql(sim, `mutation { updateIssueComment(input: { id: "${node.id}", body: "edited" }) { issueComment { body } } }`);
    expect(upd.body).toEqual({ data: { updateIssueComment: { issueComment: { body: 'edited' } } } });
    expect(sim.store.comment(`${OWNER}/${REPO}`, node.databaseId)?.body).toBe('edited');
  });

  it('adds and removes labels by node id, with timeline events', async () => {
    const s = sim.store;
    const repo = s.mustRepo(OWNER, REPO);
    const prio = s.createLabel(repo, { name: 'priority: high', color: 'b60205' });
    const issue = s.mustIssue(repo, 10);
    const add = await gql(sim, `mutation { addLabelsToLabelable(input: { labelableId: "${issue.node_id}", labelIds: ["${prio.node_id}"] }) {
      labelable { ... on Issue { labels(first: 10) { nodes { name } } } } } }`);
    expect(add.body).toEqual({ data: { addLabelsToLabelable: { labelable: { labels: { nodes: [{ name: 'feature' }, { name: 'priority: high' }] } } } } });
    const remove = await gql(sim, `mutation { removeLabelsFromLabelable(input: { labelableId: "${issue.node_id}", labelIds: ["${prio.node_id}"] }) { clientMutationId } }`);
    expect(remove.body.errors).toBeUndefined();
    expect(issue.labels).toEqual(['feature']);
    expect(issue.timeline.slice(-2).map((e) => e.event)).toEqual(['labeled', 'unlabeled']);
  });

  it('comments on a locked issue as GitHub allows: the GITHUB_TOKEN and people with write access, not others', async () => {
    const s = sim.store;
    const repo = s.mustRepo(OWNER, REPO);
    repo.collaborators['locked-writer'] = 'write';
    repo.collaborators['locked-triager'] = 'triage';
    for (const login of ['locked-writer', 'locked-triager', 'locked-stranger']) s.addToken(`${login}-token`, login, { issues: 'write' });
    const issue = s.lockIssue(repo, 12, 'too heated', OWNER);
    const add = (token: string) => gql(sim, `mutation { addComment(input: { subjectId: "${issue.node_id}", body: "from ${token}" }) { clientMutationId } }`, undefined, token);
    expect((await add('test-token')).body.errors).toBeUndefined();
    expect((await add('locked-writer-token')).body.errors).toBeUndefined();
    for (const token of ['locked-triager-token', 'locked-stranger-token']) {
      expect((await add(token)).body.errors?.[0]).toMatchObject({ type: 'UNPROCESSABLE', message: 'Unable to create comment because issue is locked.' });
    }
    expect(s.commentsOf(repo, 12).map((c) => c.body).filter((b) => b.startsWith('from '))).toEqual(['from test-token', 'from locked-writer-token']);
  });

  it('refuses a mutation for a read-only token and an unknown node', async () => {
    sim.store.addToken('read-only', 'fork-user', { issues: 'read', contents: 'read' });
    const issue = sim.store.mustIssue(`${OWNER}/${REPO}`, 11);
    const r = await gql(sim, `mutation { addComment(input: { subjectId: "${issue.node_id}", body: "x" }) { clientMutationId } }`, undefined, 'read-only');
    expect(r.body).toEqual({
      data: { addComment: null },
      errors: [{ type: 'FORBIDDEN', path: ['addComment'], locations: [{ line: 1, column: 12 }], message: 'Resource not accessible by integration' }],
    });
    expect(sim.store.commentsOf(`${OWNER}/${REPO}`, 11).map((c) => c.body)).not.toContain('x');
    const missing = handleGraphql(sim.store, { query: 'mutation { addComment(input: { subjectId: "nope", body: "x" }) { clientMutationId } }' }, 'github-actions[bot]');
    expect(missing.writes).toBe(0);
    expect(missing.body.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', message: "Could not resolve to a node with the global id of 'nope'." });
  });
});
