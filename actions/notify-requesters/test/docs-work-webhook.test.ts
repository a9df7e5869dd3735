// The docs-review issue, the work-started notice and the webhook announcement, through HTTP.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { areasSection } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import type { MainInput, Trigger } from '../src/types.ts';
import { FULL, OWNER, REPO, addIssue, botComments, comment, mainInput, mentioned, mergePr, octokitFor, publish, seedRepo, shipIssue } from './fixture.ts';

let sim: Sim;

beforeEach(async () => {
  sim = await startSim();
  seedRepo(sim.store);
  sim.store.addUser({ login: 'docs-owner' });
  sim.store.addUser({ login: 'cli-owner' });
  sim.store.mustRepo(OWNER, REPO).collaborators['docs-owner'] = 'write';
  sim.store.mustRepo(OWNER, REPO).collaborators['cli-owner'] = 'write';
});
afterEach(async () => {
  sim.assertClean();
  await sim.stop();
});

function input(overrides: Partial<MainInput> = {}): MainInput {
  return mainInput([], {
    areas: areasSection.parse([
      { name: 'Docs', paths: ['docs/**'], owners: ['@docs-owner', '@octo-org/writers'] },
      { name: 'CLI', labels: ['cli'], owners: ['@cli-owner'] },
      { name: 'API', paths: ['src/api/**'], owners: ['@api-owner'] },
    ]),
    ...overrides,
  });
}

describe('docs-review issue', () => {
  it('lists every pull request that changed docs or copy with its files, assigned to the area owners; upserted by marker', async () => {
    const s = sim.store;
    const a = mergePr(s, { title: 'docs: install guide', files: ['docs/install.md', 'src/cli.ts'] });
    const b = mergePr(s, { title: 'feat: French UI', files: ['src/locales/fr.json', 'src/ui.ts'], labels: ['cli'] });
    mergePr(s, { title: 'fix: crash', files: ['src/api/server.ts', 'CHANGELOG.md'] });
    publish(s);
    sim.resetCounters();

    const first = await main(input(), { octokit: octokitFor(sim) });
    expect(first.warnings).toEqual([]);
    expect(first.docsReview.action).toBe('created');
    const issue = s.issue(FULL, first.docsReview.number!)!;
    expect(issue.title).toBe('Docs review for v1.1.0');
    expect(issue.labels).toEqual(['docs-review']);
    expect(issue.assignees).toEqual(['docs-owner', 'cli-owner']);
    // The list is the bot's region of the body (a person's note around it is kept).
    expect(issue.body).toBe(
      [
        '<!-- userloop:docs-review.start -->',
        'Every docs and copy change of [v1.1.0](https://github.com/octo-org/octo-repo/releases/tag/v1.1.0), for review. Tick a pull request once its changes are reviewed.',
        '',
        `- [ ] #${a} docs: install guide by @\u200Bdev`,
        '  - `docs/install.md`',
        `- [ ] #${b} feat: French UI by @\u200Bdev`,
        '  - `src/locales/fr.json`',
        '',
        '<!-- userloop:docs-review {"tag":"v1.1.0"} -->',
        '',
        '<!-- userloop:docs-review.end -->',
      ].join('\n'),
    );
    expect(sim.counters.writes).toBe(1);

    // A reviewer ticks one item; a re-run keeps it and writes nothing.
    s.updateIssue(FULL, issue.number, { body: issue.body!.replace(`- [ ] #${a}`, `- [x] #${a}`) }, 'docs-owner');
    sim.resetCounters();
    const second = await main(input(), { octokit: octokitFor(sim) });
    expect(second.docsReview).toEqual({ action: 'unchanged', number: issue.number, url: expect.any(String) });
    expect(sim.counters.writes).toBe(0);
    expect(s.issue(FULL, issue.number)!.body).toContain(`- [x] #${a}`);
  });

  it('opens it unassigned, with a warning, when an owner cannot be assigned', async () => {
    const s = sim.store;
    mergePr(s, { title: 'docs: api', files: ['docs/api.md'] });
    publish(s);
    const areas = areasSection.parse([{ name: 'Docs', paths: ['docs/**'], owners: ['@not-a-collaborator'] }]);
    const result = await main(input({ areas }), { octokit: octokitFor(sim) });
    expect(result.docsReview.action).toBe('created');
    expect(s.issue(FULL, result.docsReview.number!)!.assignees).toEqual([]);
    expect(result.warnings).toEqual(['Could not assign the docs-review issue to @not-a-collaborator; opened it unassigned.']);
  });

  it('opens none when the release changed no docs, and ignores a look-alike issue written by a user', async () => {
    const s = sim.store;
    s.createIssue(FULL, { title: 'fake', user: 'mallory', labels: ['docs-review'], body: '<!-- userloop:docs-review {"tag":"v1.1.0"} -->' });
    mergePr(s, { title: 'fix: crash', files: ['src/api/server.ts'] });
    publish(s);
    const result = await main(input(), { octokit: octokitFor(sim) });
    expect(result.docsReview.action).toBe('none');
    mergePr(s, { title: 'docs: more', files: ['docs/more.md'] });
    publish(s, 'v1.2.0');
    const next = await main(input({ trigger: { kind: 'release', tag: 'v1.2.0', release: null } }), { octokit: octokitFor(sim) });
    expect(next.docsReview.action).toBe('created');
    expect(s.issue(FULL, next.docsReview.number!)!.user).toBe('github-actions[bot]');
  });
});

