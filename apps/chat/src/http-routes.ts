import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USER_NAME } from './names';
import type { Sessions } from './session';

// dist/main.js or src/*.ts: public/ is beside both.
const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const require = createRequire(import.meta.url);
// package.json is in every package's exports map, so this works whatever conditions are active.
const clientDist = join(dirname(require.resolve('@roomcast/client/package.json')), 'dist');

const JS = 'text/javascript; charset=utf-8';
const PAGE_SCRIPTS = ['app.js', 'conversations.js', 'pending.js', 'session.js', 'view.js'];
const files: Record<string, [string, string]> = {
  '/': [join(publicDir, 'index.html'), 'text/html; charset=utf-8'],
  '/style.css': [join(publicDir, 'style.css'), 'text/css; charset=utf-8'],
  ...Object.fromEntries(PAGE_SCRIPTS.map(name => [`/${name}`, [join(publicDir, name), JS]])),
  // The client's self-contained browser bundle: no import map, no bundler.
  '/client.js': [join(clientDist, 'roomcast-client.min.js'), JS],
};

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/**
 * Static files, `POST /api/login { name }` -> `{ name, token, expiresAt }` (a JWT with
 * `sub = name`) and `GET /api/config` -> `{ peers }` (the other processes' WebSocket URLs).
 */
export function httpRoutes(sessions: Sessions, { peers }: { peers: string[] }): Handler {
  return async function chatHttp(request, response) {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'POST' && path === '/api/login') return login(request, response, sessions);
    if (request.method === 'GET' && path === '/api/config') return json(response, 200, { peers });
    const file = request.method === 'GET' ? files[path] : undefined;
    if (!file) return false;
    const body = await readFile(file[0]).catch(() => undefined);
    if (!body) {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(`${path} is missing: run pnpm build first`);
      return true;
    }
    response.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-cache' });
    response.end(body);
    return true;
  };
}

async function login(
  request: IncomingMessage,
  response: ServerResponse,
  sessions: Sessions,
): Promise<boolean> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 4096) break;
  }
  let name: unknown;
  try {
    name = JSON.parse(body).name;
  } catch {}
  name = typeof name === 'string' ? name.trim() : '';
  if (typeof name !== 'string' || !USER_NAME.test(name)) {
    return json(response, 400, { error: 'Pick a name of 1 to 32 letters, digits, _ . or -' });
  }
  return json(response, 200, sessions.sign(name));
}

function json(response: ServerResponse, status: number, value: unknown): boolean {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(value));
  return true;
}
