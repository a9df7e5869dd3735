// Seeds the emulator with the hand-computed dataset (the subset GitHub can express: issues, comments,
// closes and reopens at given times, the prioritize bot comment with its marker, merged pull requests
// with files, releases, release notices).
import { renderPrioritizeMarker, type Priority } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';
// notify-requesters' own renderer: if the notice it writes and the one kpi-report reads drift apart, the
// hand-computed numbers (5 people notified) no longer come out.
import { renderReleaseNotice } from '../../notify-requesters/src/render.ts';

export const OWNER = 'octo-org';
export const NAME = 'octo-repo';
export const FULL = `${OWNER}/${NAME}`;

type Store = Sim['store'];

function at(store: Store, iso: string): void {
  store.now = new Date(iso);
}

/** The prioritize bot comment, as prioritize writes it. */
export function prioritizeComment(store: Store, repo: string, number: number, when: string, priority: Priority, due: string | null, requesters: string[]): void {
  const marker = renderPrioritizeMarker({
    priority,
    path: [],
    due,
    ledger: { requesters: requesters.map((login) => ({ login, via: 'author' as const })), places: [] },
  });
  store.createComment(repo, number, { body: `Thanks! Priority: ${priority}.\n\n${marker}`, created_at: when });
}

/** A release notice, exactly as notify-requesters writes it. */
function releaseNotice(store: Store, repo: string, number: number, when: string, tag: string, people: string[]): void {
  const body = renderReleaseNotice({
    tag,
    version: tag.replace(/^v/, ''),
    releaseName: tag,
    releaseUrl: `https://github.com/${repo}/releases/tag/${tag}`,
    upgradeHint: '',
    pullRequests: [],
    people,
    first: true,
  });
  store.createComment(repo, number, { body, created_at: when });
}

function comment(store: Store, repo: string, number: number, user: string, when: string, association?: 'MEMBER' | 'NONE'): void {
  store.createComment(repo, number, { body: 'A reply.', user, created_at: when, ...(association ? { author_association: association } : {}) });
}

function close(store: Store, repo: string, number: number, when: string, reason: 'completed' | 'not_planned' | 'duplicate' = 'completed'): void {
  at(store, when);
  store.closeIssue(repo, number, 'alice', reason);
}

