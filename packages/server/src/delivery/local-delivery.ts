import { type UserId, userIdKey } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import type { ClientRegistry } from '../connection/client-registry';
import type { ConnectedClient, Connection } from '../connection/connection';
import type { Metrics } from '../metrics';
import type { HistogramSeries } from '../observability/histogram';
import type { RoomMembers } from '../rooms/room-members';
import type { Outbound } from './outbound';
import type { PreparedFrame } from './prepared-frame';
import type { RecoveryGates } from './recovery-gate';

/** What a broadcast predicate sees of each candidate client. */
export interface PredicateTarget {
  clientId: string;
  ws: WebSocket;
  client: ConnectedClient;
  /** The token's claims with `userId`, merged over the app's metadata: `userData?.subscription`. */
  userData: Record<string, unknown>;
}
export type BroadcastPredicate = (target: PredicateTarget) => boolean;

export interface Filter {
  exclude?: string | undefined;
  predicate?: BroadcastPredicate | undefined;
}

export interface LocalDeliveryDeps {
  clients: ClientRegistry;
  rooms: RoomMembers;
  outbound: Outbound;
  gates: RecoveryGates;
  /** Where each call's fan-out time goes (when it reached a socket). */
  fanout: Metrics['fanout'];
}

/** Writes one prepared frame to the matching clients of this node. Returns how many got it. */
export class LocalDelivery {
  readonly #clients: ClientRegistry;
  readonly #rooms: RoomMembers;
  readonly #outbound: Outbound;
  readonly #gates: RecoveryGates;
  readonly #fanout: Metrics['fanout'];

  constructor({ clients, rooms, outbound, gates, fanout }: LocalDeliveryDeps) {
    this.#clients = clients;
    this.#rooms = rooms;
    this.#outbound = outbound;
    this.#gates = gates;
    this.#fanout = fanout;
  }

  toAll(frame: PreparedFrame, filter: Filter = {}): number {
    const started = performance.now();
    let sent = 0;
    for (const client of this.#clients.connections()) if (this.#deliver(client, frame, filter)) sent++;
    return this.#timed(this.#fanout.all, started, sent);
  }

  /** `offset`: the frame's place in the room's history, when the room keeps one. */
  toRoom(roomName: string, frame: PreparedFrame, filter: Filter = {}, offset?: number): number {
    const started = performance.now();
    let sent = 0;
    for (const clientId of this.#rooms.clientsOf(roomName)) {
      const client = this.#clients.connection(clientId);
      if (!client || !this.#passes(client, filter)) continue;
      if (
        this.#gates.capture(clientId, roomName, frame, offset) ||
        this.#outbound.send(client.ws, frame, clientId)
      )
        sent++;
    }
    return this.#timed(this.#fanout.room, started, sent);
  }

  toUsers(userIds: readonly UserId[], frame: PreparedFrame, filter: Filter = {}): number {
    const started = performance.now();
    let sent = 0;
    // One delivery per user however its id is spelled: [123, '123'] is one user.
    for (const userId of new Set(userIds.map(userIdKey)))
      sent += this.#toClientIds(this.#clients.getClientIdsOfUser(userId), frame, filter);
    return this.#timed(this.#fanout.users, started, sent);
  }

  toClientIds(clientIds: Iterable<string>, frame: PreparedFrame, filter: Filter = {}): number {
    const started = performance.now();
    return this.#timed(this.#fanout.clients, started, this.#toClientIds(clientIds, frame, filter));
  }

  #toClientIds(clientIds: Iterable<string>, frame: PreparedFrame, filter: Filter): number {
    let sent = 0;
    for (const clientId of clientIds) {
      const client = this.#clients.connection(clientId);
      if (client && this.#deliver(client, frame, filter)) sent++;
    }
    return sent;
  }

  /** A call that reached no socket here is not a fan-out: it would only crowd the first bucket. */
  #timed(series: HistogramSeries, started: number, sent: number): number {
    if (sent > 0) series.observe((performance.now() - started) / 1000);
    return sent;
  }

  #deliver(client: Connection, frame: PreparedFrame, filter: Filter): boolean {
    return this.#passes(client, filter) && this.#outbound.send(client.ws, frame, client.clientId);
  }

  #passes(client: Connection, filter: Filter): boolean {
    if (client.clientId === filter.exclude) return false;
    return !filter.predicate || filter.predicate(predicateTarget(client));
  }
}

function predicateTarget(client: Connection): PredicateTarget {
  const { ws, user, clientId } = client;
  // The record's own keys are the app's metadata only: the server's state is private to it.
  const userData: Record<string, unknown> = { ...client, ...user?.payload };
  if (user) userData.userId = user.userId;
  return { clientId, ws, client, userData };
}
