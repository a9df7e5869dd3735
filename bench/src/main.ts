// `pnpm bench [--sizes 1000,10000,50000] [--runs N] [--only a,b] [--no-peer] [--no-cold] [--out file]`
// Runs every action on generated repositories in the emulator, next to the peers run unmodified on the same
// events, and prints the tables, the last one "Budgets": each figure next to its physical limit or budget,
// the ratio, and whether it holds; writes bench/results.json (or --out).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { markdownTable } from '@userloop/core';
import { CONTENT_PER_HOUR, GITHUB_TOKEN_GRAPHQL_LIMIT, GITHUB_TOKEN_REST_LIMIT, startSim } from '@userloop/github-sim';
import { checkColdStart, checkLargeRelease, checkScenario, checkSweep, LARGE, notMeasuredHere, notRunAtLarge, pacedScheduleMs, type BudgetCheck } from './budgets.ts';
import { coldStart, type ColdStart } from './cold-start.ts';
import { generate, type Generated } from './generate.ts';
import { cleanup } from './measure.ts';
import { runPeer, type PeerResult } from './peer.ts';
import { runDrafterPeer, type DrafterPeerResult } from './peer-drafter.ts';
import {
  ACTIONS,
  COMMENT_POST,
  openedIssueEvent,
  pullOpenedEvent,
  pushEvent,
  releaseEvent,
  runLargeRelease,
  runScenario,
  runSweep,
  scheduleEvent,
  type ActionName,
  type LargeReleaseResult,
  type ScenarioResult,
  type SweepBenchResult,
} from './scenarios.ts';

export interface BenchOptions {
  sizes: number[];
  runs: number | null;
  only: ActionName[];
  peer: boolean;
  cold: boolean;
  coldSamples: number;
  out: string | null;
  log: (line: string) => void;
}

export interface SizeResult {
  size: number;
  repository: Omit<Generated, 'notifyCommits' | 'notifyIssues' | 'notifyPulls' | 'openIssues'>;
  loadMs: number;
  rssAfterLoadMb: number;
  scenarios: ScenarioResult[];
  peer: PeerResult | { name: string; error: string } | null;
  /** release-drafter on draft-release-notes' push. */
  drafter: DrafterPeerResult | { name: string; error: string } | null;
  /** prioritize's scheduled sweep with the GITHUB_TOKEN (null when prioritize is not benched). */
  sweep: SweepBenchResult | null;
}

export interface BenchResults {
  command: string;
  date: string;
  node: string;
  cpus: number;
  sizes: SizeResult[];
  coldStart: ColdStart[];
  /** notify-requesters on a 500-issue release, and its re-run. */
  largeRelease: (LargeReleaseResult & { pacedMs: number }) | null;
  budgets: BudgetCheck[];
  growth: Array<{ action: string; from: number; to: number; items: number; requests: number; points: number; time: number }>;
  /** The bundles measured (size and sha256 of each dist/index.mjs, taken before the first run). */
  bundles: Record<string, { bytes: number; sha256: string }>;
  /** Bundles that changed on disk while the bench ran (a rebuild by someone else): figures mix two builds. */
  bundlesChanged: string[];
}

/** Size and sha256 of each action's dist/index.mjs, so the figures name the code they measured. */
export function bundleFingerprints(actions: readonly ActionName[]): BenchResults['bundles'] {
  const out: BenchResults['bundles'] = {};
  for (const action of actions) {
    const bytes = readFileSync(join(import.meta.dirname, '..', '..', 'actions', action, 'dist', 'index.mjs'));
    out[action] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return out;
}

export function parseArgs(argv: string[]): BenchOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const sizes = (get('sizes') ?? `1000,10000,${LARGE}`).split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  const only = (get('only')?.split(',') ?? [...ACTIONS]) as ActionName[];
  for (const a of only) if (!ACTIONS.includes(a)) throw new Error(`--only: unknown action ${a} (one of ${ACTIONS.join(', ')})`);
  const runs = get('runs');
  return {
    sizes,
    runs: runs ? Number(runs) : null,
    only,
    peer: !argv.includes('--no-peer'),
    cold: !argv.includes('--no-cold'),
    coldSamples: Number(get('cold-samples') ?? 20),
    out: argv.includes('--no-out') ? null : resolve(get('out') ?? resolve(import.meta.dirname, '..', 'results.json')),
    log: (line) => console.log(line),
  };
}

