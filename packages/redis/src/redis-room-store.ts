import { checkOptions, type Logger, type RoomMember, type RoomStore, silentLogger } from '@roomcast/protocol';
import { closeClient, type RedisClient } from './clients';
import { type CommandClientOptions, resolveCommandClient, runScript } from './command-client';
import { type MembershipKeys, membershipBase, membershipKeys, resolvePrefix } from './keys';
import { LocalMembers } from './local-members';
import { NodeLiveness } from './node-liveness';
import { REDIS_ROOM_STORE_OPTIONS_SCHEMA } from './options-schemas';
import { checkMember, checkRoomName, parseMember, parseMembers } from './room-member';
import { ADD, HEARTBEAT, MEMBERS, REMOVE, REMOVE_NODE, ROOMS, SWEEP } from './store-scripts';

export interface RedisRoomStoreOptions extends CommandClientOptions {
  /** Put before every key. Default `roomcast:<appName>:` (the bus's default too). */
  prefix?: string;
  appName?: string;
  /** A node whose heartbeat is older than this stops counting (its members are hidden, then swept). */
  nodeTtlMs?: number;
  /** How often each node with members here refreshes its liveness. Must be below nodeTtlMs. */
  heartbeatMs?: number;
  /** How often this store looks for dead nodes to sweep. Default: heartbeatMs. */
  sweepMs?: number;
  logger?: Logger;
}

export const DEFAULT_REDIS_ROOM_STORE_OPTIONS = Object.freeze({
  appName: 'default',
  nodeTtlMs: 15_000,
  heartbeatMs: 5_000,
});

const OWNER = 'RedisRoomStore';
/** Dead nodes removed per sweep run: one run's Lua stays short even after a mass failure. */
const SWEEP_BATCH = 20;

type ExpiredListener = (roomName: string, members: RoomMember[]) => void;

/**
 * Cluster-wide room membership in Redis. Every node that has members here sends a heartbeat; a
 * node that stops (SIGKILL, crash) stops counting after `nodeTtlMs`: queries leave its members
 * out at once, and the next sweep of any live store removes them and tells that store's
 * `onMembersExpired` listeners, exactly once across the cluster (the sweep is one Lua script).
 *
 * @example
 * const store = new RedisRoomStore({ client: redis.publisherClient, appName: 'chat' });
 * await store.add('general', { clientId: 'c1', nodeId: 'node-a', userId: 'u1', username: 'Ada' });
 * await store.members('general'); // [{ clientId: 'c1', nodeId: 'node-a', ... }] from any node
 * store.onMembersExpired((room, gone) => console.log(room, gone.length, 'left with their node'));
 */
export class RedisRoomStore implements RoomStore {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #base: string;
  readonly #keys: MembershipKeys;
  readonly #nodeTtlMs: number;
  readonly #logger: Logger;
  readonly #liveness: NodeLiveness;
  readonly #local = new LocalMembers();
  readonly #expiredListeners = new Set<ExpiredListener>();
  #closed = false;

