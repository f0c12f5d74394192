// Issue 16 point 4: `webSocket: { type: 'client', url }` makes a WebApplication a WebSocket client
// of another Roomcast server, with the guide's client routes/controllers, events and reconnect.
// One app is the server, another its client: messages both ways, then the server app is
// restarted on the same port and the client reconnects by itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@roomcast/test-support/redis-process';
import { WebApplication, WebSocketClientBaseController } from 'roomcast';
import { afterEach, expect, it } from 'vitest';
import { until } from './support/clients';

const apps: WebApplication[] = [];
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map(app => app.stop()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** The server app: `report.status` records what clients report and answers. */
async function startServerApp(port: number, reports: unknown[]): Promise<WebApplication> {
  const app = new WebApplication({
    name: 'hub',
    webserver: { port },
    webSocket: {
      type: 'server',
      routes: [
        {
          type: 'report',
          action: 'status',
          handler: (_ws, clientId, data) => {
            reports.push({ clientId, data });
            return { received: true };
          },
        },
      ],
    },
    handleSignals: false,
  });
  apps.push(app);
  await app.start();
  return app;
}

it('runs an app as the WebSocket client of another app, both ways, across a server restart', async () => {
  const port = await freePort();
  const reports: unknown[] = [];
  let server = await startServerApp(port, reports);

  // The guide's client routes: a controller class, and a controllerName from controllersDirectory.
  const commands: unknown[] = [];
  class CommandController extends WebSocketClientBaseController {
    run(data: unknown) {
      commands.push(data);
      // A controller answers through its client: the reply travels client -> server.
      this.client.sendClientMessage({ type: 'report', action: 'status', data: { done: data } });
    }
  }
  const directory = mkdtempSync(join(tmpdir(), 'roomcast-client-controllers-'));
  directories.push(directory);
  writeFileSync(
    join(directory, 'alerts.controller.mjs'),
    'export default class Alerts { constructor() {} show(data) { globalThis.__alerts.push(data); } }\n',
  );
  const alerts: unknown[] = [];
  (globalThis as { __alerts?: unknown[] }).__alerts = alerts;

  const events: string[] = [];
  const connectedIds: string[] = [];
  const clientApp = new WebApplication({
    name: 'worker',
    webserver: { port: 0 },
    webSocket: {
      enabled: true,
      type: 'client',
      url: `ws://127.0.0.1:${port}/ws`,
      controllersDirectory: directory,
      routes: [
        { type: 'command', action: 'run', controller: CommandController },
        { type: 'alerts', action: 'show', controllerName: 'alerts' },
      ],
      events: {
        onConnected: ({ clientId }) => {
          events.push('connected');
          connectedIds.push(clientId);
        },
        onDisconnected: ({ code }) => events.push(`disconnected:${code}`),
        onReconnecting: () => events.push('reconnecting'),
        onReconnected: ({ clientId }) => {
          events.push('reconnected');
          connectedIds.push(clientId);
        },
      },
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    },
    handleSignals: false,
  });
  apps.push(clientApp);
  await clientApp.start();
  const client = clientApp.websocket.client;
  expect(() => clientApp.websocket.server).toThrow(/app.websocket.client/);
  // onConnected got the server's real clientId.
  expect(connectedIds).toEqual([client.client.clientId]);
  expect([...server.websocket.server.clientManager.getClients()].map(c => c.clientId)).toEqual(connectedIds);

  // client -> server
  client.sendClientMessage({ type: 'report', action: 'status', data: { load: 0.5 } });
  await until('the server got the report', () => reports.length === 1);
  expect(reports[0]).toEqual({ clientId: connectedIds[0], data: { load: 0.5 } });

  // server -> client, through both kinds of client route
  server.websocket.server.sendMessageToAll({ data: { type: 'command', action: 'run', data: { job: 1 } } });
  server.websocket.server.sendMessageToAll({ data: { type: 'alerts', action: 'show', data: 'disk' } });
  await until('the client ran both routes', () => commands.length === 1 && alerts.length === 1);
  expect(commands).toEqual([{ job: 1 }]);
  expect(alerts).toEqual(['disk']);
  await until('the controller reported back', () => reports.length === 2);
  expect(reports[1]).toEqual({ clientId: connectedIds[0], data: { done: { job: 1 } } });

  // The server app goes away (clients get 1001) and a new one takes the same port.
  await server.stop();
  apps.splice(apps.indexOf(server), 1);
  await until('the client noticed', () => events.includes('disconnected:1001'));
  server = await startServerApp(port, reports);
  await until('the client reconnected', () => events.includes('reconnected'));
  expect(events.slice(0, 3)).toEqual(['connected', 'disconnected:1001', 'reconnecting']);
  expect(connectedIds[1]).toBe(client.client.clientId);
  expect(connectedIds[1]).not.toBe(connectedIds[0]);

  // Both ways again, on the new connection.
  client.sendClientMessage({ type: 'report', action: 'status', data: { back: true } });
  server.websocket.server.sendMessageToAll({ data: { type: 'command', action: 'run', data: { job: 2 } } });
  await until('both directions work again', () => commands.length === 2 && reports.length >= 4);
  expect(commands).toEqual([{ job: 1 }, { job: 2 }]);
  expect(reports.slice(2)).toEqual(
    expect.arrayContaining([
      { clientId: connectedIds[1], data: { back: true } },
      { clientId: connectedIds[1], data: { done: { job: 2 } } },
    ]),
  );
});

it('stops while its server is still unreachable, instead of hanging', async () => {
  const port = await freePort();
  const app = new WebApplication({
    name: 'lonely',
    webserver: { port: 0 },
    webSocket: { type: 'client', url: `ws://127.0.0.1:${port}/ws`, reconnect: { initialDelayMs: 20 } },
    handleSignals: false,
  });
  const started = app.start();
  await until('the app is listening for HTTP', () => app.webserver.port !== undefined);
  await app.stop();
  await expect(started).rejects.toThrow(/closed/i);
});
