import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisHistory } from './redis-history';
import { RedisRoomStore } from './redis-room-store';

// A real Redis answers the scripts' replies in one shape only, so the few checks of a reply's
// shape (an entry id that is no string, a frame that is no string, no array at all) are driven
// by a tiny RESP server on loopback that answers every EVALSHA with the reply a test sets.
// Everything a real server can produce is tested against redis-server in the other files.
type Reply = number | string | null | Reply[];

function encode(reply: Reply): string {
  if (reply === null) return '$-1\r\n';
  if (typeof reply === 'number') return `:${reply}\r\n`;
  if (typeof reply === 'string') return `$${Buffer.byteLength(reply)}\r\n${reply}\r\n`;
  return `*${reply.length}\r\n${reply.map(encode).join('')}`;
}

/** Reads the commands (arrays of bulk strings) complete in `buffer`; returns them and the rest. */
function decodeCommands(buffer: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let at = 0;
  parse: while (at < buffer.length) {
    const header = buffer.indexOf('\r\n', at);
    if (header < 0) break;
    const count = Number(buffer.slice(at + 1, header));
    let cursor = header + 2;
    const args: string[] = [];
    for (let i = 0; i < count; i++) {
      const lengthEnd = buffer.indexOf('\r\n', cursor);
      if (lengthEnd < 0) break parse;
      const length = Number(buffer.slice(cursor + 1, lengthEnd));
      if (buffer.length < lengthEnd + 2 + length + 2) break parse;
      args.push(buffer.slice(lengthEnd + 2, lengthEnd + 2 + length));
      cursor = lengthEnd + 2 + length + 2;
    }
    commands.push(args);
    at = cursor;
  }
  return { commands, rest: buffer.slice(at) };
}

let server: Server;
let client: Redis;
const sockets = new Set<Socket>();
let scriptReply: Reply = [];

beforeAll(async () => {
  server = createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('data', chunk => {
      const { commands, rest } = decodeCommands(pending + chunk);
      pending = rest;
      for (const [name = ''] of commands) {
        const command = name.toLowerCase();
        if (command === 'evalsha') socket.write(encode(scriptReply));
        else if (command === 'info') socket.write(encode('# Server\r\nloading:0\r\n'));
        else socket.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  client = new Redis(address.port, '127.0.0.1');
  await client.ping();
});
afterAll(async () => {
  client.disconnect();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>(resolve => server.close(() => resolve()));
});

describe('garbled script replies', () => {
  it('RedisHistory skips entries whose id or frame is no string, keeping the readable ones', async () => {
    const history = new RedisHistory({ client, appName: 'garbled' });
    scriptReply = [
      3,
      'epoch-1',
      [
        ['0-3', ['f', '{"type":"chat"}', 'i', 'm3']],
        [2, ['f', '{"type":"chat"}', 'i', 'm2']],
        ['0-1', ['f', 1, 'i', 'm1']],
      ],
    ];
    expect(await history.latest('r', 3)).toEqual({
      offset: 3,
      epoch: 'epoch-1',
      entries: [{ offset: 3, id: 'm3', frame: '{"type":"chat","offset":3}' }],
    });
    await history.close();
  });

  it('RedisHistory reads a reply that is no position as offset 0 with no epoch, and a missing epoch as none', async () => {
    const history = new RedisHistory({ client, appName: 'garbled' });
    scriptReply = 1;
    expect(await history.latest('r', 3)).toEqual({ offset: 0, epoch: '', entries: [] });
    scriptReply = [4];
    expect(await history.latest('r', 3)).toEqual({ offset: 4, epoch: '', entries: [] });
    await history.close();
  });

  it('RedisRoomStore.rooms keeps only room names, and reads a reply that is no list as none', async () => {
    const store = new RedisRoomStore({ client, appName: 'garbled', sweepMs: 60_000 });
    scriptReply = ['b', 1, 'a'];
    expect(await store.rooms()).toEqual(['a', 'b']);
    scriptReply = 1;
    expect(await store.rooms()).toEqual([]);
    await store.close();
  });
});
