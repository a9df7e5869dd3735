// What GitHub does around the API, through the BUNDLED action (dist/index.mjs run through action.yml) against
// the emulator: a token without `pull-requests: read` in a private repository, bots' issues, an edit that
// notifies nobody, a 👍 and a duplicate that fire no event for the issue they change, and two runs that
// overlap on one issue.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hasMarker, readPrioritizeMarker, readPrioritizeSeen, renderPrioritizeMarker, renderPrioritizeSeen } from '@userloop/core';
import { Renderer, runAction, type Sim } from '@userloop/github-sim';
import { ACTION, eachTestWithSim, env } from './sim.ts';

const OWNER = 'acme';
const NAME = 'notes';
const REPO = `${OWNER}/${NAME}`;
let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-real-', (s, w) => {
  sim = s;
  workspace = w;
  sim.store.createRepo({ owner: OWNER, name: NAME, private: true, collaborators: { maintainer: 'write' } });
});

const render = () => new Renderer(sim.store, sim.url);
const repoOf = () => sim.store.repo(REPO)!;

/** The `issues` payload GitHub sends for issue `n` (as it is in the store now). */
function issuesPayload(action: string, n: number, sender: string): Record<string, unknown> {
  const r = render();
  return { action, issue: r.issue(repoOf(), sim.store.mustIssue(REPO, n)), repository: r.repository(repoOf()), sender: r.user(sender) };
}

/** A person comments on issue `n`; the `issue_comment.created` payload GitHub sends. */
function commentBy(login: string, n: number, body: string): Record<string, unknown> {
  const c = sim.store.createComment(REPO, n, { body, user: login });
  const r = render();
  return {
    action: 'created',
    issue: r.issue(repoOf(), sim.store.mustIssue(REPO, n)),
    comment: r.comment(repoOf(), c),
    repository: r.repository(repoOf()),
    sender: r.user(login),
  };
}

function run(name: string, payload: Record<string, unknown>, extra: { token?: string; apiUrl?: string; graphqlUrl?: string } = {}) {
  return runAction({ actionDir: ACTION, sim, event: { name, payload }, env, workspace, repository: REPO, ...extra });
}

const botComments = (n: number) => sim.store.commentsOf(REPO, n).filter((c) => c.user === 'github-actions[bot]');
const replies = (n: number) => botComments(n).filter((c) => hasMarker(c.body, 'prioritize'));
const notices = (n: number) => botComments(n).filter((c) => hasMarker(c.body, 'prioritize-change'));
const labels = (n: number) => sim.store.issueLabels(REPO, sim.store.mustIssue(REPO, n)).map((l) => l.name).sort();
const requesters = (n: number) => readPrioritizeMarker(replies(n)[0]?.body)?.ledger.requesters.map((r) => r.login).sort() ?? [];

/** Opens issue `n` as `login` and runs `issues.opened` on it. */
async function opened(login: string, title = 'Export drops the last row', body = 'When I export, the last row is missing.') {
  const issue = sim.store.createIssue(REPO, { title, body, user: login });
  const r = await run('issues', issuesPayload('opened', issue.number, login));
  expect(r.exitCode).toBe(0);
  return issue.number;
}

describe('a GITHUB_TOKEN without pull-requests: read, in a private repository', () => {
  it('a pull request that mentions the issue is left out (FORBIDDEN node), said once in the summary; the run succeeds on every event', async () => {
    // The job's token, with exactly what the workflow used to grant.
    sim.store.addToken('run-token', 'github-actions[bot]', { issues: 'write', contents: 'read' }, { kind: 'github-token', repository: REPO });
    const issue = sim.store.createIssue(REPO, { title: 'Export drops the last row', body: 'The last row is missing.', user: 'alice' });
    const pr = sim.store.createPull(REPO, { title: 'Fix export', body: `Fixes #${issue.number}`, user: 'bob' });
    sim.store.crossReference(REPO, issue.number, pr.number, 'bob');
    sim.store.crossReference(REPO, issue.number, sim.store.createPull(REPO, { title: 'Also', body: 'x', user: 'bob' }).number, 'bob');

    const first = await run('issues', issuesPayload('opened', issue.number, 'alice'), { token: 'run-token' });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.outputs['priority']).toBe('low');
    expect(labels(issue.number)).toEqual(['priority: low']);
    expect(replies(issue.number)).toHaveLength(1);
    const said = first.summary.match(/could not be read \(GitHub answered FORBIDDEN/g) ?? [];
    expect(said).toHaveLength(1);
    expect(first.summary).toContain('2 item(s) mentioning this issue could not be read');
    expect(first.summary).toContain('`pull-requests: read`');

    // A later event of the same issue: still no throw.
    const later = await run('issue_comment', commentBy('carol', issue.number, '+1'), { token: 'run-token' });
    expect(later.exitCode).toBe(0);
    expect(requesters(issue.number)).toEqual(['alice', 'carol']);
  });

  it('with pull-requests: read (as the workflow now declares) nothing is forbidden and nothing is said', async () => {
    sim.store.addToken('run-token', 'github-actions[bot]', { issues: 'write', contents: 'read', pull_requests: 'read' }, { kind: 'github-token', repository: REPO });
    const issue = sim.store.createIssue(REPO, { title: 'Export drops the last row', body: 'The last row is missing.', user: 'alice' });
    const pr = sim.store.createPull(REPO, { title: 'Fix export', body: `Fixes #${issue.number}`, user: 'bob' });
    sim.store.crossReference(REPO, issue.number, pr.number, 'bob');
    const r = await run('issues', issuesPayload('opened', issue.number, 'alice'), { token: 'run-token' });
    expect(r.exitCode).toBe(0);
    expect(r.summary).not.toContain('FORBIDDEN');
  });
});

