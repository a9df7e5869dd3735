/**
 * Who may do what in the repository: the one read of a person's access, shared by every action that acts
 * only on a maintainer's word (a work-started notice, a `/requested-by` command, a proposed solution).
 *
 * The `author_association` of a payload or a comment is not enough: MEMBER and COLLABORATOR include people
 * with read or triage access only, and an assignment carries no association for the person who assigned.
 */
import { httpStatus } from './errors.ts';
import type { Octokit } from './octokit.ts';

/** The access a person has to the repository, as `GET /repos/{owner}/{repo}/collaborators/{username}/permission` says. */
export type RepositoryPermission = 'admin' | 'write' | 'read' | 'none';

/**
 * A person's access to the repository, with one request (which any token may make). An unknown user (404)
 * has none; a failed read counts as none too, with its message in `error`.
 */
export async function readPermission(
  octokit: Pick<Octokit, 'request'>,
  repository: { owner: string; repo: string },
  username: string,
): Promise<{ permission: RepositoryPermission; error: string | null }> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repository, username });
    return { permission: (data as { permission?: RepositoryPermission }).permission ?? 'none', error: null };
  } catch (error) {
    return { permission: 'none', error: httpStatus(error) === 404 ? null : error instanceof Error ? error.message : String(error) };
  }
}

/** Whether a permission lets a person write: `admin` or `write` (GitHub reports the maintain role as `write`). */
export const canWrite = (permission: RepositoryPermission): boolean => permission === 'admin' || permission === 'write';

/**
 * The author associations of people who belong to the repository (its owner, an organization member, a
 * collaborator): their reply counts as the team's (kpi-report's first response), their "Duplicate of #N" as
 * the team's word, and they pass the free first filter where an act needs write access, which
 * {@link readPermission} then decides (MEMBER and COLLABORATOR include read and triage access too).
 */
export const MEMBER_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** Whether a person may write: `true`/`false`, or `null` when the read failed (`error` says why). */
export interface WriteAccess {
  may: boolean | null;
  error: string | null;
}

/**
 * People's write access as one run learns it: each person's access read once (one request), whoever asks
 * (a `/requested-by` command, a proposed solution) and however many issues the run evaluates.
 */
export class AccessCache {
  private readonly known = new Map<string, Promise<WriteAccess>>();

  constructor(
    private readonly octokit: Pick<Octokit, 'request'>,
    private readonly repository: { owner: string; repo: string },
  ) {}

  /** Whether the run read (or is reading) `login`'s access already. */
  has(login: string): boolean {
    return this.known.has(login.toLowerCase());
  }

  /** `login`'s write access, read once a run. */
  of(login: string): Promise<WriteAccess> {
    const key = login.toLowerCase();
    let access = this.known.get(key);
    if (!access) {
      access = readPermission(this.octokit, this.repository, login).then(({ permission, error }) => ({ may: error ? null : canWrite(permission), error }));
      this.known.set(key, access);
    }
    return access;
  }
}
