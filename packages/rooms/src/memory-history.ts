import {
  type History,
  type HistoryEntry,
  type HistoryLatest,
  type HistoryOptions,
  type HistorySince,
  withOffset,
} from '@roomcast/protocol';

interface RoomLog {
  /** Offset of the newest message; offsets start at 1. */
  offset: number;
  entries: HistoryEntry[];
  expiresAt: number;
}

export interface MemoryHistoryOptions {
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * The embedded History: the last `size` messages of each room in memory, with offsets that grow
 * by one per message. Offsets survive while the room has traffic; after `ttlMs` of silence the
 * room's log is forgotten and a recovering client is told `recovered: false`.
 *
 * @example
 * const history = new MemoryHistory();
 * const { offset } = await history.append('chat:general', '{"type":"chat","action":"message"}', { size: 100, ttlMs: 60_000 });
 * await history.since('chat:general', offset - 1); // { recovered: true, entries: [that message], offset }
 */
export class MemoryHistory implements History {
  readonly #logs = new Map<string, RoomLog>();
  readonly #now: () => number;

  constructor(options: MemoryHistoryOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async append(roomName: string, frame: string, options: HistoryOptions): Promise<HistoryEntry> {
    const now = this.#now();
    let log = this.#live(roomName, now);
    if (!log) {
      log = { offset: 0, entries: [], expiresAt: 0 };
      this.#logs.set(roomName, log);
    }
    log.offset += 1;
    log.expiresAt = now + options.ttlMs;
    const entry = { offset: log.offset, frame: withOffset(frame, log.offset) };
    log.entries.push(entry);
    while (log.entries.length > options.size) log.entries.shift();
    return entry;
  }

  async since(roomName: string, since: number): Promise<HistorySince> {
    const log = this.#live(roomName, this.#now());
    if (!log) return { recovered: since === 0, entries: [], offset: 0 };
    if (since >= log.offset) return { recovered: since === log.offset, entries: [], offset: log.offset };
    const oldest = log.entries[0]?.offset ?? log.offset + 1;
    if (since + 1 < oldest) return { recovered: false, entries: [], offset: log.offset };
    return { recovered: true, entries: log.entries.slice(since + 1 - oldest), offset: log.offset };
  }

  async latest(roomName: string, count: number): Promise<HistoryLatest> {
    const log = this.#live(roomName, this.#now());
    if (!log) return { entries: [], offset: 0 };
    return { entries: count > 0 ? log.entries.slice(-count) : [], offset: log.offset };
  }

  async close(): Promise<void> {
    this.#logs.clear();
  }

  #live(roomName: string, now: number): RoomLog | undefined {
    const log = this.#logs.get(roomName);
    if (log && log.expiresAt <= now) {
      this.#logs.delete(roomName);
      return undefined;
    }
    return log;
  }
}
