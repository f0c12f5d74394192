// The child side of `startNode()` (roomcast-node.ts): one Roomcast node on the *built* packages
// (vitest only transforms TypeScript in its own process, and tsx is not installed). Wired as an
// app would wire it by hand: connectRedis -> RedisBus + RedisRoomStore + RedisHistory, an optional
// JWT authenticator, recording subscribers, and a WebSocketServer on 127.0.0.1 and a free port.
// The parent sends the config once ({ start }), then requests ({ id, method, args }); every log
// line goes to the parent as it is written ({ log }). Kept small and free of test logic.
import { claimRoomPolicy, composePolicies, createJwtAuthenticator, userRoomPolicy } from '@roomcast/auth';
import { connectRedis, RedisBus, RedisHistory, RedisRoomStore } from '@roomcast/redis';
import { WebSocketServer, WebSocketService } from '@roomcast/server';
import { defineWebSocketSubscriber } from '@roomcast/subscribers';

const send = message => process.send?.(message);

/** Errors, cycles and Maps made JSON-safe, keeping every field a leak could hide in. */
function plain(value, ancestors = new Set()) {
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint' ? String(value) : value;
  if (ancestors.has(value)) return '[Circular]';
  ancestors.add(value);
  let out = {};
  if (value instanceof Map) out = plain(Object.fromEntries(value), ancestors);
  else if (Array.isArray(value)) out = value.map(item => plain(item, ancestors));
  else {
    if (value instanceof Error) {
      Object.assign(out, { name: value.name, message: value.message, stack: value.stack });
      if (value.cause !== undefined) out.cause = plain(value.cause, ancestors);
    }
    for (const [key, item] of Object.entries(value))
      if (typeof item !== 'function') out[key] = plain(item, ancestors);
  }
  ancestors.delete(value);
  return out;
}

const at = level => (fieldsOrMessage, message) => {
  const fields = typeof fieldsOrMessage === 'string' ? {} : plain(fieldsOrMessage ?? {});
  const text = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : (message ?? '');
  send({ log: { level, message: text, fields } });
};
const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };

/** `{ channel, throws?, name?, priority? }` -> a subscriber that records its run and tells this node's clients. */
function recordingSubscriber(spec, runs, nodeId) {
  const name = spec.name ?? `${spec.throws ? 'failing' : 'recording'}:${spec.channel}`;
  return defineWebSocketSubscriber({
    name,
    channel: spec.channel,
    priority: spec.priority ?? 0,
    handle: ({ channel, message, webSocketServer }) => {
      runs.push({ subscriber: name, channel, message });
      if (spec.throws) throw new Error(`${name} failed on purpose`);
      // webSocketServer is server.local: only this node's clients hear it.
      webSocketServer.broadcastToAllClients({
        data: { type: 'subscriber', action: 'ran', data: { subscriber: name, channel, message, nodeId } },
      });
    },
  });
}

/** `{ userRoom?, claimRoom? }` -> the auth package's policies as `rooms.authorizeJoin`. */
function roomOptions({ rooms = {}, roomPolicies = {} }) {
  const policies = [
    ...(roomPolicies.userRoom ? [userRoomPolicy(roomPolicies.userRoom)] : []),
    ...(roomPolicies.claimRoom ? [claimRoomPolicy(roomPolicies.claimRoom)] : []),
  ];
  return policies.length === 0 ? rooms : { ...rooms, authorizeJoin: composePolicies(...policies) };
}

async function start(config) {
  const nodeId = config.nodeId ?? `node-${process.pid}`;
  const redis = await connectRedis(config.redis, { logger, timeoutMs: 10_000 });
  const naming =
    config.prefix === undefined ? { appName: config.appName ?? 'test' } : { prefix: config.prefix };
  const clients = { publisher: redis.publisherClient, subscriber: redis.subscriberClient };
  const bus = new RedisBus({ ...clients, ...naming, logger });
  const roomStore = new RedisRoomStore({ client: redis.publisherClient, ...naming, ...config.store, logger });
  const history = new RedisHistory({ client: redis.publisherClient, ...naming });
  const runs = [];
  const server = new WebSocketServer({
    ...config.server,
    rooms: roomOptions(config),
    name: config.appName ?? 'test',
    nodeId,
    bus,
    roomStore,
    history,
    logger,
    ...(config.auth && { authenticator: createJwtAuthenticator(config.auth) }),
    subscriberHandlers: {
      handlers: (config.subscribers ?? []).map(spec => recordingSubscriber(spec, runs, nodeId)),
      ...(config.subscribersDirectory && { directory: config.subscribersDirectory }),
    },
  });
  const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
  const scopes = { server, local: server.local, service: new WebSocketService({ webSocketServer: server }) };

  const stop = async ({ timeoutMs = 2_000 } = {}) => {
    await server.stop({ timeoutMs });
    await Promise.allSettled([bus.close(), roomStore.close(), history.close()]);
    await redis.close();
  };
  const methods = {
    call: (scope, method, args) => {
      const target = scopes[scope];
      if (typeof target?.[method] !== 'function') throw new TypeError(`no ${scope}.${method}()`);
      return target[method](...args);
    },
    busStats: () => plain(bus.stats),
    subscriberRuns: () => runs,
    stop: async options => {
      await stop(options);
      setImmediate(() => process.exit(0));
    },
  };
  process.on('message', async ({ id, method, args = [] }) => {
    if (id === undefined) return;
    try {
      const value = await methods[method](...args);
      send({ id, ok: true, value: plain(value ?? null) });
    } catch (error) {
      send({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ ready: { url, nodeId } });
}

// Orphaned (the test process died): leave at once rather than hold ports and Redis connections.
process.on('disconnect', () => process.exit(0));
process.once('message', ({ start: config }) => {
  start(config).catch(error => {
    send({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  });
});
