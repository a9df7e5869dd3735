import type { KnipConfig } from 'knip';

/**
 * Unused files, exports, types and dependencies: `pnpm lint` runs `knip`, offline.
 *
 * Entry points knip finds by itself are not repeated here: the `tsx` files of package.json scripts
 * (bench/src/main.ts, packages/cli/src/bin.ts, packages/cli/src/demo/generate.ts, scripts/docs.ts,
 * packages/core/scripts/gen-schema.ts), package.json `exports` and `bin`, each action's action.yml
 * (its `dist/` bundle is build output, so the plugin ignores it), vitest.config.ts and eslint.config.mjs.
 * `project` lists source folders only, so the committed bundles (actions/<name>/dist, written by
 * scripts/bundle.mjs) and test fixtures other than the fixture actions' scripts are never analysed.
 */
const config: KnipConfig = {
  workspaces: {
    '.': {
      entry: ['scripts/*.mjs', 'tests/**/*.test.ts'],
      project: ['scripts/**/*.{ts,mts,mjs}', 'tests/**/*.ts', '*.{ts,mjs}'],
      // Run by tests/shellcheck.test.ts from the PATH (.ci/run installs it), not an npm package.
      ignoreBinaries: ['shellcheck'],
    },
    'packages/core': {
      entry: ['test/**/*.test.ts'],
      project: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    },
    'packages/github-sim': {
      // src/cli.ts is started by bin/github-sim.mjs through tsx; the fixture actions' .mjs files are
      // the `runs.main` of their action.yml under test/fixtures.
      entry: ['src/cli.ts', 'test/**/*.test.ts', 'test/fixtures/**/*.mjs'],
      project: ['src/**/*.ts', 'bin/*.mjs', 'test/**/*.{ts,mjs}'],
      // Loaded as files found on disk (schema.graphql, the OpenAPI JSON) or through createRequire,
      // which knip does not follow.
      ignoreDependencies: ['@octokit/graphql-schema', '@octokit/openapi', '@octokit/openapi-webhooks', '@octokit/webhooks-examples'],
    },
    'packages/cli': {
      entry: ['test/**/*.test.ts'],
      project: ['src/**/*.ts', 'test/**/*.ts'],
    },
    'actions/*': {
      entry: ['src/index.ts', 'test/**/*.test.ts'],
      project: ['src/**/*.ts', 'test/**/*.ts'],
    },
    bench: {
      entry: ['test/**/*.test.ts'],
      project: ['src/**/*.ts', 'test/**/*.ts'],
    },
  },
};

export default config;
