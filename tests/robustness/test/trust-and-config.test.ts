// Issue 14, points 2, 6 and 7, through the BUNDLED actions on the emulator:
// - a work-started notice goes out only on a maintainer's act (never a fork, never a stranger);
// - a bad configuration is an error, fast: 100,000 unknown keys give 50 errors and a count of the rest,
//   a config-path the user chose that is missing or a directory is an error naming it, a file too large
//   is reported by its size;
// - a secondary rate limit's `retry-after` is waited out in full.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction, startSim, webhookExample, type RunActionResult, type RequestLogEntry, type Sim } from '../../../packages/github-sim/src/index.ts';
import { BOT, SCENARIOS, WAIT_ENV, describeRun, runScenario, withScenario, writesOf } from './scenarios.ts';

const OWNER = 'Codertocat';
const NAME = 'Hello-World';
const REPO = `${OWNER}/${NAME}`;
const CONFIG = '.github/userloop.yml';

type Payload = Record<string, unknown>;
type Run = RunActionResult<RequestLogEntry>;

describe('work-started notices come only from a maintainer\'s act', () => {
  let sim: Sim;
  let workspace: string;
  const requested: number[] = [];

  beforeEach(async () => {
    sim = await startSim();
    const s = sim.store;
    s.createRepo({ owner: OWNER, name: NAME, collaborators: { maintainer: 'write', reader: 'read', triager: 'triage' } });
    for (const login of ['maintainer', 'reader', 'triager', 'stranger', 'alice', 'bob']) s.addUser({ login });
    s.advance(60_000);
    s.commitOn(REPO, 'main', ['Initial commit']);
    requested.length = 0;
    for (let i = 0; i < 30; i++) {
      s.advance(60_000);
      const issue = s.createIssue(REPO, { title: `Wish ${i}`, body: 'Please.', user: 'alice' });
      s.createComment(REPO, issue.number, { user: 'bob', body: '+1, me too' });
      requested.push(issue.number);
    }
    workspace = await mkdtemp(join(tmpdir(), 'trust-'));
    await mkdir(join(workspace, '.github'), { recursive: true });
    await writeFile(join(workspace, CONFIG), 'notify-requesters:\n  min-interval-ms: 0\n');
  });
  afterEach(async () => {
    sim.assertClean();
    await sim.stop();
    await rm(workspace, { recursive: true, force: true });
  });

  const run = (name: string, payload: Payload): Promise<Run> =>
    runAction({ actionDir: 'actions/notify-requesters', sim, event: { name, payload }, inputs: {}, workspace, repository: REPO, env: { USERLOOP_WAIT_SCALE: '0' } });
  const notices = (n: number) => sim.store.commentsOf(REPO, n).filter((c) => c.user === BOT && c.body.includes('<!-- userloop:work-started '));
  const allNotices = () => requested.flatMap((n) => notices(n));

  /** A pull request opened by `user`, from a branch of `headRepo`, closing every requested issue. */
  function opened(user: string, headRepo: string): Payload {
    const body = requested.map((n) => `Fixes #${n}`).join('\n');
    sim.store.advance(60_000);
    const pr = sim.store.createPull(REPO, { title: 'feat: everything', body, user, head: { ref: 'patch-1', repo: headRepo }, closing_issues: requested });
    const t = webhookExample('pull_request', 'opened') as Payload & { pull_request: Payload & { head: Payload & { repo: Payload }; base: Payload }; sender: Payload };
    const head = { ...t.pull_request.head, ref: 'patch-1', label: `${headRepo.split('/')[0]}:patch-1`, repo: { ...t.pull_request.head.repo, full_name: headRepo, name: NAME, fork: headRepo !== REPO, owner: { ...(t.pull_request.head.repo['owner'] as object), login: headRepo.split('/')[0] } } };
    return {
      ...t,
      number: pr.number,
      pull_request: { ...t.pull_request, number: pr.number, title: pr.title, body, user: { ...(t.pull_request['user'] as object), login: user }, head },
      sender: { ...t.sender, login: user },
    };
  }

  function assigned(issue: number, by: string, assignee = 'maintainer'): Payload {
    const t = webhookExample('issues', 'assigned') as Payload & { issue: Payload; sender: Payload; assignee: Payload };
    const i = sim.store.mustIssue(REPO, issue);
    const who = { ...t.assignee, login: assignee };
    return { ...t, issue: { ...t.issue, number: issue, title: i.title, body: i.body, state: 'open', assignees: [who] }, assignee: who, sender: { ...t.sender, login: by } };
  }

  it('a fork\'s pull request listing 30 "Fixes #N" tells nobody, on pull_request_target or pull_request; the maintainer\'s assignment later tells everyone', async () => {
    for (const event of ['pull_request_target', 'pull_request']) {
      const r = await run(event, opened('stranger', `stranger/${NAME}`));
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(writesOf(r), `${event}\n${describeRun(r)}`).toEqual([]);
      expect(r.annotations.map((a) => a.message)).toContain('A pull request from a fork does not start the work-started notice: it goes out when a maintainer assigns the issue.');
    }
    expect(allNotices()).toEqual([]);

    // Not suppressed as "already told": the maintainer's act tells both people who asked.
    const r = await run('issues', assigned(requested[0]!, 'maintainer'));
    expect(r.exitCode, describeRun(r)).toBe(0);
    const [notice, ...more] = notices(requested[0]!);
    expect(more).toEqual([]);
    expect(notice?.body).toMatch(/cc @alice @bob/);
  });

  it('a pull request from a branch of this repository tells people only when its opener has write access', async () => {
    const payload = opened('reader', REPO);
    const byReader = await run('pull_request', payload);
    expect(byReader.exitCode, describeRun(byReader)).toBe(0);
    expect(writesOf(byReader), describeRun(byReader)).toEqual([]);
    expect(byReader.annotations.map((a) => a.message)).toContain(
      `@reader has read access to ${REPO}: the work-started notice goes out only when someone with write access is opening #${String(payload['number'])}.`,
    );
    // One request decides it, and only that request is spent before stopping.
    expect(byReader.requests.filter((q) => q.route === 'GET /repos/{owner}/{repo}/collaborators/{username}/permission')).toHaveLength(1);
    expect(allNotices()).toEqual([]);

    const byMaintainer = await run('pull_request_target', opened('maintainer', REPO));
    expect(byMaintainer.exitCode, describeRun(byMaintainer)).toBe(0);
    expect(requested.map((n) => notices(n).length)).toEqual(requested.map(() => 1));
    expect(notices(requested[0]!)[0]!.body).toMatch(/cc @alice @bob/);
  });

  it('an assignment tells people only when the person who assigned has write access (not triage, read, a stranger or an app)', async () => {
    const issue = requested[1]!;
    for (const by of ['triager', 'reader', 'stranger', 'some-app[bot]']) {
      const r = await run('issues', assigned(issue, by));
      expect(r.exitCode, describeRun(r)).toBe(0);
      expect(writesOf(r), `${by}\n${describeRun(r)}`).toEqual([]);
      expect(r.annotations.map((a) => a.message).join('\n')).toMatch(new RegExp(`@${by.replace(/[[\]]/g, '\\$&')} has (no|read) access to ${REPO}`));
    }
    expect(notices(issue)).toEqual([]);
    const r = await run('issues', assigned(issue, 'maintainer', 'alice'));
    expect(r.exitCode, describeRun(r)).toBe(0);
    expect(notices(issue)).toHaveLength(1);
    // The assignee is not told about their own work; bob, who asked, is.
    expect(notices(issue)[0]!.body).toMatch(/cc @bob/);
  });

  it('a work-started marker a person wrote does not count as "already told"', async () => {
    const issue = requested[2]!;
    sim.store.createComment(REPO, issue, { user: 'stranger', body: `Done!\n\n<!-- userloop:work-started {"issue":${issue},"people":["alice","bob"]} -->` });
    const r = await run('issues', assigned(issue, 'maintainer'));
    expect(r.exitCode, describeRun(r)).toBe(0);
    expect(notices(issue)).toHaveLength(1);
    expect(notices(issue)[0]!.body).toMatch(/cc @alice @bob/);
  });
});

