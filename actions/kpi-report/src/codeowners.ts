// Optional import of CODEOWNERS into the ownership map: each rule with owners becomes an area named after its
// pattern, whose owners are the rule's users and teams (e-mails skipped). Which area a changed file counts for
// is GitHub's rule: the last line of CODEOWNERS whose pattern matches the file decides its owners, a line
// without owners included (it leaves the file with none). Patterns are gitignore's (the `ignore` package)
// with GitHub's exceptions: paths are case-sensitive, `docs/*` matches only the files directly in `docs`, and
// a line using `!` negation, a `[ ]` range or `\#` for a leading `#` is not valid there: GitHub skips it.
import ignore from 'ignore';
import type { AreaDef } from './compute.ts';

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** A CODEOWNERS pattern (gitignore style) as repository-relative globs: the area's `paths` as the config would write them. */
export function codeownersGlobs(pattern: string): string[] {
  let p = pattern.trim();
  const anchored = p.startsWith('/');
  p = p.replace(/^\/+/, '');
  if (p === '' || p === '*') return ['**'];
  const dir = p.endsWith('/');
  p = p.replace(/\/+$/, '');
  // Without a slash inside, a pattern matches at any depth (`*.js`, `docs`).
  if (!anchored && !p.includes('/')) p = `**/${p}`;
  // A directory matches everything under it; a plain name may be a file or a directory.
  if (dir) return [`${p}/**`];
  if (!/[*?[]/.test(p.split('/').pop() ?? '')) return [p, `${p}/**`];
  return [p];
}

/** Whether GitHub accepts a pattern: not a `!` negation, no `[ ]` range, no `\#` escape (all valid in gitignore). */
function validPattern(pattern: string): boolean {
  return !pattern.startsWith('!') && !pattern.startsWith('\\#') && !/(^|[^\\])\[/.test(pattern);
}

/** Tells whether a valid CODEOWNERS pattern matches a repository-relative file path. */
function patternMatcher(pattern: string): (path: string) => boolean {
  const rules = ignore({ ignorecase: false }).add(pattern);
  const matches = (path: string): boolean => ignore.isPathValid(path) && rules.ignores(path);
  // gitignore's `docs/*` also matches `docs/a/b.md` (its folder `docs/a` matches); GitHub's only the files
  // directly in `docs`. A pattern without `**` ending in `/*` matches paths of exactly its depth.
  if (!pattern.endsWith('/*') || pattern.split('/').includes('**')) return matches;
  const depth = pattern.replace(/^\//, '').split('/').length;
  return (path) => path.split('/').length === depth && matches(path);
}

interface Rule {
  pattern: string;
  owners: string[];
  matches: (path: string) => boolean;
}

/**
 * The areas of a CODEOWNERS file: one per rule with owners (comments, blank lines, lines GitHub skips and
 * rules without owners are not areas; a rule whose pattern a later line repeats never decides and is left
 * out). Each area's `decides` tells whether its rule is the last line matching a file.
 */
export function parseCodeowners(text: string): AreaDef[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [pattern, ...rest] = line.split(/\s+/);
    if (!pattern || !validPattern(pattern)) continue;
    rules.push({ pattern, owners: rest.filter((o) => o.startsWith('@')), matches: patternMatcher(pattern) });
  }
  const deciding = new Map<string, number>();
  /** The index of the rule that decides a file's owners (the last one matching it), -1 when none does. */
  const decider = (path: string): number => {
    let index = deciding.get(path);
    if (index === undefined) {
      index = rules.findLastIndex((rule) => rule.matches(path));
      deciding.set(path, index);
    }
    return index;
  };
  return rules.flatMap((rule, index): AreaDef[] => {
    if (rule.owners.length === 0 || rules.some((later, j) => j > index && later.pattern === rule.pattern)) return [];
    return [{ name: rule.pattern, labels: [], paths: codeownersGlobs(rule.pattern), owners: rule.owners, decides: (path) => decider(path) === index }];
  });
}
