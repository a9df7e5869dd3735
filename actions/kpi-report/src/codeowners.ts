// Optional import of CODEOWNERS into the ownership map: each rule becomes an area named after its pattern,
// whose paths are the pattern as a glob and whose owners are the rule's users and teams (e-mails skipped).
import type { AreaDef } from './compute.ts';

/** Where GitHub looks for CODEOWNERS, in its order. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** A CODEOWNERS pattern (gitignore style) as repository-relative globs. */
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

/** The areas of a CODEOWNERS file (comments, blank lines and rules without owners are skipped). */
export function parseCodeowners(text: string): AreaDef[] {
  const areas: AreaDef[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [pattern, ...rest] = line.split(/\s+/);
    const owners = rest.filter((o) => o.startsWith('@'));
    if (!pattern || owners.length === 0) continue;
    areas.push({ name: pattern, labels: [], paths: codeownersGlobs(pattern), owners });
  }
  return areas;
}
