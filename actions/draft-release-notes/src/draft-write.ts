// The writes of draft-release-notes: the one draft release created, updated or deleted as planned, and the
// duplicate drafts deleted; a create is settled with core's keepOne, so overlapping runs keep one draft.
import { isGoneError, keepOne, type Octokit } from '@userloop/core';
import type { ReleaseInfo } from '@userloop/core';
import { findOwnDrafts, type ReleasePlan } from './releases.ts';

/** Where and what to write. */
export interface DraftWrite {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** The draft's key (its marker), to find an overlapping run's copy. */
  key: string;
  plan: ReleasePlan;
  /** Our duplicate drafts nobody edited, deleted first. */
  duplicates: readonly ReleaseInfo[];
}

/** The draft written: `lostRace` when an overlapping run created it first and this run's copy was deleted. */
export interface Written {
  id: number;
  html_url: string;
  lostRace: boolean;
}

/** Deletes the duplicates, then writes the plan; `null` when no draft is left or nothing was written. */
export async function writeDraft(w: DraftWrite): Promise<Written | null> {
  for (const duplicate of w.duplicates) await deleteRelease(w, duplicate.id);
  const { octokit, owner, repo, plan, key } = w;
  switch (plan.action) {
    case 'create': {
      const { data } = await octokit.request('POST /repos/{owner}/{repo}/releases', { owner, repo, ...plan.release, draft: true });
      // Two runs (two merges close together) may both have found no draft: look again and keep the oldest.
      const settled = await keepOne<{ id: number; html_url: string }>({
        created: data,
        // Releases are listed newest first: an overlapping run's draft, created moments ago, is on the first page.
        list: async () => findOwnDrafts((await octokit.request('GET /repos/{owner}/{repo}/releases', { owner, repo, per_page: 100 })).data as ReleaseInfo[], key),
        order: (r) => r.id,
        discard: (mine) => deleteRelease(w, mine.id),
        what: `draft release for ${key}`,
      });
      return { id: settled.kept.id, html_url: settled.kept.html_url, lostRace: !settled.won };
    }
    case 'update': {
      // Only our own draft is ever updated (findOwnDrafts), and `draft: true` keeps it a draft.
      const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', { owner, repo, release_id: plan.id, ...plan.release, draft: true });
      return { id: data.id, html_url: data.html_url, lostRace: false };
    }
    case 'delete':
      await deleteRelease(w, plan.id);
      return null;
    case 'unchanged':
    case 'none':
      return null;
  }
}

/** Deletes one of our drafts; a 404 means an overlapping run deleted it already. */
async function deleteRelease({ octokit, owner, repo }: Pick<DraftWrite, 'octokit' | 'owner' | 'repo'>, id: number): Promise<void> {
  try {
    await octokit.request('DELETE /repos/{owner}/{repo}/releases/{release_id}', { owner, repo, release_id: id });
  } catch (error) {
    if (!isGoneError(error)) throw error;
  }
}
