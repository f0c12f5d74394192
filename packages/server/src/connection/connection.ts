import type { AuthUser } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import type { RateLimiter } from '../routing/middleware/rate-limiter';
import { setLongTimeout } from './session-timers';

/**
 * A client connected to this node, as `clientManager.getClient({ clientId })` returns it. The
 * named fields are the server's and read-only. Every other key is the app's metadata, set with
 * `clientManager.updateClient({ clientId, key, data })` and read back as `client[key]`.
 */
export interface ConnectedClient {
  readonly clientId: string;
  readonly ws: WebSocket;
  /** From auth only (token at the upgrade, `auth.login`, `auth.refresh`). */
  readonly user: AuthUser | undefined;
  /** Display name from the last `joinRoom`. */
  readonly username: string | null;
  readonly ip: string;
  readonly connectedAt: number;
  /** Updated on every inbound message. */
  readonly lastActivity: number;
  /** The rooms this client is in on this node (a snapshot). */
  readonly rooms: ReadonlySet<string>;
  /** App metadata (`updateClient`): the client's own keys, and nothing of the server's. */
  readonly [key: string]: unknown;
}

export interface ConnectionInit {
  clientId: string;
  ws: WebSocket;
  ip: string;
}

/**
 * The one record of a connection. Everything the server keeps about it lives here, in private
 * fields behind accessors on the prototype: user, limiter, timers, last pong, rooms. So the
 * record's own properties are exactly the app's metadata (`Object.keys(client)`, a predicate's
 * `userData`), and no metadata key can overwrite the server's state.
 */
export class Connection implements ConnectedClient {
  [key: string]: unknown;
  readonly #clientId: string;
  readonly #ws: WebSocket;
  readonly #ip: string;
  readonly #connectedAt: number;
  #user: AuthUser | undefined;
  #username: string | null = null;
  #lastActivity: number;
  #lastPong: number;
  /** One room as a string: most clients are in one room, and a Set costs about 160 bytes. */
  #rooms: string | Set<string> | undefined;
  #limiter: RateLimiter | undefined;
  #inFlight = 0;
  #abusive = false;
  #expiry: NodeJS.Timeout | undefined;
  #loginDeadline: NodeJS.Timeout | undefined;

  constructor({ clientId, ws, ip }: ConnectionInit) {
    const now = Date.now();
    this.#clientId = clientId;
    this.#ws = ws;
    this.#ip = ip;
    this.#connectedAt = this.#lastActivity = this.#lastPong = now;
  }

  get clientId(): string {
    return this.#clientId;
  }
  get ws(): WebSocket {
    return this.#ws;
  }
  get ip(): string {
    return this.#ip;
  }
  get connectedAt(): number {
    return this.#connectedAt;
  }
  get user(): AuthUser | undefined {
    return this.#user;
  }
  get username(): string | null {
    return this.#username;
  }
  get lastActivity(): number {
    return this.#lastActivity;
  }
  /** When the client last answered a ping (or connected). */
  get lastPong(): number {
    return this.#lastPong;
  }
  set lastPong(at: number) {
    this.#lastPong = at;
  }
  /** The built-in rate limit's bucket, made at the client's first message. */
  get limiter(): RateLimiter | undefined {
    return this.#limiter;
  }
  set limiter(limiter: RateLimiter) {
    this.#limiter = limiter;
  }
  /** Messages still being handled, so an abuse close waits for replies already owed. */
  get inFlight(): number {
    return this.#inFlight;
  }
  set inFlight(count: number) {
    this.#inFlight = count;
  }
  /** Closed for rate limit abuse once idle; nothing it sends is read any more. */
  get abusive(): boolean {
    return this.#abusive;
  }
  set abusive(abusive: boolean) {
    this.#abusive = abusive;
  }

  get rooms(): ReadonlySet<string> {
    const rooms = this.#rooms;
    return new Set(rooms === undefined ? [] : typeof rooms === 'string' ? [rooms] : rooms);
  }
  get roomCount(): number {
    const rooms = this.#rooms;
    return rooms === undefined ? 0 : typeof rooms === 'string' ? 1 : rooms.size;
  }
  inRoom(roomName: string): boolean {
    const rooms = this.#rooms;
    return typeof rooms === 'string' ? rooms === roomName : (rooms?.has(roomName) ?? false);
  }
  /** Call through `RoomMembers`, which keeps the room's side. False if it was already in. */
  joined(roomName: string): boolean {
    const rooms = this.#rooms;
    if (rooms === undefined) this.#rooms = roomName;
    else if (typeof rooms === 'string') {
      if (rooms === roomName) return false;
      this.#rooms = new Set([rooms, roomName]);
    } else {
      if (rooms.has(roomName)) return false;
      rooms.add(roomName);
    }
    return true;
  }
  /** False if it was not in the room. */
  left(roomName: string): boolean {
    const rooms = this.#rooms;
    if (typeof rooms === 'string') {
      if (rooms !== roomName) return false;
      this.#rooms = undefined;
      return true;
    }
    if (!rooms?.delete(roomName)) return false;
    if (rooms.size === 1) this.#rooms = rooms.values().next().value as string;
    return true;
  }

  /** The token's expiry: closes 4001 at `expiresAt` (replacing an earlier expiry); undefined: none. */
  expireAt(expiresAt: number | undefined, onExpired: () => void): void {
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    if (expiresAt === undefined) return;
    setLongTimeout(expiresAt - Date.now(), onExpired, timer => {
      this.#expiry = timer;
    });
  }
  /** `auth.login` must come within `ms`; `clearLoginDeadline` when it did. */
  loginDeadline(ms: number, onMissed: () => void): void {
    clearTimeout(this.#loginDeadline);
    setLongTimeout(ms, onMissed, timer => {
      this.#loginDeadline = timer;
    });
  }
  clearLoginDeadline(): void {
    clearTimeout(this.#loginDeadline);
    this.#loginDeadline = undefined;
  }
  /** At disconnect and stop: no timer of this client keeps running. */
  clearTimers(): void {
    this.clearLoginDeadline();
    this.expireAt(undefined, () => {});
  }

  /**
   * The guide's fields have no setters (an app's `client.user = ...` throws): the server changes
   * them here. Only `ClientRegistry.setUser` calls `signedIn`, so the user index follows.
   */
  signedIn(user: AuthUser | undefined): void {
    this.#user = user;
  }
  /** The display name of the last `joinRoom` that gave one. */
  named(username: string): void {
    this.#username = username;
  }
  /** A message came in. */
  touch(at: number): void {
    this.#lastActivity = at;
  }

  /** Stores app metadata (`updateClient`): any key but the server's own fields. */
  setMetadata(key: string, data: unknown): void {
    if (key in this && !Object.hasOwn(this, key)) {
      throw new TypeError(`updateClient cannot change "${key}"; pick another key`);
    }
    this[key] = data;
  }
}
