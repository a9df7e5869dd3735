// The bot owns only its marked region of a body: what a person wrote around it (a maintainer's note above
// and below the reply, the report issue, the docs-review issue, the draft release; the draft's name) survives
// the next event, run through the real bundled actions against the emulator.
import { describe, expect, it } from 'vitest';
import { hasMarker, readRegion } from '@userloop/core';
import type { RunnerEvent, Sim, Store } from '../../../packages/github-sim/src/index.ts';
import { BOT, SCENARIOS, describeRun, mergePr, runScenario, withScenario } from './scenarios.ts';

const ABOVE = 'Maintainer note above: **please read** the FAQ first.';
const BELOW = 'Maintainer note below: tracked in the roadmap.';

/** What a maintainer's edit in the web editor makes of the bot's body: a note above and a note below. */
const withNotes = (body: string) => `${ABOVE}\r\n\r\n${body}\r\n\r\n${BELOW}`;

/** The issues the bot opened that carry `marker` (the report issue, the docs-review issue). */
const botIssues = (store: Store, repo: string, marker: string) => [...store.mustRepo(repo).issues.values()].filter((i) => i.user === BOT && hasMarker(i.body, marker));

/** `by` edits the bot's issue in the web editor, adding the notes; returns the body the bot wrote. */
function addNotes(store: Store, repo: string, issue: { number: number; body: string | null }, by: string): string {
  const body = issue.body ?? '';
  store.updateIssue(repo, issue.number, { body: withNotes(body) }, by);
  return body;
}

function expectNotesKept(body: string | null | undefined): void {
  expect(body?.startsWith(`${ABOVE}\r\n\r\n`), body ?? '').toBe(true);
  expect(body?.endsWith(`\r\n\r\n${BELOW}`), body ?? '').toBe(true);
  // Once each: the bot did not copy a note into its own part.
  expect(body?.split(ABOVE)).toHaveLength(2);
  expect(body?.split(BELOW)).toHaveLength(2);
}

async function run(name: keyof typeof SCENARIOS, sim: Sim, event: RunnerEvent) {
  const result = await runScenario(SCENARIOS[name], sim, event);
  expect(result.exitCode, describeRun(result)).toBe(SCENARIOS[name].exitCode);
  return result;
}

// ----- draft-release-notes helpers: a push of main -----

const OCTO = 'octo-org/octo-repo';

function push(store: Store, event: RunnerEvent): RunnerEvent {
  return { name: 'push', payload: { ...event.payload, after: store.resolveRef(OCTO, 'refs/heads/main') } };
}

const drafts = (store: Store) => store.listReleases(OCTO).filter((r) => r.draft);

