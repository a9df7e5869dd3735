// Actions artifacts on the emulated platform: what upload-artifact keeps, as the REST API lists it (validated
// against GitHub's description), its expiry on the store clock, the actions permission, and download-artifact
// reading another run's artifact with run-id and github-token as the real action does.
import { describe, expect, it } from 'vitest';
import { createPlatform, startSim, type Platform, type PlatformRun, type Sim } from '../src/index.ts';
import { cleanUpAfterTest, makeCheckout } from './platform-helpers.ts';

const REPO = 'octo/app';
const DAY = 24 * 60 * 60 * 1000;

async function setup(workflows: Record<string, string>, repo: { private?: boolean } = {}): Promise<{ sim: Sim; platform: Platform }> {
  const sim = await startSim({ validateResponses: true });
  sim.store.createRepo({ owner: 'octo', name: 'app', private: repo.private ?? false, collaborators: { maria: 'write' } });
  sim.store.now = new Date('2026-03-02T07:00:00Z');
  const checkout = makeCheckout([], Object.fromEntries(Object.entries(workflows).map(([name, text]) => [`.github/workflows/${name}`, text])));
  const platform = createPlatform({ sim, repository: REPO, checkout });
  cleanUpAfterTest(sim, platform, checkout);
  return { sim, platform };
}

/** Uploads `snapshot-<run id>` as `snapshot` (and a 3-day `records-<job index>`), then lists artifacts with its token. */
const UPLOAD = `name: upload
on:
  workflow_dispatch:
  pull_request:
permissions:
  contents: read
  actions: read
jobs:
  keep:
    runs-on: ubuntu-latest
    steps:
      - run: |
          mkdir -p .kpi/deep
          echo "snapshot-$GITHUB_RUN_ID" > .kpi/snapshot.json
          echo "nested" > .kpi/deep/extra.txt
      - id: up
        uses: actions/upload-artifact@v4
        with:
          name: snapshot
          path: .kpi/snapshot.json
      - uses: actions/upload-artifact@v4
        with:
          name: records-\${{ strategy.job-index }}
          path: |
            .kpi/snapshot.json
            .kpi/deep
          retention-days: 3
    outputs:
      id: \${{ steps.up.outputs.artifact-id }}
      url: \${{ steps.up.outputs.artifact-url }}
`;

/** Downloads from run `run-id` with the job's token; `perm` is the job's actions permission. */
const download = (perm: 'read' | 'none', withInputs: string): string => `name: download
on:
  workflow_dispatch:
    inputs:
      run-id:
        type: string
        required: true
      name:
        type: string
        default: ''
permissions:
  contents: read
  actions: ${perm}
jobs:
  get:
    runs-on: ubuntu-latest
    steps:
      - id: dl
        uses: actions/download-artifact@v4
        with:
          run-id: \${{ inputs.run-id }}
          github-token: \${{ github.token }}
${withInputs}
      - run: find got -type f | sort | while read -r f; do echo "$f=$(cat "$f")"; done >> "$GITHUB_STEP_SUMMARY"
`;

const summary = (run: PlatformRun, job: string): string => run.jobs.find((j) => j.id === job)?.summary.trim() ?? '';
const errors = (run: PlatformRun): string[] => run.jobs.flatMap((j) => j.annotations.filter((a) => a.level === 'error').map((a) => a.message));

/** An artifact as the REST API shows it (the fields these tests read). */
interface ArtifactJson {
  id: number;
  name: string;
  expired: boolean;
  expires_at: string;
  digest: string;
  workflow_run: { id: number; repository_id: number; head_repository_id: number; head_branch: string };
}

/** The answers these tests read: a list, one artifact, or an error. */
type Answer = ArtifactJson & { total_count: number; artifacts: ArtifactJson[]; message: string };

async function api(sim: Sim, route: string, token = 'test-token'): Promise<{ status: number; body: Answer; headers: Headers }> {
  const res = await fetch(`${sim.url}${route}`, { redirect: 'manual', headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer) : ({} as Answer), headers: res.headers };
}

