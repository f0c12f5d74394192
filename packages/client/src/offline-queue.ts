import type { ClientFrame } from '@roomcast/protocol';

/**
 * Frames sent while offline, flushed in order after the next (re)connect. Bounded: past `max`
 * the oldest frame is dropped (its request, if any, is failed by the caller) and counted.
 */
export class OfflineQueue {
  readonly #max: number;
  #frames: ClientFrame[] = [];
  dropped = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Queues a frame; returns the frames pushed out to make room. */
  push(frame: ClientFrame): ClientFrame[] {
    this.#frames.push(frame);
    const over = Math.max(0, this.#frames.length - this.#max);
    const out = this.#frames.splice(0, over);
    this.dropped += out.length;
    return out;
  }

  /** Forgets a queued request (it timed out: sending it later would do work nobody awaits). */
  remove(id: ClientFrame['id']): void {
    this.#frames = this.#frames.filter(frame => frame.id !== id);
  }

  drain(): ClientFrame[] {
    return this.#frames.splice(0);
  }

  get size(): number {
    return this.#frames.length;
  }
}
