// Every label a configuration names, in one list: what `userloop doctor` checks in a repository and creates
// with `--fix`. A new label key in a section gets its line here.
import type { Priority } from '../priority.ts';
import type { UserloopConfig } from './schema.ts';

/** One label as it is created: GitHub takes a name, a six-hex-digit colour and a description of at most 100 characters. */
export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

/** The labels one config key names. */
export interface NamedLabels {
  /** The key that names them: `prioritize.labels`, `areas[0].labels`, … */
  key: string;
  /** What they are for, in a few words. */
  purpose: string;
  /**
   * `each`: every one must exist (the actions put them on issues and find issues by them); `one`: any one of
   * them will do (alternatives a person picks from, such as `feature` or `enhancement`), the first is created.
   */
  need: 'each' | 'one';
  labels: LabelSpec[];
}

/** GitHub's longest label description. */
const MAX_DESCRIPTION = 100;

/** The description of each label prioritize sets, by what it marks. */
const PRIORITIZE_LABEL_DESCRIPTIONS: Readonly<Record<Priority | 'needs-info', string>> = {
  'fix-it-now': 'userloop priority: fix it now (today or tomorrow)',
  high: 'userloop priority: high (this week or next)',
  low: 'userloop priority: low (not right away)',
  'needs-info': 'userloop: information we need to debug it is missing',
};

/**
 * A label prioritize sets (a priority, or `needs-info`) as it is created: its configured name and colour
 * (`prioritize.labels`, `prioritize.needs-info-label`, `prioritize.label-colors`) and its description. The one
 * source of these texts: prioritize creates the label on first use, `userloop doctor --fix` ahead of it.
 * @param prioritize - the `prioritize` section (defaults applied)
 * @param which - the priority, or `needs-info`
 */
export function prioritizeLabel(prioritize: UserloopConfig['prioritize'], which: Priority | 'needs-info'): LabelSpec {
  const name = which === 'needs-info' ? prioritize['needs-info-label'] : prioritize.labels[which];
  return { name, color: prioritize['label-colors'][which], description: PRIORITIZE_LABEL_DESCRIPTIONS[which] };
}

/** The colours of GitHub's default labels, kept when one of them is created. */
const GITHUB_COLORS: Readonly<Record<string, string>> = {
  bug: 'd73a4a',
  documentation: '0075ca',
  duplicate: 'cfd3d7',
  enhancement: 'a2eeef',
  'good first issue': '7057ff',
  'help wanted': '008672',
  invalid: 'e4e669',
  question: 'd876e3',
  wontfix: 'ffffff',
};

const cut = (text: string): string => (text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`);

const spec = (name: string, color: string, description: string): LabelSpec => ({
  name,
  color: GITHUB_COLORS[name.toLowerCase()] ?? color,
  description: cut(description),
});

/**
 * Every label `config` names, by the key that names it, with the colour and description to create it with.
 * Keys whose value is empty (`released-label: ""`) or whose feature is off name nothing.
 * @param config - a parsed configuration (defaults applied)
 */
export function labelsNamed(config: UserloopConfig): NamedLabels[] {
  const out: NamedLabels[] = [];
  const add = (key: string, purpose: string, need: NamedLabels['need'], names: readonly string[], color: string, description: string): void => {
    const kept = names.map((n) => n.trim()).filter((n) => n.length > 0);
    if (kept.length > 0) out.push({ key, purpose, need, labels: kept.map((n) => spec(n, color, description)) });
  };
  const p = config.prioritize;
  out.push({
    key: 'prioritize.labels',
    purpose: 'the priority labels prioritize sets',
    need: 'each',
    labels: (['fix-it-now', 'high', 'low'] as const).map((which) => {
      const label = prioritizeLabel(p, which);
      return spec(label.name, label.color, label.description);
    }),
  });
  const info = prioritizeLabel(p, 'needs-info');
  add('prioritize.needs-info-label', 'the label prioritize sets while information is missing', 'each', [info.name], info.color, info.description);
  const signals = p['signal-labels'];
  add('prioritize.signal-labels.blocked', 'a person marks an issue that blocks a user', 'one', signals.blocked, 'b60205', 'userloop: it blocks a user (Fix it now)');
  add('prioritize.signal-labels.new-user', "a person marks an issue that hurts a new user's experience", 'one', signals['new-user'], '0e8a16', "userloop: it hurts a new user's experience");
  add('prioritize.signal-labels.quick', 'a person marks a quick change', 'one', signals.quick, '7057ff', 'userloop: a quick change (under 30 minutes)');
  add('prioritize.signal-labels.big-impact', 'a person marks an issue of big impact', 'one', signals['big-impact'], 'fbca04', 'userloop: big impact (the priority goes up one level)');
  add('prioritize.signal-labels.needs-design', 'a person marks an issue that needs a design first', 'one', signals['needs-design'], 'd4c5f9', 'userloop: needs a design decision before it is built');
  p['required-info'].forEach((rule, i) => {
    add(`prioritize.required-info[${i}].labels`, 'issues whose required information is checked', 'one', rule.labels ?? [], 'ededed', 'userloop: issues checked for the information needed to debug them');
  });
  config.areas.forEach((area, i) => {
    add(`areas[${i}].labels`, `issues and pull requests of the area ${area.name}`, 'one', area.labels, 'c5def5', `userloop area: ${area.name}`);
  });
  const d = config['require-docs'];
  add('require-docs.feature.labels', 'a person marks a feature pull request', 'one', d.feature.labels, 'a2eeef', 'userloop: a feature (ships its docs, how to use and naming)');
  add('require-docs.skip-label', 'a person skips the docs check, with a reason in the body', 'each', [d['skip-label']], 'ededed', `userloop: skip the docs check (say why in the body: "${d['skip-label']}: reason")`);
  if (d.naming.enabled) add('require-docs.naming.labels', 'a person marks a pull request adding a new name', 'one', d.naming.labels, 'f9d0c4', 'userloop: adds a new name or option (naming review)');
  const r = config['draft-release-notes'];
  r.categories.forEach((category, i) => {
    add(`draft-release-notes.categories[${i}].labels`, `pull requests of the release notes' ${category.title}`, 'one', category.labels, 'ededed', `userloop release notes: ${category.title}`);
  });
  add('draft-release-notes.exclude-labels', 'pull requests left out of the release notes', 'one', r['exclude-labels'], 'ededed', 'userloop: left out of the release notes');
  const n = config['notify-requesters'];
  add('notify-requesters.opt-out.label', 'issues whose requesters are never told', 'each', [n['opt-out'].label], 'ededed', 'userloop: no release or work-started notices on this issue');
  add('notify-requesters.released-label', 'notify-requesters marks issues shipped in a release', 'each', [n['released-label']], '0e8a16', 'userloop: shipped in a release');
  if (n['docs-review'].enabled) add('notify-requesters.docs-review.label', "the label of a release's docs-review issue", 'each', [n['docs-review'].label], '0075ca', 'userloop: the docs review of a release');
  add('kpi-report.labels', 'the labels of the KPI report issue', 'each', config['kpi-report'].labels, 'ededed', 'userloop: the weekly KPI report');
  return out;
}
