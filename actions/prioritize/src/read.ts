// Every read of the action, turned into plain data: the one GraphQL read of an issue (with the labels, the
// comments, the 👍 reactions and the timeline the ledger and the label pin need, the token's login, the config
// file when no checkout holds it, and, on `opened`, one page of recent open issues for the duplicate check),
// the config's labels by name past 100 labels, the search for older ones, the sweep's
// pages of open issues, our reply read again before it is edited, our design checklist in the read, and the
// issue form templates (of the checkout, else through the contents API).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compact,
  CONFIG_FILE_FIELD,
  type ConfigFileNode,
  type GraphqlClient,
  graphqlAllowing,
  hasMarker,
  httpStatus,
  isGoneError,
  isLedgerPartial,
  type IssueComment,
  LEDGER_ISSUE_FRAGMENT,
  type LedgerCrossReferenceFact,
  ledgerFactsFromGraphql,
  type LedgerGraphqlCommentFact,
  type LedgerIssueFact,
  type LedgerIssueNode,
  type LedgerLabelEvent,
  type LedgerReactionFact,
  type Octokit,
  type OutsideRequester,
  PRIORITIZE_MARKER_KIND,
  type PrioritizeConfig,
  type PrioritizeMarkerData,
  type PrioritizeSeen,
  readMarker,
  readMiddleComments,
  readMoreReactions,
  readPrioritizeMarker,
  readPrioritizeSeen,
  type Priority,
  type TokenHour,
} from '@userloop/core';
import { DESIGN_MARKER_KIND } from './design.ts';
import { noticeDue, REMINDER_MARKER_KIND, SLIP_MARKER_KIND } from './promises.ts';
import type { Candidate } from './similar.ts';
import type { ProposalReaction } from './proposal.ts';

/** The four labels the config names, looked up by name. */
const LABELS_FRAGMENT = /* GraphQL */ `
  fragment PrioritizeLabels on Repository {
    fixLabel: label(name: $fix) {
      name
    }
    highLabel: label(name: $high) {
      name
    }
    lowLabel: label(name: $low) {
      name
    }
    infoLabel: label(name: $info) {
      name
    }
  }
`;

export const PRIORITIZE_QUERY = /* GraphQL */ `
  query Prioritize(
    $owner: String!
    $repo: String!
    $number: Int!
    $withRecent: Boolean!
    $withConfig: Boolean!
    $configExpression: String!
    $fix: String!
    $high: String!
    $low: String!
    $info: String!
  ) {
    viewer {
      login
    }
    repository(owner: $owner, name: $repo) {
      nameWithOwner
      ...PrioritizeLabels @skip(if: $withConfig)
      # The config rides in this query: its label names are not known yet, so the repository's labels are read.
      ... @include(if: $withConfig) {
        labels(first: 100) {
          totalCount
          nodes {
            name
          }
        }
        ${CONFIG_FILE_FIELD}
      }
      issue(number: $number) {
        id
        ...UserloopLedgerIssue
        duplicateEvents: timelineItems(itemTypes: [MARKED_AS_DUPLICATE_EVENT, UNMARKED_AS_DUPLICATE_EVENT, CROSS_REFERENCED_EVENT]) {
          totalCount
        }
        title
        state
        stateReason
        authorAssociation
        labels(first: 100) {
          nodes {
            name
          }
        }
      }
      recentIssues: issues(first: 100, states: OPEN, orderBy: { field: CREATED_AT, direction: DESC }) @include(if: $withRecent) {
        totalCount
        nodes {
          number
          title
          body
          url
        }
      }
    }
  }

  ${LEDGER_ISSUE_FRAGMENT}
  ${LABELS_FRAGMENT}
`;

/** The labels of a repository among the four the config names (the managed priorities and `needs info`), by name. */
const PRIORITIZE_LABELS_QUERY = /* GraphQL */ `
  query PrioritizeLabels($owner: String!, $repo: String!, $fix: String!, $high: String!, $low: String!, $info: String!) {
    repository(owner: $owner, name: $repo) {
      ...PrioritizeLabels
    }
  }

  ${LABELS_FRAGMENT}
`;

