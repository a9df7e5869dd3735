// Through HTTP against the emulator: main() with a real Octokit, the recorded webhook payloads, and the
// emulator's counters checked against the issue's budget.
import { describe, expect, it } from 'vitest';
import { readPrioritizeMarker, type WebhookPayload } from '@userloop/core';
import { seedFromWebhook, webhookExample, type Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import type { PrioritizeInput } from '../src/types.ts';
import { configFrom, NOW } from './helpers.ts';
import { eachTestWithSim, simOctokit } from './sim.ts';

const REPO = 'Codertocat/Hello-World';
let sim: Sim;

eachTestWithSim(null, (s) => {
  sim = s;
});

const octokit = (token?: string) => simOctokit(sim, token);

function payloadFor(event: string, action: string, edit?: (p: Record<string, unknown>) => void): WebhookPayload {
  const p = webhookExample(event, action);
  edit?.(p);
  return p as WebhookPayload;
}

async function handle(event: string, action: string, payload: WebhookPayload, opts: { yaml?: string; token?: string; now?: Date; client?: ReturnType<typeof octokit> } = {}) {
  const input: PrioritizeInput = {
    eventName: event,
    action,
    payload,
    owner: 'Codertocat',
    repo: 'Hello-World',
    serverUrl: 'https://github.com',
    config: configFrom(opts.yaml ?? ''),
    now: opts.now ?? NOW,
  };
  const notices: string[] = [];
  const result = await main(input, { octokit: opts.client ?? octokit(opts.token), notice: (m) => notices.push(m), warning: (m) => notices.push(m) });
  return { result, notices };
}

function botComments() {
  return sim.store.commentsOf(REPO, 1).filter((c) => c.user === 'github-actions[bot]');
}
function labelsOf(n = 1) {
  return sim.store.issueLabels(REPO, sim.store.mustIssue(REPO, n)).map((l) => l.name).sort();
}

/** Seeds the recorded `issues.opened` payload (issue #1 by Codertocat, label `bug`) and handles it. */
async function opened(before?: () => void) {
  const payload = payloadFor('issues', 'opened');
  seedFromWebhook(sim.store, payload);
  before?.();
  return handle('issues', 'opened', payload);
}

const createLowLabel = () => {
  sim.store.createLabel(REPO, { name: 'priority: low', color: 'c5def5' });
  sim.resetCounters();
};

describe('issues.opened', () => {
  it('labels and replies in one read, one label write (plus creating the label once) and one comment', async () => {
    sim.resetCounters();
    const { result } = await opened();
    expect(result.priority).toBe('low');
    expect(result.changed).toBe(true);
    expect(result.previousPriority).toBeNull();
    expect(labelsOf()).toEqual(['bug', 'priority: low']);
    const label = sim.store.findLabel(REPO, 'priority: low');
    expect(label?.color).toBe('c5def5');
    expect(label?.description).toBe('userloop priority: low (not right away)');
    const [reply, ...others] = botComments();
    expect(others).toEqual([]);
    expect(result.commentId).toBe(reply?.id);
    expect(reply?.body).toContain('**Priority: Low.**');
    expect(readPrioritizeMarker(reply?.body)).toEqual({
      priority: 'low',
      path: ['blocked:no', 'new-user:no', 'quick:no', 'brought-up-before:no'],
      due: null,
      ledger: {
        requesters: [{ login: 'Codertocat', via: 'author', url: 'https://github.com/Codertocat/Hello-World/issues/1', at: '2019-05-15T15:20:18Z' }],
        places: [{ kind: 'issue', url: 'https://github.com/Codertocat/Hello-World/issues/1', number: 1 }],
      },
    });
    // The read, then the reply added with the look for an overlapping run's copy in its answer (one GraphQL
    // mutation: core's createCommentOnce).
    expect(sim.counters.graphqlQueries).toBe(2);
    expect(sim.counters.restByRoute).toEqual({
      'POST /repos/{owner}/{repo}/labels': 1,
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': 1,
    });
    expect(sim.counters.writes).toBe(3);
  });

  it('the common event, with labels existing: 3 requests (1 GraphQL read, 1 label write, the reply and the look for a racing copy in one mutation)', async () => {
    await opened(createLowLabel);
    expect(sim.counters.graphqlQueries).toBe(2);
    expect(sim.counters.rest).toBe(1);
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBeLessThanOrEqual(3);
    expect(sim.counters.writes).toBe(2);
    expect(sim.counters.graphqlPoints).toBeLessThanOrEqual(2);
  });

  it('the same event twice writes nothing the second time', async () => {
    const payload = payloadFor('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    await handle('issues', 'opened', payload);
    const body = botComments()[0]?.body;
    sim.resetCounters();
    const { result } = await handle('issues', 'opened', payload, { now: new Date('2024-01-09T00:00:00Z') });
    expect(sim.counters.writes).toBe(0);
    expect(sim.counters.rest).toBe(0);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(result.commentAction).toBe('none');
    expect(result.changed).toBe(false);
    expect(result.commentId).toBe(botComments()[0]?.id);
    expect(botComments()[0]?.body).toBe(body);
  });

  it('lists similar open issues', async () => {
    const payload = payloadFor('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    const issue = sim.store.mustIssue(REPO, 1);
    sim.store.createIssue(REPO, { title: `${issue.title} again`, body: issue.body ?? '', user: 'someone' });
    sim.store.createIssue(REPO, { title: 'Unrelated: dark mode', body: 'Please add a dark theme', user: 'someone' });
    const { result } = await handle('issues', 'opened', payload);
    expect(result.evaluation?.similar.map((s) => s.number)).toEqual([2]);
    expect(botComments()[0]?.body).toContain('These open issues look similar');
  });

  /** Issue #1 (the recorded payload), an older open issue like it, then `newer` open issues about something else. */
  function olderTwin(newer: number) {
    const payload = payloadFor('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    const twin = sim.store.createIssue(REPO, { title: 'Spelling error in the README', body: "The README spells 'commit' with two t's.", user: 'someone' });
    for (let n = 0; n < newer; n++) sim.store.createIssue(REPO, { title: `Dark mode for the settings page (${n})`, body: 'Please add a dark theme.', user: 'someone' });
    sim.resetCounters();
    return { payload, twin: twin.number };
  }

  it('looks past the newest 100 open issues: one search (advanced syntax) finds an older similar one', async () => {
    const { payload, twin } = olderTwin(110);
    const { result } = await handle('issues', 'opened', payload);
    expect(result.evaluation?.similar.map((s) => s.number)).toEqual([twin]);
    const searches = sim.requests.filter((r) => r.route === 'GET /search/issues');
    expect(searches).toHaveLength(1);
    expect(decodeURIComponent(searches[0]!.path.replace(/\+/g, ' '))).toContain('q=repo:Codertocat/Hello-World is:issue state:open (spelling OR readme OR file)');
    expect(searches[0]!.path).toContain('advanced_search=true');
    expect(botComments()[0]?.body).toContain(`- #${twin} Spelling error in the README`);
  });

  it('a failed search leaves the hint to the newest open issues, with a warning; the reply is written', async () => {
    const { payload } = olderTwin(110);
    sim.faults.add({ route: '/search/issues', status: 422 });
    const { result, notices } = await handle('issues', 'opened', payload);
    expect(result.evaluation?.similar).toEqual([]);
    expect(result.commentAction).toBe('created');
    expect(notices.some((n) => n.startsWith('The search for older similar issues failed') && n.endsWith('only the newest 100 open issues were compared.'))).toBe(true);
  });

  it('a locked issue gets its reply: the GITHUB_TOKEN may comment on a locked conversation', async () => {
    const { result } = await opened(() => sim.store.lockIssue(REPO, 1, 'too heated', 'Codertocat'));
    expect(result.commentAction).toBe('created');
    expect(botComments()).toHaveLength(1);
  });

  it('a secondary rate limit on the label write is retried to success', async () => {
    const { result } = await opened(() => {
      createLowLabel();
      sim.faults.add({ method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/labels', kind: 'secondary-rate-limit', status: 403, retryAfter: 1 });
    });
    expect(result.labelAction).toBe('added');
    expect(labelsOf()).toEqual(['bug', 'priority: low']);
    const labelWrites = sim.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels');
    expect(labelWrites.map((r) => r.status)).toEqual([403, 200]);
  });

  it('a token without issues: write fails with a clear error, and nothing is lost', async () => {
    sim.store.addToken('read-only', 'github-actions[bot]', { issues: 'read', metadata: 'read', contents: 'read' });
    const payload = payloadFor('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    await expect(handle('issues', 'opened', payload, { token: 'read-only' })).rejects.toThrow(/issues: write/);
    expect(labelsOf()).toEqual(['bug']);
  });
});

describe('re-evaluation', () => {
  it('a blocker comment: Fix it now, one label write, the reply updated and saying what changed', async () => {
    await opened();
    const c = sim.store.createComment(REPO, 1, { body: 'This blocks me: our release is stuck.', user: 'octocat' });
    const payload = payloadFor('issue_comment', 'created', (p) => {
      (p['comment'] as Record<string, unknown>)['id'] = c.id;
      (p['comment'] as Record<string, unknown>)['body'] = c.body;
    });
    sim.resetCounters();
    const { result } = await handle('issue_comment', 'created', payload);
    expect(result.priority).toBe('fix-it-now');
    expect(result.previousPriority).toBe('low');
    expect(result.changed).toBe(true);
    expect(result.due).toBe('2024-01-04');
    expect(labelsOf()).toEqual(['bug', 'priority: fix it now']);
    const body = botComments()[0]?.body ?? '';
    expect(body).toContain('**Priority: Fix it now.** octocat said this blocks them');
    expect(body).toContain('**What changed:** octocat said it blocks them; the priority went from Low to Fix it now.');
    // The reply is edited in place, and (an edit notifies nobody) one short notice tells the reporter.
    const [reply, notice, ...more] = botComments();
    expect(more).toEqual([]);
    expect(readPrioritizeMarker(reply?.body)?.priority).toBe('fix-it-now');
    expect(notice?.body).toMatch(/^@Codertocat An update: the priority of this issue went up from Low to \*\*Fix it now\*\*\. We plan to get to it today or tomorrow \(by 2024-01-04\)\./);
    // The read, and the notice added with the look for an overlapping run's copy in one GraphQL mutation.
    expect(sim.counters.graphqlQueries).toBe(2);
    // A change of priority costs one request more than a whole-set PUT did (add the new label, remove the
    // old one): only the managed labels are written, so a label added meanwhile cannot be dropped. The reply
    // is read again just before it is edited (an overlapping run may have changed it).
    expect(sim.counters.restByRoute).toEqual({
      'POST /repos/{owner}/{repo}/labels': 1,
      'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': 1,
      'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}': 1,
      'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': 1,
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': 1,
    });
  });

  it('a label a person adds between the read and the write survives the change of priority', async () => {
    await opened();
    sim.store.createLabel(REPO, { name: 'priority: fix it now', color: 'b60205' });
    sim.store.createComment(REPO, 1, { body: 'This blocks me: our release is stuck.', user: 'octocat' });
    // Octokit with a hook that, once the GraphQL read is done, has a maintainer add a label before the
    // action's first write: the action's read does not contain it.
    const client = octokit();
    let added = false;
    let seenBefore: string[] = [];
    sim.resetCounters();
    const start = sim.requests.length;
    client.hook.before('request', (options) => {
      if (added || String(options.url).endsWith('/graphql') || options.method === 'GET') return;
      added = true;
      seenBefore = sim.requests.slice(start).map((r) => `${r.method} ${r.path}`);
      sim.store.addLabels(REPO, 1, ['needs design'], 'Codertocat');
    });
    const { result } = await handle('issue_comment', 'created', payloadFor('issue_comment', 'created'), { client });
    expect(added).toBe(true);
    // The label came after the action's read (the one request before it) and before its first write.
    expect(seenBefore).toEqual(['POST /graphql']);
    expect(result.priority).toBe('fix-it-now');
    expect(result.labelAction).toBe('replaced');
    expect(labelsOf()).toEqual(['bug', 'needs design', 'priority: fix it now']);
  });

  it('the old priority label already removed by someone: the 404 on removing it is fine', async () => {
    await opened();
    sim.store.createLabel(REPO, { name: 'priority: fix it now', color: 'b60205' });
    sim.store.createComment(REPO, 1, { body: 'This blocks me.', user: 'octocat' });
    const client = octokit();
    client.hook.before('request', (options) => {
      if (options.method === 'DELETE' && sim.store.mustIssue(REPO, 1).labels.includes('priority: low')) {
        sim.store.removeLabel(REPO, 1, 'priority: low', 'github-actions[bot]');
      }
    });
    const { result } = await handle('issue_comment', 'created', payloadFor('issue_comment', 'created'), { client });
    expect(result.labelAction).toBe('replaced');
    expect(labelsOf()).toEqual(['bug', 'priority: fix it now']);
    expect(sim.requests.filter((r) => r.route === 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}').map((r) => r.status)).toEqual([404]);
  });

  it('a new requester (👍): at least High; a "+1" comment is a requester, an ordinary comment is not', async () => {
    await opened();
    sim.store.addReaction(REPO, { issue: 1 }, 'zoe', '+1');
    sim.store.createComment(REPO, 1, { body: '+1', user: 'yann' });
    sim.store.createComment(REPO, 1, { body: 'Have you tried turning it off and on again?', user: 'xavier' });
    const { result } = await handle('issue_comment', 'created', payloadFor('issue_comment', 'created'));
    expect(result.priority).toBe('high');
    expect(result.requesters).toBe(3);
    expect(labelsOf()).toEqual(['bug', 'priority: high']);
    const marker = readPrioritizeMarker(botComments()[0]?.body);
    expect(marker?.ledger.requesters.map((r) => [r.login, r.via])).toEqual([
      ['Codertocat', 'author'],
      ['yann', 'comment'],
      ['zoe', 'reaction'],
    ]);
    expect(marker?.path).toContain('brought-up-before:yes');
  });

  it('the author of a duplicate joins the ledger', async () => {
    await opened();
    const dup = sim.store.createIssue(REPO, { title: 'Same spelling problem', body: 'typo', user: 'wendy' });
    sim.store.markDuplicate(REPO, dup.number, 1, 'Codertocat');
    const { result } = await handle('issues', 'edited', payloadFor('issues', 'edited'));
    expect(result.priority).toBe('high');
    const marker = readPrioritizeMarker(botComments()[0]?.body);
    expect(marker?.ledger.requesters.map((r) => [r.login, r.via])).toEqual([
      ['Codertocat', 'author'],
      ['wendy', 'duplicate'],
    ]);
    expect(marker?.ledger.places.map((p) => p.kind)).toEqual(['issue', 'duplicate']);
  });

  it('a fake marker in a user comment is ignored', async () => {
    const payload = payloadFor('issues', 'opened');
    seedFromWebhook(sim.store, payload);
    const fake = '<!-- userloop:prioritize {"priority":"fix-it-now","path":[],"due":"2024-01-01","ledger":{"requesters":[],"places":[]}} -->';
    sim.store.createComment(REPO, 1, { body: fake, user: 'mallory' });
    const { result } = await handle('issues', 'opened', payload);
    expect(result.previousPriority).toBeNull();
    expect(result.priority).toBe('low');
    expect(botComments()).toHaveLength(1);
    expect(sim.store.commentsOf(REPO, 1).find((c) => c.user === 'mallory')?.body).toBe(fake);
  });
});

describe('a person pins the priority', () => {
  it('a label set by a maintainer wins and the action does not fight it', async () => {
    await opened();
    sim.store.removeLabel(REPO, 1, 'priority: low', 'Codertocat');
    sim.store.addLabels(REPO, 1, ['priority: high'], 'Codertocat');
    const payload = payloadFor('issues', 'labeled', (p) => {
      p['label'] = { ...(p['label'] as object), name: 'priority: high' };
    });
    const first = await handle('issues', 'labeled', payload);
    expect(first.result.priority).toBe('high');
    expect(first.result.evaluation?.pinnedBy).toBe('Codertocat');
    expect(labelsOf()).toEqual(['bug', 'priority: high']);
    expect(botComments()[0]?.body).toContain('Codertocat on our team set this priority');
    // A later blocker comment does not override the person's label.
    sim.store.createComment(REPO, 1, { body: 'this blocks me', user: 'octocat' });
    sim.resetCounters();
    const second = await handle('issue_comment', 'created', payloadFor('issue_comment', 'created'));
    expect(second.result.priority).toBe('high');
    expect(labelsOf()).toEqual(['bug', 'priority: high']);
    expect(sim.counters.restByRoute['PUT /repos/{owner}/{repo}/issues/{issue_number}/labels']).toBeUndefined();
  });
});

describe('bad input', () => {
  it.each([
    ['an empty body', ''],
    ['a 1 MB body with HTML, script and 500 mentions', `<script>alert(1)</script>${'@someone '.repeat(500)}${'x'.repeat(1024 * 1024)}`],
    ['unknown form fields only', '### Favourite colour\n\nBlue\n\n### Something else\n\n_No response_\n'],
  ])('%s: a correct reply', async (_name, body) => {
    const payload = payloadFor('issues', 'opened', (p) => {
      (p['issue'] as Record<string, unknown>)['body'] = body;
    });
    seedFromWebhook(sim.store, payload);
    const { result } = await handle('issues', 'opened', payload);
    expect(result.priority).toBe('low');
    const reply = botComments()[0]?.body ?? '';
    expect(reply).toContain('**Priority: Low.**');
    expect(reply).not.toContain('<script>');
    expect(reply).not.toContain('@someone');
    expect(reply.length).toBeLessThan(65_536);
  });
});

describe('events it does not handle', () => {
  it('another event: a notice and no request', async () => {
    sim.resetCounters();
    const { result, notices } = await handle('push', '', {} as WebhookPayload);
    expect(result.skipped).toMatch(/nothing to do for push/);
    expect(notices).toHaveLength(1);
    expect(sim.counters.rest + sim.counters.graphqlQueries).toBe(0);
  });
  it('a pull request comment: ignored', async () => {
    const payload = payloadFor('issue_comment', 'created', (p) => {
      (p['issue'] as Record<string, unknown>)['pull_request'] = { url: 'x' };
    });
    const { result } = await handle('issue_comment', 'created', payload);
    expect(result.skipped).toMatch(/pull request/);
  });
});

describe('long threads (review fixes)', () => {
  // The request log is not cleared by resetCounters: count from a mark.
  const pagesRead = (from = 0) => sim.requests.slice(from).filter((r) => JSON.stringify(r.body ?? '').includes('query UserloopLedgerComments')).length;

  it('350 comments before the first reply, "+1"s in the middle: all counted; the middle costs ceil(150/100) = 2 more queries, no REST page', async () => {
    const payload = payloadFor('issues', 'edited');
    seedFromWebhook(sim.store, payload);
    const number = (payload.issue as { number: number }).number;
    // Comments 0-99 and 250-349 are in the first and last 100 of the read; 100-249 only in the middle pages.
    const fans = new Map([
      [40, 'early'],
      [120, 'mid1'],
      [199, 'mid2'],
      [249, 'mid3'],
      [320, 'late'],
    ]);
    for (let i = 0; i < 350; i++) {
      sim.store.advance(10_000);
      const fan = fans.get(i);
      sim.store.createComment(REPO, number, fan ? { user: fan, body: '+1' } : { user: 'dev', body: `Technical note ${i}: the exporter buffers rows first.` });
    }
    createLowLabel();

    const { result } = await handle('issues', 'edited', payload);
    const requesters = result.evaluation!.ledger.requesters.map((r) => r.login);
    expect(requesters).toEqual(expect.arrayContaining(['early', 'mid1', 'mid2', 'mid3', 'late']));
    expect(pagesRead()).toBe(2);
    // The read, its two middle pages, and the reply added (its answer's last 100 comments are not the whole thread).
    expect(sim.counters.graphqlQueries).toBe(4);
    // One REST page: the look for a racing copy after creating the reply reads only the last ten minutes.
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments'] ?? 0).toBe(1);
    const [reply, ...others] = botComments();
    expect(others).toEqual([]);
    expect(readPrioritizeMarker(reply!.body)!.ledger.requesters.map((r) => r.login)).toEqual(requesters);

    // The next event finds the reply among the last 100: one read, the middle kept by the marker.
    sim.store.advance(1000);
    sim.store.createComment(REPO, number, { user: 'newfan', body: '+1' });
    sim.resetCounters();
    const mark = sim.requests.length;
    const next = await handle('issue_comment', 'created', payloadFor('issue_comment', 'created'));
    expect(pagesRead(mark)).toBe(0);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(next.result.evaluation!.ledger.requesters.map((r) => r.login)).toEqual([...requesters, 'newfan']);
    expect(botComments()).toHaveLength(1);
  });
});
