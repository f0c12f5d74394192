// Issue 16, "Done when": the protocol spoken by a WebSocket client nobody here wrote — the browser's
// own, in headless Chromium — gets one error shape, its id back on bad frames, and replies that are
// told apart from events. Then @roomcast/client and the umbrella's `roomcast/client` (the built
// files, as a browser bundle would load them) in the same browser.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from '@roomcast/server';
import { CHROMIUM_LAUNCH_OPTIONS } from '@roomcast/test-support/chromium';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Built files, not sources (`pnpm build` first); bare imports resolve through an import map, the
// way a bundler's `browser` condition would resolve them.
const dist = (pkg: string) => fileURLToPath(new URL(`../../${pkg}/dist/`, import.meta.url));
/** `/<package>/<file>` serves that package's dist (entries import their chunks by relative path). */
const PACKAGES = ['protocol', 'client', 'roomcast'];
const ENTRIES = ['/protocol/index.js', '/client/browser.js', '/roomcast/client.js'];
const IMPORTS = { '@roomcast/protocol': '/protocol/index.js', '@roomcast/client': '/client/browser.js' };

function fileFor(path: string): string | undefined {
  const [, pkg, file] = /^\/([a-z]+)\/([\w.-]+\.js)$/.exec(path) ?? [];
  return pkg && file && PACKAGES.includes(pkg) ? join(dist(pkg), file) : undefined;
}

