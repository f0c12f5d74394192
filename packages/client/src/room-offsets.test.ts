import { describe, expect, it } from 'vitest';
import { RoomOffsets } from './room-offsets';

describe('RoomOffsets', () => {
  it('accepts each offset once, also when two nodes deliver out of order', () => {
    const offsets = new RoomOffsets(4);
    expect([6, 5, 6, 7, 5].map(n => offsets.accept(n))).toEqual([true, true, false, true, false]);
    expect(offsets.latest).toBe(7);
  });

  it('refuses offsets from far behind the newest and forgets what it no longer needs', () => {
    const offsets = new RoomOffsets();
    for (let n = 1; n <= 5_000; n++) expect(offsets.accept(n)).toBe(true);
    expect(offsets.accept(100)).toBe(false);
    expect(offsets.accept(4_990)).toBe(false);
  });

  it('starts over after a reset', () => {
    const offsets = new RoomOffsets(10);
    offsets.accept(11);
    offsets.reset(2);
    expect(offsets.latest).toBe(2);
    expect(offsets.accept(3)).toBe(true);
  });
});
