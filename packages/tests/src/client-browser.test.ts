import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from '@roomcast/server';
import { CHROMIUM_LAUNCH_OPTIONS } from '@roomcast/test-support/chromium';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The browser loads the built files, not the sources: build @roomcast/client and
// @roomcast/protocol first (`pnpm build`). `@roomcast/protocol` is resolved by an import map.
const clientDist = fileURLToPath(new URL('../../client/dist/', import.meta.url));
const protocolDist = fileURLToPath(new URL('../../protocol/dist/', import.meta.url));

let wss: WebSocketServer;
let wsUrl: string;
let http: Server;
let origin: string;
/** Page path -> the client module it loads: the package's browser entry, or the standalone bundle. */
const PAGES: Record<string, string> = {
  '/': '/client/browser.js',
  '/bundle': '/client/roomcast-client.min.js',
};
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(join(clientDist, 'browser.js')))
    throw new Error('Build @roomcast/client first: dist/browser.js is missing');
  wss = new WebSocketServer();
  ({ url: wsUrl } = await wss.listen());
  http = createServer((request, response) => {
    const path = request.url ?? '/';
    // dist/ directories as built: entries import the chunks beside them.
    const file = path.startsWith('/protocol/')
      ? join(protocolDist, path.slice(10))
      : path.startsWith('/client/')
        ? join(clientDist, path.slice(8))
        : undefined;
    const page = PAGES[path];
    if (page) {
      // The page loads the module itself: an import() inside page.evaluate would be rewritten by
      // vitest's transform before it reaches the browser.
      const map = JSON.stringify({ imports: { '@roomcast/protocol': '/protocol/index.js' } });
      const load = `import * as client from '${page}'; window.roomcastClient = client;`;
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!doctype html><script type="importmap">${map}</script><script type="module">${load}</script>`);
    } else if (file && !file.includes('..') && existsSync(file)) {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(file));
    } else response.writeHead(404).end();
  });
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), 'roomcast-chromium-'));
  context = await chromium.launchPersistentContext(profile, CHROMIUM_LAUNCH_OPTIONS);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await wss?.stop({ timeoutMs: 500 });
  await new Promise(resolve => http?.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function joinAndReceive(pagePath: string, codec: 'json' | 'msgpack') {
  const page = await context.newPage();
  await page.goto(origin + pagePath);
  await page.waitForFunction(() => 'roomcastClient' in window);
  const { clientId, protocol } = await page.evaluate(
    async ({ url, codec }) => {
      type ClientModule = typeof import('@roomcast/client/browser');
      const state = window as unknown as { received?: unknown; roomcastClient: ClientModule };
      const client = state.roomcastClient.createClient({ url, codec });
      client.on('chat', 'message', (data: unknown) => {
        state.received = data;
      });
      await client.connect();
      await client.joinRoom('lobby', { username: 'browser' });
      return { clientId: client.clientId as string, protocol: client.socket?.protocol };
    },
    { url: wsUrl, codec },
  );
  expect(wss.rooms.get('lobby')?.has(clientId)).toBe(true);
  await wss.broadcastToRoom({
    roomName: 'lobby',
    data: { type: 'chat', action: 'message', data: { text: `hi ${codec}` } },
  });
  const received = await page.waitForFunction(() => (window as unknown as { received?: unknown }).received);
  expect(await received.jsonValue()).toEqual({ text: `hi ${codec}` });
  await page.close();
  return protocol;
}

it('dist/browser.js connects from Chromium, joins a room and receives its broadcast', async () => {
  expect(await joinAndReceive('/', 'json')).toBe('');
}, 120_000);

it('the standalone bundle speaks MessagePack, loading its codec chunk on first connect', async () => {
  expect(await joinAndReceive('/bundle', 'msgpack')).toBe('roomcast.v1.msgpack');
}, 120_000);
