/** `userloop check-config [PATH]`: validates a configuration file offline. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DEFAULT_CONFIG_PATH, MAX_CONFIG_BYTES, formatConfigIssue, parseConfig, type ConfigIssue } from '@userloop/core';
import { CliError } from './errors.ts';

/** What `check-config` found. */
export interface CheckConfigResult {
  file: string;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** Checks the file at `path`; throws a CliError when it cannot be read at all. */
export function checkConfig(path: string = DEFAULT_CONFIG_PATH): CheckConfigResult {
  if (!existsSync(path)) throw new CliError(`${path}: no such file (pass the path of your userloop.yml)`);
  const info = statSync(path);
  if (!info.isFile()) throw new CliError(`${path}: not a file`);
  if (info.size > MAX_CONFIG_BYTES) {
    return { file: path, warnings: [], errors: [{ file: path, line: 1, column: 1, key: '', message: `the file is ${info.size} bytes; the limit is ${MAX_CONFIG_BYTES} bytes (1 MiB)` }] };
  }
  const { errors, warnings } = parseConfig(readFileSync(path, 'utf8'), path);
  return { file: path, errors, warnings };
}

/** Formats the result for a terminal: one line per problem, errors and warnings together in line order, then a verdict. */
export function formatCheck(result: CheckConfigResult, strict = false): string {
  const lines = [
    ...result.errors.map((issue) => ({ issue, level: 'error' })),
    ...result.warnings.map((issue) => ({ issue, level: 'warning' })),
  ]
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column)
    .map(({ issue, level }) => `${level}: ${formatConfigIssue(issue)}`);
  const warned = result.warnings.length;
  lines.push(
    result.errors.length > 0
      ? `${result.file}: ${result.errors.length} error(s)${warned ? `, ${warned} warning(s)` : ''}`
      : strict && warned > 0
        ? `${result.file}: ${warned} warning(s), which --strict counts as errors`
        : `${result.file}: valid${warned ? ` (${warned} warning(s))` : ''}`,
  );
  return lines.join('\n');
}
