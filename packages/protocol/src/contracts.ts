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
  /** Names of the rooms that have at least one member. */
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

export interface HistoryEntry {
  offset: number;
  /** The client frame as sent on the wire, offset included. */
  frame: string;
}

export interface HistorySince {
  /** False when messages after `since` are gone (older than the history, or expired). */
  recovered: boolean;
  /** The messages after `since`, in offset order (empty when not recovered). */
  entries: HistoryEntry[];
  /** The room's latest offset (0 when it has none). */
  offset: number;
}

export interface HistoryLatest {
  entries: HistoryEntry[];
  offset: number;
}

/**
 * Per-room message history with offsets that grow by one per message, cluster-wide. A rejected
 * promise means the history could not be reached: the message is still delivered live, without
 * an offset, and a recovering join replies `recovered: false`.
 */
export interface History {
  /** Gives `frame` (a JSON object text without `offset`) the room's next offset and keeps it. */
  append(roomName: string, frame: string, options: HistoryOptions): Promise<HistoryEntry>;
  /** The messages after offset `since`. */
  since(roomName: string, since: number): Promise<HistorySince>;
  /** Up to `count` of the newest kept messages, oldest first, and the latest offset (0: none). */
  latest(roomName: string, count: number): Promise<HistoryLatest>;
  close(): Promise<void>;
}

/** Adds `"offset": n` to a serialized JSON object frame without parsing it again. */
export function withOffset(frame: string, offset: number): string {
  return `${frame.slice(0, -1)},"offset":${offset}}`;
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
