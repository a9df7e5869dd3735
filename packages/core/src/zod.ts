// Every schema of core (the config, the markers, the action inputs) is written with zod's small build,
// `zod/mini`: functions, not methods, so an action's bundle keeps only the parts of zod its schemas use (the
// full build's schemas carry every method, which keeps all of zod in each bundle). Its messages are set to
// English here, as the full build sets them.
import { config, globalRegistry, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

/**
 * `schema` with a description (the full build's `.describe()`): the docs (docs/config.md) and the JSON
 * Schema take it from there. A copy, so a schema used by several keys keeps a description of its own for each.
 *
 * @param schema - the schema to describe
 * @param description - what the key is for, in a sentence or two
 */
export function described<T extends ZodMiniType>(schema: T, description: string): T {
  const copy = schema.clone() as T;
  globalRegistry.add(copy, { description });
  return copy;
}