describe("issues opened by a bot", () => {
  it.each([
    ['the bot itself (a docs-review or KPI issue)', 'github-actions[bot]'],
    ["another bot's (a dependency dashboard)", 'renovate[bot]'],
  ])('%s: a person comments, nothing is written and a notice says why', async (_what, author) => {
    const issue = sim.store.createIssue(REPO, { title: 'Dependency Dashboard', body: 'This issue lists updates.', user: author });
    sim.resetCounters();
    const r = await run('issue_comment', commentBy('alice', issue.number, 'Thanks, I need this too'));
    expect(r.exitCode).toBe(0);
    expect(r.annotations.some((a) => a.level === 'notice' && a.message.includes(`opened by ${author}, a bot`))).toBe(true);
    expect(sim.counters.writes).toBe(0);
    // Nothing is read: without a checkout the config rides in the issue's first query, which a bot's issue never needs.
    expect(sim.counters.graphqlQueries).toBe(0);
    expect(sim.counters.restByRoute).toEqual({});
    expect(labels(issue.number)).toEqual([]);
    expect(botComments(issue.number)).toHaveLength(0);
    expect(r.outputs['priority']).toBe('');
  });
});

describe('a raised priority or a new due date notifies', () => {
  it('the priority goes up: the reply is edited and one short notice mentions the reporter; the same event again adds nothing', async () => {
    const n = await opened('alice');
    expect(notices(n)).toHaveLength(0);
    const payload = commentBy('bob', n, 'This blocks me: our release is stuck.');
    const r = await run('issue_comment', payload);
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('fix-it-now');
    expect(replies(n)).toHaveLength(1);
    const [notice, ...more] = notices(n);
    expect(more).toEqual([]);
    expect(notice?.body).toContain('@alice An update: the priority of this issue went up from Low to **Fix it now**.');
    expect(notice?.body).toContain(`(by ${r.outputs['due-date']})`);
    expect(notice!.id).toBeGreaterThan(replies(n)[0]!.id);

    const again = await run('issue_comment', payload);
    expect(again.exitCode).toBe(0);
    expect(notices(n)).toHaveLength(1);
  });

  it('the priority goes down (a person sets Low by hand): the reply is edited, no notice', async () => {
    const n = await opened('alice', 'Crash on start', 'The app crashes on start; this blocks me.');
    expect(labels(n)).toEqual(['priority: fix it now']);
    sim.store.removeLabel(REPO, n, 'priority: fix it now', 'maintainer');
    sim.store.addLabels(REPO, n, ['priority: low'], 'maintainer');
    const payload = { ...issuesPayload('labeled', n, 'maintainer'), label: { name: 'priority: low', color: 'c5def5' } };
    const r = await run('issues', payload);
    expect(r.exitCode).toBe(0);
    expect(r.outputs['priority']).toBe('low');
    expect(readPrioritizeMarker(replies(n)[0]?.body)?.priority).toBe('low');
    expect(notices(n)).toHaveLength(0);
  });

  it('two runs at once that both raise the priority leave one notice and one reply, every round', async () => {
    for (let round = 0; round < 4; round++) {
      const n = await opened(`reporter${round}`);
      const a = commentBy(`ann${round}`, n, 'Me too, this blocks me completely.');
      const b = commentBy(`ben${round}`, n, 'Same here, this blocks me too.');
      const [ra, rb] = await Promise.all([run('issue_comment', a), run('issue_comment', b)]);
      expect(ra.exitCode).toBe(0);
      expect(rb.exitCode).toBe(0);
      expect(replies(n)).toHaveLength(1);
      expect(notices(n)).toHaveLength(1);
      expect(requesters(n)).toEqual([`ann${round}`, `ben${round}`, `reporter${round}`].sort());
    }
  });
});

