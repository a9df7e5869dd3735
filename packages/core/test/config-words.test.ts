// A config error in the config's own words: every glob and date checked, numbers with their units and
// bounds, placeholders warned about, every message on its line and in line order.
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '@userloop/core';
import { NUMBER_UNITS, unitKey } from '../src/config/words.ts';
import { dateProblem } from '../src/config/sections/date.ts';

const FILE = '.github/userloop.yml';
const errorsOf = (text: string) => parseConfig(text, FILE).errors.map((e) => [e.line, e.key, e.message]);
const only = (text: string) => {
  const { errors } = parseConfig(text, FILE);
  expect(errors, JSON.stringify(errors)).toHaveLength(1);
  return errors[0]!;
};

describe('every glob key is checked', () => {
  it('a bad glob in areas[].paths is an error on its line, like the other glob keys', () => {
    const error = only('areas:\n  - name: Editor\n    labels: [editor]\n    paths:\n      - "src/editor/**"\n      - "src/{sync"\n');
    expect(error).toMatchObject({ line: 6, column: 9, key: 'areas[0].paths[1]' });
    expect(error.message).toBe('areas[0].paths[1]: invalid glob "src/{sync": a `{` has no matching `}`');
    expect(only('areas:\n  - name: Docs\n    paths: ["/docs/**"]\n').message).toContain('paths are relative to the repository root: write "docs/**"');
    expect(only('areas:\n  - name: Docs\n    paths: ["docs/"]\n').message).toContain('write "docs/**"');
  });

  it('a good one passes, negations included', () => {
    expect(parseConfig('areas:\n  - name: Docs\n    paths: ["docs/**", "**/*.md", "!**/CHANGELOG.md", "src/{a,b}/[abc]*.ts"]\n', FILE).errors).toEqual([]);
  });
});

describe('every date key is a real calendar date', () => {
  it.each([
    ['2026-13-45', '2026-13-45 is not a real date: there is no month 13 (write YYYY-MM-DD, month 01 to 12)'],
    ['2026-02-30', '2026-02-30 is not a real date: February 2026 has 28 days'],
    ['2026-04-31', '2026-04-31 is not a real date: April 2026 has 30 days'],
    ['2026-00-10', '2026-00-10 is not a real date: there is no month 0 (write YYYY-MM-DD, month 01 to 12)'],
    ['25/12/2026', '"25/12/2026" is not a date written YYYY-MM-DD, e.g. 2026-12-25'],
  ])('%s in prioritize.holidays and kpi-report.holidays', (date, message) => {
    expect(errorsOf(`prioritize:\n  holidays: ["2026-12-25", "${date}"]\n`)).toEqual([[2, 'prioritize.holidays[1]', `prioritize.holidays[1]: ${message}`]]);
    expect(errorsOf(`kpi-report:\n  holidays:\n    - "${date}"\n`)).toEqual([[3, 'kpi-report.holidays[0]', `kpi-report.holidays[0]: ${message}`]]);
  });

  it('a leap day is a date in a leap year only', () => {
    expect(dateProblem('2028-02-29')).toBeUndefined();
    expect(dateProblem('2027-02-29')).toBe('2027-02-29 is not a real date: February 2027 has 28 days');
    expect(parseConfig('prioritize:\n  holidays: [2026-12-25, "2026-12-31"]\n', FILE).errors).toEqual([]);
  });
});

describe('numbers say their unit and their bounds', () => {
  it('High promises at least one business day, and no sooner than Fix it now', () => {
    expect(only('prioritize:\n  due-business-days:\n    high: 0\n')).toMatchObject({
      line: 3,
      key: 'prioritize.due-business-days.high',
      message: 'prioritize.due-business-days.high: 0 is too small; write a whole number of business days from 1 to 365',
    });
    expect(only('prioritize:\n  due-business-days:\n    fix-it-now: 3\n    high: 2\n')).toMatchObject({
      line: 4,
      key: 'prioritize.due-business-days.high',
      message: 'prioritize.due-business-days.high: High would be due in 2 business days, before Fix it now (3); give High at least as many days',
    });
    expect(parseConfig('prioritize:\n  due-business-days: { fix-it-now: 2, high: 2 }\n', FILE).errors).toEqual([]);
  });

  it('a share written as a percentage is read back as the fraction to write', () => {
    expect(only('prioritize:\n  duplicates:\n    min-similarity: 80\n').message).toBe(
      'prioritize.duplicates.min-similarity: 80 is not a fraction between 0 and 1; write 0.8 for 80%',
    );
    expect(only('kpi-report:\n  goals:\n    docs-share: 95\n').message).toBe('kpi-report.goals.docs-share: 95 is not a fraction between 0 and 1; write 0.95 for 95%');
    expect(only('kpi-report:\n  goals:\n    commitments-kept: -0.5\n').message).toBe(
      'kpi-report.goals.commitments-kept: -0.5 is too small; write a fraction between 0 and 1 (0.8 for 80%)',
    );
  });

  it('no zod jargon: a fraction of a day, a word for a number, a number too large, each said once', () => {
    const messages = parseConfig(
      [
        'prioritize:',
        '  due-business-days: { fix-it-now: 2.5 }',
        '  remind-days-before: two',
        '  duplicates: { max: 11.5 }',
        'notify-requesters:',
        '  max-writes-per-minute: 100',
        'kpi-report:',
        '  first-response-hours: 0',
        '',
      ].join('\n'),
      FILE,
    ).errors.map((e) => e.message);
    expect(messages).toEqual([
      'prioritize.due-business-days.fix-it-now: 2.5 is not a whole number; write a whole number of business days from 0 to 365',
      'prioritize.remind-days-before: the text "two" is not a number; write a whole number of business days from 0 to 30',
      'prioritize.duplicates.max: 11.5 is not a whole number; write a whole number of issues from 0 to 10',
      'notify-requesters.max-writes-per-minute: 100 is too large; write a whole number of writes from 1 to 80',
      'kpi-report.first-response-hours: 0 is too small; write a number of hours, more than 0',
    ]);
    for (const message of messages) expect(message).not.toMatch(/expected (int|number)|received|Too (big|small)|<=|>=/);
  });

  it('a wrong type names what to write and what was found', () => {
    expect(only('require-docs:\n  docs:\n    globs: "docs/**"\n').message).toBe(
      'require-docs.docs.globs: expected a list (`[a, b]`, or one `- item` per line), found the text "docs/**"',
    );
    expect(only('prioritize:\n  keep-promises: "yes please"\n').message).toBe('prioritize.keep-promises: expected true or false, found the text "yes please"');
    expect(only('draft-release-notes:\n  categories: []\n').message).toBe('draft-release-notes.categories: cannot be empty');
  });

  it('every number key of the schema has its unit', () => {
    const numbers: string[] = [];
    const walk = (schema: unknown, key: string): void => {
      let def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
      while (['default', 'prefault', 'optional', 'nullable', 'pipe'].includes(String(def.type))) {
        def = ((def.innerType ?? def.in) as { _zod: { def: Record<string, unknown> } })._zod.def;
      }
      if (def.type === 'number') numbers.push(key);
      if (def.type === 'object') for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) walk(v, key ? `${key}.${k}` : k);
      if (def.type === 'array') walk(def.element, `${key}[]`);
    };
    walk(configSchema, '');
    expect(numbers.length).toBeGreaterThan(20);
    expect(numbers.filter((k) => NUMBER_UNITS[unitKey(k)] === undefined), 'add the unit to NUMBER_UNITS in packages/core/src/config/words.ts').toEqual([]);
    expect(Object.keys(NUMBER_UNITS).filter((k) => !numbers.includes(k)), 'NUMBER_UNITS names a key the schema no longer has').toEqual([]);
  });
});

