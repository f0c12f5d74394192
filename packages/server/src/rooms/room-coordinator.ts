import {
  type Bus,
  BusChannel,
  type BusListener,
  ErrorCode,
  type History,
  type HistoryLatest,
  type JoinRoomReply,
  type LeaveRoomReply,
  type Logger,
  RoomcastError,
  type RoomMember,
  type RoomStore,
} from '@roomcast/protocol';
import { cleanUsername, isValidRoomName, type PresenceMode, type RoomSettings } from '@roomcast/rooms';
import type { Connection } from '../connection/connection';
import type { Broadcaster } from '../delivery/broadcaster';
import type { Outbound } from '../delivery/outbound';
import { type PreparedFrame, prepareFrame } from '../delivery/prepared-frame';
import type { RecoveryGates } from '../delivery/recovery-gate';
import type { RoomStreams } from '../delivery/room-streams';
import type { ResolvedOptions } from '../options';
import { PresenceAnnouncer } from './presence-announcer';
import type { RoomManager } from './room-manager';
import type { RoomMembers } from './room-members';

export interface RoomManagerDeps {
  nodeId: string;
  members: RoomMembers;
  store: RoomStore;
  bus: Bus;
  /** Receives this node's per-room bus traffic. */
  receiver: BusListener;
  history: History;
  resolved: Pick<ResolvedOptions, 'rooms'>;
  roomSettings: (roomName: string) => RoomSettings;
  /** The server's broadcasts (presence, events): every node. */
  cluster: Broadcaster;
  outbound: Outbound;
  /** Holds a recovering client's live room frames until its replay is out. */
  gates: RecoveryGates;
  /** Follows the streams of history rooms with members here. */
  streams: RoomStreams;
  logger: Logger;
}

export interface JoinOptions {
  client: Connection;
  roomName: unknown;
  username?: unknown;
  since?: unknown;
  epoch?: unknown;
  rewind?: unknown;
}

/**
 * Joins and leaves with the rules of SPEC section 4: name check, room limit, `authorizeJoin`,
 * single-room mode, the cluster-wide store, one bus subscription per room with local members,
 * presence (PresenceAnnouncer) and history replay.
 */
export class RoomCoordinator implements RoomManager {
  readonly #deps: RoomManagerDeps;
  readonly #presence: PresenceAnnouncer;

  constructor(deps: RoomManagerDeps) {
    this.#deps = deps;
    this.#presence = new PresenceAnnouncer(deps);
  }

