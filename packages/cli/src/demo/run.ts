/**
 * `pnpm demo`: the whole feedback loop, offline. Starts the GitHub emulator with the Lumen demo
 * repository, sets it up exactly as `userloop init` writes a repository (its workflows, calling the real
 * bundled actions through their `action.yml`), and lets the team act: people open issues, comment, open
 * and merge a pull request and publish the release, and the emulated platform starts the workflows GitHub
 * would start, with the tokens and on the clock GitHub would use (the emulator's).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlatform, startSim, type Platform, type PlatformRun, type Sim, type Snapshot } from '@userloop/github-sim';
import { initFiles } from '../init.ts';
import { hasMarker, PRIORITIZE_MARKER_KIND } from '@userloop/core';
import { DEMO_FULL_NAME, formBody } from './snapshot.ts';
import { DEMO_SNAPSHOT_PATH } from './generate.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const BOT_TOKEN = 'demo-token';
const MAINTAINER = 'maya-chen';
const MINUTE = 60_000;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Progress lines go here (default: stdout). */
  log?: (line: string) => void;
  /** Where the KPI report is written (default: none); every run's job summary goes next to it. */
  reportFile?: string;
  /** The repository to run on (default: the committed Lumen snapshot). */
  snapshot?: Snapshot;
}

/** One workflow run GitHub started for an act, as the demo shows it. */
interface DemoRun {
  /** The userloop action the run's job used (`prioritize`…). */
  action: string;
  /** `issues.opened`, `pull_request.edited`… */
  event: string;
  conclusion: string;
  /** The outputs of the userloop step. */
  outputs: Record<string, string>;
  /** The job summary it wrote. */
  summary: string;
  /**
   * It ended as the demo means it to: a success, the one failure the act is there to show, or cancelled
   * while it waited because a newer run of its concurrency group came (GitHub keeps one waiting run per group).
   */
  asExpected: boolean;
  /** Why it was cancelled, in GitHub's words. */
  cancelled?: string;
}

/** One thing people did, the runs GitHub started for it, and what they cost together. */
export interface DemoStep {
  title: string;
  runs: DemoRun[];
  requests: number;
  graphqlPoints: number;
  writes: number;
}

/** What the demo did; the tests read it. */
export interface DemoResult {
  steps: DemoStep[];
  report: string;
  reportIssue: number;
  /** Where the job summaries were written (next to the report), when a report file was asked for. */
  summaryFile?: string;
  violations: number;
  /** Every run ended as expected and no request broke GitHub's API contract. */
  ok: boolean;
}