/** The raw response of `PRIORITIZE_QUERY` (only what is read). */
interface NamedLabels {
  fixLabel?: { name: string } | null;
  highLabel?: { name: string } | null;
  lowLabel?: { name: string } | null;
  infoLabel?: { name: string } | null;
}

interface PrioritizeQueryResult {
  viewer: { login: string };
  repository: (NamedLabels & {
    nameWithOwner: string;
    labels?: { totalCount: number; nodes: ({ name: string } | null)[] | null } | null;
    configFile?: ConfigFileNode | null;
    issue:
      | (LedgerIssueNode & {
          id?: string;
          title: string;
          state: string;
          stateReason: string | null;
          authorAssociation: string;
          duplicateEvents?: { totalCount: number } | null;
          labels: { nodes: ({ name: string } | null)[] | null } | null;
        })
      | null;
    recentIssues?: { totalCount: number; nodes: ({ number: number; title: string; body: string; url: string } | null)[] | null };
  }) | null;
}

/** The names of the labels a lookup by name found. */
const namedLabels = (repo: NamedLabels): string[] => compact([repo.fixLabel, repo.highLabel, repo.lowLabel, repo.infoLabel]).map((l) => l.name);

/** A label change by someone, oldest first. */
export type LabelEventRead = LedgerLabelEvent;

/** The read, in plain data. */
export interface IssueRead {
  viewerLogin: string;
  repository: string;
  /** Labels of the repository: among them every one the config names that exists (others may be listed too). */
  existingLabels: string[];
  /** `nodeId`: the issue's GraphQL id (what a comment is added to). */
  issue: LedgerIssueFact & { title: string; state: string; stateReason: string | null; authorAssociation: string; nodeId?: string };
  labels: string[];
  /** The comments as the ledger reads them (core's ledger comment from the shared fragment). */
  comments: LedgerGraphqlCommentFact[];
  /** More comments exist than the read saw (first 100 + last 100). */
  commentsTruncated: boolean;
  reactions: LedgerReactionFact[];
  labelEvents: LabelEventRead[];
  duplicates: LedgerIssueFact[];
  crossReferences: LedgerCrossReferenceFact[];
  /** The issue this one was marked a duplicate of (timeline), or `null`. */
  duplicateOf: LedgerIssueFact | null;
  /** 👍 reactions in all (`totalCount`). */
  thumbsUp: number;
  /** Duplicate and cross-reference timeline items in all (what the sweep compares). */
  duplicateEvents: number;
  recentIssues: { number: number; title: string; body: string; url: string }[];
  /** Open issues in all (with the recent ones read): more than `recentIssues` holds means older ones exist. */
  openIssueCount: number;
  /** Older open issues a search found for the similar-issue hint (filled after the read, on `opened`). */
  searchedIssues: Candidate[];
  /** People outside GitHub the thread records and whose recording counts (filled after the read: see requests.ts). */
  outside?: OutsideRequester[];
}

/** Turns the raw response into plain data (the ledger facts through core's `ledgerFactsFromGraphql`). Throws when the repository or issue is missing. */
function normalizeRead(raw: PrioritizeQueryResult, issueNumber: number): IssueRead {
  const repo = raw.repository;
  if (!repo) throw new Error('The repository was not found or the token cannot read it.');
  const issue = repo.issue;
  if (!issue) throw new Error(`Issue #${issueNumber} was not found (or it is a pull request).`);
  const home = repo.nameWithOwner;
  const facts = ledgerFactsFromGraphql(issue, { home, viewerLogin: raw.viewer.login });
  return {
    viewerLogin: raw.viewer.login,
    repository: home,
    existingLabels: repo.labels ? compact(repo.labels.nodes).map((l) => l.name) : namedLabels(repo),
    issue: {
      ...facts.issue,
      ...(issue.id ? { nodeId: issue.id } : {}),
      title: issue.title,
      state: issue.state,
      stateReason: issue.stateReason,
      authorAssociation: issue.authorAssociation,
    },
    labels: compact(issue.labels?.nodes).map((l) => l.name),
    comments: facts.comments,
    commentsTruncated: facts.commentsTruncated,
    reactions: facts.reactions,
    labelEvents: facts.labelEvents,
    duplicates: facts.duplicates,
    crossReferences: facts.crossReferences,
    duplicateOf: facts.duplicateOf,
    thumbsUp: facts.thumbsUp,
    duplicateEvents: issue.duplicateEvents?.totalCount ?? 0,
    recentIssues: compact(repo.recentIssues?.nodes),
    openIssueCount: repo.recentIssues?.totalCount ?? 0,
    searchedIssues: [],
    outside: [],
  };
}

