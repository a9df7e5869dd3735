// Keeping promises end to end: the BUNDLED action (dist/index.mjs run through action.yml) on the `schedule`
// event that `userloop init`'s workflow sends, with the config from the checkout: one reminder, one slip notice,
// the job summary saying so, and nothing twice on the next sweep. The action tells time by the machine's clock,
// so the dates are set from today.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextBusinessDay, readMarker } from '@userloop/core';
import { Renderer, runAction, type Sim } from '@userloop/github-sim';
import { REMINDER_MARKER_KIND, SLIP_MARKER_KIND } from '../src/promises.ts';
import { ours, promised } from './promised.ts';
import { ACTION, eachTestWithSim, env } from './sim.ts';

const OWNER = 'acme';
const NAME = 'notes';
const REPO = `${OWNER}/${NAME}`;
let sim: Sim;
let workspace: string;

eachTestWithSim('prioritize-promises-', (s, w) => {
  sim = s;
  workspace = w;
  sim.store.createRepo({ owner: OWNER, name: NAME, private: true, collaborators: { maria: 'admin', gus: 'write' } });
});

function sweep() {
  const repository = new Renderer(sim.store, sim.url).repository(sim.store.repo(REPO)!);
  return runAction({ actionDir: ACTION, sim, event: { name: 'schedule', payload: { schedule: '23 5 * * *', repository } }, env, workspace, repository: REPO });
}

describe('the bundled action on schedule', () => {
  it('reminds the area owner before the promised date and tells the people who asked once it passed; the next sweep posts nothing', async () => {
    mkdirSync(join(workspace, '.github'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'userloop.yml'),
      'areas:\n  - name: Export\n    labels: ["area: export"]\n    owners: ["@maria"]\nprioritize:\n  remind-days-before: 2\n',
    );
    // Due the next business day: inside the two days of the reminder, whatever day the test runs.
    const soon = nextBusinessDay(new Date(), 1);
    const near = promised(sim, REPO, 'alice', soon, { labels: ['area: export'] });
    const lapsed = promised(sim, REPO, 'bob', '2024-01-05', { priority: 'fix-it-now', others: ['carol', 'dependabot[bot]'] });
    const low = promised(sim, REPO, 'dave', null);

    sim.resetCounters();
    const r = await sweep();
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const reminder = ours(sim, REPO, near, REMINDER_MARKER_KIND);
    expect(reminder).toHaveLength(1);
    expect(reminder[0]?.body).toMatch(/^@maria A reminder: we told 1 person that we would get to this by \w+ \d{4}-\d{2}-\d{2}, end of day UTC \(High\)/);
    expect(readMarker(reminder[0]?.body, REMINDER_MARKER_KIND)).toEqual({ due: soon, owners: ['@maria'] });
    const slip = ours(sim, REPO, lapsed, SLIP_MARKER_KIND);
    expect(slip).toHaveLength(1);
    expect(slip[0]?.body).toMatch(/^@bob @carol We said we would get to this by Friday 2024-01-05, end of day UTC, and we did not make it\./);
    expect(readMarker(slip[0]?.body, SLIP_MARKER_KIND)).toEqual({ due: '2024-01-05', people: ['bob', 'carol'] });
    expect(sim.store.commentsOf(REPO, low)).toHaveLength(1);
    expect(r.summary).toMatch(new RegExp(`\\| Reminded before the promised date +\\| #${near} +\\|`));
    expect(r.summary).toMatch(new RegExp(`\\| Told the promised date slipped +\\| #${lapsed} +\\|`));
    // The page of open issues and the reminder's read of labels and assignees (the config is the checkout's); two posts.
    expect(sim.counters.graphqlQueries).toBe(2);
    expect(sim.counters.writes).toBe(2);

    sim.resetCounters();
    const again = await sweep();
    expect(again.exitCode).toBe(0);
    expect(sim.counters.writes).toBe(0);
    expect(again.summary).toMatch(/\| Reminded before the promised date +\| none +\|/);
    expect(ours(sim, REPO, near, REMINDER_MARKER_KIND)).toHaveLength(1);
    expect(ours(sim, REPO, lapsed, SLIP_MARKER_KIND)).toHaveLength(1);
  });
});
