import {
  type Bus,
  BusChannel,
  type BusListener,
  ErrorCode,
  type History,
  type HistorySince,
  type JoinRoomReply,
  type LeaveRoomReply,
  type Logger,
  RoomcastError,
  type RoomMember,
  type RoomStore,
  WebSocketRedisSubscriberEvent,
} from '@roomcast/protocol';
import { cleanUsername, isValidRoomName, type RoomIndex, type RoomSettings } from '@roomcast/rooms';
import type { Broadcaster } from './broadcaster';
import type { ConnectedClient } from './client-manager';
import type { RoomOptions } from './options';
import { type Outbound, type PreparedFrame, prepareFrame } from './outbound';
import type { RecoveryGates } from './recovery-gate';

export interface RoomManagerDeps {
  nodeId: string;
  index: RoomIndex;
  store: RoomStore;
  bus: Bus;
  /** Receives this node's per-room bus traffic. */
  busListener: BusListener;
  history: History;
  options: RoomOptions;
  roomSettings: (roomName: string) => RoomSettings;
  broadcaster: Broadcaster;
  outbound: Outbound;
  /** Holds a recovering client's live room frames until its replay is out. */
  gates: RecoveryGates;
  logger: Logger;
}

export interface JoinOptions {
  client: ConnectedClient;
  roomName: unknown;
  username?: unknown;
  since?: unknown;
}

/**
 * Joins and leaves with the rules of SPEC section 4: name check, room limit, `authorizeJoin`,
 * single-room mode, the cluster-wide store, one bus subscription per room with local members,
 * presence events and history replay.
 */
export class RoomManager {
  readonly #deps: RoomManagerDeps;

  constructor(deps: RoomManagerDeps) {
    this.#deps = deps;
  }

