// The esbuild plugins of the action bundles (scripts/bundle.mjs), kept apart so a test can build with them.

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
 * mocks, pools, ...). The only names userloop's dependencies import from it are `fetch` (@actions/github's
 * proxy-aware fetch) and `ProxyAgent` (@actions/http-client), so the index is replaced by one that
 * exports exactly those two, built from undici's own modules the same way its index does (including its
 * one side effect, the request API on every dispatcher). tests/bundle.test.ts fetches through a proxy
 * with these plugins; every end-to-end test fetches directly.
 * About 100 KB per bundle.
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
 * `@actions/github` builds its client with `@octokit/plugin-rest-endpoint-methods`, the `octokit.rest.*`
 * methods generated for every REST route (about 80 KB). userloop calls `octokit.request(route)` and
 * `paginate(route)` only, and core's `Octokit` type leaves `rest` out, so code that would need the
 * methods does not compile; the plugin is replaced by one that adds nothing.
 */
export const noRestEndpointMethods = {
  name: 'no-rest-endpoint-methods',
  setup(b) {
    b.onLoad({ filter: /[\\/]@octokit[\\/]plugin-rest-endpoint-methods[\\/]dist-src[\\/]index\.js$/ }, () => ({
      contents: 'export const VERSION = "";\nexport function restEndpointMethods() { return {}; }\nexport function legacyRestEndpointMethods() { return {}; }',
      loader: 'js',
    }));
  },
};

/** Every plugin, in order. */
export const bundlePlugins = [englishOnlyZodLocales, undiciFetchAndProxyOnly, noRestEndpointMethods];
