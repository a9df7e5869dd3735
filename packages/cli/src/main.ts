/**
 * The `userloop` command: `npx userloop <command>` once installed, `pnpm userloop <command>` in a clone.
 *
 * Exit codes: 0 done; 1 the command ran and found problems (an invalid config, a failed demo step) or
 * failed (GitHub unreachable, a token without access); 2 the command line is wrong (unknown command or
 * option, a missing value).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { errorMessage } from '@userloop/core';
import packageJson from '../package.json' with { type: 'json' };
import { checkConfig, formatCheck } from './check-config.ts';
import { CliError } from './errors.ts';
import { askProductAndAreas, init } from './init.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

/** What a command needs: where it is run from and where its output goes. */
interface Io {
  cwd: string;
  out: (s: string) => void;
  err: (s: string) => void;
}

interface Command {
  /** The command line it takes, after `userloop <name>`. */
  usage: string;
  /** One line for the list of commands. */
  summary: string;
  /** What each option means, in the order of `usage`. */
  details: string;
  options: Options;
  positionals?: boolean;
  run(values: Values, positionals: string[], io: Io): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  demo: {
    usage: '[--report FILE]',
    summary: 'run the whole loop offline on the built-in emulator (needs a clone of userloop)',
    details: '  --report FILE   where the KPI report is written (default userloop-demo-report.md); the job summaries go next to it',
    options: { report: { type: 'string' } },
    async run(values, _positionals, { cwd, out }) {
      const { runDemo } = await import('./demo/run.ts');
      const result = await runDemo({ reportFile: resolve(cwd, (values.report as string | undefined) ?? 'userloop-demo-report.md'), log: out });
      return result.ok ? 0 : 1;
    },
  },
  init: {
    usage: '[--product NAME] [--areas "AREA=@OWNER, ..."] [--dir PATH] [--ref REF] [--branch B] [--force] [--dry-run]',
    summary: 'write workflows, .github/userloop.yml, issue forms and a PR template for your product, then list what is left',
    details: [
      '  --product NAME  the product\'s name in the issue forms (default: the repository\'s name)',
      '  --areas LIST    its areas and their owners: "Editor=@alice @bob, Sync=@org/sync-team" (areas',
      '                  separated by commas, owners by spaces); each gets the label "area: <name>" and',
      '                  appears in the forms\' area question (default: two example areas to edit)',
      '                  On a terminal, init asks for the two when they are not given.',
      '  --dir PATH      the repository to write into (default: the current folder)',
      '  --ref REF       the userloop version the workflows use (a tag or commit)',
      '  --branch B      the default branch the workflows run on (default: read from the repository)',
      '  --force         overwrite files that exist',
      '  --dry-run       say what would be written, write nothing',
    ].join('\n'),
    options: {
      product: { type: 'string' },
      areas: { type: 'string' },
      dir: { type: 'string' },
      ref: { type: 'string' },
      branch: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
    async run(values, _positionals, { cwd, out }) {
      const given = { product: values.product as string | undefined, areas: values.areas as string | undefined };
      // Asked on a terminal only: in CI, a script or a test, the flags and the defaults decide.
      const interactive = process.stdin.isTTY && process.stdout.isTTY && (given.product === undefined || given.areas === undefined);
      const starter = interactive ? await askOnTerminal(given, out) : await askProductAndAreas(given, () => Promise.resolve(''), out);
      init({
        ...starter,
        dir: resolve(cwd, (values.dir as string | undefined) ?? '.'),
        ref: values.ref as string | undefined,
        branch: values.branch as string | undefined,
        force: values.force === true,
        dryRun: values['dry-run'] === true,
        log: out,
      });
      return 0;
    },
  },
  'check-config': {
    usage: '[PATH] [--json] [--strict]',
    summary: 'validate a config offline (default .github/userloop.yml)',
    details: [
      '  PATH            the file to check (default .github/userloop.yml)',
      '  --json          print {file, valid, errors, warnings} as JSON',
      '  --strict        fail on warnings too (a placeholder such as @your-login left in the file)',
      '  Problems are listed in line order, each with its line, column and key.',
      '  Exit code 1 when the file has errors (with --strict, errors or warnings).',
    ].join('\n'),
    options: { json: { type: 'boolean' }, strict: { type: 'boolean' } },
    positionals: true,
    async run(values, positionals, { cwd, out, err }) {
      if (positionals.length > 1) throw new CliError('check-config takes one path');
      const result = checkConfig(resolve(cwd, positionals[0] ?? '.github/userloop.yml'));
      const failed = result.errors.length > 0 || (values.strict === true && result.warnings.length > 0);
      if (values.json === true) out(JSON.stringify({ file: result.file, valid: result.errors.length === 0, errors: result.errors, warnings: result.warnings }, null, 2));
      else (failed ? err : out)(formatCheck(result, values.strict === true));
      return failed ? 1 : 0;
    },
  },
  doctor: {
    usage: '--repo OWNER/NAME [--fix] [--api URL] [--config FILE] [--ref REF] [--json]',
    summary: 'check a repository through the API with GITHUB_TOKEN (labels, workflows, required check, owners); --fix creates missing labels',
    details: [
      '  --repo OWNER/NAME  the repository to check (GITHUB_TOKEN must be able to read it)',
      '  --fix              create the labels the config and the issue forms name that are missing (needs issues: write);',
      '                     nothing else is changed: the required check and the owners are said, not set',
      '  --api URL          the REST API (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3)',
      '  --config FILE      a local config instead of the repository\'s .github/userloop.yml',
      '  --ref REF          the userloop ref every workflow must run (default: any; each is compared with what init writes at its ref)',
      '  --json             print {repository, defaultBranch, ready, checks, created} as JSON',
      '  Each check is a line: ✓ fine, ✗ a problem, ? the token could not check it (and why). A repository admin\'s',
      '  token checks branch protection too. Exit code 0 when every check passed, 1 otherwise.',
    ].join('\n'),
    options: { repo: { type: 'string' }, fix: { type: 'boolean' }, api: { type: 'string' }, config: { type: 'string' }, ref: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, _positionals, { cwd, out, err }) {
      if (!values.repo) throw new CliError('doctor needs --repo OWNER/NAME');
      const { doctor, formatDoctor } = await import('./doctor.ts');
      const result = await doctor({
        repo: values.repo as string,
        fix: values.fix === true,
        ...(values.api ? { api: values.api as string } : {}),
        ...(values.config ? { config: resolve(cwd, values.config as string) } : {}),
        ...(values.ref ? { ref: values.ref as string } : {}),
        ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}),
        log: err,
      });
      out(values.json === true ? JSON.stringify(result, null, 2) : formatDoctor(result, values.fix === true));
      return result.ready ? 0 : 1;
    },
  },
  report: {
    usage: '--repo OWNER/NAME [--api URL] [--period week|month] [--as-of DATE] [--config FILE] [--json]',
    summary: 'build the KPI report from the API with GITHUB_TOKEN and print it (posts nothing)',
    details: [
      '  --repo OWNER/NAME  the repository to report on (GITHUB_TOKEN must be able to read it)',
      '  --api URL          the REST API (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3)',
      '  --period P         week (default) or month: the last complete one',
      '  --as-of DATE       report the last period that ended by DATE (default: now)',
      '  --config FILE      a local config instead of the repository\'s .github/userloop.yml',
      '  --json             print the report\'s data as JSON instead of markdown',
      '  Progress goes to stderr; the report to stdout.',
    ].join('\n'),
    options: { repo: { type: 'string' }, api: { type: 'string' }, period: { type: 'string' }, 'as-of': { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, _positionals, { cwd, out, err }) {
      if (!values.repo) throw new CliError('report needs --repo OWNER/NAME');
      const { report } = await import('./report.ts');
      const result = await report({
        repo: values.repo as string,
        ...(values.api ? { api: values.api as string } : {}),
        ...(values.period ? { period: values.period as 'week' | 'month' } : {}),
        ...(values['as-of'] ? { asOf: values['as-of'] as string } : {}),
        ...(values.config ? { config: resolve(cwd, values.config as string) } : {}),
        ...(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}),
        log: err,
      });
      out(values.json === true ? JSON.stringify(result.data, null, 2) : result.markdown);
      return 0;
    },
  },
};

