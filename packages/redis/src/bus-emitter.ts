import {
  BusChannel,
  type BusHeader,
  completeDurablePayload,
  durableHead,
  encodeBusMessage,
  type History,
  newEpoch,
  type PushMap,
  type PushMessage,
  type UserId,
} from '@roomcast/protocol';
import { createRoomSettings, isValidRoomName, type RoomPattern } from '@roomcast/rooms';

/** Where a room message landed: its offset in the room's stream, or none (ephemeral, no history). */
export interface EmittedRoomMessage {
  /** The room's offset of this message; undefined when it is ephemeral or the room keeps no history. */
  offset: number | undefined;
  /** The stream's epoch: what a client passes with `since` to replay from this offset. */
  epoch: string | undefined;
}

export interface EmitToRoomOptions<TPushes extends PushMap = PushMap> {
  roomName: string;
  /** The frame clients get (`{ type, action, data }`); `room` is added to it, as a node does. */
  data: PushMessage<TPushes>;
  excludeClientId?: string;
  /** In a history room: no offset, never stored or replayed (typing indicators, progress). */
  ephemeral?: boolean;
}

export interface EmitToUsersOptions<TPushes extends PushMap = PushMap> {
  userIds: readonly UserId[];
  data: PushMessage<TPushes>;
  excludeClientId?: string;
}

/**
 * The server's broadcast calls from a process that holds no sockets. Each resolves once Redis
 * (or the bus) took the message; a durable room message resolves with its offset. `TPushes` (a
 * `PushMap` shared with the clients) types each `data` as one of its frames; the default takes
 * anything.
 */
export interface Emitter<TPushes extends PushMap = PushMap> {
  /** `emitter:<random>`: the origin of its bus messages, so no node takes them for its own. */
  readonly origin: string;
  broadcastToRoom(options: EmitToRoomOptions<TPushes>): Promise<EmittedRoomMessage>;
  broadcastToUsers(options: EmitToUsersOptions<TPushes>): Promise<void>;
  /** Exactly these clients, wherever they are connected. */
  broadcastToClients(clientIds: readonly string[], data: PushMessage<TPushes>): Promise<void>;
  broadcastToClient(options: { clientId: string; data: PushMessage<TPushes> }): Promise<void>;
  broadcastToAllClients(options: { data: PushMessage<TPushes>; excludeClientId?: string }): Promise<void>;
  /** The guide's `sendMessageToAll({ data })`: every client on every node. */
  sendMessageToAll(options: { data: PushMessage<TPushes> }): Promise<void>;
  /** The guide's `sendCustomMessage({ data })`: `Custom` subscribers on every node run it. */
  sendCustomMessage(options: { data: unknown }): Promise<void>;
  /** Subscribers of `channel` on every node run `message` (as `server.publish`). */
  publish(channel: string, message: unknown): Promise<void>;
  /** Stops it; clients and buses it was given stay open. Later calls reject. */
  close(): Promise<void>;
}

export interface BusEmitterOptions {
  /** Sends one bus payload on a logical channel (`Bus.publish`, or PUBLISH on the bus prefix). */
  bus: { publish(channel: string, payload: string): Promise<void> };
  /** Where history rooms' durable messages are appended (the nodes' History). */
  history: History;
  /** The nodes' `rooms.patterns`: which rooms keep history, and how much. */
  rooms?: { patterns?: readonly RoomPattern[] };
  /** Default `emitter:<random>`. Never a node's id: nodes skip non-durable traffic of their own. */
  origin?: string;
  /** Runs once on close (what the caller opened for this emitter). */
  onClose?: () => Promise<void>;
}

const OWNER = 'Emitter';

/**
 * The emitter over any bus and history: what `createEmitter` runs on Redis, and what an app's
 * HTTP publish API runs on its node's own bus. It publishes what a node's broadcaster publishes,
 * serialized once: room frames with `room`, durable ones through `History.append` (which, on
 * Redis, allocates the offset and publishes in one atomic step).
 *
 * @example
 * const emitter = createBusEmitter({ bus, history, rooms: { patterns: [{ match: 'chat:*', history: { size: 100, ttlMs: 3_600_000 } }] } });
 * const { offset } = await emitter.broadcastToRoom({ roomName: 'chat:general', data: { type: 'chat', action: 'message', data: 'hi' } });
 */
