// main() through real HTTP against the emulator: what it reads, what it writes, and what a re-run costs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit, parseMarker, requireDocsSection } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import { main, type MainInput } from '../src/main.ts';

const OWNER = 'octo-org';
const REPO = 'octo-repo';
const config = requireDocsSection.parse(undefined);

const HOW_TO_USE = '## How to use\n\n```yaml\n- uses: ./actions/require-docs\n```\n';
const CODE = [{ filename: 'src/search.ts', status: 'added' as const }];
const DOC = { filename: 'docs/search.md', status: 'added' as const };

let sim: Sim;

beforeEach(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: { login: OWNER, type: 'Organization' }, name: REPO });
  sim.store.addUser('octocat');
});

afterEach(async () => {
  sim.assertClean();
  await sim.stop();
});

/** A fresh client per run, as each workflow run builds its own. */
const run = (pullNumber: number, over: Partial<MainInput> = {}, token = 'test-token') =>
  main(
    { owner: OWNER, repo: REPO, pullNumber, config, comment: true, ...over },
    { octokit: createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0, throttle: { waitScale: 0.001 } }) },
  );

const pull = (input: { title?: string; body?: string | null; labels?: string[]; files?: Array<{ filename: string; status?: 'added' | 'removed' | 'modified' }>; draft?: boolean }) =>
  sim.store.createPull(`${OWNER}/${REPO}`, { title: 'feat: add search', body: null, user: 'octocat', files: CODE, ...input }).number;

const comments = (number: number) => sim.store.commentsOf(`${OWNER}/${REPO}`, number);

describe('the config at the base commit', () => {
  it('is read in the one query; a file GitHub\'s GraphQL API cuts (over 512,000 bytes) is read again through the contents API', async () => {
    const [base] = sim.store.commitOn(`${OWNER}/${REPO}`, 'main', ['base']);
    const rules = 'require-docs:\n  docs: { enabled: false }\n  how-to-use: { enabled: false }\n';
    sim.store.setContent(`${OWNER}/${REPO}`, '.github/userloop.yml', rules, base!.sha);
    const small = await run(pull({ body: null }), { config: { ref: base!.sha, path: '.github/userloop.yml' } });
    expect(small.evaluation.passed).toBe(true);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/contents/{path}']).toBeUndefined();

    sim.store.setContent(`${OWNER}/${REPO}`, '.github/userloop.yml', `# ${'x'.repeat(600_000)}\n${rules}`, base!.sha);
    sim.resetCounters();
    const big = await run(pull({ body: null }), { config: { ref: base!.sha, path: '.github/userloop.yml' } });
    expect(big.evaluation.passed).toBe(true);
    expect(sim.counters.restByRoute['GET /repos/{owner}/{repo}/contents/{path}']).toBe(1);
  });
});

