// The bad-input corpus: broken configs, odd payloads and hostile content, each through the BUNDLED action.
// Each gets a clear error (an annotation on the config file and line, the step failed, nothing written)
// or correct handling, and nothing is lost.
import { renderPrioritizeMarker } from '@userloop/core';
import { describe, expect, it } from 'vitest';
import type { RunnerEvent, Sim } from '../../../packages/github-sim/src/index.ts';
import { ACTIONS, BOT, SCENARIOS, describeRun, runScenario, withScenario, writesOf, type Scenario, type RunResult } from './scenarios.ts';

const CONFIG = '.github/userloop.yml';
const CRASH = /TypeError|ReferenceError|RangeError|Unhandled|Maximum call stack|\n\s+at .*\.mjs:\d+/;

/** require-docs reads the config from the base commit through the API; the others from the checkout. */
async function runWithConfig(sc: Scenario, sim: Sim, event: RunnerEvent, text: string): Promise<RunResult> {
  if (sc.action === 'require-docs') {
    const base = (event.payload['pull_request'] as { base: { sha: string } }).base.sha;
    sim.store.setContent(sc.repo, CONFIG, text, base);
    return runScenario(sc, sim, event, { config: null });
  }
  return runScenario(sc, sim, event, { config: text });
}

const aliasBomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  '',
].join('\n');

const CONFIGS: Array<{ name: string; text: string; line?: number }> = [
  { name: 'a YAML syntax error', text: 'bots: [renovate\nprioritize:\n  labels: {}\n', line: 2 },
  { name: 'a wrong type', text: 'bots:\n  - renovate\nareas: 12\n', line: 3 },
  { name: 'an unknown key', text: 'bots: []\nprioritise:\n  labels: {}\n', line: 2 },
  { name: '1 MB (comments, then an error on the last line)', text: `${'# padding padding padding padding padding padding\n'.repeat(20_000)}bost: []\n`, line: 20_001 },
  { name: 'a YAML alias bomb', text: aliasBomb },
];

