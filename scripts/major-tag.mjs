#!/usr/bin/env node
// Moves the major tag of a published release: `v1` follows the newest full release `v1.x.y`, so that
// `uses: userloop/userloop/actions/<name>@v1` runs it. Run by .github/workflows/release.yml after the
// bundles of the release's commit were checked against a rebuild.
//
// Environment: GITHUB_TOKEN (contents: write), GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_SHA (the commit the
// workflow checked out and checked), TAG (the release's tag name). The token is sent in a header only,
// never printed.
//
// Safe to run again: a major tag already at the release's commit is left alone, a release older than the
// newest full release of its major version (v1.0.1 published after v1.1.0) never moves the tag back, and a
// tag that is not vX.Y.Z, a draft or a pre-release moves nothing.
import { appendFileSync } from 'node:fs';

/** Only plain `vMAJOR.MINOR.PATCH` tags (no pre-release or build part) move a major tag. */
const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The three numbers of a `vX.Y.Z` tag, or null for any other tag. */
function versionOf(tag) {
  const m = RELEASE_TAG.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function compare(a, b) {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

class ApiError extends Error {
  constructor(method, path, status, message, accepted) {
    super(`${method} ${path}: ${status} ${message}`);
    this.status = status;
    this.accepted = accepted;
  }
}

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the workflow passes it through env:)`);
  return value;
}

function createClient(apiUrl, repository, token) {
  const base = `${apiUrl.replace(/\/+$/, '')}/repos/${repository}`;
  return async function request(method, path, body) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'userloop-release',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const message = data && typeof data.message === 'string' ? data.message : text.slice(0, 200);
      throw new ApiError(method, path, res.status, message, res.headers.get('x-accepted-github-permissions'));
    }
    return { data, link: res.headers.get('link') ?? '' };
  };
}

/** The commit a tag ref points at, following annotated tag objects; null when the tag does not exist. */
async function tagCommit(request, tag) {
  let object;
  try {
    object = (await request('GET', `/git/ref/tags/${encodeURIComponent(tag)}`)).data.object;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
  for (let depth = 0; object.type === 'tag' && depth < 5; depth += 1) {
    object = (await request('GET', `/git/tags/${object.sha}`)).data.object;
  }
  if (object.type !== 'commit') throw new Error(`tags/${tag} points at a ${object.type}, not a commit`);
  return object.sha;
}

/** Every release the token can see, newest pages first as the API lists them. */
async function allReleases(request) {
  const out = [];
  for (let page = 1; page <= 100; page += 1) {
    const { data, link } = await request('GET', `/releases?per_page=100&page=${page}`);
    out.push(...data);
    if (data.length < 100 || !/rel="next"/.test(link)) break;
  }
  return out;
}

/**
 * Decides and writes. Returns one line saying what happened (for the log and the job summary).
 * @param {(method: string, path: string, body?: unknown) => Promise<{ data: any, link: string }>} request
 */
async function moveMajorTag(request, tag, checkedSha) {
  const version = versionOf(tag);
  if (!version) return `${tag} is not a vMAJOR.MINOR.PATCH tag: no major tag moved.`;
  const major = `v${version[0]}`;

  let release;
  try {
    release = (await request('GET', `/releases/tags/${encodeURIComponent(tag)}`)).data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return `No published release ${tag}: ${major} not moved.`;
    throw error;
  }
  if (release.draft || release.prerelease) return `${tag} is a ${release.draft ? 'draft' : 'pre-release'}: ${major} not moved.`;

  const sha = await tagCommit(request, tag);
  if (!sha) throw new Error(`the tag ${tag} of the release does not exist`);
  if (checkedSha && sha !== checkedSha) {
    throw new Error(`${tag} points at ${sha}, not at ${checkedSha}, the commit this run checked: publish the release again or run the workflow for its new commit`);
  }

  // Only full releases of this major version count; the newest decides where the tag belongs.
  const newer = (await allReleases(request))
    .filter((r) => !r.draft && !r.prerelease)
    .map((r) => ({ tag: r.tag_name, version: versionOf(r.tag_name) }))
    .filter((r) => r.version && r.version[0] === version[0] && compare(r.version, version) > 0)
    .sort((a, b) => compare(b.version, a.version));
  if (newer.length > 0) return `${tag} is older than ${newer[0].tag}, the newest ${major} release: ${major} stays where it is.`;

  const current = await tagCommit(request, major);
  if (current === sha) return `${major} already points at ${sha} (${tag}): nothing to do.`;
  if (current === null) {
    try {
      await request('POST', '/git/refs', { ref: `refs/tags/${major}`, sha });
      return `${major} created at ${sha} (${tag}).`;
    } catch (error) {
      // Created by another run between the read and this write: move it like an existing one.
      if (!(error instanceof ApiError && error.status === 422)) throw error;
    }
  }
  await request('PATCH', `/git/refs/tags/${encodeURIComponent(major)}`, { sha, force: true });
  return `${major} moved from ${current ?? 'a tag created meanwhile'} to ${sha} (${tag}).`;
}

async function main() {
  const request = createClient(env('GITHUB_API_URL'), env('GITHUB_REPOSITORY'), env('GITHUB_TOKEN'));
  const line = await moveMajorTag(request, env('TAG'), process.env.GITHUB_SHA ?? '');
  console.log(`::notice::${line}`);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${line}\n`);
}

try {
  await main();
} catch (error) {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && error.status === 403) {
    message +=
      `. The token needs contents: write${error.accepted ? ` (GitHub accepts: ${error.accepted})` : ''}.` +
      ' A commit whose .github/workflows differ from the branch heads can also need the workflows permission, which a' +
      ' GITHUB_TOKEN never has: then move the tag by hand (git push --force origin <sha>:refs/tags/vN).';
  }
  console.log(`::error::Moving the major tag failed: ${message.replace(/\r?\n/g, ' ')}`);
  process.exitCode = 1;
}
