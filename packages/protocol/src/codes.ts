/**
 * Error codes carried in error replies (`{ error: { code, message } }`). Stable strings: clients
 * branch on them, so they never change meaning.
 */
export const ErrorCode = {
  /** The frame is not JSON, not an object, or has no valid `type`/`action`/`id`, or fails a route schema. */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** No route for this `type` + `action`. */
  UNKNOWN_ROUTE: 'UNKNOWN_ROUTE',
  /** The request needs an authenticated user, or the token was refused. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The user is known but not allowed to do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The client sends faster than its rate limit. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The frame is larger than `maxPayload`. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The client is already in `maxRoomsPerClient` rooms. */
  ROOM_LIMIT: 'ROOM_LIMIT',
  /** The room name is not valid. */
  INVALID_ROOM: 'INVALID_ROOM',
  /** A handler failed; details stay in the server log. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** Client side only: no reply came within the request's timeout. */
  TIMEOUT: 'TIMEOUT',
  /** Client side only: the connection closed before the reply came. */
  DISCONNECTED: 'DISCONNECTED',
  /** At construction, never on the wire: an options object failed its check (a TypeError). */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes the server uses. 4xxx are Roomcast's own (RFC 6455 private range). */
export const CloseCode = {
  NORMAL: 1000,
  /** The server is shutting down; reconnect (to another node). */
  GOING_AWAY: 1001,
  /** Abuse that no more specific code describes. */
  POLICY_VIOLATION: 1008,
  /** A frame over `maxPayload`. */
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  /** The token expired (or never came for `auth.login`); reconnect with a fresh token. */
  TOKEN_EXPIRED: 4001,
  /** The server refuses this client; do not retry. */
  FORBIDDEN: 4003,
  /** The client kept flooding after being rate limited. */
  RATE_LIMIT_ABUSE: 4008,
  /** The client stopped reading and its send buffer passed `maxBufferedBytes`. */
  SLOW_CONSUMER: 4009,
  /** No message for `disconnectInactiveClients.inactiveTime`. */
  INACTIVE: 4010,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect on its own. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.FORBIDDEN]);
