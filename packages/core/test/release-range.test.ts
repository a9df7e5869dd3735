import { describe, expect, it } from 'vitest';
import type { GraphqlClient } from '../src/graphql.ts';
import {
  findReleaseRange,
  RangeWalk,
  selectRangePullRequests,
  type AssociatedPullRequest,
  type HistoryCommit,
} from '../src/release-range.ts';

/** A little git: commits with dates and parents, and `git log` (date order) over them. */
class Dag {
  readonly commits = new Map<string, HistoryCommit>();
  private clock = Date.parse('2024-01-01T00:00:00Z');

  commit(oid: string, parents: string[], pullRequests: AssociatedPullRequest[] = []): string {
    this.clock += 60_000;
    this.commits.set(oid, { oid, committedDate: new Date(this.clock).toISOString(), parents, pullRequests });
    return oid;
  }

  /** A chain of `n` commits `${prefix}1..n` on top of `from`. */
  chain(prefix: string, n: number, from: string | null): string {
    let head = from;
    for (let i = 1; i <= n; i += 1) head = this.commit(`${prefix}${i}`, head ? [head] : []);
    return head!;
  }

  /** `git log <from>`: newest first by committer date. */
  history(from: string): HistoryCommit[] {
    const out: HistoryCommit[] = [];
    const seen = new Set<string>([from]);
    const queue = [this.commits.get(from)!];
    while (queue.length > 0) {
      queue.sort((a, b) => Date.parse(b.committedDate) - Date.parse(a.committedDate));
      const c = queue.shift()!;
      out.push(c);
      for (const p of c.parents) {
        if (seen.has(p)) continue;
        seen.add(p);
        queue.push(this.commits.get(p)!);
      }
    }
    return out;
  }

  /** `git rev-list base..target`, as a set. */
  range(target: string, base: string | null): Set<string> {
    const excluded = new Set(base ? this.history(base).map((c) => c.oid) : []);
    return new Set(this.history(target).map((c) => c.oid).filter((oid) => !excluded.has(oid)));
  }

  /** Runs a RangeWalk to completion, serving pages of `size`; returns the walk and how many "queries" it took. */
  walk(target: string, base: string | null, size = 100): { walk: RangeWalk; queries: number; targetPages: number; basePages: number } {
    const t = this.history(target);
    const b = base ? this.history(base) : [];
    const walk = new RangeWalk(target, base);
    let queries = 0;
    let ti = 0;
    let bi = 0;
    let targetPages = 0;
    let basePages = 0;
    // The first query always asks for both, as findReleaseRange does.
    let needs = { target: true, base: base !== null };
    while (needs.target || needs.base) {
      queries += 1;
      if (needs.target) {
        targetPages += 1;
        walk.addTargetPage({ commits: t.slice(ti, ti + size), hasNextPage: ti + size < t.length });
        ti += size;
      }
      if (needs.base) {
        basePages += 1;
        walk.addBasePage({ commits: b.slice(bi, bi + size), hasNextPage: bi + size < b.length });
        bi += size;
      }
      needs = walk.needs();
      if (queries > 10_000) throw new Error('walk does not end');
    }
    return { walk, queries, targetPages, basePages };
  }
}

const oids = (w: RangeWalk) => w.commits().map((c) => c.oid);

