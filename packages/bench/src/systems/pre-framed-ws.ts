import type { Socket } from 'node:net';
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

/** The practical limit on Node: frame once, write the same buffer to every member's socket. */
export async function startPreFramedWs(
  options: SystemOptions,
  { coalesce }: PreFramedOptions,
): Promise<RunningSystem> {
  const server = await startWsRoomServer(options);
  const write = coalesce ? coalescingWriter() : (socket: Socket, frame: Buffer) => socket.write(frame);
  const writeAll = (members: Iterable<WebSocket>, frame: Buffer) => {
    for (const ws of members) if (isOpen(ws)) write(rawSocket(ws), frame);
  };
  return {
    url: server.url,
    clientKind: 'roomcast',
    broadcastToRoom: (roomName, message) =>
      writeAll(server.members(roomName), frameText(JSON.stringify({ ...message, room: roomName }))),
    broadcastToAll: message => writeAll(server.clients, frameText(JSON.stringify(message))),
    stop: () => server.stop(),
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