describe('owned regions: nothing a person wrote is lost', () => {
  it('prioritize: a note a maintainer added above and below the reply survives the update a new requester brings', async () => {
    await withScenario(SCENARIOS.prioritize, async (sim, event) => {
      const repo = SCENARIOS.prioritize.repo;
      await run('prioritize', sim, event);
      const reply = () => sim.store.commentsOf(repo, 1).filter((c) => c.user === BOT && hasMarker(c.body, 'prioritize'));
      expect(reply()).toHaveLength(1);
      const before = reply()[0]!;
      const firstBody = before.body;
      sim.store.updateComment(repo, before.id, withNotes(firstBody));

      // Someone new asks for it too: the reply's ledger changes.
      sim.store.addUser({ login: 'newcomer' });
      sim.store.createComment(repo, 1, { user: 'newcomer', body: '+1, I need this too' });
      await run('prioritize', sim, event);

      expect(reply()).toHaveLength(1);
      const after = reply()[0]!;
      expect(after.id).toBe(before.id);
      expectNotesKept(after.body);
      // The bot's part is current: it names the new requester, and only its region changed.
      const region = readRegion(after.body, 'prioritize');
      expect(region.state).toBe('region');
      expect(region.content).toContain('newcomer');
      expect(region.content).not.toBe(readRegion(firstBody, 'prioritize').content);
      expect(readRegion(firstBody, 'prioritize').content).not.toContain('newcomer');
      expect(region.before).toBe(`${ABOVE}\r\n\r\n`);
      expect(region.after).toBe(`\r\n\r\n${BELOW}`);
    });
  });

  it('kpi-report: a note added to the report issue survives the next run, which updates the report', async () => {
    await withScenario(SCENARIOS['kpi-report'], async (sim, event) => {
      const repo = SCENARIOS['kpi-report'].repo;
      await run('kpi-report', sim, event);
      const reports = () => botIssues(sim.store, repo, 'kpi-report');
      expect(reports()).toHaveLength(1);
      const first = addNotes(sim.store, repo, reports()[0]!, 'alice');

      // A late sync: the 'Dark mode' issue got its first response during the week; the report changes.
      const darkMode = [...sim.store.mustRepo(repo).issues.values()].find((i) => i.title === 'Dark mode')!;
      sim.store.createComment(repo, darkMode.number, { user: 'alice', body: 'On it.', author_association: 'MEMBER', created_at: '2026-11-19T10:00:00Z' });
      const second = await run('kpi-report', sim, event);

      expect(reports()).toHaveLength(1);
      const body = reports()[0]!.body;
      expectNotesKept(body);
      const region = readRegion(body, 'kpi-report');
      expect(region.state).toBe('region');
      expect(region.content).not.toBe(readRegion(first, 'kpi-report').content);
      // The bot's part is this run's report, whole.
      expect(region.content).toBe(second.summary.trimEnd());
    });
  });

  it('notify-requesters: the docs-review issue a person unlabelled and annotated is found and updated, not opened twice; its label stays off', async () => {
    await withScenario(SCENARIOS['notify-requesters'], async (sim, event) => {
      const repo = SCENARIOS['notify-requesters'].repo;
      await run('notify-requesters', sim, event);
      const reviews = () => botIssues(sim.store, repo, 'docs-review');
      expect(reviews()).toHaveLength(1);
      const issue = reviews()[0]!;
      expect(issue.labels).toEqual(['docs-review']);
      addNotes(sim.store, repo, issue, 'Codertocat');
      sim.store.removeLabel(repo, issue.number, 'docs-review', 'Codertocat');

      // The release is renamed: the docs-review list's heading changes on the next run.
      const release = sim.store.listReleases(repo).find((r) => !r.draft)!;
      sim.store.updateRelease(repo, release.id, { name: 'Hello, world 0.0.1' });
      await run('notify-requesters', sim, event);

      expect(reviews()).toHaveLength(1);
      const after = reviews()[0]!;
      expect(after.number).toBe(issue.number);
      expect(after.labels).toEqual([]);
      expectNotesKept(after.body);
      const region = readRegion(after.body, 'docs-review');
      expect(region.state).toBe('region');
      expect(region.content).toContain('Every docs and copy change of [Hello, world 0.0.1]');
    });
  });

  it('draft-release-notes: the name a maintainer chose and their notes survive the next merge; the bot’s part is current', async () => {
    await withScenario(SCENARIOS['draft-release-notes'], async (sim, event) => {
      await run('draft-release-notes', sim, event);
      expect(drafts(sim.store)).toHaveLength(1);
      const draft = { ...drafts(sim.store)[0]! };
      expect(draft.name).toBe('v1.1.0');
      sim.store.updateRelease(OCTO, draft.id, { name: 'The export release', body: withNotes(draft.body ?? '') });

      mergePr(sim.store, OCTO, 'feat: import from CSV', { body: '## How to use\n\n```sh\nimport --csv\n```' });
      await run('draft-release-notes', sim, push(sim.store, event));

      expect(drafts(sim.store)).toHaveLength(1);
      const after = drafts(sim.store)[0]!;
      expect(after.id).toBe(draft.id);
      expect(after.name).toBe('The export release');
      expectNotesKept(after.body);
      const region = readRegion(after.body, 'draft-release-notes');
      expect(region.state).toBe('region');
      expect(region.content).toContain('import from CSV');
      expect(region.content).toContain('import --csv');

      // A third merge: the name stays the maintainer's (the bot compares with the name it last chose).
      mergePr(sim.store, OCTO, 'fix: typo in the import');
      await run('draft-release-notes', sim, push(sim.store, event));
      expect(drafts(sim.store).map((r) => r.name)).toEqual(['The export release']);
      expect(readRegion(drafts(sim.store)[0]!.body, 'draft-release-notes').content).toContain('typo in the import');
    });
  });

  it('draft-release-notes: of duplicate drafts left by overlapping runs, an edited one is never deleted; an untouched one is', async () => {
    await withScenario(SCENARIOS['draft-release-notes'], async (sim, event) => {
      await run('draft-release-notes', sim, event);
      const first = { ...drafts(sim.store)[0]! };
      // Two copies of the bot's draft, as two older runs that overlapped left them; a maintainer edits the second.
      sim.store.advance(1_000);
      const edited = sim.store.createRelease(OCTO, { tag_name: first.tag_name, name: first.name, body: first.body, draft: true, target_commitish: 'main', author: BOT });
      sim.store.advance(1_000);
      const untouched = sim.store.createRelease(OCTO, { tag_name: first.tag_name, name: first.name, body: first.body, draft: true, target_commitish: 'main', author: BOT });
      sim.store.updateRelease(OCTO, edited.id, { body: withNotes(edited.body ?? '') });

      mergePr(sim.store, OCTO, 'feat: import from CSV');
      const r = await run('draft-release-notes', sim, push(sim.store, event));
      const ids = drafts(sim.store).map((d) => d.id);
      expect(ids).toContain(first.id);
      expect(ids).toContain(edited.id);
      expect(ids).not.toContain(untouched.id);
      expectNotesKept(sim.store.listReleases(OCTO).find((d) => d.id === edited.id)?.body);
      expect(r.summary + r.annotations.map((a) => a.message).join('\n')).toContain('edited by hand, so it stays');
    });
  });

  it('draft-release-notes: a hand-edited draft stays when the range becomes empty (the bot empties its part); an untouched one is deleted', async () => {
    for (const edited of [true, false]) {
      await withScenario(SCENARIOS['draft-release-notes'], async (sim, event) => {
        await run('draft-release-notes', sim, event);
        const draft = { ...drafts(sim.store)[0]! };
        if (edited) sim.store.updateRelease(OCTO, draft.id, { body: withNotes(draft.body ?? '') });

        // Everything merged is released another way (a hotfix release cut from main): nothing left to draft.
        sim.store.advance(60_000);
        sim.store.createRelease(OCTO, { tag_name: 'v1.1.0', target_commitish: 'main', name: 'v1.1.0', body: 'Released by hand' });
        await run('draft-release-notes', sim, push(sim.store, event));

        if (!edited) {
          expect(drafts(sim.store), 'an untouched draft is deleted, as before').toEqual([]);
          return;
        }
        expect(drafts(sim.store)).toHaveLength(1);
        const after = drafts(sim.store)[0]!;
        expect(after.id).toBe(draft.id);
        expectNotesKept(after.body);
        const region = readRegion(after.body, 'draft-release-notes');
        expect(region.content).not.toContain('export');
        expect(region.content).toContain('No merged pull request to release since v1.1.0 yet');

        // Another empty push: still kept.
        sim.store.advance(60_000);
        sim.store.commitOn(OCTO, 'main', ['chore: direct commit']);
        await run('draft-release-notes', sim, push(sim.store, event));
        expect(drafts(sim.store).map((r) => r.id)).toEqual([draft.id]);
        expectNotesKept(drafts(sim.store)[0]!.body);
      });
    }
  });
});
