/**
 * `userloop report --repo OWNER/NAME [--api URL]`: builds the KPI report from the API and prints it,
 * without posting anything. The same code as the `kpi-report` action, with `post: false`.
 */
import { createOctokit, graphqlUrlFor, loadConfig, parseConfig, requireValidConfig, type PeriodKind } from '@userloop/core';
import { main } from '@userloop/action-kpi-report/main';
import { readFileSync } from 'node:fs';
import { CliError } from './errors.ts';

/** Options of {@link report}. */
export interface ReportOptions {
  repo: string;
  /** REST base URL (default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3). */
  api?: string;
  period?: PeriodKind;
  /** Report the last period that ended at or before this date (default: now). */
  asOf?: string;
  /** A local config file instead of the repository's `.github/userloop.yml`. */
  config?: string;
  token?: string;
  log?: (line: string) => void;
}

/** The report: its markdown, and the data it was rendered from (`--json`). */
export interface ReportOutput {
  markdown: string;
  data: unknown;
}

/** Builds the report and returns its markdown and data. */
export async function report(options: ReportOptions): Promise<ReportOutput> {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(options.repo);
  if (!match) throw new CliError(`--repo must be OWNER/NAME, got '${options.repo}'`);
  const [, owner, repo] = match as unknown as [string, string, string];
  if (!options.token) throw new CliError('set GITHUB_TOKEN to a token that can read the repository (issues, pull requests, contents)');
  if (options.period && options.period !== 'week' && options.period !== 'month') throw new CliError(`--period must be week or month, got '${options.period}'`);
  if (options.asOf && Number.isNaN(Date.parse(options.asOf))) throw new CliError(`--as-of must be a date such as 2026-11-23, got '${options.asOf}'`);
  const apiUrl = (options.api ?? 'https://api.github.com').replace(/\/+$/, '');
  // Retry and rate-limit waits stay on: a report of a large repository may wait for GitHub.
  const octokit = createOctokit({ token: options.token, apiUrl, graphqlUrl: graphqlUrlFor(apiUrl) });
  const log = options.log ?? ((line: string) => console.error(line));
  log(`userloop report: reading ${owner}/${repo} from ${apiUrl} ...`);
  const loaded = options.config
    ? parseConfig(readFileSync(options.config, 'utf8'), options.config)
    : await loadConfig({ octokit, owner, repo });
  const config = requireValidConfig(loaded);
  const result = await main(
    {
      repository: `${owner}/${repo}`,
      repositories: [`${owner}/${repo}`],
      mode: 'report',
      period: options.period ?? 'week',
      asOf: options.asOf ?? null,
      snapshotPath: null,
      dataPath: null,
      dataDir: null,
      post: false,
      config,
      workspace: '',
    },
    { octokit, log, warn: (m) => log(`warning: ${m}`) },
  );
  return { markdown: result.markdown ?? '', data: result.report };
}
