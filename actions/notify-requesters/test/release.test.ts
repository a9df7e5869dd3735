// Release notices through HTTP against the emulator: recipients, splitting, skips, markers and the budget.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, renderPrioritizeMarker } from '@userloop/core';
import { startSim, type Sim, type Store } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import type { MainInput } from '../src/types.ts';
import { FULL, OWNER, addIssue, addIssues, botComments, comment, config, ledgerFor, mainInput, mentioned, mergePr, notices, octokitFor, publish, seedRepo, shipIssue } from './fixture.ts';

let sim: Sim;

beforeEach(async () => {
  sim = await startSim();
  seedRepo(sim.store);
});
afterEach(async () => {
  sim.assertClean();
  await sim.stop();
});

function input(overrides: Partial<MainInput> = {}): MainInput {
  return mainInput(['renovate-helper'], overrides);
}

/** Issues A (alice) and B (bob), closed by one merged pull request, and the next release. */
function shipAandB(s: Store): [number, number] {
  const [a, b] = addIssues(s, [['alice', 'A'], ['bob', 'B']]);
  mergePr(s, { title: 'fix: a and b', closes: [a, b] });
  publish(s);
  return [a, b];
}

describe('release notices', () => {
  it('quotes the usage section require-docs checks: an emoji heading, an exact heading over "Usage metrics", upgrade-hint filled', async () => {
    const s = sim.store;
    const a = addIssue(s, 'alice', 'Export');
    const b = addIssue(s, 'bob', 'Metrics');
    mergePr(s, { title: 'feat: export', closes: [a], body: '## 📖 How to use\n\n```sh\nocto export\n```\n' });
    mergePr(s, { title: 'feat: metrics', closes: [b], body: '## Usage metrics\n\nDashboards.\n\n## How to use\n\n```sh\nocto metrics\n```\n' });
    publish(s);
    await main(input({ config: config({ 'upgrade-hint': 'npm i octo@{version} ({name})', 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    const [exportNotice] = botComments(s, a);
    const [metricsNotice] = botComments(s, b);
    expect(exportNotice).toContain('```sh\nocto export\n```');
    expect(exportNotice).toContain('npm i octo@1.1.0 (v1.1.0)');
    expect(metricsNotice).toContain('```sh\nocto metrics\n```');
    expect(metricsNotice).not.toContain('Dashboards.');
  });

  it('reads the usage headings from require-docs.how-to-use.headings', async () => {
    const s = sim.store;
    const issue = shipIssue(s, { user: 'alice', title: 'Try' }, { title: 'feat: try', body: '## Try it\n\n```sh\nocto try\n```\n' });
    const full = parseConfig('require-docs:\n  how-to-use:\n    headings: [Try it]\n').config;
    await main(input({ usageHeadings: full!['require-docs']['how-to-use'].headings, config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    expect(botComments(s, issue)[0]).toContain('```sh\nocto try\n```');
  });

  it('tells the exact recipient set: author, +1 commenters, 👍 reactors, authors of duplicates; not bots, opted-out or chatter', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Dark mode');
    comment(s, issue, 'bob', '+1');
    comment(s, issue, 'carol', 'I had a look at the code, the theme lives in src/theme.ts and it would take a while to do.');
    comment(s, issue, 'dependabot[bot]', '+1');
    comment(s, issue, 'renovate-helper', 'me too');
    comment(s, issue, 'optout', 'same here');
    s.addReaction(FULL, { issue }, 'dave', '+1');
    s.addReaction(FULL, { issue }, 'erin', 'heart');
    const dup = addIssue(s, 'frank', 'Please add a dark theme');
    s.markDuplicate(FULL, dup, issue, 'maintainer');
    const pr = mergePr(s, { title: 'feat: dark mode', closes: [issue], body: '## How to use\n\nSet `theme: dark`.\n' });
    publish(s);

    const result = await main(input({ config: config({ 'opt-out': { logins: ['@optout'] } }) }), { octokit: octokitFor(sim) });

    const [notice, ...more] = botComments(s, issue);
    expect(more).toEqual([]);
    expect(mentioned(notice!)).toEqual(['alice', 'bob', 'dave']);
    expect(notice).toContain('resolved in [**v1.1.0**](https://github.com/octo-org/octo-repo/releases/tag/v1.1.0) (version `1.1.0`)');
    expect(notice).toContain(`Changed by #${pr} (feat: dark mode).`);
    expect(notice).toContain('Set `theme: dark`.');
    expect(notice).toContain('<!-- userloop:notify {"tag":"v1.1.0","people":["alice","bob","dave"]} -->');
    // The duplicate gets the notice too, telling its own author.
    const [dupNotice, ...dupMore] = botComments(s, dup);
    expect(dupMore).toEqual([]);
    expect(mentioned(dupNotice!)).toEqual(['frank']);
    expect(dupNotice).toContain(`#${issue}, which this issue duplicates, is resolved in`);
    expect(result.notifiedIssues).toEqual([issue, dup]);
    expect(result.notifiedPeople).toEqual(['alice', 'bob', 'dave', 'frank']);
    expect(result.skipped).toEqual([]);
  });

  it('reads a release at 1 GraphQL point a query; the look for the docs-review issue rides in the range\'s first query', async () => {
    const s = sim.store;
    const issues = Array.from({ length: 60 }, (_, i) => addIssue(s, `user${i}`, `Request ${i}`));
    // 60 pull requests that change docs: their labels, files and closing issues are 3 requests each.
    for (let i = 0; i < 60; i += 1) mergePr(s, { title: `docs: page ${i}`, closes: [issues[i]!], files: [`docs/page-${i}.md`] });
    publish(s);
    sim.resetCounters();
    const octokit = octokitFor(sim);
    const queries: { operation: string; points: number }[] = [];
    octokit.hook.wrap('request', async (request, options) => {
      const before = sim.counters.graphqlPoints;
      const response = await request(options);
      const query = (options as { query?: unknown }).query;
      if (typeof query === 'string') queries.push({ operation: /^\s*query (\w+)/.exec(query)?.[1] ?? query, points: sim.counters.graphqlPoints - before });
      return response;
    });
    const result = await main(input(), { octokit });
    expect(result.notifiedIssues).toHaveLength(60);
    expect(result.docsReview?.action).toBe('created');
    expect(queries.map((q) => q.operation)).toEqual([
      'ReleaseRange', // 60 commits (72 fit beside the base's page and the docs-review look) and the docs-review look
      'ReleasePullRequests', // 49 pull requests
      'ReleasePullRequests', // 11
      'NotifyIssues',
      'NotifyIssues',
      'NotifyIssues',
      'NotifyRecentComments', // the second look, with the docs-review issues
      'NotifyLabeled', // after opening the docs-review issue: one kept however runs overlap
    ]);
    expect(queries.map((q) => q.points)).toEqual(queries.map(() => 1));
    expect(result.graphqlQueries).toBe(queries.length);
  });

  it('writes exactly one comment per notified issue, reads in few queries, and a second run writes nothing', async () => {
    const s = sim.store;
    const issues = Array.from({ length: 30 }, (_, i) => addIssue(s, `user${i}`, `Request ${i}`));
    for (let i = 0; i < 30; i += 3) mergePr(s, { title: `fix: requests ${i}`, closes: issues.slice(i, i + 3) });
    publish(s);
    sim.resetCounters();

    const first = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    expect(first.notifiedIssues).toHaveLength(30);
    expect(sim.counters.writes).toBe(30);
    expect(sim.counters.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(30);
    // Range (1, the tag's commit with it) + 1 pull requests + ceil(30/25) = 2 issue reads.
    expect(sim.counters.graphqlQueries).toBeLessThanOrEqual(6);
    expect(first.graphqlQueries).toBe(sim.counters.graphqlQueries);
    for (const n of issues) expect(botComments(s, n)).toHaveLength(1);

    sim.resetCounters();
    const second = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    expect(sim.counters.writes).toBe(0);
    expect(second.notifiedIssues).toEqual([]);
    expect(second.unchanged).toHaveLength(30);
    for (const n of issues) expect(botComments(s, n)).toHaveLength(1);
  });

  it('splits 120 people over 3 comments of at most 50 mentions, in ledger order', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'p000', 'Popular request');
    // The ledger prioritize keeps in its marker (every requester since the issue was opened).
    const requesters = Array.from({ length: 120 }, (_, i) => ({ login: `p${String(i).padStart(3, '0')}`, via: i === 0 ? 'author' : 'reaction' }) as const);
    s.createComment(FULL, issue, {
      user: 'github-actions[bot]',
      body: `Priority: High\n\n${renderPrioritizeMarker({ priority: 'high', path: [], due: null, ledger: { requesters, places: [] } })}`,
    });
    for (let i = 1; i < 5; i += 1) s.addReaction(FULL, { issue }, `p${String(i).padStart(3, '0')}`, '+1');
    mergePr(s, { title: 'feat: the popular thing', closes: [issue] });
    publish(s);
    sim.resetCounters();

    const result = await main(input(), { octokit: octokitFor(sim) });
    const bodies = notices(s, issue);
    expect(bodies.map((b) => mentioned(b).length)).toEqual([50, 50, 20]);
    const all = bodies.flatMap(mentioned);
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => `p${String(i).padStart(3, '0')}`));
    expect(bodies[0]).toContain(':rocket: This is resolved in');
    expect(bodies[1]).toContain('Telling more people who asked for this');
    expect(result.notifiedPeople).toHaveLength(120);
    expect(sim.counters.writes).toBe(3);

    sim.resetCounters();
    await main(input(), { octokit: octokitFor(sim) });
    expect(sim.counters.writes).toBe(0);
  });

  it('skips and counts not-found (404), gone (410) and refused (403 locked) issues without failing; a locked issue the token may comment on is told', async () => {
    const s = sim.store;
    const [locked, gone, moved, refused, fine] = addIssues(s, [['alice', 'Locked one'], ['bob', 'Deleted later'], ['carol', 'Transferred later'], ['dave', 'Locked between read and write'], ['erin', 'Fine']]);
    mergePr(s, { title: 'fix: many things', closes: [locked, gone, moved, refused, fine] });
    publish(s);
    s.lockIssue(FULL, locked, 'resolved', 'maintainer');
    const route = (n: number) => `/repos/${FULL}/issues/${n}/comments`;
    sim.faults.add({ method: 'POST', route: route(gone), status: 404 });
    sim.faults.add({ method: 'POST', route: route(moved), status: 410 });
    sim.faults.add({ method: 'POST', route: route(refused), kind: 'locked' });
    sim.resetCounters();

    const result = await main(input(), { octokit: octokitFor(sim) });
    expect(result.skipped).toEqual([
      { issue: gone, reason: 'not-found' },
      { issue: moved, reason: 'deleted' },
      { issue: refused, reason: 'locked' },
    ]);
    expect(result.notifiedIssues).toEqual([locked, fine]);
    expect(result.failed).toEqual([]);
    // The GITHUB_TOKEN may comment on a locked conversation: the notice is posted there.
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === route(locked))).toHaveLength(1);
    expect(result.summary).toContain(`#${gone} not found (404: deleted, transferred or not visible to the token), #${moved} deleted (410), #${refused} locked`);
  });

  it('a locked issue is told when the token may comment there; refused (403) for a token without write access, it is skipped as locked', async () => {
    const s = sim.store;
    const [locked, open] = addIssues(s, [['alice', 'Locked one'], ['bob', 'Open one']]);
    comment(s, locked, 'carol', '+1');
    mergePr(s, { title: 'fix: both', closes: [locked, open] });
    publish(s);
    s.lockIssue(FULL, locked, 'resolved', 'maintainer');
    const noDocsReview = { config: config({ 'docs-review': { enabled: false } }) };

    // A personal token of someone without write access: GitHub refuses the comment on the locked issue only.
    s.addToken('outsider-token', 'outsider', { issues: 'write', pull_requests: 'read', contents: 'read' });
    const refused = await main(input(noDocsReview), { octokit: octokitFor(sim, 'outsider-token') });
    expect(refused.skipped).toEqual([{ issue: locked, reason: 'locked' }]);
    expect(refused.notifiedIssues).toEqual([open]);
    expect(refused.failed).toEqual([]);
    expect(botComments(s, locked)).toEqual([]);

    // The GITHUB_TOKEN (a bot with issues: write) may comment on a locked conversation: alice and carol are
    // told (and bob again: the outsider's notice is not the bot's own).
    const told = await main(input(noDocsReview), { octokit: octokitFor(sim) });
    expect(told.skipped).toEqual([]);
    expect(told.notifiedIssues).toEqual([locked, open]);
    expect(mentioned(botComments(s, locked)[0] ?? '')).toEqual(['alice', 'carol']);
  });

  it('stops at a secondary rate limit with a summary of what is left; a re-run finishes without duplicates', async () => {
    await sim.stop();
    sim = await startSim({ contentLimit: true });
    const s = sim.store;
    seedRepo(s);
    const issues = Array.from({ length: 100 }, (_, i) => addIssue(s, `user${i}`, `Request ${i}`));
    for (let i = 0; i < 100; i += 10) mergePr(s, { title: `fix: batch ${i}`, closes: issues.slice(i, i + 10) });
    publish(s);
    const cfg = config({ 'docs-review': { enabled: false } });

    const first = await main(input({ config: cfg }), { octokit: octokitFor(sim), waitScale: 0 });
    expect(first.notifiedIssues).toHaveLength(80);
    expect(first.stoppedBy).toMatch(/rate limit/);
    expect(first.left).toHaveLength(20);
    expect(first.left.map((l) => l.issue)).toEqual(issues.slice(80));
    expect(first.failed).toEqual([]);
    expect(first.summary).toContain('| Left');
    expect(first.summary).toContain('20 write(s) are left');
    expect(first.summary).toContain('Re-run this job or run the workflow by hand (`workflow_dispatch`) with `tag: v1.1.0`');

    s.advance(61_000);
    sim.resetCounters();
    const second = await main(input({ config: cfg }), { octokit: octokitFor(sim), waitScale: 0 });
    expect(second.notifiedIssues).toEqual(issues.slice(80));
    expect(second.unchanged).toHaveLength(80);
    expect(sim.counters.writes).toBe(20);
    for (const n of issues) expect(botComments(s, n)).toHaveLength(1);
  });

  it('ignores a notice marker written by a user', async () => {
    const s = sim.store;
    const issue = shipIssue(
      s,
      { user: 'alice', title: 'Export to CSV', comments: [['bob', '+1'], ['mallory', 'nothing to see <!-- userloop:notify {"tag":"v1.1.0","people":["alice","bob"]} -->']] },
      { title: 'feat: CSV export' },
    );

    const result = await main(input(), { octokit: octokitFor(sim) });
    expect(mentioned(botComments(s, issue)[0]!)).toEqual(['alice', 'bob']);
    expect(result.notifiedPeople).toEqual(['alice', 'bob']);
  });

  it('does not trust a marker smuggled in through a pull request snippet', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Export to CSV');
    mergePr(s, {
      title: 'feat: CSV export',
      closes: [issue],
      body: '## How to use\n\nRun `export --csv`. <!-- userloop:notify {"tag":"v1.1.0","people":["zed"]} --> Ask @someone.\n',
    });
    publish(s);
    await main(input(), { octokit: octokitFor(sim) });
    const [body] = botComments(s, issue);
    expect(body).toContain('Run `export --csv`.');
    expect(body).not.toContain('"zed"');
    expect(body).toContain('@\u200Bsomeone');
  });

  it('adds the released label when configured: one more write per issue, none on a re-run', async () => {
    const s = sim.store;
    const [a] = shipAandB(s);
    const cfg = config({ 'released-label': 'released', 'docs-review': { enabled: false } });
    sim.resetCounters();
    await main(input({ config: cfg }), { octokit: octokitFor(sim) });
    expect(sim.counters.writes).toBe(4);
    expect(s.issue(FULL, a)!.labels).toContain('released');
    sim.resetCounters();
    await main(input({ config: cfg }), { octokit: octokitFor(sim) });
    expect(sim.counters.writes).toBe(0);
  });

  it('notifies issues named in the release body only when they are closed as completed', async () => {
    const s = sim.store;
    const done = addIssue(s, 'alice', 'Done elsewhere');
    s.closeIssue(FULL, done, 'maintainer', 'completed');
    const open = addIssue(s, 'bob', 'Known issue');
    const wontfix = addIssue(s, 'carol', 'Not planned');
    s.closeIssue(FULL, wontfix, 'maintainer', 'not_planned');
    const pr = mergePr(s, { title: 'chore: tidy' });
    publish(s, 'v1.1.0', `Fixes #${done}. Known issue: #${open}. See #${wontfix} and #${pr}.`);
    const result = await main(input(), { octokit: octokitFor(sim) });
    expect(result.notifiedIssues).toEqual([done]);
    expect(botComments(s, open)).toEqual([]);
    expect(botComments(s, wontfix)).toEqual([]);
  });

  it('does nothing for a pre-release unless configured', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Beta feature');
    mergePr(s, { title: 'feat: beta', closes: [issue] });
    s.advance(60_000);
    s.createRelease(FULL, { tag_name: 'v1.1.0-rc.1', prerelease: true, author: 'maintainer' });
    const trigger = { kind: 'release' as const, tag: 'v1.1.0-rc.1', release: null };
    const skipped = await main(input({ trigger }), { octokit: octokitFor(sim) });
    expect(skipped.notifiedIssues).toEqual([]);
    expect(skipped.notices[0]).toMatch(/pre-release/);
    const done = await main(input({ trigger, config: config({ prereleases: true }) }), { octokit: octokitFor(sim) });
    expect(done.notifiedIssues).toEqual([issue]);
  });

  it('fails on missing permissions (a read-only token)', async () => {
    const s = sim.store;
    shipIssue(s, { user: 'alice', title: 'A' }, { title: 'fix: a' });
    s.addToken('read-only', 'github-actions[bot]', { issues: 'read', pull_requests: 'read', contents: 'read', metadata: 'read' });
    await expect(main(input(), { octokit: octokitFor(sim, 'read-only') })).rejects.toThrow(/issues: write/);
  });
});

