#!/usr/bin/env node
// `pnpm test`: vitest, and beside it the checks one after another (typecheck, lint, the committed bundles
// against a rebuild). The tests spend much of their time waiting on the emulator and on the actions'
// processes, so the checks run in that idle time at a lower priority instead of before the first test.
// Arguments go to vitest (`pnpm test --reporter=json --outputFile=report.json`). Each check's output is
// printed once vitest is done, then one line per check; the exit status fails when a test or a check does.
// With USERLOOP_CHECKS_REPORT=<file>, the names of the failed checks are written there as JSON (.ci/run
// counts each one as a failure).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';

const CHECKS = [
  ['typecheck', ['typecheck']],
  ['lint', ['lint']],
  ['dist', ['check-dist']],
];

const pnpm = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';

/** Runs `pnpm run <args>` with its output kept, not printed: resolves with the exit status and the output. */
function quiet(args) {
  return new Promise((resolve) => {
    const child = spawn(pnpm, ['run', '--silent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      // Below vitest: the checks take what the tests leave idle.
      setPriority(child.pid, 10);
    } catch {
      // Not permitted here: the checks run at the normal priority.
    }
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ status: 1, output: String(error) }));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), output: Buffer.concat(output).toString('utf8') }));
  });
}

async function runChecks() {
  const results = [];
  for (const [name, args] of CHECKS) {
    const started = performance.now();
    const { status, output } = await quiet(args);
    results.push({ name, status, output, seconds: (performance.now() - started) / 1000 });
  }
  return results;
}

const checks = runChecks();
const vitest = new Promise((resolve) => {
  const child = spawn(pnpm, ['exec', 'vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', () => resolve(1));
  child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

const testStatus = await vitest;
const results = await checks;
for (const r of results) {
  const text = r.output.trim();
  if (text) console.log(`\n> ${r.name}\n${text}`);
}
console.log('');
for (const r of results) console.log(`${r.status === 0 ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => r.status !== 0).map((r) => r.name);
if (process.env.USERLOOP_CHECKS_REPORT) writeFileSync(process.env.USERLOOP_CHECKS_REPORT, `${JSON.stringify({ failed })}\n`);
process.exit(testStatus !== 0 || failed.length > 0 ? 1 : 0);
