/**
 * GraphQL errors that come with partial data. GitHub answers HTTP 200 with `data` and an `errors` list when
 * some nodes of a query cannot be given: `NOT_FOUND` for a number that is no issue or pull request (or was
 * deleted), `FORBIDDEN` for a node the token may not read (a pull request in a private repository without
 * `pull-requests: read`). Octokit throws on any error; readers that can do without those nodes use
 * {@link graphqlAllowing}.
 */
import type { Octokit } from './octokit.ts';

/** The GraphQL client every reader takes: `octokit.graphql`. */
export type GraphqlClient = Octokit['graphql'];

/**
 * The most GraphQL requests a query may need for 1 point. GitHub's formula: requests = the sum over every
 * connection of the product of the `first:` sizes of the connections above it; points = round(requests / 100),
 * at least 1. So a page of 100 items with two nested connections needs 201 requests, 2 points.
 */
export const ONE_POINT_REQUESTS = 149;

/** GitHub's points for a query that needs `requests` requests by that formula: round(requests / 100), at least 1. */
export function graphqlPoints(requests: number): number {
  return Math.max(1, Math.round(requests / 100));
}

/** What GitHub's `rateLimit { limit remaining }` says of the token's hour, after the query that asked. */
export interface TokenHour {
  limit: number;
  remaining: number;
}

/**
 * Whether a query of `points` would leave the token less than a long read (kpi-report's, prioritize's
 * sweep) keeps for the token's other uses: half of its hour (500 of a GITHUB_TOKEN's 1,000), or what a read
 * allowed `max` points leaves when that is more than half. Every such read with one token stops there, so
 * reads in the same hour (the fan-out's jobs, a sweep and a report) take one half together, not each its own.
 */
export function leavesTooFew(hour: TokenHour, points: number, max = 0): boolean {
  return hour.remaining - points < Math.max(0, Math.min(hour.limit / 2, hour.limit - max));
}

/** A read stopped at {@link leavesTooFew}'s line, in the words of its log and job summary. */
export function stoppedToKeep(hour: TokenHour): string {
  return `stopped with ${hour.remaining} of the token's ${hour.limit} points left this hour, kept for its other uses`;
}

/** The nodes of a GraphQL list without the nulls GitHub gives for nodes it could not (or may not) show. */
export function compact<T>(nodes: readonly (T | null | undefined)[] | null | undefined): T[] {
  return (nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}

/** A GraphQL error as GitHub reports it in `errors`. */
export interface GraphqlErrorEntry {
  type?: string;
  path?: readonly (string | number)[];
  message?: string;
}

/**
 * Runs a GraphQL query and tolerates errors of the given `types` when data came back: returns the partial
 * data (the nodes in error are null, as readers of lists already skip) and the paths of the tolerated errors.
 * Any other error, or an answer without data, is thrown as it was.
 *
 * @param graphql - the GraphQL client (`octokit.graphql`)
 * @param query - the query document
 * @param variables - its variables
 * @param types - the error types to tolerate (`FORBIDDEN`, `NOT_FOUND`)
 */
export async function graphqlAllowing<T>(
  graphql: GraphqlClient,
  query: string,
  variables: Record<string, unknown>,
  types: readonly string[],
): Promise<{ data: T; tolerated: string[] }> {
  try {
    return { data: await graphql<T>(query, variables), tolerated: [] };
  } catch (error) {
    const e = error as { errors?: GraphqlErrorEntry[]; data?: T | null } | null;
    const errors = e?.errors;
    if (!Array.isArray(errors) || errors.length === 0 || e?.data === undefined || e.data === null) throw error;
    if (!errors.every((x) => x.type !== undefined && types.includes(x.type))) throw error;
    return { data: e.data, tolerated: errors.map((x) => (x.path ?? []).join('.')) };
  }
}
