// The esbuild plugins of the action bundles (scripts/bundle.mjs), kept apart so a test can build with them.
import { readFile } from 'node:fs/promises';

/**
 * zod's main entry re-exports every locale (about 260 KB minified) to offer `z.locales`; userloop's
 * messages are English only, so the locale index resolves to English alone. Nothing else changes.
 */
export const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
    }));
  },
};

/**
 * undici is CommonJS, so esbuild keeps everything its index re-exports (WebSocket, EventSource, caches,
 * mocks, pools, ...). The only names userloop imports from it are `fetch` and `ProxyAgent` (core's
 * proxy-agent.ts, the client behind a proxy), so the index is replaced by one that exports exactly those
 * two, built from undici's own modules the same way its index does (including its one side effect, the
 * request API on every dispatcher). tests/bundle.test.ts runs an action's bundle through a proxy.
 * About 100 KB of the proxy file.
 */
export const undiciFetchAndProxyOnly = {
  name: 'undici-fetch-and-proxy-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]index\.js$/ }, () => ({
      contents: [
        "'use strict'",
        // The one side effect of undici's index that these need: the request API on every dispatcher.
        "Object.assign(require('./lib/dispatcher/dispatcher').prototype, require('./lib/api'))",
        "module.exports.ProxyAgent = require('./lib/dispatcher/proxy-agent')",
        "const fetchImpl = require('./lib/web/fetch').fetch",
        'module.exports.fetch = async function fetch (init, options = undefined) {',
        '  try { return await fetchImpl(init, options) } catch (err) { if (err && typeof err === "object") Error.captureStackTrace(err); throw err }',
        '}',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * `@actions/core` exports `getIDToken` (OIDC tokens for cloud logins), whose client is
 * `@actions/http-client`, which imports all of undici (about 300 KB) when the module loads. userloop never
 * asks for an OIDC token, so that module is replaced by one whose client says so; every other part of
 * `@actions/core` (inputs, outputs, the summary, annotations, masking) is the library's own.
 */
export const noActionsOidc = {
  name: 'no-actions-oidc',
  setup(b) {
    b.onLoad({ filter: /[\\/]@actions[\\/]core[\\/]lib[\\/]oidc-utils\.js$/ }, () => ({
      contents: "export class OidcClient { static async getIDToken() { throw new Error('OIDC tokens are not available in userloop'); } }",
      loader: 'js',
    }));
  },
};

/**
 * `yaml` gives Node its CommonJS build, which esbuild cannot tree-shake; its ES module build (the same
 * code, published in the package for other platforms) drops what userloop never calls. About 16 KB.
 */
export const yamlEsModules = {
  name: 'yaml-es-modules',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, async (args) => {
      if (args.pluginData === 'yaml-es-modules') return undefined;
      const resolved = await b.resolve('yaml', { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'yaml-es-modules' });
      if (resolved.errors.length > 0) return resolved;
      const esm = resolved.path.replace(/([\\/])dist[\\/]index\.js$/, '$1browser$1index.js');
      return { path: esm === resolved.path ? resolved.path : esm };
    });
  },
};

/**
 * zod's schemas carry `toJSONSchema()`, which pulls in zod's JSON Schema generator (about 16 KB). The JSON
 * Schema of the config is generated at build time (`pnpm --filter @userloop/core gen:schema`), never in
 * an action, so in the bundles the generator's functions say so when called. `aggregateChecks`, which a
 * schema's `minLength` / `minValue` read, is zod's own code, kept: the processors' module is cut where its
 * processors start. A zod update that moves that place fails the build here, by name.
 */
