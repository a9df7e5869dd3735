// What an error thrown by a request says: its HTTP status, and whether the item is gone.

/** The HTTP status an error carries (Octokit's `RequestError.status`), or `undefined` for any other error. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * True for GitHub's refusal to write on a locked conversation: a 403 whose own message says locked (the
 * message only, not the request's URL, which may name a repository called `locked`).
 */
export function isLockedError(error: unknown): boolean {
  return httpStatus(error) === 403 && error instanceof Error && /locked/i.test(error.message);
}

/** True for an error whose HTTP status says the item is not there (404) or was deleted (410). */
export function isGoneError(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 404 || status === 410;
}