/** A proxy in front of the emulator that can hold the answer to one request until told to let it go. */
async function holdingProxy(target: string): Promise<{ url: string; holdNext: (match: (method: string, path: string) => boolean) => { held: Promise<void>; release: () => void }; close: () => Promise<void> }> {
  let hold: { match: (method: string, path: string) => boolean; gate: Promise<void>; arrived: () => void } | null = null;
  const read = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const answer = await fetch(`${target}${req.url ?? ''}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) });
      const text = Buffer.from(await answer.arrayBuffer());
      const h = hold;
      if (h && h.match(req.method ?? 'GET', req.url ?? '')) {
        hold = null;
        h.arrived();
        await h.gate;
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
      });
      res.writeHead(answer.status, out);
      res.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    holdNext(match) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let arrived = () => {};
      const held = new Promise<void>((resolve) => (arrived = resolve));
      hold = { match, gate, arrived };
      return { held, release };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('two overlapping runs on one issue', () => {
  it('the run with the older read writes last: both requesters stay in the ledger, every round', async () => {
    const proxy = await holdingProxy(sim.url);
    try {
      const n = await opened('reporter');
      for (let round = 0; round < 3; round++) {
        // Run A reads the issue with p's comment; its answer is held until run B, started after q commented,
        // has read both and written. Then A goes on with its older read and writes last.
        const a = commentBy(`p${round}`, n, '+1');
        const gate = proxy.holdNext((method, path) => method === 'POST' && path.startsWith('/graphql'));
        const runA = run('issue_comment', a, { apiUrl: proxy.url, graphqlUrl: `${proxy.url}/graphql` });
        await gate.held;
        const b = commentBy(`q${round}`, n, 'me too');
        const rb = await run('issue_comment', b);
        expect(rb.exitCode).toBe(0);
        expect(requesters(n)).toContain(`q${round}`);
        gate.release();
        const ra = await runA;
        expect(ra.exitCode).toBe(0);
        const want = ['reporter', ...Array.from({ length: round + 1 }, (_, i) => [`p${i}`, `q${i}`]).flat()].sort();
        expect(requesters(n)).toEqual(want);
        expect(replies(n)).toHaveLength(1);
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('a duplicate re-evaluates its original', () => {
  it('issues.closed as a duplicate (GitHub sends events for the duplicate only): the original gets its author and goes up, in the same run', async () => {
    const original = await opened('alice');
    expect(labels(original)).toEqual(['priority: low']);
    const dup = await opened('bob', 'Last row missing in CSV', 'CSV export loses a row.');
    sim.store.markDuplicate(REPO, dup, original, 'maintainer');
    const payload = issuesPayload('closed', dup, 'maintainer');
    expect((payload['issue'] as { state_reason: string }).state_reason).toBe('duplicate');
    const r = await run('issues', payload);
    expect(r.exitCode).toBe(0);
    expect(requesters(original)).toEqual(['alice', 'bob']);
    expect(labels(original)).toEqual(['priority: high']);
    expect(notices(original)).toHaveLength(1);
    expect(r.outputs['priority']).toBe('high');
    // The duplicate itself is left as it was.
    expect(labels(dup)).toEqual(['priority: low']);
  });

  it('a "Duplicate of #N" comment re-evaluates #N too', async () => {
    const original = await opened('alice');
    const dup = await opened('bob', 'Last row missing in CSV', 'CSV export loses a row.');
    const payload = commentBy('maintainer', dup, `Duplicate of #${original}`);
    sim.store.markDuplicate(REPO, dup, original, 'maintainer', false);
    const r = await run('issue_comment', payload);
    expect(r.exitCode).toBe(0);
    expect(requesters(original)).toEqual(['alice', 'bob']);
    expect(labels(original)).toEqual(['priority: high']);
  });

  it('a stranger\'s "Duplicate of #N" adds nobody to #N (GitHub marks duplicates only for people with access); a missing #N is a warning', async () => {
    const original = await opened('alice');
    const dup = await opened('bob', 'Last row missing in CSV', 'CSV export loses a row.');
    const r = await run('issue_comment', commentBy('mallory', dup, `Duplicate of #${original}`));
    expect(r.exitCode).toBe(0);
    expect(requesters(original)).toEqual(['alice']);
    const missing = await run('issue_comment', commentBy('maintainer', dup, 'Duplicate of #9999'));
    expect(missing.exitCode).toBe(0);
    expect(missing.annotations.some((a) => a.level === 'warning' && a.message.includes('#9999'))).toBe(true);
  });

  it('closed as completed: a notice, no read and no write', async () => {
    const n = await opened('alice');
    sim.store.closeIssue(REPO, n, 'alice', 'completed');
    sim.resetCounters();
    const r = await run('issues', issuesPayload('closed', n, 'alice'));
    expect(r.exitCode).toBe(0);
    expect(r.annotations.some((a) => a.level === 'notice' && a.message.includes('not as a duplicate'))).toBe(true);
    expect(sim.counters.graphqlQueries).toBe(0);
    expect(sim.counters.writes).toBe(0);
  });
});

