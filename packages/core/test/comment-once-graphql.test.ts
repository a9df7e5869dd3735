// createCommentOnce with the issue's GraphQL id, through real HTTP against the emulator: the comment and the
// look for an overlapping run's copy in one `addComment` mutation; REST where the answer cannot settle it.
import { startSim, type Sim } from '@userloop/github-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommentOnce, createOctokit, isLockedError, renderMarker, type Octokit } from '../src/index.ts';

const OWNER = 'octo-org';
const REPO = 'octo-repo';
const FULL = `${OWNER}/${REPO}`;
const BOT = 'github-actions[bot]';
const MARK = 'once-test';

let sim: Sim;

const client = (): Octokit => createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0, throttle: { waitScale: 0.001 } });

function newIssue(): { number: number; id: string } {
  const issue = sim.store.createIssue(FULL, { title: 'Export drops a row', user: 'alice' });
  return { number: issue.number, id: issue.node_id };
}

const body = (text: string) => `${text}\n\n${renderMarker(MARK)}`;
const botComments = (n: number) => sim.store.commentsOf(FULL, n).filter((c) => c.user === BOT);

/** Posts `text` once on issue `n` with its GraphQL id. */
const postOnce = (n: { number: number; id: string }, text: string) =>
  createCommentOnce({ octokit: client(), owner: OWNER, repo: REPO, issueNumber: n.number, marker: MARK, body: body(text), login: BOT, subjectId: n.id });

beforeAll(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: OWNER, name: REPO });
  sim.store.addUser('alice');
  sim.store.addUser('mallory');
  sim.store.addToken('outsider-token', 'mallory', { issues: 'write' });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  sim.faults.clear();
  sim.resetCounters();
});
afterEach(() => {
  vi.restoreAllMocks();
  sim.assertClean();
});

describe('createCommentOnce with the issue\'s GraphQL id', () => {
  it('posts and looks for a copy in one request', async () => {
    const issue = newIssue();
    sim.resetCounters();
    const settled = await postOnce(issue, 'Hello');
    expect(settled).toMatchObject({ won: true, checked: true });
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.rest).toBe(0);
    const [only, ...more] = botComments(issue.number);
    expect(more).toEqual([]);
    expect(settled.kept.id).toBe(only!.id);
    expect(settled.kept.html_url).toMatch(new RegExp(`#issuecomment-${only!.id}$`));
  });

  it('a comment id past 2^31 (as GitHub\'s are, which GraphQL\'s 32-bit databaseId cannot answer) is read, and the comment posted once', async () => {
    const issue = newIssue();
    sim.store.nextId = Math.max(sim.store.nextId, 2 ** 31 + 7);
    sim.resetCounters();
    const settled = await postOnce(issue, 'Hello');
    expect(settled).toMatchObject({ won: true, checked: true });
    const [only, ...more] = botComments(issue.number);
    expect(more).toEqual([]);
    expect(only!.id).toBeGreaterThan(2 ** 31);
    expect(settled.kept.id).toBe(only!.id);
    expect(sim.counters.rest).toBe(0);
  });

  it('an overlapping run\'s copy posted first is kept; this run deletes its own and reports the other', async () => {
    const issue = newIssue();
    const first = sim.store.createComment(FULL, issue.number, { body: body('Hello'), user: BOT });
    sim.store.createComment(FULL, issue.number, { body: body('someone else quoting the marker'), user: 'alice' });
    sim.resetCounters();
    const settled = await postOnce(issue, 'Hello');
    expect(settled.won).toBe(false);
    expect(settled.kept.id).toBe(first.id);
    expect(botComments(issue.number).map((c) => c.id)).toEqual([first.id]);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.restByRoute).toEqual({ 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}': 1 });
  });

  it('a copy of the bot outside the window (not updated in the last ten minutes) is not one', async () => {
    const issue = newIssue();
    sim.store.createComment(FULL, issue.number, { body: body('Hello'), user: BOT });
    sim.store.advance(11 * 60 * 1000);
    const settled = await postOnce(issue, 'Hello');
    expect(settled.won).toBe(true);
    expect(botComments(issue.number)).toHaveLength(2);
  });

  it('a thread longer than the answer\'s 100 comments: the look is one REST page, and still finds the copy', async () => {
    const issue = newIssue();
    for (let i = 0; i < 120; i++) sim.store.createComment(FULL, issue.number, { body: `note ${i}`, user: 'alice' });
    sim.store.advance(11 * 60 * 1000);
    const first = sim.store.createComment(FULL, issue.number, { body: body('Hello'), user: BOT });
    sim.resetCounters();
    const settled = await postOnce(issue, 'Hello');
    expect(settled.won).toBe(false);
    expect(settled.kept.id).toBe(first.id);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(1);
  });

  it('a write GitHub refuses (a locked issue, a token of a person who may not write) is sent through REST, whose 403 says why', async () => {
    const issue = newIssue();
    sim.store.mustIssue(FULL, issue.number).locked = true;
    sim.resetCounters();
    const octokit = createOctokit({ token: 'outsider-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0, throttle: { waitScale: 0.001 } });
    const error = await createCommentOnce({ octokit, owner: OWNER, repo: REPO, issueNumber: issue.number, marker: MARK, body: body('Hello'), login: 'mallory', subjectId: issue.id }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isLockedError(error)).toBe(true);
    expect(sim.store.commentsOf(FULL, issue.number)).toEqual([]);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(1);
  });
});
