/**
 * Issue search as GitHub answers it, for REST `GET /search/issues` and GraphQL `search(type: ISSUE)`.
 *
 * - Qualifiers: `repo:`, `is:`/`type:`/`state:`, `reason:`, `label:` (comma: any), `no:`, `author:`,
 *   `assignee:`, `mentions:`, `created:`/`updated:`/`closed:`/`merged:` ranges, `comments:`; `-` before
 *   one excludes it. `in:title`, `in:body`, `in:comments` (comma: several) say where the words are looked
 *   for; without it, in the title, the body and the comments.
 * - Words match whole words, any case (`row` does not find "arrow"); a quoted phrase matches its words in
 *   a row; `NOT word` excludes. Several words: all of them (an implicit AND).
 * - Advanced search (REST `advanced_search=true`): `AND`, `OR` and parentheses, nested at most five levels.
 * - GitHub's limits on a query: at most 256 characters of text besides qualifiers and operators, at most
 *   five `AND`, `OR` or `NOT` operators; beyond them, 422 Validation Failed.
 * - Order: by `sort` (`created`, `updated`, `comments`) and `order`; without it, best match first: each
 *   word or phrase found counts (2 in the title, 1 in the body, a half in the comments), ties newest first.
 */
import { SimError, type SimIssue, type SimRepository, type Store } from './store.ts';

type Filter = (i: SimIssue, repo: SimRepository) => boolean;

/** A query in its flat form: every term (lower case) and every filter must hold, within `repos` (all public ones when empty). */
interface SearchQuery {
  repos: string[];
  terms: string[];
  filters: Filter[];
}

type Field = 'title' | 'body' | 'comments';

