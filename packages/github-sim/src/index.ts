/** @userloop/github-sim: a local GitHub emulator held to GitHub's published REST contract. */
export * from './store.ts';
export {
  startSim,
  expectNoViolations,
  setGraphqlHandler,
  getGraphqlHandler,
  type Sim,
  type SimOptions,
  type Counters,
  type Fault,
  type FaultKind,
  type FaultSpec,
  type Faults,
  type RequestLogEntry,
  type GraphqlCaller,
  type GraphqlHandler,
  type GraphqlResult,
} from './server.ts';
export { checkResponse, matchRoute, loadContract, contractLoadMs, type Violation, type Operation, type RouteMatch } from './openapi.ts';
export { Renderer } from './render.ts';
export { parseSearch } from './search.ts';
export { seedFromWebhook, webhookExample, webhookExamples } from './seed.ts';
export * from './runner/index.ts';
export { seededRandom } from './random.ts';
export { startTunnelProxy, type TunnelProxy } from './proxy.ts';
export { validateWebhookPayload, type WebhookPayloadError } from './webhooks.ts';
export { GITHUB_TOKEN_REST_LIMIT, GITHUB_TOKEN_GRAPHQL_LIMIT, type GraphqlBudgetAnswer } from './server.ts';
export * from './limits.ts';
export * from './platform/index.ts';
