import type { ServerResponse } from 'node:http';
import { ErrorCode, RoomcastError } from '@roomcast/protocol';

/** What a route answers: a status and a JSON body (`{ ok: true, ... }` or `{ ok: false, error }`). */
export interface ApiReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function ok(fields: Record<string, unknown> = {}): ApiReply {
  return { status: 200, body: { ok: true, ...fields } };
}

/** `{ ok: false, error: { code, message, field? } }`: the code is one of ErrorCode's. */
export function failure(
  status: number,
  code: ErrorCode,
  message: string,
  extra: { field?: string; headers?: Record<string, string> } = {},
): ApiReply {
  const error = { code, message, ...(extra.field !== undefined && { field: extra.field }) };
  return { status, body: { ok: false, error }, ...(extra.headers && { headers: extra.headers }) };
}

/** A bad field of a request body: thrown by the parsers, answered 400 naming the field. */
export function fieldError(field: string, message: string): RoomcastError {
  return new RoomcastError(ErrorCode.INVALID_MESSAGE, `${field}: ${message}`, {
    issues: [{ path: [field], message }],
  });
}

/** The 400 for a RoomcastError from `fieldError` (or any other INVALID_MESSAGE). */
export function badRequest(error: RoomcastError): ApiReply {
  const field = error.issues?.[0]?.path?.[0];
  return failure(400, ErrorCode.INVALID_MESSAGE, error.message, {
    ...(field !== undefined && { field: String(field) }),
  });
}

export function writeReply(response: ServerResponse, reply: ApiReply): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...reply.headers,
  });
  response.end(body);
}
