/**
 * Replays requests recorded from api.github.com (`@octokit/fixtures`) against the emulator, seeded with the
 * state each recording assumes, and compares what GitHub answered with what the emulator answers: the
 * status, the headers clients act on (`Link` pagination, the rate-limit headers, `Location`, the media
 * type) and the body's shape (every key GitHub sent, with the same JSON type; values differ by nature).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, startSim } from '../src/index.ts';

interface Recorded {
  method: string;
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  reqheaders: Record<string, string | number>;
  headers: Record<string, string>;
}

const require = createRequire(import.meta.url);
const root = join(dirname(require.resolve('@octokit/fixtures/package.json')), 'scenarios', 'api.github.com');
const load = (name: string): Recorded[] => require(join(root, name, 'normalized-fixture.json')) as Recorded[];

const ORG = 'octokit-fixture-org';

/** The state each recording assumes, put in a fresh store. */
const SEEDS: Record<string, (s: Store, rec: Recorded[]) => void> = {
  'add-labels-to-issue': (s) => {
    s.createRepo({ owner: ORG, name: 'add-labels-to-issue' });
  },
  labels: (s, rec) => {
    const repo = s.createRepo({ owner: ORG, name: 'labels' });
    for (const l of rec[0]!.response as Array<{ name: string; color: string; description: string | null }>) {
      s.createLabel(repo, { name: l.name, color: l.color, description: l.description, default: true });
    }
  },
  'lock-issue': (s) => {
    s.createRepo({ owner: ORG, name: 'lock-issue' });
    s.createIssue(`${ORG}/lock-issue`, { title: 'Issue to lock', user: ORG });
  },
  'paginate-issues': (s) => {
    s.createRepo({ owner: ORG, name: 'paginate-issues' });
    for (let i = 1; i <= 13; i++) s.createIssue(`${ORG}/paginate-issues`, { title: `Test issue ${i}`, user: ORG });
  },
  errors: (s) => {
    s.createRepo({ owner: ORG, name: 'errors' });
  },
  'git-refs': (s, rec) => {
    s.createRepo({ owner: ORG, name: 'git-refs' });
    for (const r of rec[0]!.response as Array<{ ref: string; object: { sha: string } }>) s.setRef(`${ORG}/git-refs`, r.ref, r.object.sha);
  },
  'get-content': (s) => {
    s.createRepo({ owner: ORG, name: 'hello-world', default_branch: 'master' });
    s.setContent(`${ORG}/hello-world`, 'README.md', '# hello-world');
  },
  'get-repository': (s) => {
    s.createRepo({ owner: { login: ORG, type: 'Organization' }, name: 'hello-world', default_branch: 'master' });
  },
  'search-issues': (s, rec) => {
    s.createRepo({ owner: ORG, name: 'search-issues' });
    for (const i of (rec[0]!.response as { items: Array<{ title: string; body: string | null }> }).items) {
      s.createIssue(`${ORG}/search-issues`, { title: i.title, body: i.body, user: ORG });
    }
  },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Where `actual` differs in shape from `expected`: missing keys, other JSON types, and (for a list at the
 * root, whose length the seeded state fixes) another length. Nested lists are compared item by item.
 */
function shapeDiff(expected: unknown, actual: unknown, at = ''): string[] {
  const te = typeOf(expected);
  const ta = typeOf(actual);
  // a null on one side is a value (an empty description, no milestone), not a shape
  if (te === 'null' || ta === 'null') return [];
  if (te !== ta) return [`${at || '/'}: ${te} recorded, ${ta} answered`];
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    const out = e.length === a.length || at !== '' ? [] : [`${at || '/'}: ${e.length} items recorded, ${a.length} answered`];
    for (let i = 0; i < Math.min(e.length, a.length); i++) out.push(...shapeDiff(e[i], a[i], `${at}/${i}`));
    return out;
  }
  if (te === 'object') {
    const e = expected as Record<string, Json>;
    const a = actual as Record<string, Json>;
    const out: string[] = [];
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${at}/${k}: missing`);
      else out.push(...shapeDiff(e[k], a[k], `${at}/${k}`));
    }
    return out;
  }
  return [];
}

/** A Link header as `rel -> page` (the URLs' hosts and paths differ: GitHub links `/repositories/{id}/...`). */
function linkPages(h: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (h ?? '').split(/,\s*/).filter(Boolean)) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (m) out[m[2]!] = new URL(m[1]!).searchParams.get('page') ?? '';
  }
  return out;
}

const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used', 'x-ratelimit-resource'];

describe('recorded api.github.com scenarios replayed against the emulator', () => {
  for (const [scenario, seed] of Object.entries(SEEDS)) {
    it(scenario, async () => {
      const recorded = load(scenario);
      const store = new Store();
      seed(store, recorded);
      const sim = await startSim({ store });
      const problems: string[] = [];
      try {
        let next: string | undefined;
        for (const [i, rec] of recorded.entries()) {
          // pagination follows the emulator's own `next` link, as a client does; GET /git/refs/ (every ref) is
          // no longer in GitHub's description: its successor, /git/matching-refs/, answers the same list
          const path = rec.path.startsWith('/repositories/') && next ? next : rec.path.replace(/\/git\/refs\/$/, '/git/matching-refs/');
          const headers: Record<string, string> = { accept: String(rec.reqheaders.accept ?? 'application/vnd.github.v3+json'), authorization: 'token test-token' };
          const hasBody = rec.body !== '' && rec.body !== undefined;
          if (hasBody) headers['content-type'] = 'application/json; charset=utf-8';
          const res = await fetch(sim.url + path, { method: rec.method.toUpperCase(), headers, ...(hasBody ? { body: JSON.stringify(rec.body) } : {}) });
          const text = await res.text();
          const where = `${scenario} #${i} ${rec.method.toUpperCase()} ${rec.path}`;
          if (res.status !== rec.status) problems.push(`${where}: status ${rec.status} recorded, ${res.status} answered (${text.slice(0, 200)})`);
          for (const h of RATE_HEADERS) {
            if (rec.headers[h] === undefined) continue;
            const got = res.headers.get(h);
            if (got === null) problems.push(`${where}: no ${h} header`);
            else if (h === 'x-ratelimit-resource' || h === 'x-ratelimit-limit' ? got !== rec.headers[h] : !/^\d+$/.test(got)) {
              problems.push(`${where}: ${h} ${rec.headers[h]} recorded, ${got} answered`);
            }
          }
          if (rec.headers.link !== undefined || res.headers.get('link') !== null) {
            const want = linkPages(rec.headers.link);
            const got = linkPages(res.headers.get('link'));
            if (JSON.stringify(Object.entries(want).sort()) !== JSON.stringify(Object.entries(got).sort())) {
              problems.push(`${where}: link ${JSON.stringify(want)} recorded, ${JSON.stringify(got)} answered`);
            }
          }
          const linkNext = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
          next = linkNext ? new URL(linkNext).pathname + new URL(linkNext).search : undefined;
          if (rec.headers.location !== undefined && !res.headers.get('location')) problems.push(`${where}: no location header`);
          const mediaType = (v: string | null | undefined) => (v ?? '').split(';')[0]!.trim();
          if (rec.headers['content-type'] !== undefined && mediaType(rec.headers['content-type']) !== mediaType(res.headers.get('content-type'))) {
            problems.push(`${where}: content-type ${rec.headers['content-type']} recorded, ${res.headers.get('content-type')} answered`);
          }
          if (typeof rec.response === 'string') {
            if (rec.response !== '' && text !== rec.response) problems.push(`${where}: body ${JSON.stringify(rec.response)} recorded, ${JSON.stringify(text.slice(0, 100))} answered`);
          } else {
            const body: unknown = text ? JSON.parse(text) : undefined;
            problems.push(...shapeDiff(rec.response, body, '').map((d) => `${where}: body ${d}`));
          }
        }
        sim.assertClean();
      } finally {
        await sim.stop();
      }
      expect(problems).toEqual([]);
    });
  }
});