/** Runs the demo; resolves with every step's runs and the report. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const snapshot = options.snapshot ?? (JSON.parse(readFileSync(DEMO_SNAPSHOT_PATH, 'utf8')) as Snapshot);
  const sim = await startSim({ snapshot });
  const checkout = mkdtempSync(join(tmpdir(), 'userloop-demo-'));
  const steps: DemoStep[] = [];
  try {
    const store = sim.store;
    const platform = setUp(sim, checkout);
    const later = (minutes: number): void => {
      store.now = new Date(store.now.getTime() + minutes * MINUTE);
    };

    /** One act of the team: `act` changes the repository; the runs it started settle; their costs are printed. */
    const step = async (title: string, act: () => void | Promise<void>, expectedFailure?: { action: string; why: string }): Promise<DemoStep> => {
      const since = platform.runs.at(-1)?.id ?? 0;
      sim.resetCounters();
      await act();
      await platform.settle();
      const runs = platform.runs.filter((r) => r.id > since).map((r) => demoRun(r, expectedFailure?.action));
      const done: DemoStep = { title, runs, requests: sim.counters.rest + sim.counters.graphqlQueries, graphqlPoints: sim.counters.graphqlPoints, writes: sim.counters.writes };
      steps.push(done);
      for (const run of runs) {
        const expected = run.asExpected && run.conclusion === 'failure';
        const replaced = run.cancelled ? ' while it waited: the next event of the same issue replaced it, as GitHub does' : '';
        log(`   ${run.action} on ${run.event}: ${expected ? `failed, as expected: ${expectedFailure?.why ?? ''}` : `${run.conclusion}${replaced}`}`);
        const outputs = Object.entries(run.outputs)
          .filter(([k, v]) => v !== '' && !['body', 'comment-id', 'requesters'].includes(k))
          .map(([k, v]) => `${k}=${v.length > 60 ? `${v.slice(0, 57)}...` : v}`)
          .join(' ');
        if (outputs) log(`     ${outputs}`);
      }
      log(`   ${runs.length} workflow run(s): ${done.requests} API requests, ${done.graphqlPoints} GraphQL points, ${done.writes} writes`);
      return done;
    };
    /** The bot's newest comment on an issue (with `kind`: the one carrying that marker). */
    const lastBotComment = (issue: number, kind?: string): string =>
      store.commentsOf(DEMO_FULL_NAME, issue).filter((c) => c.user === 'github-actions[bot]' && (kind === undefined || hasMarker(c.body, kind))).at(-1)?.body ?? '';
    const quote = (text: string, lines = 6): void => {
      const visible = text.split('\n').filter((l) => !l.startsWith('<!--') && l.trim() !== '');
      for (const l of visible.slice(0, lines)) log(`   > ${l}`);
      if (visible.length > lines) log('   > ...');
    };

    log(`userloop demo: the feedback loop on ${DEMO_FULL_NAME}, a fictional notes app (${store.mustRepo(DEMO_FULL_NAME).issues.size} issues and PRs over six months), set up as \`userloop init\` writes it, on the local GitHub emulator (its clock: ${store.now.toISOString().slice(0, 16)} UTC).\n`);

    // 1. A user is blocked: Fix it now.
    log('1. ada-writes opens a bug that blocks her');
    let bug = 0;
    await step('A blocked user files a bug', () => {
      bug = platform.openIssue({ user: 'ada-writes', title: 'Sync deletes the notes I edited offline', body: formBody('bug', 'I edited notes on a plane; after sync they were gone', true, false), labels: ['bug', 'area: sync'] });
    });
    quote(lastBotComment(bug));

    // 2. A feature request: Low, then a second person asks for it: High.
    log('\n2. ben-writes asks for a feature; then omar-codes says he wants it too');
    let feature = 0;
    later(30);
    await step('A feature request', () => {
      feature = platform.openIssue({ user: 'ben-writes', title: 'Export a notebook to PDF', body: formBody('feature', 'Exporting a notebook to PDF', false, false), labels: ['feature', 'area: editor'] });
    });
    later(90);
    await step('A second person asks for it', () => void platform.comment(feature, { user: 'omar-codes', body: '+1, we need this for our team handbook' }));
    quote(lastBotComment(feature));

    // People who asked outside GitHub: a maintainer records one, a support tool forwards another.
    log('\n   maya-chen records that Dana asked for it on Discord; the support desk forwards a ticket from Lee');
    later(60);
    await step('A request from Discord, recorded by a maintainer', () =>
      void platform.comment(feature, { user: MAINTAINER, body: '/requested-by "Dana (Discord)" https://discord.com/channels/4711/4712/4713' }),
    );
    later(30);
    await step('A support ticket, forwarded by the support tool (repository_dispatch)', () =>
      platform.repositoryDispatch('userloop-request', { name: 'Lee', place: 'Support', url: 'https://support.lumen.example/tickets/4211', issue: String(feature) }, { by: MAINTAINER }),
    );
    quote(lastBotComment(feature, PRIORITIZE_MARKER_KIND), 8);

    // A proposed solution, validated by the person who asked.
    log('\n   maya-chen proposes a solution; ben-writes, who asked, says it solves his problem');
    later(60);
    await step('A proposed solution', () =>
      void platform.comment(feature, {
        user: MAINTAINER,
        body: '### Proposed solution\n\nAn export command and a menu item:\n\n```sh\nlumen export --format pdf "My notebook"\n```\n',
      }),
    );
    quote(lastBotComment(feature), 3);
    later(120);
    await step('The reporter answers', () => void platform.comment(feature, { user: 'ben-writes', body: 'Yes, that would solve it for me.' }));

    // The bug's reporter fills in what the first reply asked for.
    log('\n   ada-writes adds the details the first reply asked for');
    later(30);
    await step('The missing details', () =>
      void platform.comment(bug, {
        user: 'ada-writes',
        body: '### Steps to reproduce\n\n1. Go offline\n2. Edit a note\n3. Sync\n\n### What did you expect instead?\n\nMy edits kept.\n\n### Logs and configuration\n\n```\nsync: conflict resolved by deleting local copy\n```',
      }),
    );
    log(`   labels of #${bug} now: ${store.mustIssue(DEMO_FULL_NAME, bug).labels.join(', ')}`);
    log('   the fix needs a design decision: tomas-ortiz labels it, and the Sync owners are called in');
    later(30);
    await step('A Fix it now issue that needs a design', () => platform.label(bug, ['needs design'], { by: 'tomas-ortiz' }));
    const design = lastBotComment(bug, 'prioritize-design');
    quote(design, 1);
    quote(design.split('\n').filter((l) => l.includes('@')).join('\n'), 1);

    // 3. The feature PR: first without docs (the check fails), then with them (it passes).
    log('\n3. maya-chen opens the feature PR without docs; require-docs fails it; she adds them and it passes');
    let pr = 0;
    later(60);
    await step(
      'A feature PR without docs',
      () => {
        pr = platform.openPullRequest({
          user: MAINTAINER,
          head: 'pdf-export',
          title: 'feat(editor): export a notebook to PDF',
          body: `Closes #${feature}.\n\nAdds File > Export > PDF.`,
          labels: ['feature', 'area: editor'],
          files: ['src/editor/export/pdf.ts'],
          closes: [feature],
        });
      },
      { action: 'require-docs', why: 'the PR has no docs and no "How to use" snippet yet' },
    );
    later(60);
    await step('The same PR with docs and a usage snippet', () => {
      store.mustIssue(DEMO_FULL_NAME, pr).pull_request!.files.push({ sha: 'd0c5'.padEnd(40, '0'), filename: 'docs/editor/export.md', status: 'added', additions: 30, deletions: 0, changes: 30 });
      platform.editPullRequest(pr, {
        by: MAINTAINER,
        body: `Closes #${feature}.\n\nAdds File > Export > PDF.\n\n## How to use\n\n\`\`\`sh\nlumen export --format pdf "My notebook"\n\`\`\`\n\nOr choose **File > Export > PDF**.\n`,
      });
    });

    // 4. Merged: the draft release gains the feature, with its snippet and who asked.
    log('\n4. The PR is merged; draft-release-notes updates the draft release');
    later(120);
    const merged = await step('The PR is merged', () => platform.mergePullRequest(pr, { by: MAINTAINER }));
    const drafted = merged.runs.find((r) => r.action === 'draft-release-notes');
    quote(drafted?.outputs.body ?? '', 14);

    // The daily sweep: 👍s counted, reminders before a promised date, and a notice when a promise slipped.
    log('\n   Early next morning, the daily sweep keeps the promises');
    store.now = nextTime(store.now, 5, 23);
    await step('The daily sweep', () => void platform.tick());
    log(`   the reminder on #${bug}, whose promised date is near:`);
    quote(lastBotComment(bug, 'prioritize-reminder'), 2);
    const slipped = [...store.mustRepo(DEMO_FULL_NAME).issues.values()].filter((i) => store.commentsOf(DEMO_FULL_NAME, i.number).some((c) => c.user === 'github-actions[bot]' && hasMarker(c.body, 'prioritize-slip')));
    log(`   ${slipped.length} older issues whose promised date passed were told so, e.g. #${slipped[0]?.number ?? '-'}:`);
    if (slipped[0]) quote(lastBotComment(slipped[0].number, 'prioritize-slip'), 2);

    // 5. Published: everyone who asked hears about it, and the docs review is opened.
    log('\n5. maya-chen publishes the release; notify-requesters tells everyone who asked');
    later(4 * 60);
    const releaseId = Number(drafted?.outputs['release-id']);
    await step('The release is published', async () => {
      await api(sim, 'PATCH', `/repos/${DEMO_FULL_NAME}/releases/${releaseId}`, `token-${MAINTAINER}`, { draft: false });
    });
    quote(lastBotComment(feature));
    const docsReview = [...store.mustRepo(DEMO_FULL_NAME).issues.values()].filter((i) => !i.pull_request && i.user === 'github-actions[bot]' && /v1\.4\.0/.test(i.title)).at(-1);
    if (docsReview) {
      log(`   the docs-review issue #${docsReview.number} lists who to tell outside GitHub:`);
      quote((docsReview.body ?? '').slice((docsReview.body ?? '').indexOf('People outside GitHub')), 4);
    }

    // 6. Monday morning: the scheduled weekly KPI report covers the week that just ended.
    log('\n6. Monday morning: the weekly KPI report is posted');
    store.now = nextMonday(store.now);
    const kpi = await step('The weekly KPI report', () => void platform.tick());
    const reportIssue = Number(kpi.runs.find((r) => r.action === 'kpi-report')?.outputs['issue-number']);
    const report = (store.issue(DEMO_FULL_NAME, reportIssue)?.body ?? '') + store.commentsOf(DEMO_FULL_NAME, reportIssue).map((c) => `\n\n${c.body}`).join('');
    log(`\n${'-'.repeat(100)}\n${report}\n${'-'.repeat(100)}`);
    let summaryFile: string | undefined;
    if (options.reportFile) {
      writeFileSync(options.reportFile, report);
      summaryFile = join(dirname(options.reportFile), 'userloop-demo-summaries.md');
      writeFileSync(summaryFile, jobSummaries(steps));
      log(`The report was written to ${options.reportFile}, every run's job summary to ${summaryFile}`);
    }

    const runs = steps.flatMap((s) => s.runs);
    const total = steps.reduce((a, s) => ({ requests: a.requests + s.requests, points: a.points + s.graphqlPoints, writes: a.writes + s.writes }), { requests: 0, points: 0, writes: 0 });
    log(`\nDone: ${runs.length} workflow runs, ${total.requests} API requests, ${total.points} GraphQL points, ${total.writes} writes; ${sim.violations.length} API contract violations.`);
    const ok = runs.every((r) => r.asExpected) && sim.violations.length === 0;
    return { steps, report, reportIssue, ...(summaryFile ? { summaryFile } : {}), violations: sim.violations.length, ok };
  } finally {
    await sim.stop();
    rmSync(checkout, { recursive: true, force: true });
  }
}

