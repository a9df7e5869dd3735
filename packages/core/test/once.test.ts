import { describe, expect, it } from 'vitest';
import { isGoneError } from '../src/errors.ts';
import { keepOne } from '../src/once.ts';

interface Item {
  id: number;
}

/** A shared list of items two racers both wrote to, with the removals recorded. */
function store(ids: number[]) {
  const items = ids.map((id) => ({ id }));
  const removed: number[] = [];
  return {
    items,
    removed,
    list: async () => [...items],
    discard: async (mine: Item) => {
      const at = items.findIndex((i) => i.id === mine.id);
      if (at < 0) throw Object.assign(new Error('Not Found'), { status: 404 });
      items.splice(at, 1);
      removed.push(mine.id);
    },
  };
}

describe('keepOne', () => {
  it('both racers agree: the lowest id stays, the other run removes its own copy', async () => {
    const s = store([7, 9]);
    const second = await keepOne({ created: { id: 9 }, list: s.list, order: (i) => i.id, discard: s.discard });
    const first = await keepOne({ created: { id: 7 }, list: s.list, order: (i) => i.id, discard: s.discard });
    expect(second).toEqual({ kept: { id: 7 }, won: false, checked: true });
    expect(first).toEqual({ kept: { id: 7 }, won: true, checked: true });
    expect(s.items).toEqual([{ id: 7 }]);
    expect(s.removed).toEqual([9]);
  });

  it('keeps its own when the list does not show it yet and nothing older is there', async () => {
    const s = store([]);
    expect(await keepOne({ created: { id: 3 }, list: s.list, order: (i) => i.id, discard: s.discard })).toEqual({ kept: { id: 3 }, won: true, checked: true });
    expect(s.removed).toEqual([]);
  });

  it('a 404 or 410 while removing its copy (another run removed it) is fine; another error is thrown', async () => {
    const gone = (status: number) => async () => {
      throw Object.assign(new Error('gone'), { status });
    };
    const list = async () => [{ id: 1 }, { id: 2 }];
    await expect(keepOne({ created: { id: 2 }, list, order: (i) => i.id, discard: gone(404) })).resolves.toMatchObject({ kept: { id: 1 }, won: false });
    await expect(keepOne({ created: { id: 2 }, list, order: (i) => i.id, discard: gone(410) })).resolves.toMatchObject({ kept: { id: 1 }, won: false });
    await expect(keepOne({ created: { id: 2 }, list, order: (i) => i.id, discard: gone(403) })).rejects.toThrow('gone');
  });

  it('a failed second look keeps the created item and says it was not checked', async () => {
    const list = async (): Promise<Item[]> => {
      throw new Error('502 Bad Gateway');
    };
    const discard = async () => {
      throw new Error('must not be called');
    };
    expect(await keepOne({ created: { id: 5 }, list, order: (i) => i.id, discard })).toEqual({ kept: { id: 5 }, won: true, checked: false });
  });

  it('isGoneError', () => {
    expect(isGoneError({ status: 404 })).toBe(true);
    expect(isGoneError({ status: 410 })).toBe(true);
    expect(isGoneError({ status: 500 })).toBe(false);
    expect(isGoneError(null)).toBe(false);
  });
});
