// An open issue prioritize already answered, seeded in the emulator: its reply promises a date to the reporter
// and the others who asked (the keep-promises tests against main and the bundled action).
import { hasMarker, type PrioritizeMarkerData, renderPrioritizeMarker, renderPrioritizeSeen } from '@userloop/core';
import type { Sim } from '@userloop/github-sim';

/** The token's account in the emulator, author of the replies. */
export const BOT = 'github-actions[bot]';

/** Opens an issue of `user` in `repo` with prioritize's reply promising `due` to them and `others`; its number. */
export function promised(
  sim: Sim,
  repo: string,
  user: string,
  due: string | null,
  opts: { priority?: PrioritizeMarkerData['priority']; others?: string[]; assignees?: string[]; labels?: string[] } = {},
): number {
  const issue = sim.store.createIssue(repo, { title: `Export problem of ${user}`, body: 'The export fails.', user, assignees: opts.assignees ?? [], labels: opts.labels ?? [] });
  const url = `https://github.com/${repo}/issues/${issue.number}`;
  const requesters = [{ login: user, via: 'author' as const, url }, ...(opts.others ?? []).map((login) => ({ login, via: 'comment' as const }))];
  const marker = renderPrioritizeMarker({
    priority: opts.priority ?? (due ? 'high' : 'low'),
    path: ['blocked:no', 'new-user:no', 'quick:yes'],
    due,
    ledger: { requesters, places: [{ kind: 'issue', url, number: issue.number }] },
  });
  sim.store.createComment(repo, issue.number, { body: `${renderPrioritizeSeen({ thumbsUp: 0, duplicateEvents: 0 })}\n**Priority: High.**\n\n${marker}` });
  return issue.number;
}

/** The comments of ours on issue `n` that carry a `kind` marker. */
export function ours(sim: Sim, repo: string, n: number, kind: string) {
  return sim.store.commentsOf(repo, n).filter((c) => c.user === BOT && hasMarker(c.body, kind));
}
