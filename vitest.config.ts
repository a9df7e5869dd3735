import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, so that short files fill the workers at the end instead of one long file running alone:
 * by the duration of the last run when vitest has one for both files. Without one (a fresh clone): whole
 * flows (tests/: the workflow platform, the fault matrix) first, then files that start the bundled actions
 * or other processes, then files that start an emulator, then the rest; the larger file first in each.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    const known = (spec: TestSpecification): number | undefined => cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`)?.duration;
    const guess = new Map<string, [number, number]>();
    for (const spec of files) {
      const text = readFileSync(spec.moduleId, 'utf8');
      const kind = relative(root, spec.moduleId).startsWith('tests/')
        ? 0
        : /\b(runAction|runBundled|createPlatform|spawn|spawnSync|execFile|execFileSync)\(/.test(text)
          ? 1
          : /\bstartSim\(/.test(text)
            ? 2
            : 3;
      guess.set(spec.moduleId, [kind, -text.length]);
    }
    return [...files].sort((a, b) => {
      const [da, db] = [known(a), known(b)];
      if (da !== undefined && db !== undefined) return db - da;
      const [ga, gb] = [guess.get(a.moduleId)!, guess.get(b.moduleId)!];
      return ga[0] - gb[0] || ga[1] - gb[1];
    });
  }
}

export default defineConfig({
  test: {
    // One project for the whole repository: every package's tests, the actions', the bench's and the
    // repository-wide flows in tests/. A worker runs file after file in one process (`isolate: false`), so
    // the modules, GitHub's OpenAPI description, its GraphQL schema and the validators compiled from them
    // are transformed and loaded once per worker, not once per file and project (half the suite's CPU).
    // Test files keep no state between them: each starts its own emulator, and a test that changes
    // process.env or spies on a stream restores it. Run one package's tests with a path filter:
    // `pnpm vitest run packages/core`.
    include: ['packages/*/test/**/*.test.ts', 'actions/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'tests/**/*.test.ts'],
    isolate: false,
    sequence: { sequencer: LongestFirst },
    // Most tests wait on the emulator or on an action's process more than they compute: three files at a
    // time on a 2-core machine take about half the time of one.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
