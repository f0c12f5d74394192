import type { StreamPosition } from './contracts';
import type { UserId } from './frames';

/**
 * The automatic cross-node events of the guide. Subscribers name them as channels
 * (`channel: WebSocketRedisSubscriberEvent.Custom`).
 */
export const WebSocketRedisSubscriberEvent = {
  ClientConnected: 'clientConnected',
  ClientDisconnected: 'clientDisconnected',
  ClientJoinedRoom: 'clientJoinedRoom',
  ClientLeftRoom: 'clientLeftRoom',
  SendMessageToAll: 'sendMessageToAll',
  DisconnectClient: 'disconnectClient',
  MessageError: 'messageError',
  QueueJobCompleted: 'queueJobCompleted',
  QueueJobError: 'queueJobError',
  Custom: 'custom',
} as const;
export type WebSocketRedisSubscriberEvent =
  (typeof WebSocketRedisSubscriberEvent)[keyof typeof WebSocketRedisSubscriberEvent];

/**
 * Logical bus channels. A Bus implementation adds its own prefix (`roomcast:<app>:`) so several
 * apps share one Redis; the server only ever uses these names.
 */
export const BusChannel = {
  /** Node-wide deliveries: to all clients, to users, to client ids. Every node subscribes. */
  broadcast: 'broadcast',
  /** Messages for one room; a node subscribes while it has a member in the room. */
  room: (roomName: string) => `room:${roomName}`,
  /** Messages for one node (disconnect a client it holds). */
  node: (nodeId: string) => `node:${nodeId}`,
  /**
   * Subscriber traffic: the automatic events and custom channels (`server.publish`), named in the
   * header. One channel, so `match` subscribers (RegExp, predicates) see every event; a node
   * subscribes to it only when it has subscriber handlers.
   */
  events: 'events',
} as const;

/** Receives one raw bus payload (as published) and the logical channel it came on. */
export type BusListener = (payload: string, channel: string) => void;

/**
 * Transport between nodes. Delivery is at most once: a message published while a node is
 * unreachable is not replayed by the bus (room history does that, see History).
 */
export interface Bus {
  /** False while messages cannot reach other nodes (Redis down). The in-process bus is always true. */
  readonly connected: boolean;
  /**
   * Sends `payload` to every subscriber of `channel` on every node, this one included.
   * Resolves once handed to the transport; while disconnected an implementation buffers up to a
   * bound and then drops (and counts) — it never rejects for a lost connection.
   */
  publish(channel: string, payload: string): Promise<void>;
  /** Adds a listener. The first listener of a channel subscribes the node to it. */
  subscribe(channel: string, listener: BusListener): Promise<void>;
  /** Removes a listener. The last one leaving unsubscribes the node from the channel. */
  unsubscribe(channel: string, listener: BusListener): Promise<void>;
  /** Called with the new state whenever `connected` changes; returns a function that stops it. */
  onStatusChange(listener: (connected: boolean) => void): () => void;
  /** Stops everything this bus started. Clients it was given are left open. */
  close(): Promise<void>;
}

// ---- bus messages ----------------------------------------------------------------------------

interface Origin {
  /** nodeId of the publishing node. */
  origin: string;
}

/**
 * The header of a bus message. The client frame travels beside it, already serialized, so a
 * receiving node writes it to sockets without parsing or re-stringifying it.
 */
export type BusHeader =
  | (Origin & { kind: 'room'; room: string; exclude?: string | undefined })
  | DurableHeader
  | (Origin & { kind: 'all'; exclude?: string | undefined })
  | (Origin & { kind: 'users'; users: UserId[]; exclude?: string | undefined })
  | (Origin & { kind: 'clients'; clients: string[] })
  | (Origin & { kind: 'disconnect'; client: string; code: number; reason: string })
  | (Origin & { kind: 'event'; channel: string });

/**
 * A durable room message: its place in the room's stream (`offset` of `epoch`) and the id its
 * origin gave it. Every node, the origin included, delivers these from the bus in offset order.
 */
export interface DurableHeader extends Origin {
  kind: 'durable';
  room: string;
  id: string;
  exclude?: string | undefined;
  offset: number;
  epoch: string;
}

export type BusMessageKind = BusHeader['kind'];

export interface BusMessage {
  header: BusHeader;
  /** Room and broadcast kinds: the client frame as sent on the wire. Events: the JSON message. */
  body: string;
}

/**
 * One bus payload: the header JSON, a newline, the body. JSON.stringify never emits a raw
 * newline, so the first newline always ends the header.
 */
export function encodeBusMessage(header: BusHeader, body: string): string {
  return `${JSON.stringify(header)}\n${body}`;
}

/**
 * The header of a durable message before its position is known, as JSON without the closing
 * brace: the history completes it in the step that allocates the offset (in Lua, for Redis).
 */
export function durableHead(header: Omit<DurableHeader, 'kind' | 'offset' | 'epoch'>): string {
  return JSON.stringify({ kind: 'durable', ...header }).slice(0, -1);
}

/** The bus payload of a durable message once its position is known (the Lua scripts mirror it). */
export function completeDurablePayload(head: string, position: StreamPosition, frame: string): string {
  return `${head},"offset":${position.offset},"epoch":${JSON.stringify(position.epoch)}}\n${frame}`;
}

/** Reads a bus payload; `undefined` for anything malformed (another app on the same Redis). */
export function decodeBusMessage(payload: string): BusMessage | undefined {
  const split = payload.indexOf('\n');
  if (split <= 0) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(payload.slice(0, split));
  } catch {
    return undefined;
  }
  if (!isBusHeader(header)) return undefined;
  return { header, body: payload.slice(split + 1) };
}

function isBusHeader(value: unknown): value is BusHeader {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  if (typeof h.origin !== 'string') return false;
  if (h.exclude !== undefined && typeof h.exclude !== 'string') return false;
  switch (h.kind) {
    case 'room':
      return typeof h.room === 'string';
    case 'durable':
      return (
        typeof h.room === 'string' &&
        typeof h.id === 'string' &&
        typeof h.epoch === 'string' &&
        Number.isSafeInteger(h.offset) &&
        (h.offset as number) > 0
      );
    case 'all':
      return true;
    case 'users':
      return Array.isArray(h.users) && h.users.every(u => typeof u === 'string' || typeof u === 'number');
    case 'clients':
      return Array.isArray(h.clients) && h.clients.every(c => typeof c === 'string');
    case 'disconnect':
      return typeof h.client === 'string' && typeof h.code === 'number' && typeof h.reason === 'string';
    case 'event':
      return typeof h.channel === 'string';
    default:
      return false;
  }
}