type SearchNode =
  | { kind: 'and' | 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  | { kind: 'text'; words: string[] }
  | { kind: 'filter'; test: Filter };

/** The most operators and characters of text GitHub accepts in a query, and how deep advanced search nests. */
const MAX_OPERATORS = 5;
const MAX_TEXT = 256;
const MAX_DEPTH = 5;

const lower = (s: string): string => s.toLowerCase();

/** The words of a text, lower case: runs of letters and digits. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}

function dateFilter(expr: string, pick: (i: SimIssue) => string | null): (i: SimIssue) => boolean {
  const range = /^(.+)\.\.(.+)$/.exec(expr);
  if (range) return (i) => !!pick(i) && pick(i)! >= range[1]! && pick(i)!.slice(0, range[2]!.length) <= range[2]!;
  const m = /^(>=|<=|>|<)?(.+)$/.exec(expr)!;
  const op = m[1] ?? '=';
  const v = m[2]!;
  return (i) => {
    const d = pick(i);
    if (!d) return false;
    const cut = d.slice(0, v.length);
    if (op === '>=') return cut >= v;
    if (op === '<=') return cut <= v;
    if (op === '>') return cut > v;
    if (op === '<') return cut < v;
    return cut === v;
  };
}

/** What a `key:value` qualifier does: a filter, the scope (`repo:`), where words are looked for (`in:`), nothing, or `null` for an unknown key (then it is text). */
function qualifier(key: string, value: string): Filter | { repo: string } | { fields: Field[] } | 'none' | null {
  switch (key) {
    case 'repo':
      return { repo: value.toLowerCase() };
    case 'in':
      return { fields: value.toLowerCase().split(',').filter((f): f is Field => f === 'title' || f === 'body' || f === 'comments') };
    case 'is':
    case 'type':
    case 'state':
      if (value === 'issue') return (i) => !i.pull_request;
      if (value === 'pr') return (i) => !!i.pull_request;
      if (value === 'open' || value === 'closed') return (i) => i.state === value;
      if (value === 'merged') return (i) => !!i.pull_request?.merged;
      if (value === 'unmerged') return (i) => !!i.pull_request && !i.pull_request.merged;
      if (value === 'locked') return (i) => i.locked;
      if (value === 'unlocked') return (i) => !i.locked;
      return 'none';
    case 'reason':
      return (i) => (i.state_reason ?? '').replace('_', ' ') === value.replace('_', ' ');
    case 'label': {
      const names = value.split(',').map(lower);
      return (i) => i.labels.some((l) => names.includes(lower(l)));
    }
    case 'no':
      if (value === 'label') return (i) => i.labels.length === 0;
      if (value === 'assignee') return (i) => i.assignees.length === 0;
      if (value === 'milestone') return (i) => i.milestone === null;
      return 'none';
    case 'author':
      return (i) => lower(i.user) === lower(value);
    case 'assignee':
      return (i) => i.assignees.some((a) => lower(a) === lower(value));
    case 'mentions':
      return (i) => (i.body ?? '').toLowerCase().includes(`@${value.toLowerCase()}`);
    case 'created':
      return dateFilter(value, (i) => i.created_at);
    case 'updated':
      return dateFilter(value, (i) => i.updated_at);
    case 'closed':
      return dateFilter(value, (i) => i.closed_at);
    case 'merged':
      return dateFilter(value, (i) => i.pull_request?.merged_at ?? null);
    case 'comments': {
      const c = /^(>=|<=|>|<)?(\d+)$/.exec(value);
      if (!c) return 'none';
      const n = Number(c[2]);
      return (i) => (c[1] === '>' ? i.comments > n : c[1] === '<' ? i.comments < n : c[1] === '>=' ? i.comments >= n : c[1] === '<=' ? i.comments <= n : i.comments === n);
    }
    default:
      return null;
  }
}

/** A query's tokens; with `groups`, parentheses are tokens of their own (advanced search). */
function tokenize(q: string, groups: boolean): string[] {
  const re = groups
    ? /(\(|\)|-?[a-zA-Z_-]+:"[^"]*"|-?[a-zA-Z_-]+:[^\s()]+|"[^"]*"|[^\s()]+)/g
    : /(-?[a-zA-Z_-]+:"[^"]*"|-?[a-zA-Z_-]+:\S+|"[^"]*"|\S+)/g;
  return [...q.matchAll(re)].map((m) => m[1]!);
}

function invalid(message: string): SimError {
  return new SimError(422, 'Validation Failed', [{ message, resource: 'Search', field: 'q', code: 'invalid' }]);
}

interface Parsed {
  root: SearchNode;
  repos: string[];
  fields: Field[];
}

/** Parses a query (flat unless `advanced`); throws 422 Validation Failed past GitHub's limits. */
function parse(q: string, advanced: boolean): Parsed {
  const tokens = tokenize(q, advanced);
  const repos: string[] = [];
  const fields: Field[] = [];
  let operators = 0;
  const text: string[] = [];
  // One token that is neither an operator nor a parenthesis: a qualifier, a phrase or a word.
  const atom = (tok: string): SearchNode | null => {
    const neg = tok.startsWith('-') && tok.includes(':');
    const t = neg ? tok.slice(1) : tok;
    const m = /^([a-zA-Z_-]+):(.*)$/.exec(t);
    const q = m ? qualifier(m[1]!.toLowerCase(), m[2]!.replace(/^"|"$/g, '')) : null;
    if (q === null) {
      text.push(t);
      return { kind: 'text', words: wordsOf(t) };
    }
    if (q === 'none') return null;
    if ('repo' in q) {
      repos.push(q.repo);
      return null;
    }
    if ('fields' in q) {
      fields.push(...q.fields);
      return null;
    }
    const filter: SearchNode = { kind: 'filter', test: q };
    return neg ? { kind: 'not', item: filter } : filter;
  };
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  // expr := and ('OR' and)*; and := unary (['AND'] unary)*; unary := 'NOT' unary | '(' expr ')' | atom
  const unary = (depth: number): SearchNode | null => {
    const tok = tokens[at++]!;
    if (tok === 'NOT') {
      operators += 1;
      if (peek() === undefined) return null;
      const item = unary(depth);
      return item ? { kind: 'not', item } : null;
    }
    if (advanced && tok === '(') {
      if (depth + 1 > MAX_DEPTH) throw invalid(`The search nests parentheses more than ${MAX_DEPTH} levels deep.`);
      const inner = or(depth + 1);
      if (tokens[at] !== ')') throw invalid('The search has an unclosed parenthesis.');
      at += 1;
      return inner;
    }
    if (advanced && tok === ')') throw invalid('The search has an unmatched closing parenthesis.');
    return atom(tok);
  };
  const and = (depth: number): SearchNode | null => {
    const items: SearchNode[] = [];
    while (at < tokens.length && !(advanced && (peek() === 'OR' || peek() === ')'))) {
      if (advanced && peek() === 'AND') {
        operators += 1;
        at += 1;
        continue;
      }
      const node = unary(depth);
      if (node) items.push(node);
    }
    return items.length === 0 ? null : items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const or = (depth: number): SearchNode | null => {
    const items: SearchNode[] = [];
    const first = and(depth);
    if (first) items.push(first);
    while (advanced && peek() === 'OR') {
      operators += 1;
      at += 1;
      const next = and(depth);
      if (next) items.push(next);
    }
    return items.length === 0 ? null : items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const root = or(0);
  if (at < tokens.length) throw invalid('The search has an unmatched closing parenthesis.');
  if (!advanced) operators += tokens.filter((t) => t === 'AND' || t === 'OR').length;
  if (operators > MAX_OPERATORS) throw invalid(`The search contains more than ${MAX_OPERATORS} AND / OR / NOT operators.`);
  if (text.join(' ').length > MAX_TEXT) throw invalid(`The search is longer than ${MAX_TEXT} characters.`);
  return { root: root ?? { kind: 'and', items: [] }, repos, fields: fields.length ? fields : ['title', 'body', 'comments'] };
}

/** A query in its flat form (the legacy syntax): its scope, its words and phrases, its filters. */
export function parseSearch(q: string): SearchQuery {
  const { root, repos } = parse(q, false);
  const sq: SearchQuery = { repos, terms: [], filters: [] };
  const items = root.kind === 'and' ? root.items : [root];
  for (const node of items) {
    if (node.kind === 'text') sq.terms.push(node.words.join(' '));
    else if (node.kind === 'filter') sq.filters.push(node.test);
    else if (node.kind === 'not' && node.item.kind === 'filter') {
      const test = node.item.test;
      sq.filters.push((i, r) => !test(i, r));
    }
  }
  return sq;
}

/** An issue's text, as words, field by field (read once per search). */
type Texts = Record<Field, string[]>;

function hasPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return true;
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

function holds(node: SearchNode, issue: SimIssue, repo: SimRepository, texts: () => Texts, fields: readonly Field[]): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => holds(n, issue, repo, texts, fields));
    case 'or':
      return node.items.some((n) => holds(n, issue, repo, texts, fields));
    case 'not':
      return !holds(node.item, issue, repo, texts, fields);
    case 'filter':
      return node.test(issue, repo);
    case 'text':
      return fields.some((f) => hasPhrase(texts()[f], node.words));
  }
}