describe('platform: artifacts in the REST API', () => {
  it('upload-artifact keeps an artifact of the run that the API lists newest first, by name, per page, by run and by id', async () => {
    const { sim, platform } = await setup({ 'upload.yml': UPLOAD });
    const first = platform.dispatch('upload.yml');
    await platform.settle();
    sim.store.advance(DAY);
    const second = platform.dispatch('upload.yml');
    await platform.settle();
    expect([first.conclusion, second.conclusion]).toEqual(['success', 'success']);
    const repoId = sim.store.mustRepo(REPO).id;

    const all = await api(sim, `/repos/${REPO}/actions/artifacts`);
    expect(all.status).toBe(200);
    expect(all.body.total_count).toBe(4);
    expect(all.body.artifacts.map((a) => `${a.name}@${a.workflow_run.id}`)).toEqual([`records-0@${second.id}`, `snapshot@${second.id}`, `records-0@${first.id}`, `snapshot@${first.id}`]);

    const named = await api(sim, `/repos/${REPO}/actions/artifacts?name=snapshot&per_page=20`);
    expect(named.body.total_count).toBe(2);
    const [newest, older] = named.body.artifacts as [ArtifactJson, ArtifactJson];
    const id = Number(second.jobs[0]?.outputs.id);
    expect(newest).toEqual({
      id,
      node_id: expect.any(String),
      name: 'snapshot',
      size_in_bytes: Buffer.byteLength(`snapshot-${second.id}\n`),
      url: `${sim.url}/repos/${REPO}/actions/artifacts/${id}`,
      archive_download_url: `${sim.url}/repos/${REPO}/actions/artifacts/${id}/zip`,
      expired: false,
      created_at: '2026-03-03T07:00:00Z',
      expires_at: '2026-06-01T07:00:00Z', // 90 days
      updated_at: '2026-03-03T07:00:00Z',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      workflow_run: { id: second.id, repository_id: repoId, head_repository_id: repoId, head_branch: 'main', head_sha: sim.store.mustRepo(REPO).refs.get('refs/heads/main') },
    });
    expect(second.jobs[0]?.outputs.url).toBe(`https://github.com/${REPO}/actions/runs/${second.id}/artifacts/${id}`);
    expect(older.workflow_run.id).toBe(first.id);
    expect(older.digest).not.toBe(newest.digest);

    // Pages, with GitHub's Link header.
    const page2 = await api(sim, `/repos/${REPO}/actions/artifacts?per_page=3&page=2`);
    expect(page2.body.total_count).toBe(4);
    expect(page2.body.artifacts.map((a) => a.workflow_run.id)).toEqual([first.id]);
    expect(page2.headers.get('link')).toContain('rel="prev"');

    // One run's artifacts (newest first unless direction=asc) and one artifact by id.
    const ofRun = await api(sim, `/repos/${REPO}/actions/runs/${first.id}/artifacts`);
    expect(ofRun.body.artifacts.map((a) => a.name)).toEqual(['records-0', 'snapshot']);
    const asc = await api(sim, `/repos/${REPO}/actions/runs/${first.id}/artifacts?direction=asc&name=records-0`);
    expect(asc.body.artifacts.map((a) => a.name)).toEqual(['records-0']);
    expect((await api(sim, `/repos/${REPO}/actions/runs/999/artifacts`)).body).toEqual({ total_count: 0, artifacts: [] });
    expect((await api(sim, `/repos/${REPO}/actions/artifacts/${id}`)).body).toEqual(newest);
    expect((await api(sim, `/repos/${REPO}/actions/artifacts/424242`)).status).toBe(404);
    const zip = await api(sim, `/repos/${REPO}/actions/artifacts/${id}/zip`);
    expect(zip.status).toBe(302);
    expect(zip.headers.get('location')).toBeTruthy();
    sim.assertClean();
  });

  it('expiry follows the store clock: retention-days, then expired: true and the archive gone (410)', async () => {
    const { sim, platform } = await setup({ 'upload.yml': UPLOAD });
    const run = platform.dispatch('upload.yml');
    await platform.settle();
    const records = (await api(sim, `/repos/${REPO}/actions/artifacts?name=records-0`)).body.artifacts[0] as ArtifactJson;
    expect(records.expires_at).toBe('2026-03-05T07:00:00Z'); // retention-days: 3
    expect(records.expired).toBe(false);
    sim.store.advance(3 * DAY);
    const later = (await api(sim, `/repos/${REPO}/actions/runs/${run.id}/artifacts`)).body.artifacts;
    expect(later.map((a) => [a.name, a.expired])).toEqual([
      ['records-0', true],
      ['snapshot', false],
    ]);
    expect((await api(sim, `/repos/${REPO}/actions/artifacts/${records.id}/zip`)).status).toBe(410);
    sim.assertClean();
  });

  it("a fork's pull request run records the fork as the head repository", async () => {
    const { sim, platform } = await setup({ 'upload.yml': UPLOAD });
    platform.openPullRequest({ user: 'eve', head: 'patch-1', title: 'A fix', fork: true });
    await platform.settle();
    const artifact = (await api(sim, `/repos/${REPO}/actions/artifacts?name=snapshot`)).body.artifacts[0] as ArtifactJson;
    expect(artifact.workflow_run.repository_id).toBe(sim.store.mustRepo(REPO).id);
    expect(artifact.workflow_run.head_repository_id).toBe(sim.store.mustRepo('eve/app').id);
    expect(artifact.workflow_run.head_repository_id).not.toBe(artifact.workflow_run.repository_id);
    expect(artifact.workflow_run.head_branch).toBe('patch-1');
    sim.assertClean();
  });

  it('in a private repository the routes need actions: read (403 without it), as GitHub answers an integration', async () => {
    const { sim, platform } = await setup({ 'upload.yml': UPLOAD }, { private: true });
    const run = platform.dispatch('upload.yml');
    await platform.settle();
    expect(run.conclusion).toBe('success');
    sim.store.addToken('ghs_without', 'github-actions[bot]', { metadata: 'read', contents: 'read' }, { kind: 'github-token', repository: REPO });
    sim.store.addToken('ghs_with', 'github-actions[bot]', { metadata: 'read', actions: 'read' }, { kind: 'github-token', repository: REPO });
    for (const route of [`/repos/${REPO}/actions/artifacts`, `/repos/${REPO}/actions/runs/${run.id}/artifacts`]) {
      const denied = await api(sim, route, 'ghs_without');
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe('Resource not accessible by integration');
      expect((await api(sim, route, 'ghs_with')).status).toBe(200);
    }
    sim.assertClean();
  });
});

