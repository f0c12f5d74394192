import { CloseCode, ErrorCode } from './codes';

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
  }
}

export function isRoomcastError(value: unknown): value is RoomcastError {
  return value instanceof RoomcastError;
}

/**
 * What a client may be told about any thrown value: a RoomcastError passes through, anything else
 * becomes INTERNAL_ERROR so that stack traces and internal messages stay on the server.
 */
export function toPublicError(error: unknown): RoomcastError {
  if (error instanceof RoomcastError) return error;
  return new RoomcastError(ErrorCode.INTERNAL_ERROR, 'Internal error', {
    closeCode: CloseCode.INTERNAL_ERROR,
  });
}