/** The dataset of dataset.ts, seeded through the store (same numbers, minus the items GitHub cannot hold). */
export function seedDataset(sim: Sim, repo = FULL): void {
  const s = sim.store;
  if (!s.repo(repo)) {
    const [owner, name] = repo.split('/');
    s.createRepo({ owner: { login: owner ?? OWNER, type: 'Organization' }, name: name ?? NAME, collaborators: { alice: 'write' } });
  }
  s.addUser({ login: 'dependabot[bot]', type: 'Bot' });
  s.addUser({ login: 'renovate[bot]', type: 'Bot' });
  const issue = (number: number, user: string, created: string, labels: string[] = [], title = `Item ${number}`) =>
    s.createIssue(repo, { number, title, user, created_at: created, labels, author_association: 'NONE' });

  issue(1, 'uma', '2026-11-16T09:00:00Z', ['area: cli']);
  prioritizeComment(s, repo, 1, '2026-11-16T09:00:30Z', 'fix-it-now', '2026-11-17', ['uma', 'vic', 'wes']);
  comment(s, repo, 1, 'alice', '2026-11-16T11:00:00Z', 'MEMBER');
  close(s, repo, 1, '2026-11-17T09:00:00Z');
  releaseNotice(s, repo, 1, '2026-11-19T11:00:00Z', 'v1.2.0', ['uma', 'vic', 'wes']);

  issue(2, 'vic', '2026-11-20T16:00:00Z', ['area: cli']);
  prioritizeComment(s, repo, 2, '2026-11-20T16:00:30Z', 'high', '2026-11-20', ['vic', 'helper-bot', 'gil']);
  comment(s, repo, 2, 'dora', '2026-11-23T10:00:00Z');

  issue(3, 'wes', '2026-11-10T12:00:00Z', ['priority: low']);
  comment(s, repo, 3, 'helper-bot', '2026-11-10T13:00:00Z');
  comment(s, repo, 3, 'wes', '2026-11-10T14:00:00Z');
  comment(s, repo, 3, 'xena', '2026-11-12T12:00:00Z');

  issue(4, 'yan', '2026-11-18T10:00:00Z', ['area: cli', 'priority: high']);

  issue(5, 'zed', '2026-11-02T09:00:00Z', ['area: cli']);
  prioritizeComment(s, repo, 5, '2026-11-02T09:00:30Z', 'low', null, ['zed', 'amy']);
  comment(s, repo, 5, 'alice', '2026-11-02T10:00:00Z', 'MEMBER');
  close(s, repo, 5, '2026-11-05T09:00:00Z');
  at(s, '2026-11-17T09:00:00Z');
  s.reopenIssue(repo, 5, 'zed');
  close(s, repo, 5, '2026-11-19T09:00:00Z');
  releaseNotice(s, repo, 5, '2026-11-19T11:00:00Z', 'v1.2.0', ['zed', 'amy', 'Uma']);

  issue(6, 'amy', '2026-11-17T09:00:00Z');
  close(s, repo, 6, '2026-11-18T09:00:00Z', 'not_planned');

  issue(7, 'dependabot[bot]', '2026-11-17T09:00:00Z');

  issue(8, 'ben', '2026-11-03T10:00:00Z', ['area: docs']);
  prioritizeComment(s, repo, 8, '2026-11-03T10:00:30Z', 'high', '2026-11-13', ['ben']);
  comment(s, repo, 8, 'dora', '2026-11-03T11:00:00Z');

  issue(9, 'cat', '2026-11-16T00:00:00Z');
  comment(s, repo, 9, 'dan', '2026-11-16T06:00:00Z');
  close(s, repo, 9, '2026-11-20T12:00:00Z', 'duplicate');

  issue(10, 'eve', '2026-11-22T23:59:59Z');
  issue(11, 'fay', '2026-11-23T00:00:00Z');

  const pull = (number: number, user: string, title: string, created: string, merged: string, files: string[], labels: string[] = []) => {
    s.createPull(repo, { number, title, user, created_at: created, labels, files: files.map((filename) => ({ filename })), author_association: 'NONE' });
    at(s, merged);
    s.mergePull(repo, number, 'alice');
  };
  pull(20, 'gil', 'feat(cli): add --json', '2026-11-17T09:00:00Z', '2026-11-18T12:00:00Z', ['src/cli/json.ts', 'docs/cli.md']);
  comment(s, repo, 20, 'alice', '2026-11-17T10:00:00Z', 'MEMBER');
  pull(21, 'hal', 'Add a flag', '2026-11-19T08:00:00Z', '2026-11-19T10:00:00Z', ['src/x.ts'], ['enhancement', 'skip-docs']);
  pull(22, 'renovate[bot]', 'chore(deps): bump x', '2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z', ['package.json']);
  pull(23, 'ivy', 'fix: typo', '2026-11-09T10:00:00Z', '2026-11-10T10:00:00Z', ['README.md']);

  s.createRelease(repo, { tag_name: 'v1.1.0', name: 'v1.1.0', created_at: '2026-11-11T10:00:00Z', published_at: '2026-11-11T10:00:00Z' });
  s.createRelease(repo, { tag_name: 'v1.2.0', name: 'v1.2.0', created_at: '2026-11-19T10:00:00Z', published_at: '2026-11-19T10:00:00Z' });
  s.createRelease(repo, { tag_name: 'v1.3.0', name: 'v1.3.0', draft: true, created_at: '2026-11-20T10:00:00Z' });
  at(s, '2026-11-23T06:00:00Z');
}

/** The config of the hand computation, as YAML. */
export const CONFIG_YAML = `areas:
  - name: CLI
    labels: ['area: cli']
    paths: ['src/cli/**']
    owners: ['@alice']
  - name: Docs
    labels: ['area: docs']
    owners: ['@org/docs-team']
bots: [helper-bot]
kpi-report:
  first-response-hours: 24
  top-requested: 3
  trend-periods: 3
  goals:
    first-response-median-hours: 8
    answered-within-goal: 0.7
    overdue: 0
`;
