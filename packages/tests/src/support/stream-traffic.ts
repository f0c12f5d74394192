/**
 * Test support for room streams (issue 15): test messages sent from nodes at a pace, and the
 * room's Redis stream read back directly.
 *
 *   const { issued, done } = sending(node, 'r', ids('a', 10), { window: 100, paceMs: 50 });
 *   const failed = await send(node, 'r', ['a-11']);         ids whose call failed
 *   const stored = await storedStream(redis, 'app', 'r');   [{ offset, id }] by XRANGE
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import type { RoomcastNode } from './roomcast-node';

/** The frame type and action of every test message; its `data.id` names it. */
export const MESSAGE = { type: 'stream', action: 'msg' } as const;

/**
 * Starts sending `ids` as room messages (durable unless `ephemeral`) from `node`, at most
 * `window` unanswered at once and `paceMs` apart. `issued` resolves once the last call is made,
 * `done` once every call settled, with the ids whose call failed (a rejection, a timed-out call).
 */
export function sending(
  node: RoomcastNode,
  room: string,
  ids: string[],
  { window = 10, paceMs = 0, ephemeral = false } = {},
): { issued: Promise<void>; done: Promise<string[]> } {
  const failed: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const issued = (async () => {
    for (const id of ids) {
      while (inFlight.size >= window) await Promise.race(inFlight);
      const call = node.server
        .broadcastToRoom({ roomName: room, data: { ...MESSAGE, data: { id } }, ephemeral })
        .catch(() => void failed.push(id))
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
      if (paceMs > 0) await sleep(paceMs);
    }
  })();
  const done = issued.then(() => Promise.all(inFlight)).then(() => failed);
  return { issued, done };
}

/** `sending(...)`, resolved once every call settled: the ids whose call failed. */
export const send = (...args: Parameters<typeof sending>): Promise<string[]> => sending(...args).done;

export const ids = (prefix: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${from + i}`);

/** The room's history stream key, as RedisHistory names it (hash tag: the room's bus channel). */
export const streamKey = (app: string, room: string) =>
  `roomcast:${app}:history:{roomcast:${app}:room:${room}}:stream`;

/** Every entry still in the room's Redis stream: offset (from the entry id) and message id. */
export async function storedStream(
  redis: Redis | Cluster,
  app: string,
  room: string,
): Promise<{ offset: number; id: string }[]> {
  const entries = await redis.xrange(streamKey(app, room), '-', '+');
  return entries.map(([entryId, fields]) => ({
    offset: Number(entryId.split('-')[1]),
    id: String((JSON.parse(fields[1] ?? '{}') as { data?: { id?: unknown } }).data?.id),
  }));
}
