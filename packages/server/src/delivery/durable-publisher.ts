import {
  type Bus,
  BusChannel,
  completeDurablePayload,
  durableHead,
  type History,
  type HistoryOptions,
  type Logger,
  newEpoch,
} from '@roomcast/protocol';
import type { Followed, RoomStreams } from './room-streams';

export interface DurablePublisherDeps {
  nodeId: string;
  bus: Bus;
  history: History;
  streams: RoomStreams;
  logger: Logger;
  /** How long a durable message may wait for the stream before it goes out live here. */
  maxLiveDelayMs: number;
}

interface Waiting {
  roomName: string;
  /** The room as followed at the publish; undefined: no members here to deliver to. */
  followedAt: Followed | undefined;
  frame: string;
  exclude: string | undefined;
  /** Resolves the publish's promise. */
  settle: () => void;
  deadline: number;
}

/**
 * The origin side of a durable room message: it gets an id here (so a retried append is stored
 * once), the history appends and publishes it, and this node's members get it from the bus like
 * every other node's, in offset order. When the bus does not bring it back within
 * `maxLiveDelayMs` (Redis unreachable, or not answering), this node's members get it live
 * without an offset instead: live traffic never waits on Redis.
 */
export class DurablePublisher {
  readonly #deps: DurablePublisherDeps;
  /** Unique per server instance, so ids never repeat across restarts of a node with a fixed nodeId. */
  readonly #idPrefix = `${newEpoch()}.`;
  #seq = 0;
  /** Messages whose bus copy has not arrived, oldest (earliest deadline) first. */
  readonly #waiting = new Map<string, Waiting>();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: DurablePublisherDeps) {
    this.#deps = deps;
  }

  /**
   * Resolves once the message is appended, or once `maxLiveDelayMs` passed without an answer (it
   * then went out live to this node's members): a caller never waits on Redis longer than that.
   */
  publish(
    roomName: string,
    frame: string,
    exclude: string | undefined,
    options: HistoryOptions,
  ): Promise<void> {
    const { nodeId, bus, history, logger, maxLiveDelayMs } = this.#deps;
    const id = this.#idPrefix + (++this.#seq).toString(36);
    const channel = BusChannel.room(roomName);
    const head = durableHead({ origin: nodeId, room: roomName, id, exclude });
    let settle = () => {};
    const done = new Promise<void>(resolve => {
      settle = resolve;
    });
    // Only a room with members here needs its own message back in time.
    const followedAt = this.#deps.streams.following(roomName);
    if (followedAt && !bus.connected) {
      // Messages still waiting will not come back either: they go first, in the order sent.
      for (const waiting of [...this.#waiting.keys()]) this.#goLive(waiting);
      this.#deps.streams.deliverLive(roomName, followedAt, { id, frame, exclude });
      settle();
    } else {
      this.#wait(id, { roomName, followedAt, frame, exclude, settle, deadline: Date.now() + maxLiveDelayMs });
    }
    const appended = history
      .append(roomName, { id, frame, publish: { channel, head } }, options)
      .then(result => {
        // An in-process history has no bus of its own: publishing now, in append order, is its order.
        if (!result.published && !result.duplicate)
          return bus.publish(channel, completeDurablePayload(head, result, frame));
      })
      .then(settle, (error: unknown) => {
        logger.error({ err: error, roomName }, 'history append failed; delivered here without offset');
        this.#goLive(id);
        settle();
      });
    this.#inFlight.add(appended);
    void appended.then(() => this.#inFlight.delete(appended));
    return done;
  }

  /** The bus brought back a message of this node's: it is delivered from the stream. */
  arrived(id: string): void {
    const waiting = this.#waiting.get(id);
    if (!waiting) return;
    this.#waiting.delete(id);
    waiting.settle(); // it is in the stream: the script published it
  }

  /** Waits (at most `timeoutMs`) until every append in flight has landed or failed. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.#inFlight.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>(resolve => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
    clearTimeout(timer);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiting of this.#waiting.values()) waiting.settle();
    this.#waiting.clear();
  }

  #wait(id: string, waiting: Waiting): void {
    this.#waiting.set(id, waiting);
    if (!this.#timer) this.#arm();
  }

  #arm(): void {
    const first = this.#waiting.values().next().value;
    this.#timer = undefined;
    if (!first) return;
    this.#timer = setTimeout(
      // After the poll phase: a reply that arrived while the event loop was busy goes first.
      () => setImmediate(() => this.#expire()),
      Math.max(0, first.deadline - Date.now()),
    );
  }

  #expire(): void {
    const now = Date.now();
    for (const [id, waiting] of this.#waiting) {
      if (waiting.deadline > now) break;
      this.#goLive(id);
    }
    this.#arm();
  }

  #goLive(id: string): void {
    const waiting = this.#waiting.get(id);
    if (!waiting) return;
    this.#waiting.delete(id);
    const { roomName, followedAt, frame, exclude } = waiting;
    if (followedAt) this.#deps.streams.deliverLive(roomName, followedAt, { id, frame, exclude });
    waiting.settle();
  }
}
