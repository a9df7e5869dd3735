// The flow: read (every repository, incrementally through the snapshot), compute, render, and post one issue
// per period (updated in place, one write). Modes for the many-repository fan-out:
// `collect` writes one repository's records as JSON; `render` reads every JSON file of a directory and
// reports on all.
import { fillTemplate, lastCompletePeriod, periodsEndingWith, rememberIdentity, type Octokit, type Period, type PeriodKind, type UserloopConfig } from '@userloop/core';
import { computeOptions, type AreaDef } from './compute.ts';
import { buildReport, type ReportData } from './kpis.ts';
import type { CollectStats, RepoSnapshot } from './model.ts';
import { postReport, type PostResult } from './post.ts';
import { readCodeownersAreas, readRepositories, readTeamMembers } from './read.ts';
import { renderReports, UNFINISHED } from './render.ts';
import { copySnapshots, readComplete, readRecordsDir, readSnapshots, writeJson, writeSnapshots } from './snapshots.ts';

export interface MainInput {
  /** `owner/name` of the repository the report issue lives in. */
  repository: string;
  /** Repositories to read (default: `repository`). */
  repositories: string[];
  mode: 'report' | 'collect' | 'render';
  period: PeriodKind;
  /** Report the last period that ended at or before this instant (default: now). */
  asOf: string | null;
  /** Snapshot file read before and written after collecting (incremental runs); null: always read everything. */
  snapshotPath: string | null;
  /**
   * GraphQL points the read may spend (default 500: half a GITHUB_TOKEN's hour); it also leaves the token
   * half of its hour (or what a larger `maxPoints` leaves). A read that needs more stops there and the next
   * run goes on from the snapshot; without `snapshotPath` the read is not limited.
   */
  maxPoints?: number;
  /** Where to write the JSON: the records (collect) or every number of the report (report, render). */
  dataPath: string | null;
  /** Render mode: the directory holding the collected JSON files (searched recursively). */
  dataDir: string | null;
  /** Create or update the report issue (false: only the summary, outputs and JSON). */
  post: boolean;
  /**
   * The login whose prioritize and release-notice markers are trusted (input `bot-login`), when the other
   * actions write as another account than this token; default (null): the token's own identity. The
   * report issue is always the token's own.
   */
  botLogin?: string | null;
  config: UserloopConfig;
  /** The checked-out workspace, for CODEOWNERS (read through the API when absent). */
  workspace: string;
}

export interface MainDeps {
  octokit: Pick<Octokit, 'request' | 'paginate' | 'graphql'>;
  now?: () => Date;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

export interface MainResult {
  period: string;
  stats: CollectStats[];
  report: ReportData | null;
  /** The whole report (joined when first read: it can be many MB), or null when none was made. */
  readonly markdown: string | null;
  /** The report as the job summary shows it (within GitHub's 1 MiB), or null for a `collect` run. */
  summary: string | null;
  post: PostResult | null;
  /** Whether every repository was read to the end (false: no report; the snapshot says where the read stopped). */
  complete: boolean;
}

/** The default of `maxPoints`: half of the 1,000 points an hour GitHub gives a GITHUB_TOKEN, for the rest of the repository's workflows. */
export const DEFAULT_MAX_POINTS = 500;

/**
 * The records to report on: read back from the collect jobs' files (render), else read from the API: the
 * open issues and what changed since the start of the oldest period the report shows (its trend's).
 */
async function records(input: MainInput, deps: MainDeps, period: Period): Promise<{ snapshots: RepoSnapshot[]; stats: CollectStats[] }> {
  if (input.mode === 'render') {
    if (!input.dataDir) throw new Error("mode 'render' needs the input 'data-dir' (the directory of the collected JSON files)");
    const snapshots = await readRecordsDir(input.dataDir);
    if (snapshots.length === 0) throw new Error(`no collected records (JSON files written by mode 'collect') found under ${input.dataDir}`);
    return { snapshots, stats: [] };
  }
  const previous = input.snapshotPath ? await readSnapshots(input.snapshotPath) : [];
  const [oldest] = periodsEndingWith(period, input.config['kpi-report']['trend-periods']);
  const windowStart = (oldest ?? period).start;
  const read = await readRepositories(deps.octokit.graphql, input.repositories, previous, {
    botLogin: input.botLogin || null,
    windowStart,
    // Without a snapshot no later run can go on from where this one stopped: the read takes what it needs.
    maxPoints: input.snapshotPath ? (input.maxPoints ?? DEFAULT_MAX_POINTS) : Number.POSITIVE_INFINITY,
    ...(deps.log ? { log: deps.log } : {}),
  });
  // The report issue is the token's own: posting it needs no identity query of its own.
  if (read.viewerLogin) rememberIdentity(deps.octokit, read.viewerLogin);
  if (input.snapshotPath) await writeSnapshots(input.snapshotPath, read.snapshots);
  return read;
}

/** Reads, computes, renders and posts, as the mode says. */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const now = deps.now?.() ?? new Date();
  const period = lastCompletePeriod(input.period, input.asOf ?? now);
  const k = input.config['kpi-report'];
  const { snapshots, stats } = await records(input, deps, period);
  const complete = readComplete(snapshots, input.mode === 'render' ? snapshots.map((s) => s.repository) : input.repositories);

  if (input.mode === 'collect') {
    // The records are the snapshot this run wrote, when it kept one: copied, not written again.
    if (input.dataPath) await (input.snapshotPath ? copySnapshots(input.snapshotPath, input.dataPath) : writeSnapshots(input.dataPath, snapshots));
    return { period: period.key, stats, report: null, markdown: null, summary: null, post: null, complete };
  }
  // A report of part of the issues would be wrong, not just short: none until the read is done.
  if (!complete) {
    deps.warn?.(`the read is not finished (${stats.reduce((n, s) => n + s.points, 0)} points spent); no report this run. ${UNFINISHED}`);
    return { period: period.key, stats, report: null, markdown: null, summary: null, post: null, complete };
  }

  const areas: AreaDef[] = input.config.areas.map((a) => ({ name: a.name, labels: a.labels, paths: a.paths, owners: a.owners }));
  if (k['import-codeowners']) {
    const imported = await readCodeownersAreas(deps.octokit, input.repository, input.workspace);
    areas.push(...imported.filter((a) => !areas.some((b) => b.name === a.name)));
  }
  const teams = k['responder-scope'] === 'owners' ? await readTeamMembers(deps.octokit, areas, deps.warn) : {};
  const report = buildReport(
    snapshots.flatMap((s) => s.items),
    snapshots.flatMap((s) => s.releases),
    computeOptions(input.config, period, areas, teams),
    k.goals,
    snapshots.map((s) => s.repository),
  );
  const title = fillTemplate(k.title, { period: period.key });
  const rendered = renderReports(report, title, { dataPath: input.dataPath });
  if (input.dataPath) await writeJson(input.dataPath, report);
  const post = input.post
    ? await postReport(deps.octokit, { repository: input.repository, periodKey: period.key, title, labels: k.labels, body: rendered.body })
    : null;
  return {
    period: period.key,
    stats,
    report,
    get markdown() {
      return rendered.markdown;
    },
    summary: rendered.summary,
    post,
    complete,
  };
}