let wss: WebSocketServer;
let wsUrl: string;
let http: Server;
let pageUrl: string;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  for (const entry of ENTRIES) {
    const file = fileFor(entry) ?? entry;
    if (!existsSync(file)) throw new Error(`Build the packages first (pnpm build): ${file} is missing`);
  }
  wss = new WebSocketServer({
    routes: [
      {
        type: 'demo',
        action: 'shout',
        // The event goes to everyone; the reply only to the sender.
        handler: (_ws, _clientId, data) => {
          wss.broadcastToAllClients({ data: { type: 'demo', action: 'shout', data } });
          return { shouted: true };
        },
      },
    ],
  });
  ({ url: wsUrl } = await wss.listen());
  http = createServer((request, response) => {
    const path = request.url ?? '/';
    const file = fileFor(path);
    if (path === '/') {
      const map = JSON.stringify({ imports: IMPORTS });
      const load =
        "import * as client from '/client/browser.js'; import * as umbrella from '/roomcast/client.js';" +
        ' Object.assign(window, { roomcastClient: client, roomcastUmbrella: umbrella });';
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<!doctype html><script type="importmap">${map}</script><script type="module">${load}</script>`);
    } else if (file && existsSync(file)) {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(file));
    } else response.writeHead(404).end();
  });
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  profile = mkdtempSync(join(tmpdir(), 'roomcast-chromium-'));
  context = await chromium.launchPersistentContext(profile, CHROMIUM_LAUNCH_OPTIONS);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await wss?.stop({ timeoutMs: 500 });
  await new Promise(resolve => http?.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'roomcastClient' in window && 'roomcastUmbrella' in window);
  return page;
}

type Frame = Record<string, unknown>;

describe("the browser's own WebSocket", () => {
  it('gets one error shape, its id back on bad frames, and replies apart from events', async () => {
    const page = await openPage();
    const frames = (await page.evaluate(
      async ({ url }) => {
        const ws = new WebSocket(url);
        const received: unknown[] = [];
        // `connected`, one error per bad frame, and an event plus a reply per shout.
        const expected = 1 + 5 + 2 * 2;
        const done = new Promise<void>((resolve, reject) => {
          ws.onmessage = event => {
            received.push(JSON.parse(event.data as string));
            if (received.length === expected) resolve();
          };
          ws.onclose = () => reject(new Error('closed'));
        });
        await new Promise(resolve => {
          ws.onopen = resolve;
        });
        ws.send('not json');
        ws.send('{"type":"bad type!","action":"x","id":"b1"}');
        ws.send('{"action":"x","id":2}');
        ws.send('{"type":"nope","action":"x","id":3}');
        ws.send(new TextEncoder().encode('{"type":"demo","action":"shout","id":"bin"}'));
        ws.send('{"type":"demo","action":"shout","data":{"n":1},"id":"s1"}');
        ws.send('{"type":"demo","action":"shout","data":{"n":2}}');
        await done;
        ws.close();
        return received;
      },
      { url: wsUrl },
    )) as Frame[];

    const invalid = { code: 'INVALID_MESSAGE', message: expect.any(String) };
    const [connected, ...rest] = frames;
    expect(connected).toMatchObject({ type: 'system', action: 'connected' });
    expect(rest.slice(0, 5)).toEqual([
      { type: 'error', action: 'message', error: invalid },
      { type: 'error', action: 'message', id: 'b1', error: invalid },
      { type: 'error', action: 'message', id: 2, error: invalid },
      { type: 'nope', action: 'x', id: 3, error: { code: 'UNKNOWN_ROUTE', message: 'No route for nope.x' } },
      // JSON in a binary frame is refused, and its id still comes back.
      { type: 'demo', action: 'shout', id: 'bin', error: invalid },
    ]);
    // An event has `data`; a reply has `response` (and the id, when the request had one). The two
    // handlers run concurrently, so only the set is fixed, not the order.
    const answers = rest.slice(5);
    expect(answers).toHaveLength(4);
    expect(answers).toEqual(
      expect.arrayContaining([
        { type: 'demo', action: 'shout', data: { n: 1 } },
        { type: 'demo', action: 'shout', response: { shouted: true }, id: 's1' },
        { type: 'demo', action: 'shout', data: { n: 2 } },
        { type: 'demo', action: 'shout', response: { shouted: true } },
      ]),
    );
  }, 60_000);
});

describe('clients in the browser', () => {
  it('@roomcast/client hands on() handlers the events of a send(), never its replies', async () => {
    const page = await openPage();
    const result = await page.evaluate(
      async ({ url }) => {
        type Module = typeof import('@roomcast/client/browser');
        const { createClient } = (window as unknown as { roomcastClient: Module }).roomcastClient;
        const client = createClient({ url });
        const seen: unknown[] = [];
        const errors: string[] = [];
        client.on('demo', 'shout', (data: unknown) => seen.push(data));
        client.on('nope', 'x', (data: unknown) => seen.push({ wrong: data }));
        client.events.on('error', (error: Error & { code?: string }) => errors.push(error.code ?? ''));
        await client.connect();
        client.send('demo', 'shout', { n: 1 });
        client.send('nope', 'x', {});
        const reply = await client.request('demo', 'shout', { n: 2 });
        const refused = await client
          .request('bad type!', 'x', {})
          .catch((error: { code: string }) => error.code);
        client.close();
        return { seen, errors, reply, refused };
      },
      { url: wsUrl },
    );
    expect(result).toEqual({
      seen: [{ n: 1 }, { n: 2 }],
      errors: ['UNKNOWN_ROUTE'],
      reply: { shouted: true },
      refused: 'INVALID_MESSAGE',
    });
  }, 60_000);

  it('roomcast/client gives a browser bundle createClient and the guide WebSocketClient', async () => {
    const page = await openPage();
    const result = await page.evaluate(
      async ({ url }) => {
        type Module = typeof import('roomcast/client');
        const umbrella = (window as unknown as { roomcastUmbrella: Module }).roomcastUmbrella;
        const shouts: unknown[] = [];
        let heard = () => {};
        const shouted = new Promise<void>(resolve => {
          heard = resolve;
        });
        let connectedAs = '';
        const guide = new umbrella.WebSocketClient({
          options: {
            url,
            events: {
              onConnected: ({ clientId }) => {
                connectedAs = clientId;
              },
            },
          },
          routes: [
            {
              type: 'demo',
              action: 'shout',
              handler: data => {
                shouts.push(data);
                heard();
              },
            },
          ],
        });
        await guide.load();
        await guide.connectToServer();
        const client = umbrella.createClient({ url });
        await client.connect();
        await client.request('demo', 'shout', { from: 'createClient' });
        await shouted;
        const ids = { connectedAs, guide: guide.client.clientId, other: client.clientId };
        guide.disconnect();
        client.close();
        return { ids, shouts, codes: [umbrella.ErrorCode.FORBIDDEN, umbrella.CloseCode.FORBIDDEN] };
      },
      { url: wsUrl },
    );
    expect(result.ids.connectedAs).toBe(result.ids.guide);
    expect(result.ids.other).not.toBe(result.ids.guide);
    expect(result.shouts).toEqual([{ from: 'createClient' }]);
    expect(result.codes).toEqual(['FORBIDDEN', 4003]);
  }, 60_000);
});
