import {
  type Logger,
  type PresenceMember,
  type RoomMember,
  type RoomStore,
  WebSocketRedisSubscriberEvent,
} from '@roomcast/protocol';
import type { RoomSettings } from '@roomcast/rooms';
import type { Broadcaster } from '../delivery/broadcaster';
import { PresenceBatches, type PresenceDiff } from './presence-batches';

export interface PresenceAnnouncerDeps {
  roomSettings: (roomName: string) => RoomSettings;
  /** The server's broadcasts: presence frames reach the room's members on every node. */
  cluster: Broadcaster;
  store: RoomStore;
  logger: Logger;
}

/**
 * Tells a room's members of joins and leaves the way the room's presence setting asks: a frame
 * per change (`presence: true`), or this node's changes of one interval as one `presence.diff`
 * or `presence.count` frame. Presence is state, not history: every frame is ephemeral, never
 * stored, never replayed. The automatic ClientJoinedRoom / ClientLeftRoom events go out either way.
 */
export class PresenceAnnouncer {
  readonly #deps: PresenceAnnouncerDeps;
  readonly #batches = new PresenceBatches((roomName, diff) => this.#sendBatch(roomName, diff));

  constructor(deps: PresenceAnnouncerDeps) {
    this.#deps = deps;
  }

  announce(
    { clientId, userId, username, nodeId }: RoomMember,
    roomName: string,
    action: 'join' | 'leave',
  ): void {
    const member: PresenceMember = { clientId, userId, username };
    const { mode, batchMs } = this.#deps.roomSettings(roomName).presenceMode;
    if (mode === 'events') {
      this.#send(roomName, { type: 'presence', action, data: { roomName, ...member } });
    } else if (mode === 'diff' || mode === 'count') {
      this.#batches.note(roomName, member, action, batchMs);
    }
    const event =
      action === 'join'
        ? WebSocketRedisSubscriberEvent.ClientJoinedRoom
        : WebSocketRedisSubscriberEvent.ClientLeftRoom;
    this.#deps.cluster.publish(event, { roomName, ...member, nodeId });
  }

  /** Drops pending batches and their timers (the server is stopping). */
  stop(): void {
    this.#batches.stop();
  }

  #sendBatch(roomName: string, diff: PresenceDiff): void {
    if (this.#deps.roomSettings(roomName).presenceMode.mode === 'diff') {
      this.#send(roomName, { type: 'presence', action: 'diff', data: { roomName, ...diff } });
      return;
    }
    // One store read per interval, not per join: the count is cluster-wide, as the store sees it
    // after this node's changes (another node's frame may follow with a newer one).
    this.#deps.store.members(roomName).then(
      members =>
        this.#send(roomName, {
          type: 'presence',
          action: 'count',
          data: { roomName, count: members.length },
        }),
      (error: unknown) =>
        this.#deps.logger.error({ err: error, roomName }, 'presence count failed; frame skipped'),
    );
  }

  #send(roomName: string, data: { type: 'presence'; action: string; data: object }): void {
    this.#deps.cluster.broadcastToRoom({ roomName, data, ephemeral: true }).catch((error: unknown) => {
      this.#deps.logger.error({ err: error, roomName }, 'presence frame failed');
    });
  }
}
