// The work: collect (incrementally), compute, render, and post one issue per period (updated in place,
// overflow into marked comments). Modes for the many-repository fan-out: `collect` writes one
// repository's records as JSON; `render` reads every JSON file of a directory and reports on all.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DEFAULT_PRIORITY_LABELS,
  fillTemplate,
  findMarkers,
  globMatcher,
  isAuthoredBy,
  closeIssueCopy,
  keepOne,
  lastCompletePeriod,
  renderMarker,
  replaceRegion,
  resolveIdentity,
  type Octokit,
  type PeriodKind,
  type Priority,
  type UserloopConfig,
} from '@userloop/core';
import { CODEOWNERS_PATHS, parseCodeowners } from './codeowners.ts';
import { collectRepository, isSnapshotOf, type CollectStats } from './collect.ts';
import type { AreaDef, ComputeOptions } from './compute.ts';
import { buildReport, type ReportData } from './kpis.ts';
import type { RepoSnapshot } from './model.ts';
import { BODY_LIMIT, renderReport, reportBlocks, splitBlocks } from './render.ts';

/** The marker kind of the report issue's body. */
export const REPORT_MARKER = 'kpi-report';
/** The marker kind of an overflow comment. */
export const PART_MARKER = 'kpi-report-part';

/** What the collected-records JSON and the snapshot file hold. */
export interface RecordsFile {
  version: 1;
  snapshots: RepoSnapshot[];
}

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

/** What happened to the report issue and its overflow comments. */
export interface PostResult {
  issueNumber: number;
  issueUrl: string;
  issue: 'created' | 'updated' | 'unchanged';
  comments: { created: number; updated: number; deleted: number; unchanged: number };
}

export interface MainResult {
  period: string;
  stats: (CollectStats & { repository: string })[];
  report: ReportData | null;
  markdown: string | null;
  parts: number;
  post: PostResult | null;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value)}\n`);
}

function snapshotsOf(value: unknown): RepoSnapshot[] {
  const file = value as Partial<RecordsFile> | null;
  if (!file || file.version !== 1 || !Array.isArray(file.snapshots)) return [];
  return file.snapshots.filter((s) => isSnapshotOf(s, s.repository));
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(full)));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

function split(repository: string): { owner: string; repo: string } {
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new Error(`expected a repository "owner/name", got ${JSON.stringify(repository)}`);
  return { owner, repo };
}

/** Reads (incrementally when a snapshot is given) every repository. */
async function collectAll(input: MainInput, deps: MainDeps): Promise<{ snapshots: RepoSnapshot[]; stats: MainResult['stats'] }> {
  const previous = input.snapshotPath ? snapshotsOf(await readJson(input.snapshotPath)) : [];
  const trust = { botLogins: [input.botLogin || (await resolveIdentity(deps.octokit))] };
  const graphql = (query: string, variables: Record<string, unknown>) => deps.octokit.graphql(query, variables);
  const snapshots: RepoSnapshot[] = [];
  const stats: MainResult['stats'] = [];
  for (const repository of input.repositories) {
    const before = previous.find((s) => s.repository.toLowerCase() === repository.toLowerCase()) ?? null;
    const { snapshot, stats: s } = await collectRepository(graphql, repository, before, trust);
    deps.log?.(`${repository}: ${s.incremental ? 'incremental' : 'full'} read, ${s.issuesRead} issues and ${s.pullsRead} pull requests in ${s.calls} queries`);
    snapshots.push(snapshot);
    stats.push({ repository, ...s });
  }
  if (input.snapshotPath) await writeJson(input.snapshotPath, { version: 1, snapshots } satisfies RecordsFile);
  return { snapshots, stats };
}

async function codeownersAreas(input: MainInput, deps: MainDeps): Promise<AreaDef[]> {
  for (const path of CODEOWNERS_PATHS) {
    const local = input.workspace ? await readFile(join(input.workspace, path), 'utf8').catch(() => null) : null;
    if (local !== null) return parseCodeowners(local);
  }
  const { owner, repo } = split(input.repository);
  for (const path of CODEOWNERS_PATHS) {
    try {
      const { data } = await deps.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path });
      const file = data as { content?: string; encoding?: string };
      if (file.content) return parseCodeowners(Buffer.from(file.content, 'base64').toString('utf8'));
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }
  return [];
}

/** Members of the teams named as owners (owners scope only); a team that cannot be read counts as empty, with a warning. */
async function teamMembers(areas: AreaDef[], deps: MainDeps): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const teams = new Set(areas.flatMap((a) => a.owners.filter((o) => o.includes('/')).map((o) => o.toLowerCase())));
  for (const team of teams) {
    const [org, slug] = team.replace(/^@/, '').split('/');
    try {
      const members = await deps.octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', { org: org ?? '', team_slug: slug ?? '', per_page: 100 });
      out[team] = (members as { login: string }[]).map((m) => m.login);
    } catch (error) {
      out[team] = [];
      deps.warn?.(`cannot read the members of ${team} (${(error as { status?: number }).status ?? 'error'}); the token needs read access to the organization's teams. Its members are not counted as owners.`);
    }
  }
  return out;
}