  /**
   * Announces the leave of members whose node died (the store found their node's heartbeat
   * expired). The store reports each once cluster-wide, so each leave is announced once.
   * Returns the unsubscribe, for stop().
   */
  watchExpiredMembers(): () => void {
    const off = this.#deps.store.onMembersExpired?.((roomName, members) => {
      for (const member of members) this.#announce(member, roomName, 'leave');
    });
    return off ?? (() => {});
  }

  /** The guide's `server.rooms`: room name -> Set of this node's client ids. */
  get rooms(): RoomIndex['rooms'] {
    return this.#deps.index.rooms;
  }

  async join({ client, roomName, username, since }: JoinOptions): Promise<JoinRoomReply> {
    const { index, options } = this.#deps;
    if (!isValidRoomName(roomName)) {
      throw new RoomcastError(
        ErrorCode.INVALID_ROOM,
        'Room names are 1-128 characters of letters, digits and _ . : @ # / -',
      );
    }
    const display = cleanUsername(username);
    if (display !== null) client.username = display;
    const current = index.roomsOf(client.clientId);
    const already = current.has(roomName);
    if (!already && options.clientCanJoinMultipleRooms && current.size >= options.maxRoomsPerClient) {
      throw new RoomcastError(
        ErrorCode.ROOM_LIMIT,
        `A client can be in at most ${options.maxRoomsPerClient} rooms`,
      );
    }
    if (!already && !(await this.#authorized(client, roomName))) {
      throw new RoomcastError(ErrorCode.FORBIDDEN, `Not allowed to join ${roomName}`);
    }
    if (!options.clientCanJoinMultipleRooms) {
      for (const other of [...current]) if (other !== roomName) await this.leave({ client, roomName: other });
    }
    const reply: JoinRoomReply = { success: true, roomName };
    if (!this.#deps.roomSettings(roomName).history) {
      if (!already) await this.#add(client, roomName);
      return reply;
    }
    if (typeof since === 'number' && Number.isSafeInteger(since) && since >= 0) {
      return this.#recover(client, roomName, since, already, reply);
    }
    if (!already) await this.#add(client, roomName);
    // Read after joining: every later message reaches the client live, so this is where a
    // reconnecting client resumes from even if it received nothing in between.
    const latest = await this.#readHistory(roomName, Number.MAX_SAFE_INTEGER);
    if (latest) reply.offset = latest.offset;
    return reply;
  }

  /**
   * A join with `since`: the client becomes a member first (so nothing published meanwhile is
   * lost), its live frames for the room are held while the missed ones are replayed in order,
   * then the held frames the replay did not already carry follow.
   */
  async #recover(
    client: ConnectedClient,
    roomName: string,
    since: number,
    already: boolean,
    reply: JoinRoomReply,
  ): Promise<JoinRoomReply> {
    const { gates, outbound } = this.#deps;
    const send = (frame: PreparedFrame) => outbound.send(client.ws, frame, client.clientId);
    let replayedUpTo = since;
    gates.hold(client.clientId, roomName);
    try {
      if (!already) await this.#add(client, roomName);
      const missed = await this.#readHistory(roomName, since);
      reply.recovered = missed?.recovered === true;
      if (missed) reply.offset = missed.offset;
      for (const entry of missed?.entries ?? []) {
        send(prepareFrame(entry.frame));
        replayedUpTo = entry.offset;
      }
    } finally {
      for (const frame of gates.release(client.clientId, roomName, replayedUpTo)) send(frame);
    }
    return reply;
  }

  /** History read that survives the history being down: the join then goes on unrecovered. */
  async #readHistory(roomName: string, since: number): Promise<HistorySince | undefined> {
    try {
      return await this.#deps.history.since(roomName, since);
    } catch (error) {
      this.#deps.logger.error({ err: error, roomName }, 'history read failed; joining without recovery');
      return undefined;
    }
  }

  async leave({ client, roomName }: { client: ConnectedClient; roomName: unknown }): Promise<LeaveRoomReply> {
    if (!isValidRoomName(roomName)) throw new RoomcastError(ErrorCode.INVALID_ROOM, 'Invalid room name');
    const { removed, lastInRoom } = this.#deps.index.remove(roomName, client.clientId);
    if (removed) {
      if (lastInRoom) await this.#deps.bus.unsubscribe(BusChannel.room(roomName), this.#deps.busListener);
      await this.#deps.store.remove(roomName, client.clientId);
      this.#announce(this.#member(client), roomName, 'leave');
    }
    return { success: true, roomName };
  }

  /** Leaves every room of a client that went away. Never throws: it runs on disconnect. */
  async leaveAll(client: ConnectedClient): Promise<void> {
    for (const roomName of [...this.#deps.index.roomsOf(client.clientId)]) {
      await this.leave({ client, roomName }).catch((error: unknown) => {
        this.#deps.logger.error({ err: error, roomName, clientId: client.clientId }, 'leaving room failed');
      });
    }
  }

  /** Every member of a room on every node. */
  getRoomMembers(roomName: string): Promise<RoomMember[]> {
    return this.#deps.store.members(roomName);
  }

  /** Rooms with members on any node. */
  getRooms(): Promise<string[]> {
    return this.#deps.store.rooms();
  }

  /** Forgets this node's members in the shared store (the node is stopping). */
  removeNode(): Promise<void> {
    return this.#deps.store.removeNode(this.#deps.nodeId);
  }

  /** Logs every local room and its members (the guide's debugging aid). */
  printRooms(): void {
    const rooms = Object.fromEntries([...this.#deps.index.rooms].map(([name, ids]) => [name, [...ids]]));
    this.#deps.logger.info({ rooms }, `${this.#deps.index.size} rooms on node ${this.#deps.nodeId}`);
  }

  async #authorized(client: ConnectedClient, roomName: string): Promise<boolean> {
    try {
      return (await this.#deps.options.authorizeJoin({ client, roomName })) === true;
    } catch (error) {
      this.#deps.logger.warn(
        { err: error, roomName, clientId: client.clientId },
        'authorizeJoin threw; join refused',
      );
      return false;
    }
  }

  async #add(client: ConnectedClient, roomName: string): Promise<void> {
    const { firstInRoom } = this.#deps.index.add(roomName, client.clientId);
    // Subscribe before replying, so the client misses nothing published by other nodes afterwards.
    if (firstInRoom) await this.#deps.bus.subscribe(BusChannel.room(roomName), this.#deps.busListener);
    await this.#deps.store.add(roomName, this.#member(client));
    this.#announce(this.#member(client), roomName, 'join');
  }

  /** Presence frames to the room's members (when the room has presence) and the automatic event. */
  #announce(
    { clientId, userId, username, nodeId }: RoomMember,
    roomName: string,
    action: 'join' | 'leave',
  ): void {
    const member = { roomName, clientId, userId, username };
    if (this.#deps.roomSettings(roomName).presence) {
      void this.#deps.broadcaster.broadcastToRoom({
        roomName,
        data: { type: 'presence', action, data: member },
      });
    }
    const event =
      action === 'join'
        ? WebSocketRedisSubscriberEvent.ClientJoinedRoom
        : WebSocketRedisSubscriberEvent.ClientLeftRoom;
    this.#deps.broadcaster.publish(event, { ...member, nodeId });
  }

  #member(client: ConnectedClient): RoomMember {
    return {
      clientId: client.clientId,
      nodeId: this.#deps.nodeId,
      userId: client.user?.userId ?? null,
      username: client.username,
    };
  }
}