describe('faults and gone issues (review fixes)', () => {
  it('a connection dropped after GitHub saved a notice: no duplicate, the issue is counted as failed with "re-run", and a re-run finishes', async () => {
    const s = sim.store;
    const [a, b] = shipAandB(s);
    const cfg = config({ 'released-label': 'released', 'docs-review': { enabled: false } });
    const fault = sim.faults.add({ method: 'POST', route: `/repos/${FULL}/issues/${a}/comments`, kind: 'drop-after-write' });

    const first = await main(input({ config: cfg }), { octokit: octokitFor(sim) });
    expect(fault.hits).toBe(1);
    // The notice was saved once and never sent again.
    expect(notices(s, a)).toHaveLength(1);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path === `/repos/${FULL}/issues/${a}/comments`)).toHaveLength(1);
    expect(first.failed).toEqual([{ issue: a, message: expect.stringMatching(/^500: the connection was lost before GitHub answered.*Re-run the job to finish/) }]);
    expect(first.notifiedIssues).toEqual([b]);
    expect(s.issue(FULL, a)!.labels).not.toContain('released');
    expect(first.summary).toContain('**To finish:** Some notices failed. Re-run this job');

    sim.resetCounters();
    const second = await main(input({ config: cfg }), { octokit: octokitFor(sim) });
    expect(second.failed).toEqual([]);
    expect(second.unchanged).toEqual([a, b]);
    expect(notices(s, a)).toHaveLength(1);
    expect(notices(s, b)).toHaveLength(1);
    // Only what was left: the label of the issue whose write was unconfirmed.
    expect(sim.counters.writes).toBe(1);
    expect(s.issue(FULL, a)!.labels).toContain('released');
  });

  it('an issue deleted (410) or transferred (301) while the run writes is skipped as such; a POST is not replayed as a GET', async () => {
    await sim.stop();
    sim = await startSim();
    const s = sim.store;
    seedRepo(s);
    s.createRepo({ owner: OWNER, name: 'elsewhere' });
    const [fine, gone, moved, hidden] = addIssues(s, [['erin', 'Fine'], ['bob', 'Deleted later'], ['carol', 'Transferred later'], ['dave', 'Not visible']]);
    mergePr(s, { title: 'fix: many things', closes: [fine, gone, moved, hidden] });
    publish(s);
    sim.faults.add({ method: 'POST', route: `/repos/${FULL}/issues/${hidden}/comments`, status: 404 });
    let newNumber = 0;
    // Between the first write and the next, an admin deletes one issue and transfers another.
    const sleep = async (): Promise<void> => {
      if (newNumber !== 0) return;
      s.deleteIssue(FULL, gone);
      newNumber = s.transferIssue(FULL, moved, `${OWNER}/elsewhere`).number;
    };
    const result = await main(input({ config: config({ 'min-interval-ms': 1000 }) }), { octokit: octokitFor(sim), sleep });

    expect(result.notifiedIssues).toEqual([fine]);
    expect(result.skipped).toEqual([
      { issue: gone, reason: 'deleted' },
      { issue: moved, reason: 'transferred' },
      { issue: hidden, reason: 'not-found' },
    ]);
    expect(result.failed).toEqual([]);
    expect(s.commentsOf(`${OWNER}/elsewhere`, newNumber)).toEqual([]);
    expect(sim.requests.filter((r) => r.path.startsWith(`/repos/${OWNER}/elsewhere/`))).toEqual([]);
    expect(result.summary).toContain(
      `#${gone} deleted (410), #${moved} transferred to another repository (301), #${hidden} not found (404: deleted, transferred or not visible to the token)`,
    );
  });

  it('an issue deleted or transferred before the run gets nothing, and nothing fails', async () => {
    const s = sim.store;
    s.createRepo({ owner: OWNER, name: 'elsewhere' });
    const gone = addIssue(s, 'bob', 'Deleted');
    const moved = addIssue(s, 'carol', 'Transferred');
    mergePr(s, { title: 'fix: both', closes: [gone, moved] });
    publish(s);
    s.deleteIssue(FULL, gone);
    s.transferIssue(FULL, moved, `${OWNER}/elsewhere`);
    const result = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    // GitHub no longer links them to the pull request, and the read finds neither: no write is even tried.
    expect(result.notifiedIssues).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.route !== 'POST /graphql')).toEqual([]);
  });

  it('counts requesters with the configured want phrases, as prioritize does', async () => {
    const s = sim.store;
    const issue = shipIssue(s, { user: 'alice', title: 'Offline mode', comments: [['bob', 'ditto'], ['carol', 'great idea, but unrelated']] }, { title: 'feat: offline' });
    const ledger = ledgerFor(['renovate-helper'], { phrases: { want: ['ditto'] }, 'community-hosts': ['forum.example.com'] });
    expect(ledger.communityHosts).toEqual(['forum.example.com']);
    await main(input({ ledger }), { octokit: octokitFor(sim) });
    expect(mentioned(notices(s, issue)[0]!)).toEqual(['alice', 'bob']);
  });

  it('notifies an issue named only in the release body only if it closed since the previous release and was not announced for another tag', async () => {
    const s = sim.store;
    // Shipped long ago: closed before v1.0.0 was published.
    s.advance(-3_600_000);
    const old = s.createIssue(FULL, { title: 'Old bug', user: 'alice' }).number;
    s.closeIssue(FULL, old, 'maintainer', 'completed');
    s.advance(3_600_000);
    expect(Date.parse(s.issue(FULL, old)!.closed_at!)).toBeLessThan(Date.parse(s.listReleases(FULL).find((r) => r.tag_name === 'v1.0.0')!.published_at!));
    // Closed after v1.0.0, but the bot already announced it for v1.0.1.
    const told = addIssue(s, 'bob', 'Told already');
    s.closeIssue(FULL, told, 'maintainer', 'completed');
    comment(s, told, 'github-actions[bot]', 'Shipped.\n\n<!-- userloop:notify {"tag":"v1.0.1","people":["bob"]} -->');
    // Closed after v1.0.0 and never announced: ships now.
    const fresh = addIssue(s, 'carol', 'Fixed now');
    s.closeIssue(FULL, fresh, 'maintainer', 'completed');
    mergePr(s, { title: 'chore: tidy' });
    publish(s, 'v1.1.0', `Fixes #${fresh}. Regression from #${old}; see also #${told}.`);

    const result = await main(input(), { octokit: octokitFor(sim) });
    expect(result.notifiedIssues).toEqual([fresh]);
    expect(notices(s, old)).toEqual([]);
    expect(notices(s, told)).toHaveLength(1);
  });

  it('a secondary rate limit with retry-after 120 on a notice: sent once (no client-side waiting), the run stops cleanly and says what is left', async () => {
    const s = sim.store;
    const issues = [addIssue(s, 'alice', 'A'), addIssue(s, 'bob', 'B'), addIssue(s, 'carol', 'C')];
    mergePr(s, { title: 'fix: all', closes: issues });
    publish(s);
    const route = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
    const fault = sim.faults.add({ method: 'POST', route, kind: 'secondary-rate-limit', retryAfter: 120, times: Infinity });

    const result = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim), waitScale: 0 });
    // The throttling plugin handed it straight to the pacer, which does not wait 120 s inside the run.
    expect(fault.hits).toBe(1);
    expect(result.stoppedBy).toBe("GitHub's rate limit (retry after 120 s)");
    expect(result.left.map((l) => l.issue)).toEqual(issues);
    expect(result.notifiedIssues).toEqual([]);
    expect(result.summary).toContain('Writing stopped at GitHub\'s rate limit (retry after 120 s); 3 write(s) are left.');
    expect(result.summary).toMatch(/\| Left +\| 3 +\| #\d+, #\d+, #\d+ \(3 people\)/);

    sim.faults.clear();
    const again = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim), waitScale: 0 });
    expect(again.notifiedIssues).toEqual(issues);
    for (const n of issues) expect(notices(s, n)).toHaveLength(1);
  });
});

