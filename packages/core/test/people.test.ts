import { describe, expect, it } from 'vitest';
import { isAuthoredBy, isBot, isBotNodeId } from '../src/index.ts';

describe('isBot', () => {
  it('knows [bot] accounts and configured bots', () => {
    expect(isBot('github-actions[bot]')).toBe(true);
    expect(isBot('Renovate', ['renovate'])).toBe(true);
    expect(isBot('octocat', ['renovate'])).toBe(false);
  });

  it('bots by type, by [bot] suffix and by the configured list', () => {
    expect(isBot({ login: 'x', type: 'Bot' }, [])).toBe(true);
    expect(isBot('renovate[bot]', [])).toBe(true);
    expect(isBot('Helper-Bot', ['helper-bot'])).toBe(true);
    expect(isBot('helper-bot[bot]', ['helper-bot'])).toBe(true);
    expect(isBot('helper', ['helper-bot'])).toBe(false);
    expect(isBot(null, ['x'])).toBe(false);
  });

  it.each([
    [{ login: 'dependabot', type: 'Bot' }, [], true],
    [{ login: 'renovate[bot]', type: 'User' }, [], true],
    [{ login: 'my-ci', type: 'User' }, ['my-ci[bot]'], true],
    [{ login: 'My-CI[bot]', type: 'User' }, ['my-ci'], true],
    [{ login: 'alice', type: 'User' }, ['dependabot'], false],
    [null, ['x'], false],
  ] as const)('%j listed %j -> %s', (author, listed, expected) => {
    expect(isBot(author, listed)).toBe(expected);
  });

  it("an App's reaction typed User but with a Bot node id is a bot", () => {
    expect(isBot({ login: 'renovate', __typename: 'User', id: 'BOT_kgDOAbc' })).toBe(true);
    expect(isBotNodeId(Buffer.from('04:Bot123').toString('base64'))).toBe(true);
    expect(isBot({ login: 'renovate', __typename: 'User', id: 'U_kgDOAbc' })).toBe(false);
  });
});

describe('isAuthoredBy', () => {
  it.each([
    // GraphQL drops `[bot]` from an author's login; REST and `viewer` keep it.
    [{ login: 'github-actions', __typename: 'Bot' }, 'github-actions[bot]', true],
    [{ login: 'github-actions', type: 'Bot' }, 'github-actions[bot]', true],
    [{ login: 'github-actions[bot]', type: 'Bot' }, 'github-actions[bot]', true],
    [{ login: 'My-App', __typename: 'Bot' }, 'my-app[bot]', true],
    ['my-app[bot]', 'My-App[bot]', true],
    // A user named like the bot, another bot, a bot named like a user: never the same account.
    [{ login: 'github-actions', type: 'User' }, 'github-actions[bot]', false],
    [{ login: 'github-actions', __typename: 'User' }, 'github-actions[bot]', false],
    ['github-actions', 'github-actions[bot]', false],
    [{ login: 'my-app', __typename: 'Bot' }, 'github-actions[bot]', false],
    [{ login: 'mona', type: 'User' }, 'mona', true],
    ['Mona', 'mona', true],
    [{ login: 'mona', type: 'Bot' }, 'mona', false],
    [{ login: 'mona[bot]' }, 'mona', false],
    [null, 'github-actions[bot]', false],
    [{ login: 'mona' }, '', false],
  ] as const)('%j authored by %s: %s', (author, identity, expected) => {
    expect(isAuthoredBy(author, identity)).toBe(expected);
  });
});