/** Our reply found in a read, and the decision its marker recorded. */
export interface OwnReply {
  existing: IssueComment | null;
  previous: PrioritizeMarkerData | null;
}

/** Our own reply in the read (every comment of the issue unless our marker was already in view); only comments the token's identity wrote are trusted. */
export function ownReply(read: IssueRead): OwnReply {
  for (const c of read.comments) {
    if (!c.byViewer || c.id === null) continue;
    if (!hasMarker(c.body, PRIORITIZE_MARKER_KIND)) continue;
    // A damaged marker in our own comment: update that comment rather than add a second one.
    return { existing: { id: c.id, body: c.body, html_url: c.url ?? '', user: { login: read.viewerLogin } }, previous: readPrioritizeMarker(c.body) };
  }
  return { existing: null, previous: null };
}

/** Our design checklist in the read (only comments the token's identity wrote), with the owners its marker names. */
export function ownDesign(read: IssueRead): (IssueComment & { owners: string[] }) | null {
  for (const c of read.comments) {
    if (!c.byViewer || c.id === null) continue;
    const data = readMarker(c.body, DESIGN_MARKER_KIND);
    if (data) return { id: c.id, body: c.body, html_url: c.url ?? '', user: { login: read.viewerLogin }, owners: data.owners };
  }
  return null;
}

/**
 * The one GraphQL read of an issue, plus the middle of a long thread and the 👍 beyond 100 when nothing
 * covers them. Nodes the token may not read (`FORBIDDEN`: pull requests without `pull-requests: read`) are
 * left out and named in `forbidden`.
 */
export async function readIssue(
  graphql: GraphqlClient,
  options: { owner: string; repo: string; number: number; withRecent: boolean } & (ConfigLabels | { configExpression: string }),
): Promise<{ read: IssueRead; forbidden: string[]; config?: ConfigInRead }> {
  const { owner, repo, number, withRecent } = options;
  const withConfig = 'configExpression' in options;
  const { data: raw, tolerated: forbidden } = await graphqlAllowing<PrioritizeQueryResult>(
    graphql,
    PRIORITIZE_QUERY,
    { owner, repo, number, withRecent, withConfig, configExpression: withConfig ? options.configExpression : '', ...labelVariables(withConfig ? null : options) },
    ['FORBIDDEN'],
  );
  if (!raw.repository?.issue && forbidden.length > 0) {
    throw new Error(`The token may not read #${number} (FORBIDDEN: ${forbidden.join(', ')}). The job needs \`issues: write\`.`);
  }
  let read = normalizeRead(raw, number);
  let node = raw.repository?.issue;
  // More than 200 comments and our marker is not in the first or last 100: read the middle ones too (one
  // query per 100), so the ledger counts a "+1" there and our comment is found if it sits there. With our
  // marker in view, its ledger already holds the middle.
  const own = ownReply(read);
  // A marker that keeps only the newest requesters (a very long ledger): the thread is read whole to rebuild it.
  const partial = isLedgerPartial(own.previous);
  if (node && read.commentsTruncated && (!own.existing || partial)) {
    node = (await readMiddleComments(graphql, { owner, repo, node })).node;
  }
  // More than 100 👍: the rest are read unless our reply saw the same count (its ledger already names them).
  const seen = own.existing ? readPrioritizeSeen(own.existing.body) : null;
  if (node && read.thumbsUp > read.reactions.length && (partial || seen?.thumbsUp !== read.thumbsUp)) {
    node = (await readMoreReactions(graphql, { owner, repo, node })).node;
  }
  if (node && node !== raw.repository?.issue) {
    read = normalizeRead({ ...raw, repository: raw.repository ? { ...raw.repository, issue: node } : null }, number);
  }
  if (!withConfig) return { read, forbidden };
  const labels = raw.repository?.labels;
  return { read, forbidden, config: { file: raw.repository?.configFile ?? null, allLabels: !labels || labels.totalCount <= compact(labels.nodes).length } };
}

