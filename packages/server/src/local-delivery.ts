import type { UserId } from '@roomcast/protocol';
import type { RoomIndex } from '@roomcast/rooms';
import type { WebSocket } from 'ws';
import type { ClientManager, ConnectedClient } from './client-manager';
import type { Outbound, PreparedFrame } from './outbound';

/** What a broadcast predicate sees of each candidate client. */
export interface PredicateTarget {
  clientId: string;
  ws: WebSocket;
  client: ConnectedClient;
  /** The token's claims with `userId`, merged over app metadata: `userData?.subscription`. */
  userData: Record<string, unknown>;
}
export type BroadcastPredicate = (target: PredicateTarget) => boolean;

export interface Filter {
  exclude?: string | undefined;
  predicate?: BroadcastPredicate | undefined;
}

/** Writes one prepared frame to the matching clients of this node. Returns how many got it. */
export class LocalDelivery {
  readonly #clients: ClientManager;
  readonly #rooms: RoomIndex;
  readonly #outbound: Outbound;

  constructor(clients: ClientManager, rooms: RoomIndex, outbound: Outbound) {
    this.#clients = clients;
    this.#rooms = rooms;
    this.#outbound = outbound;
  }

  toAll(frame: PreparedFrame, filter: Filter = {}): number {
    let sent = 0;
    for (const client of this.#clients.getClients()) if (this.#deliver(client, frame, filter)) sent++;
    return sent;
  }

  toRoom(roomName: string, frame: PreparedFrame, filter: Filter = {}): number {
    return this.toClientIds(this.#rooms.clientsOf(roomName), frame, filter);
  }

  toUsers(userIds: readonly UserId[], frame: PreparedFrame, filter: Filter = {}): number {
    let sent = 0;
    for (const userId of new Set(userIds))
      sent += this.toClientIds(this.#clients.getClientIdsOfUser(userId), frame, filter);
    return sent;
  }

  toClientIds(clientIds: Iterable<string>, frame: PreparedFrame, filter: Filter = {}): number {
    let sent = 0;
    for (const clientId of clientIds) {
      const client = this.#clients.getClient({ clientId });
      if (client && this.#deliver(client, frame, filter)) sent++;
    }
    return sent;
  }

  #deliver(client: ConnectedClient, frame: PreparedFrame, filter: Filter): boolean {
    if (client.clientId === filter.exclude) return false;
    if (filter.predicate && !filter.predicate(predicateTarget(client))) return false;
    return this.#outbound.send(client.ws, frame, client.clientId);
  }
}

function predicateTarget(client: ConnectedClient): PredicateTarget {
  const { ws, user, clientId, ...metadata } = client;
  const userData: Record<string, unknown> = { ...metadata, ...user?.payload };
  if (user) userData.userId = user.userId;
  return { clientId, ws, client, userData };
}