describe.concurrent('bad configs: an error annotation on the file and line, the step fails, nothing is written', () => {
  const cases = ACTIONS.flatMap((action) => CONFIGS.map((c) => ({ action, ...c })));
  it.each(cases)('$action: $name', async ({ action, text, line }) => {
    const sc = SCENARIOS[action];
    await withScenario(sc, async (sim, event) => {
      const started = Date.now();
      const r = await runWithConfig(sc, sim, event, text);
      const log = describeRun(r);
      expect(r.exitCode, log).not.toBe(0);
      expect(r.stderr, log).not.toMatch(CRASH);
      const onFile = r.annotations.filter((a) => a.level === 'error' && a.file === CONFIG);
      expect(onFile.length, log).toBeGreaterThan(0);
      if (line !== undefined) expect(onFile.map((a) => a.line), log).toContain(line);
      else expect(onFile[0]!.line, log).toBeGreaterThan(0);
      expect(writesOf(r), log).toEqual([]);
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });

  it.each(ACTIONS)('%s: an empty file means the defaults', async (action) => {
    const sc = SCENARIOS[action];
    await withScenario(sc, async (sim, event) => {
      // kpi-report's scenario sets a goal; the others run on defaults already.
      const r = await runWithConfig(sc, sim, event, '');
      expect(r.exitCode, describeRun(r)).toBe(sc.exitCode);
      expect(r.annotations.filter((a) => a.file === CONFIG)).toEqual([]);
    });
  });
});

describe.concurrent('odd payloads: a clear message or a notice, never a crash, nothing written', () => {
  const cases = ACTIONS.flatMap((action) => [
    { action, kind: 'the wrong event' },
    { action, kind: 'missing fields' },
  ]);
  it.each(cases)('$action: $kind', async ({ action, kind }) => {
    const sc = SCENARIOS[action];
    await withScenario(sc, async (sim, event) => {
      const repository = { full_name: sc.repo, name: sc.repo.split('/')[1], owner: { login: sc.repo.split('/')[0] }, default_branch: 'main' };
      const odd: RunnerEvent =
        kind === 'the wrong event'
          ? { name: 'watch', payload: { action: 'started', repository, sender: { login: 'octocat', type: 'User' } } }
          : { name: event.name, payload: { action: (event.payload['action'] as string | undefined) ?? 'opened' } };
      const r = await runScenario(sc, sim, event, { event: odd });
      const log = describeRun(r);
      expect(r.stderr, log).not.toMatch(CRASH);
      const messages = r.annotations.filter((a) => !/^Process completed/.test(a.message));
      if (r.exitCode !== 0) expect(messages.filter((a) => a.level === 'error').length, log).toBeGreaterThan(0);
      else expect(messages.length + r.summary.length, log).toBeGreaterThan(0);
      // kpi-report and draft-release-notes work from the ref on any trigger (a dispatch, a schedule), not
      // from the payload; the others act only on their own events.
      if (action !== 'kpi-report' && action !== 'draft-release-notes') expect(writesOf(r), log).toEqual([]);
    });
  });

  it('prioritize: an issue with a null body is prioritized', async () => {
    const sc = SCENARIOS.prioritize;
    await withScenario(sc, async (sim, event) => {
      (event.payload['issue'] as { body: string | null }).body = null;
      sim.store.updateIssue(sc.repo, 1, { body: null });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(r.outputs['priority']).toBe('high');
    });
  });

  it('notify-requesters: null release notes and a null pull request body still notify everyone', async () => {
    const sc = SCENARIOS['notify-requesters'];
    await withScenario(sc, async (sim, event) => {
      (event.payload['release'] as { body: string | null }).body = null;
      const pr = [...sim.store.mustRepo(sc.repo).issues.values()].find((i) => i.pull_request)!;
      pr.body = `Closes #1, fixes #2`;
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(r.outputs['notified-issues']).toBe('[1,2]');
    });
  });
});

describe.concurrent('hostile and extreme content: handled, nothing lost', () => {
  const botComments = (sim: Sim, repo: string, n: number) => sim.store.commentsOf(repo, n).filter((c) => c.user === BOT);

  it('prioritize: a 1 MB body and 10,000 comments', async () => {
    const sc = SCENARIOS.prioritize;
    await withScenario(sc, async (sim, event) => {
      const body = `${'When I export, the last row is missing. '.repeat(26_000)}`.slice(0, 1_048_576);
      sim.store.updateIssue(sc.repo, 1, { body });
      (event.payload['issue'] as { body: string }).body = body;
      for (let i = 0; i < 10_000; i++) sim.store.createComment(sc.repo, 1, { user: `user${i % 50}`, body: i % 2 ? 'Any news?' : '+1' });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const bot = botComments(sim, sc.repo, 1);
      expect(bot).toHaveLength(1);
      expect(bot[0]!.body.length).toBeLessThanOrEqual(65_536);
      // Everybody who said "+1" is counted, however many comments there are.
      expect(Number(r.outputs['requesters'])).toBeGreaterThanOrEqual(26);
    });
  }, 60_000);

  it('prioritize: right-to-left and zero-width text, HTML and script in the issue, emoji and colons in label names', async () => {
    const sc = SCENARIOS.prioritize;
    await withScenario(sc, async (sim, event) => {
      const title = 'Export \u202Egnp.exe\u202C drops\u200B rows <script>alert(1)</script> <img src=x onerror=alert(1)>';
      sim.store.updateIssue(sc.repo, 1, { title, body: '<details><summary>x</summary>\n\n-->\u200D<!-- userloop:prioritize {"priority":"fix-it-now"} -->' });
      Object.assign(event.payload['issue'] as object, { title });
      const config = 'prioritize:\n  labels:\n    fix-it-now: "🔥 priority: now"\n    high: "⚡️ priority: high"\n    low: "💤 priority: low"\n';
      const r = await runScenario(sc, sim, event, { config });
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(r.outputs['priority']).toBe('high');
      expect(sim.store.mustIssue(sc.repo, 1).labels).toContain('⚡️ priority: high');
      const bot = botComments(sim, sc.repo, 1);
      expect(bot).toHaveLength(1);
      expect(bot[0]!.body).not.toMatch(/<script|onerror=/);
      // Again: the same label is found (emoji and colon compared exactly), nothing written.
      sim.resetCounters();
      const again = await runScenario(sc, sim, event, { config });
      expect(again.exitCode).toBe(0);
      expect(sim.counters.writes).toBe(0);
    });
  });

  it('draft-release-notes: HTML, script, mentions and bidi text in a pull request title stay inert in the notes', async () => {
    const sc = SCENARIOS['draft-release-notes'];
    await withScenario(sc, async (sim, event) => {
      const pr = [...sim.store.mustRepo(sc.repo).issues.values()].find((i) => i.title === 'fix: crash on start')!;
      pr.title = 'fix: crash <script>alert(1)</script> <details> @octo-org/everyone \u202Eevil\u202C';
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const draft = sim.store.listReleases(sc.repo).find((x) => x.draft)!;
      expect(draft.body).toContain(`#${pr.number}`);
      expect(draft.body).not.toMatch(/<script>|<details>/);
      expect(draft.body).not.toMatch(/(^|[^`\w])@octo-org\/everyone/);
    });
  });

  it('notify-requesters: 500 people asked (in prioritize\'s ledger): every one is told, once', async () => {
    const sc = SCENARIOS['notify-requesters'];
    await withScenario(sc, async (sim, event) => {
      // As prioritize records them, one "+1" at a time, in its ledger. (Without a ledger, notify-requesters
      // reads the first 50 and last 100 comments of an issue only: see the report.)
      const fans = Array.from({ length: 500 }, (_, i) => `fan${i}`);
      for (const fan of fans) sim.store.createComment(sc.repo, 2, { user: fan, body: '+1' });
      const ledger = { requesters: [{ login: 'carol', via: 'author' as const }, ...fans.map((login) => ({ login, via: 'comment' as const }))], places: [] };
      sim.store.createComment(sc.repo, 2, { user: BOT, body: `Priority: High\n\n${renderPrioritizeMarker({ priority: 'high', path: [], due: null, ledger })}` });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(0);
      const mentioned = botComments(sim, sc.repo, 2)
        .flatMap((c) => c.body.split('\n').filter((l) => l.startsWith('cc ')))
        .flatMap((l) => l.slice(3).split(/\s+/))
        .filter((m) => m.startsWith('@'));
      expect(new Set(mentioned).size).toBe(mentioned.length);
      expect(mentioned.filter((m) => m.startsWith('@fan'))).toHaveLength(500);
      expect(mentioned).toContain('@carol');
      sim.resetCounters();
      await runScenario(sc, sim, event);
      expect(sim.counters.writes).toBe(0);
    });
  }, 60_000);

  it('require-docs: a 1 MB pull request body with a how-to section far down is read to the end', async () => {
    const sc = SCENARIOS['require-docs'];
    await withScenario(sc, async (sim, event) => {
      const pr = event.payload['pull_request'] as { number: number; body: string };
      const body = `${'Context. '.repeat(116_000)}\n\n## How to use\n\n\`\`\`sh\nexport --csv\n\`\`\`\n`;
      pr.body = body;
      sim.store.updateIssue(sc.repo, pr.number, { body });
      const r = await runScenario(sc, sim, event);
      expect(r.exitCode, describeRun(r)).toBe(1);
      expect(r.outputs['missing']).toBe('docs');
    });
  });
});
