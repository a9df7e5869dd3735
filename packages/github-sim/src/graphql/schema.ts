import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, validateSchema, type GraphQLSchema } from 'graphql';

/** How long loading GitHub's public schema took in this process (milliseconds), once loaded. */
export interface SchemaTimings {
  readMs: number;
  buildMs: number;
  validateMs: number;
}

let cached: { schema: GraphQLSchema; timings: SchemaTimings } | undefined;

/** Finds `@octokit/graphql-schema/schema.graphql` by walking up from this file (the package does not export the path). */
function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '@octokit', 'graphql-schema', 'schema.graphql');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('github-sim: cannot find @octokit/graphql-schema/schema.graphql');
    dir = parent;
  }
}

/**
 * GitHub's public GraphQL schema, built once per process. The SDL repeats two fields of
 * `EnterpriseOwnerInfo`, which strict SDL validation rejects, so it is built with `assumeValidSDL`
 * and then checked once with `validateSchema` (which also primes graphql-js's per-schema cache).
 */
export function githubSchema(): GraphQLSchema {
  return loadSchema().schema;
}

/** Timings of the one schema build of this process (builds it if needed). */
export function schemaTimings(): SchemaTimings {
  return loadSchema().timings;
}

function loadSchema(): { schema: GraphQLSchema; timings: SchemaTimings } {
  if (cached) return cached;
  const t0 = performance.now();
  const sdl = readFileSync(schemaPath(), 'utf8');
  const t1 = performance.now();
  const schema = buildSchema(sdl, { assumeValidSDL: true, noLocation: true });
  const t2 = performance.now();
  const problems = validateSchema(schema);
  const t3 = performance.now();
  if (problems.length > 0) throw new Error(`github-sim: GitHub schema is invalid: ${problems[0]?.message ?? ''}`);
  cached = { schema, timings: { readMs: t1 - t0, buildMs: t2 - t1, validateMs: t3 - t2 } };
  return cached;
}
