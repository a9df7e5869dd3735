// Needs design, the pure decisions: whose areas the issue is in, when the checklist is posted or calls the
// owners in, and its text.
import { describe, expect, it } from 'vitest';
import { areaOwners, planDesign } from '../src/design.ts';
import { designWithOwners, renderDesign } from '../src/render.ts';
import { configFrom, prioritizeConfig } from './helpers.ts';

const AREAS = configFrom('areas:\n  - name: Export\n    labels: [export]\n    owners: ["@ana", "@acme/export-team"]\n  - name: Docs\n    labels: [docs]\n    owners: ["@ana", "@dan"]\n').areas;
const DESIGN = prioritizeConfig()['needs-design'];

describe('area owners', () => {
  it('the owners of every area whose labels the issue carries, once each, any case', () => {
    expect(areaOwners(['Export', 'docs'], AREAS)).toEqual(['@ana', '@acme/export-team', '@dan']);
    expect(areaOwners(['bug'], AREAS)).toEqual([]);
  });
});

describe('the checklist write', () => {
  const base = { needsDesign: 'needs design', enabled: true, owners: ['@ana', '@acme/export-team'], existing: null };

  it('posted once the issue needs a design; naming the owners only when it is Fix it now', () => {
    expect(planDesign({ ...base, priority: 'high' })).toEqual({ write: 'create', urgent: false, owners: [], added: [], assign: [] });
    expect(planDesign({ ...base, priority: 'fix-it-now' })).toEqual({ write: 'create', urgent: true, owners: ['@ana', '@acme/export-team'], added: ['@ana', '@acme/export-team'], assign: [] });
  });

  it('nothing without the label, when turned off, or once posted', () => {
    expect(planDesign({ ...base, needsDesign: null, priority: 'fix-it-now' }).write).toBe('none');
    expect(planDesign({ ...base, enabled: false, priority: 'fix-it-now' }).write).toBe('none');
    expect(planDesign({ ...base, priority: 'low', existing: { owners: [] } }).write).toBe('none');
    expect(planDesign({ ...base, priority: 'fix-it-now', existing: { owners: ['@ANA', '@acme/export-team'] } }).write).toBe('none');
  });

  it('becoming Fix it now after it was posted: the owners not named yet are added, the users among them assigned', () => {
    expect(planDesign({ ...base, priority: 'fix-it-now', existing: { owners: [] } })).toEqual({
      write: 'call-owners',
      urgent: true,
      owners: ['@ana', '@acme/export-team'],
      added: ['@ana', '@acme/export-team'],
      assign: ['ana'],
    });
    expect(planDesign({ ...base, priority: 'fix-it-now', existing: { owners: ['@acme/export-team'] } })).toMatchObject({ added: ['@ana'], owners: ['@acme/export-team', '@ana'], assign: ['ana'] });
  });
});

describe('the checklist text', () => {
  it('root cause, prior art with pros and cons, approaches with pseudo code, the fit with the product', () => {
    const text = renderDesign({ urgent: false, owners: [] }, DESIGN);
    for (const part of ['**Root cause**', 'pros and cons', 'pseudo code', 'rest of the product']) expect(text).toContain(part);
    expect(text).not.toContain('@');
  });

  it('Fix it now: the owners mentioned, or said that no area names one', () => {
    expect(renderDesign({ urgent: true, owners: ['@ana', '@acme/export-team'] }, DESIGN)).toContain(
      'This is **Fix it now**, so the decision must not hold it up: @ana, @acme/export-team, you own this area, please make the call.',
    );
    expect(renderDesign({ urgent: true, owners: [] }, DESIGN)).toContain('no area of its labels names an owner');
  });

  it('the team’s template; the owners added below a posted checklist, which is kept as it was (ticks included)', () => {
    const config = prioritizeConfig('prioritize:\n  needs-design:\n    checklist: "- [ ] Why?"\n    owners: "Owners: {owners}"\n')['needs-design'];
    expect(renderDesign({ urgent: true, owners: ['@dan'] }, config)).toBe('- [ ] Why?\n\nOwners: @dan\n');
    const posted = '- [x] Why?\n\n<!-- userloop:prioritize-design {"owners":[]} -->';
    expect(designWithOwners(posted, ['@dan'], config)).toBe('- [x] Why?\n\nOwners: @dan\n');
  });

  it('a placeholder the key does not offer is a config error', () => {
    expect(() => prioritizeConfig('prioritize:\n  needs-design:\n    owners: "{owner}"\n')).toThrow(/owners/);
  });
});
