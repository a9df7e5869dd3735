import { describe, expect, it } from 'vitest';
import { conventionalPrefix, hasBreakingFooter, parseConventionalTitle } from '../src/index.ts';

describe('parseConventionalTitle', () => {
  it.each([
    ['feat: add export', { type: 'feat', scope: null, breaking: false, subject: 'add export' }],
    ['Feat(cli)!: drop --old ', { type: 'feat', scope: 'cli', breaking: true, subject: 'drop --old' }],
    ['fix(): empty scope', { type: 'fix', scope: null, breaking: false, subject: 'empty scope' }],
    ['chore(deps-dev)!: bump', { type: 'chore', scope: 'deps-dev', breaking: true, subject: 'bump' }],
  ])('%j', (title, expected) => {
    expect(parseConventionalTitle(title)).toEqual(expected);
  });
  it.each(['Add export', 'feat:no space', 'feat add', ': x', 'feat(a)(b): x', '1feat: x'])('rejects %j', (title) => {
    expect(parseConventionalTitle(title)).toBeNull();
  });
});

describe('hasBreakingFooter', () => {
  it('reads the footer outside code and comments', () => {
    expect(hasBreakingFooter('Body\n\nBREAKING CHANGE: config moved')).toBe(true);
    expect(hasBreakingFooter('BREAKING-CHANGE: x')).toBe(true);
    expect(hasBreakingFooter('```\nBREAKING CHANGE: in code\n```')).toBe(false);
    expect(hasBreakingFooter('<!-- BREAKING CHANGE: template hint -->')).toBe(false);
    expect(hasBreakingFooter('not a BREAKING CHANGE: mid-line')).toBe(false);
    expect(hasBreakingFooter('BREAKING CHANGE:')).toBe(false);
  });
});

describe('conventionalPrefix', () => {
  it('is the prefix as written, or null', () => {
    expect(conventionalPrefix('  Feat(api)!:  add search')).toBe('Feat(api)!:');
    expect(conventionalPrefix('feat:no space')).toBeNull();
  });
});
