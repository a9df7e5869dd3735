import { describe, expect, it } from 'vitest';
import { defaultConfig, labelsNamed, parseConfig, prioritizeLabel, requireValidConfig } from '../src/index.ts';

const names = (config = defaultConfig()) => Object.fromEntries(labelsNamed(config).map((g) => [g.key, g.labels.map((l) => l.name)]));

describe('labelsNamed', () => {
  it('lists every label key of the default config, with what each needs', () => {
    const groups = labelsNamed(defaultConfig());
    expect(names()).toEqual({
      'prioritize.labels': ['priority: fix it now', 'priority: high', 'priority: low'],
      'prioritize.needs-info-label': ['needs info'],
      'prioritize.signal-labels.blocked': ['blocker'],
      'prioritize.signal-labels.new-user': ['new user', 'onboarding'],
      'prioritize.signal-labels.quick': ['quick fix', 'good first issue'],
      'prioritize.signal-labels.big-impact': ['big impact'],
      'prioritize.signal-labels.needs-design': ['needs design'],
      'require-docs.feature.labels': ['feature', 'enhancement'],
      'require-docs.skip-label': ['skip-docs'],
      'require-docs.naming.labels': ['new-name'],
      'draft-release-notes.categories[0].labels': ['breaking', 'breaking-change'],
      'draft-release-notes.categories[1].labels': ['feature', 'enhancement'],
      'draft-release-notes.categories[2].labels': ['bug', 'fix'],
      'draft-release-notes.categories[3].labels': ['documentation', 'docs'],
      'draft-release-notes.exclude-labels': ['skip-changelog'],
      'notify-requesters.opt-out.label': ['no-notify'],
      'notify-requesters.docs-review.label': ['docs-review'],
      'kpi-report.labels': ['kpi-report'],
    });
    expect(groups.find((g) => g.key === 'prioritize.labels')?.need).toBe('each');
    expect(groups.find((g) => g.key === 'require-docs.feature.labels')?.need).toBe('one');
    for (const label of groups.flatMap((g) => g.labels)) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/);
      expect(label.description.length).toBeGreaterThan(0);
      expect(label.description.length).toBeLessThanOrEqual(100);
    }
    // The priority colours are the config's; GitHub's default labels keep GitHub's colours.
    expect(groups.find((g) => g.key === 'prioritize.labels')?.labels[0]).toEqual({ name: 'priority: fix it now', color: 'b60205', description: 'userloop priority: fix it now (today or tomorrow)' });
    expect(groups.flatMap((g) => g.labels).find((l) => l.name === 'bug')?.color).toBe('d73a4a');
  });

  it('follows the config: area labels, renamed labels, empty and disabled keys name nothing', () => {
    const config = requireValidConfig(
      parseConfig(
        [
          'areas:',
          `  - { name: "${'Editor '.repeat(20)}", labels: ["area: editor"], owners: ["@alice"] }`,
          'prioritize:',
          '  labels: { high: "P1" }',
          '  signal-labels: { big-impact: [] }',
          '  required-info: [{ labels: [bug], fields: [steps] }]',
          'require-docs: { naming: { enabled: false }, skip-label: no-docs }',
          'notify-requesters: { released-label: released, opt-out: { label: "" }, docs-review: { enabled: false } }',
          'kpi-report: { labels: [kpi, report] }',
        ].join('\n'),
      ),
    );
    const got = names(config);
    expect(got['areas[0].labels']).toEqual(['area: editor']);
    expect(got['prioritize.labels']).toEqual(['priority: fix it now', 'P1', 'priority: low']);
    expect(got['prioritize.required-info[0].labels']).toEqual(['bug']);
    expect(got['require-docs.skip-label']).toEqual(['no-docs']);
    expect(got['notify-requesters.released-label']).toEqual(['released']);
    expect(got['kpi-report.labels']).toEqual(['kpi', 'report']);
    for (const gone of ['prioritize.signal-labels.big-impact', 'require-docs.naming.labels', 'notify-requesters.opt-out.label', 'notify-requesters.docs-review.label']) expect(got).not.toHaveProperty(gone);
    const area = labelsNamed(config).find((g) => g.key === 'areas[0].labels')!;
    expect(area.labels[0]!.description.length).toBe(100);
    expect(area.labels[0]!.description.startsWith('userloop area: Editor Editor')).toBe(true);
  });

  it("prioritize's labels: one source of their names, colours and descriptions, the one doctor --fix creates them from", () => {
    const config = requireValidConfig(parseConfig('prioritize:\n  labels: { high: "P1" }\n  needs-info-label: "more info"\n  label-colors: { high: "123abc" }\n'));
    expect(prioritizeLabel(config.prioritize, 'high')).toEqual({ name: 'P1', color: '123abc', description: 'userloop priority: high (this week or next)' });
    expect(prioritizeLabel(config.prioritize, 'low')).toEqual({ name: 'priority: low', color: config.prioritize['label-colors'].low, description: 'userloop priority: low (not right away)' });
    expect(prioritizeLabel(config.prioritize, 'needs-info')).toEqual({ name: 'more info', color: 'd876e3', description: 'userloop: information we need to debug it is missing' });
    const groups = labelsNamed(config);
    expect(groups.find((g) => g.key === 'prioritize.labels')?.labels).toEqual((['fix-it-now', 'high', 'low'] as const).map((p) => prioritizeLabel(config.prioritize, p)));
    expect(groups.find((g) => g.key === 'prioritize.needs-info-label')?.labels).toEqual([prioritizeLabel(config.prioritize, 'needs-info')]);
  });
});
