// A small dataset whose every number is computed by hand in compute.test.ts (week 2026-W47:
// Monday 16 November 2026 00:00 UTC to Monday 23 November 00:00 UTC; the previous week is 2026-W46).
import { DEFAULT_PRIORITY_LABELS, globMatcher, periodContaining } from '@userloop/core';
import type { ComputeOptions } from '../src/compute.ts';
import type { ItemRecord, ReleaseRecord } from '../src/model.ts';

const REPO = 'octo-org/octo-repo';

/** An item with safe defaults (an open issue with nothing on it). */
export function item(number: number, fields: Partial<ItemRecord> = {}): ItemRecord {
  const kind = fields.kind ?? 'issue';
  return {
    kind,
    repository: REPO,
    number,
    title: `Item ${number}`,
    url: `https://github.com/${REPO}/${kind === 'pull' ? 'pull' : 'issues'}/${number}`,
    author: 'someone',
    authorIsBot: false,
    createdAt: '2026-11-16T09:00:00Z',
    updatedAt: '2026-11-16T09:00:00Z',
    state: 'OPEN',
    closedAt: null,
    stateReason: null,
    labels: [],
    changes: [],
    responses: [],
    timelineComplete: true,
    commitment: null,
    notices: [],
    ...(kind === 'pull' ? { mergedAt: null, files: [] } : {}),
    ...fields,
  };
}

const closed = (at: string, reason: string | null = 'COMPLETED') => ({ type: 'closed' as const, at, reason });
const reopened = (at: string) => ({ type: 'reopened' as const, at });
const said = (login: string, at: string, association = 'NONE') => ({ login, at, association });

export const ITEMS: ItemRecord[] = [
  item(1, {
    author: 'uma',
    createdAt: '2026-11-16T09:00:00Z',
    labels: ['area: cli'],
    commitment: { priority: 'fix-it-now', due: '2026-11-17', requesters: ['uma', 'vic', 'wes'] },
    responses: [said('alice', '2026-11-16T11:00:00Z', 'MEMBER')],
    changes: [closed('2026-11-17T09:00:00Z')],
    state: 'CLOSED',
    closedAt: '2026-11-17T09:00:00Z',
    stateReason: 'COMPLETED',
    notices: [{ at: '2026-11-19T11:00:00Z', people: ['uma', 'vic', 'wes'] }],
  }),
  item(2, {
    author: 'vic',
    createdAt: '2026-11-20T16:00:00Z', // a Friday
    labels: ['area: cli'],
    commitment: { priority: 'high', due: '2026-11-20', requesters: ['vic', 'helper-bot', 'gil'] },
    responses: [said('dora', '2026-11-23T10:00:00Z')], // after the period: not a response in W47
  }),
  item(3, {
    author: 'wes',
    createdAt: '2026-11-10T12:00:00Z', // W46, a Tuesday
    labels: ['priority: low'],
    responses: [
      said('helper-bot', '2026-11-10T13:00:00Z'), // a configured bot
      said('wes', '2026-11-10T14:00:00Z'), // the author
      said('xena', '2026-11-12T12:00:00Z'), // 48 business hours
    ],
  }),
  item(4, { author: 'yan', createdAt: '2026-11-18T10:00:00Z', labels: ['area: cli', 'priority: high'] }),
  item(5, {
    author: 'zed',
    createdAt: '2026-11-02T09:00:00Z',
    labels: ['area: cli'],
    commitment: { priority: 'low', due: null, requesters: ['zed', 'amy'] },
    responses: [said('alice', '2026-11-02T10:00:00Z', 'MEMBER')],
    changes: [closed('2026-11-05T09:00:00Z'), reopened('2026-11-17T09:00:00Z'), closed('2026-11-19T09:00:00Z')],
    state: 'CLOSED',
    closedAt: '2026-11-19T09:00:00Z',
    stateReason: 'COMPLETED',
    notices: [{ at: '2026-11-19T11:00:00Z', people: ['zed', 'amy', 'Uma'] }],
  }),
  item(6, {
    author: 'amy',
    createdAt: '2026-11-17T09:00:00Z',
    changes: [closed('2026-11-18T09:00:00Z', 'NOT_PLANNED')],
    state: 'CLOSED',
    closedAt: '2026-11-18T09:00:00Z',
    stateReason: 'NOT_PLANNED',
  }),
  item(7, { author: 'dependabot[bot]', authorIsBot: true, createdAt: '2026-11-17T09:00:00Z' }),
  item(8, {
    author: 'ben',
    createdAt: '2026-11-03T10:00:00Z',
    labels: ['area: docs'],
    commitment: { priority: 'high', due: '2026-11-13', requesters: ['ben'] },
    responses: [said('dora', '2026-11-03T11:00:00Z')],
  }),
  item(9, {
    author: 'cat',
    createdAt: '2026-11-16T00:00:00Z', // the first instant of W47
    responses: [said('dan', '2026-11-16T06:00:00Z')],
    changes: [closed('2026-11-20T12:00:00Z', 'DUPLICATE')],
    state: 'CLOSED',
    closedAt: '2026-11-20T12:00:00Z',
    stateReason: 'DUPLICATE',
  }),
  item(10, { author: 'eve', createdAt: '2026-11-22T23:59:59Z' }), // the last second of W47, a Sunday
  item(11, { author: 'fay', createdAt: '2026-11-23T00:00:00Z' }), // the first instant of W48
  item(12, { author: 'github-actions', authorIsBot: true, labels: ['kpi-report'], createdAt: '2026-11-16T06:00:00Z' }),
  item(20, {
    kind: 'pull',
    author: 'gil',
    title: 'feat(cli): add --json',
    createdAt: '2026-11-17T09:00:00Z',
    responses: [said('alice', '2026-11-17T10:00:00Z', 'MEMBER')],
    state: 'MERGED',
    mergedAt: '2026-11-18T12:00:00Z',
    closedAt: '2026-11-18T12:00:00Z',
    files: ['src/cli/json.ts', 'docs/cli.md'],
  }),
  item(21, {
    kind: 'pull',
    author: 'hal',
    title: 'Add a flag',
    labels: ['enhancement', 'skip-docs'],
    createdAt: '2026-11-19T08:00:00Z',
    state: 'MERGED',
    mergedAt: '2026-11-19T10:00:00Z',
    closedAt: '2026-11-19T10:00:00Z',
    files: ['src/x.ts'],
  }),
  item(22, {
    kind: 'pull',
    author: 'renovate[bot]',
    authorIsBot: true,
    title: 'chore(deps): bump x',
    createdAt: '2026-11-20T08:00:00Z',
    state: 'MERGED',
    mergedAt: '2026-11-20T09:00:00Z',
    closedAt: '2026-11-20T09:00:00Z',
    files: ['package.json'],
  }),
  item(23, {
    kind: 'pull',
    author: 'ivy',
    title: 'fix: typo',
    createdAt: '2026-11-09T10:00:00Z',
    state: 'MERGED',
    mergedAt: '2026-11-10T10:00:00Z',
    closedAt: '2026-11-10T10:00:00Z',
    files: ['README.md'],
  }),
];

