import {
  type AppendResult,
  BusChannel,
  checkOptions,
  type DurableMessage,
  type History,
  type HistoryEntry,
  type HistoryLatest,
  type HistoryOptions,
  type HistorySince,
  newEpoch,
  withOffset,
} from '@roomcast/protocol';
import { closeClient, isClusterClient, type RedisClient } from './clients';
import { type CommandClientOptions, resolveCommandClient, runScript } from './command-client';
import { APPEND, LATEST, SINCE } from './history-scripts';
import { checkPrefix, historyKeys, resolvePrefix } from './keys';
import { REDIS_HISTORY_OPTIONS_SCHEMA } from './options-schemas';
import { checkRoomName } from './room-member';

export interface RedisHistoryOptions extends CommandClientOptions {
  /** Put before every key. Default `roomcast:<appName>:`. */
  prefix?: string;
  appName?: string;
  /**
   * The prefix of the RedisBus the nodes listen on (default: `prefix`): the append publishes each
   * durable message on that bus's room channel in the same step, so every node gets it in order.
   */
  busPrefix?: string;
  /**
   * How long a room's position (offset and epoch) outlives its last message, at least the
   * history's ttlMs. Offsets then keep growing across an expiry of the messages, so a `since`
   * from before it is still answered exactly instead of with a new epoch.
   */
  offsetTtlMs?: number;
  /** How long an append's id is remembered, so a retried append is stored once. */
  idempotencyTtlMs?: number;
  /**
   * Publish with SPUBLISH (sharded pub/sub) rather than PUBLISH: set it as the RedisBus's
   * `sharded`. Default: true on a Cluster client, as the bus's default.
   */
  sharded?: boolean;
}

export const DEFAULT_REDIS_HISTORY_OPTIONS = Object.freeze({
  appName: 'default',
  offsetTtlMs: 7 * 24 * 60 * 60 * 1000,
  idempotencyTtlMs: 5 * 60 * 1000,
});

const OWNER = 'RedisHistory';

/**
 * Per-room streams in Redis, so any node can replay a room. One Lua script per operation: the
 * append takes the next offset, XADDs the frame (`MAXLEN =` keeps exactly `size`), remembers the
 * message id and PUBLISHes (SPUBLISH on a Cluster) the bus message, all in one atomic step, so
 * every node receives a room's messages in offset order and a retried append is stored once.
 * The position (`meta`: epoch and offset) is created on first use; when Redis loses it (flush,
 * restart, expiry) the next use starts a new epoch, and a `since` from the old one is refused.
 *
 * @example
 * const history = new RedisHistory({ client: redis.publisherClient, appName: 'chat' });
 * const publish = { channel: 'room:general', head: durableHead({ origin: 'n1', room: 'general', id: 'n1/1' }) };
 * const frame = '{"type":"chat","action":"message","room":"general"}';
 * const { offset, epoch } = await history.append('general', { id: 'n1/1', frame, publish }, { size: 100, ttlMs: 3_600_000 });
 * const missed = await history.since('general', offset - 1, epoch); // { recovered: true, entries: [...] }
 */
export class RedisHistory implements History {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #busPrefix: string;
  readonly #sharded: boolean;
  readonly #offsetTtlMs: number;
  readonly #idTtlMs: number;
  #closed = false;

