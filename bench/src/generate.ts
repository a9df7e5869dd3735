// Deterministic generated repositories for the benchmark: N issues with comments (about 5 per issue,
// the first one the prioritize bot's reply with its ledger marker), reactions, timeline events
// (labeled, assigned, commented, cross-referenced, connected, closed), merged pull requests that close
// issues with closing keywords and closing references, commits on main and releases.
//
// The history ends with:
//   - the latest published release (`notifyTag`) resolving exactly 100 issues through 50 pull requests
//     (the budget case for notify-requesters and the peer; 500 through 250 for the large-release case);
//   - `unreleased` merged pull requests after it (max(50, N/20)), the range draft-release-notes drafts.
import { renderPrioritizeMarker, type Priority } from '@userloop/core';
import { seededRandom, type Store } from '@userloop/github-sim';

export const OWNER = 'octo-org';
const NAME = 'octo-repo';
export const FULL = `${OWNER}/${NAME}`;
const MAINTAINERS = ['alice', 'bob'];
const PEOPLE = 500;
const BASE = Date.parse('2023-01-02T00:00:00Z');
const YEAR = 365 * 24 * 3_600_000;

interface Commit {
  hash: string;
  message: string;
}

export interface Generated {
  size: number;
  issues: number;
  pulls: number;
  comments: number;
  reactions: number;
  events: number;
  commits: number;
  releases: number;
  /** Latest published release: resolves `notifyIssues` through `notifyPulls`. */
  notifyTag: string;
  notifyReleaseId: number;
  notifyIssues: number[];
  notifyPulls: number[];
  /** Commits of the notify release (for the peer: semantic-release's `context.commits`). */
  notifyCommits: Commit[];
  /** Merged pull requests (one commit each) after the latest release. */
  unreleasedPulls: number;
  /** Issues those pull requests close. */
  unreleasedClosedIssues: number;
  /** Open issues with comments, for prioritize's issue_comment events (one per run). */
  openIssues: number[];
  loadMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const person = (i: number): string => `user${i % PEOPLE}`;

/**
 * Fills `store` with the repository of `size` issues; deterministic for a given size and seed. The latest
 * release resolves `notifyCount` issues (100 by default; even, at most half of `size`) through
 * `notifyCount / 2` pull requests.
 */
export function generate(store: Store, size: number, seed = 1, notifyCount = 100): Generated {
  const started = performance.now();
  const rnd = seededRandom(seed * 1_000_003 + size);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  store.now = new Date(BASE);
  store.addUser({ login: OWNER, type: 'Organization' });
  for (const m of MAINTAINERS) store.addOrgMember(OWNER, m);
  store.addUser({ login: 'dependabot[bot]', type: 'Bot' });
  const repo = store.createRepo({ owner: OWNER, name: NAME, collaborators: { alice: 'admin', bob: 'write' } });
  for (const [name, color] of [
    ['bug', 'd73a4a'],
    ['feature', 'a2eeef'],
    ['enhancement', 'a2eeef'],
    ['area: cli', '0e8a16'],
    ['area: api', '0e8a16'],
    ['area: docs', '0e8a16'],
    ['priority: high', 'd93f0b'],
    ['priority: low', 'c5def5'],
  ] as const) {
    store.createLabel(repo, { name, color });
  }
  store.commitOn(repo, 'main', [{ message: 'Initial commit', date: iso(BASE) }]);

  const pulls = Math.max(10, Math.floor(size / 10));
  const unreleased = Math.max(50, Math.floor(size / 20));
  // Issues the notify release resolves (kept open until then), spread over the repository.
  const notifyIssues = Array.from({ length: notifyCount }, (_, k) => Math.max(1, Math.floor(((k + 1) * size) / (notifyCount + 1))));
  const reserved = new Set(notifyIssues);
  const step = YEAR / size;
  let comments = 0;
  let reactions = 0;
  const openIssues: number[] = [];
  const closable: number[] = [];

  for (let n = 1; n <= size; n += 1) {
    const created = BASE + n * step;
    store.now = new Date(created);
    const author = person(n * 7);
    const labels = [rnd() < 0.5 ? 'bug' : 'feature'];
    if (n % 3 === 0) labels.push(pick(['area: cli', 'area: api', 'area: docs']));
    store.createIssue(repo, {
      number: n,
      title: `${labels[0] === 'bug' ? 'Crash when' : 'Support for'} ${pick(['export', 'import', 'search', 'sync', 'login', 'themes', 'filters'])} ${n}`,
      body: `Steps to reproduce for item ${n}.\n\nIt happens every time with version 1.${n % 10}.`,
      user: author,
      labels,
      assignees: n % 5 === 0 ? ['alice'] : [],
      created_at: iso(created),
      author_association: 'NONE',
    });
    // ~5 comments: the prioritize reply with its ledger, then +1s, questions and maintainer replies.
    const extra = 2 + Math.floor(rnd() * 5); // 2..6 -> 3..7 comments, 5 on average
    const plusOnes: string[] = [];
    const bodies: Array<{ body: string; user: string; association: 'NONE' | 'MEMBER' }> = [];
    for (let c = 0; c < extra; c += 1) {
      const r = rnd();
      if (r < 0.3) {
        const who = person(n * 13 + c * 31 + 1);
        plusOnes.push(who);
        bodies.push({ body: pick(['+1', 'Same here', 'me too, this blocks our rollout']), user: who, association: 'NONE' });
      } else if (r < 0.6) {
        bodies.push({ body: 'Thanks for the report, we are looking into it.', user: pick(MAINTAINERS), association: 'MEMBER' });
      } else {
        bodies.push({ body: `Any update on this? I tried ${pick(['a workaround', 'the beta', 'v1.2'])}.`, user: person(n * 17 + c), association: 'NONE' });
      }
    }
    const priority: Priority = plusOnes.length > 0 ? 'high' : 'low';
    const requesters = [author, ...plusOnes.filter((p) => p !== author)];
    const marker = renderPrioritizeMarker({
      priority,
      path: ['blocked:no', 'new-user:no', 'quick:no', `brought-up-before:${plusOnes.length > 0 ? 'yes' : 'no'}`],
      due: priority === 'high' ? iso(created + 10 * 86_400_000).slice(0, 10) : null,
      ledger: {
        requesters: requesters.map((login, i) => ({ login, via: i === 0 ? ('author' as const) : ('comment' as const) })),
        places: [],
      },
    });
    store.createComment(repo, n, {
      body: `Thanks! Priority: **${priority === 'high' ? 'High' : 'Low'}**.\n\n${marker}`,
      user: 'github-actions[bot]',
      created_at: iso(created + 60_000),
      author_association: 'NONE',
    });
    comments += 1;
    bodies.forEach((b, c) => {
      const made = store.createComment(repo, n, { body: b.body, user: b.user, created_at: iso(created + (c + 2) * 3_600_000), author_association: b.association });
      comments += 1;
      if (rnd() < 0.2) {
        store.addReaction(repo, { comment: made.id }, person(n + c + 3), 'heart', iso(created + (c + 3) * 3_600_000));
        reactions += 1;
      }
    });
    const thumbs = Math.floor(rnd() * 4);
    for (let t = 0; t < thumbs; t += 1) {
      const { created: made } = store.addReaction(repo, { issue: n }, person(n * 11 + t * 53 + 2), '+1', iso(created + 30 * 60_000));
      if (made) reactions += 1;
    }
    if (n > 1 && n % 10 === 0) store.crossReference(repo, n - 1, n, author);
    if (!reserved.has(n)) {
      if (rnd() < 0.6) {
        store.now = new Date(created + 3 * 86_400_000);
        if (n % 2 === 0) closable.push(n);
        else store.closeIssue(repo, n, 'alice', rnd() < 0.85 ? 'completed' : 'not_planned');
      } else {
        openIssues.push(n);
      }
    }
  }

  // Pull requests, one squashed commit each on main; historic ones close earlier issues.
  let commits = 1;
  let releases = 0;
  const at = (ms: number) => {
    store.now = new Date(Math.max(store.now.getTime(), ms));
  };
  const merge = (title: string, closes: number[], docs: boolean, howTo: boolean): { number: number; commit: Commit } => {
    store.advance(60_000);
    const body = [
      `This changes ${title.replace(/^\w+: /, '')}.`,
      ...closes.map((c) => `Closes #${c}`),
      ...(howTo ? ['', '## How to use', '', '```sh', `app ${title.replace(/\W+/g, '-')}`, '```'] : []),
    ].join('\n');
    const user = person(closes[0] ?? commits);
    const [commit] = store.commitOn(repo, 'main', [{ message: `${title} (#${repo.next_number})`, author: { login: user } }]);
    commits += 1;
    const pr = store.createPull(repo, {
      title,
      body,
      user,
      labels: title.startsWith('feat') ? ['feature'] : [],
      merged: true,
      merged_by: 'alice',
      merge_commit_sha: commit!.sha,
      commits: [commit!.sha],
      closing_issues: closes,
      files: [{ filename: `src/${title.length % 7}/module.ts`, additions: 10, deletions: 2 }, ...(docs ? [{ filename: `docs/${title.length % 5}.md`, additions: 5, deletions: 0 }] : [])],
      author_association: 'CONTRIBUTOR',
    });
    for (const n of closes) if (store.issue(repo, n)?.state === 'open') store.closeIssue(repo, n, user, 'completed', commit!.sha);
    return { number: pr.number, commit: { hash: commit!.sha, message: commit!.message } };
  };

  at(BASE + YEAR + 86_400_000);
  for (let k = 0; k < pulls; k += 1) {
    const closes = k < closable.length ? [closable[k]!] : [];
    merge(k % 3 === 0 ? `feat: option ${k}` : `fix: problem ${k}`, closes, k % 4 === 0, k % 3 === 0);
    if ((k + 1) % 50 === 0) {
      store.advance(60_000);
      store.createRelease(repo, { tag_name: `v0.${releases + 1}.0`, name: `v0.${releases + 1}.0`, body: 'Notes', author: 'alice' });
      releases += 1;
    }
  }
  // Issues left in `closable` beyond the historic pulls are closed by hand.
  for (const n of closable.slice(pulls)) store.closeIssue(repo, n, 'alice', 'completed');
  if (releases === 0) {
    store.advance(60_000);
    store.createRelease(repo, { tag_name: 'v0.1.0', name: 'v0.1.0', body: 'Notes', author: 'alice' });
    releases += 1;
  }

  // The notify release: 50 pull requests closing 2 reserved issues each (notifyCount / 2 in general).
  const notifyPulls: number[] = [];
  const notifyCommits: Commit[] = [];
  for (let k = 0; k < notifyCount / 2; k += 1) {
    const { number, commit } = merge(k % 2 === 0 ? `feat: requested thing ${k}` : `fix: requested fix ${k}`, [notifyIssues[2 * k]!, notifyIssues[2 * k + 1]!], k % 5 === 0, k % 2 === 0);
    notifyPulls.push(number);
    notifyCommits.push(commit);
  }
  store.advance(60_000);
  const notifyTag = 'v1.0.0';
  const rel = store.createRelease(repo, { tag_name: notifyTag, name: notifyTag, body: 'Release notes', author: 'alice' });
  releases += 1;

  // Unreleased work for draft-release-notes.
  const stillOpen = openIssues.slice();
  let unreleasedClosedIssues = 0;
  for (let k = 0; k < unreleased; k += 1) {
    const closes = k % 2 === 0 && stillOpen.length > 10 ? [stillOpen.shift()!] : [];
    unreleasedClosedIssues += closes.length;
    merge(k % 3 === 0 ? `feat: upcoming ${k}` : k % 3 === 1 ? `fix: upcoming ${k}` : `docs: page ${k}`, closes, k % 3 === 2, k % 3 === 0);
  }
  store.advance(3_600_000);

  let events = 0;
  for (const i of repo.issues.values()) events += i.timeline.length;
  return {
    size,
    issues: size,
    pulls: repo.issues.size - size,
    comments,
    reactions,
    events,
    commits,
    releases,
    notifyTag,
    notifyReleaseId: rel.id,
    notifyIssues,
    notifyPulls,
    notifyCommits,
    unreleasedPulls: unreleased,
    unreleasedClosedIssues,
    openIssues: stillOpen.filter((n) => (store.issue(repo, n)?.state ?? 'closed') === 'open'),
    loadMs: performance.now() - started,
  };
}
