import type { AddressInfo } from 'node:net';
import { ErrorCode, RoomcastError } from '@roomcast/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createClient, type RoomcastClient } from './index';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const CONNECTED = JSON.stringify({
  type: 'system',
  action: 'connected',
  data: { clientId: 'c1', nodeId: 'n1' },
});

/** A raw server that greets, then answers each client frame with `answer(frame)` (raw text). */
async function rawServer(answer: (frame: { id?: number }, ws: WebSocket) => string[] = () => []) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => new Promise(resolve => server.close(resolve)));
  server.on('connection', ws => {
    ws.send(CONNECTED);
    ws.on('message', data => {
      for (const text of answer(JSON.parse(String(data)), ws)) ws.send(text);
    });
  });
  await new Promise(resolve => server.once('listening', resolve));
  const client = createClient({
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reconnect: false,
  });
  cleanup.push(() => client.close());
  return client;
}

function errorsOf(client: RoomcastClient): Error[] {
  const errors: Error[] = [];
  client.events.on('error', error => errors.push(error));
  return errors;
}

describe('frames from the server are checked, not cast', () => {
  it('drops frames that do not decode, reports each kind once, and goes on with the good ones', async () => {
    const client = await rawServer(frame =>
      frame.id === undefined
        ? []
        : [
            'not json',
            '{"type":"chat"}',
            '[1,2,3]',
            '{"type":"system","action":"connected","data":{"clientId":7}}',
            '{"type":"chat","action":"message","room":42,"data":"bad room"}',
            '{"type":"chat","action":"message","data":"good"}',
            '{"type":"chat","action":"message","offset":-3,"data":"bad offset"}',
            JSON.stringify({ type: 'probe', action: 'go', id: frame.id, response: 'done' }),
          ],
    );
    const errors = errorsOf(client);
    const seen: unknown[] = [];
    client.on('chat', 'message', data => seen.push(data));
    await client.connect();
    expect(await client.request('probe', 'go')).toBe('done');

    expect(seen).toEqual(['good']);
    expect(client.connected).toBe(true);
    expect(errors.every(error => error instanceof RoomcastError)).toBe(true);
    expect(errors.map(error => (error as RoomcastError).code)).toEqual(
      Array(3).fill(ErrorCode.INVALID_MESSAGE),
    );
    // One report per kind: the bare envelope (three bad frames), system.connected, and pushes (two).
    expect(errors.map(error => error.message.match(/\((\w+)\)/)?.[1])).toEqual([
      'frame',
      'connected',
      'push',
    ]);
  });

  it('does not settle a request with a malformed error reply; the request times out', async () => {
    const client = await rawServer(frame =>
      frame.id === undefined ? [] : [JSON.stringify({ type: 'x', action: 'y', id: frame.id, error: 'boom' })],
    );
    const errors = errorsOf(client);
    await client.connect();
    const failure = await client.request('x', 'y', {}, { timeoutMs: 200 }).catch((error: unknown) => error);
    expect((failure as RoomcastError).code).toBe(ErrorCode.TIMEOUT);
    expect(errors.map(error => error.message)).toEqual([
      expect.stringMatching(/^Ignored a server frame \(error\)/),
    ]);
  });

  it('still rejects a request with a well-formed error reply of a code it does not know', async () => {
    const client = await rawServer(frame =>
      frame.id === undefined
        ? []
        : [
            JSON.stringify({
              type: 'x',
              action: 'y',
              id: frame.id,
              error: { code: 'FUTURE_CODE', message: 'later' },
            }),
          ],
    );
    await client.connect();
    const failure = await client.request('x', 'y', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RoomcastError);
    expect((failure as RoomcastError).code).toBe('FUTURE_CODE');
  });
});