describe('long threads and bot reactions (review fixes)', () => {
  const pagesRead = () => sim.requests.filter((r) => JSON.stringify(r.body ?? '').includes('query UserloopLedgerComments')).length;

  it('350 comments, no prioritize marker, "+1"s in the middle: everyone told exactly once; the middle costs ceil(150/100) = 2 more queries', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'CSV export');
    // Comments 0-99 and 250-349 are in the batched read's first and last 100; 100-249 only in the middle pages.
    const fans = new Map([
      [60, 'early'],
      [130, 'mid1'],
      [170, 'mid2'],
      [230, 'mid3'],
      [249, 'mid4'],
      [300, 'late'],
    ]);
    for (let i = 0; i < 350; i++) {
      const fan = fans.get(i);
      if (fan) comment(s, issue, fan, '+1');
      else comment(s, issue, 'dev', `Technical note ${i}: the exporter buffers rows before it writes the file.`);
    }
    mergePr(s, { title: 'feat: CSV export', closes: [issue] });
    publish(s);
    sim.resetCounters();

    const first = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    const [notice, ...more] = notices(s, issue);
    expect(more).toEqual([]);
    expect(mentioned(notice!)).toEqual(['alice', 'early', 'mid1', 'mid2', 'mid3', 'mid4', 'late']);
    expect(pagesRead()).toBe(2);
    expect(first.graphqlQueries).toBe(sim.counters.graphqlQueries);
    expect(sim.counters.writes).toBe(1);

    sim.resetCounters();
    const second = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    expect(sim.counters.writes).toBe(0);
    expect(second.unchanged).toEqual([issue]);
    expect(notices(s, issue)).toHaveLength(1);
  });

  it('with a trusted prioritize marker the middle is not read again: the marker carries its ledger', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'CSV export');
    s.advance(1000);
    s.createComment(FULL, issue, {
      user: 'github-actions[bot]',
      body: `Priority: Low.\n\n${renderPrioritizeMarker({ priority: 'low', path: [], due: null, ledger: { requesters: [{ login: 'alice', via: 'author' }, { login: 'mid', via: 'comment' }], places: [] } })}`,
    });
    for (let i = 0; i < 300; i++) comment(s, issue, 'dev', `Technical note ${i}.`);
    mergePr(s, { title: 'feat: CSV export', closes: [issue] });
    publish(s);
    sim.resetCounters();

    await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });
    expect(pagesRead()).toBe(0);
    expect(mentioned(notices(s, issue)[0]!)).toEqual(['alice', 'mid']);
  });

  it('a GitHub App 👍 (GraphQL answers it as a User named `renovate`) is not told; a machine user is left out by the `bots` list', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Dark mode');
    s.addUser({ login: 'deploy-robot', type: 'User' });
    s.addReaction(FULL, { issue }, 'renovate[bot]', '+1');
    s.addReaction(FULL, { issue }, 'deploy-robot', '+1');
    s.addReaction(FULL, { issue }, 'bob', '+1');
    mergePr(s, { title: 'feat: dark mode', closes: [issue] });
    publish(s);

    await main(input({ bots: ['deploy-robot'], ledger: ledgerFor(['deploy-robot']), config: config({ 'docs-review': { enabled: false } }) }), {
      octokit: octokitFor(sim),
    });
    expect(mentioned(notices(s, issue)[0]!)).toEqual(['alice', 'bob']);
  });
});