describe('RangeWalk', () => {
  it('linear history: the commits after the tag, in one query', () => {
    const g = new Dag();
    const tag = g.chain('a', 10, null);
    const head = g.chain('b', 5, tag);
    const { walk, queries } = g.walk(head, tag);
    expect(oids(walk)).toEqual(['b5', 'b4', 'b3', 'b2', 'b1']);
    expect(walk.boundary()).toEqual(['a10']);
    expect(queries).toBe(1);
    expect(walk.done).toBe(true);
  });

  it('the boundary is classified from the base history alone: no page of the target is read for it', () => {
    const g = new Dag();
    const tag = g.chain('a', 150, null);
    const head = g.chain('b', 7, tag);
    const { walk, queries, targetPages } = g.walk(head, tag, 7);
    expect(oids(walk)).toEqual(['b7', 'b6', 'b5', 'b4', 'b3', 'b2', 'b1']);
    expect(walk.boundary()).toEqual(['a150']);
    expect(queries).toBe(1);
    expect(targetPages).toBe(1);
    expect(walk.done).toBe(true);
  });

  it('an empty range when the target is the tag', () => {
    const g = new Dag();
    const tag = g.chain('a', 3, null);
    const { walk } = g.walk(tag, tag);
    expect(oids(walk)).toEqual([]);
  });

  it('an empty range when the target is behind the tag', () => {
    const g = new Dag();
    g.chain('a', 3, null);
    const tag = g.chain('b', 2, 'a3');
    const { walk } = g.walk('a3', tag);
    expect(oids(walk)).toEqual([]);
  });

  it('a first release: the whole history', () => {
    const g = new Dag();
    const head = g.chain('a', 7, null);
    const { walk } = g.walk(head, null);
    expect(oids(walk)).toEqual(['a7', 'a6', 'a5', 'a4', 'a3', 'a2', 'a1']);
  });

  it('keeps a long-lived branch with commits older than the tag (date-based drafters miss these)', () => {
    const g = new Dag();
    g.chain('a', 3, null);
    g.commit('f1', ['a3']); // feature branch starts before the release
    g.commit('f2', ['f1']);
    const tag = g.chain('b', 2, 'a3'); // v1.0.0 at b2, dated after f1 and f2
    g.commit('c1', [tag]);
    const merge = g.commit('m', ['c1', 'f2']);
    const { walk } = g.walk(merge, tag);
    expect(new Set(oids(walk))).toEqual(new Set(['m', 'c1', 'f2', 'f1']));
    expect(new Set(oids(walk))).toEqual(g.range(merge, tag));
  });

  it('hotfix branch: the hotfix released from its branch is not in the next main release, main is', () => {
    const g = new Dag();
    const v100 = g.chain('a', 5, null);
    g.chain('main', 4, v100); // main continues
    const v101 = g.commit('h1', [v100]); // hotfix released as v1.0.1 from release-1.0
    const back = g.commit('mh', ['main4', v101]); // hotfix merged back into main
    const head = g.commit('main5', [back]);
    // Drafting main against v1.0.1: main's own commits and the merge, not the hotfix itself.
    const { walk } = g.walk(head, v101);
    expect(new Set(oids(walk))).toEqual(new Set(['main5', 'mh', 'main4', 'main3', 'main2', 'main1']));
    // Drafting the release branch against v1.0.1: nothing new.
    expect(oids(g.walk(v101, v101).walk)).toEqual([]);
    // Drafting release-1.0 with a second hotfix against v1.0.1.
    const h2 = g.commit('h2', [v101]);
    expect(oids(g.walk(h2, v101).walk)).toEqual(['h2']);
  });

  it('target not descending from the tag (tag on a side branch): commits since the merge base', () => {
    const g = new Dag();
    const base = g.chain('a', 3, null);
    const side = g.chain('s', 4, base); // tag on a side branch never merged
    const head = g.chain('m', 3, base);
    const { walk } = g.walk(head, side);
    expect(oids(walk)).toEqual(['m3', 'm2', 'm1']);
  });

  it.each([
    [1, 1],
    [99, 1],
    [100, 1], // the boundary commit is the tag's, in the base's first page: no second page of the target
    [101, 2],
    [250, 3],
    [1000, 10],
  ])('%i commits in range: complete, in %i queries', (n, expected) => {
    const g = new Dag();
    const tag = g.chain('a', 500, null);
    const head = g.chain('b', n, tag);
    const { walk, queries, basePages } = g.walk(head, tag);
    expect(walk.commits()).toHaveLength(n);
    expect(new Set(oids(walk))).toEqual(g.range(head, tag));
    expect(queries).toBe(expected);
    expect(basePages).toBe(1);
  });

  it('merge commits with many merged branches across page boundaries', () => {
    const g = new Dag();
    const tag = g.chain('a', 20, null);
    let head = tag;
    for (let i = 0; i < 30; i += 1) {
      const branch = g.chain(`f${i}-`, 7, head);
      head = g.commit(`m${i}`, [head, branch]);
    }
    const { walk } = g.walk(head, tag, 100);
    expect(walk.commits()).toHaveLength(30 * 8);
    expect(new Set(oids(walk))).toEqual(g.range(head, tag));
  });

  it('matches git rev-list base..target on random histories', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 40; round += 1) {
      const g = new Dag();
      const all: string[] = [g.commit('r', [])];
      for (let i = 0; i < 300; i += 1) {
        const p1 = all[Math.floor(rand() * all.length)]!;
        const parents = [p1];
        if (rand() < 0.25) {
          const p2 = all[Math.floor(rand() * all.length)]!;
          if (p2 !== p1) parents.push(p2);
        }
        all.push(g.commit(`c${i}`, parents));
      }
      const target = all[Math.floor(rand() * all.length)]!;
      const base = rand() < 0.1 ? null : all[Math.floor(rand() * all.length)]!;
      const size = [1, 7, 100][round % 3]!;
      const { walk } = g.walk(target, base, size);
      expect(new Set(oids(walk)), `round ${round}`).toEqual(g.range(target, base));
    }
  });
});

