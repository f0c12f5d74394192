import { CloseCode, type UserId, userIdKey, WebSocketRedisSubscriberEvent } from '@roomcast/protocol';
import type { WebSocketServer } from '@roomcast/server';
import { defineWebSocketSubscriber } from '@roomcast/subscribers';
import { type ApiReply, fieldError, ok } from './api-reply';
import { isObject } from './broadcast-route';

/** `POST /api/disconnect`: one client, or every client of one user, on every node. */
export type DisconnectRequest = { code: number; reason: string } & (
  | { clientId: string }
  | { userId: UserId }
);

export type DisconnectServer = Pick<WebSocketServer, 'disconnectClient' | 'publish'>;

const FIELDS = new Set(['clientId', 'userId', 'code', 'reason']);
/** The close frame's reason is at most 123 bytes (RFC 6455: 125 minus the code). */
const MAX_REASON_BYTES = 123;

export function parseDisconnect(body: unknown): DisconnectRequest {
  if (!isObject(body)) throw fieldError('body', 'must be a JSON object such as { "clientId": "..." }');
  for (const name of Object.keys(body)) {
    if (!FIELDS.has(name)) throw fieldError(name, 'unknown field; send clientId | userId, code, reason');
  }
  const { clientId, userId, code = CloseCode.NORMAL, reason = '' } = body;
  if ((clientId === undefined) === (userId === undefined)) {
    throw fieldError(
      clientId === undefined ? 'clientId' : 'userId',
      'send exactly one of clientId or userId',
    );
  }
  if (!isAppCloseCode(code)) {
    throw fieldError('code', 'must be 1000 or a close code from 3000 to 4999 (4003: do not reconnect)');
  }
  if (typeof reason !== 'string' || Buffer.byteLength(reason) > MAX_REASON_BYTES) {
    throw fieldError('reason', `must be a string of at most ${MAX_REASON_BYTES} bytes`);
  }
  const how = { code, reason };
  if (clientId !== undefined) {
    if (typeof clientId !== 'string' || clientId === '') throw fieldError('clientId', 'must be a client id');
    return { ...how, clientId };
  }
  if (
    !(
      (typeof userId === 'string' && userId !== '') ||
      (typeof userId === 'number' && Number.isFinite(userId))
    )
  ) {
    throw fieldError('userId', 'must be a user id (a string or a number)');
  }
  return { ...how, userId };
}

/**
 * A client id reaches its node over the bus (`disconnectClient`). A user's clients can be on
 * any node and only each node knows its own, so the API publishes the guide's `DisconnectClient`
 * event and every node with the API closes that user's clients there (`disconnectUserSubscriber`).
 */
export function runDisconnect(server: DisconnectServer, request: DisconnectRequest): ApiReply {
  if ('clientId' in request) server.disconnectClient(request.clientId, request.code, request.reason);
  else {
    const { userId, code, reason } = request;
    server.publish(WebSocketRedisSubscriberEvent.DisconnectClient, { userId, code, reason });
  }
  return ok();
}

/** Runs on every node with the API: closes this node's clients of the user named in the event. */
export function disconnectUserSubscriber(server: () => WebSocketServer | undefined) {
  return defineWebSocketSubscriber({
    name: 'roomcast:api:disconnectUser',
    description: 'POST /api/disconnect { userId }: closes the user’s clients on this node',
    channel: WebSocketRedisSubscriberEvent.DisconnectClient,
    handle: ({ message }) => {
      const { userId, code, reason } = message as { userId?: unknown; code?: unknown; reason?: unknown };
      const here = server();
      if (!here || (typeof userId !== 'string' && typeof userId !== 'number')) return;
      for (const clientId of [...here.getClientIdsOfUser(userIdKey(userId))]) {
        here.disconnectClient(
          clientId,
          isAppCloseCode(code) ? code : CloseCode.NORMAL,
          typeof reason === 'string' ? reason : '',
        );
      }
    },
  });
}

/** What ws accepts from an application: 1000, or the 3000-4999 ranges (4xxx are Roomcast's). */
function isAppCloseCode(code: unknown): code is number {
  return Number.isInteger(code) && (code === 1000 || ((code as number) >= 3000 && (code as number) <= 4999));
}
