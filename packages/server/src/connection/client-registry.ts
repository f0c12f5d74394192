import { type AuthUser, ErrorCode, RoomcastError, type UserId, userIdKey } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import { CompactMultimap } from './compact-multimap';
import type { ConnectedClient, Connection } from './connection';

export type { ConnectedClient } from './connection';

/**
 * `server.clientManager`: this node's clients, as the guide reads and annotates them. The record
 * behind each is the server's; this view cannot change who a client is or which rooms it is in.
 */
export interface ClientManager {
  getClient(query: { clientId: string }): ConnectedClient | undefined;
  getClients(): IterableIterator<ConnectedClient>;
  /** The clients of one user on this node (a snapshot); `123` and `'123'` are one user. */
  getClientIdsOfUser(userId: UserId): ReadonlySet<string>;
  /**
   * Stores app metadata on a client (`client[key]`). False when the client is not on this node.
   * @example server.clientManager.updateClient({ clientId, key: 'preferences', data: { theme: 'dark' } });
   */
  updateClient(update: { clientId: string; key: string; data: unknown }): boolean;
  /** How many clients this node has. */
  readonly size: number;
}

/**
 * Every client of this node, by clientId, by socket and by userId (a user may have several tabs),
 * so lookups never scan every socket. User ids are indexed by their string form: `123` finds the
 * client whose token said `sub: "123"`.
 */
export class ClientRegistry implements ClientManager {
  readonly #clients = new Map<string, Connection>();
  readonly #bySocket = new WeakMap<WebSocket, Connection>();
  readonly #byUser = new CompactMultimap<string, string>();

  add(client: Connection): void {
    this.#clients.set(client.clientId, client);
    this.#bySocket.set(client.ws, client);
    this.#indexUser(client.clientId, client.user?.userId);
  }

  remove(clientId: string): Connection | undefined {
    const client = this.#clients.get(clientId);
    if (!client) return undefined;
    this.#clients.delete(clientId);
    this.#bySocket.delete(client.ws);
    this.#unindexUser(clientId, client.user?.userId);
    return client;
  }

  getClient({ clientId }: { clientId: string }): ConnectedClient | undefined {
    return this.#clients.get(clientId);
  }

  getClients(): IterableIterator<ConnectedClient> {
    return this.#clients.values();
  }

  /** The clients of one user on this node (a snapshot); `123` and `'123'` are one user. */
  getClientIdsOfUser(userId: UserId): ReadonlySet<string> {
    return this.#byUser.get(userIdKey(userId));
  }

  /**
   * Stores app metadata on a client (`client[key]`), as the guide's `updateClient`. The server's
   * own fields (`user`, `rooms`, ...) are not metadata and cannot be changed here.
   * @example server.clientManager.updateClient({ clientId, key: 'preferences', data: { theme: 'dark' } });
   */
  updateClient({ clientId, key, data }: { clientId: string; key: string; data: unknown }): boolean {
    const client = this.#clients.get(clientId);
    if (!client) return false;
    client.setMetadata(key, data);
    return true;
  }

  /** Replaces the authenticated user (login, refresh) and keeps the userId index right. */
  setUser(clientId: string, user: AuthUser | undefined): void {
    const client = this.#clients.get(clientId);
    if (!client) return;
    this.#unindexUser(clientId, client.user?.userId);
    client.signedIn(user);
    this.#indexUser(clientId, user?.userId);
  }

  get size(): number {
    return this.#clients.size;
  }

  /** The server's record of a client (internal: the public `getClient` is its read-only view). */
  connection(clientId: string): Connection | undefined {
    return this.#clients.get(clientId);
  }

  /** The record of a socket of this node. */
  ofSocket(ws: WebSocket): Connection | undefined {
    return this.#bySocket.get(ws);
  }

  connections(): IterableIterator<Connection> {
    return this.#clients.values();
  }

  #indexUser(clientId: string, userId: UserId | undefined): void {
    if (userId !== undefined) this.#byUser.add(userIdKey(userId), clientId);
  }

  #unindexUser(clientId: string, userId: UserId | undefined): void {
    if (userId !== undefined) this.#byUser.delete(userIdKey(userId), clientId);
  }
}

/** The record of the client a built-in route runs for; it is gone if it disconnected meanwhile. */
export function clientOf(clients: ClientRegistry, clientId: string): Connection {
  const client = clients.connection(clientId);
  if (!client) throw new RoomcastError(ErrorCode.INTERNAL_ERROR, 'Client is gone');
  return client;
}