describe('work-started notice', () => {
  it('goes out once per issue: on assignment, not again on a second assignment or an opened pull request', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Dark mode');
    comment(s, issue, 'bob', '+1 please');
    s.addReaction(FULL, { issue }, 'dev', '+1');
    const assigned: Trigger = { kind: 'issue-assigned', issue, assignee: 'dev' };
    sim.resetCounters();

    const first = await main(input({ trigger: assigned }), { octokit: octokitFor(sim) });
    const [notice, ...more] = botComments(s, issue);
    expect(more).toEqual([]);
    expect(notice).toBe(
      [
        ':construction: Work on this has started by @\u200Bdev. Everyone who asked for it will be told when it ships in a release.',
        '',
        'cc @alice @bob',
        '',
        `<!-- userloop:work-started {"issue":${issue},"people":["alice","bob"]} -->`,
      ].join('\n'),
    );
    expect(first.notifiedIssues).toEqual([issue]);
    expect(sim.counters.writes).toBe(1);

    sim.resetCounters();
    await main(input({ trigger: { kind: 'issue-assigned', issue, assignee: 'someone-else' } }), { octokit: octokitFor(sim) });
    s.advance(60_000);
    const pr = s.createPull(FULL, { title: 'feat: dark mode', body: `Fixes #${issue}`, user: 'dev' });
    await main(input({ trigger: { kind: 'pull-request-opened', pullRequest: pr.number, author: 'dev', title: pr.title, body: pr.body } }), {
      octokit: octokitFor(sim),
    });
    expect(sim.counters.writes).toBe(0);
    expect(botComments(s, issue)).toHaveLength(1);
  });

  it('on an opened pull request, tells the requesters of each issue it closes (keywords and linked issues)', async () => {
    const s = sim.store;
    const a = addIssue(s, 'alice', 'A');
    const b = addIssue(s, 'bob', 'B');
    const closed = addIssue(s, 'carol', 'Already closed');
    s.closeIssue(FULL, closed, 'maintainer', 'completed');
    const pr = s.createPull(FULL, { title: 'feat: A and B', body: `Closes #${a}, fixes #${closed}`, user: 'dev', closing_issues: [b] });
    const result = await main(input({ trigger: { kind: 'pull-request-opened', pullRequest: pr.number, author: 'dev', title: pr.title, body: pr.body } }), {
      octokit: octokitFor(sim),
    });
    expect(result.notifiedIssues.sort()).toEqual([a, b].sort());
    expect(result.skipped).toEqual([{ issue: closed, reason: 'closed' }]);
    expect(botComments(s, a)[0]).toContain(`in #${pr.number} (feat: A and B)`);
    expect(mentioned(botComments(s, b)[0]!)).toEqual(['bob']);
  });
});

describe('webhook announcement', () => {
  let server: Server;
  let received: { headers: IncomingMessage['headers']; body: unknown }[];
  let reply = 200;

  beforeEach(async () => {
    received = [];
    reply = 200;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(reply, { 'content-type': 'text/plain' });
        res.end(reply === 200 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/abc`;

  it('posts the release name, version and usage snippets once; a re-run stays quiet', async () => {
    const s = sim.store;
    const issue = addIssue(s, 'alice', 'Dark mode');
    const pr = mergePr(s, { title: 'feat: dark mode', closes: [issue], body: '## Usage\n\n```yaml\ntheme: dark\n```\n' });
    publish(s);
    const result = await main(input({ webhookUrl: url() }), { octokit: octokitFor(sim) });
    expect(result.announcement?.status).toBe('sent');
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.body).toEqual({
      text: `Released v1.1.0 (version 1.1.0): https://github.com/octo-org/octo-repo/releases/tag/v1.1.0\n\nHow to use: feat: dark mode (#${pr})\n\`\`\`yaml\ntheme: dark\n\`\`\``,
    });
    const again = await main(input({ webhookUrl: url() }), { octokit: octokitFor(sim) });
    expect(again.announcement?.status).toBe('skipped');
    expect(received).toHaveLength(1);
  });

  it('turns a failing webhook into a warning, never a failure', async () => {
    reply = 500;
    const s = sim.store;
    const issue = shipIssue(s, { user: 'alice', title: 'A' }, { title: 'fix: a' });
    const result = await main(input({ webhookUrl: url() }), { octokit: octokitFor(sim) });
    expect(result.announcement).toEqual({ status: 'failed', detail: 'the webhook answered 500 Internal Server Error' });
    expect(result.warnings).toEqual(['The release announcement failed: the webhook answered 500 Internal Server Error']);
    expect(result.notifiedIssues).toEqual([issue]);
  });
});
