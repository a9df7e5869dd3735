export {
  handleGraphql,
  GRAPHQL_POINTS_LIMIT,
  type GraphqlRequest,
  type GraphqlResponseBody,
  type GraphqlResult,
  type GraphqlOptions,
} from './handler.ts';
export { computeCost, isConnectionField, NODE_LIMIT, MAX_PAGE, type QueryCost } from './cost.ts';
export { githubSchema, schemaTimings, type SchemaTimings } from './schema.ts';
export type { GithubGraphqlError } from './errors.ts';

import type { GraphqlHandler } from '../server.ts';
import { handleGraphql as handle, type GraphqlRequest as Req } from './handler.ts';

/**
 * The `POST /graphql` handler `startSim()` registers: runs `handleGraphql` as the token's user with
 * the token's permissions, charging the token's hourly budget; a mutation that wrote to the store is
 * reported as one write.
 */
export const graphqlHandler: GraphqlHandler = (store, body, caller) => {
  const request: Req = body && typeof body === 'object' ? (body as Req) : {};
  const r = handle(store, request, caller.login, { permissions: caller.permissions, ...(caller.budget ? { budget: caller.budget } : {}) });
  return Promise.resolve({ status: r.status, body: r.body, points: r.points, mutation: r.writes > 0 });
};