describe('platform: download-artifact from another run (run-id, github-token)', () => {
  it('downloads the named artifact of an earlier run; a pattern puts each in its own directory unless merge-multiple', async () => {
    const { sim, platform } = await setup({
      'upload.yml': UPLOAD,
      'by-name.yml': download('read', '          name: ${{ inputs.name }}\n          path: got'),
      'by-pattern.yml': download('read', '          pattern: "*"\n          path: got'),
      'merged.yml': download('read', "          pattern: 'records-*'\n          merge-multiple: true\n          path: got"),
    });
    const up = platform.dispatch('upload.yml');
    await platform.settle();
    sim.store.advance(2 * DAY); // records-0 is kept 3 days
    const byName = platform.dispatch('by-name.yml', { 'run-id': String(up.id), name: 'snapshot' });
    const byPattern = platform.dispatch('by-pattern.yml', { 'run-id': String(up.id) });
    const merged = platform.dispatch('merged.yml', { 'run-id': String(up.id) });
    await platform.settle();
    expect(describe3(byName, byPattern, merged)).toEqual(['success', 'success', 'success']);
    expect(summary(byName, 'get')).toBe(`got/snapshot.json=snapshot-${up.id}`);
    // records-0 was uploaded from .kpi/snapshot.json and .kpi/deep: their common root .kpi is stripped.
    expect(summary(byPattern, 'get').split('\n')).toEqual([`got/records-0/deep/extra.txt=nested`, `got/records-0/snapshot.json=snapshot-${up.id}`, `got/snapshot/snapshot.json=snapshot-${up.id}`]);
    expect(summary(merged, 'get').split('\n')).toEqual([`got/deep/extra.txt=nested`, `got/snapshot.json=snapshot-${up.id}`]);
    expect(byName.jobs[0]?.steps.find((s) => s.id === 'dl')?.outputs['download-path']).toMatch(/\/got$/);
    sim.assertClean();
  });

  it('fails like the real action: a missing name, an expired artifact, a token without actions: read in a private repository', async () => {
    const { sim, platform } = await setup(
      {
        'upload.yml': UPLOAD,
        'by-name.yml': download('read', '          name: ${{ inputs.name }}\n          path: got'),
        'no-scope.yml': download('none', '          name: ${{ inputs.name }}\n          path: got'),
      },
      { private: true },
    );
    const up = platform.dispatch('upload.yml');
    await platform.settle();
    const missing = platform.dispatch('by-name.yml', { 'run-id': String(up.id), name: 'nope' });
    const noScope = platform.dispatch('no-scope.yml', { 'run-id': String(up.id), name: 'snapshot' });
    await platform.settle();
    expect(missing.conclusion).toBe('failure');
    expect(errors(missing)[0]).toMatch(/^Unable to download artifact\(s\): Artifact not found for name: nope/);
    expect(noScope.conclusion).toBe('failure');
    expect(errors(noScope)).toContain('Unable to download artifact(s): Resource not accessible by integration');

    sim.store.advance(3 * DAY);
    const expired = platform.dispatch('by-name.yml', { 'run-id': String(up.id), name: 'records-0' });
    const kept = platform.dispatch('by-name.yml', { 'run-id': String(up.id), name: 'snapshot' });
    await platform.settle();
    expect(expired.conclusion).toBe('failure');
    expect(errors(expired)).toContain('Unable to download artifact(s): Artifact has expired');
    expect(kept.conclusion).toBe('success');
    expect(summary(kept, 'get')).toBe(`got/snapshot.json=snapshot-${up.id}`);
    sim.assertClean();
  });

  it("without github-token it reads this run's own artifacts only; a second upload of a name fails unless overwrite", async () => {
    const { sim, platform } = await setup({
      'upload.yml': UPLOAD,
      'own.yml': `name: own
on: workflow_dispatch
jobs:
  make:
    runs-on: ubuntu-latest
    steps:
      - run: echo one > a.txt
      - uses: actions/upload-artifact@v4
        with:
          name: part
          path: a.txt
      - run: echo two > a.txt
      - id: again
        continue-on-error: true
        uses: actions/upload-artifact@v4
        with:
          name: part
          path: a.txt
      - uses: actions/upload-artifact@v4
        with:
          name: part
          path: a.txt
          overwrite: true
  use:
    needs: make
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          path: got
      - run: find got -type f | sort | while read -r f; do echo "$f=$(cat "$f")"; done >> "$GITHUB_STEP_SUMMARY"
`,
    });
    platform.dispatch('upload.yml');
    await platform.settle();
    const own = platform.dispatch('own.yml');
    await platform.settle();
    expect(own.conclusion).toBe('success');
    expect(own.jobs.find((j) => j.id === 'make')?.steps.find((s) => s.id === 'again')?.outcome).toBe('failure');
    expect(errors(own)).toContain('Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run');
    expect(summary(own, 'use')).toBe('got/part/a.txt=two');
    expect(sim.store.listArtifacts(REPO, { run_id: own.id }).map((a) => a.name)).toEqual(['part']);
    sim.assertClean();
  });
});

function describe3(...runs: PlatformRun[]): string[] {
  return runs.map((r) => (r.conclusion === 'success' ? 'success' : `${r.conclusion}: ${errors(r).join(' | ')}`));
}