describe('only issues closed as completed are told', () => {
  it('skips an issue left open by a merge into another branch, a reopened one and one closed as not planned, and lists why', async () => {
    const s = sim.store;
    const [done, reopened, notPlanned, branch, dup] = addIssues(s, [['alice', 'Done'], ['bob', 'Reopened'], ['carol', 'Not planned'], ['dave', 'On develop'], ['erin', 'Same as done']]);
    s.markDuplicate(FULL, dup, done, 'maintainer');
    mergePr(s, { title: 'feat: done', closes: [done] });
    mergePr(s, { title: 'feat: reopened', closes: [reopened] });
    s.reopenIssue(FULL, reopened, 'bob');
    mergePr(s, { title: 'fix: not planned', closes: [notPlanned] });
    s.reopenIssue(FULL, notPlanned, 'maintainer');
    s.closeIssue(FULL, notPlanned, 'maintainer', 'not_planned');
    // A pull request merged into `develop` (later merged into main) links the issue but closes nothing.
    mergePr(s, { title: 'feat: on develop', body: `Closes #${branch}`, closes: [branch], base: 'develop' });
    publish(s);

    const result = await main(input({ config: config({ 'docs-review': { enabled: false } }) }), { octokit: octokitFor(sim) });

    expect(result.notifiedIssues).toEqual([done, dup]);
    for (const n of [reopened, notPlanned, branch]) expect(botComments(s, n)).toEqual([]);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { issue: reopened, reason: 'open' },
        { issue: notPlanned, reason: 'not-completed' },
        { issue: branch, reason: 'open' },
      ]),
    );
    expect(result.skipped).toHaveLength(3);
    expect(result.summary).toContain(`#${reopened} still open (a merge into a non-default branch closes nothing; or it was reopened)`);
    expect(result.summary).toContain(`#${notPlanned} closed as not planned or as a duplicate, not as completed`);
  });
});
