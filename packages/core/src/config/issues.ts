import * as core from '@actions/core';
import type { ConfigIssue, ConfigResult } from './parse.ts';
import { formatConfigIssue } from './parse.ts';
import type { UserloopConfig } from './schema.ts';

/** Thrown when the configuration file has errors; `runAction` turns it into annotations. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The errors listed, each with file, line, column and key path (the first ones in line order, see `MAX_REPORTED_ISSUES`). */
  readonly issues: readonly ConfigIssue[];
  /** Errors found beyond those listed (their count is the last issue's message). */
  readonly omitted: number;

  /**
   * @param issues - the errors to list
   * @param omitted - errors found but not listed (`ConfigResult.omittedErrors`); `issues` then ends with the issue saying how many
   */
  constructor(issues: readonly ConfigIssue[], omitted = 0) {
    const file = issues[0]?.file ?? 'the configuration file';
    const total = omitted > 0 ? issues.length - 1 + omitted : issues.length;
    const count = total === 1 ? '1 error' : `${total} errors`;
    super(`${file} has ${count}:\n${issues.map((issue) => `  ${formatConfigIssue(issue)}`).join('\n')}`);
    this.issues = issues;
    this.omitted = omitted;
  }
}

/**
 * Emits one workflow annotation per issue (`::error file=…,line=…,col=…,title=…::message`),
 * so the problems show on the configuration file in the pull request and run views.
 *
 * @param issues - the issues to annotate
 * @param level - `error` (default) or `warning`
 */
export function annotateConfigIssues(issues: readonly ConfigIssue[], level: 'error' | 'warning' = 'error'): void {
  for (const issue of issues) {
    const properties: core.AnnotationProperties = {
      title: issue.key === '' ? 'userloop configuration' : `userloop configuration (${issue.key})`,
      file: issue.file,
      startLine: issue.line,
      startColumn: issue.column,
    };
    if (level === 'error') core.error(issue.message, properties);
    else core.warning(issue.message, properties);
  }
}

/**
 * The action boundary's view of a {@link ConfigResult}: annotates warnings, and throws a
 * {@link ConfigError} (which `runAction` reports) when there are errors.
 *
 * @returns the validated configuration
 */
export function requireValidConfig(result: ConfigResult): UserloopConfig {
  annotateConfigIssues(result.warnings, 'warning');
  if (result.config === null) throw new ConfigError(result.errors, result.omittedErrors ?? 0);
  return result.config;
}
