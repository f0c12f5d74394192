import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signToken } from 'roomcast';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const require = createRequire(import.meta.url);
// package.json is in every package's exports map, so this works whatever conditions are active.
const clientDist = join(dirname(require.resolve('@roomcast/client/package.json')), 'dist');

const files = {
  '/': [join(publicDir, 'index.html'), 'text/html; charset=utf-8'],
  '/app.js': [join(publicDir, 'app.js'), 'text/javascript; charset=utf-8'],
  // The client's self-contained browser bundle: no import map, no bundler.
  '/client.js': [join(clientDist, 'roomcast-client.min.js'), 'text/javascript; charset=utf-8'],
};

/**
 * The secret that signs login tokens: CHAT_JWT_SECRET, or a random one put in the environment so
 * that cluster workers (forked with this environment) verify the tokens any worker signed.
 */
export function chatSecret() {
  process.env.CHAT_JWT_SECRET ??= randomBytes(32).toString('hex');
  return process.env.CHAT_JWT_SECRET;
}

/** Static files and `POST /api/login { name }` -> `{ token }` (a JWT with `sub = name`). */
export function httpRoutes({ secret }) {
  return async function chatHttp(request, response) {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && path === '/api/login') return login(request, response, secret);
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

async function login(request, response, secret) {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 4096) break;
  }
  let name;
  try {
    name = JSON.parse(body).name;
  } catch {}
  name = typeof name === 'string' ? name.trim() : '';
  const json = (status, value) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(value));
    return true;
  };
  if (!/^[\p{L}\p{N}_.-]{1,32}$/u.test(name)) {
    return json(400, { error: 'Pick a name of 1 to 32 letters, digits, _ . or -' });
  }
  return json(200, { name, token: signToken({ sub: name }, { secret, expiresIn: '12h' }) });
}
