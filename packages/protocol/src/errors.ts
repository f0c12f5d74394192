import { type CloseCode, ErrorCode } from './codes';

export interface RoomcastErrorOptions {
  /** The WebSocket close code this error ends a connection with, when it does. */
  closeCode?: CloseCode;
  cause?: unknown;
  /** Validation issues (schema failures), sent to the client with the error. */
  issues?: readonly ErrorIssue[];
}

export interface ErrorIssue {
  message: string;
  path?: readonly (string | number)[];
}

// Symbol.for, not a module-local symbol or `instanceof`: an app that installs its own copy of
// this package throws RoomcastErrors the server's copy must still recognize.
const BRAND = Symbol.for('roomcast.error');

/**
 * The one error class of Roomcast. `code` is what the client sees; `message` is safe to send;
 * `cause` never leaves the server.
 */
export class RoomcastError extends Error {
  override readonly name = 'RoomcastError';
  readonly code: ErrorCode;
  readonly closeCode: CloseCode | undefined;
  readonly issues: readonly ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message: string, options: RoomcastErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.closeCode = options.closeCode;
    this.issues = options.issues;
    // Not enumerable: it stays out of logs and JSON.
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * The one guard for Roomcast errors: by brand, so an error from any copy of
 * `@roomcast/protocol` counts, and a look-alike without the brand does not.
 */
export function isRoomcastError(value: unknown): value is RoomcastError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/**
 * What a client may be told about any thrown value: a RoomcastError passes through (its code,
 * message, issues and close code), anything else becomes INTERNAL_ERROR, so that stack traces and
 * internal messages stay on the server, and the connection stays open.
 */
export function toPublicError(error: unknown): RoomcastError {
  if (isRoomcastError(error)) return error;
  return new RoomcastError(ErrorCode.INTERNAL_ERROR, 'Internal error');
}
