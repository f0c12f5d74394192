import type { ErrorCode } from './codes';
import type { ErrorIssue } from './errors';

/** A request id chosen by the client and echoed in the reply. */
export type RequestId = string | number;
/** User ids come from the token's claim: strings, or numbers for apps that use numeric ids. */
export type UserId = string | number;

// ---- client -> server ------------------------------------------------------------------------

/** Every frame a client sends. `id` marks a request whose reply echoes it. */
export interface ClientFrame<TData = unknown> {
  type: string;
  action: string;
  data?: TData;
  id?: RequestId;
}

/** Data of the built-in routes (SPEC section 2). */
export interface JoinRoomData {
  roomName: string;
  /** Display name, trimmed, at most 64 characters. Identity comes from auth, never from here. */
  username?: string;
  /** Last offset the client saw in this room: the server replays what came after it. */
  since?: number;
  /** The epoch `since` belongs to (from the join reply): without it only `since: 0` recovers. */
  epoch?: string;
  /** First join: replay up to this many of the room's latest kept messages (a chat's backlog). */
  rewind?: number;
}
export interface LeaveRoomData {
  roomName: string;
}
export interface TokenData {
  token: string;
}

// ---- server -> client ------------------------------------------------------------------------

/** The answer to a routed message whose handler returned a value. */
export interface ReplyFrame<TResponse = unknown> {
  type: string;
  action: string;
  response: TResponse;
  id?: RequestId;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  issues?: readonly ErrorIssue[];
}

/** The answer to a message that failed, addressed to its type/action. */
export interface ErrorReplyFrame {
  type: string;
  action: string;
  error: ErrorBody;
  id?: RequestId;
}

/**
 * The answer to a frame whose type or action could not be read: the same `error` as any failure,
 * addressed to `error.message`, with the `id` echoed when it could be read (so the request settles).
 */
export interface UnreadableFrameError {
  type: 'error';
  action: 'message';
  error: ErrorBody;
  id?: RequestId;
}

/** A message pushed by the server: broadcasts, room messages, events. */
export interface PushFrame<TData = unknown> {
  type: string;
  action: string;
  data?: TData;
  /** Set on messages delivered to a room. */
  room?: string;
  /** Set when the room keeps history: the message's place in the room, monotonic cluster-wide. */
  offset?: number;
}

export interface ConnectedFrame {
  type: 'system';
  action: 'connected';
  data: { clientId: string; nodeId: string };
}

export interface AuthenticatedFrame {
  type: 'auth';
  action: 'authenticated';
  data: { userId: UserId; message: string };
}

export interface PresenceMember {
  clientId: string;
  userId: UserId | null;
  username: string | null;
}

export interface PresenceFrame {
  type: 'presence';
  action: 'join' | 'leave';
  data: PresenceMember & { roomName: string };
}

/** A batched presence room's changes of one interval on one node (room option `presence: { batchMs }`). */
export interface PresenceDiffFrame {
  type: 'presence';
  action: 'diff';
  data: { roomName: string; joins: PresenceMember[]; leaves: PresenceMember[] };
}

/** A counts-only presence room's member count, cluster-wide (room option `presence: 'count'`). */
export interface PresenceCountFrame {
  type: 'presence';
  action: 'count';
  data: { roomName: string; count: number };
}

export type ServerFrame =
  | ConnectedFrame
  | AuthenticatedFrame
  | PresenceFrame
  | PresenceDiffFrame
  | PresenceCountFrame
  | RoomInterruptedFrame
  | RoomNotRecoveredFrame
  | ReplyFrame
  | ErrorReplyFrame
  | UnreadableFrameError
  | PushFrame;

/** Replies to the built-in routes. */
export interface JoinRoomReply {
  success: true;
  roomName: string;
  /** `Joined <roomName>`. */
  message: string;
  clientId: string;
  username: string | null;
  /** From auth only; null for an anonymous client. */
  userId: UserId | null;
  /** ISO 8601 time of the join. */
  joinedAt: string;
  /**
   * Only when the join asked for `since`: true when every message after it was replayed, exactly
   * once, in order; false when that cannot be proven (reload the room then).
   */
  recovered?: boolean;
  /** History rooms: the stream's latest offset, and the epoch it belongs to (send both back). */
  offset?: number;
  epoch?: string;
}
export interface LeaveRoomReply {
  success: true;
  roomName: string;
  /** `Left <roomName>`. */
  message: string;
  clientId: string;
  /** ISO 8601 time of the leave. */
  leftAt: string;
}

/**
 * Sent by the server to a history room's members on a node whose link to the room's stream broke
 * (Redis unreachable): until `roomNotRecovered`, its live messages there come without offsets.
 */
export interface RoomInterruptedFrame {
  type: 'system';
  action: 'roomInterrupted';
  data: { roomName: string };
}

/**
 * Sent to a history room's members when what they hold may have a gap or duplicates (the stream
 * was interrupted, or its history was lost and a new epoch began). From `offset` of `epoch` on,
 * delivery is exact again: keep that position, and reload what came before it.
 */
export interface RoomNotRecoveredFrame {
  type: 'system';
  action: 'roomNotRecovered';
  data: { roomName: string; offset: number; epoch: string };
}

/** The built-in routes, by type and action. */
export const SystemRoute = {
  joinRoom: { type: 'system', action: 'joinRoom' },
  leaveRoom: { type: 'system', action: 'leaveRoom' },
  ping: { type: 'system', action: 'ping' },
  presence: { type: 'system', action: 'presence' },
  authLogin: { type: 'auth', action: 'login' },
  authRefresh: { type: 'auth', action: 'refresh' },
} as const;

/** Tells apart the frames a client receives. */
export function isReplyFrame(frame: ServerFrame): frame is ReplyFrame {
  return 'response' in frame;
}
export function isErrorReplyFrame(frame: ServerFrame): frame is ErrorReplyFrame | UnreadableFrameError {
  return 'error' in frame && typeof frame.error === 'object' && frame.error !== null;
}

/**
 * A frame with `response` or `error` answers something the client sent: it is never an event, so
 * a client hands it to the request that waits for it (or to its error handling), never to the
 * handlers of that type/action.
 */
export function isAnswerFrame(
  frame: ServerFrame,
): frame is ReplyFrame | ErrorReplyFrame | UnreadableFrameError {
  return 'response' in frame || 'error' in frame;
}
