// Releases as the REST API gives them, and GitHub's limit on their bodies.

/** GitHub's limit on a release body, in characters. */
export const RELEASE_BODY_LIMIT = 125_000;

/** A release as `GET /repos/{owner}/{repo}/releases` gives it (the fields the actions use). */
export interface ReleaseInfo {
  id: number;
  tag_name: string;
  name: string | null;
  body?: string | null | undefined;
  draft: boolean;
  prerelease: boolean;
  target_commitish: string;
  html_url: string;
  published_at: string | null;
  created_at?: string | undefined;
}