/** The label names the config gives (the managed priorities, `needs-info-label`). */
interface ConfigLabels {
  labels: PrioritizeConfig['labels'];
  infoLabel?: string;
}

/** What a read with the config in it found: the file (core's `CONFIG_FILE_FIELD`), and whether every label of the repository was listed. */
interface ConfigInRead {
  file: ConfigFileNode | null;
  /** False when the repository has more labels than the read lists (100): the config's ones are looked up by name then ({@link completeLabels}). */
  allLabels: boolean;
}

/** The variables of the labels looked up by name (empty names when the config rides in the query and they are not known yet). */
function labelVariables(names: ConfigLabels | null): { fix: string; high: string; low: string; info: string } {
  if (!names) return { fix: '', high: '', low: '', info: '' };
  return { fix: names.labels['fix-it-now'], high: names.labels.high, low: names.labels.low, info: names.infoLabel ?? 'needs info' };
}

/**
 * After a read with the config in it: when the repository has more labels than the read listed and one the
 * config names is not among them, the four are looked up by name (one query), so a label that exists is
 * never created again.
 */
export async function completeLabels(graphql: GraphqlClient, options: { owner: string; repo: string; read: IssueRead; allLabels: boolean } & ConfigLabels): Promise<void> {
  const { read } = options;
  const vars = labelVariables(options);
  const listed = new Set(read.existingLabels.map((l) => l.toLowerCase()));
  if (options.allLabels || [vars.fix, vars.high, vars.low, vars.info].every((l) => listed.has(l.toLowerCase()))) return;
  const data = await graphql<{ repository: NamedLabels | null }>(PRIORITIZE_LABELS_QUERY, { owner: options.owner, repo: options.repo, ...vars });
  read.existingLabels = [...read.existingLabels, ...(data.repository ? namedLabels(data.repository) : [])];
}

/** Our reply as it is now (`null` when it was deleted). */
export async function rereadReply(octokit: Pick<Octokit, 'request'>, owner: string, repo: string, id: number): Promise<IssueComment | null> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id });
    return data as IssueComment;
  } catch (error) {
    if (isGoneError(error)) return null;
    throw error;
  }
}

/** Issues a search returns at most for the similar-issue hint: one page. */
const SEARCH_PAGE = 50;

/**
 * One issue search (`q`: GitHub's advanced syntax, see `similarSearchQuery`), best match first: the open
 * issues of one page, as candidates for the similar-issue hint. GitHub's search API allows 30 searches a
 * minute: the caller makes one per opened issue at most.
 */
export async function searchIssues(octokit: Pick<Octokit, 'request'>, q: string): Promise<Candidate[]> {
  const { data } = await octokit.request('GET /search/issues', { q, per_page: SEARCH_PAGE, advanced_search: 'true' });
  return data.items.filter((i) => !i.pull_request).map((i) => ({ number: i.number, title: i.title, body: i.body ?? '', url: i.html_url }));
}

/** The issue form templates' folder in a repository. */
const TEMPLATES = '.github/ISSUE_TEMPLATE';

/** Whether a file of the templates' folder is an issue form: YAML, and not the template chooser's `config.yml`. */
const isFormTemplate = (name: string): boolean => /\.ya?ml$/i.test(name) && name !== 'config.yml' && name !== 'config.yaml';

