// The config file read inside an action's first GraphQL query: the same answers as a read through the
// contents API, from the emulator's `object(expression: "<ref>:<path>")` over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Sim } from '@userloop/github-sim';
import { CONFIG_FILE_FIELD, configExpression, configFromGraphql, createOctokit, loadConfig, type ConfigFileNode } from '../src/index.ts';

const REPO = 'octo-org/octo-repo';
let sim: Sim;
let sha = '';

beforeAll(async () => {
  sim = await startSim();
  sim.store.createRepo({ owner: 'octo-org', name: 'octo-repo' });
  sha = sim.store.commitOn(REPO, 'main', ['Initial commit'])[0]!.sha;
  sim.store.setContent(REPO, '.github/userloop.yml', 'bots: [helper-bot]\nrequire-docs:\n  docs: { enabled: fals }\n', sha);
  sim.store.setContent(REPO, 'conf/dir/a.yml', 'bots: []\n', sha);
});

afterAll(async () => {
  sim.assertClean();
  await sim.stop();
});

const octokit = () => createOctokit({ token: 'test-token', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, retries: 0, throttle: { enabled: false } });

/** A config result that must be there. */
function must<T>(value: T | null): T {
  expect(value).not.toBeNull();
  return value as T;
}

async function read(path?: string): Promise<ConfigFileNode | null> {
  const data = await octokit().graphql<{ repository: { configFile: ConfigFileNode | null } }>(
    `query ($owner: String!, $repo: String!, $configExpression: String!) { repository(owner: $owner, name: $repo) { ${CONFIG_FILE_FIELD} } }`,
    { owner: 'octo-org', repo: 'octo-repo', configExpression: configExpression(sha, path) },
  );
  return data.repository.configFile;
}

describe('the config read in a GraphQL query', () => {
  it('answers as the contents API does: the same errors, on the same lines', async () => {
    const options = { owner: 'octo-org', repo: 'octo-repo', ref: sha };
    const viaGraphql = must(configFromGraphql(await read(), options));
    const viaApi = await loadConfig({ ...options, octokit: octokit() });
    expect(viaGraphql.errors.length).toBeGreaterThan(0);
    expect(viaGraphql.errors).toEqual(viaApi.errors);
    expect(viaGraphql.source).toBe('api');
  });

  it('nothing at the default path: every default; at a chosen path: an error naming it; a directory: an error', async () => {
    const options = { owner: 'octo-org', repo: 'octo-repo', ref: sha };
    const missing = must(configFromGraphql(await read('.github/nothing.yml'), { ...options, path: '.github/nothing.yml' }));
    expect(missing.config).toBeNull();
    expect(missing.errors[0]?.message).toContain("config-path '.github/nothing.yml' does not exist");
    expect(must(configFromGraphql(null, options)).config?.bots).toEqual([]);
    const dir = must(configFromGraphql(await read('conf/dir'), { ...options, path: 'conf/dir' }));
    expect(dir.errors[0]?.message).toContain("'conf/dir' is a directory, not a file");
  });

  it('a file GitHub cuts (over 512,000 bytes, under 1 MiB) is left to a read through the contents API', async () => {
    sim.store.setContent(REPO, 'big.yml', `# ${'x'.repeat(600_000)}\nbots: [helper-bot]\n`, sha);
    const node = await read('big.yml');
    expect(node).toMatchObject({ __typename: 'Blob', isTruncated: true, byteSize: 600_022 });
    expect(Buffer.byteLength(node?.text ?? '')).toBe(512_000);
    expect(configFromGraphql(node, { owner: 'octo-org', repo: 'octo-repo', ref: sha, path: 'big.yml' })).toBeNull();
  });

  it('a file over 1 MiB is an error giving its size', () => {
    const big = must(configFromGraphql({ __typename: 'Blob', text: null, byteSize: 2_000_000, isBinary: false }, { owner: 'o', repo: 'r' }));
    expect(big.config).toBeNull();
    expect(big.errors[0]?.message).toMatch(/2,000,000|2000000|1\.9/);
  });
});
