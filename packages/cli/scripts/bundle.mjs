#!/usr/bin/env node
// Bundles the installable `userloop` command: src/bin.ts -> dist/userloop.mjs, one file with every runtime
// dependency inside, so `npm install userloop` fetches nothing else. The demo needs the emulator and its
// API description (hundreds of MB), so the installed command leaves it out and says where it runs.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { embeddedFiles } from '../src/embedded.ts';
import { bundlePlugins } from '../../../scripts/bundle-plugins.mjs';

const cliRoot = fileURLToPath(new URL('..', import.meta.url));

/** `./demo/run.ts` replaced by a module whose `runDemo` says the demo runs from a clone. */
const demoFromCloneOnly = {
  name: 'demo-from-clone-only',
  setup(b) {
    b.onResolve({ filter: /[\\/]demo[\\/]run\.ts$/ }, () => ({ path: 'demo-from-clone-only', namespace: 'userloop-cli' }));
    b.onLoad({ filter: /.*/, namespace: 'userloop-cli' }, () => ({
      contents: [
        "import { CliError } from './src/errors.ts';",
        'export async function runDemo() {',
        "  throw new CliError('the demo runs from a clone of userloop (it needs the built-in emulator): git clone https://github.com/userloop/userloop && cd userloop && npm i -g pnpm@10 && pnpm install && pnpm demo', 1);",
        '}',
      ].join('\n'),
      resolveDir: cliRoot,
      loader: 'ts',
    }));
  },
};

/** `./embedded.ts` replaced by the files it reads, inline: the installed command has no checkout to read. */
const filesInline = {
  name: 'files-inline',
  setup(b) {
    b.onResolve({ filter: /[\\/]embedded\.ts$/ }, () => ({ path: 'files-inline', namespace: 'userloop-cli-files' }));
    b.onLoad({ filter: /.*/, namespace: 'userloop-cli-files' }, () => ({
      contents: `export function embeddedFiles() { return ${JSON.stringify(embeddedFiles())}; }`,
      loader: 'js',
    }));
  },
};

await build({
  absWorkingDir: cliRoot,
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/userloop.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  minify: true,
  plugins: [...bundlePlugins, demoFromCloneOnly, filesInline],
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  // The shebang comes from src/bin.ts.
  banner: { js: "import { createRequire as __userloopCreateRequire } from 'node:module';\nconst require = __userloopCreateRequire(import.meta.url);" },
});