describe('selectRangePullRequests', () => {
  const pr = (number: number, mergeCommitOid: string | null, extra: Partial<AssociatedPullRequest> = {}): AssociatedPullRequest => ({
    number,
    merged: true,
    mergeCommitOid,
    repository: 'octo-org/octo-repo',
    ...extra,
  });
  const c = (oid: string, prs: AssociatedPullRequest[]): HistoryCommit => ({
    oid,
    committedDate: '2024-01-01T00:00:00Z',
    parents: [],
    pullRequests: prs,
  });

  it('dedupes, keeps first-seen order, drops unmerged, other repositories and PRs merged elsewhere', () => {
    const commits = [
      c('m2', [pr(2, 'm2')]),
      c('x1', [pr(2, 'm2'), pr(9, null, { merged: false })]),
      c('m1', [pr(1, 'm1')]),
      c('b1', [
        pr(1, 'm1'),
        pr(3, 'elsewhere'), // same branch also merged into a release branch: not this release's
        pr(4, 'b1', { repository: 'fork/octo-repo' }),
        pr(5, 'b1', { repository: 'OCTO-ORG/Octo-Repo' }),
      ]),
    ];
    expect(selectRangePullRequests(commits, 'octo-org/octo-repo')).toEqual([
      { number: 2, commits: ['m2', 'x1'] },
      { number: 1, commits: ['m1', 'b1'] },
      { number: 5, commits: ['b1'] },
    ]);
  });

  it('backport: the backport PR is in the release branch range, the original is not', () => {
    // #10 merged into main as m10 (commit c1); #11 cherry-picks c1 as c1' onto release-1.0, merged as m11.
    const releaseRange = [c('m11', [pr(11, 'm11')]), c("c1'", [pr(11, 'm11')])];
    expect(selectRangePullRequests(releaseRange, 'octo-org/octo-repo').map((p) => p.number)).toEqual([11]);
    // The same branch opened twice (main and release-1.0): main's range has the branch's commits, only #10 is main's.
    const mainRange = [c('m10', [pr(10, 'm10')]), c('c1', [pr(10, 'm10'), pr(12, 'r12')])];
    expect(selectRangePullRequests(mainRange, 'octo-org/octo-repo').map((p) => p.number)).toEqual([10]);
  });
});

describe('findReleaseRange of a tag', () => {
  // The emulator has no annotated tags: GitHub's answers for one are scripted here, query by query.
  const C1 = '1'.repeat(40);
  const C2 = '2'.repeat(40);
  const page = { pageInfo: { hasNextPage: false, endCursor: 'c' }, nodes: [
    { oid: C2, committedDate: '2024-01-02T00:00:00Z', parents: { nodes: [{ oid: C1 }] }, associatedPullRequests: { nodes: [] } },
    { oid: C1, committedDate: '2024-01-01T00:00:00Z', parents: { nodes: [] }, associatedPullRequests: { nodes: [] } },
  ] };
  const scripted = (answers: ((query: string, vars: Record<string, unknown>) => unknown)[]) => {
    const calls: { query: string; vars: Record<string, unknown> }[] = [];
    const graphql = (async (query: string, vars: Record<string, unknown>) => {
      calls.push({ query, vars });
      return answers[calls.length - 1]!(query, vars);
    }) as unknown as GraphqlClient;
    return { graphql, calls };
  };

  it('an annotated tag: the first query finds its commit, the next reads that commit\'s history', async () => {
    const { graphql, calls } = scripted([
      () => ({ viewer: { login: 'bot' }, repository: { target: { target: { __typename: 'Tag', oid: 'f'.repeat(40), target: { __typename: 'Commit', oid: C2 } } } } }),
      () => ({ repository: { target: { __typename: 'Commit', oid: C2, history: page } } }),
    ]);
    const range = await findReleaseRange({ graphql, owner: 'o', repo: 'r', target: { tag: 'v2.0.0' }, base: null });
    expect(range.commits.map((c) => c.oid)).toEqual([C2, C1]);
    expect(range.targetOid).toBe(C2);
    expect(range.queries).toBe(2);
    expect(calls[0]!.vars).toMatchObject({ target: 'refs/tags/v2.0.0' });
    expect(calls[1]!.vars).toMatchObject({ target: C2 });
    expect(calls[1]!.query).toContain('object(oid: $target)');
  });

  it('a tag that does not exist: an error naming it', async () => {
    const { graphql } = scripted([() => ({ viewer: { login: 'bot' }, repository: { target: null } })]);
    await expect(findReleaseRange({ graphql, owner: 'o', repo: 'r', target: { tag: 'v9.9.9' }, base: null })).rejects.toThrow(
      'The tag v9.9.9 of the release was not found in o/r.',
    );
  });
});
