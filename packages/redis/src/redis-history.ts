import {
  type History,
  type HistoryEntry,
  type HistoryLatest,
  type HistoryOptions,
  type HistorySince,
  withOffset,
} from '@roomcast/protocol';
import { closeClient, type RedisClient } from './clients';
import { type CommandClientOptions, defineScript, resolveCommandClient, runScript } from './command-client';
import { historyKeys, resolvePrefix } from './keys';
import { checkRoomName } from './room-member';

export interface RedisHistoryOptions extends CommandClientOptions {
  /** Put before every key. Default `roomcast:<appName>:`. */
  prefix?: string;
  appName?: string;
  /**
   * How long a room's offset counter outlives its last message (at least the history's ttlMs).
   * Offsets then keep growing across a history expiry, so an old `since` can never match new
   * messages that reused its numbers.
   */
  offsetTtlMs?: number;
}

export const DEFAULT_REDIS_HISTORY_OPTIONS = Object.freeze({
  appName: 'default',
  offsetTtlMs: 7 * 24 * 60 * 60 * 1000,
});

const OWNER = 'RedisHistory';

/**
 * KEYS: stream, offset. ARGV: frame, size, ttlMs, offsetTtlMs. Returns the new offset.
 * The entry id `0-<offset>` makes the stream itself say which offsets it still holds. If the
 * counter was lost while the stream was not (deleted by hand), it restarts after the stream's
 * last id instead of failing every append.
 */
const APPEND = defineScript(`
local offset = redis.call('INCR', KEYS[2])
local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '=', ARGV[2], '0-' .. offset, 'f', ARGV[1])
if type(added) == 'table' and added.err then
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
  if not last then return redis.error_reply(added.err) end
  offset = tonumber(string.match(last[1], '^0%-(%d+)$')) + 1
  redis.call('SET', KEYS[2], offset)
  redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[2], '0-' .. offset, 'f', ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], math.max(tonumber(ARGV[3]), tonumber(ARGV[4])))
return offset
`);

/** KEYS: stream, offset. ARGV: since. Returns { latest, entries after since }. */
const SINCE = defineScript(`
local latest = tonumber(redis.call('GET', KEYS[2]) or '0')
local since = tonumber(ARGV[1])
if since >= latest then return {latest, {}} end
return {latest, redis.call('XRANGE', KEYS[1], '0-' .. (since + 1), '+')}
`);

/** KEYS: stream, offset. ARGV: count. Returns { latest, newest `count` entries, newest first }. */
const LATEST = defineScript(`
local latest = tonumber(redis.call('GET', KEYS[2]) or '0')
local count = tonumber(ARGV[1])
if count <= 0 or latest == 0 then return {latest, {}} end
return {latest, redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', count)}
`);

/**
 * Per-room history in Redis Streams, so any node can replay a room: offsets are cluster-wide
 * (one counter per room), the stream keeps exactly the last `size` frames (`MAXLEN =`), and both
 * expire `ttlMs` after the room's last message.
 *
 * @example
 * const history = new RedisHistory({ client: redis.publisherClient, appName: 'chat' });
 * const { offset, frame } = await history.append('general', '{"type":"chat","action":"message"}', {
 *   size: 100,
 *   ttlMs: 3_600_000,
 * });
 * const missed = await history.since('general', offset - 1); // { recovered: true, entries: [...] }
 */
export class RedisHistory implements History {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #offsetTtlMs: number;
  #closed = false;

  constructor(options: RedisHistoryOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${OWNER}: pass an options object: { client } or { connection }.`);
    }
    this.#prefix = resolvePrefix(
      OWNER,
      options.prefix,
      options.appName ?? DEFAULT_REDIS_HISTORY_OPTIONS.appName,
    );
    const offsetTtlMs = options.offsetTtlMs ?? DEFAULT_REDIS_HISTORY_OPTIONS.offsetTtlMs;
    if (!Number.isSafeInteger(offsetTtlMs) || offsetTtlMs <= 0) {
      throw new TypeError(
        `${OWNER}: offsetTtlMs must be a positive whole number of milliseconds; got ${offsetTtlMs}.`,
      );
    }
    this.#offsetTtlMs = offsetTtlMs;
    const { client, owned } = resolveCommandClient(OWNER, options);
    this.#client = client;
    this.#owned = owned;
  }

  async append(roomName: string, frame: string, options: HistoryOptions): Promise<HistoryEntry> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    if (typeof frame !== 'string' || !frame.startsWith('{') || !frame.endsWith('}')) {
      throw new TypeError(
        `${OWNER}.append: frame must be a serialized JSON object (the offset is added to it).`,
      );
    }
    const size = options?.size;
    const ttlMs = options?.ttlMs;
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw new TypeError(
        `${OWNER}.append: options.size must be a positive whole number of messages; got ${size}.`,
      );
    }
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
      throw new TypeError(
        `${OWNER}.append: options.ttlMs must be a positive whole number of milliseconds; got ${ttlMs}.`,
      );
    }
    const keys = historyKeys(this.#prefix, roomName);
    const offset = Number(
      await runScript(
        this.#client,
        APPEND,
        [keys.stream, keys.offset],
        [frame, size, ttlMs, this.#offsetTtlMs],
      ),
    );
    return { offset, frame: withOffset(frame, offset) };
  }

  async since(roomName: string, since: number): Promise<HistorySince> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    if (!Number.isSafeInteger(since) || since < 0) {
      throw new TypeError(`${OWNER}.since: since must be an offset (a whole number >= 0); got ${since}.`);
    }
    const keys = historyKeys(this.#prefix, roomName);
    const reply = await runScript(this.#client, SINCE, [keys.stream, keys.offset], [since]);
    const [latestReply, rawEntries] = Array.isArray(reply) ? reply : [];
    const latest = Number(latestReply ?? 0);
    if (since === latest) return { recovered: true, entries: [], offset: latest };
    // since > latest: the client saw offsets of a history Redis has lost (a restart without
    // persistence, or a counter that expired), so nothing here is known to follow them.
    if (since > latest) return { recovered: false, entries: [], offset: latest };
    const entries = parseEntries(rawEntries);
    const complete = entries.length === latest - since && entries[0]?.offset === since + 1;
    return { recovered: complete, entries: complete ? entries : [], offset: latest };
  }

  async latest(roomName: string, count: number): Promise<HistoryLatest> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new TypeError(`${OWNER}.latest: count must be a whole number >= 0; got ${count}.`);
    }
    const keys = historyKeys(this.#prefix, roomName);
    const reply = await runScript(this.#client, LATEST, [keys.stream, keys.offset], [count]);
    const [latestReply, rawEntries] = Array.isArray(reply) ? reply : [];
    return { entries: parseEntries(rawEntries).reverse(), offset: Number(latestReply ?? 0) };
  }

  /** Quits a client it opened; the history itself stays in Redis. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await closeClient(this.#client);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`${OWNER}: the history is closed.`);
  }
}

/** XRANGE reply `[[id, [field, frame]], ...]` -> entries, the offset read back from the id. */
function parseEntries(reply: unknown): HistoryEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: HistoryEntry[] = [];
  for (const item of reply) {
    const [id, fields] = Array.isArray(item) ? item : [];
    const frame = Array.isArray(fields) ? fields[1] : undefined;
    const offset = typeof id === 'string' ? Number(id.slice(id.indexOf('-') + 1)) : Number.NaN;
    if (!Number.isSafeInteger(offset) || typeof frame !== 'string') continue;
    entries.push({ offset, frame: withOffset(frame, offset) });
  }
  return entries;
}
