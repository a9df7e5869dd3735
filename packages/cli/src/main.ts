#!/usr/bin/env node
/** The `userloop` command. Run from the repository root as `pnpm userloop <command>`. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConfig, formatCheck } from './check-config.ts';
import { CliError } from './errors.ts';
import { init } from './init.ts';

const USAGE = `userloop: run a product team's user feedback loop on GitHub

Usage: userloop <command> [options]

Commands:
  demo [--report FILE]                      run the whole loop offline on the built-in emulator (report: userloop-demo-report.md)
  init [--dir PATH] [--ref REF] [--branch B] [--force] [--dry-run]
                                            write workflows, .github/userloop.yml, issue forms and a PR template
  check-config [PATH]                       validate a config offline (default .github/userloop.yml)
  report --repo OWNER/NAME [--api URL] [--period week|month] [--as-of DATE] [--config FILE]
                                            build the KPI report from the API with GITHUB_TOKEN and print it (posts nothing)
  help                                      show this text
`;

/** Runs one command line; returns the exit code. Output goes through `out` and `err`. */
export async function cli(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const [command, ...rest] = argv;
  // `pnpm userloop` runs in the workspace root; paths are the caller's, relative to where they typed it.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  try {
    switch (command) {
      case 'demo': {
        const { values } = parseArgs({ args: rest, options: { report: { type: 'string' } } });
        const { runDemo } = await import('./demo/run.ts');
        const result = await runDemo({ reportFile: resolve(cwd, values.report ?? 'userloop-demo-report.md'), log: out });
        return result.steps.every((s) => s.exitCode === 0 || s.action === 'require-docs') && result.violations === 0 ? 0 : 1;
      }
      case 'init': {
        const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, ref: { type: 'string' }, branch: { type: 'string' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } } });
        init({ dir: resolve(cwd, values.dir ?? '.'), ref: values.ref, branch: values.branch, force: values.force ?? false, dryRun: values['dry-run'] ?? false, log: out });
        return 0;
      }
      case 'check-config': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
        if (positionals.length > 1) throw new CliError('check-config takes one path');
        const result = checkConfig(resolve(cwd, positionals[0] ?? '.github/userloop.yml'));
        (result.errors.length ? err : out)(formatCheck(result));
        return result.errors.length ? 1 : 0;
      }
      case 'report': {
        const { values } = parseArgs({
          args: rest,
          options: { repo: { type: 'string' }, api: { type: 'string' }, period: { type: 'string' }, 'as-of': { type: 'string' }, config: { type: 'string' } },
        });
        if (!values.repo) throw new CliError('report needs --repo OWNER/NAME');
        const { report } = await import('./report.ts');
        const markdown = await report({
          repo: values.repo,
          ...(values.api ? { api: values.api } : {}),
          ...(values.period ? { period: values.period as 'week' | 'month' } : {}),
          ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
          ...(values.config ? { config: resolve(cwd, values.config) } : {}),
          ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}),
          log: err,
        });
        out(markdown);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return 0;
      default:
        throw new CliError(`unknown command '${command}'\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      err(`userloop: ${error.message}`);
      return error.exitCode;
    }
    // parseArgs reports unknown or malformed options with a code and a clear message.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      err(`userloop: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await cli(process.argv.slice(2));
}
