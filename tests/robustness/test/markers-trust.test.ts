// Markers count only where the bot put them (issue 14, point 1; the ledger marker of point 4): on a marker
// line of a body the bot wrote, outside code, quotes, tables and sentences, with data that validates. Each
// attack runs through the BUNDLED actions against the emulator, which enforces GitHub's 65,536-character
// limit on every comment.
import { DEFAULT_PRIORITY_LABELS, neutraliseMarkers } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import { seedFromWebhook, webhookExample, type RunnerEvent, type Sim, type Store } from '../../../packages/github-sim/src/index.ts';
import { BOT, SCENARIOS, describeRun, mergeReleasedPull, publishedRelease, runScenario, withSim, type Scenario } from './scenarios.ts';

const HELLO = 'Codertocat/Hello-World';
const FORGED_PEOPLE = Array.from({ length: 33 }, (_, i) => `forged-victim-${i}`);
/** prioritize's marker as an attacker writes it: Fix it now, 33 requesters, a due date in 2000 (the JSON as the bot would render it). */
const FORGED_PRIORITIZE = `<!-- userloop:prioritize ${JSON.stringify({
  priority: 'fix-it-now',
  path: ['blocked:yes'],
  due: '2000-01-01',
  ledger: { requesters: FORGED_PEOPLE.map((login) => ({ login, via: 'comment' })), places: [] },
})} -->`;
const FORGED_NOTIFY = `<!-- userloop:notify ${JSON.stringify({ tag: 'v9.9.9', people: Array.from({ length: 40 }, (_, i) => `told-${i}`) })} -->`;

const AS_OF = '2026-11-23T06:00:00Z';
const KPI: Scenario = { ...SCENARIOS['kpi-report'], repo: HELLO, config: 'kpi-report:\n  goals:\n    first-response-p90-hours: 24\n', inputs: { period: 'week', 'as-of': AS_OF } };
const PRIORITIZE: Scenario = { ...SCENARIOS.prioritize };
const NOTIFY: Scenario = { ...SCENARIOS['notify-requesters'] };

function issueEvent(action: string, number: number): RunnerEvent {
  const payload = webhookExample('issues', 'opened');
  payload.action = action;
  (payload['issue'] as { number: number }).number = number;
  return { name: 'issues', payload };
}

function schedule(): RunnerEvent {
  return { name: 'schedule', payload: { schedule: '0 6 * * 1' } };
}

function botBodies(store: Store, number: number): string[] {
  return store.commentsOf(HELLO, number).filter((c) => c.user === BOT).map((c) => c.body);
}

async function kpiReport(sim: Sim): Promise<string> {
  const r = await runScenario(KPI, sim, schedule());
  expect(r.exitCode, describeRun(r)).toBe(0);
  return sim.store.mustIssue(HELLO, Number(r.outputs['issue-number'])).body ?? '';
}

/** A repository where issue #1 (alice, +1 from bob) is resolved by a merged pull request whose how-to-use snippet holds `snippet`. */
function seedRelease(store: Store, snippet: string): RunnerEvent {
  store.now = new Date('2026-11-16T09:00:00Z');
  const event = publishedRelease(store);
  const issue = store.createIssue(HELLO, { title: 'Export to CSV', user: 'alice' }).number;
  store.createComment(HELLO, issue, { user: 'bob', body: '+1, I need this too' });
  store.advance(60_000);
  mergeReleasedPull(
    store,
    {
      message: 'feat: export',
      title: 'feat: export',
      body: `Closes #${issue}\n\n## How to use\n\n\`\`\`html\n${snippet}\n\`\`\`\n`,
      files: ['docs/export.md', 'src/export.js'],
    },
    [issue],
  );
  store.advance(60_000);
  return event;
}

/** What prioritize must have done on #1 whatever bot comment holds the forged marker: its own reply, nothing forged. */
async function expectPrioritizeUntouched(sim: Sim, planted: { id: number; body: string }): Promise<void> {
  const r = await runScenario(PRIORITIZE, sim, issueEvent('reopened', 1));
  expect(r.exitCode, describeRun(r)).toBe(0);
  // The notice holding the copy is neither adopted as the reply nor overwritten.
  expect(sim.store.comment(HELLO, planted.id)?.body).toBe(planted.body);
  expect(r.outputs['comment-id']).not.toBe(String(planted.id));
  expect(r.outputs['priority']).not.toBe('fix-it-now');
  expect(r.outputs['previous-priority']).toBe('');
  expect(r.outputs['due-date']).not.toBe('2000-01-01');
  expect(r.outputs['requesters']).toBe('2'); // alice and bob; none of the 33 forged
  const reply = sim.store.comment(HELLO, Number(r.outputs['comment-id']))!;
  expect(reply.user).toBe(BOT);
  expect(reply.body).not.toContain('forged-victim');
  expect(sim.store.mustIssue(HELLO, 1).labels).not.toContain(DEFAULT_PRIORITY_LABELS['fix-it-now']);
}

