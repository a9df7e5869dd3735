import { describe, expect, it } from 'vitest';
import { requireDocsSection } from '@userloop/core';
import { evaluate, type Evaluation } from '../src/evaluate.ts';
import { headline, markerData, renderComment, renderSummary } from '../src/render.ts';

const config = requireDocsSection.parse(undefined);

/**
 * A checked feature with one rule missing, as the rules find it: the `feature` label, a doc changed (a `|`
 * in its name, for the table), how-to-use off, and the `new-name` label without a naming section.
 */
const base: Evaluation = evaluate(
  {
    title: 'Add search',
    body: null,
    draft: false,
    labels: ['feature', 'new-name'],
    files: [{ filename: 'src/search.ts', status: 'added' }, { filename: 'docs/a|b.md', status: 'added' }],
    changedFiles: 2,
  },
  requireDocsSection.parse({ 'how-to-use': { enabled: false } }),
);

describe('headline', () => {
  it.each([
    [{ ...base }, '❌ Docs check: 1 missing (naming)'],
    [{ ...base, passed: true, missing: [] }, '✅ Docs check: all set'],
    [{ ...base, outcome: 'skipped' as const }, '⏭️ Docs check: skipped'],
    [{ ...base, outcome: 'draft' as const }, '⏸️ Docs check: waiting for ready for review'],
    [{ ...base, outcome: 'not-feature' as const }, '✅ Docs check: not a feature'],
  ])('%#', (e, text) => {
    expect(headline(e)).toBe(text);
  });
});

describe('renderSummary', () => {
  it('a failing check: table with escaped cells, notices, the skip without reason and the comment note', () => {
    const e = { ...base, skipWithoutReason: true, notices: ['This pull request changes 3,001 files; GitHub lists only the first 3,000, so only those were checked.'] };
    expect(renderSummary(e, config, 'The pull request comment was created: https://github.com/o/r/pull/1#issuecomment-1')).toBe(
      [
        '## ❌ Docs check: 1 missing (naming)',
        '',
        'A feature (label `feature`): it ships its doc, a how-to-use snippet for the release notes and, for a new name, a naming review.',
        '',
        '| Rule | Status | Found | What to do |',
        '| - | - | - | - |',
        '| Docs | ✅ done | changes `docs/a\\|b.md` | |',
        '| How to use | ➖ off | turned off in config | |',
        '| Naming | ❌ missing | adds a new name (label `new-name`) but the body has no "Naming" section | Under `## Naming`, write `Chosen: <name>` and list 2 alternatives you considered. |',
        '',
        'The `skip-docs` label is set, but the body has no line `skip-docs: <reason>`, so the rules ran.',
        '',
        '> [!NOTE]',
        '> This pull request changes 3,001 files; GitHub lists only the first 3,000, so only those were checked.',
        '',
        'The pull request comment was created: https://github.com/o/r/pull/1#issuecomment-1',
        '',
      ].join('\n'),
    );
  });

  it('a draft', () => {
    expect(renderSummary({ ...base, outcome: 'draft', rules: [], missing: [], passed: true }, config, '')).toBe(
      '## ⏸️ Docs check: waiting for ready for review\n\nA feature (label `feature`): it ships its doc, a how-to-use snippet for the release notes and, for a new name, a naming review.\n\nDrafts are checked once they are marked ready for review (`skip-drafts` in config).\n',
    );
  });

  it('a docs-only change names the signals it overrode', () => {
    const e: Evaluation = { ...base, outcome: 'not-feature', isFeature: false, notFeatureReason: 'it changes only docs', featureReasons: ['title `feat:`'], rules: [], missing: [], passed: true };
    expect(renderSummary(e, config, '')).toBe('## ✅ Docs check: not a feature\n\nNot a feature: it changes only docs (title `feat:`).\n');
  });

  it('a skip', () => {
    const e: Evaluation = { ...base, outcome: 'skipped', skipped: true, skipReason: 'internal only', rules: [], missing: [], passed: true };
    expect(renderSummary(e, config, '')).toContain('Skipped with the `skip-docs` label. Reason: internal only\n');
  });
});

describe('renderComment', () => {
  it('no longer a feature: says so in one line', () => {
    const e: Evaluation = { ...base, outcome: 'not-feature', isFeature: false, notFeatureReason: 'no feature label, no `feat:` title and no change under feature paths', featureReasons: [], rules: [], missing: [], passed: true };
    expect(renderComment(e, config)).toBe('### ✅ Docs check: not a feature\n\nNot a feature: no feature label, no `feat:` title and no change under feature paths.\n');
  });

  it('all set with nothing required', () => {
    const e: Evaluation = { ...base, passed: true, missing: [], rules: base.rules.map((r) => ({ ...r, status: 'off' as const })) };
    expect(renderComment(e, config)).toBe('### ✅ Docs check: all set\n\nNothing is required for this pull request.\n');
  });

  it('marker data', () => {
    expect(markerData(base)).toEqual({ feature: true, passed: false, missing: ['naming'], skipped: false });
  });
});
