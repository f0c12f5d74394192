import { CloseCode } from '@roomcast/protocol';
import { RawClient } from '@roomcast/test-support/raw-client';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { afterEach, expect, it, vi } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
vi.setConfig({ testTimeout: 60_000 });

const raws: RawClient[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.destroy();
});

it('takes a slow consumer out of its rooms and presence at its 4009, and destroys its socket soon after', async () => {
  const { logger, onLine } = recordingLogger();
  const disconnected: { clientId: string; code: number }[] = [];
  const { server, url, connect } = await start({
    limits: { maxBufferedBytes: 64 * 1024 },
    heartbeat: false,
    rooms: { patterns: [{ match: 'lobby', presence: true }] },
    logger,
    events: { onDisconnected: ({ clientId, code }) => disconnected.push({ clientId, code }) },
  });
  const watcher = await connect();
  await watcher.request('system', 'joinRoom', { roomName: 'lobby' });

  // A client on a bare socket joins, then stops reading; it will never answer a close frame.
  const slow = await RawClient.upgrade(url);
  raws.push(slow);
  slow.sendText(JSON.stringify({ type: 'system', action: 'joinRoom', data: { roomName: 'lobby' }, id: 'j' }));
  await slow.nextFrame(frame => frame.includes('"id":"j"'));
  expect((await server.getRoomMembers('lobby')).map(m => m.clientId)).toContain(slow.clientId);
  slow.socket.pause();

  let flagged = false;
  onLine(line => {
    if (line.msg === 'closing slow consumer') flagged = true;
  });
  const ws = server.clientManager.getClient({ clientId: slow.clientId })!.ws;
  const chunk = 'x'.repeat(10 * 1024);
  // Bounded: 4,000 × 10 KB, far past the kernel's buffers and maxBufferedBytes.
  for (let i = 0; i < 4_000 && !flagged; i++) {
    server.sendClientMessage(ws, { type: 'bulk', action: 'x', data: chunk });
    if (i % 10 === 9) await new Promise(resolve => setImmediate(resolve));
  }
  expect(flagged).toBe(true);

  // Out of the client manager at once; out of the room store and presence within 2 s.
  expect(server.clientManager.getClient({ clientId: slow.clientId })).toBeUndefined();
  await expect
    .poll(async () => (await server.getRoomMembers('lobby')).map(m => m.clientId), { timeout: 2_000 })
    .not.toContain(slow.clientId);
  const leave = await watcher.next(
    f =>
      f.type === 'presence' &&
      f.action === 'leave' &&
      (f.data as { clientId?: string }).clientId === slow.clientId,
    2_000,
  );
  expect(leave).toBeDefined();
  expect(disconnected).toContainEqual({ clientId: slow.clientId, code: CloseCode.SLOW_CONSUMER });
  expect(server.getHealth().activeConnections).toBe(1);

  // Its socket goes after UNREAD_CLOSE_GRACE_MS (1 s), not at ws's 30 s close timeout: the raw
  // client never answers the close frame, so only the server's own bound closes it within 15 s.
  slow.socket.resume();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    slow.closed,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('socket still open after 15 s')), 15_000);
    }),
  ]).finally(() => clearTimeout(timer));
  // Disconnected once: the socket's own close later does not repeat it.
  expect(disconnected.filter(d => d.clientId === slow.clientId)).toHaveLength(1);
});
