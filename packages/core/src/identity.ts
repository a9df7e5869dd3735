/**
 * Who the token acts as, and whether a comment, issue or release was written by that identity.
 *
 * GitHub spells a bot's login two ways: REST and GraphQL's `viewer` say `my-app[bot]`, while GraphQL's
 * `author { login }` (and every other actor field) says `my-app`. Every "is this mine" check goes through
 * `isAuthoredBy` (people.ts), which accepts both spellings but never confuses a bot with a user of the same name.
 */
import { errorMessage } from './runtime.ts';
import type { Octokit } from './octokit.ts';

/** The login a GITHUB_TOKEN acts as. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]';

/** What {@link resolveIdentity} needs: `graphql` (preferred) and `request` (the fallback). */
export type IdentityClient = Pick<Octokit, 'request'> & Partial<Pick<Octokit, 'graphql'>>;

const identities = new WeakMap<object, Promise<string>>();

async function lookUp(octokit: IdentityClient): Promise<string> {
  let graphqlError: unknown = null;
  if (octokit.graphql) {
    try {
      const data = await octokit.graphql<{ viewer?: { login?: unknown } | null }>('query Viewer { viewer { login } }');
      const login = data.viewer?.login;
      if (typeof login === 'string' && login !== '') return login;
      graphqlError = new Error('GraphQL answered without a viewer login');
    } catch (error: unknown) {
      graphqlError = error;
    }
  }
  try {
    const { data } = await octokit.request('GET /user');
    return (data as { login: string }).login;
  } catch (error: unknown) {
    // A GITHUB_TOKEN or an App installation token gets 403 here: guessing would pick the wrong bot
    // (`github-actions[bot]` for `my-app[bot]`) and make every run write again, so fail instead.
    const parts = [graphqlError === null ? null : `GraphQL viewer: ${errorMessage(graphqlError)}`, `GET /user: ${errorMessage(error)}`];
    throw new Error(`Could not tell which account the token acts as (${parts.filter((p) => p !== null).join('; ')}).`);
  }
}

/**
 * The login the token acts as, resolved once per client: GraphQL `viewer { login }`, which answers for a
 * user token (`octocat`), a GITHUB_TOKEN (`github-actions[bot]`) and a GitHub App installation token
 * (`my-app[bot]`), always with the `[bot]` suffix for bots. Falls back to `GET /user` (user tokens only)
 * when GraphQL fails; throws when neither answers. A failure is not cached.
 */
export async function resolveIdentity(octokit: IdentityClient): Promise<string> {
  let pending = identities.get(octokit);
  if (!pending) {
    pending = lookUp(octokit).catch((error: unknown) => {
      identities.delete(octokit);
      throw error;
    });
    identities.set(octokit, pending);
  }
  return pending;
}

/**
 * Records the login a query already read (GraphQL `viewer { login }` riding along in an action's first
 * query), so that later {@link resolveIdentity} calls on this client answer it without a query of their own.
 */
export function rememberIdentity(octokit: IdentityClient, login: string): void {
  if (login !== '' && !identities.has(octokit)) identities.set(octokit, Promise.resolve(login));
}
