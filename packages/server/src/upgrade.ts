import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Authenticator, AuthUser, Limits, Logger } from '@roomcast/protocol';
import type { Metrics } from './metrics';

export interface UpgradeGateDeps {
  path: string;
  allowedOrigins: ReadonlySet<string> | undefined;
  limits: Limits;
  authenticator: Authenticator | undefined;
  metrics: Metrics;
  logger: Logger;
  getClientIp: (request: IncomingMessage) => string;
  /** Connections open now, in total and from one address. */
  openConnections: () => number;
  openConnectionsFrom: (ip: string) => number;
  isStopping: () => boolean;
}

export type UpgradeDecision = { ok: true; user: AuthUser | undefined; ip: string } | { ok: false };

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Decides an HTTP upgrade before any WebSocket exists: path, shutdown, origin, connection caps,
 * then the token (`?token=` or `Authorization: Bearer`). Refusals are plain HTTP answers, so a
 * refused client never holds a socket.
 */
export async function checkUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  deps: UpgradeGateDeps,
): Promise<UpgradeDecision> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== deps.path) return refuse(socket, 404, deps);
  if (deps.isStopping()) return refuse(socket, 503, deps);
  const origin = request.headers.origin;
  // Browsers always send Origin; other clients (servers, CLIs) are not subject to CORS.
  if (deps.allowedOrigins && origin !== undefined && !deps.allowedOrigins.has(origin))
    return refuse(socket, 403, deps);
  if (deps.openConnections() >= deps.limits.maxConnections) return refuse(socket, 503, deps);
  const ip = deps.getClientIp(request);
  const perIp = deps.limits.maxConnectionsPerIp;
  if (perIp !== undefined && deps.openConnectionsFrom(ip) >= perIp) return refuse(socket, 429, deps);

  const token = findToken(url, request);
  const auth = deps.authenticator;
  if (!auth) return { ok: true, user: undefined, ip };
  if (token === undefined) {
    // Without a token a required client may still log in with its first message (auth.login).
    return auth.required && !(auth.loginTimeoutMs > 0)
      ? refuse(socket, 401, deps)
      : { ok: true, user: undefined, ip };
  }
  try {
    const user = await auth.verify(token);
    if (socket.destroyed) return { ok: false };
    return { ok: true, user, ip };
  } catch (error) {
    // The reason is logged; the token never is.
    deps.logger.info(
      { ip, reason: error instanceof Error ? error.message : 'invalid token' },
      'upgrade refused: bad token',
    );
    return refuse(socket, 401, deps);
  }
}

export function findToken(url: URL, request: IncomingMessage): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return undefined;
}

export function defaultClientIp(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

function refuse(socket: Duplex, status: number, deps: UpgradeGateDeps): { ok: false } {
  deps.metrics.rejectedUpgrades++;
  const text = STATUS_TEXT[status] ?? 'Error';
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
    );
  }
  socket.destroy();
  return { ok: false };
}
