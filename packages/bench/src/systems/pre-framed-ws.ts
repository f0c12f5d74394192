import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import type { RunningSystem, SystemOptions } from './system';
import { frameText, rawSocket } from './ws-frame';
import { isOpen, startWsRoomServer } from './ws-room-server';

export interface PreFramedOptions {
  /**
   * Cork each socket at its first frame in an event-loop turn and uncork them all once the turn's
   * synchronous code is done, so a burst of broadcasts leaves as one write per socket instead
   * of one per message.
   */
  coalesce: boolean;
}

/**
 * The practical limit on Node: frame once, write the same buffer to every member's socket.
 * With `options.redis`, one node of a cluster doing the least a cluster needs: it writes to its own
 * members at once and PUBLISHes the JSON; the other nodes frame what they hear once and write it
 * to theirs (scenario 2's floor).
 */
export async function startPreFramedWs(
  options: SystemOptions,
  { coalesce }: PreFramedOptions,
): Promise<RunningSystem> {
  const { redis, ...oneNode } = options;
  const server = await startWsRoomServer(oneNode);
  const write = coalesce ? coalescingWriter() : (socket: Socket, frame: Buffer) => socket.write(frame);
  const writeAll = (members: Iterable<WebSocket>, frame: Buffer) => {
    for (const ws of members) if (isOpen(ws)) write(rawSocket(ws), frame);
  };
  /** A room's members, or every client for `undefined`. */
  const targets = (roomName: string | undefined) =>
    roomName === undefined ? server.clients : server.members(roomName);
  const relay = redis
    ? await startRelay(redis, (roomName, json) => writeAll(targets(roomName), frameText(json)))
    : undefined;
  const broadcast = (roomName: string | undefined, json: string) => {
    writeAll(targets(roomName), frameText(json));
    relay?.publish(roomName, json);
  };
  return {
    url: server.url,
    clientKind: 'roomcast',
    broadcastToRoom: (roomName, message) =>
      broadcast(roomName, JSON.stringify({ ...message, room: roomName })),
    broadcastToAll: message => broadcast(undefined, JSON.stringify(message)),
    stop: async () => {
      await server.stop();
      await relay?.stop();
    },
  };
}

/**
 * Broadcasts between nodes over Redis pub/sub: a channel per room and one for everybody, under the
 * app's name (one PSUBSCRIBE to them all); each message starts with its node's id, so a node
 * skips its own.
 */
async function startRelay(
  redis: NonNullable<SystemOptions['redis']>,
  deliver: (roomName: string | undefined, json: string) => void,
) {
  const nodeId = randomUUID();
  const rooms = `${redis.appName}:room:`;
  const everybody = `${redis.appName}:all`;
  const publisher = new Redis(redis);
  const subscriber = new Redis(redis);
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    const cut = message.indexOf('\n');
    if (message.slice(0, cut) === nodeId) return;
    deliver(channel === everybody ? undefined : channel.slice(rooms.length), message.slice(cut + 1));
  });
  await subscriber.psubscribe(`${redis.appName}:*`);
  return {
    publish: (roomName: string | undefined, json: string) =>
      void publisher.publish(roomName === undefined ? everybody : rooms + roomName, `${nodeId}\n${json}`),
    stop: async () => {
      await Promise.all([publisher.quit(), subscriber.quit()]);
    },
  };
}

function coalescingWriter(): (socket: Socket, frame: Buffer) => void {
  const corked = new Set<Socket>();
  const uncorkAll = () => {
    for (const socket of corked) socket.uncork();
    corked.clear();
  };
  return function writeCoalesced(socket, frame) {
    if (!corked.has(socket)) {
      if (corked.size === 0) process.nextTick(uncorkAll);
      socket.cork();
      corked.add(socket);
    }
    socket.write(frame);
  };
}
