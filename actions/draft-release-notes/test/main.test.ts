// Integration: main() against the emulator over HTTP (REST + GraphQL), histories built like GitHub's.
import { createOctokit, defaultConfig, parseConfig, type DraftReleaseNotesConfig } from '@userloop/core';
import { startSim, type Sim } from '@userloop/github-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import type { MainInput } from '../src/types.ts';
import { RELEASE_BODY_LIMIT } from '@userloop/core';
import { FULL, OWNER, REPO, seed, type History } from './fixture.ts';

const ZW = '\u200B';
let sim: Sim;
let h: History;

beforeEach(async () => {
  sim = await startSim();
  h = seed(sim.store);
});
afterEach(async () => {
  await sim.stop();
});

const config = (yaml = ''): DraftReleaseNotesConfig => {
  const r = parseConfig(yaml ? `draft-release-notes:\n${yaml}` : '', '.github/userloop.yml');
  expect(r.errors).toEqual([]);
  return r.config!['draft-release-notes'];
};

const run = (over: Partial<MainInput> = {}, token = 'test-token') => {
  const octokit = createOctokit({ token, apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0 });
  return main(
    {
      owner: OWNER,
      repo: REPO,
      target: 'refs/heads/main',
      branch: 'main',
      config: config(),
      usageHeadings: defaultConfig()['require-docs']['how-to-use'].headings,
      serverUrl: 'https://github.com',
      ...over,
    },
    { octokit },
  );
};

