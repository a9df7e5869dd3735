// The reads of require-docs, through the API (never the pull request's code): the pull request and its
// files as the facts the rules read, and the base commit of a pull request named by the `pull-request` input.
import type { Octokit } from '@userloop/core';
import type { ChangedFile, PullRequestFacts } from './evaluate.ts';

/** GitHub lists at most this many files of a pull request. */
const FILE_LIMIT = 3000;
const PAGE = 100;

/** Reads the pull request fresh (a re-run sees today's body and labels) and its files, up to GitHub's 3,000. */
export async function readPullRequest(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<PullRequestFacts> {
  const { data: pull } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pullNumber });
  const files: ChangedFile[] = [];
  if (pull.changed_files > 0) {
    const pages = octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo, pull_number: pullNumber, per_page: PAGE });
    for await (const page of pages) {
      for (const file of page.data) files.push({ filename: file.filename, status: file.status });
      if (files.length >= FILE_LIMIT || page.data.length < PAGE) break;
    }
  }
  return {
    title: pull.title,
    body: pull.body,
    draft: pull.draft === true,
    labels: pull.labels.map((label) => label.name),
    files: files.slice(0, FILE_LIMIT),
    changedFiles: Math.max(pull.changed_files, files.length),
  };
}

/** The base commit of a pull request: where its config is read from. */
export async function readBaseSha(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<string> {
  return (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pullNumber })).data.base.sha;
}