  constructor(options: RedisRoomStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${OWNER}: pass an options object: { client } or { connection }.`);
    }
    checkOptions(OWNER, options, REDIS_ROOM_STORE_OPTIONS_SCHEMA);
    const prefix = resolvePrefix(
      OWNER,
      options.prefix,
      options.appName ?? DEFAULT_REDIS_ROOM_STORE_OPTIONS.appName,
    );
    const nodeTtlMs = options.nodeTtlMs ?? DEFAULT_REDIS_ROOM_STORE_OPTIONS.nodeTtlMs;
    const heartbeatMs = options.heartbeatMs ?? DEFAULT_REDIS_ROOM_STORE_OPTIONS.heartbeatMs;
    const sweepMs = options.sweepMs ?? heartbeatMs;
    if (heartbeatMs >= nodeTtlMs) {
      throw new TypeError(
        `${OWNER}: heartbeatMs (${heartbeatMs}) must be below nodeTtlMs (${nodeTtlMs}), or live nodes expire between beats; a third of it is usual.`,
      );
    }
    const { client, owned } = resolveCommandClient(OWNER, options);
    this.#client = client;
    this.#owned = owned;
    this.#base = membershipBase(prefix);
    this.#keys = membershipKeys(prefix);
    this.#nodeTtlMs = nodeTtlMs;
    this.#logger = options.logger ?? silentLogger;
    this.#liveness = new NodeLiveness({
      heartbeatMs,
      sweepMs,
      beat: nodeId => this.#beat(nodeId),
      sweep: () => this.#sweep(),
      logger: this.#logger,
    });
  }

  async add(roomName: string, member: RoomMember): Promise<void> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    const checked = checkMember(member);
    this.#local.add(roomName, checked);
    this.#liveness.track(checked.nodeId);
    await this.#register(roomName, checked);
  }

  async remove(roomName: string, clientId: string): Promise<void> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    this.#local.remove(roomName, clientId);
    await runScript(this.#client, REMOVE, [this.#keys.room(roomName)], [this.#base, roomName, clientId]);
  }

  async members(roomName: string): Promise<RoomMember[]> {
    this.#checkOpen();
    checkRoomName(OWNER, roomName);
    return parseMembers(
      await runScript(this.#client, MEMBERS, [this.#keys.room(roomName), this.#keys.nodes], []),
    );
  }

  async rooms(): Promise<string[]> {
    this.#checkOpen();
    const rooms = await runScript(this.#client, ROOMS, [this.#keys.nodes], [this.#base]);
    return Array.isArray(rooms)
      ? rooms.filter((room): room is string => typeof room === 'string').sort()
      : [];
  }

  async removeNode(nodeId: string): Promise<void> {
    this.#checkOpen();
    this.#local.removeNode(nodeId);
    this.#liveness.untrack(nodeId);
    await runScript(this.#client, REMOVE_NODE, [this.#keys.nodes], [this.#base, nodeId]);
  }

  onMembersExpired(listener: ExpiredListener): () => void {
    this.#expiredListeners.add(listener);
    return () => {
      this.#expiredListeners.delete(listener);
    };
  }

  /** Stops the timers and quits a client it opened. Members stay: call removeNode first to leave. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#liveness.stop();
    this.#local.clear();
    this.#expiredListeners.clear();
    if (this.#owned) await closeClient(this.#client);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`${OWNER}: the store is closed.`);
  }

  async #register(roomName: string, member: RoomMember): Promise<void> {
    await runScript(
      this.#client,
      ADD,
      [this.#keys.room(roomName), this.#keys.nodes],
      [this.#base, roomName, member.clientId, JSON.stringify(member), member.nodeId, this.#nodeTtlMs],
    );
  }

  async #beat(nodeId: string): Promise<void> {
    const added = await runScript(this.#client, HEARTBEAT, [this.#keys.nodes], [nodeId, this.#nodeTtlMs]);
    if (added !== 1) return;
    const members = this.#local.of(nodeId);
    if (members.length === 0) return;
    this.#logger.warn(
      { nodeId, members: members.length },
      `${OWNER}: Redis no longer knew this node (restarted, or swept after a stall); registering its members again`,
    );
    await Promise.all(members.map(({ roomName, member }) => this.#register(roomName, member)));
  }

  async #sweep(): Promise<void> {
    // A store nobody listens to leaves a dead node to the stores that do, for one more TTL,
    // so presence `leave` events are not claimed by a store that would drop them.
    const graceMs = this.#expiredListeners.size > 0 ? 0 : this.#nodeTtlMs;
    const flat = await runScript(this.#client, SWEEP, [this.#keys.nodes], [this.#base, graceMs, SWEEP_BATCH]);
    if (!Array.isArray(flat) || flat.length === 0) return;
    const byRoom = new Map<string, RoomMember[]>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const roomName = flat[i];
      const member = parseMember(flat[i + 1]);
      if (typeof roomName !== 'string' || member === undefined) continue;
      const members = byRoom.get(roomName) ?? [];
      members.push(member);
      byRoom.set(roomName, members);
    }
    this.#logger.info({ rooms: byRoom.size }, `${OWNER}: swept the members of dead nodes`);
    for (const [roomName, members] of byRoom) {
      for (const listener of [...this.#expiredListeners]) {
        try {
          listener(roomName, members);
        } catch (error) {
          this.#logger.error({ err: error, roomName }, `${OWNER}: an onMembersExpired listener threw`);
        }
      }
    }
  }
}