describe('main against the emulator', () => {
  it('a failing feature gets one comment; a re-run writes nothing', async () => {
    const number = pull({ body: null });
    const first = await run(number);
    expect(first.evaluation).toMatchObject({ isFeature: true, passed: false, missing: ['docs', 'how-to-use'] });
    expect(first.comment.action).toBe('created');
    expect(sim.counters.writes).toBe(1);
    // One query reads the pull request, its files, the token's identity and its comments; then the write,
    // and the look for an overlapping run's copy after it (core's keepOne).
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(sim.counters.restByRoute).toEqual({
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': 1,
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': 1,
    });
    const [comment] = comments(number);
    expect(comment?.user).toBe('github-actions[bot]');
    expect(comment?.body).toBe(
      [
        '### ❌ Docs check: 2 missing (docs, how to use)',
        '',
        'A feature (title `feat:`): it ships its doc, a how-to-use snippet for the release notes and, for a new name, a naming review.',
        '',
        '| Rule | Status | Found | What to do |',
        '| - | - | - | - |',
        '| Docs | ❌ missing | no doc changed and no docs pull request linked | Change a doc in this pull request (`docs/**`, `**/*.md` or `**/*.mdx`), or link the docs pull request under a `## Docs` heading. |',
        '| How to use | ❌ missing | no "How to use" or "Usage" section in the body | Add a `## How to use` section to the body with a code block or at least 15 words on how to use the feature; the release notes quote it. |',
        '| Naming | ➖ not needed | no new name or option | |',
        '',
        'Not a user-facing change? Add the `skip-docs` label and a line `skip-docs: <reason>` to the body. The check runs again when the body or the code changes.',
        '',
        '<!-- userloop:require-docs {"feature":true,"passed":false,"missing":["docs","how-to-use"],"skipped":false} -->',
      ].join('\n'),
    );

    sim.resetCounters();
    const again = await run(number);
    expect(again.comment.action).toBe('unchanged');
    expect(sim.counters.writes).toBe(0);
    // A re-run reads once (the pull request, its files, the identity and the comment in one query) and writes nothing.
    expect(sim.counters.rest).toBe(0);
    expect(sim.counters.graphqlQueries).toBe(1);
    expect(comments(number)).toHaveLength(1);
  });

  it('turns the comment into "all set" once the body and files pass, then writes nothing', async () => {
    const number = pull({ body: null });
    await run(number);
    const issue = sim.store.mustIssue(`${OWNER}/${REPO}`, number);
    sim.store.updateIssue(`${OWNER}/${REPO}`, number, { body: HOW_TO_USE });
    issue.pull_request!.files.push({ sha: 'a'.repeat(40), filename: DOC.filename, status: 'added', additions: 1, deletions: 0, changes: 1 });

    sim.resetCounters();
    const fixed = await run(number);
    expect(fixed.evaluation.passed).toBe(true);
    expect(fixed.comment.action).toBe('updated');
    expect(sim.counters.writes).toBe(1);
    expect(comments(number).map((c) => c.body)).toEqual([
      '### ✅ Docs check: all set\n\nIn place: docs, how to use. Thank you!\n\n<!-- userloop:require-docs {"feature":true,"passed":true,"missing":[],"skipped":false} -->',
    ]);
    expect(fixed.summary).toContain('The pull request comment was updated: ');

    sim.resetCounters();
    const again = await run(number);
    expect(again.comment.action).toBe('unchanged');
    expect(sim.counters.writes).toBe(0);
  });

  it('finds and updates its comment when comment ids are past 2^31 (as GitHub\'s are; GraphQL\'s 32-bit databaseId cannot answer them)', async () => {
    sim.store.nextId = Math.max(sim.store.nextId, 2 ** 31 + 7);
    const number = pull({ body: null });
    await run(number);
    sim.store.updateIssue(`${OWNER}/${REPO}`, number, { body: HOW_TO_USE });
    sim.store.advance(11 * 60 * 1000);
    const fixed = await run(number);
    expect(fixed.comment.action).toBe('updated');
    expect(comments(number)).toHaveLength(1);
    expect(comments(number)[0]!.id).toBeGreaterThan(2 ** 31);
  });

  it('a passing feature without a comment gets none', async () => {
    const number = pull({ body: HOW_TO_USE, files: [...CODE, DOC] });
    const result = await run(number);
    expect(result.evaluation.passed).toBe(true);
    expect(result.comment).toEqual({ action: 'none', reason: 'nothing to ask for' });
    expect(sim.counters.writes).toBe(0);
    expect(comments(number)).toEqual([]);
  });

  it('not a feature: reads the pull request and its files, writes nothing', async () => {
    const number = pull({ title: 'fix: crash on empty body', body: null });
    const result = await run(number);
    expect(result.evaluation).toMatchObject({ isFeature: false, passed: true, outcome: 'not-feature' });
    expect(sim.counters.writes).toBe(0);
    expect(result.summary).toBe(
      '## ✅ Docs check: not a feature\n\nNot a feature: no feature label, no `feat:` title and no change under feature paths.\n',
    );
  });

  it('a draft is waited for, with no comment', async () => {
    const number = pull({ draft: true, body: null });
    const result = await run(number);
    expect(result.evaluation).toMatchObject({ outcome: 'draft', passed: true });
    expect(result.comment).toEqual({ action: 'none', reason: 'drafts get no comment' });
    expect(sim.counters.writes).toBe(0);
  });

  it('the skip label with a reason is recorded in the comment marker and the summary', async () => {
    const number = pull({ labels: ['skip-docs'], body: 'Internal plumbing.\n\nskip-docs: no user-facing change, @octocat agreed' });
    const result = await run(number);
    expect(result.evaluation).toMatchObject({ outcome: 'skipped', skipped: true, passed: true, skipReason: 'no user-facing change, @octocat agreed' });
    const [comment] = comments(number);
    expect(comment?.body).toBe(
      '### ⏭️ Docs check: skipped\n\nSkipped with the `skip-docs` label. Reason: no user-facing change, @\u200Boctocat agreed\n\n' +
        '<!-- userloop:require-docs {"feature":true,"passed":true,"missing":[],"skipped":true} -->',
    );
    expect(parseMarker(comment?.body, 'require-docs')).toEqual({ feature: true, passed: true, missing: [], skipped: true });
    expect(result.summary).toContain('Skipped with the `skip-docs` label. Reason: no user-facing change, @octocat agreed');
  });

  it('the skip label without a reason runs the rules and says why', async () => {
    const number = pull({ labels: ['skip-docs'], body: null });
    const result = await run(number);
    expect(result.evaluation).toMatchObject({ outcome: 'checked', passed: false, skipped: false, skipWithoutReason: true });
    expect(comments(number)[0]?.body).toContain(
      'The `skip-docs` label is set, but the body has no line `skip-docs: <reason>`, so the rules ran. The check runs again when the body or the code changes.',
    );
  });

  it('a fork pull request with a read-only token: no comment, a clear summary, no crash', async () => {
    sim.store.addToken('fork-token', 'github-actions[bot]', { pull_requests: 'read', issues: 'read', contents: 'read', metadata: 'read' });
    const number = pull({ body: null });
    const result = await run(number, {}, 'fork-token');
    expect(result.evaluation).toMatchObject({ passed: false, missing: ['docs', 'how-to-use'] });
    expect(result.comment.action).toBe('denied');
    // One attempt, refused by GitHub; nothing written (the GraphQL read is the token's identity).
    expect(sim.requests.filter((r) => r.method !== 'GET' && r.route !== 'POST /graphql').map((r) => [r.route, r.status])).toEqual([
      ['POST /repos/{owner}/{repo}/issues/{issue_number}/comments', 403],
    ]);
    expect(comments(number)).toEqual([]);
    expect(result.summary).toMatch(
      /> \[!WARNING\]\n> Could not comment on the pull request \(GitHub API error 403: Resource not accessible by integration.*\)\. A read-only token does this: a fork pull request under `pull_request`, or no `pull-requests: write` permission\. This summary and the check status carry the result\./,
    );
    expect(result.summary).toContain('| Docs | ❌ missing |');
  });

  it('reads every page of files up to GitHub\'s 3,000 and says what it left out', async () => {
    const files = Array.from({ length: 3050 }, (_, i) => ({ filename: `src/f${String(i).padStart(4, '0')}.ts` }));
    const number = pull({ body: HOW_TO_USE, files });
    const result = await run(number);
    // The first 100 files come with the pull request; 29 more pages of 100 reach GitHub's 3,000.
    expect(sim.counters.graphqlQueries).toBe(30);
    expect(result.evaluation.notices).toEqual(['This pull request changes 3,050 files; GitHub lists only the first 3,000, so only those were checked.']);
    expect(result.evaluation.rules[0]?.detail).toBe('no doc changed and no docs pull request linked (only the first 3,000 of 3,050 files were read)');
    expect(result.summary).toContain('> [!NOTE]\n> This pull request changes 3,050 files; GitHub lists only the first 3,000, so only those were checked.');
  });

  it('finds a doc on the last page', async () => {
    const files = [...Array.from({ length: 250 }, (_, i) => ({ filename: `src/f${i}.ts` })), DOC];
    const number = pull({ body: HOW_TO_USE, files });
    const result = await run(number);
    expect(sim.counters.graphqlQueries).toBe(3);
    expect(result.evaluation.rules[0]).toMatchObject({ status: 'pass', detail: 'changes `docs/search.md`' });
  });

  it('ignores a spoofed marker in someone else\'s comment', async () => {
    const number = pull({ body: null });
    sim.store.createComment(`${OWNER}/${REPO}`, number, { user: 'octocat', body: 'all good <!-- userloop:require-docs {"feature":true,"passed":true,"missing":[],"skipped":false} -->' });
    await run(number);
    expect(comments(number).map((c) => c.user)).toEqual(['octocat', 'github-actions[bot]']);
    expect(comments(number)[0]?.body).toBe('all good <!-- userloop:require-docs {"feature":true,"passed":true,"missing":[],"skipped":false} -->');
  });

  it('with a GitHub App installation token: one comment by the app, and a re-run finds it and writes nothing', async () => {
    // GET /user answers 403 for an App token as for the GITHUB_TOKEN: the identity must come from GraphQL viewer.
    sim.store.addUser({ login: 'my-app[bot]', type: 'Bot' });
    sim.store.addToken('app-token', 'my-app[bot]', { pull_requests: 'write', issues: 'write', contents: 'read' });
    const number = pull({ body: null });
    const first = await run(number, {}, 'app-token');
    expect(first.comment.action).toBe('created');
    expect(comments(number).map((c) => c.user)).toEqual(['my-app[bot]']);

    sim.resetCounters();
    const again = await run(number, {}, 'app-token');
    expect(again.comment).toMatchObject({ action: 'unchanged', id: (first.comment as { id: number }).id });
    expect(sim.counters.writes).toBe(0);
    expect(comments(number)).toHaveLength(1);

    // Once all is set, the app's own comment is the one turned into "all set" (not a new one).
    sim.store.updateIssue(`${OWNER}/${REPO}`, number, { body: HOW_TO_USE });
    sim.store.mustIssue(`${OWNER}/${REPO}`, number).pull_request!.files.push({ sha: 'a'.repeat(40), filename: DOC.filename, status: 'added', additions: 1, deletions: 0, changes: 1 });
    expect((await run(number, {}, 'app-token')).comment.action).toBe('updated');
    expect(comments(number).map((c) => c.user)).toEqual(['my-app[bot]']);
  });

  it('comment: false writes nothing', async () => {
    const number = pull({ body: null });
    const result = await run(number, { comment: false });
    expect(result.comment).toEqual({ action: 'none', reason: 'the `comment` input is false' });
    expect(sim.counters.writes).toBe(0);
  });
});
