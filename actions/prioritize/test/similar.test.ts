// The similar-issue hint's ranking and its search query, on issues as people write them.
import { describe, expect, it } from 'vitest';
import { findSimilar, similarSearchQuery, stem } from '../src/similar.ts';

const OPTIONS = { max: 3, minScore: 0.3 };
let next = 100;
const issue = (title: string, body = '') => ({ number: next++, title, body, url: `u${next}` });
const listed = (me: { number: number; title: string; body?: string }, candidates: ReturnType<typeof issue>[]) => findSimilar(me, candidates, OPTIONS).map((s) => s.title);

describe('stem', () => {
  it('drops plural and -ing/-ed endings so word forms meet, and keeps words that would lose their sense', () => {
    expect(['crash', 'crashes', 'crashed', 'crashing'].map(stem)).toEqual(['crash', 'crash', 'crash', 'crash']);
    expect(['paste', 'pasted', 'pasting'].map(stem)).toEqual(['past', 'past', 'past']);
    expect(['drop', 'drops', 'dropped'].map(stem)).toEqual(['drop', 'drop', 'drop']);
    expect(['sync', 'syncing', 'synced'].map(stem)).toEqual(['sync', 'sync', 'sync']);
    expect(['entries', 'entry'].map(stem)).toEqual(['entry', 'entry']);
    expect(['string', 'status', 'today\'s'].map(stem)).toEqual(['string', 'status', 'today']);
  });
});

describe('findSimilar', () => {
  it('lists a duplicate written in other words, not an issue that shares one word of the title', () => {
    const me = issue('The app crashes after rotating the tablet', 'Turning the iPad sideways closes the app.');
    const dup = issue('App crash when rotating tablet', 'Rotating my tablet makes the app crash.');
    const sameWord = issue('App icon is blurry', 'The app icon looks blurry on the home screen.');
    const sameArea = issue('Tablet layout wastes space', 'On a tablet the sidebar is too wide.');
    expect(listed(me, [dup, sameWord, sameArea])).toEqual([dup.title]);
  });

  it('a word most open issues share weighs little: "sync" alone does not make two sync issues the same', () => {
    const me = issue('Sync stuck at 99%');
    const others = ['Sync history with restore', 'Sync status in the menu bar', 'Selective sync per notebook', 'Self-hosted sync server'].map((t) => issue(t));
    const twin = issue('Sync is stuck at 99% again');
    expect(listed(me, [...others, twin])).toEqual([twin.title]);
  });

  it('the answers of an issue form do not make two issues similar', () => {
    const form = (what: string) =>
      `### What are you trying to do?\n\n${what} would let me keep my notes the way I work.\n\n### Does this block you?\n\nNo, it would help\n\n### Are you new to the project?\n\nNo`;
    const me = issue('Vim keybindings', form('Vim keybindings'));
    const others = ['Typewriter scrolling', 'Collapse headings', 'Voice memos in notes'].map((t) => issue(t, form(t)));
    expect(listed(me, others)).toEqual([]);
    const twin = issue('Vim keybindings', form('Vim keybindings'));
    expect(listed(me, [...others, twin])).toEqual([twin.title]);
  });

  it('best first, at most max, each candidate once (the newest page and the search may both hold it), never itself', () => {
    const me = issue('CSV export drops the last row', 'The last row of the CSV is missing.');
    const exact = issue('CSV export drops the last row', 'The last row of the CSV is missing.');
    const close = issue('CSV export: last row missing');
    const looser = issue('Last row missing from exports');
    const result = findSimilar(me, [looser, close, exact, exact, { ...me }], { max: 2, minScore: 0.3 });
    expect(result.map((r) => r.number)).toEqual([exact.number, close.number]);
    expect(result[0]!.score).toBe(1);
  });

  it('the threshold: min-similarity keeps out a candidate whose title shares enough but whose text does not', () => {
    const me = issue('Export to PDF', 'Exporting a long report to PDF takes minutes and the fonts are wrong, the tables overflow.');
    const other = issue('Export to PDF', 'Add a button.');
    expect(findSimilar(me, [other], { max: 3, minScore: 0.95 })).toEqual([]);
    expect(findSimilar(me, [other], { max: 3, minScore: 0.3 }).map((r) => r.number)).toEqual([other.number]);
  });
});

describe('similarSearchQuery', () => {
  it("the title's distinctive words, longest first, OR'ed in GitHub's advanced syntax, at most six", () => {
    expect(similarSearchQuery('o', 'r', 'CSV export drops the last row')).toBe('repo:o/r is:issue state:open (export OR drops OR last OR csv OR row)');
    expect(similarSearchQuery('o', 'r', 'Crashes, crashed, crashing: the app crashes when syncing notebooks with attachments over wifi at night')).toBe(
      'repo:o/r is:issue state:open (attachments OR notebooks OR crashing OR syncing OR night OR wifi)',
    );
  });
  it('none for a title without a word worth searching for', () => {
    expect(similarSearchQuery('o', 'r', 'It does not work')).toBeNull();
    expect(similarSearchQuery('o', 'r', '??')).toBeNull();
  });
});
