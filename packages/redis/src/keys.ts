/**
 * Every name this package writes to Redis, in one place (the README's "Channels and keys").
 *
 * - Bus channels: `<prefix><logical channel>` (`roomcast:chat:room:general`). Channels carry no
 *   hash tag, so on a Cluster sharded pub/sub spreads rooms over every shard.
 * - Membership: `<prefix>rooms:{<prefix>}:…`. One hash tag per app keeps every membership key in
 *   one slot, so the Lua scripts (which touch the room, the node and the liveness keys together)
 *   run on a Cluster; membership changes at join/leave rate, so one shard per app carries it.
 * - History: `<prefix>history:{<room's bus channel>}:stream`, `…:meta` and `…:id:<message id>`.
 *   The hash tag is the room's full bus channel name (`roomcast:chat:room:general`), so a room's
 *   keys and its shard channel share one slot: the append script can XADD and SPUBLISH in one
 *   step on a Cluster, while rooms spread over shards. Room names and prefixes hold no braces.
 */

/** The prefix of an app: `roomcast:<appName>:`. */
export function defaultPrefix(appName: string): string {
  return `roomcast:${appName}:`;
}

/**
 * Checks a caller's prefix. Braces are refused: a `{` in the prefix would become the hash tag of
 * every key and break the per-room and per-app slot layout above.
 */
export function checkPrefix(owner: string, prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new TypeError(`${owner}: prefix must be a non-empty string such as 'roomcast:my-app:'.`);
  }
  if (prefix.includes('{') || prefix.includes('}')) {
    throw new TypeError(
      `${owner}: prefix must not contain '{' or '}' (Redis Cluster hash tags); got '${prefix}'.`,
    );
  }
  return prefix;
}

/** Resolves `{ prefix, appName }` options to the prefix in force. */
export function resolvePrefix(owner: string, prefix: string | undefined, appName: string): string {
  if (prefix !== undefined) return checkPrefix(owner, prefix);
  if (typeof appName !== 'string' || appName.length === 0) {
    throw new TypeError(`${owner}: appName must be a non-empty string (it names the key prefix).`);
  }
  return checkPrefix(owner, defaultPrefix(appName));
}

/** The base of every membership key of one app; the Lua scripts append `room:<name>` etc. */
export function membershipBase(prefix: string): string {
  return `${prefix}rooms:{${prefix}}:`;
}

export interface MembershipKeys {
  /** HASH clientId -> member JSON. */
  room(roomName: string): string;
  /** HASH roomName -> how many members this node has in it. */
  nodeRooms(nodeId: string): string;
  /** SET of JSON `[roomName, clientId]`: what to remove when the node goes. */
  nodeMembers(nodeId: string): string;
  /** ZSET nodeId -> liveness deadline (ms on the Redis clock). */
  readonly nodes: string;
}

/** Mirrors the key names the Lua scripts build from the same base (see store-scripts.ts). */
export function membershipKeys(prefix: string): MembershipKeys {
  const base = membershipBase(prefix);
  return {
    room: roomName => `${base}room:${roomName}`,
    nodeRooms: nodeId => `${base}node:${nodeId}:rooms`,
    nodeMembers: nodeId => `${base}node:${nodeId}:members`,
    nodes: `${base}nodes`,
  };
}

export interface HistoryKeys {
  /** STREAM of the room's frames, entry ids `0-<offset>`. */
  stream: string;
  /** HASH `epoch`, `offset`: the room's position. */
  meta: string;
  /** STRING `<offset>:<epoch>` per appended message id, for idempotent appends. */
  id(messageId: string): string;
}

/** `channel`: the room's full bus channel name (bus prefix included), the keys' hash tag. */
export function historyKeys(prefix: string, channel: string): HistoryKeys {
  const base = `${prefix}history:{${channel}}:`;
  return { stream: `${base}stream`, meta: `${base}meta`, id: messageId => `${base}id:${messageId}` };
}
