// One template syntax (`{name}`) everywhere, and unknown placeholders caught when the config is read.
import { describe, expect, it } from 'vitest';
import { defaultConfig, fillTemplate, parseConfig, templatePlaceholders } from '../src/index.ts';

const FILE = '.github/userloop.yml';

describe('fillTemplate', () => {
  it('fills {name} placeholders, names with dashes included', () => {
    expect(fillTemplate('{people} in {place-list}: {people}', { people: '2 people', 'place-list': '#1, #2' })).toBe('2 people in #1, #2: 2 people');
  });

  it('leaves an unknown placeholder visible instead of dropping it', () => {
    expect(fillTemplate('npm i pkg@{version} {other}', { version: '1.0.0' })).toBe('npm i pkg@1.0.0 {other}');
  });

  it('does not re-expand placeholders that appear in inserted values', () => {
    expect(fillTemplate('{a} {b}', { a: '{b}', b: 'x' })).toBe('{b} x');
  });

  it('leaves braces that are not placeholders alone', () => {
    expect(fillTemplate('`{ "a": 1 }` {} {1}', {})).toBe('`{ "a": 1 }` {} {1}');
  });

  it('lists the placeholders of a template', () => {
    expect(templatePlaceholders('{a} {b-c} {a} { d } {{e}}')).toEqual(['a', 'b-c', 'e']);
  });
});

describe('template keys in the config', () => {
  it('every default template uses only its declared placeholders (and the one syntax)', () => {
    const c = defaultConfig();
    for (const t of Object.values(c.prioritize.templates)) expect(t).not.toMatch(/\{\{/);
    expect(c.prioritize.templates.ledger).toBe('Brought up by {people} in {places}: {requesters}.');
  });

  it('reports an unknown placeholder with file, line, key and the closest valid placeholder', () => {
    const text = ['prioritize:', '  templates:', "    ledger: 'Brought up by {peple} in {places}.'", ''].join('\n');
    const { errors } = parseConfig(text, FILE);
    expect(errors).toEqual([
      {
        file: FILE,
        line: 3,
        column: 13,
        key: 'prioritize.templates.ledger',
        message: "prioritize.templates.ledger: unknown placeholder '{peple}'; did you mean '{people}'? Valid placeholders: {people}, {places}, {requesters}, {place-list}",
        suggestion: '{people}',
      },
    ]);
  });

  it.each([
    ['draft-release-notes', "  release-name: 'Release {tga}'", 'draft-release-notes.release-name', '{tag}'],
    ['notify-requesters', "  upgrade-hint: 'npm i x@{verison}'", 'notify-requesters.upgrade-hint', '{version}'],
    ['notify-requesters', "  docs-review:\n    title: 'Docs {nmae}'", 'notify-requesters.docs-review.title', '{name}'],
    ['kpi-report', "  title: 'KPI {period} {perod}'", 'kpi-report.title', '{period}'],
  ])('checks %s (%s)', (section, yaml, key, suggestion) => {
    const { errors } = parseConfig(`${section}:\n${yaml}\n`, FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ key, suggestion, line: 2 + yaml.split('\n').length - 1 });
  });

  it('an old double-brace placeholder is an error that names the single-brace form', () => {
    const { errors } = parseConfig("prioritize:\n  templates:\n    changed: 'Changed: {{changes}}'\n", FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ key: 'prioritize.templates.changed', line: 3, suggestion: '{changes}' });
    expect(errors[0]!.message).toContain("'{{changes}}'");
  });

  it('a placeholder with no close match lists the valid ones without a suggestion', () => {
    const { errors } = parseConfig("prioritize:\n  templates:\n    duplicates: 'See {whatever}'\n", FILE);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.suggestion).toBeUndefined();
    expect(errors[0]!.message).toBe("prioritize.templates.duplicates: unknown placeholder '{whatever}'. Valid placeholders: {list}");
  });

  it('valid templates parse', () => {
    const { errors, config } = parseConfig("prioritize:\n  templates:\n    changed: 'Now: {changes}'\nkpi-report:\n  title: 'Report {period}'\n", FILE);
    expect(errors).toEqual([]);
    expect(config!.prioritize.templates.changed).toBe('Now: {changes}');
  });
});
