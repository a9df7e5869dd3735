/** `github-sim [--snapshot file.json] [--port N] [--lenient] [--validate-responses]`: runs the emulator until interrupted. */
import { readFileSync } from 'node:fs';
import { startSim } from './server.ts';
import type { Snapshot } from './store.ts';

const args = process.argv.slice(2);
const value = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
};
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: github-sim [--snapshot file.json] [--port N] [--lenient] [--validate-responses]\n');
  process.exit(0);
}
const snapshotFile = value('--snapshot');
const port = value('--port');
const snapshot = snapshotFile ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot) : undefined;
const sim = await startSim({
  ...(snapshot ? { snapshot } : {}),
  ...(port ? { port: Number(port) } : {}),
  strict: !args.includes('--lenient'),
  validateResponses: args.includes('--validate-responses'),
});
process.stdout.write(`GITHUB_API_URL=${sim.url}\nGITHUB_GRAPHQL_URL=${sim.graphqlUrl}\ntoken: test-token (github-actions[bot], write)\n`);
const shutdown = (): void => {
  if (sim.violations.length) process.stderr.write(`${sim.violations.length} contract violation(s):\n${sim.violations.map((v) => `- [${v.kind}] ${v.message}`).join('\n')}\n`);
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
