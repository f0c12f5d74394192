import { type Bus, type History, type Logger, MemoryBus } from '@roomcast/protocol';
import { MemoryHistory } from '@roomcast/rooms';
import type { WebSocketServerOptions } from '@roomcast/server';

/**
 * The bus and history in the server's options, or in-process ones made here when they are not
 * given (no Redis), so a part beside the server (the HTTP API, the admin dashboard) shares them
 * with it. `close()` closes only what was made here, after the server stopped.
 */
export function sharedBusAndHistory(
  options: WebSocketServerOptions,
  logger: Logger,
): { bus: Bus; history: History; close(): Promise<void> } {
  const ownBus = options.bus ? undefined : new MemoryBus({ logger });
  const ownHistory = options.history ? undefined : new MemoryHistory();
  return {
    bus: options.bus ?? (ownBus as MemoryBus),
    history: options.history ?? (ownHistory as MemoryHistory),
    close: async () => {
      await Promise.allSettled([ownBus?.close(), ownHistory?.close()]);
    },
  };
}
