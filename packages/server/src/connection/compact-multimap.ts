/**
 * Key → set of values that keeps a lone value as is: most clients are in one room and most users
 * have one connection, and a Set costs about 160 bytes of heap per key.
 */
export class CompactMultimap<K, V extends string | number> {
  readonly #entries = new Map<K, V | Set<V>>();

  /** False when the value was already there. */
  add(key: K, value: V): boolean {
    const current = this.#entries.get(key);
    if (current === undefined) {
      this.#entries.set(key, value);
      return true;
    }
    if (current instanceof Set) {
      if (current.has(value)) return false;
      current.add(value);
      return true;
    }
    if (current === value) return false;
    this.#entries.set(key, new Set([current, value]));
    return true;
  }

  /** False when the value was not there. A key without values is forgotten. */
  delete(key: K, value: V): boolean {
    const current = this.#entries.get(key);
    if (current instanceof Set) {
      if (!current.delete(value)) return false;
      if (current.size === 1) this.#entries.set(key, current.values().next().value as V);
      return true;
    }
    if (current !== value) return false;
    this.#entries.delete(key);
    return true;
  }

  has(key: K, value: V): boolean {
    const current = this.#entries.get(key);
    return current instanceof Set ? current.has(value) : current === value;
  }

  /** A snapshot of the key's values: later changes do not show in it. */
  get(key: K): ReadonlySet<V> {
    const current = this.#entries.get(key);
    if (current === undefined) return new Set();
    return new Set(current instanceof Set ? current : [current]);
  }
}
