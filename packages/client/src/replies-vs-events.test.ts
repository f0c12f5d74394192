import { ErrorCode, RoomcastError } from '@roomcast/protocol';
import { WebSocketServer } from '@roomcast/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type RoomcastClient } from './index';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A server whose `demo.shout` both broadcasts the event `demo.shout` and replies to the sender. */
async function start() {
  const server: WebSocketServer = new WebSocketServer({
    routes: [
      {
        type: 'demo',
        action: 'shout',
        handler: (_ws, _clientId, data) => {
          server.broadcastToAllClients({ data: { type: 'demo', action: 'shout', data } });
          return { shouted: true };
        },
      },
    ],
  });
  const { url } = await server.listen();
  cleanup.push(() => server.stop({ timeoutMs: 500 }));
  const client = createClient({ url, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  cleanup.push(() => client.close());
  await client.connect();
  return { server, client };
}

function collectErrors(client: RoomcastClient): Error[] {
  const errors: Error[] = [];
  client.events.on('error', error => errors.push(error));
  return errors;
}

describe('replies are never events', () => {
  it('hands on() handlers the event of a send(), never its reply', async () => {
    const { client } = await start();
    const seen: unknown[] = [];
    client.on('demo', 'shout', data => seen.push(data));
    const messages: unknown[] = [];
    client.events.on('message', frame => messages.push(frame));
    client.send('demo', 'shout', { n: 1 });
    // A request on the same socket is a barrier: its reply comes after the send's reply.
    expect(await client.request('demo', 'shout', { n: 2 })).toEqual({ shouted: true });
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    // The send's reply (no request waits for it) still shows on the `message` event.
    expect(messages).toContainEqual({ type: 'demo', action: 'shout', response: { shouted: true } });
  });

  it('reports an error reply to a send() on the error event, not to handlers', async () => {
    const { client } = await start();
    const errors = collectErrors(client);
    const seen: unknown[] = [];
    client.on('nope', 'nothing', data => seen.push(data));
    client.send('nope', 'nothing', {});
    await client.request('demo', 'shout', {});
    expect(seen).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RoomcastError);
    expect((errors[0] as RoomcastError).code).toBe(ErrorCode.UNKNOWN_ROUTE);
  });

  it('settles a request whose type could not be read, with the echoed id', async () => {
    const { client } = await start();
    const refused = await client
      .request('not a type!', 'x', {}, { timeoutMs: 5_000 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RoomcastError);
    expect((refused as RoomcastError).code).toBe(ErrorCode.INVALID_MESSAGE);
  });
});
