import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { benchMessage } from '../message';
import type { PublisherOptions, RunningPublisher } from './publisher';

/**
 * `@socket.io/redis-emitter` on the key the bench's Socket.IO nodes give their redis-adapter.
 * Its `emit` returns nothing to wait on; a PING on the same connection after each window is
 * answered once Redis has taken every publish before it, which is what the Roomcast emitter's
 * promises say.
 */
export function startSocketIoEmitter(options: PublisherOptions): RunningPublisher {
  const { host, port, appName } = options.redis;
  const redis = new Redis({ host, port });
  const emitter = new Emitter(redis, { key: `socket.io-${appName}` });
  let seq = 0;
  return {
    publish: async (roomName, count, window) => {
      for (let sent = 0; sent < count; ) {
        for (let i = 0; i < window && sent < count; i++, sent++)
          emitter.to(roomName).emit('message', { ...benchMessage(seq++), room: roomName });
        await redis.ping();
      }
    },
    stop: async () => {
      await redis.quit();
    },
  };
}
