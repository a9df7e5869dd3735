// Path globs for config keys (docs paths, feature paths, naming paths). Matching is Node's own
// `path.matchesGlob` (minimatch semantics: `*` within a segment, `**` across segments, `{a,b}`, `[abc]`,
// dot files only when named); what Node silently accepts but never matches is rejected here up front,
// so a typo in config becomes an annotation instead of a rule that quietly never fires.
import { posix } from 'node:path';

/**
 * Says what is wrong with a glob written in config, or `undefined` when it is fine.
 * A leading `!` (exclusion) is allowed when `allowNegation` is true.
 * @param pattern - the glob as written, e.g. `docs/**` or `!**\/CHANGELOG.md`
 * @param allowNegation - whether a leading `!` is accepted
 * @returns a sentence naming the problem and the fix, or `undefined`
 */
export function globProblem(pattern: string, allowNegation = true): string | undefined {
  if (pattern.trim() === '') return 'a glob cannot be empty';
  if (pattern !== pattern.trim()) return `remove the spaces around ${JSON.stringify(pattern.trim())}`;
  let body = pattern;
  if (body.startsWith('!')) {
    if (!allowNegation) return 'a leading `!` (exclusion) is not allowed here';
    body = body.slice(1);
    if (body === '' || body.startsWith('!')) return 'write one `!` followed by a glob, e.g. `!**/CHANGELOG.md`';
  }
  if (body.startsWith('/') || body.startsWith('./')) {
    return `paths are relative to the repository root: write ${JSON.stringify(body.replace(/^\.?\/+/, ''))}`;
  }
  if (/\\(?![*?[\]{}!()\\])/.test(body)) return `use \`/\` between folders: ${JSON.stringify(body.replace(/\\/g, '/'))}`;
  if (body.endsWith('/')) return `a folder matches no file; write ${JSON.stringify(`${body}**`)}`;
  if (body.split('/').some((segment) => segment.includes('**') && segment !== '**')) {
    return '`**` must be a whole path segment, as in `docs/**` or `**/*.md`';
  }
  let brackets = 0;
  let braces = 0;
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (char === '\\') {
      i += 1;
      continue;
    }
    if (brackets > 0) {
      if (char === ']') brackets = 0;
      continue;
    }
    if (char === '[') brackets = 1;
    else if (char === '{') braces += 1;
    else if (char === '}') {
      braces -= 1;
      if (braces < 0) return 'a `}` has no matching `{`';
    }
  }
  if (brackets > 0) return 'a `[` has no matching `]`';
  if (braces > 0) return 'a `{` has no matching `}`';
  return undefined;
}

/**
 * Builds a matcher from a list of globs: a path matches when it matches at least one plain glob and
 * no `!` glob. Globs must be valid (see {@link globProblem}); an invalid one throws.
 * @param patterns - globs, e.g. `['docs/**', '**\/*.md', '!**\/CHANGELOG.md']`
 * @returns a function telling whether a repository-relative path (`a/b.md`) matches
 */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  for (const pattern of patterns) {
    const problem = globProblem(pattern);
    if (problem !== undefined) throw new Error(`invalid glob ${JSON.stringify(pattern)}: ${problem}`);
  }
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (include.length === 0) return () => false;
  return (path) =>
    include.some((glob) => posix.matchesGlob(path, glob)) && !exclude.some((glob) => posix.matchesGlob(path, glob));
}
