import { describe, expect, it } from 'vitest';
import { parseConfig } from '@userloop/core';

describe('the kpi-report config section', () => {
  it('an empty file gives safe defaults', () => {
    const { config, errors } = parseConfig('', '.github/userloop.yml');
    expect(errors).toEqual([]);
    expect(config!['kpi-report']).toEqual({
      title: 'KPI report {period}',
      labels: ['kpi-report'],
      'responder-scope': 'anyone',
      'first-response-hours': 48,
      'business-days': true,
      holidays: [],
      'top-requested': 10,
      'trend-periods': 12,
      'import-codeowners': false,
      goals: {},
    });
  });

  it('a misspelt key is an error naming the file, line and key, with the closest valid key', () => {
    const { errors } = parseConfig('kpi-report:\n  goals:\n    overdue: 0\n    comitments-kept: 0.9\n', '.github/userloop.yml');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: '.github/userloop.yml', line: 4, suggestion: 'commitments-kept' });
  });

  it('bad values are errors, never silent defaults', () => {
    const bad = (yaml: string) => parseConfig(`kpi-report:\n${yaml}\n`, '.github/userloop.yml').errors.map((e) => e.key);
    expect(bad("  title: 'Weekly report'")).toEqual(['kpi-report.title']);
    expect(bad('  responder-scope: everyone')).toEqual(['kpi-report.responder-scope']);
    expect(bad('  goals:\n    answered-within-goal: 80')).toEqual(['kpi-report.goals.answered-within-goal']);
    expect(bad("  holidays: ['25/12/2026']")).toEqual(['kpi-report.holidays[0]']);
    // The notice marker is an internal contract between notify-requesters and kpi-report, not a setting.
    expect(bad('  notice-marker: notify')).toEqual(['kpi-report.notice-marker']);
  });
});