describe('a bad configuration is an error, fast', () => {
  const sc = SCENARIOS.prioritize;

  it('100,000 unknown keys: the first 50 errors in line order and one counting the rest; nothing written', async () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1\n`).join('');
    await withScenario(sc, async (sim, event) => {
      const started = Date.now();
      const r = await runScenario(sc, sim, event, { config: text });
      // A note, not an assertion (2 shared cores): 3-6 s for the whole run here, before the fix minutes.
      console.info(`prioritize with 100,000 unknown keys: ${Date.now() - started} ms`);
      expect(r.exitCode, describeRun(r)).not.toBe(0);
      const onFile = r.annotations.filter((a) => a.level === 'error' && a.file === CONFIG);
      expect(onFile).toHaveLength(51);
      expect(onFile.slice(0, 50).map((a) => a.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(onFile[0]!.message).toMatch(/^unknown key 'k0' at the top level/);
      expect(onFile[50]).toMatchObject({ line: 51, message: '99950 more errors not listed (only the first 50 in line order are); fix these and check again' });
      expect(r.annotations.find((a) => a.level === 'error' && a.file === undefined)?.message ?? '').toMatch(/^\.github\/userloop\.yml has 100000 errors:/);
      expect(writesOf(r)).toEqual([]);
    });
  }, 60_000);

  it('a config-path the user chose that does not exist is an error naming it, not the defaults in silence', async () => {
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event, { inputs: { 'config-path': '.github/userloop.yaml' } });
      expect(r.exitCode, describeRun(r)).not.toBe(0);
      const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors, describeRun(r)).toContainEqual(
        expect.stringMatching(/^config-path '\.github\/userloop\.yaml' does not exist \(not in the checkout, not in Codertocat\/Hello-World at [0-9a-f]{40}\)\. Fix the `config-path` input, or remove it to use \.github\/userloop\.yml\.$/),
      );
      expect(writesOf(r)).toEqual([]);
    });
  });

  it('a config-path that is a directory is an error naming it', async () => {
    await withScenario(sc, async (sim, event) => {
      const r = await runScenario(sc, sim, event, { config: '', inputs: { 'config-path': '.github' } });
      expect(r.exitCode, describeRun(r)).not.toBe(0);
      expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message), describeRun(r)).toContain(
        "config-path '.github' is a directory, not a file: name the YAML file (for example .github/userloop.yml).",
      );
      expect(writesOf(r)).toEqual([]);
    });
  });

  it('a 10 MB config read through the API is "too large", with its size', async () => {
    // require-docs reads its config from the pull request's base commit, in its one GraphQL query.
    const docs = SCENARIOS['require-docs'];
    await withScenario(docs, async (sim, event) => {
      const text = `# ${'x'.repeat(10 * 1024 * 1024)}\n`;
      const base = (event.payload['pull_request'] as { base: { sha: string } }).base.sha;
      sim.store.setContent(docs.repo, CONFIG, text, base);
      const r = await runScenario(docs, sim, event, { config: null });
      expect(r.requests.some((q) => q.path === '/graphql' && JSON.stringify(q.body ?? '').includes(`${base}:${CONFIG}`))).toBe(true);
      expect(r.annotations.filter((a) => a.level === 'error' && a.file === CONFIG).map((a) => a.message), describeRun(r)).toEqual([
        `${CONFIG}: the file is too large (${text.length} bytes; the limit is 1048576 bytes)`,
      ]);
      expect(r.exitCode).not.toBe(0);
      expect(writesOf(r)).toEqual([]);
    });
  }, 60_000);
});

