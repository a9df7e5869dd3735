// Path globs for config keys (docs paths, feature paths, naming paths): `*` within a segment, `**`
// across segments, `{a,b}`, `[abc]` and `[!abc]`, `\` escaping the next character, dot files only when
// named, and `folder/**` matching what is inside the folder, not the folder itself. Matching is
// picomatch's, on every Node version (Node's own `path.matchesGlob` is missing before 20.17 and
// experimental, with a warning, after); what a matcher silently accepts but never matches is rejected
// here up front, so a typo in config becomes an annotation instead of a rule that quietly never fires.
import picomatch from 'picomatch';

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
  const compile = (glob: string): ((path: string) => boolean) => picomatch(toPicomatch(glob), { windows: false });
  const include = patterns.filter((p) => !p.startsWith('!')).map(compile);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => compile(p.slice(1)));
  if (include.length === 0) return () => false;
  return (path) => include.some((match) => match(path)) && !exclude.some((match) => match(path));
}

/**
 * Rewrites a valid glob where picomatch reads it differently from the semantics above: `[!a]` is
 * written `[^a]` (and starting a segment, it leaves out a leading dot), a parenthesis that does not open an extglob (`@(`, `!(`, `?(`, `+(`, `*(`) is a
 * literal character, and a trailing `/**` matches only what is inside the folder.
 */
function toPicomatch(glob: string): string {
  let out = '';
  const parens: boolean[] = [];
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (char === '\\') {
      out += char + (glob[i + 1] ?? '');
      i += 1;
    } else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      const body = glob.slice(i + 1, end === -1 ? undefined : end);
      // A negated class at the start of a segment does not match a dot file's leading dot either.
      const atStart = i === 0 || glob[i - 1] === '/';
      out += body.startsWith('!') || body.startsWith('^') ? `[^${body.slice(1)}${atStart ? '.' : ''}]` : `[${body}]`;
      i = end === -1 ? glob.length : end;
    } else if (char === '(') {
      const extglob = i > 0 && '@!?+*'.includes(glob[i - 1] ?? '');
      parens.push(extglob);
      out += extglob ? char : '\\(';
    } else if (char === ')') {
      out += parens.pop() === true ? char : '\\)';
    } else {
      out += char;
    }
  }
  return out === '**' || !out.endsWith('/**') ? out : `${out}/*`;
}
