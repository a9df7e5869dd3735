import { describe, expect, it } from 'vitest';
import { renderNotifyMarker, renderPrioritizeMarker } from '@userloop/core';
import { codeownersGlobs, parseCodeowners } from '../src/codeowners.ts';
import { collectQuery, toRecord } from '../src/read.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeSnapshot, readSnapshots, writeSnapshots } from '../src/snapshots.ts';
import { item } from './dataset.ts';

const trust = { botLogins: ['github-actions[bot]'] };
const marker = renderPrioritizeMarker({ priority: 'high', path: ['blocked:no'], due: '2026-11-20', ledger: { requesters: [{ login: 'vic', via: 'author' }, { login: 'gil', via: 'comment' }], places: [] } });
const bot = { __typename: 'Bot', login: 'github-actions' };
const user = (login: string) => ({ __typename: 'User', login });

const node = (timeline: unknown[], extra: Record<string, unknown> = {}) =>
  ({
    number: 2,
    title: 'T',
    url: 'https://github.com/o/r/issues/2',
    state: 'OPEN',
    stateReason: null,
    createdAt: '2026-11-20T16:00:00Z',
    updatedAt: '2026-11-23T10:00:00Z',
    closedAt: null,
    author: user('vic'),
    labels: { nodes: [{ name: 'area: cli' }] },
    timelineItems: { totalCount: timeline.length, pageInfo: { hasNextPage: false }, nodes: timeline },
    ...extra,
  }) as Parameters<typeof toRecord>[0];

describe('toRecord', () => {
  it('reads the commitment only from the bot, and responses only from humans other than the author', () => {
    const r = toRecord(
      node([
        { __typename: 'IssueComment', author: user('mallory'), authorAssociation: 'NONE', createdAt: '2026-11-20T16:00:10Z', body: renderPrioritizeMarker({ priority: 'fix-it-now', path: [], due: '2020-01-01', ledger: { requesters: [], places: [] } }) },
        { __typename: 'IssueComment', author: bot, authorAssociation: 'NONE', createdAt: '2026-11-20T16:00:30Z', body: `Thanks!\n\n${marker}` },
        { __typename: 'IssueComment', author: user('vic'), authorAssociation: 'NONE', createdAt: '2026-11-20T16:05:00Z', body: 'More info' },
        { __typename: 'IssueComment', author: { __typename: 'Bot', login: 'renovate' }, authorAssociation: 'NONE', createdAt: '2026-11-20T16:06:00Z', body: 'bump' },
        { __typename: 'ClosedEvent', createdAt: '2026-11-21T10:00:00Z', stateReason: 'NOT_PLANNED' },
        { __typename: 'ReopenedEvent', createdAt: '2026-11-22T10:00:00Z' },
        { __typename: 'IssueComment', author: user('alice'), authorAssociation: 'MEMBER', createdAt: '2026-11-23T10:00:00Z', body: 'On it' },
        null,
      ]),
      'issue',
      'o/r',
      trust,
    );
    expect(r.commitment).toEqual({ priority: 'high', due: '2026-11-20', requesters: ['vic', 'gil'] });
    expect(r.responses).toEqual([
      { login: 'mallory', association: 'NONE', at: '2026-11-20T16:00:10Z' },
      { login: 'alice', association: 'MEMBER', at: '2026-11-23T10:00:00Z' },
    ]);
    expect(r.changes).toEqual([
      { type: 'closed', at: '2026-11-21T10:00:00Z', reason: 'NOT_PLANNED' },
      { type: 'reopened', at: '2026-11-22T10:00:00Z' },
    ]);
    expect(r.labels).toEqual(['area: cli']);
    expect(r.timelineComplete).toBe(true);
  });

  it('a bot other than the configured one is not trusted', () => {
    const r = toRecord(node([{ __typename: 'IssueComment', author: { __typename: 'Bot', login: 'other-app' }, createdAt: '2026-11-20T16:00:30Z', body: marker }]), 'issue', 'o/r', trust);
    expect(r.commitment).toBeNull();
  });

  it('release notices: the bot comment with the notify marker, the distinct people it carries', () => {
    const notice = (people: string[]) => `Shipped in v2.\n\ncc ${people.map((p) => `@${p}`).join(' ')}\n\n${renderNotifyMarker({ tag: 'v2', people })}`;
    const r = toRecord(
      node([
        { __typename: 'IssueComment', author: bot, createdAt: '2026-11-24T10:00:00Z', body: notice(['uma', 'Vic', 'UMA']) },
        // The same marker in anyone else's comment is not a notice.
        { __typename: 'IssueComment', author: user('mallory'), createdAt: '2026-11-24T11:00:00Z', body: notice(['x1', 'x2']) },
        // A mention without the marker is not a notice either.
        { __typename: 'IssueComment', author: bot, createdAt: '2026-11-24T12:00:00Z', body: 'cc @someone' },
      ]),
      'issue',
      'o/r',
      trust,
    );
    expect(r.notices).toEqual([{ at: '2026-11-24T10:00:00Z', people: ['uma', 'Vic'] }]);
  });

  it('a GitHub App identity: its comments (GraphQL spells them without [bot]) are trusted, a user of the same name is not', () => {
    const app = { botLogins: ['my-app[bot]'] };
    const body = `Thanks!\n\n${marker}\n${renderNotifyMarker({ tag: 'v2', people: ['uma'] })}`;
    const byApp = toRecord(node([{ __typename: 'IssueComment', author: { __typename: 'Bot', login: 'my-app' }, createdAt: '2026-11-24T10:00:00Z', body }]), 'issue', 'o/r', app);
    expect(byApp.commitment).toEqual({ priority: 'high', due: '2026-11-20', requesters: ['vic', 'gil'] });
    expect(byApp.notices).toEqual([{ at: '2026-11-24T10:00:00Z', people: ['uma'] }]);
    const byUser = toRecord(node([{ __typename: 'IssueComment', author: user('my-app'), createdAt: '2026-11-24T10:00:00Z', body }]), 'issue', 'o/r', app);
    expect(byUser.commitment).toBeNull();
    expect(byUser.notices).toEqual([]);
  });

  it('pull requests: files when all were read, else null; a timeline with more pages is marked incomplete', () => {
    const pr = toRecord(node([], { mergedAt: '2026-11-20T10:00:00Z', state: 'MERGED', files: { totalCount: 2, nodes: [{ path: 'a.md' }, { path: 'b.ts' }] } }), 'pull', 'o/r', trust);
    expect(pr.files).toEqual(['a.md', 'b.ts']);
    expect(pr.mergedAt).toBe('2026-11-20T10:00:00Z');
    const big = toRecord(
      node([], { files: { totalCount: 101, nodes: [{ path: 'a.md' }] }, timelineItems: { totalCount: 300, pageInfo: { hasNextPage: true }, nodes: [] } }),
      'pull',
      'o/r',
      trust,
    );
    expect(big.files).toBeNull();
    expect(big.timelineComplete).toBe(false);
  });
});

