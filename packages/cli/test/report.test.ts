import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim, type Snapshot } from '@userloop/github-sim';
import { DEMO_SNAPSHOT_PATH } from '../src/demo/generate.ts';
import { cli } from '../src/main.ts';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ snapshot: JSON.parse(readFileSync(DEMO_SNAPSHOT_PATH, 'utf8')) as Snapshot });
});
afterAll(() => sim.stop());

async function run(argv: string[], token?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.GITHUB_TOKEN;
  if (token === undefined) delete process.env.GITHUB_TOKEN;
  else process.env.GITHUB_TOKEN = token;
  try {
    const code = await cli(argv, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = saved;
  }
}

describe('userloop report', () => {
  it('builds the report from the API (here the emulator) and prints it without posting anything', async () => {
    sim.resetCounters();
    const result = await run(['report', '--repo', 'lumen-app/lumen', '--api', sim.url, '--as-of', '2026-11-16'], 'demo-token');
    expect(result.err).not.toContain('demo-token');
    expect(result.code).toBe(0);
    expect(result.out).toContain('# KPI report 2026-W46');
    expect(result.out).toContain('| Editor     | `@maya-chen`');
    expect(sim.counters.writes).toBe(0);
    expect(sim.counters.graphqlQueries).toBeGreaterThan(0);
    sim.assertClean();
  });

  it('says what is missing: the token, a malformed --repo, a bad period', async () => {
    expect((await run(['report', '--repo', 'lumen-app/lumen', '--api', sim.url])).err).toBe(
      'userloop: set GITHUB_TOKEN to a token that can read the repository (issues, pull requests, contents)',
    );
    expect((await run(['report', '--repo', 'lumen'], 't')).err).toBe("userloop: --repo must be OWNER/NAME, got 'lumen'");
    expect((await run(['report', '--repo', 'a/b', '--period', 'year'], 't')).err).toBe("userloop: --period must be week or month, got 'year'");
    expect((await run(['report'], 't')).code).toBe(2);
  });
});
