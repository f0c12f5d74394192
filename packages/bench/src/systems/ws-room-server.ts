import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { HOST, type SystemOptions } from './system';
import { createTokenCheck } from './token-check';

/**
 * The least a hand-written `ws` server does to take part: verify the JWT at the upgrade, keep
 * room members in a Map of Sets, and answer the two frames the swarm needs in Roomcast's wire
 * format (`system.connected` first, the `system.joinRoom` reply). It is the baseline, so it
 * does nothing else: no limits, no heartbeat, no validation beyond what keeps it running.
 */
export interface WsRoomServer {
  url: string;
  clients: ReadonlySet<WebSocket>;
  members(roomName: string): ReadonlySet<WebSocket>;
  stop(): Promise<void>;
}

const NO_MEMBERS: ReadonlySet<WebSocket> = new Set();

export async function startWsRoomServer(options: SystemOptions): Promise<WsRoomServer> {
  if (options.redis) throw new Error('the raw ws baselines run on one node only');
  const rooms = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer();
  const isValidToken = options.jwtSecret ? createTokenCheck(options.jwtSecret) : undefined;
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isValidToken && !isValidToken(tokenOf(request))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, ws => onConnection(ws, rooms));
  });
  await new Promise<void>(resolve => http.listen(0, HOST, resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://${HOST}:${port}/ws`,
    clients: wss.clients,
    members: roomName => rooms.get(roomName) ?? NO_MEMBERS,
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>(resolve => wss.close(() => resolve()));
      await new Promise<void>(resolve => http.close(() => resolve()));
    },
  };
}

function tokenOf(request: IncomingMessage): string | null {
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
}

function onConnection(ws: WebSocket, rooms: Map<string, Set<WebSocket>>): void {
  const joined = new Set<string>();
  ws.send(JSON.stringify({ type: 'system', action: 'connected', data: {} }));
  ws.on('message', raw => {
    const join = parseJoin(raw.toString());
    if (!join) return;
    const members = rooms.get(join.roomName) ?? new Set<WebSocket>();
    rooms.set(join.roomName, members);
    members.add(ws);
    joined.add(join.roomName);
    const response = { success: true, roomName: join.roomName };
    ws.send(JSON.stringify({ type: 'system', action: 'joinRoom', response, id: join.id }));
  });
  ws.on('close', () => {
    for (const roomName of joined) rooms.get(roomName)?.delete(ws);
  });
}

function parseJoin(text: string): { roomName: string; id: unknown } | undefined {
  try {
    const frame = JSON.parse(text) as { action?: unknown; data?: { roomName?: unknown }; id?: unknown };
    const roomName = frame.data?.roomName;
    return frame.action === 'joinRoom' && typeof roomName === 'string'
      ? { roomName, id: frame.id }
      : undefined;
  } catch {
    return undefined;
  }
}

export function isOpen(ws: WebSocket): boolean {
  return ws.readyState === WebSocket.OPEN;
}