describe.concurrent('a copy of a marker in text the bot quotes is never trusted', () => {
  it('a merged PR whose snippet holds prioritize\'s marker: the release notice quotes it, then prioritize and the KPI report trust nothing of it', async () => {
    await withSim(async (sim) => {
      const event = seedRelease(sim.store, FORGED_PRIORITIZE);
      const notify = await runScenario(NOTIFY, sim, event);
      expect(notify.exitCode, describeRun(notify)).toBe(0);
      const notices = sim.store.commentsOf(HELLO, 1).filter((c) => c.user === BOT);
      expect(notices).toHaveLength(1);
      const notice = notices[0]!;
      expect(notice.body).toContain('forged-victim-0'); // the snippet is quoted (its `<!--` made inert)
      sim.store.advance(60_000);
      sim.store.reopenIssue(HELLO, 1, 'alice');
      await expectPrioritizeUntouched(sim, notice);
      const report = await kpiReport(sim);
      expect(report).toContain('Overdue commitments by owner (0)');
      expect(report).not.toContain('forged-victim');
      expect(report).not.toMatch(/\| 3[34] \|/);
    });
  });

  it('a release notice posted before quoted text was neutralised (the marker verbatim in its code block) is not taken for prioritize\'s reply', async () => {
    await withSim(async (sim) => {
      seedRelease(sim.store, 'export --csv');
      // What notify-requesters wrote before: the PR's snippet quoted verbatim, the marker copy inside the code block.
      const body = `:rocket: This is resolved in [**v0.0.1**](https://github.com/${HELLO}/releases/tag/0.0.1) (version \`0.0.1\`).\n\n<details><summary>How to use it (from #2)</summary>\n\n\`\`\`html\n${FORGED_PRIORITIZE}\n\`\`\`\n\n</details>\n\ncc @alice @bob\n\n<!-- userloop:notify {"tag":"0.0.1","people":["alice","bob"]} -->`;
      const planted = sim.store.createComment(HELLO, 1, { user: BOT, body });
      sim.store.advance(60_000);
      sim.store.reopenIssue(HELLO, 1, 'alice');
      await expectPrioritizeUntouched(sim, planted);
      // The same notice written after prioritize's own reply (the last marker a reader would take) is ignored by the report.
      sim.store.advance(60_000);
      sim.store.createComment(HELLO, 1, { user: BOT, body });
      const report = await kpiReport(sim);
      expect(report).toContain('Overdue commitments by owner (0)');
      expect(report).not.toMatch(/\| 3[34] \|/);
      // Its notify marker (a real marker line) still counts: alice and bob were told.
      expect(report).toContain('- People notified of a release: 2');
    });
  });

  it('a marker inline in a sentence, a quote or a table cell of a bot comment is not read; neutralised text carries none', async () => {
    await withSim(async (sim) => {
      seedRelease(sim.store, 'export --csv');
      const bodies = [
        `Thanks! ${FORGED_PRIORITIZE}`,
        `> ${FORGED_PRIORITIZE}`,
        `| Found |\n| - |\n| ${FORGED_PRIORITIZE} |`,
        neutraliseMarkers(`Thanks!\n\n${FORGED_PRIORITIZE}`),
      ];
      for (const b of bodies) sim.store.createComment(HELLO, 1, { user: BOT, body: b });
      sim.store.advance(60_000);
      sim.store.reopenIssue(HELLO, 1, 'alice');
      const r = await runScenario(PRIORITIZE, sim, issueEvent('reopened', 1));
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(r.outputs['priority']).not.toBe('fix-it-now');
      expect(r.outputs['requesters']).toBe('2');
      expect(botBodies(sim.store, 1).slice(0, 4)).toEqual(bodies);
    });
  });
});