/** A template's text worth parsing: not empty, and under 512 KiB (a form is a few KiB). */
const usableTemplate = (text: string): boolean => text.length > 0 && text.length < 512 * 1024;

/** Issue form templates (`.github/ISSUE_TEMPLATE/*.yml`) from the checked-out workspace (none without a checkout). */
export async function readFormTemplates(workspace: string | undefined): Promise<{ path: string; text: string }[]> {
  if (!workspace) return [];
  const dir = join(workspace, TEMPLATES);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: { path: string; text: string }[] = [];
  for (const name of names.sort()) {
    if (!isFormTemplate(name)) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    if (usableTemplate(text)) out.push({ path: `${TEMPLATES}/${name}`, text });
  }
  return out;
}

/** One file of the repository through the contents API: its text, or `null` when it is not there (or not a file). */
async function readRepoFile(octokit: Pick<Octokit, 'request'>, owner: string, repo: string, path: string): Promise<string | null> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path });
    const file = data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || file.type !== 'file' || file.encoding !== 'base64') return null;
    return Buffer.from(file.content ?? '', 'base64').toString('utf8');
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/**
 * Issue form templates through the API, for a run without a checkout (the workflow `userloop init` writes
 * has none): the files named (`bug.yml`: one request each), or, when a name is missing or `files` is `null`,
 * the folder listed and each of its templates read (`config.yml` left out).
 */
export async function readFormTemplatesThroughApi(
  octokit: Pick<Octokit, 'request'>,
  options: { owner: string; repo: string; files: readonly string[] | null },
): Promise<{ path: string; text: string }[]> {
  const { owner, repo } = options;
  const read = async (names: readonly string[]) => {
    const out: { path: string; text: string }[] = [];
    for (const name of names) {
      const text = await readRepoFile(octokit, owner, repo, `${TEMPLATES}/${name}`);
      if (text === null) return null;
      if (usableTemplate(text)) out.push({ path: `${TEMPLATES}/${name}`, text });
    }
    return out;
  };
  const named = options.files ? await read(options.files) : null;
  if (named) return named;
  let listing: unknown;
  try {
    listing = (await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path: TEMPLATES })).data;
  } catch (error) {
    if (httpStatus(error) === 404) return [];
    throw error;
  }
  const names = (Array.isArray(listing) ? (listing as { name?: string; type?: string }[]) : [])
    .filter((e) => e.type === 'file' && typeof e.name === 'string' && isFormTemplate(e.name))
    .map((e) => e.name as string)
    .sort();
  return (await read(names)) ?? [];
}

/** Comments read per issue by the sweep, first and last, to find our reply (written on `opened`, so usually among the first). */
const SWEEP_COMMENTS = 10;

const SWEEP_QUERY = /* GraphQL */ `
  query PrioritizeSweep($owner: String!, $repo: String!, $after: String, $comments: Int!, $direction: OrderDirection!) {
    viewer {
      login
    }
    rateLimit {
      cost
      limit
      remaining
    }
    repository(owner: $owner, name: $repo) {
      issues(first: 100, after: $after, states: OPEN, orderBy: { field: CREATED_AT, direction: $direction }) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          number
          author {
            __typename
            login
          }
          reactions(content: THUMBS_UP) {
            totalCount
          }
          duplicateEvents: timelineItems(itemTypes: [MARKED_AS_DUPLICATE_EVENT, UNMARKED_AS_DUPLICATE_EVENT, CROSS_REFERENCED_EVENT]) {
            totalCount
          }
          comments(first: $comments) {
            totalCount
            nodes {
              viewerDidAuthor
              body
            }
          }
          lastComments: comments(last: $comments) {
            nodes {
              viewerDidAuthor
              body
            }
          }
        }
      }
    }
  }
`;

interface SweepPage {
  viewer: { login: string };
  rateLimit?: (TokenHour & { cost: number }) | null;
  repository: {
    issues: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: ({
        number: number;
        author: { __typename?: string; login: string } | null;
        reactions: { totalCount: number } | null;
        duplicateEvents: { totalCount: number } | null;
        comments: { totalCount?: number; nodes: ({ viewerDidAuthor: boolean; body: string } | null)[] | null } | null;
        lastComments: { nodes: ({ viewerDidAuthor: boolean; body: string } | null)[] | null } | null;
      } | null)[] | null;
    };
  } | null;
}

