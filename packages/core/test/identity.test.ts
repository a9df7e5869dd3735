import { describe, expect, it } from 'vitest';
import { isAuthoredBy, NOTIFY_MARKER_KIND, readNotifyMarker, renderMarker, renderNotifyMarker } from '../src/index.ts';

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

describe('the release-notice marker', () => {
  it('is `notify`, renders and reads back; malformed or other markers are null', () => {
    expect(NOTIFY_MARKER_KIND).toBe('notify');
    const line = renderNotifyMarker({ tag: 'v1.2.0', people: ['alice', 'bob'] });
    expect(line).toBe('<!-- userloop:notify {"tag":"v1.2.0","people":["alice","bob"]} -->');
    expect(readNotifyMarker(`Resolved in v1.2.0.\n\ncc @alice @bob\n\n${line}`)).toEqual({ tag: 'v1.2.0', people: ['alice', 'bob'] });
    // Never half-trusted: one person that is not a login makes the whole marker absent.
    expect(readNotifyMarker('<!-- userloop:notify {"tag":"v1","people":["a",3,null]} -->')).toBeNull();
    expect(readNotifyMarker('<!-- userloop:notify {"tag":"v1","people":["a","b c"]} -->')).toBeNull();
    expect(() => renderMarker('notify', { tag: 'v1', people: ['a', 3] })).toThrow(/marker 'notify': invalid data at 'people.1'/);
    expect(readNotifyMarker(renderMarker('notify-requesters', { tag: 'v1', people: ['a'] }))).toBeNull();
    expect(readNotifyMarker('<!-- userloop:notify {"people":["a"]} -->')).toBeNull();
    expect(readNotifyMarker('<!-- userloop:notify -->')).toBeNull();
    expect(readNotifyMarker(null)).toBeNull();
  });
});
