// Two runs at once, as GitHub starts them: `published` + `released` of one release (a workflow whose
// subscription the action cannot read), two `assigned` events for two assignees. The BUNDLED action runs
// twice concurrently (two processes) against the emulator, several rounds; each round must end with one
// release notice per issue, one docs-review issue and one work-started notice per issue.
import { describe, expect, it } from 'vitest';
import { webhookExample, type Sim } from '@userloop/github-sim';
import { inRepo, releasePayload, runBundled, useBundledAction } from './bundled.ts';
import { FULL, OWNER, REPO, addIssue, botComments, comment, mergePr, notices, publish } from './fixture.ts';

const ROUNDS = 5;
let sim: Sim;
let workspace: string;
useBundledAction({ prefix: 'notify-overlap-', config: 'notify-requesters:\n  min-interval-ms: 0\n' }, (test) => ({ sim, workspace } = test));

type Payload = Record<string, unknown>;

function assignedPayload(number: number, assignee: string): Payload {
  const t = webhookExample('issues', 'assigned') as Payload & { repository: Payload; issue: Payload };
  const issue = sim.store.mustIssue(FULL, number);
  const user = { ...(t['assignee'] as object), login: assignee };
  // Assigned by the repository's owner: on GitHub only people with access can assign.
  const sender = { ...(t['sender'] as object), login: OWNER };
  return inRepo({ ...t, issue: { ...t.issue, number, title: issue.title, body: issue.body, state: 'open', assignees: [user] }, assignee: user, sender });
}

const run = (name: string, payload: Payload) => runBundled(sim, workspace, { name, payload });

/** The docs-review issues of a tag still carrying the label (the one people work from). */
const docsReviews = (tag: string) =>
  [...sim.store.mustRepo(OWNER, REPO).issues.values()].filter((i) => !i.pull_request && i.title === `Docs review for ${tag}` && i.labels.includes('docs-review'));

describe('two runs at once (bundled action, concurrent processes)', () => {
  it(`published + released of one release, ${ROUNDS} rounds: one notice per issue, one docs-review issue`, async () => {
    for (let round = 1; round <= ROUNDS; round += 1) {
      const s = sim.store;
      const issues = [addIssue(s, 'alice', `Export ${round}`), addIssue(s, 'bob', `Import ${round}`), addIssue(s, 'carol', `Sync ${round}`)];
      comment(s, issues[0]!, 'dave', '+1');
      for (const n of issues) mergePr(s, { title: `feat: #${n}`, closes: [n], files: ['src/x.ts', `docs/${n}.md`] });
      const tag = `v1.${round}.0`;
      const rel = publish(s, tag);

      const [a, b] = await Promise.all([run('release', releasePayload('published', rel)), run('release', releasePayload('released', rel))]);
      expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
      for (const n of issues) expect(notices(s, n).filter((body) => body.includes(`"tag":"${tag}"`)), `round ${round}, #${n}`).toHaveLength(1);
      expect(docsReviews(tag), `round ${round}`).toHaveLength(1);
      // Between them the two runs report every issue once.
      const reported = [a, b].flatMap((r) => JSON.parse(r.outputs['notified-issues'] ?? '[]') as number[]);
      expect(reported.sort((x, y) => x - y), `round ${round}`).toEqual(issues);
    }
  });

  it(`two assigned events (two assignees) at once, ${ROUNDS} rounds: one work-started notice per issue`, async () => {
    for (let round = 1; round <= ROUNDS; round += 1) {
      const s = sim.store;
      const issue = addIssue(s, 'alice', `Dark mode ${round}`);
      comment(s, issue, 'bob', 'me too');
      const [a, b] = await Promise.all([run('issues', assignedPayload(issue, 'maintainer')), run('issues', assignedPayload(issue, 'dev'))]);
      expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
      const started = botComments(s, issue).filter((body) => body.includes('<!-- userloop:work-started '));
      expect(started, `round ${round}`).toHaveLength(1);
    }
  });
});