/** The counting options from the config. */
export function computeOptions(config: UserloopConfig, period: ReturnType<typeof lastCompletePeriod>, areas: AreaDef[], teams: Record<string, string[]>): ComputeOptions {
  const k = config['kpi-report'];
  const docs = config['require-docs'];
  const prioritize = (config as { prioritize?: { labels?: Partial<Record<Priority, string>> } }).prioritize;
  return {
    period,
    areas,
    bots: config.bots,
    responderScope: k['responder-scope'],
    teamMembers: teams,
    firstResponseHours: k['first-response-hours'],
    businessDays: k['business-days'],
    holidays: k.holidays,
    priorityLabels: { ...DEFAULT_PRIORITY_LABELS, ...(prioritize?.labels ?? {}) },
    excludeLabel: k.labels[0] ?? null,
    topRequested: k['top-requested'],
    trendPeriods: k['trend-periods'],
    feature: { labels: docs.feature.labels, titleTypes: docs.feature['title-types'] },
    isDocPath: globMatcher(docs.docs.globs),
    pathMatcher: (patterns) => globMatcher(patterns),
    skipLabel: docs['skip-label'],
  };
}

const same = (a: string | null | undefined, b: string) => (a ?? '').replace(/\r\n/g, '\n').trimEnd() === b.replace(/\r\n/g, '\n').trimEnd();

interface ListedIssue {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  user: { login: string; type?: string } | null;
  pull_request?: unknown;
}

interface ListedComment {
  id: number;
  created_at?: string;
  body?: string | null;
  user: { login: string; type?: string } | null;
}

/**
 * Creates or updates the period's issue (found by its marker, in issues by the bot with the report label), then the overflow comments.
 *
 * Safe when two runs overlap (core's keepOne): after creating the issue, the newest issues are listed again and the
 * lowest-numbered report of the period by the bot is kept. An issue cannot be deleted with a workflow token, so a run
 * whose issue lost closes it as not planned, with its labels and marker removed and its body pointing at the kept one,
 * and leaves the report to the run that won. Overflow comments created by this run are settled the same way.
 */