/** Timed runs per scenario: 5 at small sizes, 3 at 10,000, 1 at 50,000 (the first run's counters are reported). */
const runsFor = (size: number, action: ActionName, override: number | null): number =>
  override ?? (action === 'prioritize' || action === 'require-docs' || size < 10_000 ? 5 : size < LARGE ? 3 : 1);

/** The large-release case of notify-requesters: issues the release resolves, on a repository of this size. */
const LARGE_RELEASE = { issues: 500, size: 1000 };

export async function bench(opts: BenchOptions): Promise<BenchResults> {
  const sizes: SizeResult[] = [];
  const log = opts.log;
  const bundles = bundleFingerprints(opts.only);
  for (const size of opts.sizes) {
    // Pacing is off (USERLOOP_WAIT_SCALE=0), so 100+ writes arrive in a burst GitHub's content limits (80 a
    // minute) would stop; paced as on GitHub they stay under them. The bench measures requests, not limits.
    const sim = await startSim({ contentLimit: false });
    log(`\n# ${size.toLocaleString('en')} issues: generating...`);
    const g = generate(sim.store, size);
    const rssAfterLoadMb = Math.round(process.memoryUsage().rss / 1e6);
    log(`  loaded in ${(g.loadMs / 1000).toFixed(1)} s: ${g.issues} issues, ${g.pulls} PRs, ${g.comments} comments, ${g.reactions} reactions, ${g.events} timeline events, ${g.commits} commits, ${g.releases} releases; RSS ${rssAfterLoadMb} MB`);
    const scenarios: ScenarioResult[] = [];
    for (const action of opts.only) {
      const r = await runScenario(action, sim, g, runsFor(size, action, opts.runs));
      scenarios.push(r);
      log(`  ${action}: ${r.first.rest} REST, ${r.first.graphqlQueries} GraphQL (${r.first.graphqlPoints} pts), ${r.first.writes} writes, median ${r.msMedian.toFixed(0)} ms [${r.msAll.join(', ')}], exit ${r.exitCodes.join(',')}; then ${r.second.label}: ${r.second.sample.writes} writes`);
    }
    let sweep: SweepBenchResult | null = null;
    if (opts.only.includes('prioritize')) {
      sweep = await runSweep(sim, g);
      log(`  prioritize sweep (GITHUB_TOKEN): ${sweep.read} of ${sweep.open} open issues, the ${sweep.from} first, in ${sweep.pages} pages (${sweep.pagePoints} pts); in all ${sweep.sample.graphqlQueries} GraphQL (${sweep.sample.graphqlPoints} pts), ${sweep.sample.rest} REST, ${sweep.sample.writes} writes; ${sweep.remaining} points left; exit ${sweep.exitCode}`);
    }
    let peer: SizeResult['peer'] = null;
    if (opts.peer) {
      peer = await runPeer(sim, g);
      if ('first' in peer) {
        log(`  peer ${peer.name} ${peer.version}: ${peer.first.rest} REST, ${peer.first.graphqlQueries} GraphQL, ${peer.first.writes} writes (${peer.commentsFirst} comments); second run ${peer.second.writes} writes (${peer.commentsSecond} comments); ${peer.violations} violations${peer.error ? `; error: ${peer.error}` : ''}`);
      } else {
        log(`  peer: ${peer.error}`);
      }
    }
    let drafter: SizeResult['drafter'] = null;
    if (opts.peer && opts.only.includes('draft-release-notes')) {
      drafter = await runDrafterPeer(sim, size);
      if ('first' in drafter) {
        log(`  peer ${drafter.name} ${drafter.version}: ${drafter.first.rest} REST, ${drafter.first.graphqlQueries} GraphQL (${drafter.first.graphqlPoints} pts), ${drafter.first.writes} writes, exit ${drafter.exitCode}; same push again: ${drafter.second.writes} writes; ${drafter.violations} violations${drafter.error ? `; error: ${drafter.error}` : ''}`);
      } else {
        log(`  peer ${drafter.name}: ${drafter.error}`);
      }
    }
    await sim.stop();
    const { notifyCommits: _c, notifyIssues: _i, notifyPulls: _p, openIssues: _o, ...repository } = g;
    sizes.push({ size, repository, loadMs: g.loadMs, rssAfterLoadMb, scenarios, peer, drafter, sweep });
  }

  let largeRelease: BenchResults['largeRelease'] = null;
  if (opts.only.includes('notify-requesters')) {
    const sim = await startSim({ contentLimit: false });
    const g = generate(sim.store, LARGE_RELEASE.size, 1, LARGE_RELEASE.issues);
    log(`\n# notify-requesters: a ${LARGE_RELEASE.issues}-issue release on a ${LARGE_RELEASE.size.toLocaleString('en')}-issue repository, then a re-run`);
    const l = await runLargeRelease(sim, g);
    largeRelease = { ...l, pacedMs: await pacedScheduleMs(l.first.writes) };
    log(`  first run: ${l.first.rest} REST, ${l.first.graphqlQueries} GraphQL (${l.first.graphqlPoints} pts), ${l.first.writes} writes, ${l.noticesFirst} notices, ${l.first.issuesReadByNumber} issues read; re-run: ${l.rerun.graphqlQueries} GraphQL, ${l.rerun.issuesReadByNumber} issues read, ${l.rerun.writes} writes; exit ${l.exitCodes.join(',')}`);
    await sim.stop();
  }

  const cold: ColdStart[] = [];
  if (opts.cold) {
    // Pacing is off here too: notify-requesters' 101 writes in a burst would meet the content limit (80 a
    // minute), and every later spawn would retry the refused one; the cold start measures starting, not that.
    const sim = await startSim({ contentLimit: false });
    const g = generate(sim.store, 200);
    log(`\n# cold start (${opts.coldSamples} spawns each, on a 200-issue repository)`);
    const prNumber = sim.store.createPull('octo-org/octo-repo', { title: 'feat: a flag', body: 'x', user: 'user1', files: [{ filename: 'src/a.ts' }], author_association: 'NONE' }).number;
    const push = pushEvent(sim);
    const events: Record<ActionName, { event: { name: string; payload: Record<string, unknown> }; inputs: Record<string, string> }> = {
      prioritize: { event: openedIssueEvent(sim, g.openIssues[0] ?? 1), inputs: {} },
      'require-docs': { event: pullOpenedEvent(sim, prNumber), inputs: {} },
      'draft-release-notes': { event: { name: push.name, payload: push.payload }, inputs: {} },
      'notify-requesters': { event: releaseEvent(sim, g.notifyReleaseId), inputs: {} },
      'kpi-report': { event: scheduleEvent(sim), inputs: { post: 'false', 'as-of': sim.store.nowIso() } },
    };
    for (const action of opts.only) {
      const c = await coldStart(sim, action, events[action].event, events[action].inputs, opts.coldSamples);
      cold.push(c);
      log(`  ${action}: bundle ${(c.bundleBytes / 1024).toFixed(0)} KiB, first request ${c.firstRequestMs?.toFixed(0) ?? '-'} ms, exit ${c.exitMs.toFixed(0)} ms`);
    }
    await sim.stop();
  }

  const budgets: BudgetCheck[] = [];
  for (const s of sizes) {
    const facts = { issues: s.repository.issues, pulls: s.repository.pulls, unreleasedPulls: s.repository.unreleasedPulls, unreleasedClosedIssues: s.repository.unreleasedClosedIssues, notifyIssueCount: 100 };
    for (const r of s.scenarios) {
      const pacedMs = r.action === 'notify-requesters' ? await pacedScheduleMs(r.first.writes) : undefined;
      const drafter = opts.peer ? (s.drafter && 'first' in s.drafter ? s.drafter : null) : undefined;
      budgets.push(...checkScenario(r, facts, { ...(pacedMs !== undefined ? { pacedMs } : {}), ...(drafter !== undefined ? { drafter } : {}) }));
    }
    if (s.sweep) budgets.push(...checkSweep(s.sweep));
  }
  if (opts.only.includes('kpi-report') && !sizes.some((s) => s.size >= LARGE)) budgets.push(...notRunAtLarge());
  if (largeRelease) budgets.push(...checkLargeRelease(largeRelease, largeRelease.pacedMs));
  for (const c of cold) budgets.push(...checkColdStart(c));
  budgets.push(...notMeasuredHere());

  const growth: BenchResults['growth'] = [];
  const base = sizes[0];
  for (const s of sizes.slice(1)) {
    if (!base) break;
    for (const r of s.scenarios) {
      const b = base.scenarios.find((x) => x.action === r.action);
      if (!b) continue;
      const req = (x: ScenarioResult) => x.first.rest + x.first.graphqlQueries;
      growth.push({
        action: r.action,
        from: base.size,
        to: s.size,
        items: s.size / base.size,
        requests: req(r) / Math.max(1, req(b)),
        points: r.first.graphqlPoints / Math.max(1, b.first.graphqlPoints),
        time: r.msMedian / Math.max(1, b.msMedian),
      });
    }
  }

  const after = bundleFingerprints(opts.only);
  const bundlesChanged = opts.only.filter((a) => after[a]?.sha256 !== bundles[a]?.sha256);
  if (bundlesChanged.length) log(`\nwarning: rebuilt while the bench ran: ${bundlesChanged.join(', ')} (their figures mix two builds; run again)`);

  const results: BenchResults = {
    command: `pnpm bench --sizes ${opts.sizes.join(',')}`,
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    sizes,
    coldStart: cold,
    largeRelease,
    budgets,
    growth,
    bundles,
    bundlesChanged,
  };
  return results;
}

