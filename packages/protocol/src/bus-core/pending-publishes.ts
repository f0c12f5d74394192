export interface PendingPublish {
  channel: string;
  payload: string;
}

/**
 * The publishes made while the transport is down, oldest first, at most `limit` of them. When
 * full, the oldest is dropped: after an outage the freshest state matters more than the oldest.
 * Clients' own offline queues are often unbounded (ioredis's is), so the core never lets a
 * publish reach the transport while it is down.
 */
export class PendingPublishes {
  readonly #limit: number;
  // A ring buffer: pushing and shifting stay O(1) at 10,000 entries, unlike Array#shift.
  readonly #items: (PendingPublish | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;

  constructor(limit: number) {
    this.#limit = limit;
    this.#items = new Array(Math.min(limit, 1024));
  }

  get size(): number {
    return this.#size;
  }

  /** How many publishes were dropped since this queue was made. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds a publish; returns false when it (or an older one) had to be dropped. */
  push(item: PendingPublish): boolean {
    if (this.#limit === 0) {
      this.#dropped++;
      return false;
    }
    let kept = true;
    if (this.#size === this.#limit) {
      this.shift();
      this.#dropped++;
      kept = false;
    }
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) % this.#items.length] = item;
    this.#size++;
    return kept;
  }

  shift(): PendingPublish | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return item;
  }

  /** Removes and returns everything, oldest first. */
  drain(): PendingPublish[] {
    const all: PendingPublish[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) all.push(item);
    return all;
  }

  /** Empties the queue, counting what it held as dropped (the bus is closing). */
  discard(): number {
    const count = this.#size;
    this.drain();
    this.#dropped += count;
    return count;
  }

  #grow(): void {
    const ordered = this.drain();
    const capacity = Math.min(this.#limit, Math.max(1, this.#items.length * 2));
    this.#items.length = 0;
    this.#items.length = capacity;
    this.#head = 0;
    ordered.forEach((item, i) => {
      this.#items[i] = item;
    });
    this.#size = ordered.length;
  }
}
