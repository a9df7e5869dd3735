// The peer: the `success` step of @semantic-release/github (from npm), run in this process against the
// emulator for the same release as notify-requesters (the 50 commits of `v1.0.0`, whose pull requests say
// "Closes #n" for the 100 issues). Its throttling plugin spaces writes 1 s apart; it is disabled here, like
// our own pacing (USERLOOP_WAIT_SCALE=0), so both are compared on requests, not on waiting.
import type { Sim } from '@userloop/github-sim';
import { FULL, type Generated } from './generate.ts';
import { measureInProcess, type PeerRunBase } from './measure.ts';

type Success = (config: Record<string, unknown>, context: Record<string, unknown>, deps?: { Octokit?: unknown }) => Promise<void>;
interface OctokitClass {
  defaults(options: Record<string, unknown>): unknown;
}

export interface PeerResult extends PeerRunBase {
  mode: 'in-process';
  /** Comments it wrote on the first and the second run, and on how many issues/PRs. */
  commentsFirst: number;
  commentsSecond: number;
  targetsFirst: number;
  labelsFirst: number;
  /** Issues among the 100 the release resolves that got a comment from it. */
  resolvedIssuesCommented: number;
}

const silent = { log: () => {}, warn: () => {}, error: () => {}, success: () => {}, info: () => {}, debug: () => {} };

async function loadPeer(): Promise<{ success: Success; Octokit: unknown; version: string } | { error: string }> {
  try {
    const index = import.meta.resolve('@semantic-release/github');
    const mod = (await import(index)) as { success: Success };
    const octo = (await import(new URL('./lib/octokit.js', index).href)) as { SemanticReleaseOctokit: OctokitClass };
    const pkg = (await import(new URL('./package.json', index).href, { with: { type: 'json' } })) as { default: { version: string } };
    // Same plugins, retry settings and requests (its GraphQL query runs unmodified); throttling (write
    // spacing) off for the benchmark.
    const Octokit = octo.SemanticReleaseOctokit.defaults({ throttle: { enabled: false } });
    return { success: mod.success, Octokit, version: pkg.default.version };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export async function runPeer(sim: Sim, g: Generated): Promise<PeerResult | { name: string; error: string }> {
  const peer = await loadPeer();
  if ('error' in peer) return { name: '@semantic-release/github success', error: peer.error };
  const release = sim.store.release(FULL, g.notifyReleaseId)!;
  const context = {
    env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: sim.url, GITHUB_ACTION: 'run' },
    options: { repositoryUrl: `https://github.com/${FULL}.git` },
    branch: { name: 'main' },
    commits: g.notifyCommits.map((c) => ({ hash: c.hash, message: c.message, commit: { long: c.hash, short: c.hash.slice(0, 7) } })),
    lastRelease: { version: '0.0.0', gitTag: 'v0.0.0' },
    nextRelease: { version: '1.0.0', gitTag: release.tag_name, name: release.tag_name, notes: 'Release notes', channel: null },
    releases: [{ name: 'GitHub release', url: `https://github.com/${FULL}/releases/tag/${release.tag_name}`, id: release.id, version: '1.0.0', gitTag: release.tag_name }],
    logger: silent,
  };
  const violationsBefore = sim.violations.length;
  const commentCount = () => {
    let n = 0;
    for (const c of sim.store.mustRepo(FULL).comments.values()) if (c.body.includes('semantic-release')) n += 1;
    return n;
  };
  let error: string | null = null;
  const call = async () => {
    try {
      await peer.success({}, context, { Octokit: peer.Octokit });
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e);
    }
  };
  const before = commentCount();
  const requestsBefore = sim.requests.length;
  const first = await measureInProcess(sim, call);
  const targets = new Set<number>();
  for (const r of sim.requests.slice(requestsBefore)) {
    const m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(r.path);
    if (r.method === 'POST' && m) targets.add(Number(m[1]));
  }
  const afterFirst = commentCount();
  const second = await measureInProcess(sim, call);
  const afterSecond = commentCount();
  const kinds = sim.violations.slice(violationsBefore).map((v) => `${v.kind}: ${v.method} ${v.route ?? v.path}`);
  const { outputs: _a, stderr: _b, ...f } = first;
  const { outputs: _c, stderr: _d, ...s } = second;
  return {
    name: '@semantic-release/github success',
    version: peer.version,
    size: g.size,
    mode: 'in-process',
    first: f,
    second: s,
    commentsFirst: afterFirst - before,
    commentsSecond: afterSecond - afterFirst,
    targetsFirst: targets.size,
    labelsFirst: first.restByRoute['POST /repos/{owner}/{repo}/issues/{issue_number}/labels'] ?? 0,
    resolvedIssuesCommented: g.notifyIssues.filter((n) => targets.has(n)).length,
    violations: sim.violations.length - violationsBefore,
    violationKinds: [...new Set(kinds)],
    error,
  };
}