const release = (tagName: string, publishedAt: string | null, isDraft = false): ReleaseRecord => ({
  repository: REPO,
  tagName,
  name: tagName,
  url: `https://github.com/${REPO}/releases/tag/${tagName}`,
  isDraft,
  isPrerelease: false,
  publishedAt,
});

export const RELEASES: ReleaseRecord[] = [
  release('v1.1.0', '2026-11-11T10:00:00Z'),
  release('v1.2.0', '2026-11-19T10:00:00Z'),
  release('v1.3.0', null, true),
];

/** The options the hand computation uses. */
export function options(overrides: Partial<ComputeOptions> = {}): ComputeOptions {
  return {
    period: periodContaining('week', '2026-11-18T00:00:00Z'),
    areas: [
      { name: 'CLI', labels: ['area: cli'], paths: ['src/cli/**'], owners: ['@alice'] },
      { name: 'Docs', labels: ['area: docs'], paths: [], owners: ['@org/docs-team'] },
    ],
    bots: ['helper-bot'],
    responderScope: 'anyone',
    teamMembers: { '@org/docs-team': ['dora'] },
    firstResponseHours: 24,
    businessDays: true,
    holidays: [],
    priorityLabels: { ...DEFAULT_PRIORITY_LABELS },
    excludeLabel: 'kpi-report',
    topRequested: 3,
    trendPeriods: 3,
    feature: { labels: ['feature', 'enhancement'], titleTypes: ['feat'] },
    isDocPath: globMatcher(['docs/**', '**/*.md', '!**/CHANGELOG*']),
    pathMatcher: (patterns) => globMatcher(patterns),
    skipLabel: 'skip-docs',
    ...overrides,
  };
}
