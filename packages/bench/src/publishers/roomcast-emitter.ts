import { createEmitter } from '@roomcast/redis';
import { benchMessage } from '../message';
import type { PublisherOptions, RunningPublisher } from './publisher';

/** `createEmitter` as a queue worker runs it: one command client, the nodes' room patterns. */
export function startRoomcastEmitter(options: PublisherOptions): RunningPublisher {
  const { host, port, appName } = options.redis;
  const emitter = createEmitter({
    connection: { host, port },
    appName,
    ...(options.history && { rooms: { patterns: [{ match: '*', history: options.history }] } }),
  });
  let seq = 0;
  return {
    publish: async (roomName, count, window) => {
      for (let sent = 0; sent < count; ) {
        const batch: Promise<unknown>[] = [];
        for (; batch.length < window && sent < count; sent++)
          batch.push(emitter.broadcastToRoom({ roomName, data: benchMessage(seq++) }));
        await Promise.all(batch);
      }
    },
    stop: () => emitter.close(),
  };
}
