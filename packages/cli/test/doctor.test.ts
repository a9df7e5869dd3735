import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '@userloop/github-sim';
import { initFiles } from '../src/init.ts';
import { cli } from '../src/main.ts';

// A first day: init's files committed to a fresh repository, then `userloop doctor` over HTTP against the
// emulator until the repository is ready.
let sim: Sim;
const savedScale = process.env.USERLOOP_WAIT_SCALE;
const GITHUB_DEFAULT_LABELS = ['bug', 'documentation', 'duplicate', 'enhancement', 'good first issue', 'help wanted', 'invalid', 'question', 'wontfix'];

/** A repository as GitHub creates it, with what `userloop init` wrote committed on main. */
function freshRepository(name: string): void {
  const repo = sim.store.createRepo({ owner: 'acme', name });
  for (const label of GITHUB_DEFAULT_LABELS) sim.store.createLabel(repo, { name: label });
  for (const file of initFiles({ defaultBranch: 'main' })) sim.store.setContent(repo, file.path, file.content);
}

const READY_CONFIG = `areas:
  - name: Core
    labels: ["area: core"]
    owners: ["@alice", "@acme/docs-team"]
  - name: Docs
    labels: ["docs"]
    owners: ["@bob"]
`;

beforeAll(async () => {
  // The client spaces writes a second apart, as GitHub asks; the emulator needs no waiting.
  process.env.USERLOOP_WAIT_SCALE = '0';
  sim = await startSim();
  sim.store.addTeam({ org: 'acme', slug: 'docs-team', members: ['alice', 'bob'] });
  // A repository admin's app token; a token that may write issues but not read branch protection or teams.
  sim.store.addToken('admin-token', 'userloop-setup[bot]', { issues: 'write', contents: 'read', administration: 'read', members: 'read' }, { kind: 'app' });
  sim.store.addToken('issues-token', 'userloop-setup[bot]', { issues: 'write', contents: 'read' }, { kind: 'app' });
  freshRepository('widgets');
  freshRepository('classic');
});
afterAll(async () => {
  if (savedScale === undefined) delete process.env.USERLOOP_WAIT_SCALE;
  else process.env.USERLOOP_WAIT_SCALE = savedScale;
  await sim.stop();
});

