import { checkOptions, type Logger, type PushMap, silentLogger } from '@roomcast/protocol';
import type { RoomPattern } from '@roomcast/rooms';
import { type BusEmitterOptions, createBusEmitter, type Emitter } from './bus-emitter';
import { closeClient, isClusterClient, logClientErrors } from './clients';
import { type CommandClientOptions, resolveCommandClient } from './command-client';
import { resolvePrefix } from './keys';
import { EMITTER_OPTIONS_SCHEMA } from './options-schemas';
import { DEFAULT_REDIS_HISTORY_OPTIONS, RedisHistory } from './redis-history';

export interface EmitterOptions extends CommandClientOptions {
  /** The nodes' prefix, of channels and keys alike. Default `roomcast:<appName>:`. */
  prefix?: string;
  /** The nodes' app name (the `name` of a WebApplication). */
  appName?: string;
  /** The nodes' `rooms.patterns`: a room with `history` gets durable messages with offsets. */
  rooms?: { patterns?: readonly RoomPattern[] };
  /** SPUBLISH rather than PUBLISH, as the nodes' RedisBus. Default: true on a Cluster client. */
  sharded?: boolean;
  /** As the nodes' RedisHistory (default 7 days): how long a room's position outlives its messages. */
  offsetTtlMs?: number;
  /** Connection errors of a client it opened (`connection`), instead of ioredis's console output. */
  logger?: Logger;
  /** Default `emitter:<random>`: never a node's id. */
  origin?: string;
}

const OWNER = 'createEmitter';

/**
 * Publishes into a Roomcast cluster from a process that holds no WebSocket (a queue worker, a
 * cron job, another service): the server's broadcast calls, on the wire the nodes use. Durable
 * messages of history rooms get their offset from the same atomic append as a node's (the
 * RedisHistory script), so members on every node get them in offset order and can replay them
 * with `{ since, epoch }`. One command client, no subscriber; SPUBLISH on a Cluster. It loads
 * neither `ws` nor `@roomcast/server`.
 *
 * @example
 * const emitter = createEmitter({
 *   connection: { host: '127.0.0.1', port: 6379 },
 *   appName: 'chat',
 *   rooms: { patterns: [{ match: 'chat:*', history: { size: 100, ttlMs: 3_600_000 } }] },
 * });
 * const { offset } = await emitter.broadcastToRoom({
 *   roomName: 'chat:general',
 *   data: { type: 'chat', action: 'message', data: { text: 'report ready' } },
 * });
 * await emitter.publish('queueJobCompleted', { jobId: 42 });
 * await emitter.close();
 * // Typed by the app's PushMap: createEmitter<Pushes>({ ... }).
 */
export function createEmitter<TPushes extends PushMap = PushMap>(options: EmitterOptions): Emitter<TPushes> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `${OWNER}: pass an options object: { connection | client, appName | prefix, rooms }.`,
    );
  }
  checkOptions(OWNER, options, EMITTER_OPTIONS_SCHEMA);
  const prefix = resolvePrefix(
    OWNER,
    options.prefix,
    options.appName ?? DEFAULT_REDIS_HISTORY_OPTIONS.appName,
  );
  if (options.sharded !== undefined && typeof options.sharded !== 'boolean') {
    throw new TypeError(`${OWNER}: sharded must be true or false when given (as the nodes' RedisBus).`);
  }
  const { client, owned } = resolveCommandClient(OWNER, options);
  const sharded = options.sharded ?? isClusterClient(client);
  const stopLogging = owned ? logClientErrors(client, options.logger ?? silentLogger, 'emitter') : () => {};
  const history = new RedisHistory({
    client,
    prefix,
    sharded,
    ...(options.offsetTtlMs !== undefined && { offsetTtlMs: options.offsetTtlMs }),
  });
  const bus: BusEmitterOptions['bus'] = {
    async publish(channel, payload) {
      if (sharded) await client.spublish(prefix + channel, payload);
      else await client.publish(prefix + channel, payload);
    },
  };
  return createBusEmitter<TPushes>({
    bus,
    history,
    ...(options.rooms && { rooms: options.rooms }),
    ...(options.origin !== undefined && { origin: options.origin }),
    onClose: async () => {
      await history.close();
      stopLogging();
      if (owned) await closeClient(client);
    },
  });
}