describe('the query', () => {
  it('asks only for what is needed, in pages of 100 with 15 pull requests riding along', () => {
    const q = collectQuery({ issues: 100, pulls: 15, releases: true });
    expect(q).toContain('issues(first: 100, after: $after, states: $states, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: ASC })');
    expect(q).toContain('pullRequests(first: 15, after: $pullsAfter, orderBy: { field: UPDATED_AT, direction: DESC })');
    expect(q).toContain('timelineItems(first: 100, itemTypes: [ISSUE_COMMENT, CLOSED_EVENT, REOPENED_EVENT])');
    expect(q).toContain('releases(first: 20');
    expect(collectQuery({ issues: null, pulls: 100, releases: false })).not.toContain('issues(');
    // The token's identity rides along in the first query instead of a query of its own.
    expect(q).not.toContain('viewer');
    expect(collectQuery({ issues: 100, pulls: 15, releases: true, viewer: true })).toContain('viewer { login }');
  });
});

describe('snapshots', () => {
  it('fresh records replace old ones by kind and number', () => {
    const old = { version: 1 as const, repository: 'o/r', since: '2026-11-01T00:00:00Z', items: [item(1, { title: 'old' }), item(2)], releases: [] };
    const merged = mergeSnapshot(old, [item(1, { title: 'new' }), item(1, { kind: 'pull', title: 'pr' })], [], 'o/r', '2026-11-02T00:00:00Z', '2026-09-01T00:00:00Z');
    expect(merged.items.map((i) => [i.kind, i.number, i.title])).toEqual([
      ['issue', 1, 'new'],
      ['pull', 1, 'pr'],
      ['issue', 2, 'Item 2'],
    ]);
    expect(merged.since).toBe('2026-11-02T00:00:00Z');
    expect(merged.windowStart).toBe('2026-09-01T00:00:00Z');
  });

  it('drops what fell out of the window: issues closed and pull requests last updated before its start; open issues stay', () => {
    const closed = { state: 'CLOSED' as const, closedAt: '2026-08-01T00:00:00Z', updatedAt: '2026-08-01T00:00:00Z' };
    const old = {
      version: 1 as const,
      repository: 'o/r',
      since: '2026-11-01T00:00:00Z',
      items: [
        item(1, closed),
        item(2, { updatedAt: '2026-01-01T00:00:00Z' }),
        item(3, { ...closed, updatedAt: '2026-10-01T00:00:00Z' }),
        item(4, { kind: 'pull', ...closed }),
        item(5, { kind: 'pull', updatedAt: '2026-10-01T00:00:00Z' }),
      ],
      releases: [],
    };
    const merged = mergeSnapshot(old, [], [], 'o/r', '2026-11-02T00:00:00Z', '2026-09-01T00:00:00Z');
    expect(merged.items.map((i) => `${i.kind}#${i.number}`)).toEqual(['issue#2', 'issue#3', 'pull#5']);
  });

  describe('the snapshot file', () => {
    const many = Array.from({ length: 2_345 }, (_, n) => item(n + 1, { title: `Item "${n}" ✓\nwith a line break\r\u2028` }));
    const resume = { full: true, since: null, high: '2026-11-01T00:00:00Z', startedAt: null, pass: 1, issuesAfter: 'Y3Vyc29y', pullsAfter: null, pullsDone: false, openTotal: 9, openSeen: 3 };
    const snapshots = [
      mergeSnapshot(null, many, [], 'o/r', '2026-11-02T00:00:00Z', '2026-09-01T00:00:00Z', resume),
      mergeSnapshot(null, [], [], 'o/empty', null, '2026-09-01T00:00:00Z'),
      mergeSnapshot(null, many.slice(0, 1), [], 'o/one', null, '2026-09-01T00:00:00Z'),
    ];
    const withFile = async (test: (path: string) => Promise<void>) => {
      const dir = await mkdtemp(join(tmpdir(), 'kpi-snap-'));
      try {
        await test(join(dir, 'deep', 'snapshot.json'));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };

    it('is the JSON of the whole, a record a line, read back the same', () =>
      withFile(async (path) => {
        await writeSnapshots(path, snapshots);
        const text = await readFile(path, 'utf8');
        expect(JSON.parse(text)).toEqual({ version: 1, snapshots });
        // A line for the file's start, each snapshot's start and end, each record, and the file's end.
        expect(text.split('\n')).toHaveLength(1 + 3 * 2 + many.length + 1 + 1 + 1);
        expect(await readSnapshots(path)).toEqual(snapshots);
      }));

    it('written whole on one line (as before records went a line each), is read the same', () =>
      withFile(async (path) => {
        await writeSnapshots(path, snapshots);
        await writeFile(path, JSON.stringify({ version: 1, snapshots }));
        expect(await readSnapshots(path)).toEqual(snapshots);
      }));

    it("keeps its usable snapshots when one is not (no repository named): only that one's repository is read again", () =>
      withFile(async (path) => {
        await writeSnapshots(path, []);
        await writeFile(path, JSON.stringify({ version: 1, snapshots: [snapshots[1], { ...snapshots[2], repository: undefined }] }));
        expect(await readSnapshots(path)).toEqual([snapshots[1]]);
      }));

    it('with CRLF line ends (copied through Windows), is read the same', () =>
      withFile(async (path) => {
        await writeSnapshots(path, snapshots);
        await writeFile(path, (await readFile(path, 'utf8')).replaceAll('\n', '\r\n'));
        expect(await readSnapshots(path)).toEqual(snapshots);
      }));

    it('cut short, or damaged in a line, counts as no snapshot (the run reads everything)', () =>
      withFile(async (path) => {
        await writeSnapshots(path, snapshots);
        const lines = (await readFile(path, 'utf8')).split('\n');
        await writeFile(path, lines.slice(0, 100).join('\n'));
        expect(await readSnapshots(path)).toEqual([]);
        await writeFile(path, [...lines.slice(0, 50), '{"kind":"issue",', ...lines.slice(51)].join('\n'));
        expect(await readSnapshots(path)).toEqual([]);
        await writeFile(path, [...lines.slice(0, -1), 'more', ''].join('\n'));
        expect(await readSnapshots(path)).toEqual([]);
      }));
  });
});

describe('CODEOWNERS', () => {
  it('patterns become globs', () => {
    expect(codeownersGlobs('*')).toEqual(['**']);
    expect(codeownersGlobs('*.js')).toEqual(['**/*.js']);
    expect(codeownersGlobs('/docs/')).toEqual(['docs/**']);
    expect(codeownersGlobs('docs/')).toEqual(['**/docs/**']); // a directory named docs at any depth
    expect(codeownersGlobs('/src/cli')).toEqual(['src/cli', 'src/cli/**']);
    expect(codeownersGlobs('docs/*')).toEqual(['docs/*']);
  });

  it('rules with owners become areas; e-mails, comments and ownerless rules are skipped', () => {
    // Each area also carries `decides`, the last-matching-line rule (test/codeowners.test.ts).
    expect(parseCodeowners('# owners\n*.md @org/docs  # docs\n/src/cli/ @alice me@example.com\n/vendor/\n')).toMatchObject([
      { name: '*.md', labels: [], paths: ['**/*.md'], owners: ['@org/docs'] },
      { name: '/src/cli/', labels: [], paths: ['src/cli/**'], owners: ['@alice'] },
    ]);
  });
});