/** {@link askProductAndAreas} on the terminal. */
async function askOnTerminal(given: Parameters<typeof askProductAndAreas>[0], say: (s: string) => void): ReturnType<typeof askProductAndAreas> {
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await askProductAndAreas(given, (question) => terminal.question(question), say);
  } finally {
    terminal.close();
  }
}

const NAME_WIDTH = Math.max(...Object.keys(COMMANDS).map((n) => n.length));

const USAGE = `userloop ${packageJson.version}: run a product team's user feedback loop on GitHub

Usage: userloop <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(NAME_WIDTH)}  ${c.summary}`)
  .join('\n')}
  ${'help'.padEnd(NAME_WIDTH)}  show this text; \`userloop <command> --help\` for one command

Options for every command: --help, --version, --debug (print the stack of an unexpected error).
Exit codes: 0 done, 1 problems found or the command failed, 2 a wrong command line.
`;

function commandHelp(name: string, command: Command): string {
  return `Usage: userloop ${name} ${command.usage}\n\n${command.summary}\n\n${command.details}\n`;
}

/** Runs one command line; returns the exit code. Output goes through `out` and `err`. */
export async function cli(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  // `pnpm userloop` runs in the workspace root; paths are the caller's, relative to where they typed it.
  const io: Io = { cwd: process.env.INIT_CWD ?? process.cwd(), out, err };
  if (name === '--version' || name === '-v') {
    out(packageJson.version);
    return 0;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const command = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    out(command ? commandHelp(rest[0]!, command) : USAGE);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new CliError(`unknown command '${name}'\n\n${USAGE}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out(commandHelp(name, command));
      return 0;
    }
    if (rest.includes('--version')) {
      out(packageJson.version);
      return 0;
    }
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: command.positionals === true });
    return await command.run(values as Values, positionals, io);
  } catch (error) {
    if (error instanceof CliError) {
      err(`userloop: ${error.message}`);
      return error.exitCode;
    }
    // parseArgs reports unknown or malformed options with a code and a clear message.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      err(`userloop: ${error.message}\n\n${command ? commandHelp(name, command) : USAGE}`);
      return 2;
    }
    // Anything else (GitHub unreachable, a token without access): one line with the cause, the stack on --debug.
    err(`userloop ${name}: ${errorMessage(error).split('\n')[0]}`);
    if (debug) err(error instanceof Error && error.stack ? error.stack : String(error));
    else err('(run again with --debug for the details)');
    return 1;
  }
}
