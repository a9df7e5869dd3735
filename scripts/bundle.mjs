#!/usr/bin/env node
// One bundler config, one entry per action: actions/<name>/src/index.ts -> actions/<name>/dist/index.mjs, and
// beside it dist/proxy-agent.mjs, the client behind a proxy (undici), which index.mjs loads only when
// HTTPS_PROXY / HTTP_PROXY apply to a request.
// Next to each bundle, dist/find-node.sh: the step of action.yml that finds a Node.js to run it, copied
// from the one source scripts/find-node.sh.
// `--check` rebuilds in memory and fails when a committed bundle differs from the rebuild.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePlugins, noConfigDescriptions, PROXY_AGENT_FILE, proxyAgentApart } from './bundle-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const actionsDir = join(root, 'actions');
// `--only=<name>` builds one action (while working on it); the check and `pnpm build` cover all five.
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const actions = existsSync(actionsDir)
  ? readdirSync(actionsDir).filter((name) => existsSync(join(actionsDir, name, 'src', 'index.ts')) && (only === undefined || name === only)).sort()
  : [];
if (only !== undefined && actions.length === 0) {
  console.error(`--only=${only}: no action of that name under actions/`);
  process.exit(2);
}

const findNodeSource = readFileSync(join(root, 'scripts', 'find-node.sh'), 'utf8');
/** dist/find-node.sh of every action: the shared script under a line saying where it comes from. */
const findNode = findNodeSource.replace(
  /^#!.*\n/,
  (shebang) => `${shebang}# Generated from scripts/find-node.sh by scripts/bundle.mjs (pnpm build): edit that file, not this copy.\n`,
);

/** The options every file shares: ESM for the runner's Node.js, minified. */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  write: false,
  legalComments: 'none',
  // The bundle budget is 500 KiB per action: minified, names not kept (errors reach users as messages, not
  // stack traces).
  minify: true,
  keepNames: false,
  // Text as UTF-8, not \u escapes (the HTML entity names of the markdown parser, the texts' symbols).
  charset: 'utf8',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __userloopCreateRequire } from 'node:module';\nconst require = __userloopCreateRequire(import.meta.url);" },
};

// The proxy file is the same for every action: built once.
const proxyAgent = actions.length === 0
  ? null
  : (await build({ ...common, entryPoints: [join('packages', 'core', 'src', 'proxy-agent.ts')], outfile: join(root, PROXY_AGENT_FILE), plugins: bundlePlugins })).outputFiles[0].text;

let stale = 0;
for (const name of actions) {
  const outfile = join(actionsDir, name, 'dist', 'index.mjs');
  const result = await build({
    ...common,
    entryPoints: [join('actions', name, 'src', 'index.ts')],
    outfile,
    plugins: [...bundlePlugins, noConfigDescriptions, proxyAgentApart],
  });
  const outputs = [
    [outfile, result.outputFiles[0].text],
    [join(actionsDir, name, 'dist', PROXY_AGENT_FILE), proxyAgent],
    [join(actionsDir, name, 'dist', 'find-node.sh'), findNode],
  ];
  for (const [file, text] of outputs) {
    const rel = relative(root, file);
    if (check) {
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : null;
      if (committed !== text) {
        stale += 1;
        console.error(`${rel}: differs from a rebuild; run \`pnpm build\` and commit it.`);
      }
    } else {
      mkdirSync(join(actionsDir, name, 'dist'), { recursive: true });
      writeFileSync(file, text);
      console.log(`${rel}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
    }
  }
}
if (check) {
  if (stale > 0) process.exit(1);
  console.log(`dist: ${actions.length} bundle(s) match their sources`);
}