export async function postReport(
  octokit: MainDeps['octokit'],
  params: { repository: string; periodKey: string; title: string; labels: string[]; parts: string[]; botLogin?: string },
): Promise<PostResult> {
  const { owner, repo } = split(params.repository);
  // The issue and its comments are the token's own: whoever wrote them is who can edit them.
  const bot = params.botLogin ?? (await resolveIdentity(octokit));
  const mine = (user: { login: string; type?: string } | null | undefined) => isAuthoredBy(user, bot);
  const isThisPeriod = (body: string | null | undefined) =>
    findMarkers(body ?? '', REPORT_MARKER).some((m) => (m.data as { period?: unknown } | null)?.period === params.periodKey);
  const listed = (await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
    owner,
    repo,
    state: 'all',
    ...(params.labels[0] ? { labels: params.labels[0] } : {}),
    per_page: 100,
  })) as ListedIssue[];
  const found = listed.find((i) => !i.pull_request && mine(i.user) && isThisPeriod(i.body));
  // The report is the bot's region of the issue body (core's owned regions): a note a person added above or
  // below it stays as they wrote it, and only the report is cut should their note leave too little room.
  const body = replaceRegion(found?.body, REPORT_MARKER, params.parts[0] ?? '', { limit: BODY_LIMIT, strip: [REPORT_MARKER], what: `the report issue #${found?.number ?? ''}` }).body;
  const result: PostResult = { issueNumber: 0, issueUrl: '', issue: 'unchanged', comments: { created: 0, updated: 0, deleted: 0, unchanged: 0 } };
  let existingComments: ListedComment[] = [];
  if (!found) {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner, repo, title: params.title, body, labels: params.labels });
    const settled = await keepOne<ListedIssue>({
      created: data as ListedIssue,
      // Newest first: an overlapping run's issue, created moments ago, is on the first page.
      list: async () =>
        (
          (
            await octokit.request('GET /repos/{owner}/{repo}/issues', {
              owner,
              repo,
              state: 'all',
              sort: 'created',
              direction: 'desc',
              ...(params.labels[0] ? { labels: params.labels[0] } : {}),
              per_page: 100,
            })
          ).data as ListedIssue[]
        ).filter((i) => !i.pull_request && mine(i.user) && isThisPeriod(i.body)),
      order: (i) => i.number,
      discard: (mine, winner) =>
        closeIssueCopy(octokit, { owner, repo, issueNumber: mine.number, body: `Duplicate of #${winner.number}: an overlapping run posted the same report first.` }),
      what: `report issue for ${params.periodKey}`,
    });
    result.issueNumber = settled.kept.number;
    result.issueUrl = settled.kept.html_url;
    // The run that won writes the report and its overflow comments.
    if (!settled.won) return result;
    result.issue = 'created';
  } else {
    result.issueNumber = found.number;
    result.issueUrl = found.html_url;
    if (found.title !== params.title || !same(found.body, body)) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: found.number, title: params.title, body });
      result.issue = 'updated';
    }
    existingComments = (await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: found.number,
      per_page: 100,
    })) as ListedComment[];
  }
  // Overflow comments: part n carries `<!-- userloop:kpi-report-part {"period":…,"part":n} -->`.
  const partOf = (c: ListedComment): number | null => {
    if (!mine(c.user)) return null;
    const data = findMarkers(c.body ?? '', PART_MARKER)[0]?.data as { period?: unknown; part?: unknown } | undefined;
    return data?.period === params.periodKey && typeof data.part === 'number' ? data.part : null;
  };
  const byPart = new Map<number, ListedComment>();
  for (const c of existingComments) {
    const n = partOf(c);
    if (n !== null && !byPart.has(n)) byPart.set(n, c);
  }
  const created: { part: number; comment: ListedComment }[] = [];
  for (let n = 2; n <= params.parts.length; n += 1) {
    const text = params.parts[n - 1] ?? '';
    const existing = byPart.get(n);
    if (!existing) {
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: result.issueNumber, body: text });
      created.push({ part: n, comment: data as ListedComment });
      result.comments.created += 1;
    } else if (!same(existing.body, text)) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: existing.id, body: text });
      result.comments.updated += 1;
    } else {
      result.comments.unchanged += 1;
    }
  }
  if (created.length > 0) {
    // An overlapping run may have posted the same parts: one look at the comments, the oldest copy of each part stays.
    let since = created[0]!.comment.created_at ? Date.parse(created[0]!.comment.created_at) : Number.NaN;
    since = Number.isNaN(since) ? 0 : since - 10 * 60 * 1000;
    let listing: Promise<ListedComment[]> | null = null;
    const listed = () =>
      (listing ??= octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: result.issueNumber,
        per_page: 100,
        ...(since > 0 ? { since: new Date(since).toISOString() } : {}),
      }) as Promise<ListedComment[]>);
    for (const { part, comment } of created) {
      const settled = await keepOne<ListedComment>({
        created: comment,
        list: async () => (await listed()).filter((c) => partOf(c) === part),
        order: (c) => c.id,
        discard: async (mine) => {
          await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: mine.id });
        },
        what: `part ${part} of the report for ${params.periodKey}`,
      });
      if (!settled.won) {
        result.comments.created -= 1;
        result.comments.unchanged += 1;
      }
    }
  }
  for (const [n, c] of byPart) {
    if (n > params.parts.length) {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: c.id });
      result.comments.deleted += 1;
    }
  }
  return result;
}