  constructor(options: RedisHistoryOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${OWNER}: pass an options object: { client } or { connection }.`);
    }
    checkOptions(OWNER, options, REDIS_HISTORY_OPTIONS_SCHEMA);
    this.#prefix = resolvePrefix(
      OWNER,
      options.prefix,
      options.appName ?? DEFAULT_REDIS_HISTORY_OPTIONS.appName,
    );
    this.#busPrefix = options.busPrefix === undefined ? this.#prefix : checkPrefix(OWNER, options.busPrefix);
    // The schema has checked every value given; the defaults are valid.
    this.#offsetTtlMs = options.offsetTtlMs ?? DEFAULT_REDIS_HISTORY_OPTIONS.offsetTtlMs;
    this.#idTtlMs = options.idempotencyTtlMs ?? DEFAULT_REDIS_HISTORY_OPTIONS.idempotencyTtlMs;
    const { client, owned } = resolveCommandClient(OWNER, options);
    this.#client = client;
    this.#owned = owned;
    this.#sharded = options.sharded ?? isClusterClient(client);
  }

  async append(roomName: string, message: DurableMessage, options: HistoryOptions): Promise<AppendResult> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    checkMessage(message);
    const size = positiveCount('options.size', options?.size, 'messages');
    const ttlMs = positiveCount('options.ttlMs', options?.ttlMs, 'milliseconds');
    const keys = this.#keys(roomName);
    const reply = await runScript(
      this.#client,
      APPEND,
      [keys.stream, keys.meta, keys.id(message.id)],
      [
        message.frame,
        size,
        ttlMs,
        this.#offsetTtlMs,
        this.#idTtlMs,
        newEpoch(),
        this.#busPrefix + message.publish.channel,
        message.publish.head,
        this.#sharded ? 1 : 0,
        message.id,
      ],
    );
    const [offset, epoch, duplicate] = Array.isArray(reply) ? reply : [];
    return { offset: Number(offset), epoch: String(epoch), duplicate: duplicate === 1, published: true };
  }

  async since(roomName: string, since: number, epoch?: string): Promise<HistorySince> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    if (!Number.isSafeInteger(since) || since < 0) {
      throw new TypeError(`${OWNER}.since: since must be an offset (a whole number >= 0); got ${since}.`);
    }
    const keys = this.#keys(roomName);
    const reply = await runScript(
      this.#client,
      SINCE,
      [keys.stream, keys.meta],
      [since, epoch ?? '', newEpoch(), this.#offsetTtlMs],
    );
    const { offset, epoch: current, entries } = readPosition(reply);
    const position = { offset, epoch: current };
    const sameRun = epoch === current || (epoch === undefined && since === 0);
    if (!sameRun || since > offset) return { ...position, recovered: false, entries: [] };
    // Complete only if every offset after `since` is still in the stream (none trimmed or expired).
    const recovered = entries.length === offset - since && (entries[0]?.offset ?? since + 1) === since + 1;
    return { ...position, recovered, entries: recovered ? entries : [] };
  }

  async latest(roomName: string, count: number): Promise<HistoryLatest> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new TypeError(`${OWNER}.latest: count must be a whole number >= 0; got ${count}.`);
    }
    const keys = this.#keys(roomName);
    const reply = await runScript(
      this.#client,
      LATEST,
      [keys.stream, keys.meta],
      [count, newEpoch(), this.#offsetTtlMs],
    );
    const { offset, epoch, entries } = readPosition(reply);
    return { offset, epoch, entries: entries.reverse() };
  }

  /** Quits a client it opened; the history itself stays in Redis. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await closeClient(this.#client);
  }

  #keys(roomName: string) {
    return historyKeys(this.#prefix, this.#busPrefix + BusChannel.room(roomName));
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`${OWNER}: the history is closed.`);
  }
}

/** Script reply `{ offset, epoch, entries }`, entries as XRANGE gives them. */
function readPosition(reply: unknown): { offset: number; epoch: string; entries: HistoryEntry[] } {
  const [offset, epoch, rawEntries] = Array.isArray(reply) ? reply : [];
  return { offset: Number(offset ?? 0), epoch: String(epoch ?? ''), entries: parseEntries(rawEntries) };
}

/** XRANGE reply `[[entryId, ['f', frame, 'i', id]], ...]` -> entries, the offset from the entry id. */
function parseEntries(reply: unknown): HistoryEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: HistoryEntry[] = [];
  for (const item of reply) {
    const [entryId, fields] = Array.isArray(item) ? item : [];
    const [, frame, , id] = Array.isArray(fields) ? fields : [];
    const offset = typeof entryId === 'string' ? Number(entryId.slice(entryId.indexOf('-') + 1)) : Number.NaN;
    if (!Number.isSafeInteger(offset) || typeof frame !== 'string') continue;
    entries.push({ offset, id: typeof id === 'string' ? id : '', frame: withOffset(frame, offset) });
  }
  return entries;
}

function checkMessage(message: DurableMessage): void {
  const { id, frame, publish } = message ?? {};
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
    throw new TypeError(`${OWNER}.append: message.id must be a string of 1-128 characters.`);
  }
  if (typeof frame !== 'string' || !frame.startsWith('{') || !frame.endsWith('}')) {
    throw new TypeError(
      `${OWNER}.append: message.frame must be a serialized JSON object (the offset is added to it).`,
    );
  }
  if (
    typeof publish?.channel !== 'string' ||
    typeof publish.head !== 'string' ||
    !publish.head.startsWith('{')
  ) {
    throw new TypeError(`${OWNER}.append: message.publish must be { channel, head } (see durableHead).`);
  }
}

function positiveCount(name: string, value: unknown, unit: string): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new TypeError(`${OWNER}.append: ${name} must be a positive whole number of ${unit}; got ${value}.`);
  }
  return value as number;
}
