import {
  type Bus,
  BusChannel,
  type BusHeader,
  encodeBusMessage,
  type Logger,
  type PushMap,
  type PushMessage,
  type UserId,
} from '@roomcast/protocol';
import type { RoomSettings } from '@roomcast/rooms';
import type { DurablePublisher } from './durable-publisher';
import type { BroadcastPredicate, LocalDelivery } from './local-delivery';
import { prepareFrame } from './prepared-frame';

/**
 * The broadcast calls' options. `TPushes` (a `PushMap`, see the README: "Typed pushes") types
 * `data` as one of its frames; the default takes anything, as before.
 */
export interface BroadcastToAllOptions<TPushes extends PushMap = PushMap> {
  data: PushMessage<TPushes>;
  excludeClientId?: string;
  /** Evaluated on this node's clients only: a call with a predicate never crosses nodes. */
  predicate?: BroadcastPredicate;
  /**
   * In a history room: no offset, never stored, never replayed, best effort (typing indicators,
   * cursors). Only history rooms keep messages, so everywhere else every message is ephemeral.
   */
  ephemeral?: boolean;
}
export interface BroadcastToRoomOptions<TPushes extends PushMap = PushMap>
  extends BroadcastToAllOptions<TPushes> {
  roomName: string;
}
export interface BroadcastToUsersOptions<TPushes extends PushMap = PushMap>
  extends BroadcastToAllOptions<TPushes> {
  userIds: UserId[];
}
export interface BroadcastToClientOptions<TPushes extends PushMap = PushMap> {
  clientId: string;
  data: PushMessage<TPushes>;
}

export interface BroadcasterDeps {
  nodeId: string;
  bus: Bus;
  local: LocalDelivery;
  durable: DurablePublisher;
  roomSettings: (roomName: string) => RoomSettings;
  /** Runs this node's subscribers for an event (the local scope's `publish`). */
  dispatchEvent: (channel: string, message: unknown) => void;
  logger: Logger;
}

/** The guide's broadcast calls, as `server.local` and a subscriber's `webSocketServer` offer them. */
export interface Broadcaster<TPushes extends PushMap = PushMap> {
  broadcastToAllClients(options: BroadcastToAllOptions<TPushes>): void;
  /** Resolves once a durable message is appended (or after `rooms.maxLiveDelayMs`). */
  broadcastToRoom(options: BroadcastToRoomOptions<TPushes>): Promise<void>;
  broadcastToUsers(options: BroadcastToUsersOptions<TPushes>): void;
  broadcastToClient(options: BroadcastToClientOptions<TPushes>): void;
  /** Sends to exactly these clients, wherever they are connected. */
  broadcastToClients(clientIds: string[], data: PushMessage<TPushes>): void;
  /** Every client on every node (in the local scope: of this node). */
  sendMessageToAll(options: { data: PushMessage<TPushes> }): void;
  /** Reaches `Custom` subscribers on every node. */
  sendCustomMessage(options: { data: unknown }): void;
  /** Publishes to subscribers of `channel` on every node (in the local scope: this one). */
  publish(channel: string, message: unknown): void;
}

/**
 * The guide's broadcast calls. `scope: 'cluster'` (the server itself) reaches every target on
 * every node: it delivers here at once and publishes one pre-serialized frame on the bus, which
 * other nodes write out without parsing. `scope: 'local'` (`server.local`, and the server inside
 * subscriber handlers, which run on every node) reaches this node's clients only.
 */
export class ScopedBroadcaster implements Broadcaster {
  readonly #deps: BroadcasterDeps;
  readonly #cluster: boolean;

  constructor(deps: BroadcasterDeps, scope: 'cluster' | 'local') {
    this.#deps = deps;
    this.#cluster = scope === 'cluster';
  }

  broadcastToAllClients({ data, excludeClientId, predicate }: BroadcastToAllOptions): void {
    const frame = serialize(data);
    this.#deps.local.toAll(prepareFrame(frame), { exclude: excludeClientId, predicate });
    if (!predicate)
      this.#publish(BusChannel.broadcast, { kind: 'all', origin: '', exclude: excludeClientId }, frame);
  }

  /**
   * Room messages carry `room`. In a history room they are durable unless `ephemeral`: they get
   * the room's next `offset` and reach every member on every node in offset order (see
   * DurablePublisher). Resolves once a durable message is appended. A predicate, or the local
   * scope, makes the message this node's only, so it is ephemeral too.
   */
  broadcastToRoom({
    roomName,
    data,
    excludeClientId,
    predicate,
    ephemeral,
  }: BroadcastToRoomOptions): Promise<void> {
    const frame = serialize(withRoom(data, roomName));
    const history = this.#deps.roomSettings(roomName).history;
    if (history && this.#cluster && !predicate && ephemeral !== true) {
      return this.#deps.durable.publish(roomName, frame, excludeClientId, history);
    }
    this.#deps.local.toRoom(roomName, prepareFrame(frame), { exclude: excludeClientId, predicate });
    if (!predicate)
      this.#publish(
        BusChannel.room(roomName),
        { kind: 'room', origin: '', room: roomName, exclude: excludeClientId },
        frame,
      );
    return Promise.resolve();
  }

  broadcastToUsers({ userIds, data, excludeClientId, predicate }: BroadcastToUsersOptions): void {
    const frame = serialize(data);
    this.#deps.local.toUsers(userIds, prepareFrame(frame), { exclude: excludeClientId, predicate });
    if (!predicate) {
      this.#publish(
        BusChannel.broadcast,
        { kind: 'users', origin: '', users: userIds, exclude: excludeClientId },
        frame,
      );
    }
  }

  broadcastToClient({ clientId, data }: BroadcastToClientOptions): void {
    this.broadcastToClients([clientId], data);
  }

  /** Sends to exactly these clients, wherever they are connected. */
  broadcastToClients(clientIds: string[], data: unknown): void {
    const frame = serialize(data);
    const here = this.#deps.local.toClientIds(clientIds, prepareFrame(frame));
    if (here < clientIds.length)
      this.#publish(BusChannel.broadcast, { kind: 'clients', origin: '', clients: clientIds }, frame);
  }

  /** The guide's `sendMessageToAll({ data })`: every client on every node. */
  sendMessageToAll({ data }: { data: unknown }): void {
    this.broadcastToAllClients({ data });
  }

  /** The guide's `sendCustomMessage({ data })`: reaches `Custom` subscribers on every node. */
  sendCustomMessage({ data }: { data: unknown }): void {
    this.publish('custom', data);
  }

  /**
   * Publishes to subscribers of `channel` on every node (this one included). In the local scope
   * only this node's subscribers run: a subscriber that publishes runs on every node already.
   */
  publish(channel: string, message: unknown): void {
    if (!this.#cluster) {
      this.#deps.dispatchEvent(channel, message);
      return;
    }
    const body = JSON.stringify(message ?? null);
    this.#send(BusChannel.events, { kind: 'event', origin: this.#deps.nodeId, channel }, body);
  }

  #publish(channel: string, header: BusHeader, frame: string): void {
    if (!this.#cluster) return;
    header.origin = this.#deps.nodeId;
    this.#send(channel, header, frame);
  }

  #send(channel: string, header: BusHeader, body: string): void {
    this.#deps.bus.publish(channel, encodeBusMessage(header, body)).catch((error: unknown) => {
      this.#deps.logger.error({ err: error, channel }, 'bus publish failed');
    });
  }
}

function serialize(data: unknown): string {
  return JSON.stringify(data ?? null);
}

function withRoom(data: unknown, roomName: string): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return { ...data, room: roomName };
}
