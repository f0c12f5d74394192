import { describe, expect, it } from 'vitest';
import { CompactMultimap } from './compact-multimap';

describe('CompactMultimap', () => {
  it('keeps a set of values per key, one value or many, and forgets empty keys', () => {
    const map = new CompactMultimap<string, string>();
    expect(map.add('u', 'a')).toBe(true);
    expect(map.add('u', 'a')).toBe(false);
    expect([...map.get('u')]).toEqual(['a']);
    expect(map.add('u', 'b')).toBe(true);
    expect(map.add('u', 'c')).toBe(true);
    expect(map.add('u', 'b')).toBe(false);
    expect([...map.get('u')]).toEqual(['a', 'b', 'c']);
    expect(map.has('u', 'b')).toBe(true);
    expect(map.delete('u', 'b')).toBe(true);
    expect(map.delete('u', 'b')).toBe(false);
    expect(map.delete('u', 'a')).toBe(true);
    expect([...map.get('u')]).toEqual(['c']);
    expect(map.has('u', 'a')).toBe(false);
    expect(map.delete('u', 'x')).toBe(false);
    expect(map.delete('u', 'c')).toBe(true);
    expect(map.get('u').size).toBe(0);
    expect(map.has('u', 'c')).toBe(false);
    expect(map.delete('nobody', 'c')).toBe(false);
  });

  it('hands out snapshots: changing the map while iterating them is safe', () => {
    const map = new CompactMultimap<number, string>();
    for (const value of ['a', 'b', 'c']) map.add(1, value);
    const seen: string[] = [];
    for (const value of map.get(1)) {
      seen.push(value);
      map.delete(1, value);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(map.get(1).size).toBe(0);
  });
});