describe('retry-after is honoured', () => {
  it('a secondary rate limit with retry-after: 6 is retried no sooner than 6 s later (real time, no wait scale)', async () => {
    const sc = SCENARIOS.prioritize;
    await withScenario(sc, async (sim, event) => {
      sim.faults.add({ method: 'POST', route: '/graphql', kind: 'secondary-rate-limit', retryAfter: 6, times: 1 });
      const workspace = await mkdtemp(join(tmpdir(), 'retry-after-'));
      let r: Run;
      try {
        // Unscaled waits (USERLOOP_WAIT_SCALE=1), so the measured gap is the header's 6 s itself.
        r = await runAction({ actionDir: `actions/${sc.action}`, sim, event, inputs: { token: 'test-token' }, repository: sc.repo, workspace, env: { ...WAIT_ENV, USERLOOP_WAIT_SCALE: '1' } });
      } finally {
        await rm(workspace, { recursive: true, force: true });
      }
      expect(r.exitCode, describeRun(r)).toBe(0);
      const graphql = r.requests.filter((q) => q.route === 'POST /graphql');
      const limited = graphql.findIndex((q) => q.status === 403);
      expect(limited, describeRun(r)).toBeGreaterThanOrEqual(0);
      const retry = graphql[limited + 1]!;
      expect(retry.status).toBe(200);
      const waited = retry.at! - graphql[limited]!.at!;
      expect(waited).toBeGreaterThanOrEqual(6_000);
      // Not the 60 s fallback for a missing header either.
      expect(waited).toBeLessThan(30_000);
      expect(r.annotations.map((a) => a.message)).toContainEqual(expect.stringMatching(/^GitHub secondary rate limit on POST \S*\/graphql; retrying in 6 s \(retry 1 of 3\)\.$/));
    });
  }, 60_000);
});
