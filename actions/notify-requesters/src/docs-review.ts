// The docs-review issue of a release: one issue listing every pull request of the release that changed
// docs or copy, assigned to the owners of their areas, kept up to date by its marker across re-runs and
// overlapping runs.
import {
  COMMENT_LIMIT,
  fillTemplate,
  globMatcher,
  httpStatus,
  keepOneIssue,
  type PullRequestDetails,
  regionRoom,
  type ReleaseInfo,
  replaceRegion,
  sameBody,
} from '@userloop/core';
import { checkedItems, docsChanges, docsReviewAssignees, docsReviewTag } from './plan.ts';
import { readLabeledIssues, type LabeledIssue } from './read.ts';
import { checkedOutside, DOCS_REVIEW_MARKER, type OutsideToTell, renderDocsReview } from './render.ts';
import type { MainDeps, MainInput, MainResult } from './types.ts';
import { message, type Writer } from './writer.ts';

/** The least room the docs-review list needs in its issue (its heading and a pointer to the release). */
const DOCS_REVIEW_MIN_ROOM = 1_000;

/**
 * Creates or updates the docs-review issue of the release (when `docs-review.enabled`), from the issues
 * `look` found (read with the second look after the notices: the label's issues and the marker's search).
 * `priorTrace`: an earlier or overlapping run left the issue already.
 */
