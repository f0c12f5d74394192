// Issue 19 point 9: a WebApplication attached to an HTTP server the app already has
// (`webserver: { server }`), as with node:http, `expressApp.listen()` or `fastify.server`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebApplication } from './web-application';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => new Promise(resolve => server.close(resolve))));
});

/** The owner's server: its own handler answers everything with "owner <path>". */
async function ownersServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/healthz' ? 404 : 200, { 'Content-Type': 'text/plain' });
    response.end(`owner ${request.url}`);
  });
  servers.push(server);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
};

function connectedFrame(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', data => {
      resolve(JSON.parse(data.toString()));
      ws.close();
    });
    ws.once('error', reject);
  });
}

describe('WebApplication on the caller’s HTTP server', () => {
  it('serves WebSockets and its routes there, leaves the rest to the owner, and detaches on stop', async () => {
    const { server, base } = await ownersServer();
    const app = new WebApplication({ name: 'attached', webserver: { server }, handleSignals: false });
    await app.start();
    expect(app.webserver.port).toBe((server.address() as AddressInfo).port);
    expect(app.webserver.server).toBe(server);

    expect(await get(`http://${base}/`)).toEqual({ status: 200, text: 'owner /' });
    expect(await get(`http://${base}/orders?id=1`)).toEqual({ status: 200, text: 'owner /orders?id=1' });
    const health = await get(`http://${base}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'healthy' });
    expect((await get(`http://${base}/metrics`)).text).toContain('roomcast_');
    expect(await connectedFrame(`ws://${base}/ws`)).toMatchObject({ type: 'system', action: 'connected' });

    await app.stop();
    expect(server.listening).toBe(true);
    expect(server.listeners('request')).toHaveLength(1);
    expect(await get(`http://${base}/healthz`)).toEqual({ status: 404, text: 'owner /healthz' });
    expect(await get(`http://${base}/`)).toEqual({ status: 200, text: 'owner /' });
    await expect(connectedFrame(`ws://${base}/ws`)).rejects.toThrow();
  });

  it('works on an Express app’s server: Express keeps its routes, the app adds its own and /ws', async () => {
    const api = express();
    api.get('/orders', (_request, response) => {
      response.json({ orders: [] });
    });
    const server = await new Promise<Server>(resolve => {
      const listening: Server = api.listen(0, '127.0.0.1', () => resolve(listening));
    });
    servers.push(server);
    const base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = new WebApplication({ name: 'express', webserver: { server }, handleSignals: false });
    await app.start();
    expect(await get(`http://${base}/orders`)).toEqual({ status: 200, text: '{"orders":[]}' });
    expect((await get(`http://${base}/healthz`)).status).toBe(200);
    expect((await get(`http://${base}/nothing`)).status).toBe(404); // Express's own 404
    expect(await connectedFrame(`ws://${base}/ws`)).toMatchObject({ action: 'connected' });
    await app.stop();
    expect((await get(`http://${base}/healthz`)).status).toBe(404);
  });

  it('attaches before the owner listens; the port is the server’s once it does', async () => {
    const server = createServer((_request, response) => response.end('owner'));
    servers.push(server);
    const app = new WebApplication({ name: 'early', webserver: { server }, handleSignals: false });
    await app.start();
    expect(app.webserver.port).toBeUndefined();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect(app.webserver.port).toBe(port);
    expect(await connectedFrame(`ws://127.0.0.1:${port}/ws`)).toMatchObject({ action: 'connected' });
    await app.stop();
  });

  it('refuses a server that is not one, and a port or host beside it, with a TypeError', async () => {
    const { server } = await ownersServer();
    expect(() => new WebApplication({ name: 'x', webserver: { server: {} as Server } })).toThrow(
      /webserver.server must be a node:http server/,
    );
    expect(() => new WebApplication({ name: 'x', webserver: { server, port: 4000 } })).toThrow(
      /webserver.port and webserver.host belong to the server in webserver.server/,
    );
  });
});
