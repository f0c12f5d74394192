import type { RunningSystem, SystemOptions } from './system';
import { isOpen, startWsRoomServer } from './ws-room-server';

/** The loop most apps write: serialize once, `ws.send` the string to every member. */
export async function startRawWs(options: SystemOptions): Promise<RunningSystem> {
  const server = await startWsRoomServer(options);
  return {
    url: server.url,
    clientKind: 'roomcast',
    broadcastToRoom: (roomName, message) => {
      const text = JSON.stringify({ ...message, room: roomName });
      for (const ws of server.members(roomName)) if (isOpen(ws)) ws.send(text);
    },
    broadcastToAll: message => {
      const text = JSON.stringify(message);
      for (const ws of server.clients) if (isOpen(ws)) ws.send(text);
    },
    stop: () => server.stop(),
  };
}
