import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloseCode, ErrorCode, type Logger } from '@roomcast/protocol';
import { isValidRoomName } from '@roomcast/rooms';
import { type ApiReply, failure, ok, writeReply } from '../http-api/api-reply';
import { readJsonBody } from '../http-api/json-body';
import type { ResolvedAdminOptions } from './admin-options';
import { adminPage } from './admin-page';
import { basicAuthCheck } from './basic-auth';
import { type ClusterViewDeps, readCluster } from './cluster-view';

export interface AdminRouteDeps extends ClusterViewDeps {
  options: ResolvedAdminOptions;
  server: {
    disconnectClient(clientId: string, code?: number, reason?: string): void;
    broadcastToRoom(options: { roomName: string; data: unknown; ephemeral?: boolean }): Promise<void>;
  };
  logger: Logger;
}

const MAX_BODY_BYTES = 4_096;
const MAX_TEXT_CHARS = 1_000;

/**
 * The dashboard under `options.path`: the page, `GET <path>/api/cluster`, `GET
 * <path>/api/rooms/<name>/members`, `POST <path>/api/disconnect` and `POST
 * <path>/api/rooms/<name>/messages`. Everything under the path needs the Basic credentials,
 * unknown paths included, so the routes are not mapped for a stranger. POSTs must be
 * `application/json`: a cross-site form cannot send that, so a browser that remembers the
 * credentials cannot be made to act from another site. Resolves false outside the path.
 */
export function createAdminRoutes(deps: AdminRouteDeps) {
  const { path: base } = deps.options;
  const hasCredentials = basicAuthCheck(deps.options.username, deps.options.password);
  const page = adminPage(base);
  return async function routeAdmin(request: IncomingMessage, response: ServerResponse, path: string) {
    if (path !== base && !path.startsWith(`${base}/`)) return false;
    if (!hasCredentials(request.headers.authorization)) {
      response.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="roomcast admin", charset="UTF-8"',
        'Content-Type': 'text/plain',
        'Cache-Control': 'no-store',
      });
      response.end('Unauthorized');
      return true;
    }
    const rest = path.slice(base.length);
    if (request.method === 'GET' && (rest === '' || rest === '/')) {
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        // The page is one document with its script and style inline; nothing else may load.
        'Content-Security-Policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        'X-Frame-Options': 'DENY',
      });
      response.end(page);
      return true;
    }
    writeReply(response, await answer(request, rest));
    return true;
  };

  async function answer(request: IncomingMessage, rest: string): Promise<ApiReply> {
    const members = /^\/api\/rooms\/([^/]+)\/members$/.exec(rest);
    const messages = /^\/api\/rooms\/([^/]+)\/messages$/.exec(rest);
    const method = request.method;
    if (method === 'GET' && rest === '/api/cluster') return ok({ cluster: await readCluster(deps) });
    if (method === 'GET' && members) {
      const room = roomName(members[1]);
      if (!room) return badRoom();
      return ok({ room, members: await deps.rooms.getRoomMembers(room) });
    }
    if (method === 'POST' && (rest === '/api/disconnect' || messages)) {
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        return failure(415, ErrorCode.INVALID_MESSAGE, 'send Content-Type: application/json');
      }
      const body = await readJsonBody(request, MAX_BODY_BYTES);
      const value = body.ok ? (body.value as Record<string, unknown> | null) : null;
      if (typeof value !== 'object' || value === null) {
        return failure(400, ErrorCode.INVALID_MESSAGE, 'the body must be a JSON object');
      }
      return messages ? sendTestMessage(roomName(messages[1]), value.text) : disconnect(value.clientId);
    }
    return failure(404, ErrorCode.UNKNOWN_ROUTE, `no admin route ${request.method} ${rest}`);
  }

  function disconnect(clientId: unknown): ApiReply {
    if (typeof clientId !== 'string' || clientId === '') {
      return failure(400, ErrorCode.INVALID_MESSAGE, 'clientId must be a client id', { field: 'clientId' });
    }
    deps.server.disconnectClient(clientId, CloseCode.NORMAL, 'disconnected by an administrator');
    deps.logger.info({ clientId }, 'admin: client disconnected');
    return ok();
  }

  async function sendTestMessage(room: string | undefined, text: unknown): Promise<ApiReply> {
    if (!room) return badRoom();
    if (typeof text !== 'string' || text.length > MAX_TEXT_CHARS) {
      return failure(
        400,
        ErrorCode.INVALID_MESSAGE,
        `text must be a string of at most ${MAX_TEXT_CHARS} characters`,
        {
          field: 'text',
        },
      );
    }
    const data = { type: 'admin', action: 'test', data: { room, text, sentAt: Date.now() } };
    // Ephemeral: a test must not take an offset in a history room or be replayed to clients.
    await deps.server.broadcastToRoom({ roomName: room, data, ephemeral: true });
    return ok();
  }
}

function roomName(encoded: string | undefined): string | undefined {
  try {
    const name = decodeURIComponent(encoded ?? '');
    return isValidRoomName(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

function badRoom(): ApiReply {
  return failure(400, ErrorCode.INVALID_MESSAGE, 'not a room name', { field: 'name' });
}