describe('every error on its line, in line order, a typo still suggesting the key', () => {
  it('a file with many mistakes lists them by line, each naming its key', () => {
    const text = [
      'areas:', //                               1
      '  - name: Editor', //                     2
      '    lables: [editor]', //                 3  typo
      '    paths: ["src/[editor"]', //           4  bad glob
      'prioritize:', //                          5
      '  holidays: ["2026-13-45"]', //           6  impossible date
      '  due-business-days:', //                 7
      '    high: 0', //                          8  no day at all
      '  duplicates:', //                        9
      '    min-similarity: 80', //               10 a percentage
      'kpi-report:', //                          11
      '  top-requested: 1000', //                12 too many
      '',
    ].join('\n');
    const { errors } = parseConfig(text, FILE);
    expect(errors.map((e) => [e.line, e.key])).toEqual([
      [3, 'areas[0].lables'],
      [4, 'areas[0].paths[0]'],
      [6, 'prioritize.holidays[0]'],
      [8, 'prioritize.due-business-days.high'],
      [10, 'prioritize.duplicates.min-similarity'],
      [12, 'kpi-report.top-requested'],
    ]);
    expect(errors[0]).toMatchObject({ message: "unknown key 'lables' in areas[0]; did you mean 'labels'?", suggestion: 'labels' });
    for (const error of errors.slice(1)) expect(error.message.startsWith(`${error.key}: `), error.message).toBe(true);
    expect(errors[5]?.message).toBe('kpi-report.top-requested: 1000 is too large; write a whole number of issues from 0 to 100');
  });
});

describe('placeholders are warnings', () => {
  it('the owner init writes when it was not told one, a team placeholder and OWNER/NAME: warned on their line, the config still valid', () => {
    const result = parseConfig(
      [
        'areas:',
        '  - name: Editor',
        '    labels: ["area: editor"]',
        '    owners: ["@alice", "@your-login"]',
        '  - name: Sync',
        '    labels: ["area: sync"]',
        '    owners: ["@ORG/TEAM"]',
        'prioritize:',
        '  valued-associations: [OWNER, MEMBER]',
        '  community-hosts: [forum.example.com]',
        '',
      ].join('\n'),
      FILE,
    );
    expect(result.errors).toEqual([]);
    expect(result.config).not.toBeNull();
    expect(result.warnings.map((w) => [w.line, w.key, w.message])).toEqual([
      [4, 'areas[0].owners[1]', 'areas[0].owners[1]: "@your-login" is a placeholder; replace it with the GitHub login of the area\'s owner (`@alice`) or a team (`@org/team`)'],
      [7, 'areas[1].owners[0]', 'areas[1].owners[0]: "@ORG/TEAM" is a placeholder; replace it with the GitHub login of the area\'s owner (`@alice`) or a team (`@org/team`)'],
      [10, 'prioritize.community-hosts[0]', 'prioritize.community-hosts[0]: "forum.example.com" is a placeholder; replace it with the real value'],
    ]);
  });

  it('are warned about next to the errors of a file that does not load', () => {
    const result = parseConfig('areas:\n  - name: Editor\n    owners: ["@your-login"]\n    paths: ["src/{"]\n', FILE);
    expect(result.errors.map((e) => e.key)).toEqual(['areas[0].paths[0]']);
    expect(result.warnings.map((w) => w.key)).toEqual(['areas[0].owners[0]']);
  });
});