async function run(argv: string[], token: string | null = 'admin-token'): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.GITHUB_TOKEN;
  if (token === null) delete process.env.GITHUB_TOKEN;
  else process.env.GITHUB_TOKEN = token;
  try {
    const code = await cli(argv, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    if (saved === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = saved;
  }
}

const doctor = (repo: string, ...more: string[]) => ['doctor', '--repo', `acme/${repo}`, '--api', sim.url, ...more];
const labelsOf = (repo: string) => [...sim.store.repo('acme', repo)!.labels.values()];

describe('userloop doctor', () => {
  it('on a fresh repository after init: lists the missing labels, the missing required check and the placeholder owners, and writes nothing', async () => {
    sim.resetCounters();
    const result = await run(doctor('widgets'));
    expect(result.code).toBe(1);
    expect(sim.counters.writes).toBe(0);
    expect(result.out).toContain('✓ .github/userloop.yml: valid');
    expect(result.out).toContain('✗ prioritize.labels: missing "priority: fix it now", "priority: high", "priority: low"');
    expect(result.out).toContain('→ --fix creates "priority: fix it now", "priority: high", "priority: low"');
    expect(result.out).toContain('✗ require-docs.skip-label: missing "skip-docs"');
    expect(result.out).toContain('✗ areas[0].labels: none of "area: core" exists');
    // GitHub's own labels count: `enhancement` is a feature label, `bug` the bug form's label.
    expect(result.out).toContain('✓ require-docs.feature.labels: "feature", "enhancement" (one of them is enough)');
    expect(result.out).toContain('✓ .github/ISSUE_TEMPLATE/bug.yml: "bug"');
    for (const name of ['prioritize', 'require-docs', 'draft-release-notes', 'notify-requesters', 'kpi-report']) {
      expect(result.out).toContain(`✓ .github/workflows/userloop-${name}.yml: as \`userloop init\` writes it, userloop at v1`);
    }
    expect(result.out).toContain('✗ require-docs: not a required status check on main (no ruleset requires it; branch not protected)');
    expect(result.out).toContain('✗ @your-login: a placeholder (areas[0].owners[0], areas[1].owners[0])');
    expect(result.out).toMatch(/Not ready: \d+ problem\(s\)\./);
    expect(result.out).toContain('`userloop doctor --fix` would create the missing labels');
    sim.assertClean();
  });

  it('--fix creates the missing labels, once, with their colours and descriptions', async () => {
    const before = labelsOf('widgets').length;
    const fixed = await run(doctor('widgets', '--fix'));
    expect(fixed.err).toContain('creating');
    expect(fixed.out).toContain('✓ prioritize.labels: "priority: fix it now", "priority: high", "priority: low"; created');
    // What the repository holds now, read through the API.
    const res = await fetch(`${sim.url}/repos/acme/widgets/labels?per_page=100`, { headers: { authorization: 'token admin-token' } });
    const labels = (await res.json()) as Array<{ name: string; color: string; description: string | null }>;
    const byName = new Map(labels.map((l) => [l.name, l]));
    expect(byName.get('priority: high')).toMatchObject({ color: 'fbca04', description: 'userloop priority: high (this week or next)' });
    expect(byName.get('needs info')?.color).toBe('d876e3');
    for (const name of ['priority: fix it now', 'priority: low', 'skip-docs', 'new-name', 'area: core', 'docs-review', 'kpi-report', 'no-notify', 'blocker', 'skip-changelog']) {
      expect(byName.has(name), name).toBe(true);
    }
    // One of a list is enough: `feature` is not created next to GitHub's `enhancement`, nor `fix` next to `bug`.
    expect(byName.has('feature')).toBe(false);
    expect(byName.has('fix')).toBe(false);
    const createdCount = Number(/Created (\d+) label/.exec(fixed.out)?.[1]);
    expect(createdCount).toBeGreaterThan(10);
    expect(labels.length - before).toBe(createdCount);
    // The labels are no longer a problem; the required check and the owners still are.
    expect(fixed.out).not.toMatch(/✗ [^\n]*labels/);
    expect(fixed.out).toContain('✗ require-docs: not a required status check');
    expect(fixed.code).toBe(1);
    // A second --fix has nothing to create.
    const again = await run(doctor('widgets', '--fix'));
    expect(again.out).toContain('Created no label.');
    expect(labelsOf('widgets').length).toBe(labels.length);
    sim.assertClean();
  });

  it('calls the repository ready once require-docs is a required check and the owners are real', async () => {
    sim.store.setContent('acme/widgets', '.github/userloop.yml', READY_CONFIG);
    sim.store.addRuleset('acme/widgets', {
      name: 'main',
      rules: [{ type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'require-docs', integration_id: 15368 }], strict_required_status_checks_policy: false } }],
    });
    const result = await run(doctor('widgets'));
    expect(result.out).toContain('✓ require-docs: a required status check on main (ruleset');
    expect(result.out).toContain('✓ @alice: a GitHub user (areas[0].owners[0])');
    expect(result.out).toContain('✓ @acme/docs-team: a team of acme (areas[0].owners[1])');
    expect(result.out).toContain('Ready: every check passed.');
    expect(result.out).not.toMatch(/^\s+[✗?]/m);
    expect(result.code).toBe(0);

    const json = await run(doctor('widgets', '--json'));
    const data = JSON.parse(json.out) as { repository: string; defaultBranch: string; ready: boolean; checks: Array<{ section: string; status: string; subject: string }> };
    expect(data).toMatchObject({ repository: 'acme/widgets', defaultBranch: 'main', ready: true });
    expect(new Set(data.checks.map((c) => c.section))).toEqual(new Set(['config', 'labels', 'workflows', 'required-check', 'owners']));
    expect(json.code).toBe(0);
    sim.assertClean();
  });

  it('flags owners who do not exist, an organization named as a person, and a team that is not there', async () => {
    sim.store.setContent('acme/widgets', '.github/userloop.yml', `${READY_CONFIG}  - name: Other\n    owners: ["@ghost-person", "@acme", "@acme/nobody"]\n`);
    const result = await run(doctor('widgets'));
    expect(result.out).toContain('✗ @ghost-person: no such GitHub user (areas[2].owners[0])');
    expect(result.out).toContain('✗ @acme: is an organization, not a person (areas[2].owners[1])');
    expect(result.out).toContain('✗ @acme/nobody: no team nobody in acme, or one the token cannot see (areas[2].owners[2])');
    expect(result.code).toBe(1);
    sim.store.setContent('acme/widgets', '.github/userloop.yml', READY_CONFIG);
  });

  it('says what a token without admin rights could not check, with the reason, and does not call it ready', async () => {
    sim.store.setContent('acme/classic', '.github/userloop.yml', READY_CONFIG);
    sim.store.protectBranch('acme/classic', 'main', { checks: [{ context: 'require-docs', app_id: 15368 }] });
    expect((await run(doctor('classic', '--fix'))).code).toBe(0);
    expect((await run(doctor('classic'))).out).toContain('✓ require-docs: a required status check on main (branch protection)');

    const weak = await run(doctor('classic'), 'issues-token');
    expect(weak.out).toContain(
      '? require-docs: no ruleset of main requires it, and the token cannot read its branch protection (HTTP 403: Resource not accessible by integration)',
    );
    expect(weak.out).toContain('→ run again with a token of a repository admin');
    expect(weak.out).toContain("? @acme/docs-team: could not be checked (HTTP 403: Resource not accessible by integration); reading a team needs a token with the organization's Members read");
    expect(weak.out).toContain('Not ready: 2 check(s) the token could not make.');
    expect(weak.out).toContain('Could not check: require-docs, @acme/docs-team');
    expect(weak.code).toBe(1);
    sim.assertClean();
  });

  it('finds a workflow that lost an event or a permission, and one at another ref than --ref', async () => {
    const path = '.github/workflows/userloop-require-docs.yml';
    const original = sim.store.getContent('acme/classic', path)!;
    sim.store.setContent('acme/classic', path, original.replace(/ {2}merge_group:\n {4}types: \[checks_requested\]\n/, '').replace('pull-requests: write', 'pull-requests: read'));
    const edited = await run(doctor('classic'));
    expect(edited.out).toContain(`✗ ${path}: userloop at v1, but no \`merge_group\` event; \`permissions: pull-requests: write\` missing (has read)`);
    expect(edited.code).toBe(1);
    // A comment of the team's own is kept: same events and permissions.
    sim.store.setContent('acme/classic', path, `${original}# reviewed by the platform team\n`);
    expect((await run(doctor('classic'))).out).toContain(`✓ ${path}: userloop at v1, with init's events and permissions (edited since init; your changes are kept)`);
    const pinned = await run(doctor('classic', '--ref', 'main'));
    expect(pinned.out).toContain(`✗ ${path}: runs userloop at v1, not at main`);
    expect(pinned.out).toContain('→ rewrite it with `userloop init --ref main --force`');
    sim.store.setContent('acme/classic', path, original);
  });

  it('reports a missing config and reads a local one with --config', async () => {
    sim.store.createRepo({ owner: 'acme', name: 'bare' });
    const bare = await run(doctor('bare'));
    expect(bare.out).toContain('✗ .github/userloop.yml: missing');
    expect(bare.out).toContain('✗ .github/workflows/userloop-prioritize.yml: missing on main');
    // Without a config the defaults still name labels.
    expect(bare.out).toContain('✗ prioritize.labels: missing');
    expect(bare.code).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'userloop-doctor-'));
    writeFileSync(join(dir, 'userloop.yml'), 'areas:\n  - name: Core\n    owners: ["@nobody-at-all"]\n');
    const local = await run(doctor('bare', '--config', join(dir, 'userloop.yml')));
    expect(local.out).toContain(`✓ ${join(dir, 'userloop.yml')}: valid`);
    expect(local.out).toContain('✗ @nobody-at-all: no such GitHub user (areas[0].owners[0])');
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, 'areas:\n  - name: Core\n    ownrs: ["@alice"]\n');
    const invalid = await run(doctor('bare', '--config', broken));
    expect(invalid.out).toMatch(/✗ .*broken\.yml: .*ownrs/);
    // Labels and owners wait for a valid config; workflows and the required check are still checked.
    expect(invalid.out).not.toContain('Labels');
    expect(invalid.out).toContain('Workflows');
    expect(invalid.code).toBe(1);
    expect((await run(doctor('bare', '--config', join(dir, 'none.yml')))).code).toBe(2);
  });

  it('--fix with a token that may not write issues says so on each label line', async () => {
    sim.store.addToken('read-token', 'reader', { issues: 'read', contents: 'read' }, { kind: 'app' });
    const result = await run(doctor('bare', '--fix'), 'read-token');
    expect(result.out).toContain('✗ prioritize.labels: missing "priority: fix it now", "priority: high", "priority: low"');
    expect(result.out).toContain('→ could not create "priority: fix it now", "priority: high", "priority: low" (HTTP 403: Resource not accessible by integration); the token needs `issues: write`');
    expect(result.out).toContain('Created no label.');
    expect(labelsOf('bare')).toEqual([]);
    expect(result.code).toBe(1);
  });

  it('says what is wrong with the command line', async () => {
    expect((await run(['doctor'])).code).toBe(2);
    expect((await run(['doctor', '--repo', 'acme'])).err).toBe("userloop: --repo must be OWNER/NAME, got 'acme'");
    const noToken = await run(doctor('widgets'), null);
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('userloop: set GITHUB_TOKEN');
    expect((await run(doctor('widgets', '--ref', 'a..b'))).code).toBe(2);
    const missing = await run(doctor('nothing-here'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('acme/nothing-here: not found, or the token cannot see it');
    const help = await run(['doctor', '--help']);
    expect(help.out).toContain('Usage: userloop doctor --repo OWNER/NAME [--fix]');
    expect((await run(['--help'])).out).toMatch(/\n {2}doctor +check a repository/);
  });
});