/** Each scenario's first run as a share of the GITHUB_TOKEN's hourly budgets. */
export function budgetShareRows(results: BenchResults): string[][] {
  const pct = (used: number, limit: number): string => `${used} (${((100 * used) / limit).toFixed(1)}%)`;
  const rows: string[][] = [['Action', 'Issues', 'REST', 'GraphQL points', 'Writes', 'Runs an hour']];
  for (const s of results.sizes) {
    for (const r of s.scenarios) {
      const f = r.first;
      const fits = Math.min(
        ...[
          [f.rest, GITHUB_TOKEN_REST_LIMIT],
          [f.graphqlPoints, GITHUB_TOKEN_GRAPHQL_LIMIT],
          [f.writes, CONTENT_PER_HOUR],
        ].map(([used, limit]) => (used! > 0 ? Math.floor(limit! / used!) : Infinity)),
      );
      rows.push([r.action, s.size.toLocaleString('en'), pct(f.rest, GITHUB_TOKEN_REST_LIMIT), pct(f.graphqlPoints, GITHUB_TOKEN_GRAPHQL_LIMIT), pct(f.writes, CONTENT_PER_HOUR), Number.isFinite(fits) ? String(fits) : 'no limit']);
    }
  }
  return rows;
}

/** The Budgets table: each figure, the physical limit or budget it is held to, the ratio, and whether it holds. */
export function budgetRows(budgets: readonly BudgetCheck[]): string[][] {
  const rows = [['Action', 'Issues', 'Budget', 'Measured', 'Physical limit or budget', 'Ratio', 'Holds']];
  for (const b of budgets) {
    rows.push([
      b.action,
      b.size === null ? '-' : b.size.toLocaleString('en'),
      b.budget,
      b.measured,
      b.limit,
      b.ratio === null ? '-' : `${b.ratio.toFixed(2)}`,
      b.holds === null ? 'not measured' : b.holds ? 'yes' : '**no**',
    ]);
  }
  return rows;
}

