/** An error a resolver raises, reported with GitHub's `type` (NOT_FOUND, FORBIDDEN, UNPROCESSABLE, ...). */
export class GithubFieldError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}