export const noZodJsonSchema = {
  name: 'no-zod-json-schema',
  setup(b) {
    const unavailable = "function unavailable() { throw new Error('JSON Schema generation is not part of the userloop action bundles'); }";
    const stubs = (source) =>
      [...new Set([...source.matchAll(/^export (?:const|function) (\w+)/gm)].map((m) => m[1]))].map((name) => `export const ${name} = unavailable;`).join('\n');
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]to-json-schema\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: `${unavailable}\n${stubs(source)}\nexport { processSchema as process };`, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]json-schema-processors\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const cut = source.indexOf('\nconst formatMap = {');
      if (cut < 0 || !source.slice(0, cut).includes('export function aggregateChecks(')) {
        throw new Error(`no-zod-json-schema: ${args.path} is no longer laid out as this plugin expects (aggregateChecks, then formatMap); update the plugin`);
      }
      return { contents: `${source.slice(0, cut)}\n${unavailable}\n${stubs(source.slice(cut))}`, loader: 'js', resolveDir: args.path.replace(/[\\/][^\\/]+$/, '') };
    });
  },
};

/**
 * `semver`'s functions and `picomatch` are CommonJS, whose `require` esbuild keeps wherever the importing
 * module is bundled, used or not: core's semver.ts and glob.ts are in every bundle (through core's index),
 * so every action carried all of semver's parser (about 10 KB) even when it compares no version. Both
 * packages do nothing when loaded but define functions, so they are marked free of side effects: an action
 * that never calls them leaves them out, one that does keeps them whole.
 */
export const sideEffectFreeCommonJs = {
  name: 'side-effect-free-commonjs',
  setup(b) {
    b.onResolve({ filter: /^(?:semver\/functions\/[a-z]+\.js|picomatch)$/ }, async (args) => {
      if (args.pluginData === 'side-effect-free-commonjs') return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'side-effect-free-commonjs' });
      if (resolved.errors.length > 0) return resolved;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/** Every plugin, in order. */
export const bundlePlugins = [englishOnlyZodLocales, undiciFetchAndProxyOnly, noActionsOidc, yamlEsModules, noZodJsonSchema, sideEffectFreeCommonJs];

/**
 * The config's descriptions (`described(schema, text)` in packages/core/src/config/sections/) are the text
 * of docs/config.md and of the JSON Schema, both generated at build time; an action never reads them. In
 * the action bundles each `described(schema, text)` is `schema` itself: about 12 KB of text less per bundle,
 * and no copy of each described schema made when the action starts. The schemas, their defaults and every
 * message are untouched. A call that is not `described(schema, text)` fails the build here, by file and line.
 */
export const noConfigDescriptions = {
  name: 'no-config-descriptions',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/]core[\\/]src[\\/]config[\\/]sections[\\/][^\\/]+\.ts$/ }, async (args) => {
      const { default: ts } = await import('typescript');
      const source = await readFile(args.path, 'utf8');
      const file = ts.createSourceFile(args.path, source, ts.ScriptTarget.ES2022, true);
      const cuts = [];
      const visit = (node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'described') {
          if (node.arguments.length !== 2) {
            const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
            throw new Error(`no-config-descriptions: ${args.path}:${line + 1}: described() takes a schema and a description; update the plugin`);
          }
          const [schema] = node.arguments;
          // `described(` before the schema, and `, text)` after it.
          cuts.push([node.getStart(file), schema.getStart(file)], [schema.getEnd(), node.getEnd()]);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let contents = source;
      for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) contents = `${contents.slice(0, start)}${contents.slice(end)}`;
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Core's client loads `./proxy-agent.ts` (undici's fetch and ProxyAgent) only when a proxy applies to a
 * request. An action's bundle leaves it out and imports `./proxy-agent.mjs` in its place, the second file
 * scripts/bundle.mjs writes next to dist/index.mjs, so a run without a proxy never reads undici. (The CLI,
 * one file, keeps it inside, loaded on the same condition.)
 */
export const proxyAgentApart = {
  name: 'proxy-agent-apart',
  setup(b) {
    b.onResolve({ filter: /[\\/]proxy-agent\.ts$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: `./${PROXY_AGENT_FILE}`, external: true } : undefined,
    );
  },
};

/** The name of the proxy file in each action's dist/. */
export const PROXY_AGENT_FILE = 'proxy-agent.mjs';
