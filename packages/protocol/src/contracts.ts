import type { UserId } from './frames';

// ---- rooms -----------------------------------------------------------------------------------

/** One client in a room, as every node sees it. */
export interface RoomMember {
  clientId: string;
  nodeId: string;
  /** From auth only; null for anonymous clients. */
  userId: UserId | null;
  /** Display name the client chose (trimmed, at most 64 characters), or null. */
  username: string | null;
}

/**
 * Cluster-wide room membership, for queries and presence. Delivery never reads it: each node
 * keeps its own clients' rooms in memory. A rejected promise means the store could not be
 * reached; the caller treats the operation as failed and the client gets INTERNAL_ERROR.
 */
export interface RoomStore {
  /** Records `member` in `roomName` (idempotent for the same clientId). */
  add(roomName: string, member: RoomMember): Promise<void>;
  /** Removes a client from a room; removing a client that is not there is not an error. */
  remove(roomName: string, clientId: string): Promise<void>;
  /** Every member on every live node. */
  members(roomName: string): Promise<RoomMember[]>;
  /** Names of the rooms that have at least one member, sorted by name. */
  rooms(): Promise<string[]>;
  /** Forgets every member of a node at once (the node is stopping). */
  removeNode(nodeId: string): Promise<void>;
  /**
   * Optional: tells when members vanish without a leave (their node died and its heartbeat
   * expired), so presence `leave` events can be sent. Returns a function that stops it.
   */
  onMembersExpired?(listener: (roomName: string, members: RoomMember[]) => void): () => void;
  /** Stops timers and connections this store opened. */
  close(): Promise<void>;
}

// ---- history ---------------------------------------------------------------------------------

export interface HistoryOptions {
  /** Messages kept per room. */
  size: number;
  /** How long a room's history lives after its last message. */
  ttlMs: number;
}

/**
 * Where a room's stream stands. Offsets grow by one per durable message; the epoch names one
 * unbroken run of them and changes whenever the history may have been lost (the position itself
 * expired, a flush, a store restart), so an offset is only meaningful with its epoch. Messages
 * expiring while the position lives keep the epoch: offsets go on, and `since` says what is gone.
 */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

export interface HistoryEntry {
  offset: number;
  /** The id its origin gave the message (`DurableMessage.id`). */
  id: string;
  /** The client frame as sent on the wire, offset included. */
  frame: string;
}

/** A durable room message on its way into a room's stream. */
export interface DurableMessage {
  /** Unique per message, chosen at its origin: a retried append of the same id is stored once. */
  id: string;
  /** The client frame: a serialized JSON object, without `offset`. */
  frame: string;
  /**
   * The bus message that announces it: a history that can (Redis) publishes
   * `completeDurablePayload(head, position, frame)` on `channel` in the same atomic step as the
   * append, so every node sees a room's messages in offset order.
   */
  publish: { channel: string; head: string };
}

export interface AppendResult extends StreamPosition {
  /**
   * The id was appended before: nothing was stored or published again; the position is the first
   * append's, and `published` is what it was then.
   */
  duplicate: boolean;
  /**
   * True when the history published the message on the bus itself, atomically with the append.
   * False (an in-process history): the caller publishes it, right away, in append order.
   */
  published: boolean;
}

export interface HistorySince extends StreamPosition {
  /**
   * True only when `entries` are every message after `since`, exactly once, in order: the epoch
   * matched and nothing after `since` was trimmed or expired.
   */
  recovered: boolean;
  /** The messages after `since`, in offset order (empty when not recovered). */
  entries: HistoryEntry[];
}

export interface HistoryLatest extends StreamPosition {
  entries: HistoryEntry[];
}

/**
 * Per-room streams of durable messages with offsets that grow by one per message, cluster-wide.
 * Reads give the stream's current position, creating its epoch if the room has none yet, so a
 * client that joined an empty room can still recover later. A rejected promise means the history
 * could not be reached. Every implementation passes `describeHistoryContract`.
 */
export interface History {
  /** Gives `message` the room's next offset and keeps it (the last `size`, for `ttlMs`). */
  append(roomName: string, message: DurableMessage, options: HistoryOptions): Promise<AppendResult>;
  /**
   * The messages after offset `since` of epoch `epoch`. Without an epoch only `since: 0` can be
   * recovered: any other offset may belong to a history that is gone.
   */
  since(roomName: string, since: number, epoch?: string): Promise<HistorySince>;
  /** Up to `count` of the newest kept messages, oldest first, and the stream's position. */
  latest(roomName: string, count: number): Promise<HistoryLatest>;
  close(): Promise<void>;
}

/** Adds `"offset": n` to a serialized JSON object frame without parsing it again. */
export function withOffset(frame: string, offset: number): string {
  return `${frame.slice(0, -1)},"offset":${offset}}`;
}

/** Epochs are short and JSON-safe, so a Lua script can write them into a header as they are. */
export function newEpoch(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
}

// ---- auth ------------------------------------------------------------------------------------

export interface AuthUser {
  userId: UserId;
  /** The verified token claims. */
  payload: Readonly<Record<string, unknown>>;
  email?: string;
  /** When the token stops being valid (ms since the epoch); the server closes the socket 4001 then. */
  expiresAt?: number;
}

/**
 * Turns a token into a user. The server finds the token (`?token=`, `Authorization: Bearer`,
 * or the `auth.login` message) and calls `verify`.
 */
export interface Authenticator {
  /** When true, clients without a valid token are refused. */
  readonly required: boolean;
  /** How long a client that connected without a token has to send `auth.login` (when required). */
  readonly loginTimeoutMs: number;
  /**
   * Resolves the user the token proves. Rejects with a RoomcastError (UNAUTHORIZED) for any
   * invalid, expired, wrongly signed or unsigned token; the error message never contains the token.
   */
  verify(token: string): Promise<AuthUser>;
}

// ---- logging ---------------------------------------------------------------------------------

type LogFn = (objOrMsg: object | string, msg?: string) => void;

/** Pino-compatible logger: `logger.info({ clientId }, 'connected')` or `logger.info('text')`. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};
/** The default of every package: libraries do not write to the console on their own. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
