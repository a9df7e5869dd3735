/**
 * `pnpm demo`: the whole feedback loop, offline. Starts the GitHub emulator with the Lumen demo
 * repository and runs the real bundled actions through their `action.yml`, in the order of the loop,
 * with the webhook payloads GitHub would send. Everything a person does (open an issue, +1 it, open
 * and merge a PR, publish the release) goes through the emulator's REST API with that person's token.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSim, runAction, type Sim, type RunActionResult, type Snapshot, type RequestLogEntry } from '@userloop/github-sim';
import { DEMO_FULL_NAME, formBody } from './snapshot.ts';
import { DEMO_SNAPSHOT_PATH } from './generate.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const BOT_TOKEN = 'demo-token';
const MAINTAINER = 'maya-chen';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Progress lines go here (default: stdout). */
  log?: (line: string) => void;
  /** Where the KPI report is written (default: none). */
  reportFile?: string;
  /** The repository to run on (default: the committed Lumen snapshot). */
  snapshot?: Snapshot;
}

/** One step of the loop and what it cost. */
interface DemoStep {
  title: string;
  action: string;
  exitCode: number;
  outputs: Record<string, string>;
  requests: number;
  graphqlPoints: number;
  writes: number;
}

/** What the demo did; the tests read it. */
export interface DemoResult {
  steps: DemoStep[];
  report: string;
  reportIssue: number;
  violations: number;
}

type Json = Record<string, unknown>;

