/**
 * Which activity types of an event the running workflow subscribes to, read from its own file.
 *
 * GitHub sends some events in pairs: publishing a full release sends `release: published` and
 * `release: released` at once, publishing a pre-release `published` and `prereleased`. A workflow that
 * listens to both starts two runs for one change. An action that knows the other run is coming can leave
 * the work to it, so the change costs one run, not two. The file is named by `GITHUB_WORKFLOW_REF`
 * (`owner/repo/.github/workflows/x.yml@refs/heads/main`) and read at `GITHUB_WORKFLOW_SHA` (else
 * `GITHUB_SHA`), the commit GitHub read it from.
 */
import { parse } from 'yaml';
import type { Octokit } from './octokit.ts';

/** What a workflow's `on:` says about one event. */
export type EventSubscription = { subscribed: false } | { subscribed: true; types: ReadonlySet<string> | 'all' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the `on:` of a workflow file for `event`: not subscribed, subscribed to every type (no `types:`
 * filter), or to the listed types. `null` when the text is not a workflow GitHub would accept (unparsable
 * YAML, no `on:`, a `types:` that is neither a string nor a list of strings): the caller then knows nothing.
 *
 * @example
 * workflowEventTypes('on:\n  release:\n    types: [published, released]\n', 'release')
 * // { subscribed: true, types: Set { 'published', 'released' } }
 */
export function workflowEventTypes(text: string, event: string): EventSubscription | null {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return null;
  }
  if (!isRecord(doc)) return null;
  // YAML 1.1 readers turn a bare `on` into `true`; this parser (YAML 1.2) keeps the string, but accept both.
  const on = 'on' in doc ? doc['on'] : 'true' in doc ? doc['true'] : undefined;
  if (typeof on === 'string') return on === event ? { subscribed: true, types: 'all' } : { subscribed: false };
  if (Array.isArray(on)) {
    if (!on.every((e) => typeof e === 'string')) return null;
    return on.includes(event) ? { subscribed: true, types: 'all' } : { subscribed: false };
  }
  if (!isRecord(on)) return null;
  if (!(event in on)) return { subscribed: false };
  const config = on[event];
  if (config === null || config === undefined) return { subscribed: true, types: 'all' };
  if (!isRecord(config)) return null;
  const types = config['types'];
  if (types === undefined || types === null) return { subscribed: true, types: 'all' };
  if (typeof types === 'string') return { subscribed: true, types: new Set([types]) };
  if (Array.isArray(types) && types.every((t) => typeof t === 'string')) return { subscribed: true, types: new Set(types as string[]) };
  return null;
}

/** Whether a subscription includes the activity type `type`. */
export function subscribesTo(subscription: EventSubscription, type: string): boolean {
  return subscription.subscribed && (subscription.types === 'all' || subscription.types.has(type));
}

/** Splits `GITHUB_WORKFLOW_REF` (`owner/repo/path@ref`) into repository and path; `null` when malformed. */
export function parseWorkflowRef(workflowRef: string | undefined): { owner: string; repo: string; path: string } | null {
  const m = /^([^/@\s]+)\/([^/@\s]+)\/(\.github\/workflows\/[^@]+\.ya?ml)@/.exec(workflowRef ?? '');
  return m ? { owner: m[1]!, repo: m[2]!, path: m[3]! } : null;
}

/**
 * The running workflow's subscription to `event`, read through the API (`contents: read`; one request)
 * from the file `GITHUB_WORKFLOW_REF` names, at `sha`. `null` when it cannot be known: no or a malformed
 * ref, a workflow of another repository (an organisation's required workflow), a file that cannot be read
 * (any error: knowing this is an optimisation, never a reason to fail) or parsed.
 */
export async function readWorkflowSubscription(options: {
  octokit: Pick<Octokit, 'request'>;
  owner: string;
  repo: string;
  /** `GITHUB_WORKFLOW_REF`. */
  workflowRef: string | undefined;
  /** `GITHUB_WORKFLOW_SHA`, else `GITHUB_SHA`. */
  sha: string | undefined;
  event: string;
}): Promise<EventSubscription | null> {
  const ref = parseWorkflowRef(options.workflowRef);
  if (!ref || ref.owner.toLowerCase() !== options.owner.toLowerCase() || ref.repo.toLowerCase() !== options.repo.toLowerCase()) return null;
  try {
    const { data } = await options.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: options.owner,
      repo: options.repo,
      path: ref.path,
      ...(options.sha ? { ref: options.sha } : {}),
    });
    const file = data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || file.type !== 'file' || file.encoding !== 'base64') return null;
    return workflowEventTypes(Buffer.from(file.content ?? '', 'base64').toString('utf8'), options.event);
  } catch {
    return null;
  }
}