/** One open issue as the sweep sees it: what tells a change since our reply. */
export interface SweptIssue {
  number: number;
  author: { __typename?: string; login: string } | null;
  /** 👍 reactions in all. */
  thumbsUp: number;
  /** Duplicate and cross-reference timeline items in all. */
  duplicateEvents: number;
  /** Whether our reply is among the first or the last comments. */
  replied: boolean;
  /** The counts our reply saw (its `prioritize-seen` marker), or `null`. */
  seen: PrioritizeSeen | null;
  /** What our reply's marker promised (the priority, the date, the people who asked), or `null`. */
  promise: { priority: Priority; due: string | null; requesters: string[] } | null;
  /** Dates of our reminders and slip notices among the comments read. */
  reminded: string[];
  slipped: string[];
  /** Whether the first and last comments read are all of them (else a notice may sit in between). */
  allComments: boolean;
  /** Whether our reply's marker records a proposed solution waiting for the reporter's answer. */
  proposalWaiting: boolean;
}

/** The dates our reminders and slip notices name, in comments the token's account wrote. */
function promiseNotices(comments: readonly ({ viewerDidAuthor: boolean; body: string } | null)[]): { reminded: string[]; slipped: string[] } {
  const own = compact(comments).filter((c) => c.viewerDidAuthor);
  return {
    reminded: compact(own.map((c) => noticeDue(c.body, REMINDER_MARKER_KIND))),
    slipped: compact(own.map((c) => noticeDue(c.body, SLIP_MARKER_KIND))),
  };
}

/**
 * One page (100, oldest or newest first) of the repository's open issues with only what tells a change: the
 * 👍 count, the count of duplicate and cross-reference timeline items, and our reply among the first and last
 * comments (4 GraphQL points a page); with how many are open in all, and the page's cost and what the token
 * has left of its hour (null where GitHub reports no rate limit).
 */
export async function readOpenIssues(
  graphql: GraphqlClient,
  options: { owner: string; repo: string; after: string | null; newestFirst?: boolean },
): Promise<{ issues: SweptIssue[]; total: number; hasNextPage: boolean; endCursor: string | null; viewerLogin: string; rateLimit: (TokenHour & { cost: number }) | null }> {
  const { owner, repo, after } = options;
  const direction = options.newestFirst ? 'DESC' : 'ASC';
  const page = await graphqlAllowing<SweepPage>(graphql, SWEEP_QUERY, { owner, repo, after, comments: SWEEP_COMMENTS, direction }, ['FORBIDDEN']);
  const issues = page.data.repository?.issues;
  if (!issues) throw new Error(`The repository ${owner}/${repo} was not found or the token cannot read it.`);
  return {
    issues: compact(issues.nodes).map((node) => {
      // The reply is written on `opened`, so among the first comments; on an issue that had a thread before
      // prioritize was installed it is among the last ones of its first evaluation.
      const comments = [...(node.comments?.nodes ?? []), ...(node.lastComments?.nodes ?? [])];
      const reply = comments.find((c) => c?.viewerDidAuthor && hasMarker(c.body, PRIORITIZE_MARKER_KIND));
      const marker = reply ? readPrioritizeMarker(reply.body) : null;
      return {
        number: node.number,
        author: node.author,
        thumbsUp: node.reactions?.totalCount ?? 0,
        duplicateEvents: node.duplicateEvents?.totalCount ?? 0,
        replied: !!reply,
        seen: reply ? readPrioritizeSeen(reply.body) : null,
        promise: marker ? { priority: marker.priority, due: marker.due, requesters: marker.ledger.requesters.map((r) => r.login) } : null,
        ...promiseNotices(comments),
        allComments: (node.comments?.totalCount ?? Number.POSITIVE_INFINITY) <= 2 * SWEEP_COMMENTS,
        proposalWaiting: !!marker?.proposal && !marker.proposal.answer,
      };
    }),
    total: issues.totalCount,
    hasNextPage: issues.pageInfo.hasNextPage,
    endCursor: issues.pageInfo.endCursor,
    viewerLogin: page.data.viewer.login,
    rateLimit: page.data.rateLimit ?? null,
  };
}

