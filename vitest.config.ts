import { configDefaults, defineConfig } from 'vitest/config';

/** One vitest project per workspace package, plus repository-wide checks in `tests/`. */
const project = (name: string, dir: string) => ({
  extends: true as const,
  test: { name, root: dir, include: ['test/**/*.test.ts'] },
});

export default defineConfig({
  test: {
    // Most tests wait on the emulator or on an action's process more than they compute: three files at a
    // time on a 2-core machine take about half the time of one.
    maxWorkers: 3,
    // A worker runs file after file of its project in one process: GitHub's OpenAPI description, its GraphQL
    // schema and the validators compiled from them are loaded once per worker, not once per file (half the
    // suite's CPU). Test files keep no state between them: each starts its own emulator, and a test that
    // changes process.env or spies on a stream restores it.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      project('core', 'packages/core'),
      project('github-sim', 'packages/github-sim'),
      project('cli', 'packages/cli'),
      project('draft-release-notes', 'actions/draft-release-notes'),
      project('kpi-report', 'actions/kpi-report'),
      project('notify-requesters', 'actions/notify-requesters'),
      project('prioritize', 'actions/prioritize'),
      project('require-docs', 'actions/require-docs'),
      project('bench', 'bench'),
      project('robustness', 'tests/robustness'),
      { extends: true as const, test: { name: 'repo', root: '.', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, 'tests/robustness/**'] } },
    ],
  },
});