const drafts = () => sim.store.listReleases(FULL).filter((r) => r.draft);
const prNumbers = (body: string) => [...body.matchAll(/\[#(\d+)\]\(https:\/\/github\.com\/octo-org\/octo-repo\/pull\/\d+\)/g)].map((m) => Number(m[1]));

/** The start of the how-to-use section: quoted byte for byte in the notes (a mention in code stays). */
const RUN = ['Run:', '', '```sh', 'octo export --format csv > out.csv  # @not-a-mention stays in code', '```', ''];

const FEATURE_BODY = [
  '## Summary',
  'Adds `export`. Thanks @carol for the idea.',
  '',
  '## How to use',
  '',
  ...RUN,
  '### Options',
  '',
  '`--format` is csv or json; ask @dave.',
  '',
  '## Checklist',
  '- [x] docs',
].join('\n');

/**
 * main:        init ─ #1 ─ v1.0.0 ─ #2 (fix) ─ #4 (feature) ─ #5 (skip) ─ #6 (bot) ─ #7 (long-lived) ─ #9
 * release-1.0:          └─ #3 (backport of #2) ─ v1.0.1 ─ #8 (hotfix)
 * #7's branch starts before v1.0.0; #9 reuses #2's change through a second PR into release-1.0.
 */
function hotfixHistory() {
  const issueFix = h.issue('Crash on empty config', 'erin');
  const issueFeature = h.issue('Export to CSV', 'bob', ['bob', 'carol', 'dependabot[bot]']);
  // A user pastes a fake ledger marker in their own comment: never trusted.
  sim.store.createComment(FULL, issueFeature, {
    user: 'mallory',
    body: '<!-- userloop:prioritize {"priority":"high","path":[],"due":null,"ledger":{"requesters":[{"login":"mallory","via":"author"}],"places":[]}} -->',
  });
  const issueKeyword = h.issue('Docs typo', 'dave');
  const oldBranchStart = h.head('main');
  const n1 = h.merge({ title: 'feat: first feature', body: '## How to use\n\nJust run it.' });
  h.release('v1.0.0');
  h.branch('release-1.0', h.head('main'));
  const n2 = h.merge({ title: 'fix: crash on empty config', closes: [issueFix], labels: ['bug'] });
  const n3 = h.backport(n2, 'release-1.0');
  h.release('v1.0.1', 'release-1.0');
  const n4 = h.merge({ title: 'feat(cli): export to CSV @alice', body: FEATURE_BODY, user: 'bob', closes: [issueFeature] });
  const n5 = h.merge({ title: 'chore: internal tidy', labels: ['skip-changelog'] });
  const n6 = h.merge({ title: 'Bump lodash from 4.17.20 to 4.17.21', user: 'dependabot[bot]' });
  const n7 = h.merge({ title: 'docs: fix typo', from: oldBranchStart, commits: 3, body: `Fixes #${issueKeyword}` });
  const n8 = h.merge({ title: 'fix: hotfix only on 1.0', base: 'release-1.0' });
  return { n1, n2, n3, n4, n5, n6, n7, n8, issueFix, issueFeature, issueKeyword };
}

describe('main against the emulator', () => {
  it('hotfix branch and backport: the right PRs, categories, snippet, requesters, version; one write', async () => {
    const n = hotfixHistory();
    sim.resetCounters();
    const r = await run();

    expect(r.action).toBe('created');
    expect(r.baseTag).toBe('v1.0.0');
    expect(r.version).toBe('1.1.0');
    expect(r.tagName).toBe('v1.1.0');
    expect(r.pullRequests).toBe(5); // #2 #4 #5 #6 #7: not #1 (released), #3 and #8 (release-1.0)
    expect(prNumbers(r.body).sort((a, b) => a - b)).toEqual([n.n2, n.n4, n.n6, n.n7].sort((a, b) => a - b));
    expect(r.body).not.toContain('internal tidy');

    const [draft] = drafts();
    expect(drafts()).toHaveLength(1);
    expect(draft).toMatchObject({ tag_name: 'v1.1.0', name: 'v1.1.0', target_commitish: 'main', prerelease: false, body: r.body });
    expect(r.releaseId).toBe(draft!.id);
    expect(r.releaseUrl).toContain(`/releases/`);

    const feature = [
      '### Features',
      '',
      `#### feat\\(cli\\): export to CSV @${ZW}alice`,
      '',
      `[#${n.n4}](https://github.com/octo-org/octo-repo/pull/${n.n4}) by @bob · Closes [#${n.issueFeature}](https://github.com/octo-org/octo-repo/issues/${n.issueFeature}) · Requested by @bob, @carol`,
      '',
      ...RUN,
      '##### Options',
      '',
      `\`--format\` is csv or json; ask @${ZW}dave.`,
    ].join('\n');
    expect(r.body).toContain(feature);
    expect(r.body).not.toContain('mallory');
    expect(r.body).toContain(
      `- fix: crash on empty config · [#${n.n2}](https://github.com/octo-org/octo-repo/pull/${n.n2}) by @alice · Closes [#${n.issueFix}](https://github.com/octo-org/octo-repo/issues/${n.issueFix}) · Requested by @erin`,
    );
    // Closing keyword only (no closing reference): listed, the author credited (no ledger marker).
    expect(r.body).toContain(`Closes [#${n.issueKeyword}](https://github.com/octo-org/octo-repo/issues/${n.issueKeyword}) · Requested by @dave`);
    expect(r.body).toContain(`- Dependency updates: [#${n.n6}](https://github.com/octo-org/octo-repo/pull/${n.n6}) by @dependabot`);
    expect(r.body).toContain('**Full changelog**: https://github.com/octo-org/octo-repo/compare/v1.0.0...v1.1.0');
    // The notes are the bot's region of the draft, the draft marker its first line.
    expect(r.body.split('\n').slice(0, 2)).toEqual(['<!-- userloop:draft-release-notes.start -->', '<!-- userloop:draft-release-notes {"key":"v"} -->']);

    // Budget: 14 commits in range -> 1 history query (+0: the boundary is on the same page, and the token's
    // identity comes with it), 5 PRs -> 1 query, their closing issues with their comments and the keyword-only
    // issue -> 1 query; REST: list releases, one write, and the look for an overlapping run's draft after creating it.
    expect(sim.counters.graphqlQueries).toBe(3);
    // Each of them 1 point (the history page too: its commits' parents and pull requests keep it under 150 requests).
    expect(sim.counters.graphqlPoints).toBe(3);
    expect(sim.counters.writes).toBe(1);
    expect(sim.counters.restByRoute).toEqual({
      'GET /repos/{owner}/{repo}/releases': 2,
      'POST /repos/{owner}/{repo}/releases': 1,
    });
    expect(r.graphqlQueries).toBe(3);

    // A second run with nothing new writes nothing.
    sim.resetCounters();
    const again = await run();
    expect(again.action).toBe('unchanged');
    expect(again.releaseId).toBe(draft!.id);
    expect(sim.counters.writes).toBe(0);
    expect(drafts()).toHaveLength(1);

    // The maintenance branch drafts its own notes from v1.0.1, apart from main's draft.
    const rel = await run({ target: 'refs/heads/release-1.0', branch: 'release-1.0', maintenanceBranch: true });
    expect(rel.action).toBe('created');
    expect(rel.baseTag).toBe('v1.0.1');
    expect(rel.tagName).toBe('v1.0.2');
    expect(prNumbers(rel.body)).toEqual([n.n8]);
    expect(drafts()).toHaveLength(2);
    expect(sim.store.release(FULL, draft!.id)!.body).toBe(r.body);
  });

  it('with a GitHub App token: the app\'s own ledger is credited (not github-actions[bot]\'s), and a re-run writes nothing', async () => {
    sim.store.addUser({ login: 'my-app[bot]', type: 'Bot' });
    sim.store.addToken('app-token', 'my-app[bot]', { contents: 'write', issues: 'write', pull_requests: 'write' });
    // The app runs prioritize here; a github-actions[bot] comment is another account's and carries another ledger.
    const issue = h.issue('Export to CSV', 'bob', ['bob', 'carol'], 'my-app[bot]');
    sim.store.createComment(FULL, issue, {
      user: 'github-actions[bot]',
      body: '<!-- userloop:prioritize {"priority":"high","path":[],"due":null,"ledger":{"requesters":[{"login":"mallory","via":"author"}],"places":[]}} -->',
    });
    const n = h.merge({ title: 'feat: export to CSV', body: '## How to use\n\nRun `octo export`.', user: 'bob', closes: [issue] });

    const first = await run({}, 'app-token');
    expect(first.action).toBe('created');
    expect(first.body).toContain(`[#${n}](https://github.com/octo-org/octo-repo/pull/${n}) by @bob · Closes [#${issue}](https://github.com/octo-org/octo-repo/issues/${issue}) · Requested by @bob, @carol`);
    expect(first.body).not.toContain('mallory');

    sim.resetCounters();
    const again = await run({}, 'app-token');
    expect(again.action).toBe('unchanged');
    expect(again.releaseId).toBe(first.releaseId);
    expect(sim.counters.writes).toBe(0);
    expect(drafts()).toHaveLength(1);
  });

  it('a new merge updates the draft in place; publishing it leaves an empty range and no new draft', async () => {
    h.merge({ title: 'fix: one' });
    const first = await run();
    expect(first.action).toBe('created');
    expect(first.tagName).toBe('v0.0.1');
    expect(first.baseTag).toBeNull();
    expect(first.body).not.toContain('Full changelog');

    h.merge({ title: 'feat!: new API', body: '## Usage\n\n```js\nnew Api()\n```' });
    sim.resetCounters();
    const second = await run();
    expect(second.action).toBe('updated');
    expect(second.releaseId).toBe(first.releaseId);
    expect(second.tagName).toBe('v1.0.0');
    expect(second.body).toContain('### Breaking changes\n\n#### feat\\!: new API');
    expect(sim.counters.writes).toBe(1);
    expect(sim.counters.restByRoute['PATCH /repos/{owner}/{repo}/releases/{release_id}']).toBe(1);

    // Publish the draft: it is never touched again, and the next run has nothing to release.
    sim.store.updateRelease(FULL, second.releaseId!, { draft: false });
    const published = sim.store.release(FULL, second.releaseId!)!;
    sim.resetCounters();
    const empty = await run();
    expect(empty.action).toBe('none');
    expect(empty.version).toBeNull();
    expect(empty.tagName).toBeNull();
    expect(empty.body).toBe('');
    expect(empty.notices.at(-1)).toMatch(/^No merged pull request to release between v1\.0\.0 and [0-9a-f]{7}; no draft is left behind\.$/);
    expect(empty.summary).toContain('not created (nothing to release)');
    expect(sim.counters.writes).toBe(0);
    expect(drafts()).toHaveLength(0);
    expect(sim.store.release(FULL, published.id)).toEqual(published);
  });

  it('a stale draft of ours is deleted when its range becomes empty; a hand-written draft is left alone', async () => {
    h.merge({ title: 'fix: one' });
    const created = await run();
    const manual = sim.store.createRelease(FULL, { tag_name: 'v9.9.9', draft: true, body: 'hand written' });
    // Someone releases by hand, covering everything.
    h.release('v0.0.1');
    const r = await run();
    expect(r.action).toBe('deleted');
    expect(sim.store.release(FULL, created.releaseId!)).toBeUndefined();
    expect(sim.store.release(FULL, manual.id)!.body).toBe('hand written');
  });

  it('a feature without a snippet is listed under "Needs a usage snippet"; a template comment is not a snippet', async () => {
    const n = h.merge({ title: 'feat: import', body: '## How to use\n\n<!-- describe how to use it -->\n' });
    const r = await run();
    expect(r.needsSnippet).toEqual([n]);
    expect(r.body).toContain(`### Needs a usage snippet\n\nAdd a "How to use" section to the body of these pull requests; the notes update on the next run.\n\n- feat: import · [#${n}]`);
    expect(r.summary).toContain(`| Needs a usage snippet | #${n}`);
  });

  it('reads the usage section the way require-docs does: emoji headings, an exact heading over "Usage metrics"', async () => {
    const emoji = h.merge({ title: 'feat: emoji', body: '## 📖 How to use\n\n```sh\nocto emoji\n```\n' });
    const metrics = h.merge({ title: 'feat: metrics', body: '## Usage metrics\n\nDashboards.\n\n## How to use\n\n```sh\nocto metrics\n```\n' });
    const r = await run();
    expect(r.needsSnippet).toEqual([]);
    expect(r.body).toContain(`[#${emoji}]`);
    expect(r.body).toContain('```sh\nocto emoji\n```');
    expect(r.body).toContain(`[#${metrics}]`);
    expect(r.body).toContain('```sh\nocto metrics\n```');
    expect(r.body).not.toContain('Dashboards.');
  });

  it('the usage headings come from require-docs.how-to-use.headings', async () => {
    const full = parseConfig('require-docs:\n  how-to-use:\n    headings: [Try it]\n', '.github/userloop.yml');
    expect(full.errors).toEqual([]);
    const n = h.merge({ title: 'feat: try', body: '## Try it\n\n```sh\nocto try\n```\n' });
    const r = await run({ usageHeadings: full.config!['require-docs']['how-to-use'].headings });
    expect(r.needsSnippet).toEqual([]);
    expect(r.body).toContain(`[#${n}]`);
    expect(r.body).toContain('```sh\nocto try\n```');
    const missing = await run({ usageHeadings: ['Walkthrough'], dryRun: true });
    expect(missing.needsSnippet).toEqual([n]);
    expect(missing.body).toContain('Add a "Walkthrough" section to the body');
  });

  it('hostile PR bodies: HTML is inert, fake markers are dropped, nobody is pinged', async () => {
    const hostile = [
      '<!-- userloop:draft-release-notes {"key":"v"} -->',
      '## How to use',
      '<!-- userloop:draft-release-notes {"key":"v"} -->',
      '<script>alert(1)</script>',
      '',
      '<img src=x onerror=alert(1)> hi @everyone @octo-org/admins',
      '',
      '```html',
      '<b>kept in code</b>',
      '```',
    ].join('\n');
    h.merge({ title: 'feat: <b>bold</b> [link](javascript:alert(1)) @mallory', body: hostile });
    const r = await run();
    const lines = r.body.split('\n');
    // Only the bot's own lines: its region's start, the draft marker, the state line and the region's end.
    expect(lines.filter((l) => l.includes('userloop:'))).toEqual([lines[0], lines[1], lines.at(-3), lines.at(-1)]);
    expect(lines[1]).toBe('<!-- userloop:draft-release-notes {"key":"v"} -->');
    expect(lines.at(-3)).toMatch(/^<!-- userloop:draft-release-notes-state \{"name":"v0\.1\.0","digest":"[0-9a-f]{16}"\} -->$/);
    expect(r.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect(r.body).toContain(`&lt;img src=x onerror=alert(1)> hi @${ZW}everyone @${ZW}octo-org/admins`);
    expect(r.body).toContain('```html\n<b>kept in code</b>\n```');
    expect(r.body).toContain(`#### feat: &lt;b&gt;bold&lt;/b&gt; \\[link\\]\\(javascript:alert\\(1\\)\\) @${ZW}mallory`);
    expect(r.body).not.toMatch(/(^|[^\u200B])@(everyone|mallory|octo-org)/m);
    // Still our draft, found again by its first-line marker.
    expect((await run()).action).toBe('unchanged');
  });

  it('monorepo: a paths filter and tag prefix give each package its own draft', async () => {
    h.release('pkg-a@1.0.0');
    h.release('pkg-b@2.3.0');
    const a = h.merge({ title: 'feat: a thing', files: ['packages/a/src/x.ts'], body: '## Usage\n\nuse a' });
    const b = h.merge({ title: 'fix: b thing', files: ['packages/b/src/y.ts'] });
    const both = h.merge({ title: 'fix: both', files: ['packages/a/z.ts', 'packages/b/z.ts'] });
    const ra = await run({ config: config("  tag-prefix: 'pkg-a@'\n  paths: ['packages/a/**']\n") });
    const rb = await run({ config: config("  tag-prefix: 'pkg-b@'\n  paths: ['packages/b/**']\n") });
    expect([ra.tagName, rb.tagName]).toEqual(['pkg-a@1.1.0', 'pkg-b@2.3.1']);
    expect(prNumbers(ra.body)).toEqual([a, both]);
    expect(prNumbers(rb.body)).toEqual([b, both]);
    expect(drafts()).toHaveLength(2);
    expect(ra.body).toContain('compare/pkg-a@1.0.0...pkg-a@1.1.0');
  });

  it('pre-releases are numbered after the published ones', async () => {
    h.release('v1.2.0');
    h.merge({ title: 'feat: x', body: '## Usage\n\nx' });
    h.release('v1.3.0-rc.0', 'main', { prerelease: true });
    h.merge({ title: 'fix: y' });
    const r = await run({ config: config('  prerelease: rc\n') });
    expect(r.tagName).toBe('v1.3.0-rc.1');
    expect(drafts()[0]).toMatchObject({ prerelease: true, tag_name: 'v1.3.0-rc.1' });
  });

  it('dry run: computes everything, writes nothing', async () => {
    h.merge({ title: 'fix: one' });
    sim.resetCounters();
    const r = await run({ dryRun: true });
    expect(r.action).toBe('created');
    expect(r.dryRun).toBe(true);
    expect(r.releaseId).toBeNull();
    expect(sim.counters.writes).toBe(0);
    expect(drafts()).toHaveLength(0);
  });
});

describe('pagination and budget on long histories', () => {
  it.each([
    // [PRs, commits per PR]: commits in range = PRs * (commits + 1 merge commit)
    [30, 3, 120],
    [50, 4, 250],
    [70, 3, 280],
  ])('%i PRs x (%i + merge) commits: every PR found, about ceil(commits/74) + ceil(PRs/50) queries of 1 point each', async (prs, per, commits) => {
    h.merge({ title: 'fix: before' });
    h.release('v1.0.0');
    const numbers: number[] = [];
    for (let i = 0; i < prs; i += 1) numbers.push(h.merge({ title: `fix: change ${i}`, commits: per }));
    sim.resetCounters();
    const r = await run();
    expect(r.commits).toBe(commits);
    expect(r.pullRequests).toBe(prs);
    expect(prNumbers(r.body).sort((a, b) => a - b)).toEqual(numbers);
    // History pages of 73 commits beside the base's first page (which holds the boundary commit), then 74:
    // the most that keep a query at 1 point (each commit nests two connections; 100 would cost 2 points).
    const historyQueries = 1 + Math.ceil(Math.max(0, commits - 73) / 74);
    expect(sim.counters.graphqlQueries).toBe(historyQueries + Math.ceil(prs / 50));
    expect(sim.counters.graphqlPoints).toBe(sim.counters.graphqlQueries);
    expect(sim.counters.writes).toBe(1);
    expect(Object.keys(sim.counters.restByRoute).sort()).toEqual(['GET /repos/{owner}/{repo}/releases', 'POST /repos/{owner}/{repo}/releases']);
  });

  it('with a paths filter, more than 50 PRs are read 49 a query (their files too), every query 1 point', async () => {
    h.merge({ title: 'fix: before', files: ['packages/a/before.ts'] });
    h.release('v1.0.0');
    const numbers: number[] = [];
    for (let i = 0; i < 60; i += 1) numbers.push(h.merge({ title: `fix: change ${i}`, files: [`packages/a/f${i}.ts`] }));
    sim.resetCounters();
    const r = await run({ config: config("  paths: ['packages/a/**']\n") });
    expect(r.pullRequests).toBe(60);
    expect(prNumbers(r.body).sort((a, b) => a - b)).toEqual(numbers);
    // 120 commits (each PR's and its merge commit): 73 + 47, 2 history queries; 60 PRs with labels, files and
    // closing issues (3 requests each, 150 for 50): 49 + 11.
    expect(r.commits).toBe(120);
    expect(sim.counters.graphqlQueries).toBe(2 + 2);
    expect(sim.counters.graphqlPoints).toBe(sim.counters.graphqlQueries);
  });

  it('a body over the release limit is cut at a block boundary with a pointer to the job summary', async () => {
    const block = `## How to use\n\n${'```\n' + 'x'.repeat(3_000) + '\n```\n\n'}${'word '.repeat(600)}`;
    for (let i = 0; i < 40; i += 1) h.merge({ title: `feat: feature ${i}`, body: block });
    const r = await run({ runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/42' });
    expect(r.truncated).toBe(true);
    expect(r.fullBody.length).toBeGreaterThan(RELEASE_BODY_LIMIT);
    expect(r.body.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    // The pointer ends the notes, the last line of the bot's region before its state line.
    expect(r.body.split('\n<!-- userloop:draft-release-notes-state ')[0]!.trimEnd().endsWith(
      "_The notes were cut to fit GitHub's release size limit; the full notes are in the job summary of https://github.com/octo-org/octo-repo/actions/runs/42._",
    )).toBe(true);
    expect(r.body.endsWith('\n\n<!-- userloop:draft-release-notes.end -->')).toBe(true);
    // Cut between blocks: every code fence opened is closed.
    expect((r.body.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(r.summary).toContain(r.fullBody);
    expect(sim.store.release(FULL, r.releaseId!)!.body).toBe(r.body);
  });
});