/**
 * The repository as `userloop init` leaves it: init's workflows (calling this checkout's actions and
 * reusable KPI workflow) next to Lumen's own config and issue forms, in the working tree the platform
 * runs and on the default branch the actions read; the team can act with their own tokens.
 */
function setUp(sim: Sim, checkout: string): Platform {
  const files = new Map<string, string>();
  for (const f of initFiles({ defaultBranch: 'main' })) if (f.path.startsWith('.github/workflows/')) files.set(f.path, f.content);
  for (const path of sim.store.listDirectory(DEMO_FULL_NAME, '.github/ISSUE_TEMPLATE')?.map((e) => e.path) ?? []) files.set(path, sim.store.getContent(DEMO_FULL_NAME, path) ?? '');
  files.set('.github/userloop.yml', sim.store.getContent(DEMO_FULL_NAME, '.github/userloop.yml') ?? '');
  for (const [path, text] of files) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    writeFileSync(join(checkout, path), text);
    sim.store.setContent(DEMO_FULL_NAME, path, text);
  }
  for (const login of ['ada-writes', 'ben-writes', 'omar-codes', MAINTAINER]) sim.store.addToken(`token-${login}`, login, { issues: 'write', pull_requests: 'write', contents: 'write', metadata: 'read' });
  sim.store.addToken(BOT_TOKEN, 'github-actions[bot]', { issues: 'write', pull_requests: 'write', contents: 'write', metadata: 'read' });
  // Pacing and retry waits are real on GitHub; the demo's runner shortens them a hundredfold.
  return createPlatform({ sim, repository: DEMO_FULL_NAME, checkout, actionRepos: { 'userloop/userloop': repoRoot }, runnerEnv: { USERLOOP_WAIT_SCALE: '0.01' } });
}