describe('the scheduled sweep', () => {
  it('👍 fire no event: the sweep re-evaluates the issue whose count changed, names every reactor (beyond 100), and writes nothing for the others', async () => {
    const quiet = await opened('alice', 'Dark mode', 'Please add a dark theme.');
    const liked = await opened('bob', 'Export to PDF', 'I would like to export to PDF.');
    const quietReply = replies(quiet)[0]!.body;
    for (let i = 0; i < 130; i++) sim.store.addReaction(REPO, { issue: liked }, `fan${i}`, '+1');
    sim.resetCounters();
    const r = await run('schedule', { schedule: '0 6 * * 1', repository: render().repository(repoOf()) });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(requesters(liked)).toHaveLength(131);
    expect(readPrioritizeSeen(replies(liked)[0]?.body)).toEqual({ thumbsUp: 130, duplicateEvents: 0 });
    expect(labels(liked)).toEqual(['priority: high']);
    expect(notices(liked)).toHaveLength(1);
    expect(replies(quiet)[0]?.body).toBe(quietReply);
    expect(r.summary).toMatch(/Changed \(👍 or duplicates\) +\| #2 /);

    // Nothing changed since: one page read, nothing written.
    sim.resetCounters();
    const again = await run('schedule', { schedule: '0 6 * * 1', repository: render().repository(repoOf()) });
    expect(again.exitCode).toBe(0);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.writes).toBe(0);
  });

  it('a duplicate closed by a workflow (no event): the sweep re-evaluates its original', async () => {
    const original = await opened('alice');
    const dup = await opened('bob', 'Last row missing in CSV', 'CSV export loses a row.');
    // Closed by a workflow's GITHUB_TOKEN: GitHub starts no workflow for it.
    sim.store.markDuplicate(REPO, dup, original, 'github-actions[bot]');
    const r = await run('schedule', { schedule: '17 */6 * * *', repository: render().repository(repoOf()) });
    expect(r.exitCode).toBe(0);
    expect(requesters(original)).toEqual(['alice', 'bob']);
    expect(labels(original)).toEqual(['priority: high']);
    expect(notices(original)).toHaveLength(1);
  });

  it('1,000 open issues, 10 with new 👍: 10 pages read, only the 10 re-evaluated and written, within the hourly GraphQL budget', async () => {
    const total = 1000;
    const changed = new Set<number>();
    for (let i = 0; i < total; i++) {
      const issue = sim.store.createIssue(REPO, { title: `Issue ${i}`, body: 'x', user: `user${i}` });
      const url = `https://github.com/${REPO}/issues/${issue.number}`;
      const marker = renderPrioritizeMarker({
        priority: 'low',
        path: ['blocked:no', 'new-user:no', 'quick:no', 'brought-up-before:no'],
        due: null,
        ledger: { requesters: [{ login: `user${i}`, via: 'author', url }], places: [{ kind: 'issue', url, number: issue.number }] },
      });
      sim.store.createComment(REPO, issue.number, { body: `${renderPrioritizeSeen({ thumbsUp: 0, duplicateEvents: 0 })}\n**Priority: Low.**\n\n${marker}` });
      if (i % 100 === 7) {
        sim.store.addReaction(REPO, { issue: issue.number }, `fan${i}`, '+1');
        changed.add(issue.number);
      }
    }
    sim.resetCounters();
    const r = await run('workflow_dispatch', { inputs: {}, ref: 'refs/heads/main', repository: render().repository(repoOf()), sender: render().user('maintainer') });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const written = [...changed].filter((n) => requesters(n).length === 2);
    expect(written).toHaveLength(changed.size);
    // 10 pages + one read per changed issue and its notice (a mutation whose answer holds the look after it);
    // writes only for those (label create once, label, reply, notice).
    expect(sim.counters.graphqlQueries).toBe(10 + changed.size * 2);
    // Per changed issue: the label, the reply (read again first), the notice.
    expect(sim.counters.writes).toBe(1 + changed.size * 3);
    expect(sim.counters.rest).toBeLessThanOrEqual(2 + changed.size * 3);
    // About 4 points a page of 100 (the page, and the first and last comments, 👍 and timeline counts under each
    // issue), 1 per re-evaluation and 1 per notice: a twentieth of the GITHUB_TOKEN's 1,000 points an hour.
    expect(sim.counters.graphqlPoints).toBeLessThanOrEqual(10 * 4 + changed.size * 2);
    console.log(
      `sweep of ${total} open issues, ${changed.size} changed: ${sim.counters.graphqlQueries} GraphQL queries, ${sim.counters.graphqlPoints} points, ${sim.counters.rest} REST requests, ${sim.counters.writes} writes`,
    );
  }, 120_000);
});
