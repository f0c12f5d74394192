import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRoomcastError, type Logger } from '@roomcast/protocol';
import type { Emitter } from '@roomcast/redis';
import { bearerKeyCheck } from './api-key';
import { type ApiReply, badRequest, failure, writeReply } from './api-reply';
import { parseBroadcast, runBroadcast } from './broadcast-route';
import { type DisconnectServer, parseDisconnect, runDisconnect } from './disconnect-route';
import { readJsonBody } from './json-body';
import { listMembers, listRooms, type RoomQueries } from './rooms-route';

export interface ApiHandlerDeps {
  key: string;
  /** The server's `limits.maxPayload`: no body larger than a client frame is read. */
  maxBodyBytes: number;
  timeoutMs: number;
  /** Publishes on the node's own bus and history (createBusEmitter). */
  emitter: Emitter;
  server: RoomQueries & DisconnectServer;
  logger: Logger;
}

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  run(deps: ApiHandlerDeps, body: unknown, params: string[]): Promise<ApiReply> | ApiReply;
}

const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: /^\/api\/broadcast$/,
    run: (deps, body) => runBroadcast(deps.emitter, parseBroadcast(body)),
  },
  { method: 'GET', path: /^\/api\/rooms$/, run: deps => listRooms(deps.server) },
  {
    method: 'GET',
    path: /^\/api\/rooms\/([^/]+)\/members$/,
    run: (deps, _body, [name]) => listMembers(deps.server, name ?? ''),
  },
  {
    method: 'POST',
    path: /^\/api\/disconnect$/,
    run: (deps, body) => runDisconnect(deps.server, parseDisconnect(body)),
  },
];

/**
 * The HTTP publish API under `/api`. In this order: an unknown path is 404 and a known path with
 * another method 405 (with `Allow`), both before the key is looked at, since the routes are public;
 * then 401 without the right Bearer key, so no body is read for a caller without it; then the
 * body (413 past `maxBodyBytes`, 400 for bad JSON or a bad field, naming it); then the route,
 * 503 when Redis does not answer within `timeoutMs`.
 */
export function createApiHandler(deps: ApiHandlerDeps) {
  const hasApiKey = bearerKeyCheck(deps.key);
  return async function handleApi(request: IncomingMessage, response: ServerResponse, path: string) {
    const reply = await answer(request, path);
    // A body left unread (an answer before the key or the route let it be read, or one past the
    // limit) is not read at all: the connection closes after the answer instead.
    if (!request.complete) reply.headers = { ...reply.headers, Connection: 'close' };
    writeReply(response, reply);
  };

  async function answer(request: IncomingMessage, path: string): Promise<ApiReply> {
    const matching = ROUTES.map(route => ({ route, params: route.path.exec(path) })).filter(
      (match): match is { route: Route; params: RegExpExecArray } => match.params !== null,
    );
    if (matching.length === 0) {
      return failure(404, ErrorCode.UNKNOWN_ROUTE, `no API route ${path}; see the README's HTTP publish API`);
    }
    const found = matching.find(({ route }) => route.method === request.method);
    if (!found) {
      const allow = matching.map(({ route }) => route.method).join(', ');
      return failure(405, ErrorCode.UNKNOWN_ROUTE, `${path} takes ${allow}`, { headers: { Allow: allow } });
    }
    if (!hasApiKey(request.headers.authorization)) {
      return failure(401, ErrorCode.UNAUTHORIZED, 'send Authorization: Bearer <api.key>', {
        headers: { 'WWW-Authenticate': 'Bearer realm="roomcast"' },
      });
    }
    let body: unknown;
    if (found.route.method === 'POST') {
      const read = await readJsonBody(request, deps.maxBodyBytes);
      if (!read.ok && read.reason === 'too-large') {
        return failure(413, ErrorCode.PAYLOAD_TOO_LARGE, `the body is over ${deps.maxBodyBytes} bytes`);
      }
      if (!read.ok) return failure(400, ErrorCode.INVALID_MESSAGE, 'the body is not JSON', { field: 'body' });
      body = read.value;
    }
    try {
      return await within(
        deps.timeoutMs,
        Promise.resolve(found.route.run(deps, body, found.params.slice(1))),
      );
    } catch (error) {
      if (isRoomcastError(error) && error.code === ErrorCode.INVALID_MESSAGE) return badRequest(error);
      if (error === TIMED_OUT) {
        deps.logger.warn({ path, timeoutMs: deps.timeoutMs }, 'API request timed out waiting for Redis');
        return failure(503, ErrorCode.INTERNAL_ERROR, `no answer from Redis within ${deps.timeoutMs} ms`, {
          headers: { 'Retry-After': '1' },
        });
      }
      deps.logger.error({ err: error, path }, 'API request failed');
      return failure(500, ErrorCode.INTERNAL_ERROR, 'Internal error');
    }
  }
}

const TIMED_OUT = Symbol('timed out');

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
