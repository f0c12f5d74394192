import { CloseCode, ErrorCode } from '@roomcast/protocol';
import { RawClient } from '@roomcast/test-support/raw-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

/** A second copy of @roomcast/protocol's errors module, as an app with its own install has. */
async function secondCopyOfProtocol(): Promise<typeof import('../../../protocol/src/errors')> {
  const path = '../../../protocol/src/errors.ts?second-copy';
  return import(/* @vite-ignore */ path);
}

describe('one error shape', () => {
  it('answers every refused frame with { type, action, id?, error: { code, message } }', async () => {
    const { connect } = await start({ routes: [{ type: 'a', action: 'b', handler: () => 'ok' }] });
    const client = await connect();
    const unreadable = { type: 'error', action: 'message' };
    const answer = async (raw: string) => {
      const before = client.frames.length;
      client.send(raw);
      await client.next(() => client.frames.length > before);
      return client.frames[before];
    };
    const invalid = { code: ErrorCode.INVALID_MESSAGE, message: expect.any(String) };

    expect(await answer('not json')).toEqual({ ...unreadable, error: invalid });
    expect(await answer('[1,2]')).toEqual({ ...unreadable, error: invalid });
    // type or action unreadable: addressed to error.message, and the id still comes back.
    expect(await answer('{"type":"bad type!","action":"b","id":"r7"}')).toEqual({
      ...unreadable,
      id: 'r7',
      error: invalid,
    });
    expect(await answer('{"action":"b","id":8}')).toEqual({ ...unreadable, id: 8, error: invalid });
    expect(await answer('{"type":"a","action":"b","id":{"no":1}}')).toEqual({
      type: 'a',
      action: 'b',
      error: invalid,
    });
    expect(await answer('{"type":"x","action":"y","id":9}')).toEqual({
      type: 'x',
      action: 'y',
      id: 9,
      error: { code: ErrorCode.UNKNOWN_ROUTE, message: 'No route for x.y' },
    });
    // Nothing above closed the connection.
    expect(await client.request('a', 'b')).toMatchObject({ response: 'ok' });
  });
});

describe('errors the user sees', () => {
  it("sends a handler's RoomcastError (from @roomcast/server) as it is, and a plain Error as INTERNAL_ERROR", async () => {
    const { ErrorCode: Code, RoomcastError: UserFacing } = await import('../index');
    const errors: Error[] = [];
    const { connect } = await start({
      events: { onError: ({ error }) => errors.push(error) },
      routes: [
        {
          type: 'chat',
          action: 'send',
          handler: () => {
            throw new UserFacing(Code.INVALID_MESSAGE, 'Text must be 1 to 2000 characters', {
              issues: [{ message: 'Too long', path: ['text'] }],
            });
          },
        },
        {
          type: 'chat',
          action: 'plain',
          handler: () => {
            throw new Error('Join the room first');
          },
        },
      ],
    });
    const client = await connect();
    expect((await client.request('chat', 'send')).error).toEqual({
      code: 'INVALID_MESSAGE',
      message: 'Text must be 1 to 2000 characters',
      issues: [{ message: 'Too long', path: ['text'] }],
    });
    expect(errors).toEqual([]);
    expect((await client.request('chat', 'plain')).error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Internal error',
    });
    expect(errors.map(error => error.message)).toEqual(['Join the room first']);
  });
});

describe('one error guard', () => {
  it('maps a RoomcastError from a second copy of @roomcast/protocol by its code, not INTERNAL_ERROR', async () => {
    const copy = await secondCopyOfProtocol();
    const errors: Error[] = [];
    const { connect } = await start({
      events: { onError: ({ error }) => errors.push(error) },
      routes: [
        {
          type: 'x',
          action: 'refuse',
          handler: () => {
            throw new copy.RoomcastError(ErrorCode.FORBIDDEN, 'not yours');
          },
        },
        {
          type: 'x',
          action: 'ban',
          handler: () => {
            throw new copy.RoomcastError(ErrorCode.FORBIDDEN, 'banned', { closeCode: CloseCode.FORBIDDEN });
          },
        },
      ],
    });
    const client = await connect();
    expect((await client.request('x', 'refuse')).error).toEqual({ code: 'FORBIDDEN', message: 'not yours' });
    // An expected refusal, not a bug: nothing for onError.
    expect(errors).toEqual([]);
    expect((await client.request('x', 'ban')).error).toEqual({ code: 'FORBIDDEN', message: 'banned' });
    expect(await client.closed).toEqual({ code: CloseCode.FORBIDDEN, reason: 'banned' });
  });

  it('hides a look-alike without the brand behind INTERNAL_ERROR, reports it and stays open', async () => {
    const errors: Error[] = [];
    const { connect } = await start({
      events: { onError: ({ error }) => errors.push(error) },
      routes: [
        {
          type: 'x',
          action: 'fake',
          handler: () => {
            throw Object.assign(new Error('db: password=secret'), {
              name: 'RoomcastError',
              code: 'FORBIDDEN',
              closeCode: CloseCode.FORBIDDEN,
            });
          },
        },
        { type: 'x', action: 'ok', handler: () => 1 },
      ],
    });
    const client = await connect();
    expect((await client.request('x', 'fake')).error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Internal error',
    });
    expect(errors.map(error => error.message)).toEqual(['db: password=secret']);
    expect(await client.request('x', 'ok')).toMatchObject({ response: 1 });
  });

  it('keeps a long close reason within the 123 bytes a close frame allows', async () => {
    const copy = await secondCopyOfProtocol();
    const { connect } = await start({
      routes: [
        {
          type: 'x',
          action: 'ban',
          handler: () => {
            throw new copy.RoomcastError(ErrorCode.FORBIDDEN, 'é'.repeat(200), {
              closeCode: CloseCode.FORBIDDEN,
            });
          },
        },
      ],
    });
    const client = await connect();
    await client.request('x', 'ban');
    const { code, reason } = await client.closed;
    expect(code).toBe(CloseCode.FORBIDDEN);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(reason.startsWith('éé')).toBe(true);
  });
});

describe('answers in order', () => {
  // Regression: with the middleware onion, error frames went out a promise turn later, so frames
  // that arrived in one TCP read were answered out of order (a later frame's broadcast first).
  it('answers frames that arrive in one read in their order: bad frames, an unknown route, a broadcast', async () => {
    const { server, url } = await start({
      routes: [
        {
          type: 'demo',
          action: 'shout',
          handler: () => server.broadcastToAllClients({ data: { type: 'demo', action: 'shouted' } }),
        },
      ],
    });
    const client = await RawClient.upgrade(url);
    client.socket.cork();
    for (const text of [
      'not json',
      '{"type":"nope","action":"x","id":1}',
      '{"type":"demo","action":"shout"}',
    ]) {
      client.sendText(text);
    }
    process.nextTick(() => client.socket.uncork());
    await client.nextFrame(frame => frame.includes('"shouted"'));
    const answers = client.frames().filter(frame => !frame.includes('"connected"'));
    expect(answers.map(frame => JSON.parse(frame))).toEqual([
      { type: 'error', action: 'message', error: { code: 'INVALID_MESSAGE', message: expect.any(String) } },
      { type: 'nope', action: 'x', id: 1, error: { code: 'UNKNOWN_ROUTE', message: 'No route for nope.x' } },
      { type: 'demo', action: 'shouted' },
    ]);
    client.destroy();
  });
});
