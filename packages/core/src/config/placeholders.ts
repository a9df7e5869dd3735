// Placeholders: values `userloop init` (or an example) writes where it does not know the real one. They are
// valid, so the config loads, but a run with one left mentions nobody real: check-config and the actions warn.

/** The owner `userloop init` writes for an area whose owner it was not told (`--areas Editor=@alice`). */
export const PLACEHOLDER_OWNER = '@your-login';

/** What an area's owner must be instead of a placeholder. */
export const OWNER_WANTED = 'the GitHub login of the area\'s owner (`@alice`) or a team (`@org/team`)';

/**
 * Words that mark a placeholder: `@your-login`, `your-org/your-team`, `OWNER/NAME`, `@OWNER`, `@ORG/TEAM`,
 * `example.com`. A bare `OWNER` is a real value (an author association), so it is not one.
 */
const PLACEHOLDER_PATTERN = /\byour-[a-z]+\b|\bOWNER\/NAME\b|@(?:OWNER|ORG)(?:\/[A-Z]+)?\b|\bexample\.(?:com|org)\b/;

/**
 * The placeholder in a value written in config, or `undefined` when there is none.
 * @param value - a string value of the config
 */
export function placeholderIn(value: string): string | undefined {
  return PLACEHOLDER_PATTERN.exec(value)?.[0];
}

/**
 * The warning for a placeholder left at `key`.
 * @param key - the key path (`areas[0].owners[0]`)
 * @param value - the value written there
 */
export function placeholderWarning(key: string, value: string): string {
  const what = /^areas\[\d+\]\.owners\[\d+\]$/.test(key) ? OWNER_WANTED : 'the real value';
  return `${key}: ${JSON.stringify(value)} is a placeholder; replace it with ${what}`;
}
