// Issue search as GitHub documents it: whole words and phrases in the title, body and comments (`in:`
// narrows them), best match first, advanced search's AND / OR / parentheses, and the limits on a query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

const FULL = 'octo-org/search-repo';
let sim: Sim;

beforeAll(async () => {
  sim = await startSim();
  const s = sim.store;
  s.createRepo({ owner: { login: 'octo-org', type: 'Organization' }, name: 'search-repo' });
  const open = (title: string, body: string) => {
    s.advance(60_000);
    return s.createIssue(FULL, { title, body, user: 'alice' }).number;
  };
  open('CSV export drops the last row', 'The last row is missing.'); // 1
  open('Export to PDF is slow', 'Exporting a long report takes minutes.'); // 2
  open('Arrow keys jump two lines', 'Pressing the down arrow skips a line.'); // 3
  open('Dark mode', 'Please add a dark theme.'); // 4
  const five = open('Crash on start', 'It crashes right away.'); // 5
  s.createComment(FULL, five, { user: 'bob', body: 'Same with a CSV file open.' });
  open('Sync stuck', 'Exporting to CSV works, syncing does not.'); // 6
});
afterAll(async () => {
  sim.assertClean();
  await sim.stop();
});

const search = async (q: string, more = '') => api(sim, 'GET', `/search/issues?q=${encodeURIComponent(`repo:${FULL} ${q}`)}${more}`);
const numbers = async (q: string, more = '') => ((await search(q, more)).json.items as { number: number }[]).map((i) => i.number);

describe('issue search', () => {
  it('matches whole words in any case, a quoted phrase as words in a row', async () => {
    expect(await numbers('row')).toEqual([1]);
    expect(await numbers('ARROW')).toEqual([3]);
    expect(await numbers('"last row"')).toEqual([1]);
    expect(await numbers('"row last"')).toEqual([]);
    expect(await numbers('export slow')).toEqual([2]);
  });

  it('looks in the title, the body and the comments unless in: says where', async () => {
    expect(await numbers('csv')).toEqual([1, 6, 5]);
    expect(await numbers('csv in:title')).toEqual([1]);
    expect(await numbers('csv in:body')).toEqual([6]);
    expect(await numbers('csv in:comments')).toEqual([5]);
    expect(await numbers('csv in:title,comments')).toEqual([1, 5]);
  });

  it('without sort, best match first (title, then body, then comments; ties newest first); with sort, by it', async () => {
    const best = await search('csv export');
    expect(best.json.items.map((i: { number: number; score: number }) => [i.number, i.score])).toEqual([[1, 4]]);
    expect(await numbers('csv', '&sort=created&order=asc')).toEqual([1, 5, 6]);
    expect(await numbers('is:issue is:open')).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('NOT and -qualifier exclude', async () => {
    expect(await numbers('csv NOT row')).toEqual([6, 5]);
    expect(await numbers('csv -is:open')).toEqual([]);
  });

  it('advanced search: OR, AND and parentheses', async () => {
    const adv = '&advanced_search=true';
    expect(await numbers('is:issue (csv OR pdf OR arrow)', adv)).toEqual([3, 2, 1, 6, 5]);
    expect(await numbers('(csv OR pdf) AND (slow OR missing)', adv)).toEqual([2, 1]);
    expect(await numbers('dark OR (crashes NOT slow)', adv)).toEqual([4, 5]);
    // Without advanced search, the same words are all required (a flat list, as the legacy syntax is).
    expect(await numbers('(csv OR pdf OR arrow)')).toEqual([]);
  });

  it('allows 30 searches a minute per user: the 31st is a primary rate limit (403, remaining 0) until the minute is over', async () => {
    sim.store.addToken('searcher-token', 'searcher', { issues: 'read' });
    const q = `/search/issues?q=${encodeURIComponent(`repo:${FULL} csv`)}`;
    for (let n = 1; n <= 30; n++) {
      const r = await api(sim, 'GET', q, undefined, 'searcher-token');
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-remaining')).toBe(String(30 - n));
    }
    const refused = await api(sim, 'GET', q, undefined, 'searcher-token');
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
    expect(refused.headers.get('x-ratelimit-resource')).toBe('search');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await api(sim, 'GET', '/rate_limit', undefined, 'searcher-token')).json.resources.search).toMatchObject({ limit: 30, used: 30, remaining: 0 });
    // Another user's searches count on their own budget.
    expect((await search('csv')).status).toBe(200);
    sim.store.advance(60_000);
    expect((await api(sim, 'GET', q, undefined, 'searcher-token')).status).toBe(200);
  });

  it("refuses what GitHub refuses: more than five AND/OR/NOT, 256 characters of text, five levels of parentheses", async () => {
    const adv = '&advanced_search=true';
    const six = await search('a OR b OR c OR d OR e OR f OR g', adv);
    expect(six.status).toBe(422);
    expect(six.json).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'Search', field: 'q', code: 'invalid', message: 'The search contains more than 5 AND / OR / NOT operators.' }] });
    expect((await search('a OR b OR c OR d OR e OR f', adv)).status).toBe(200);
    expect((await search('x'.repeat(257))).json.errors[0].message).toBe('The search is longer than 256 characters.');
    expect((await search('((((((csv))))))', adv)).status).toBe(422);
    expect((await search('(((((csv)))))', adv)).status).toBe(200);
    expect((await search('(csv', adv)).status).toBe(422);
  });
});
