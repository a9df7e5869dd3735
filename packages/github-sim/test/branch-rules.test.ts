import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '../src/index.ts';
import { api } from './helpers.ts';

/**
 * What a repository requires of a branch (rulesets, classic branch protection) and an organization's teams,
 * as GitHub answers them: rules for a branch to anyone who can read the repository; classic protection only
 * to an admin (403 to an app without `administration`, 404 to a person's token without the admin role);
 * a team to an app with the organization's `members` permission.
 */
let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
  const s = sim.store;
  s.addTeam({ org: 'acme', slug: 'docs-team', name: 'Docs team', members: ['alice', 'bob'] });
  s.createRepo({ owner: 'acme', name: 'web', collaborators: { dev: 'write', root: 'admin' } });
  s.addToken('admin-app', 'userloop-app[bot]', { administration: 'read', members: 'read' }, { kind: 'app' });
  s.addToken('dev-pat', 'dev', {}, { kind: 'pat' });
  s.addToken('admin-pat', 'root', {}, { kind: 'pat' });
});
afterAll(async () => {
  await sim.stop();
});

describe('rules for a branch', () => {
  it('lists the rules of active rulesets targeting the branch, with their ruleset', async () => {
    expect((await api(sim, 'GET', '/repos/acme/web/rules/branches/main')).json).toEqual([]);
    const checks = { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'require-docs', integration_id: 15368 }], strict_required_status_checks_policy: false } };
    const ruleset = sim.store.addRuleset('acme/web', { name: 'main', rules: [checks, { type: 'deletion' }] });
    sim.store.addRuleset('acme/web', { name: 'trial', enforcement: 'evaluate', rules: [{ type: 'non_fast_forward' }] });
    sim.store.addRuleset('acme/web', { name: 'releases', include: ['refs/heads/release/*'], rules: [{ type: 'creation' }] });
    const main = await api(sim, 'GET', '/repos/acme/web/rules/branches/main', undefined, 'dev-pat');
    expect(main.status).toBe(200);
    expect(main.json).toEqual([
      { ...checks, ruleset_source_type: 'Repository', ruleset_source: 'acme/web', ruleset_id: ruleset.id },
      { type: 'deletion', ruleset_source_type: 'Repository', ruleset_source: 'acme/web', ruleset_id: ruleset.id },
    ]);
    // The branch need not exist; `*` stops at a slash.
    expect((await api(sim, 'GET', '/repos/acme/web/rules/branches/release%2F1.0')).json.map((r: { type: string }) => r.type)).toEqual(['creation']);
    expect((await api(sim, 'GET', '/repos/acme/web/rules/branches/release%2F1%2Fx')).json).toEqual([]);
    sim.assertClean();
  });
});

describe('classic branch protection', () => {
  const path = '/repos/acme/web/branches/main/protection/required_status_checks';
  it('answers an admin: 404 until protected, 404 without required checks, then the checks', async () => {
    expect((await api(sim, 'GET', path, undefined, 'admin-app')).json.message).toBe('Branch not protected');
    sim.store.protectBranch('acme/web', 'main');
    const none = await api(sim, 'GET', path, undefined, 'admin-pat');
    expect([none.status, none.json.message]).toEqual([404, 'Required status checks not enabled']);
    sim.store.protectBranch('acme/web', 'main', { contexts: ['build'], checks: [{ context: 'require-docs', app_id: 15368 }], strict: true });
    const got = await api(sim, 'GET', path, undefined, 'admin-app');
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ strict: true, contexts: ['build', 'require-docs'], checks: [{ context: 'build', app_id: null }, { context: 'require-docs', app_id: 15368 }] });
    expect(got.json.url).toBe(`${sim.url}${path}`);
    sim.assertClean();
  });

  it('refuses a token that may not administer the repository', async () => {
    const app = await api(sim, 'GET', path);
    expect([app.status, app.json.message]).toEqual([403, 'Resource not accessible by integration']);
    const person = await api(sim, 'GET', path, undefined, 'dev-pat');
    expect([person.status, person.json.message]).toEqual([404, 'Not Found']);
  });
});

describe('a team of an organization', () => {
  it('is found by its slug with the members permission; unknown teams and organizations are 404', async () => {
    const team = await api(sim, 'GET', '/orgs/acme/teams/docs-team', undefined, 'admin-app');
    expect(team.status).toBe(200);
    expect(team.json).toMatchObject({ slug: 'docs-team', name: 'Docs team', members_count: 2, organization: { login: 'acme', type: 'Organization' } });
    expect((await api(sim, 'GET', '/orgs/acme/teams/nobody', undefined, 'admin-app')).status).toBe(404);
    expect((await api(sim, 'GET', '/orgs/ghost-org/teams/docs-team', undefined, 'admin-app')).status).toBe(404);
    expect((await api(sim, 'GET', '/orgs/acme/teams/docs-team', undefined, 'dev-pat')).status).toBe(200);
    const noMembers = await api(sim, 'GET', '/orgs/acme/teams/docs-team');
    expect([noMembers.status, noMembers.json.message]).toEqual([403, 'Resource not accessible by integration']);
    sim.assertClean();
  });
});
