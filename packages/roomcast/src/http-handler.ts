import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@roomcast/protocol';
import type { Health } from '@roomcast/server';
import type { RequestHandler } from './options';

export interface HttpHandlerDeps {
  health: () => Health | undefined;
  metrics: () => string;
  requestHandler: RequestHandler | undefined;
  /** The HTTP publish API (`api: { key }`): every path under `/api`. Unset: those go on as others. */
  api?: ((request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>) | undefined;
  /** The admin dashboard (`admin: { password }`): resolves false outside its path. */
  admin?:
    | ((request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>)
    | undefined;
  logger: Logger;
}

/**
 * The app's HTTP routes: `GET /healthz` (200, or 503 while stopping so a load balancer drains the
 * node), `GET /metrics` (Prometheus text), the admin dashboard and `/api/...` when they are on, then the caller's
 * handler. Resolves false for a request none of them answered (the caller 404s it, or hands it to
 * the server's own handlers when the app is attached to one).
 */
export function createHttpRoutes(deps: HttpHandlerDeps) {
  return async function routeHttp(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method === 'GET' && path === '/healthz') {
        const health = deps.health() ?? { status: 'healthy' as const };
        const status = health.status === 'stopping' ? 503 : 200;
        response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        response.end(JSON.stringify(health));
        return true;
      }
      if (request.method === 'GET' && path === '/metrics') {
        response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
        response.end(deps.metrics());
        return true;
      }
      if (deps.admin && (await deps.admin(request, response, path ?? '/'))) return true;
      if (deps.api && (path === '/api' || path?.startsWith('/api/'))) {
        await deps.api(request, response, path);
        return true;
      }
      return deps.requestHandler !== undefined && (await deps.requestHandler(request, response)) !== false;
    } catch (error) {
      // The handler's error text may hold internals: log it, answer a plain 500.
      deps.logger.error({ err: error, path }, 'HTTP handler failed');
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end('Internal Server Error');
      return true;
    }
  };
}

/** The handler of the server the app listens on itself: its routes, then 404. */
export function createHttpHandler(deps: HttpHandlerDeps) {
  const routes = createHttpRoutes(deps);
  return async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (await routes(request, response)) return;
    if (!response.headersSent) response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not Found');
  };
}
