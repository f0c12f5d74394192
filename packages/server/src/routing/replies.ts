import type { CloseCode, ErrorIssue } from '@roomcast/protocol';
import {
  type DecodeError,
  type ErrorCode,
  isRoomcastError,
  type RequestId,
  toPublicError,
} from '@roomcast/protocol';

export interface Address {
  type?: string | undefined;
  action?: string | undefined;
  id?: RequestId | undefined;
}

/**
 * The error frame of SPEC section 2, one shape in every case: `{ type, action, id?, error: { code,
 * message } }`, addressed to `error.message` when type or action could not be read, and with the
 * `id` whenever it could be read, so that every request settles.
 */
export function errorFrame(
  address: Address,
  code: ErrorCode,
  message: string,
  issues?: readonly ErrorIssue[],
): object {
  const readable = address.type !== undefined && address.action !== undefined;
  const type = readable ? address.type : 'error';
  const action = readable ? address.action : 'message';
  const error = issues ? { code, message, issues } : { code, message };
  return address.id === undefined ? { type, action, error } : { type, action, id: address.id, error };
}

export function decodeErrorFrame(error: DecodeError): object {
  return errorFrame(error, error.code, error.message);
}

/** What a thrown value becomes for the client that caused it. */
export interface Failure {
  frame: object;
  /** Set when the error ends the connection (after its frame): only a RoomcastError's own. */
  close: { code: CloseCode; reason: string } | undefined;
  /** False for anything but a RoomcastError: a bug, to log; the client only sees INTERNAL_ERROR. */
  expected: boolean;
}

/**
 * The one mapping of a thrown value to the client: RoomcastErrors (of any copy of the protocol
 * package) keep their code, message, issues and close code; the rest hide behind INTERNAL_ERROR
 * and leave the connection open.
 */
export function failureOf(address: Address, thrown: unknown): Failure {
  const error = toPublicError(thrown);
  const frame = errorFrame(address, error.code, error.message, error.issues);
  const close =
    error.closeCode === undefined ? undefined : { code: error.closeCode, reason: closeReason(error.message) };
  return { frame, close, expected: isRoomcastError(thrown) };
}

/** A close reason is at most 123 bytes of UTF-8 (RFC 6455 5.5); ws throws on a longer one. */
function closeReason(message: string): string {
  let reason = message.slice(0, 123);
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

export function replyFrame(
  address: Required<Pick<Address, 'type' | 'action'>> & Address,
  response: unknown,
): object {
  return address.id === undefined
    ? { type: address.type, action: address.action, response }
    : { type: address.type, action: address.action, response, id: address.id };
}