const PROMISE_QUERY = /* GraphQL */ `
  query PrioritizePromise($owner: String!, $repo: String!, $number: Int!, $withComments: Boolean!, $before: String) {
    repository(owner: $owner, name: $repo) {
      issue(number: $number) {
        assignees(first: 10) {
          nodes {
            login
          }
        }
        labels(first: 100) {
          nodes {
            name
          }
        }
        comments(last: 100, before: $before) @include(if: $withComments) {
          pageInfo {
            hasPreviousPage
            startCursor
          }
          nodes {
            viewerDidAuthor
            body
          }
        }
      }
    }
  }
`;

interface PromisePage {
  repository: {
    issue: {
      assignees: { nodes: ({ login: string } | null)[] | null } | null;
      labels: { nodes: ({ name: string } | null)[] | null } | null;
      comments?: { pageInfo: { hasPreviousPage: boolean; startCursor: string | null }; nodes: ({ viewerDidAuthor: boolean; body: string } | null)[] | null } | null;
    } | null;
  } | null;
}

/** One issue's assignees and labels (whom a reminder goes to) and, when asked, our notices for a date in its whole thread. */
export interface PromiseRead {
  assignees: string[];
  labels: string[];
  /** Whether our notice of `kind` for `due` is anywhere in the thread (`false` when the comments were not read). */
  noticed: boolean;
}

/**
 * The assignees and labels of an issue whose promise needs a reminder or a slip notice (1 GraphQL point) and,
 * with `notice`, whether our notice of that kind for that date is in the thread: the comments newest first, 100
 * a page, until it is found (the sweep saw only the first and last ones of a long thread).
 */
export async function readPromise(
  graphql: GraphqlClient,
  options: { owner: string; repo: string; number: number; notice: { kind: 'remind' | 'slip'; due: string } | null },
): Promise<PromiseRead> {
  const { owner, repo, number, notice } = options;
  const kind = notice?.kind === 'slip' ? SLIP_MARKER_KIND : REMINDER_MARKER_KIND;
  let before: string | null = null;
  let out: PromiseRead | null = null;
  for (;;) {
    const page: PromisePage = (await graphqlAllowing<PromisePage>(graphql, PROMISE_QUERY, { owner, repo, number, withComments: notice !== null, before }, ['FORBIDDEN'])).data;
    const issue = page.repository?.issue;
    if (!issue) throw new Error(`Issue #${number} was not found (or the token cannot read it).`);
    out ??= { assignees: compact(issue.assignees?.nodes).map((a) => a.login), labels: compact(issue.labels?.nodes).map((l) => l.name), noticed: false };
    const comments = issue.comments;
    if (!notice || !comments) return out;
    if (compact(comments.nodes).some((c) => c.viewerDidAuthor && noticeDue(c.body, kind) === notice.due)) return { ...out, noticed: true };
    if (!comments.pageInfo.hasPreviousPage || !comments.pageInfo.startCursor || comments.pageInfo.startCursor === before) return out;
    before = comments.pageInfo.startCursor;
  }
}

/** The reactions on one comment (the proposal waiting for the reporter's answer): every page, none when the comment is gone. */
export async function readCommentReactions(octokit: Pick<Octokit, 'paginate'>, options: { owner: string; repo: string; id: number }): Promise<ProposalReaction[]> {
  try {
    const reactions = await octokit.paginate('GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { owner: options.owner, repo: options.repo, comment_id: options.id, per_page: 100 });
    return reactions.map((r) => ({ login: r.user?.login ?? '', content: r.content, at: r.created_at }));
  } catch (error) {
    if (isGoneError(error)) return [];
    throw error;
  }
}
