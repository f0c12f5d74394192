// Issue 19 point 5: server pushes typed on `client.on(...)` and on the server's broadcast calls
// by one `PushMap`. `pnpm typecheck` checks every `@ts-expect-error` below: a call that should not
// compile and does fails the build. The last test sends a push over a real socket.
import type { PushFrame } from '@roomcast/protocol';
import { WebSocketServer, WebSocketService } from '@roomcast/server';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, type RoomcastClient } from './index';

type Pushes = {
  chat: { message: { text: string; from: string }; typing: { from: string } };
  job: { done: { jobId: number } };
};

/** Never called: its body is what the compiler checks. */
function clientSide(client: RoomcastClient<never, Pushes>) {
  client.on('chat', 'message', (data, frame) => {
    expectTypeOf(data).toEqualTypeOf<{ text: string; from: string }>();
    expectTypeOf(frame).toEqualTypeOf<PushFrame<{ text: string; from: string }>>();
  });
  client.on('job', 'done', data => expectTypeOf(data.jobId).toBeNumber());
  // @ts-expect-error not a push of this map
  client.on('chat', 'nope', () => {});
  // @ts-expect-error nor is this type
  client.on('news', 'item', () => {});
  // @ts-expect-error the handler's data must be what the server pushes
  client.on('job', 'done', (data: { jobId: string }) => data);
  const handler = (data: { from: string }) => data;
  client.off('chat', 'typing', handler);
}

/** Without a map the client stays as permissive as before. */
function untypedClient(client: RoomcastClient) {
  client.on('anything', 'goes', data => expectTypeOf(data).toBeUnknown());
  client.on('chat', 'message', (data: { text: string }) => data.text);
}

function serverSide(
  server: WebSocketServer<Pushes>,
  ws: Parameters<WebSocketServer['sendClientMessage']>[0],
) {
  void server.broadcastToRoom({
    roomName: 'general',
    data: { type: 'chat', action: 'message', data: { text: 'hi', from: 'alice' } },
  });
  const withoutFrom = { type: 'chat', action: 'message', data: { text: 'hi' } } as const;
  // @ts-expect-error a message needs `from`
  void server.broadcastToRoom({ roomName: 'general', data: withoutFrom });
  // @ts-expect-error the action belongs to another type
  server.broadcastToAllClients({ data: { type: 'chat', action: 'done', data: { jobId: 1 } } });
  server.broadcastToUsers({ userIds: ['u1'], data: { type: 'job', action: 'done', data: { jobId: 1 } } });
  // @ts-expect-error jobId is a number
  server.broadcastToClients(['c1'], { type: 'job', action: 'done', data: { jobId: '1' } });
  server.broadcastToClient({
    clientId: 'c1',
    data: { type: 'chat', action: 'typing', data: { from: 'bob' } },
  });
  server.sendClientMessage(ws, { type: 'chat', action: 'typing', data: { from: 'bob' } });
  // @ts-expect-error not a push of this map
  server.sendMessageToAll({ data: { type: 'news', action: 'item', data: {} } });
  // @ts-expect-error server.local is typed by the same map
  server.local.broadcastToAllClients({ data: { type: 'job', action: 'done', data: {} } });

  const service = new WebSocketService({ webSocketServer: server });
  void service.sendToRooms(['general'], { type: 'chat', action: 'typing', data: { from: 'bob' } });
  // @ts-expect-error the service takes its map from the server
  void service.sendToClients(['c1'], { type: 'chat', action: 'typing', data: {} });
}

/** Untyped servers take any frame, as before. */
function untypedServer(server: WebSocketServer) {
  server.broadcastToAllClients({ data: 'plain text' });
  return server.broadcastToRoom({ roomName: 'r', data: { type: 'x', action: 'y' } });
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('typed pushes', () => {
  it('type client.on and the server calls from one PushMap', () => {
    expectTypeOf(clientSide).toBeFunction();
    expectTypeOf(untypedClient).toBeFunction();
    expectTypeOf(serverSide).toBeFunction();
    expectTypeOf(untypedServer).returns.resolves.toBeVoid();
  });

  it('deliver a pushed event to its typed handler with its data', async () => {
    const server = new WebSocketServer<Pushes>();
    const { url } = await server.listen();
    cleanup.push(() => server.stop());
    const client = createClient<never, Pushes>({ url, reconnect: false });
    cleanup.push(() => client.close());
    await client.connect();
    await client.joinRoom('general');
    const received = new Promise<{ text: string; from: string }>(resolve =>
      client.on('chat', 'message', data => resolve(data)),
    );
    await server.broadcastToRoom({
      roomName: 'general',
      data: { type: 'chat', action: 'message', data: { text: 'hello', from: 'alice' } },
    });
    await expect(received).resolves.toEqual({ text: 'hello', from: 'alice' });
  });
});
