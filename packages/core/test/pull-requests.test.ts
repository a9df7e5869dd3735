import { describe, expect, it } from 'vitest';
import { parseClosingKeywords } from '../src/pull-requests.ts';

describe('parseClosingKeywords', () => {
  const repo = { owner: 'octo-org', repo: 'octo-repo' };
  const nums = (body: string) => parseClosingKeywords(body, repo).map((r) => `${r.owner}/${r.repo}#${r.number}`);

  it('reads every keyword form', () => {
    expect(
      nums(
        'Fixes #1, closes #2 and Resolved: #3.\nclose #4 fix #5 fixed #6 resolve #7 resolves #8 closed #9\n' +
          'Fixes other/lib#10 and fixes https://github.com/octo-org/octo-repo/issues/11',
      ),
    ).toEqual([
      'octo-org/octo-repo#1',
      'octo-org/octo-repo#2',
      'octo-org/octo-repo#3',
      'octo-org/octo-repo#4',
      'octo-org/octo-repo#5',
      'octo-org/octo-repo#6',
      'octo-org/octo-repo#7',
      'octo-org/octo-repo#8',
      'octo-org/octo-repo#9',
      'other/lib#10',
      'octo-org/octo-repo#11',
    ]);
  });

  it('ignores code, HTML comments, plain references and look-alikes', () => {
    const body = [
      '<!-- Fixes #100 (template hint) -->',
      '```',
      'fixes #101',
      '```',
      'Run `fixes #102` to see.',
      'See #103. prefixes #104, suffix fixes#105, fixes #106abc',
      'Fixes #7 and FIXES #7 again',
    ].join('\n');
    expect(nums(body)).toEqual(['octo-org/octo-repo#7']);
  });

  it('handles empty bodies', () => {
    expect(parseClosingKeywords(null, repo)).toEqual([]);
    expect(parseClosingKeywords('', repo)).toEqual([]);
  });
});
