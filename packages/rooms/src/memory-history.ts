import {
  type AppendResult,
  type DurableMessage,
  type History,
  type HistoryEntry,
  type HistoryLatest,
  type HistoryOptions,
  type HistorySince,
  newEpoch,
  withOffset,
} from '@roomcast/protocol';

interface RoomStream {
  epoch: string;
  /** Offset of the newest message; offsets start at 1 in each epoch. */
  offset: number;
  /** Kept messages, oldest first, frames without offset. */
  entries: HistoryEntry[];
  /** When the kept messages go (ttlMs after the last append). */
  entriesExpireAt: number;
  /** When the position itself goes and the next use starts a new epoch. */
  expiresAt: number;
  /** Recent message ids -> [offset, when seen], oldest first, for idempotent appends. */
  ids: Map<string, [number, number]>;
}

export interface MemoryHistoryOptions {
  /**
   * How long a room's position (offset and epoch) outlives its last message, at least the
   * history's ttlMs. Offsets keep growing across an expiry of the messages, so a `since` from
   * before it is answered exactly. Default 7 days, as RedisHistory.
   */
  metaTtlMs?: number;
  /** How long an append's id is remembered, so a retry is not stored twice. Default 5 minutes. */
  idempotencyTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export const DEFAULT_MEMORY_HISTORY_OPTIONS = Object.freeze({
  metaTtlMs: 7 * 24 * 60 * 60 * 1000,
  idempotencyTtlMs: 5 * 60 * 1000,
});

/** Expired rooms are also dropped when nothing touches them again. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The embedded History: the last `size` durable messages of each room in memory, one epoch per
 * room stream, offsets that grow by one per message. The order of a room is the call order. It has
 * no bus, so it leaves the publish to the caller (`published: false`).
 *
 * @example
 * const history = new MemoryHistory();
 * const publish = { channel: 'room:general', head: '{"kind":"durable"' };
 * const frame = '{"type":"chat","action":"message","room":"general"}';
 * const { offset, epoch } = await history.append('general', { id: 'n1/1', frame, publish }, { size: 100, ttlMs: 60_000 });
 * await history.since('general', offset - 1, epoch); // { recovered: true, entries: [that message], offset, epoch }
 */
export class MemoryHistory implements History {
  readonly #streams = new Map<string, RoomStream>();
  readonly #now: () => number;
  readonly #metaTtlMs: number;
  readonly #idTtlMs: number;
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(options: MemoryHistoryOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#metaTtlMs = positive('metaTtlMs', options.metaTtlMs ?? DEFAULT_MEMORY_HISTORY_OPTIONS.metaTtlMs);
    this.#idTtlMs = positive(
      'idempotencyTtlMs',
      options.idempotencyTtlMs ?? DEFAULT_MEMORY_HISTORY_OPTIONS.idempotencyTtlMs,
    );
    this.#sweep = setInterval(() => this.#dropExpired(), SWEEP_INTERVAL_MS);
    this.#sweep.unref?.();
  }

  async append(roomName: string, message: DurableMessage, options: HistoryOptions): Promise<AppendResult> {
    const now = this.#now();
    const stream = this.#stream(roomName, now);
    const seen = stream.ids.get(message.id);
    if (seen && seen[1] + this.#idTtlMs > now) {
      return { offset: seen[0], epoch: stream.epoch, duplicate: true, published: false };
    }
    if (stream.entriesExpireAt <= now) stream.entries = [];
    stream.offset += 1;
    stream.entries.push({ offset: stream.offset, id: message.id, frame: message.frame });
    if (stream.entries.length > options.size) stream.entries.splice(0, stream.entries.length - options.size);
    stream.entriesExpireAt = now + options.ttlMs;
    stream.expiresAt = now + Math.max(options.ttlMs, this.#metaTtlMs);
    this.#remember(stream, message.id, now);
    return { offset: stream.offset, epoch: stream.epoch, duplicate: false, published: false };
  }

  async since(roomName: string, since: number, epoch?: string): Promise<HistorySince> {
    const now = this.#now();
    const stream = this.#stream(roomName, now);
    const position = { offset: stream.offset, epoch: stream.epoch };
    const sameRun = epoch === stream.epoch || (epoch === undefined && since === 0);
    if (!sameRun || since > stream.offset) return { ...position, recovered: false, entries: [] };
    const entries = this.#kept(stream, now);
    const missed = entries.filter(entry => entry.offset > since);
    // Every offset after `since` must still be here: the first kept one follows it directly.
    const recovered = missed.length === stream.offset - since;
    return { ...position, recovered, entries: recovered ? missed.map(onWire) : [] };
  }

  async latest(roomName: string, count: number): Promise<HistoryLatest> {
    const now = this.#now();
    const stream = this.#stream(roomName, now);
    const entries = count > 0 ? this.#kept(stream, now).slice(-count).map(onWire) : [];
    return { offset: stream.offset, epoch: stream.epoch, entries };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#streams.clear();
  }

  /** The room's live stream, a new epoch when it had none or its position expired. */
  #stream(roomName: string, now: number): RoomStream {
    const current = this.#streams.get(roomName);
    if (current && current.expiresAt > now) return current;
    const stream: RoomStream = {
      epoch: newEpoch(),
      offset: 0,
      entries: [],
      entriesExpireAt: 0,
      expiresAt: now + this.#metaTtlMs,
      ids: new Map(),
    };
    this.#streams.set(roomName, stream);
    return stream;
  }

  #kept(stream: RoomStream, now: number): HistoryEntry[] {
    if (stream.entriesExpireAt <= now) stream.entries = [];
    return stream.entries;
  }

  #remember(stream: RoomStream, id: string, now: number): void {
    stream.ids.set(id, [stream.offset, now]);
    // Oldest first: stop at the first id still within its time.
    for (const [key, [, seenAt]] of stream.ids) {
      if (seenAt + this.#idTtlMs > now) break;
      stream.ids.delete(key);
    }
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [roomName, stream] of this.#streams)
      if (stream.expiresAt <= now) this.#streams.delete(roomName);
  }
}

function onWire(entry: HistoryEntry): HistoryEntry {
  return { ...entry, frame: withOffset(entry.frame, entry.offset) };
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(
      `MemoryHistory: ${name} must be a positive whole number of milliseconds; got ${value}.`,
    );
  }
  return value;
}