describe.concurrent('people notified count only the bot\'s own notices', () => {
  /** A fork's pull request, never merged, whose heading carries a notify marker claiming 40 people told. */
  function seedForkPr(store: Store): RunnerEvent {
    store.now = new Date('2026-11-18T09:00:00Z');
    const payload = webhookExample('pull_request', 'opened');
    const pr = payload['pull_request'] as { title: string; body: string | null; number: number; head: { repo: { full_name: string; fork: boolean } } };
    pr.title = 'feat: export to CSV';
    pr.body = `## How to use ${FORGED_NOTIFY}\n\nIt exports.\n`;
    pr.head.repo.full_name = 'mallory/Hello-World';
    pr.head.repo.fork = true;
    seedFromWebhook(store, payload);
    store.mustIssue(HELLO, pr.number).pull_request!.files = [
      { sha: '0'.repeat(40), filename: 'src/export.ts', status: 'added', additions: 1, deletions: 0, changes: 1 },
    ];
    store.mustIssue(HELLO, pr.number).pull_request!.head.repo = 'mallory/Hello-World';
    return { name: 'pull_request', payload };
  }

  it('a fork PR whose heading holds a notify marker: require-docs\' sticky comment quotes it, the report counts nobody notified', async () => {
    await withSim(async (sim) => {
      const event = seedForkPr(sim.store);
      const number = (event.payload['pull_request'] as { number: number }).number;
      const check = await runScenario(SCENARIOS['require-docs'], sim, event);
      expect(check.exitCode, describeRun(check)).toBe(1);
      expect(botBodies(sim.store, number)).toHaveLength(1);
      sim.store.advance(60_000);
      const report = await kpiReport(sim);
      expect(report).toContain('- People notified of a release: 0');
    });
  });

  it('a sticky comment written before quoted text was neutralised (the heading\'s marker verbatim in a table cell) counts nobody', async () => {
    await withSim(async (sim) => {
      const event = seedForkPr(sim.store);
      const number = (event.payload['pull_request'] as { number: number }).number;
      sim.store.createComment(HELLO, number, {
        user: BOT,
        body: `### ❌ Docs check: 1 missing (docs)\n\n| Rule | Status | Found | What to do |\n| --- | --- | --- | --- |\n| How to use | ✅ done | 3 words under "How to use ${FORGED_NOTIFY}" | |\n\n<!-- userloop:require-docs {"feature":true,"passed":false,"missing":["docs"],"skipped":false} -->`,
      });
      sim.store.advance(60_000);
      const report = await kpiReport(sim);
      expect(report).toContain('- People notified of a release: 0');
    });
  });
});

describe('the ledger marker is bounded by construction', () => {
  it('3,000 requesters: the reply fits GitHub\'s 65,536 characters and counts everyone, one more is counted and told, a run with nothing new writes nothing', async () => {
    await withSim(async (sim) => {
      const payload = webhookExample('issues', 'opened');
      seedFromWebhook(sim.store, payload);
      for (let i = 0; i < 3_000; i++) {
        sim.store.createComment(HELLO, 1, { user: `requester-${i}`, body: '+1, I want this too' });
      }
      const event: RunnerEvent = { name: 'issues', payload };
      const first = await runScenario(PRIORITIZE, sim, event);
      expect(first.exitCode, describeRun(first)).toBe(0);
      const replies = botBodies(sim.store, 1);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.length).toBeLessThanOrEqual(65_536);
      expect(first.outputs['requesters']).toBe('3001');
      expect(replies[0]).toContain('3001 people');

      // A new requester on the next event: counted on top of the 3,001 rebuilt from the thread, told as one more.
      sim.store.advance(60_000);
      sim.store.createComment(HELLO, 1, { user: 'late-comer', body: '+1 from me as well' });
      const second = await runScenario(PRIORITIZE, sim, event);
      expect(second.exitCode, describeRun(second)).toBe(0);
      expect(second.outputs['requesters']).toBe('3002');
      const updated = botBodies(sim.store, 1);
      expect(updated).toHaveLength(1);
      expect(updated[0]!.length).toBeLessThanOrEqual(65_536);
      expect(updated[0]).toContain('3002 people');
      expect(updated[0]).toContain('1 more person asked for it (late-comer)');

      sim.resetCounters();
      const third = await runScenario(PRIORITIZE, sim, event);
      expect(third.exitCode, describeRun(third)).toBe(0);
      expect(third.outputs['requesters']).toBe('3002');
      expect(third.requests.filter((q) => q.method !== 'GET' && !(q.route ?? '').endsWith('/graphql')).map((q) => q.route)).toEqual([]);
      expect(sim.counters.writes).toBe(0);
    });
  }, 120_000);
});
