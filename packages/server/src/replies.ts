import type { ErrorIssue } from '@roomcast/protocol';
import { type DecodeError, type ErrorCode, type RequestId, toPublicError } from '@roomcast/protocol';

export interface Address {
  type?: string | undefined;
  action?: string | undefined;
  id?: RequestId | undefined;
}

/** The error frame of SPEC section 2: addressed when type/action were readable, generic otherwise. */
export function errorFrame(
  address: Address,
  code: ErrorCode,
  message: string,
  issues?: readonly ErrorIssue[],
): object {
  if (address.type === undefined || address.action === undefined) {
    return { type: 'error', action: 'message', data: { code, error: message } };
  }
  const error = issues ? { code, message, issues } : { code, message };
  return address.id === undefined
    ? { type: address.type, action: address.action, error }
    : { type: address.type, action: address.action, id: address.id, error };
}

export function decodeErrorFrame(error: DecodeError): object {
  return errorFrame(error, error.code, error.message);
}

/** Any thrown value as an error frame: RoomcastErrors keep their code, the rest hide behind INTERNAL_ERROR. */
export function thrownErrorFrame(address: Address, thrown: unknown): object {
  const error = toPublicError(thrown);
  return errorFrame(address, error.code, error.message, error.issues);
}

export function replyFrame(
  address: Required<Pick<Address, 'type' | 'action'>> & Address,
  response: unknown,
): object {
  return address.id === undefined
    ? { type: address.type, action: address.action, response }
    : { type: address.type, action: address.action, response, id: address.id };
}
