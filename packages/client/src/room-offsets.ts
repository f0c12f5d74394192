/** How far behind the newest offset a late frame is still recognised (and not shown twice). */
const WINDOW = 1024;

/**
 * The offsets a client has shown in one room. Each offset is delivered once: a replay may repeat
 * frames already seen live, and frames published on two nodes may arrive out of order, so "not
 * newer than the last one" would drop real messages. `latest` is the `since` of a rejoin.
 */
export class RoomOffsets {
  #latest: number | undefined;
  readonly #seen = new Set<number>();

  constructor(latest?: number) {
    this.#latest = latest;
  }

  get latest(): number | undefined {
    return this.#latest;
  }

  /** True the first time an offset is seen; false for a repeat. */
  accept(offset: number): boolean {
    const latest = this.#latest;
    if (latest !== undefined && offset <= latest - WINDOW) return false;
    if (this.#seen.has(offset)) return false;
    this.#seen.add(offset);
    if (latest === undefined || offset > latest) this.#latest = offset;
    if (this.#seen.size > 2 * WINDOW) this.#forgetBefore(offset - WINDOW);
    return true;
  }

  /** Forgets everything: the server's history restarted or could not be replayed. */
  reset(latest: number | undefined): void {
    this.#latest = latest;
    this.#seen.clear();
  }

  #forgetBefore(limit: number): void {
    for (const offset of this.#seen) if (offset <= limit) this.#seen.delete(offset);
  }
}
