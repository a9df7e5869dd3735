// What every action's run.ts starts with: its inputs (the token and the config path among them), the event
// it runs for, and a client for the token.
import * as z from 'zod/mini';
import { DEFAULT_CONFIG_PATH } from './config/parse.ts';
import { readContext, type EventContext } from './context.ts';
import { createOctokit, type Octokit, type ThrottleOptions } from './octokit.ts';
import { readInputs } from './runtime.ts';

/** The inputs schema of an action: `token` and `config-path`, which every action takes, and its own `shape`. */
export function actionInputs<T extends z.core.$ZodShape>(shape: T) {
  return z.object({
    token: z.string({ error: 'a GitHub token is required (default `${{ github.token }}`)' }),
    'config-path': z._default(z.string(), DEFAULT_CONFIG_PATH),
    ...shape,
  });
}

/** An action's start: its inputs read and checked, the event, and a client for the token. */
export interface ActionStart<I> {
  inputs: I;
  context: EventContext;
  octokit: Octokit;
}

/**
 * Reads an action's inputs (throwing `InputError` for a bad one), the event, and makes the client for the
 * token (`apiUrl` and `graphqlUrl` of the server the workflow runs on; `throttle` as `createOctokit` takes it,
 * or chosen from the inputs and the event when a run's kind decides it).
 */
export function startAction<S extends z.ZodMiniObject<{ token: z.ZodMiniString }>>(
  schema: S,
  options: { throttle?: ThrottleOptions | ((inputs: z.output<S>, context: EventContext) => ThrottleOptions | undefined); env?: NodeJS.ProcessEnv } = {},
): ActionStart<z.output<S>> {
  const env = options.env ?? process.env;
  const inputs = readInputs(schema, env);
  const context = readContext(env);
  const throttle = typeof options.throttle === 'function' ? options.throttle(inputs, context) : options.throttle;
  const octokit = createOctokit({
    token: (inputs as { token: string }).token,
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    ...(throttle ? { throttle } : {}),
  });
  return { inputs, context, octokit };
}
