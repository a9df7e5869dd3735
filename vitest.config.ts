import { statSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, so that short files fill the workers at the end instead of one long file running alone:
 * by the duration of the last run when vitest has one for both files; otherwise whole flows (tests/: the
 * workflow platform, the fault matrix) before the actions' and packages' tests, then the larger file first.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const known = (spec: TestSpecification): number | undefined => cache.getFileTestResults(`${spec.project.name}:${spec.moduleId.slice(this.ctx.config.root.length + 1)}`)?.duration;
    const flow = (spec: TestSpecification): number => (spec.moduleId.includes('/tests/') ? 0 : 1);
    const size = (spec: TestSpecification): number => statSync(spec.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    return [...files].sort((a, b) => {
      const [da, db] = [known(a), known(b)];
      if (da !== undefined && db !== undefined) return db - da;
      return flow(a) - flow(b) || size(b) - size(a);
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
