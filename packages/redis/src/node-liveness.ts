import type { Logger } from '@roomcast/protocol';

export interface NodeLivenessOptions {
  heartbeatMs: number;
  sweepMs: number;
  /** Refreshes one node's deadline. */
  beat(nodeId: string): Promise<void>;
  /** Removes the members of dead nodes (any node's, not only ours). */
  sweep(): Promise<void>;
  logger: Logger;
}

/**
 * The timers of the room store: a heartbeat for every node that has members here, and the
 * periodic sweep of dead nodes. Both are unref'd (they never keep a process alive), and a run
 * still waiting on Redis is never overlapped by the next one.
 */
export class NodeLiveness {
  readonly #options: NodeLivenessOptions;
  readonly #nodes = new Set<string>();
  #heartbeat: NodeJS.Timeout | undefined;
  #sweep: NodeJS.Timeout | undefined;
  #beating: Promise<void> | undefined;
  #sweeping: Promise<void> | undefined;
  #failing = false;

  constructor(options: NodeLivenessOptions) {
    this.#options = options;
    this.#sweep = setInterval(() => this.#runSweep(), options.sweepMs);
    this.#sweep.unref();
  }

  /** Starts beating for `nodeId` (its first member arrived). */
  track(nodeId: string): void {
    this.#nodes.add(nodeId);
    if (this.#heartbeat !== undefined) return;
    this.#heartbeat = setInterval(() => this.#runBeat(), this.#options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Stops beating for `nodeId` (it was removed from the store). */
  untrack(nodeId: string): void {
    this.#nodes.delete(nodeId);
    if (this.#nodes.size > 0 || this.#heartbeat === undefined) return;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** Clears the timers and waits for a beat or sweep still talking to Redis. */
  async stop(): Promise<void> {
    this.#nodes.clear();
    clearInterval(this.#heartbeat);
    clearInterval(this.#sweep);
    this.#heartbeat = undefined;
    this.#sweep = undefined;
    await Promise.all([this.#beating, this.#sweeping]);
  }

  #runBeat(): void {
    if (this.#beating) return;
    const beats = [...this.#nodes].map(nodeId => this.#options.beat(nodeId));
    this.#beating = Promise.all(beats).then(
      () => {
        this.#failing = false;
      },
      error => this.#reportFailure(error, 'heartbeat'),
    );
    void this.#beating.finally(() => {
      this.#beating = undefined;
    });
  }

  #runSweep(): void {
    if (this.#sweeping) return;
    this.#sweeping = this.#options.sweep().catch(error => this.#reportFailure(error, 'sweep'));
    void this.#sweeping.finally(() => {
      this.#sweeping = undefined;
    });
  }

  /** Once at warn per outage: Redis being down is already reported by the bus. */
  #reportFailure(error: unknown, what: string): void {
    const entry = { err: error };
    if (this.#failing) this.#options.logger.debug(entry, `RedisRoomStore: ${what} failed`);
    else this.#options.logger.warn(entry, `RedisRoomStore: ${what} failed; members may expire if it goes on`);
    this.#failing = true;
  }
}