/** What the demo shows of a run: the userloop step of its job (the report job of the KPI workflow). */
function demoRun(run: PlatformRun, failing: string | undefined): DemoRun {
  const jobs = run.jobs.filter((j) => j.steps.some((s) => userloopAction(s.uses)));
  const step = jobs.flatMap((j) => j.steps).findLast((s) => userloopAction(s.uses));
  const action = userloopAction(step?.uses) ?? /userloop-([\w-]+)\.ya?ml$/.exec(run.workflow)?.[1] ?? run.workflowName;
  const cancelled = run.conclusion === 'cancelled' ? [...run.errors, ...run.jobs.flatMap((j) => j.errors)].find((e) => e.startsWith('Canceling since a higher priority waiting request')) : undefined;
  return {
    action,
    event: `${run.event}${run.action ? `.${run.action}` : ''}`,
    conclusion: run.conclusion ?? run.status,
    outputs: step?.outputs ?? {},
    summary: jobs.map((j) => j.summary).join('\n'),
    asExpected: cancelled !== undefined || run.conclusion === (action === failing ? 'failure' : 'success'),
    ...(cancelled ? { cancelled } : {}),
  };
}

/**
 * The userloop action a step's `uses:` names: `userloop/userloop/actions/prioritize@v1` in the workflows
 * init writes, `./.userloop/actions/kpi-report` in the reusable KPI workflow's checkout of userloop.
 */
function userloopAction(uses: string | undefined): string | undefined {
  return /^(?:userloop\/userloop|\.\/\.userloop)\/actions\/([\w-]+)(?:@|$)/.exec(uses ?? '')?.[1];
}

/** Every run's job summary, under the act that started it. */
function jobSummaries(steps: readonly DemoStep[]): string {
  return steps
    .flatMap((s) => s.runs.filter((r) => r.summary.trim() !== '').map((r) => `# ${s.title}: ${r.action} on ${r.event} (${r.conclusion})\n\n${r.summary.trim()}\n`))
    .join('\n');
}

/** The next `hour`:`minute` UTC after `now` (a daily schedule's minute). */
function nextTime(now: Date, hour: number, minute: number): Date {
  const d = new Date(now.getTime());
  d.setUTCHours(hour, minute, 0, 0);
  if (d.getTime() <= now.getTime()) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** The next Monday 07:00 UTC after `now`, when the weekly schedule `init` writes runs. */
function nextMonday(now: Date): Date {
  const d = new Date(now.getTime());
  d.setUTCHours(7, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== 1);
  return d;
}

/** A person's request to the emulator's REST API with their token: parsed JSON. */
async function api(sim: Sim, method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