/** The Peers table: per size, each action and its peer on the same event. */
export function peerRows(results: BenchResults): string[][] {
  const rows = [['Issues', 'Event', 'Tool', 'Requests (REST + GraphQL)', 'GraphQL points', 'Writes', 'Same event again', 'Time', 'Ratio: requests, points, writes', 'Notes']];
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}` : '-');
  const ratios = (a: PeerFigures, b: PeerFigures) => `${ratio(a.rest + a.graphqlQueries, b.rest + b.graphqlQueries)}, ${ratio(a.graphqlPoints, b.graphqlPoints)}, ${ratio(a.writes, b.writes)}`;
  const figures = (x: PeerFigures, second: PeerFigures, ms: number) => [`${x.rest + x.graphqlQueries} (${x.rest} + ${x.graphqlQueries})`, String(x.graphqlPoints), String(x.writes), `${second.writes} writes`, `${(ms / 1000).toFixed(2)} s`];
  for (const s of results.sizes) {
    const size = s.size.toLocaleString('en');
    const notify = s.scenarios.find((r) => r.action === 'notify-requesters');
    if (notify && s.peer) {
      const comments = notify.first.restByRoute[COMMENT_POST] ?? 0;
      rows.push([size, 'release.published (100 issues, 50 PRs)', 'userloop notify-requesters (runner)', ...figures(notify.first, notify.second.sample, notify.msMedian), 'first' in s.peer ? ratios(notify.first, s.peer.first) : '-', `${comments} comments`]);
      if ('first' in s.peer) {
        const p = s.peer;
        rows.push([size, '', `${p.name} ${p.version} (in-process)`, ...figures(p.first, p.second, p.first.ms), '1.00, 1.00, 1.00', `${p.commentsFirst} comments, ${p.labelsFirst} labels; ${p.resolvedIssuesCommented} of the 100 issues told; again: ${p.commentsSecond} duplicate comments; ${p.violations} violations`]);
      } else {
        rows.push([size, '', s.peer.name, '-', '-', '-', '-', '-', '-', `failed: ${s.peer.error}`]);
      }
    }
    const draft = s.scenarios.find((r) => r.action === 'draft-release-notes');
    if (draft && s.drafter) {
      rows.push([size, draft.event, 'userloop draft-release-notes (runner)', ...figures(draft.first, draft.second.sample, draft.msMedian), 'first' in s.drafter ? ratios(draft.first, s.drafter.first) : '-', `${draft.actionRssMb ?? '-'} MB RSS, ${draft.first.actionCpuMs?.toFixed(0) ?? '-'} ms CPU`]);
      if ('first' in s.drafter) {
        const d = s.drafter;
        rows.push([size, '', `${d.name} ${d.version} (runner)`, ...figures(d.first, d.second, d.first.ms), '1.00, 1.00, 1.00', `${d.first.actionRssMb ?? '-'} MB RSS, ${d.first.actionCpuMs?.toFixed(0) ?? '-'} ms CPU; exit ${d.exitCode}; ${d.violations} violations${d.error ? `; ${d.error}` : ''}`]);
      } else {
        rows.push([size, '', s.drafter.name, '-', '-', '-', '-', '-', '-', `failed: ${s.drafter.error}`]);
      }
    }
  }
  return rows;
}

type PeerFigures = Pick<ScenarioResult['first'], 'rest' | 'graphqlQueries' | 'graphqlPoints' | 'writes'>;

/** The markdown tables (stdout and bench/README.md). */
export function render(results: BenchResults): string {
  const out: string[] = [];
  const rows: string[][] = [['Action', 'Event', 'Issues', 'Mode', 'REST', 'GraphQL queries', 'GraphQL points', 'Writes', 'Time (median)', 'Action RSS', 'Emulator RSS', 'Re-run']];
  for (const s of results.sizes) {
    for (const r of s.scenarios) {
      const sec = r.second.sample;
      rows.push([
        r.action,
        r.event,
        s.size.toLocaleString('en'),
        `${r.mode} x${r.runs}`,
        String(r.first.rest),
        String(r.first.graphqlQueries),
        String(r.first.graphqlPoints),
        String(r.first.writes),
        `${(r.msMedian / 1000).toFixed(2)} s`,
        r.actionRssMb ? `${r.actionRssMb} MB` : '-',
        `${r.simRssMb} MB`,
        `${r.second.label}: ${sec.rest} REST, ${sec.graphqlQueries} GQL (${sec.graphqlPoints} pts), ${sec.writes} writes`,
      ]);
    }
  }
  out.push('## Cost per action', '', markdownTable(rows), '');
  out.push(
    "## Share of the GITHUB_TOKEN's hour",
    '',
    `One run (the first) against the token's hourly budgets, shared by every workflow of the repository: ${GITHUB_TOKEN_REST_LIMIT.toLocaleString('en')} REST requests, ${GITHUB_TOKEN_GRAPHQL_LIMIT.toLocaleString('en')} GraphQL points, ${CONTENT_PER_HOUR} content writes. "Runs an hour" is how many such runs fit before the first budget runs out.`,
    '',
    markdownTable(budgetShareRows(results)),
    '',
  );

  const load = [['Issues', 'PRs', 'Comments', 'Reactions', 'Timeline events', 'Commits', 'Releases', 'Load time', 'Bench RSS after load']];
  for (const s of results.sizes) {
    const g = s.repository;
    load.push([g.issues, g.pulls, g.comments, g.reactions, g.events, g.commits, g.releases].map((n) => n.toLocaleString('en')).concat([`${(s.loadMs / 1000).toFixed(1)} s`, `${s.rssAfterLoadMb} MB`]));
  }
  out.push('## Generated repositories', '', markdownTable(load), '');

  const peers = peerRows(results);
  if (peers.length > 1) {
    out.push(
      '## Peers: the same event, each run unmodified',
      '',
      'notify-requesters and `@semantic-release/github` (its `success` step, in-process) on the release that resolves 100 issues through 50 PRs; draft-release-notes and release-drafter (`release-drafter-github-app`, its published bundle through the runner) on the same push to main. Ratio: ours / the peer\'s.',
      '',
      markdownTable(peers),
      '',
    );
  }

  if (results.coldStart.length) {
    const crow = [['Action', 'Bundle', 'Start to first request (median)', 'Start to exit (median)', 'Samples']];
    for (const c of results.coldStart) {
      crow.push([c.action, `${(c.bundleBytes / 1024).toFixed(0)} KiB`, c.firstRequestMs === null ? '-' : `${c.firstRequestMs.toFixed(0)} ms`, `${c.exitMs.toFixed(0)} ms`, String(c.samples)]);
    }
    out.push('## Cold start', '', markdownTable(crow), '');
  }

  if (results.growth.length) {
    const grow = [['Action', 'From', 'To', 'Items x', 'Requests x', 'GraphQL points x', 'Time x']];
    for (const g of results.growth) {
      grow.push([g.action, g.from.toLocaleString('en'), g.to.toLocaleString('en'), g.items.toFixed(1), g.requests.toFixed(2), g.points.toFixed(2), g.time.toFixed(2)]);
    }
    out.push('## Growth', '', markdownTable(grow), '');
  }

  const sweeps = results.sizes.flatMap((s) => (s.sweep ? [s.sweep] : []));
  if (sweeps.length) {
    const srow = [['Issues', 'Open issues', 'Read', 'From', 'Pages', 'Points of the pages', 'GraphQL queries (points) in all', 'REST', 'Writes', 'Points left of the hour', 'Time']];
    for (const w of sweeps) {
      srow.push([w.size.toLocaleString('en'), w.open.toLocaleString('en'), w.read.toLocaleString('en'), `the ${w.from}`, String(w.pages), String(w.pagePoints), `${w.sample.graphqlQueries} (${w.sample.graphqlPoints})`, String(w.sample.rest), String(w.sample.writes), String(w.remaining), `${(w.sample.ms / 1000).toFixed(2)} s`]);
    }
    out.push(
      "## prioritize: the scheduled sweep, with the GITHUB_TOKEN",
      '',
      `The \`schedule\` event once per repository, with the repository's GITHUB_TOKEN (${GITHUB_TOKEN_GRAPHQL_LIMIT.toLocaleString('en')} points an hour, refused when spent) on an hour of its own, on the generated history (no sweep ran on it before: the issues whose 👍 changed are re-evaluated, at most 50). The pages stop before one would leave the token less than half of its hour; the re-evaluations and reminders come on top.`,
      '',
      markdownTable(srow),
      '',
    );
  }

  if (results.largeRelease) {
    const l = results.largeRelease;
    const row = (label: string, x: LargeReleaseResult['first'], notices: number) => [label, String(x.rest), String(x.graphqlQueries), String(x.graphqlPoints), String(x.issuesReadByNumber), String(notices), String(x.writes), `${(x.ms / 1000).toFixed(2)} s`];
    out.push(
      `## notify-requesters: a ${l.issues}-issue release, then a re-run`,
      '',
      `On a ${l.size.toLocaleString('en')}-issue repository; pacing off for the times, the first run's writes take ${(l.pacedMs / 1000).toFixed(0)} s on the pacer's schedule.`,
      '',
      markdownTable([['Run', 'REST', 'GraphQL queries', 'GraphQL points', 'Issues read', 'Notices', 'Writes', 'Time'], row('first', l.first, l.noticesFirst), row('re-run', l.rerun, l.noticesRerun)]),
      '',
    );
  }

  out.push('## Budgets', '', markdownTable(budgetRows(results.budgets)), '');
  return out.join('\n');
}

async function cli(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  try {
    const results = await bench(opts);
    const argv = process.argv.slice(2);
    if (argv.length) results.command = `pnpm bench ${argv.join(' ')}`;
    const text = render(results);
    console.log(`\n${text}`);
    console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (opts.out) {
      writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
      console.log(`wrote ${opts.out}`);
    }
    const failed = results.budgets.filter((b) => b.holds === false).length;
    if (failed) console.log(`${failed} budget(s) do not hold (see the Budgets table).`);
  } finally {
    cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/src/main.ts')) {
  await cli();
}