/** The report's parts: the issue body, then one comment per further part, each with its marker. */
export function reportParts(data: ReportData, title: string): { markdown: string; parts: string[] } {
  const marker = renderMarker(REPORT_MARKER, { period: data.period.key });
  const markdown = renderReport(data, title, marker);
  const partMarker = (n: number) => renderMarker(PART_MARKER, { period: data.period.key, part: n });
  // Room for the part marker line on every comment.
  const raw = splitBlocks(reportBlocks(data, title, marker), BODY_LIMIT - 200, (n) => `${partMarker(n)}\n_(${title}, part ${n})_\n\n`);
  return { markdown, parts: raw };
}

/** Collects, computes, renders and posts, as the mode says. */
export async function main(input: MainInput, deps: MainDeps): Promise<MainResult> {
  const now = deps.now?.() ?? new Date();
  const period = lastCompletePeriod(input.period, input.asOf ?? now);
  const k = input.config['kpi-report'];

  let snapshots: RepoSnapshot[];
  let stats: MainResult['stats'] = [];
  if (input.mode === 'render') {
    if (!input.dataDir) throw new Error("mode 'render' needs the input 'data-dir' (the directory of the collected JSON files)");
    snapshots = [];
    for (const file of await jsonFiles(input.dataDir)) snapshots.push(...snapshotsOf(await readJson(file)));
    if (snapshots.length === 0) throw new Error(`no collected records (JSON files written by mode 'collect') found under ${input.dataDir}`);
  } else {
    ({ snapshots, stats } = await collectAll(input, deps));
  }

  if (input.mode === 'collect') {
    if (input.dataPath) await writeJson(input.dataPath, { version: 1, snapshots } satisfies RecordsFile);
    return { period: period.key, stats, report: null, markdown: null, parts: 0, post: null };
  }

  const areas: AreaDef[] = [...input.config.areas.map((a) => ({ name: a.name, labels: a.labels, paths: a.paths, owners: a.owners }))];
  if (k['import-codeowners']) areas.push(...(await codeownersAreas(input, deps)).filter((a) => !areas.some((b) => b.name === a.name)));
  const teams = k['responder-scope'] === 'owners' ? await teamMembers(areas, deps) : {};
  const options = computeOptions(input.config, period, areas, teams);
  const repositories = snapshots.map((s) => s.repository);
  const report = buildReport(
    snapshots.flatMap((s) => s.items),
    snapshots.flatMap((s) => s.releases),
    options,
    k.goals,
    repositories,
  );
  const title = fillTemplate(k.title, { period: period.key });
  const { markdown, parts } = reportParts(report, title);
  if (input.dataPath) await writeJson(input.dataPath, report);
  const post = input.post
    ? await postReport(deps.octokit, { repository: input.repository, periodKey: period.key, title, labels: k.labels, parts })
    : null;
  return { period: period.key, stats, report, markdown, parts: parts.length, post };
}

