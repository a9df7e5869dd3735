// How precise the similar-issue hint is on the demo repository (packages/cli/demo): each open issue is
// handled as if it had just been opened (main against the emulator), and every issue the reply lists is
// judged by a rule independent of the ranking: related when it carries the same area label and its title
// shares a word with the opened one's. Once on the demo as it is (64 open issues), once with every one of
// its issues open (420: more than the newest 100 the read holds; every seventh opened, to keep it short).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOctokit, type WebhookPayload } from '@userloop/core';
import { type Sim, type Snapshot, startSim } from '@userloop/github-sim';
import { main } from '../src/main.ts';
import { configFrom } from './helpers.ts';

const OWNER = 'lumen-app';
const REPO = 'lumen';
const SNAPSHOT = new URL('../../../packages/cli/demo/lumen.snapshot.json', import.meta.url);

/** Title words for the judge: lower case, three letters or more, a few function words left out. */
const JUDGE_STOP = new Set(['the', 'and', 'for', 'with', 'after', 'from', 'into', 'when', 'does', 'not', 'never', 'wrong', 'another', 'again']);
const titleWords = (title: string): Set<string> => new Set(title.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !JUDGE_STOP.has(w)));
const areaOf = (labels: readonly string[]): string | undefined => labels.find((l) => l.startsWith('area: '));
/** The subject of a demo issue: its title without the "(again)" of a repeated one. */
const subject = (title: string): string => title.replace(/ \(again\)$/, '');

interface Measured {
  opened: number;
  withHint: number;
  listed: number;
  related: number;
  /** Opened issues with another open issue of the same subject, and how many of them the hint named. */
  twins: number;
  twinsFound: number;
  unrelated: string[];
  /** Warnings of the runs (a failed search would be one). */
  warnings: string[];
}

/** Opens each `every`-th open issue (a sample keeps the test short; the universe searched stays whole). */
async function measure(sim: Sim, every = 1): Promise<Measured> {
  const octokit = createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, throttle: { waitScale: 0 }, retries: 0 });
  const repo = sim.store.mustRepo(OWNER, REPO);
  const open = [...repo.issues.values()].filter((i) => !i.pull_request && i.state === 'open');
  const { data: repository } = await octokit.request('GET /repos/{owner}/{repo}', { owner: OWNER, repo: REPO });
  const opened = open.filter((_, i) => i % every === 0);
  const m: Measured = { opened: opened.length, withHint: 0, listed: 0, related: 0, twins: 0, twinsFound: 0, unrelated: [], warnings: [] };
  for (const issue of opened) {
    // Issues opened 2 s apart: under the search API's 30 a minute.
    sim.store.advance(2_000);
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: OWNER, repo: REPO, issue_number: issue.number });
    const payload = { action: 'opened', issue: data, repository } as unknown as WebhookPayload;
    const before = new Set(repo.comments.keys());
    const result = await main({ eventName: 'issues', action: 'opened', payload, owner: OWNER, repo: REPO, serverUrl: 'https://github.com', config: configFrom(''), now: sim.store.now }, { octokit, warning: (w) => m.warnings.push(w) });
    // Undo the reply, so that the next issue's search does not find this one through its text.
    for (const id of repo.comments.keys()) if (!before.has(id)) sim.store.deleteComment(repo, id);
    const similar = result.evaluation?.similar ?? [];
    const mine = titleWords(issue.title);
    if (similar.length > 0) m.withHint += 1;
    const twin = open.some((o) => o.number !== issue.number && subject(o.title) === subject(issue.title));
    if (twin) m.twins += 1;
    if (twin && similar.some((s) => subject(repo.issues.get(s.number)?.title ?? '') === subject(issue.title))) m.twinsFound += 1;
    for (const s of similar) {
      const other = repo.issues.get(s.number)!;
      m.listed += 1;
      if (areaOf(other.labels) === areaOf(issue.labels) && [...titleWords(other.title)].some((w) => mine.has(w))) m.related += 1;
      else m.unrelated.push(`#${issue.number} "${issue.title}" -> #${other.number} "${other.title}"`);
    }
  }
  const precision = m.listed ? m.related / m.listed : 1;
  console.log(
    `${m.opened} opened issues, ${m.withHint} with a hint, ${m.listed} listed, ${m.related} related: precision ${(precision * 100).toFixed(1)}%; ` +
      `${m.twinsFound} of ${m.twins} issues with an open twin (same subject) named one`,
  );
  for (const u of m.unrelated.slice(0, 10)) console.log(`  unrelated: ${u}`);
  return m;
}

async function withDemo(prepare: (sim: Sim) => void, run: (sim: Sim) => Promise<void>): Promise<void> {
  const sim = await startSim({ snapshot: JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Snapshot, contentLimit: false });
  try {
    prepare(sim);
    await run(sim);
    sim.assertClean();
  } finally {
    await sim.stop();
  }
}

describe('the similar-issue hint on the demo repository', () => {
  it('as it is: the listed issues are related, and an open twin is named', async () => {
    await withDemo(
      () => {},
      async (sim) => {
        const m = await measure(sim);
        expect(m.warnings).toEqual([]);
        expect(m.related / m.listed).toBeGreaterThanOrEqual(0.95);
        expect(m.twinsFound).toBe(m.twins);
      },
    );
  }, 120_000);

  it('with every issue open, more than the newest 100: the hint looks past them', async () => {
    await withDemo(
      (sim) => {
        for (const i of sim.store.mustRepo(OWNER, REPO).issues.values()) {
          if (i.pull_request || i.state === 'open') continue;
          i.state = 'open';
          i.state_reason = null;
          i.closed_at = null;
        }
      },
      async (sim) => {
        // Every seventh of the 420 (60 issues opened), searched against all of them.
        const m = await measure(sim, 7);
        expect(m.warnings).toEqual([]);
        expect(m.related / m.listed).toBeGreaterThanOrEqual(0.95);
        expect(m.twinsFound).toBe(m.twins);
      },
    );
  }, 120_000);
});
