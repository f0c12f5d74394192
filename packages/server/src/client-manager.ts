import { type AuthUser, type UserId, userIdKey } from '@roomcast/protocol';
import { CompactMultimap } from '@roomcast/rooms';
import type { WebSocket } from 'ws';

/** A client connected to this node. App metadata set with `updateClient` sits beside the fields. */
export interface ConnectedClient {
  readonly clientId: string;
  readonly ws: WebSocket;
  /** From auth only (token at the upgrade, `auth.login`, `auth.refresh`). */
  user: AuthUser | undefined;
  /** Display name from the last `joinRoom`. */
  username: string | null;
  readonly ip: string;
  readonly connectedAt: number;
  /** Updated on every inbound message. */
  lastActivity: number;
  [key: string]: unknown;
}

const RESERVED = new Set(['clientId', 'ws', 'user', 'username', 'ip', 'connectedAt', 'lastActivity']);

/**
 * Every client of this node, by clientId and by userId (a user may have several tabs), so lookups
 * never scan every socket. User ids are indexed by their string form: `123` finds the client whose
 * token said `sub: "123"`.
 */
export class ClientManager {
  readonly #clients = new Map<string, ConnectedClient>();
  readonly #byUser = new CompactMultimap<string, string>();

  add(client: ConnectedClient): void {
    this.#clients.set(client.clientId, client);
    this.#indexUser(client.clientId, client.user?.userId);
  }

  remove(clientId: string): ConnectedClient | undefined {
    const client = this.#clients.get(clientId);
    if (!client) return undefined;
    this.#clients.delete(clientId);
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
   * Stores app metadata on a client (`client[key]`), as the guide's `updateClient`.
   * @example server.clientManager.updateClient({ clientId, key: 'preferences', data: { theme: 'dark' } });
   */
  updateClient({ clientId, key, data }: { clientId: string; key: string; data: unknown }): boolean {
    const client = this.#clients.get(clientId);
    if (!client) return false;
    if (RESERVED.has(key)) throw new TypeError(`updateClient cannot change "${key}"; pick another key`);
    client[key] = data;
    return true;
  }

  /** Replaces the authenticated user (login, refresh) and keeps the userId index right. */
  setUser(clientId: string, user: AuthUser | undefined): void {
    const client = this.#clients.get(clientId);
    if (!client) return;
    this.#unindexUser(clientId, client.user?.userId);
    client.user = user;
    this.#indexUser(clientId, user?.userId);
  }

  get size(): number {
    return this.#clients.size;
  }

  #indexUser(clientId: string, userId: UserId | undefined): void {
    if (userId !== undefined) this.#byUser.add(userIdKey(userId), clientId);
  }

  #unindexUser(clientId: string, userId: UserId | undefined): void {
    if (userId !== undefined) this.#byUser.delete(userIdKey(userId), clientId);
  }
}
