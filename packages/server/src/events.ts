import type { WebSocket } from 'ws';

export interface ServerEvents {
  onServerStarted?: (event: { webSocketServer: unknown }) => void;
  onConnected?: (event: { ws: WebSocket; clientId: string; userId: string | number | null }) => void;
  onDisconnected?: (event: { clientId: string; code: number; reason: string }) => void;
  onMessage?: (event: { ws: WebSocket; clientId: string; data: unknown }) => void;
  onError?: (event: { error: Error; clientId?: string }) => void;
}
