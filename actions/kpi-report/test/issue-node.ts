// One issue as the collector's GraphQL page returns it (issue #3 by vic, opened 2026-11-16), with the given
// timeline items: for the tests of what the report reads from the bot's comments.
import type { toRecord } from '../src/read.ts';

/** The bot the report trusts, as GraphQL names it, and the trust that names it as REST does. */
export const BOT = { __typename: 'Bot', login: 'github-actions' };
export const TRUST = { botLogins: ['github-actions[bot]'] };

/** Issue #3 with `timeline` (comments, closes, reopens) read in one page. */
export function issueNode(timeline: unknown[]): Parameters<typeof toRecord>[0] {
  return {
    number: 3,
    title: 'T',
    url: 'https://github.com/o/r/issues/3',
    state: 'OPEN',
    stateReason: null,
    createdAt: '2026-11-16T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    closedAt: null,
    author: { __typename: 'User', login: 'vic' },
    labels: { nodes: [] },
    timelineItems: { totalCount: timeline.length, pageInfo: { hasNextPage: false }, nodes: timeline },
  } as Parameters<typeof toRecord>[0];
}