/** Runs the demo; resolves with every step's outputs and the report. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const snapshot = options.snapshot ?? (JSON.parse(readFileSync(DEMO_SNAPSHOT_PATH, 'utf8')) as Snapshot);
  const sim = await startSim({ snapshot });
  const steps: DemoStep[] = [];
  try {
    const people = ['ada-writes', 'ben-writes', 'omar-codes', MAINTAINER];
    for (const login of people) sim.store.addToken(`token-${login}`, login, { issues: 'write', pull_requests: 'write', contents: 'write', metadata: 'read' });
    const api = apiAs(sim);
    const repository = (await api('GET', `/repos/${DEMO_FULL_NAME}`, BOT_TOKEN)) as Json;
    const sender = async (login: string): Promise<Json> => (await api('GET', `/users/${login}`, BOT_TOKEN)) as Json;

    const run = async (title: string, action: string, event: { name: string; payload: Json }, inputs: Record<string, string> = {}): Promise<RunActionResult<RequestLogEntry>> => {
      sim.resetCounters();
      const result = await runAction({
        actionDir: `${repoRoot}actions/${action}`,
        sim,
        event,
        inputs,
        token: BOT_TOKEN,
        repository: DEMO_FULL_NAME,
        // Pacing and retry waits are real on GitHub; the demo shortens them a hundredfold.
        env: { USERLOOP_WAIT_SCALE: '0.01' },
      });
      const step: DemoStep = {
        title,
        action,
        exitCode: result.exitCode,
        outputs: result.outputs,
        requests: sim.counters.rest + sim.counters.graphqlQueries,
        graphqlPoints: sim.counters.graphqlPoints,
        writes: sim.counters.writes,
      };
      steps.push(step);
      const outputs = Object.entries(result.outputs)
        .filter(([k, v]) => v !== '' && !['body', 'comment-id', 'requesters'].includes(k))
        .map(([k, v]) => `${k}=${v.length > 60 ? `${v.slice(0, 57)}...` : v}`)
        .join(' ');
      log(`   ${action}: exit ${result.exitCode}; ${step.requests} requests, ${step.graphqlPoints} GraphQL points, ${step.writes} writes`);
      if (outputs) log(`   outputs: ${outputs}`);
      for (const a of result.annotations.filter((x) => x.level !== 'notice')) log(`   ${a.level}: ${a.message.split('\n')[0]}`);
      return result;
    };
    const lastBotComment = (issue: number): string => {
      const comments = sim.store.commentsOf(DEMO_FULL_NAME, issue).filter((c) => c.user === 'github-actions[bot]');
      return comments.at(-1)?.body ?? '';
    };
    /** `login` opens an issue through the API; prioritize runs on its `issues.opened` (step `title`). */
    const openIssue = async (title: string, login: string, fields: { title: string; body: string; labels: string[] }): Promise<Json> => {
      const issue = (await api('POST', `/repos/${DEMO_FULL_NAME}/issues`, `token-${login}`, fields)) as Json;
      await run(title, 'prioritize', { name: 'issues', payload: { action: 'opened', issue, repository, sender: await sender(login) } });
      return issue;
    };
    const quote = (text: string, lines = 6): void => {
      const visible = text.split('\n').filter((l) => !l.startsWith('<!--') && l.trim() !== '');
      for (const l of visible.slice(0, lines)) log(`   > ${l}`);
      if (visible.length > lines) log('   > ...');
    };

    log(`userloop demo: the feedback loop on ${DEMO_FULL_NAME}, a fictional notes app (${sim.store.mustRepo(DEMO_FULL_NAME).issues.size} issues and PRs over six months), on the local GitHub emulator.\n`);

    // 1. A user is blocked: Fix it now.
    log('1. ada-writes opens a bug that blocks her');
    const bug = await openIssue('A blocked user files a bug', 'ada-writes', {
      title: 'Sync deletes the notes I edited offline',
      body: formBody('bug', 'I edited notes on a plane; after sync they were gone', true, false),
      labels: ['bug', 'area: sync'],
    });
    quote(lastBotComment(bug.number as number));

    // 2. A feature request: Low, then a second person asks for it: High.
    log('\n2. ben-writes asks for a feature; then omar-codes says he wants it too');
    const feature = await openIssue('A feature request', 'ben-writes', {
      title: 'Export a notebook to PDF',
      body: formBody('feature', 'Exporting a notebook to PDF', false, false),
      labels: ['feature', 'area: editor'],
    });
    const featureNumber = feature.number as number;
    const plusOne = (await api('POST', `/repos/${DEMO_FULL_NAME}/issues/${featureNumber}/comments`, 'token-omar-codes', { body: '+1, we need this for our team handbook' })) as Json;
    const featureNow = (await api('GET', `/repos/${DEMO_FULL_NAME}/issues/${featureNumber}`, BOT_TOKEN)) as Json;
    await run('A second person asks for it', 'prioritize', { name: 'issue_comment', payload: { action: 'created', issue: featureNow, comment: plusOne, repository, sender: await sender('omar-codes') } });
    quote(lastBotComment(featureNumber));

    // 3. The feature PR: first without docs (the check fails), then with them (it passes).
    log('\n3. maya-chen opens the feature PR without docs; require-docs fails it; she adds them and it passes');
    const store = sim.store;
    const [commit] = store.commitOn(DEMO_FULL_NAME, 'pdf-export', [{ message: 'feat(editor): export a notebook to PDF', author: { login: MAINTAINER } }]);
    const pr = store.createPull(DEMO_FULL_NAME, {
      title: 'feat(editor): export a notebook to PDF',
      body: `Closes #${featureNumber}.\n\nAdds File > Export > PDF.`,
      user: MAINTAINER,
      labels: ['feature', 'area: editor'],
      head: { ref: 'pdf-export', sha: commit!.sha },
      base: { ref: 'main' },
      commits: [commit!.sha],
      files: [{ filename: 'src/editor/export/pdf.ts', status: 'added', additions: 120 }],
      closing_issues: [featureNumber],
    });
    const prPayload = async (action: string): Promise<Json> => ({
      action,
      number: pr.number,
      pull_request: (await api('GET', `/repos/${DEMO_FULL_NAME}/pulls/${pr.number}`, BOT_TOKEN)) as Json,
      repository,
      sender: await sender(MAINTAINER),
    });
    await run('A feature PR without docs', 'require-docs', { name: 'pull_request', payload: await prPayload('opened') });
    await api('PATCH', `/repos/${DEMO_FULL_NAME}/issues/${pr.number}`, `token-${MAINTAINER}`, {
      body: `Closes #${featureNumber}.\n\nAdds File > Export > PDF.\n\n## How to use\n\n\`\`\`sh\nlumen export --format pdf "My notebook"\n\`\`\`\n\nOr choose **File > Export > PDF**.\n`,
    });
    pr.pull_request!.files.push({ sha: 'd0c5'.padEnd(40, '0'), filename: 'docs/editor/export.md', status: 'added', additions: 30, deletions: 0, changes: 30 });
    await run('The same PR with docs and a usage snippet', 'require-docs', { name: 'pull_request', payload: await prPayload('edited') });

    // 4. Merged: the draft release gains the feature, with its snippet and who asked.
    log('\n4. The PR is merged; draft-release-notes updates the draft release');
    const before = store.resolveRef(DEMO_FULL_NAME, 'refs/heads/main');
    await api('PUT', `/repos/${DEMO_FULL_NAME}/pulls/${pr.number}/merge`, `token-${MAINTAINER}`, {});
    const after = store.resolveRef(DEMO_FULL_NAME, 'refs/heads/main');
    const drafted = await run('The draft release notes', 'draft-release-notes', {
      name: 'push',
      payload: { ref: 'refs/heads/main', before, after, repository: { ...repository, master_branch: 'main' }, pusher: { name: MAINTAINER }, sender: await sender(MAINTAINER), commits: [], head_commit: null },
    });
    quote(drafted.outputs.body ?? '', 14);

    // 5. Published: everyone who asked hears about it, and the docs review is opened.
    log('\n5. maya-chen publishes the release; notify-requesters tells everyone who asked');
    const releaseId = Number(drafted.outputs['release-id']);
    const release = (await api('PATCH', `/repos/${DEMO_FULL_NAME}/releases/${releaseId}`, `token-${MAINTAINER}`, { draft: false })) as Json;
    await run('Requesters notified', 'notify-requesters', { name: 'release', payload: { action: 'published', release, repository, sender: await sender(MAINTAINER) } });
    quote(lastBotComment(featureNumber));

    // 6. Monday morning: the scheduled weekly KPI report covers the week that just ended.
    log('\n6. Monday morning: the weekly KPI report is posted');
    const kpi = await run(
      'The weekly KPI report',
      'kpi-report',
      { name: 'schedule', payload: { schedule: '0 7 * * 1', repository } },
      { 'as-of': nextMonday(sim.store.now) },
    );
    const reportIssue = Number(kpi.outputs['issue-number']);
    const report = (store.issue(DEMO_FULL_NAME, reportIssue)?.body ?? '') + store.commentsOf(DEMO_FULL_NAME, reportIssue).map((c) => `\n\n${c.body}`).join('');
    log(`\n${'-'.repeat(100)}\n${report}\n${'-'.repeat(100)}`);
    if (options.reportFile) {
      writeFileSync(options.reportFile, report);
      log(`The report was written to ${options.reportFile}`);
    }

    const total = steps.reduce((a, s) => ({ requests: a.requests + s.requests, points: a.points + s.graphqlPoints, writes: a.writes + s.writes }), { requests: 0, points: 0, writes: 0 });
    log(`\nDone: ${steps.length} action runs, ${total.requests} API requests, ${total.points} GraphQL points, ${total.writes} writes; ${sim.violations.length} API contract violations.`);
    return { steps, report, reportIssue, violations: sim.violations.length };
  } finally {
    await sim.stop();
  }
}

/** The next Monday 07:00 UTC after `now`, as the weekly schedule would run. */
function nextMonday(now: Date): string {
  const d = new Date(now.getTime());
  d.setUTCHours(7, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== 1);
  return d.toISOString();
}

/** A tiny REST client for the people of the demo: `api(method, path, token, body)` -> parsed JSON. */
function apiAs(sim: Sim) {
  return async (method: string, path: string, token: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

