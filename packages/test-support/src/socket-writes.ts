import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Counts the writes the net.Socket under a server-side `ws` WebSocket hands to the OS, one per
 * `write` or `writev`, from now on: what the outbound path's coalescing is judged by.
 */
export function countWrites(ws: WebSocket): { readonly count: number } {
  type WriteMethod = (this: Socket, ...args: unknown[]) => void;
  const socket = (ws as unknown as { _socket: Socket & Record<'_write' | '_writev', WriteMethod> })._socket;
  const counter = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method];
    socket[method] = function counted(this: Socket, ...args: unknown[]) {
      counter.count++;
      original.apply(this, args);
    };
  }
  return counter;
}