/** Best match: each word or phrase of the query (not under NOT) found counts 2 in the title, 1 in the body, a half in the comments. */
function relevance(node: SearchNode, texts: () => Texts, fields: readonly Field[]): number {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.reduce((sum, n) => sum + relevance(n, texts, fields), 0);
    case 'text':
      if (fields.includes('title') && hasPhrase(texts().title, node.words)) return 2;
      if (fields.includes('body') && hasPhrase(texts().body, node.words)) return 1;
      return fields.includes('comments') && hasPhrase(texts().comments, node.words) ? 0.5 : 0;
    default:
      return 0;
  }
}

/** One issue or pull request a search found, with its best-match score. */
export interface SearchHit {
  repo: SimRepository;
  issue: SimIssue;
  score: number;
}

/**
 * Runs an issue search over the store: the hits in order (see the module comment). `advanced`: the
 * advanced syntax (AND, OR, parentheses). Throws 422 Validation Failed for a query GitHub refuses.
 */
export function searchIssues(store: Store, q: string, options: { advanced?: boolean; sort?: string | undefined; order?: string | undefined } = {}): SearchHit[] {
  const { root, repos: named, fields } = parse(q, options.advanced === true);
  const repos = named.length ? named.map((r) => store.repo(r)).filter((r) => r !== undefined) : [...store.repos.values()].filter((r) => !r.private);
  const hits: SearchHit[] = [];
  for (const repo of repos) {
    for (const issue of repo.issues.values()) {
      let cached: Texts | undefined;
      const texts = (): Texts =>
        (cached ??= {
          title: wordsOf(issue.title),
          body: wordsOf(issue.body ?? ''),
          comments: fields.includes('comments') ? store.commentsOf(repo, issue.number).flatMap((c) => wordsOf(c.body ?? '')) : [],
        });
      if (!holds(root, issue, repo, texts, fields)) continue;
      hits.push({ repo, issue, score: relevance(root, texts, fields) });
    }
  }
  const key = options.sort === 'updated' ? 'updated_at' : options.sort === 'comments' ? 'comments' : 'created_at';
  const dir = options.order === 'asc' ? 1 : -1;
  const newest = (a: SearchHit, b: SearchHit): number => {
    const x = a.issue[key];
    const y = b.issue[key];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : x < y ? -1 : x > y ? 1 : 0;
    return (c || a.issue.id - b.issue.id) * dir;
  };
  hits.sort(options.sort === undefined ? (a, b) => b.score - a.score || newest(a, b) : newest);
  return hits;
}
