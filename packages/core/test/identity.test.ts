import { describe, expect, it } from 'vitest';
import { NOTIFY_MARKER_KIND, readNotifyMarker, renderMarker, renderNotifyMarker } from '../src/index.ts';

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