  /**
   * Announces the leave of members whose node died (the store found their node's heartbeat
   * expired). The store reports each once cluster-wide, so each leave is announced once.
   * Returns the unsubscribe, for stop(), which also drops pending presence batches.
   */
  watchExpiredMembers(): () => void {
    const off = this.#deps.store.onMembersExpired?.((roomName, members) => {
      for (const member of members) this.#presence.announce(member, roomName, 'leave');
    });
    return () => {
      off?.();
      this.#presence.stop();
    };
  }

  /** The guide's `server.rooms`: room name -> Set of this node's client ids. */
  get rooms(): RoomMembers['rooms'] {
    return this.#deps.members.rooms;
  }

  async join({ client, roomName, username, since, epoch, rewind }: JoinOptions): Promise<JoinRoomReply> {
    const options = this.#deps.resolved.rooms;
    if (!isValidRoomName(roomName)) {
      throw new RoomcastError(
        ErrorCode.INVALID_ROOM,
        'Room names are 1-128 characters of letters, digits and _ . : @ # / -',
      );
    }
    // Checked before anything changes, so a bad request leaves the client's rooms as they were.
    const from = since === undefined ? undefined : offsetParam('since', since);
    const count = rewind === undefined ? 0 : offsetParam('rewind', rewind);
    const fromEpoch = epoch === undefined ? undefined : epochParam(epoch);
    const display = cleanUsername(username);
    if (display !== null) client.named(display);
    const already = client.inRoom(roomName);
    if (!already && options.clientCanJoinMultipleRooms && client.roomCount >= options.maxRoomsPerClient) {
      throw new RoomcastError(
        ErrorCode.ROOM_LIMIT,
        `A client can be in at most ${options.maxRoomsPerClient} rooms`,
      );
    }
    if (!already && !(await this.#authorized(client, roomName))) {
      throw new RoomcastError(ErrorCode.FORBIDDEN, `Not allowed to join ${roomName}`);
    }
    if (!options.clientCanJoinMultipleRooms) {
      for (const other of client.rooms) if (other !== roomName) await this.leave({ client, roomName: other });
    }
    const reply: JoinRoomReply = {
      success: true,
      roomName,
      message: `Joined ${roomName}`,
      clientId: client.clientId,
      username: client.username,
      userId: client.user?.userId ?? null,
      joinedAt: new Date().toISOString(),
    };
    if (!this.#deps.roomSettings(roomName).history) {
      if (!already) await this.#add(client, roomName);
      return reply;
    }
    const { history } = this.#deps;
    if (from !== undefined) {
      return this.#replay(client, roomName, already, reply, from, async () => {
        const missed = await history.since(roomName, from, fromEpoch);
        reply.recovered = missed.recovered;
        return missed;
      });
    }
    // Without `since` the read comes after joining: every later message reaches the client live,
    // so the reply's offset is where a reconnecting client resumes, even if nothing came between.
    return this.#replay(client, roomName, already, reply, 0, () => history.latest(roomName, count));
  }

  /**
   * Joins and replays what `read` returns. The client becomes a member first, so nothing
   * published meanwhile is lost; its live frames for the room are held while the replay goes out,
   * then the held frames the replay did not already carry follow. A history that cannot be read
   * leaves the client joined with nothing replayed (and `recovered: false` when it asked).
   */
  async #replay(
    client: Connection,
    roomName: string,
    already: boolean,
    reply: JoinRoomReply,
    replayedUpTo: number,
    read: () => Promise<HistoryLatest>,
  ): Promise<JoinRoomReply> {
    const { gates, outbound } = this.#deps;
    const send = (frame: PreparedFrame) => outbound.send(client.ws, frame, client.clientId);
    let upTo = 0; // nothing replayed yet: every live frame is news to the client
    gates.hold(client.clientId, roomName);
    let joined = already;
    try {
      if (!already) await this.#add(client, roomName);
      joined = true;
      const { entries, offset, epoch } = await read();
      reply.offset = offset;
      reply.epoch = epoch;
      this.#deps.streams.follow(roomName, { offset, epoch });
      for (const entry of entries) send(prepareFrame(entry.frame));
      // The client stands at `offset` now: live frames up to it are behind it (or replayed).
      upTo = offset;
    } catch (error) {
      if (!joined) throw error;
      if (reply.recovered === undefined && replayedUpTo > 0) reply.recovered = false;
      this.#deps.logger.error({ err: error, roomName }, 'history read failed; joined without a replay');
    } finally {
      for (const frame of gates.release(client.clientId, roomName, upTo)) send(frame);
    }
    return reply;
  }

  async leave({ client, roomName }: { client: Connection; roomName: unknown }): Promise<LeaveRoomReply> {
    if (!isValidRoomName(roomName)) throw new RoomcastError(ErrorCode.INVALID_ROOM, 'Invalid room name');
    const { removed, lastInRoom } = this.#deps.members.remove(roomName, client);
    this.#deps.gates.forget(client.clientId, roomName);
    if (removed) {
      if (lastInRoom) {
        this.#deps.streams.forget(roomName);
        await this.#deps.bus.unsubscribe(BusChannel.room(roomName), this.#deps.receiver);
      }
      await this.#deps.store.remove(roomName, client.clientId);
      this.#presence.announce(this.#member(client), roomName, 'leave');
      this.#deps.logger.debug(
        { clientId: client.clientId, roomName, nodeId: this.#deps.nodeId },
        'left room',
      );
    }
    return {
      success: true,
      roomName,
      message: `Left ${roomName}`,
      clientId: client.clientId,
      leftAt: new Date().toISOString(),
    };
  }

  /** Leaves every room of a client that went away. Never throws: it runs on disconnect. */
  async leaveAll(client: Connection): Promise<void> {
    for (const roomName of client.rooms) {
      await this.leave({ client, roomName }).catch((error: unknown) => {
        this.#deps.logger.error({ err: error, roomName, clientId: client.clientId }, 'leaving room failed');
      });
    }
  }

  /** Every member of a room on every node. */
  getRoomMembers(roomName: string): Promise<RoomMember[]> {
    return this.#deps.store.members(roomName);
  }

  /** How the room shows presence (its pattern's `presence`). */
  presenceMode(roomName: string): PresenceMode {
    return this.#deps.roomSettings(roomName).presenceMode.mode;
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
    const rooms = Object.fromEntries([...this.#deps.members.rooms].map(([name, ids]) => [name, [...ids]]));
    this.#deps.logger.info({ rooms }, `${this.#deps.members.size} rooms on node ${this.#deps.nodeId}`);
  }

  async #authorized(client: Connection, roomName: string): Promise<boolean> {
    try {
      return (await this.#deps.resolved.rooms.authorizeJoin({ client, roomName })) === true;
    } catch (error) {
      this.#deps.logger.warn(
        { err: error, roomName, clientId: client.clientId },
        'authorizeJoin threw; join refused',
      );
      return false;
    }
  }

  async #add(client: Connection, roomName: string): Promise<void> {
    const { firstInRoom } = this.#deps.members.add(roomName, client);
    // Subscribe before replying, so the client misses nothing published by other nodes afterwards.
    if (firstInRoom) {
      if (this.#deps.roomSettings(roomName).history) this.#deps.streams.open(roomName);
      await this.#deps.bus.subscribe(BusChannel.room(roomName), this.#deps.receiver);
    }
    await this.#deps.store.add(roomName, this.#member(client));
    this.#presence.announce(this.#member(client), roomName, 'join');
    this.#deps.logger.debug(
      { clientId: client.clientId, roomName, nodeId: this.#deps.nodeId },
      'joined room',
    );
  }

  #member(client: Connection): RoomMember {
    return {
      clientId: client.clientId,
      nodeId: this.#deps.nodeId,
      userId: client.user?.userId ?? null,
      username: client.username,
    };
  }
}

function epochParam(value: unknown): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= 64) return value;
  throw new RoomcastError(ErrorCode.INVALID_MESSAGE, 'epoch must be the string a join reply gave');
}

/** `since` and `rewind` are offsets or counts: whole numbers from 0. */
function offsetParam(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new RoomcastError(ErrorCode.INVALID_MESSAGE, `${name} must be a whole number >= 0`);
}
