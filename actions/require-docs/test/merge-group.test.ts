// The pull request of a merge group, from the branch GitHub makes for it.
import { describe, expect, it } from 'vitest';
import { mergeGroupPullRequest } from '../src/main.ts';

describe('mergeGroupPullRequest', () => {
  it('reads gh-readonly-queue/<base>/pr-<number>-<sha>, with or without refs/heads/, bases with slashes too', () => {
    const sha = '929f8209d40f77f4abc622a499c93a83babdbe64';
    expect(mergeGroupPullRequest(`refs/heads/gh-readonly-queue/main/pr-104-${sha}`)).toBe(104);
    expect(mergeGroupPullRequest(`gh-readonly-queue/main/pr-7-${sha}`)).toBe(7);
    expect(mergeGroupPullRequest(`refs/heads/gh-readonly-queue/release/2.x/pr-31-${sha}`)).toBe(31);
  });

  it('null for any other branch', () => {
    expect(mergeGroupPullRequest('refs/heads/main')).toBeNull();
    expect(mergeGroupPullRequest('refs/heads/gh-readonly-queue/main/pr-x-abc1234')).toBeNull();
    expect(mergeGroupPullRequest('refs/heads/gh-readonly-queue/pr-12-abc1234')).toBeNull();
    expect(mergeGroupPullRequest(undefined)).toBeNull();
  });
});