export async function keepDocsReview(
  input: Pick<MainInput, 'owner' | 'repo' | 'config' | 'areas' | 'dryRun'>,
  deps: MainDeps,
  writer: Writer,
  result: MainResult,
  shipped: { release: ReleaseInfo; tag: string; version: string; releaseName: string; pullRequests: readonly PullRequestDetails[] },
  look: { labeled: LabeledIssue[] | null; marked?: LabeledIssue[] | null } | null,
  outside: readonly OutsideToTell[] = [],
  /** The progress marker line to keep in the list (given the body found), or `''` for none. */
  progress: (found: string | undefined) => string = () => '',
): Promise<{ priorTrace: boolean }> {
  const { owner, repo, config } = input;
  const { release, tag, version, releaseName, pullRequests } = shipped;
  const graphql = deps.octokit.graphql;
  const docsEnabled = config['docs-review'].enabled;
  const label = config['docs-review'].label;
  const ofThisRelease = (issues: readonly LabeledIssue[]) =>
    issues.filter((i) => i.byViewer && docsReviewTag(i.body) === tag).sort((a, b) => a.number - b.number);
  let priorTrace = false;

  // The docs-review issue: one per release, found again by its label and marker, or by a search for its
  // marker when a person removed the label. A label removed on purpose is not put back: only the body is
  // updated. The list is the bot's region of the body: a note a person added above or below it stays.
  if (docsEnabled) {
    const changes = docsChanges(pullRequests, globMatcher(config['docs-review'].globs));
    // The oldest, should two have been left by overlapping runs of an older version.
    const candidates = [...(look?.labeled ?? []), ...(look?.marked ?? []).filter((m) => !(look?.labeled ?? []).some((l) => l.number === m.number))];
    const found = ofThisRelease(candidates)[0];
    if (found) priorTrace = true;
    const strip = [DOCS_REVIEW_MARKER];
    // What a person wrote around the list is kept whole; the list gets the rest of GitHub's limit.
    const room = regionRoom(found?.body, DOCS_REVIEW_MARKER, COMMENT_LIMIT, strip);
    if (found && room < DOCS_REVIEW_MIN_ROOM) {
      result.warnings.push(`The docs-review issue #${found.number} has no room left for its list: the text around it fills GitHub's ${COMMENT_LIMIT.toLocaleString('en')} characters. Shorten it and re-run.`);
    } else if (changes.length > 0 || outside.length > 0 || found) {
      // The progress of the release's notices goes last in the list, when it leaves the list its room.
      let line = progress(found?.body);
      if (line && room - line.length - 1 < DOCS_REVIEW_MIN_ROOM) line = '';
      const rendered = renderDocsReview({
        tag,
        releaseName,
        releaseUrl: release.html_url,
        changes,
        checked: checkedItems(found?.body),
        limit: line ? room - line.length - 1 : room,
        outside,
        outsideChecked: checkedOutside(found?.body),
      });
      const list = line ? `${rendered}\n${line}` : rendered;
      const body = replaceRegion(found?.body, DOCS_REVIEW_MARKER, list, { strip, what: `the docs-review issue of ${tag}` }).body;
      const assignees = docsReviewAssignees(changes, input.areas, globMatcher);
      const title = fillTemplate(config['docs-review'].title, { version, tag, name: releaseName });
      if (found && sameBody(found.body, body)) {
        result.docsReview = { action: 'unchanged', number: found.number, url: found.url };
      } else {
        let created: { number: number; html_url: string } | null = null;
        const write = found
          ? () => deps.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: found.number, body })
          : async () => {
              const create = (who: string[]) =>
                deps.octokit.request('POST /repos/{owner}/{repo}/issues', {
                  owner,
                  repo,
                  title,
                  body,
                  labels: [config['docs-review'].label],
                  ...(who.length > 0 ? { assignees: who } : {}),
                });
              let response;
              try {
                response = await create(assignees);
              } catch (error) {
                // An owner who cannot be assigned (no access to the repository): open it unassigned.
                if (httpStatus(error) !== 422 || assignees.length === 0 || !/assignee/i.test(message(error))) throw error;
                result.warnings.push(`Could not assign the docs-review issue to ${assignees.map((a) => `@${a}`).join(', ')}; opened it unassigned.`);
                response = await create([]);
              }
              created = { number: response.data.number, html_url: response.data.html_url };
            };
        const outcome = await writer.write(write, { last: true });
        if (outcome.ok) {
          let made = created as { number: number; html_url: string } | null;
          let lost = false;
          if (made && !input.dryRun) {
            // Two runs that overlapped both found none and both opened one: keep the oldest (core's
            // keepOne). An issue cannot be deleted with this token, so the newer copy is closed as not
            // planned, without the label or the marker, pointing at the one kept.
            try {
              const settled = await keepOneIssue<{ number: number; html_url: string }>({
                octokit: deps.octokit,
                owner,
                repo,
                created: made,
                list: async () => {
                  result.graphqlQueries += 1;
                  return ofThisRelease(await readLabeledIssues({ graphql, owner, repo, label })).map((i) => ({ number: i.number, html_url: i.url }));
                },
                duplicateNote: (kept) => `Opened twice by two runs at the same time: the docs review of ${tag} is #${kept.number}.`,
                what: `docs-review issue of ${tag}`,
              });
              if (!settled.won) {
                writer.writes += 1;
                made = settled.kept;
                lost = true;
                priorTrace = true;
                result.notices.push(`An overlapping run opened the docs-review issue of ${tag} at the same time: #${made.number} is kept, this run's copy is closed.`);
              }
            } catch (error) {
              result.warnings.push(`Could not close this run's copy of the docs-review issue that an overlapping run also opened (${message(error)}).`);
            }
          }
          result.docsReview = found
            ? { action: 'updated', number: found.number, url: found.url }
            : { action: lost ? 'unchanged' : 'created', number: made?.number ?? null, url: made?.html_url ?? null };
        } else if ('stop' in outcome) {
          result.docsReview = { action: 'left', number: found?.number ?? null, url: found?.url ?? null };
          result.left.push({ issue: found?.number ?? 0, people: [], what: 'docs-review' });
        } else {
          result.docsReview = { action: 'failed', number: found?.number ?? null, url: found?.url ?? null };
          result.warnings.push(`The docs-review issue could not be written: ${'fail' in outcome ? outcome.fail : outcome.skip}`);
        }
      }
    }
  }
  return { priorTrace };
}
