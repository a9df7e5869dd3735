// Which category a merged pull request goes in, whether it is left out, grouped as a bot update or
// breaking, and the version bump the whole release calls for. Pure: plain data in, decisions out.
import { globMatcher, hasBreakingFooter, isBot, maxBump, parseConventionalTitle, type BumpKind, type DraftReleaseNotesConfig, type ReleaseCategory } from '@userloop/core';

/** What categorizing needs to know about a pull request. */
export interface CategorizeInput {
  title: string;
  body: string;
  labels: readonly string[];
  author: { login: string; type: string } | null;
  /** Changed paths (for the `paths` filter). */
  files: readonly string[];
  /** `false` when not every changed path was read (the filter then keeps the pull request). */
  filesComplete: boolean;
}

/** Where a pull request goes. */
export type Placement =
  | { kind: 'excluded'; reason: 'label' | 'paths'; label?: string }
  | { kind: 'bot'; bump: BumpKind }
  | { kind: 'entry'; category: number; breaking: boolean; bump: BumpKind; snippet: boolean };

const norm = (s: string) => s.trim().toLowerCase();

/** `true` when a category has no label, no title type and is not the breaking one: it catches the rest. */
function isCatchAll(c: ReleaseCategory): boolean {
  return c.labels.length === 0 && c['title-types'].length === 0 && !c.breaking;
}

/**
 * Places one pull request. Order of rules: an excluded label leaves it out; a `paths` filter that no changed
 * file matches leaves it out; a bot author groups it (when grouping is on); otherwise the first category whose
 * breaking flag, label or conventional title type matches, else the first catch-all category, else a
 * category index equal to `categories.length` (an implicit "Other"). A breaking change bumps major.
 */
export function placePullRequest(pr: CategorizeInput, config: DraftReleaseNotesConfig, extraBots: readonly string[] = []): Placement {
  const labels = pr.labels.map(norm);
  const excluded = config['exclude-labels'].find((l) => labels.includes(norm(l)));
  if (excluded !== undefined) return { kind: 'excluded', reason: 'label', label: excluded };
  if (config.paths.length > 0 && pr.filesComplete) {
    const matches = globMatcher(config.paths);
    if (!pr.files.some((f) => matches(f))) return { kind: 'excluded', reason: 'paths' };
  }
  const bots = config['group-bots'];
  if (bots.enabled && isBot(pr.author, [...bots.authors, ...extraBots])) return { kind: 'bot', bump: 'patch' };

  const conventional = parseConventionalTitle(pr.title);
  const categories = config.categories;
  const breakingLabel = categories.some((c) => c.breaking && c.labels.some((l) => labels.includes(norm(l))));
  const breaking = (conventional?.breaking ?? false) || hasBreakingFooter(pr.body) || breakingLabel;
  let index = categories.findIndex(
    (c) =>
      (c.breaking && breaking) ||
      c.labels.some((l) => labels.includes(norm(l))) ||
      (conventional !== null && c['title-types'].some((t) => norm(t) === conventional.type)),
  );
  if (index < 0) index = categories.findIndex(isCatchAll);
  if (index < 0) index = categories.length;
  const category = categories[index];
  const bump: BumpKind = breaking ? 'major' : (category?.bump ?? 'patch');
  return { kind: 'entry', category: index, breaking, bump, snippet: category?.snippet ?? false };
}

/** The bump of a release: the largest bump of its placements; `null` when nothing is released. */
export function releaseBump(placements: readonly Placement[]): BumpKind | null {
  let out: BumpKind | null = null;
  for (const p of placements) {
    if (p.kind === 'excluded') continue;
    out = out === null ? p.bump : maxBump(out, p.bump);
  }
  return out;
}
