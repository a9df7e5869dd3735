// The prioritize README's example workflow runs as written on the emulated platform: installed in place of the
// one `userloop init` writes, the intake takes the README's own repository_dispatch body (event_type and
// client_payload, as a chat bot sends them) and a workflow_dispatch with the request inputs, and a
// maintainer's /requested-by is recorded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hasMarker, PRIORITIZE_MARKER_KIND, readPrioritizeMarker } from '../../packages/core/src/index.ts';
import { type PlatformRun } from '../../packages/github-sim/src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuns, MAINTAINER, REPO, ROOT, setupTeam, type Team } from './team.ts';

const README = readFileSync(path.join(ROOT, 'actions/prioritize/README.md'), 'utf8');
const BOT = 'github-actions[bot]';

/** The first fenced block of `lang` after `heading`. */
function blockAfter(heading: string, lang: string): string {
  const from = README.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(README.slice(from));
  expect(m, `${lang} block after ${heading}`).not.toBeNull();
  return m![1]!;
}

let team: Team;
beforeAll(async () => {
  team = await setupTeam({ '.github/workflows/userloop-prioritize.yml': blockAfter('## Example workflow', 'yaml') });
  team.sim.store.now = new Date('2026-11-02T09:00:00Z');
}, 60_000);
afterAll(async () => {
  await team?.done();
});

const lastRun = (): number => team.platform.runs.at(-1)?.id ?? 0;
async function allSucceed(since: number): Promise<PlatformRun[]> {
  const runs = await team.settle(since);
  expect(runs.length).toBeGreaterThan(0);
  expect(describeRuns(runs.filter((r) => r.conclusion !== 'success'))).toBe('');
  return runs;
}
const outsideOf = (issue: number) =>
  (readPrioritizeMarker(team.sim.store.commentsOf(REPO, issue).find((c) => c.user === BOT && hasMarker(c.body, PRIORITIZE_MARKER_KIND))?.body)?.ledger.outside ?? []).map((o) => `${o.name}|${o.place ?? ''}`);

describe("the prioritize README's example workflow, as written", () => {
  let issue = 0;

  it("takes the README's repository_dispatch body: it opens the issue and records the person", async () => {
    const curl = blockAfter('### Sending a request from a chat bot or a support tool', 'sh');
    expect(curl).toContain('https://api.github.com/repos/OWNER/REPO/dispatches');
    const body = JSON.parse(/-d '([^']+)'/.exec(curl)![1]!) as { event_type: string; client_payload: Record<string, unknown> };
    expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10);
    const since = lastRun();
    team.platform.repositoryDispatch(body.event_type, body.client_payload, { by: MAINTAINER });
    const runs = await allSucceed(since);
    expect(runs.map((r) => r.event)).toEqual(['repository_dispatch']);
    const opened = [...team.sim.store.mustRepo(REPO).issues.values()].find((i) => !i.pull_request && i.title === body.client_payload['title']);
    expect(opened?.user).toBe(BOT);
    issue = opened!.number;
    expect(outsideOf(issue)).toEqual([`${String(body.client_payload['name'])}|${String(body.client_payload['place'])}`]);
  });

  it('takes a workflow_dispatch with the request inputs, and a maintainer\'s /requested-by', async () => {
    let since = lastRun();
    team.platform.dispatch('userloop-prioritize.yml', { 'request-name': 'Kim', 'request-place': 'Forum', 'request-url': 'https://forum.example.com/t/7', 'issue-number': String(issue) }, { by: MAINTAINER });
    await allSucceed(since);
    expect(outsideOf(issue)).toEqual(['Dana|Discord', 'Kim|Forum']);
    since = lastRun();
    team.platform.comment(issue, { user: MAINTAINER, body: '/requested-by "Lee (Slack)" https://acme.slack.com/archives/C1/p2' });
    await allSucceed(since);
    expect(outsideOf(issue)).toEqual(['Dana|Discord', 'Kim|Forum', 'Lee|Slack']);
    // Without request-name, the sweep.
    since = lastRun();
    team.platform.dispatch('userloop-prioritize.yml', {}, { by: MAINTAINER });
    await allSucceed(since);
  });
});
