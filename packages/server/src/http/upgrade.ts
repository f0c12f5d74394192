import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Authenticator, AuthUser, Logger } from '@roomcast/protocol';
import type { Metrics } from '../metrics';
import type { HandshakeGuard } from './handshake-guard';
import { refuseSocket } from './http-refusal';
import { warnIgnoredToken } from './ignored-token';

export interface UpgradeGateDeps {
  path: string;
  allowedOrigins: ReadonlySet<string> | undefined;
  authenticator: Authenticator | undefined;
  metrics: Metrics;
  logger: Logger;
  /** Connection caps and the client's address (behind trusted proxies, from X-Forwarded-For). */
  guard: Pick<HandshakeGuard, 'enter'>;
}

export type UpgradeDecision = { ok: true; user: AuthUser | undefined; ip: string } | { ok: false };

/**
 * Decides an HTTP upgrade before any WebSocket exists: path, origin, then the handshake guard
 * (503 once `stop()` began, connection caps, the client's address), then the token (`?token=` or `Authorization: Bearer`). Refusals are
 * plain HTTP answers, so a refused client never holds a socket.
 */
export async function checkUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  deps: UpgradeGateDeps,
): Promise<UpgradeDecision> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== deps.path) return refuse(socket, 404, deps);
  const origin = request.headers.origin;
  // Browsers always send Origin; other clients (servers, CLIs) are not subject to CORS.
  if (deps.allowedOrigins && origin !== undefined && !deps.allowedOrigins.has(origin))
    return refuse(socket, 403, deps);
  const admission = deps.guard.enter(request, socket);
  if (admission.refusal !== undefined) return refuse(socket, admission.refusal, deps);
  const { ip } = admission;

  const token = findToken(url, request);
  const auth = deps.authenticator;
  if (!auth) {
    warnIgnoredToken(token, deps.logger);
    return { ok: true, user: undefined, ip };
  }
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

export function pathnameOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

export function findToken(url: URL, request: IncomingMessage): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return undefined;
}

function refuse(socket: Duplex, status: number, deps: UpgradeGateDeps): { ok: false } {
  deps.metrics.rejectedUpgrades++;
  refuseSocket(socket, status);
  return { ok: false };
}
