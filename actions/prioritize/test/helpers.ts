import { defaultConfig, type Ledger, parseConfig, type PrioritizeConfig, type PrioritizeMarkerData, type UserloopConfig } from '@userloop/core';
import type { IssueRead } from '../src/read.ts';

export const ISSUE_URL = 'https://github.com/octo/repo/issues/7';

/** The full config with `prioritize` overrides written as YAML (so keys are checked like a user's file). */
export function configFrom(yaml = ''): UserloopConfig {
  if (!yaml) return defaultConfig();
  const result = parseConfig(yaml, '.github/userloop.yml');
  if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
  return result.config!;
}

export function prioritizeConfig(yaml = ''): PrioritizeConfig {
  return configFrom(yaml).prioritize;
}

/** A read of issue #7 by alice with nothing else, overridable. */
export function makeRead(over: Partial<IssueRead> & { body?: string; title?: string; association?: string } = {}): IssueRead {
  const { body, title, association, ...rest } = over;
  return {
    viewerLogin: 'github-actions[bot]',
    repository: 'octo/repo',
    existingLabels: [],
    issue: {
      number: 7,
      url: ISSUE_URL,
      title: title ?? 'Export to CSV drops the last row',
      body: body ?? 'When I export, the last row is missing.',
      createdAt: '2024-01-01T10:00:00Z',
      author: { login: 'alice', type: 'User' },
      state: 'OPEN',
      stateReason: null,
      authorAssociation: association ?? 'NONE',
    },
    labels: [],
    comments: [],
    commentsTruncated: false,
    reactions: [],
    labelEvents: [],
    duplicates: [],
    crossReferences: [],
    duplicateOf: null,
    thumbsUp: 0,
    duplicateEvents: 0,
    recentIssues: [],
    openIssueCount: 0,
    searchedIssues: [],
    ...rest,
  };
}

/** The ledger of {@link makeRead}'s issue as its first evaluation records it: alice, who opened it. */
export function aliceLedger(): Ledger {
  return { requesters: [{ login: 'alice', via: 'author', url: ISSUE_URL, at: '2024-01-01T10:00:00Z' }], places: [{ kind: 'issue', url: ISSUE_URL, number: 7 }] };
}

/** The marker of {@link makeRead}'s issue after its first evaluation: Low, nobody else asked. */
export function lowMarker(): PrioritizeMarkerData {
  return { priority: 'low', path: ['blocked:no', 'new-user:no', 'quick:no', 'brought-up-before:no'], due: null, ledger: aliceLedger() };
}

export const user = (login: string) => ({ login, type: 'User' });

export function comment(login: string, body: string, extra: Partial<{ id: number; association: string; at: string; byViewer: boolean }> = {}) {
  return {
    id: extra.id ?? 100,
    url: `${ISSUE_URL}#issuecomment-${extra.id ?? 100}`,
    body,
    createdAt: extra.at ?? '2024-01-02T10:00:00Z',
    author: login.endsWith('[bot]') ? { login, type: 'Bot' } : user(login),
    authorAssociation: extra.association ?? 'NONE',
    byViewer: extra.byViewer ?? false,
  };
}

/** Wednesday 2024-01-03, 12:00 UTC. */
export const NOW = new Date('2024-01-03T12:00:00Z');