export function createBusEmitter<TPushes extends PushMap = PushMap>(
  options: BusEmitterOptions,
): Emitter<TPushes> {
  if (typeof options?.bus?.publish !== 'function') {
    throw new TypeError(`${OWNER}: bus must have publish(channel, payload) (a Bus).`);
  }
  if (typeof options.history?.append !== 'function') {
    throw new TypeError(`${OWNER}: history must be a History (RedisHistory, MemoryHistory).`);
  }
  const { bus, history, onClose } = options;
  const settings = createRoomSettings(options.rooms?.patterns ?? []);
  const origin = options.origin ?? `emitter:${newEpoch()}`;
  if (typeof origin !== 'string' || origin === '' || origin.length > 64) {
    throw new TypeError(`${OWNER}: origin must be a string of 1-64 characters (not a node's id).`);
  }
  // Unique per emitter, so its ids never meet a node's or another emitter's in a room's id keys.
  const idPrefix = `${origin}.`;
  let seq = 0;
  let closed: Promise<void> | undefined;

  const checkOpen = () => {
    if (closed) throw new Error(`${OWNER}: closed; create a new emitter.`);
  };
  const send = (channel: string, header: BusHeader, body: string) =>
    bus.publish(channel, encodeBusMessage(header, body));

  const emitter: Emitter<TPushes> = {
    origin,
    async broadcastToRoom({ roomName, data, excludeClientId, ephemeral }) {
      checkOpen();
      if (!isValidRoomName(roomName)) {
        throw new TypeError(
          `${OWNER}: roomName must be 1-128 of A-Z a-z 0-9 _ . : @ # / -; got ${roomName}.`,
        );
      }
      checkExclude(excludeClientId);
      if (ephemeral !== undefined && typeof ephemeral !== 'boolean') {
        throw new TypeError(`${OWNER}: ephemeral must be true or false when given.`);
      }
      const frame = serialize(withRoom(data, roomName));
      const channel = BusChannel.room(roomName);
      const kept = settings(roomName).history;
      if (!kept || ephemeral === true) {
        await send(channel, { kind: 'room', origin, room: roomName, exclude: excludeClientId }, frame);
        return { offset: undefined, epoch: undefined };
      }
      if (!frame.startsWith('{')) {
        throw new TypeError(`${OWNER}: data must be an object ({ type, action, data }) in a history room.`);
      }
      const id = idPrefix + (++seq).toString(36);
      const head = durableHead({ origin, room: roomName, id, exclude: excludeClientId });
      // As the node's own durable publisher: an in-process history leaves the publish to the
      // caller, who publishes right away so the bus order is the append order.
      const result = await history
        .append(roomName, { id, frame, publish: { channel, head } }, kept)
        .then(async appended => {
          if (!appended.published && !appended.duplicate)
            await bus.publish(channel, completeDurablePayload(head, appended, frame));
          return appended;
        });
      return { offset: result.offset, epoch: result.epoch };
    },
    async broadcastToUsers({ userIds, data, excludeClientId }) {
      checkOpen();
      if (!Array.isArray(userIds) || !userIds.every(isUserId)) {
        throw new TypeError(`${OWNER}: userIds must be an array of user ids (strings or numbers).`);
      }
      checkExclude(excludeClientId);
      if (userIds.length === 0) return;
      const header: BusHeader = { kind: 'users', origin, users: [...userIds], exclude: excludeClientId };
      await send(BusChannel.broadcast, header, serialize(data));
    },
    async broadcastToClients(clientIds, data) {
      checkOpen();
      if (!Array.isArray(clientIds) || !clientIds.every(id => typeof id === 'string' && id !== '')) {
        throw new TypeError(`${OWNER}: clientIds must be an array of client ids (non-empty strings).`);
      }
      if (clientIds.length === 0) return;
      await send(BusChannel.broadcast, { kind: 'clients', origin, clients: [...clientIds] }, serialize(data));
    },
    broadcastToClient({ clientId, data }) {
      return emitter.broadcastToClients([clientId], data);
    },
    async broadcastToAllClients({ data, excludeClientId }) {
      checkOpen();
      checkExclude(excludeClientId);
      await send(BusChannel.broadcast, { kind: 'all', origin, exclude: excludeClientId }, serialize(data));
    },
    sendMessageToAll({ data }) {
      return emitter.broadcastToAllClients({ data });
    },
    sendCustomMessage({ data }) {
      return emitter.publish('custom', data);
    },
    async publish(channel, message) {
      checkOpen();
      if (typeof channel !== 'string' || channel === '') {
        throw new TypeError(`${OWNER}: channel must be a non-empty string such as 'queueJobCompleted'.`);
      }
      await send(BusChannel.events, { kind: 'event', origin, channel }, serialize(message));
    },
    close() {
      closed ??= onClose?.() ?? Promise.resolve();
      return closed;
    },
  };
  return emitter;
}

function serialize(data: unknown): string {
  return JSON.stringify(data ?? null);
}

/** As the node's broadcaster: an object frame gets `room`; anything else goes as it is. */
function withRoom(data: unknown, roomName: string): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return { ...data, room: roomName };
}

function isUserId(value: unknown): value is UserId {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function checkExclude(excludeClientId: unknown): void {
  if (excludeClientId !== undefined && typeof excludeClientId !== 'string') {
    throw new TypeError(`${OWNER}: excludeClientId must be a client id (a string) when given.`);
  }
}
