import {
  type ClientFrame,
  CloseCode,
  type ErrorBody,
  ErrorCode,
  type ErrorReplyFrame,
  isAnswerFrame,
  isRoomcastError,
  type JoinRoomData,
  type JoinRoomReply,
  type LeaveRoomReply,
  type PushFrame,
  type ReplyFrame,
  RoomcastError,
  type RouteMap,
  type ServerFrame,
  SystemRoute,
  TERMINAL_CLOSE_CODES,
  type UnreadableFrameError,
} from '@roomcast/protocol';
import { Connection } from './connection';
import { type ClientEvents, Emitter, type MessageHandler, type Unsubscribe } from './emitter';
import { OfflineQueue } from './offline-queue';
import {
  backoffDelay,
  type ClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
  type WebSocketLike,
} from './options';
import { PendingRequests } from './pending-requests';
import { RoomTracker } from './room-tracker';
import type { RouteAction, RouteData, RouteResponse, RouteType } from './typed-routes';

export interface ClientStats {
  /** Frames dropped from a full offline queue since the client was created. */
  dropped: number;
  queued: number;
  pendingRequests: number;
}

export type JoinRoomOptions = Pick<JoinRoomData, 'username' | 'since' | 'epoch' | 'rewind'>;

const disconnected = (message: string) => new RoomcastError(ErrorCode.DISCONNECTED, message);

/**
 * A Roomcast connection that survives network loss: requests with replies, handlers per
 * type/action, rooms rejoined with recovery, and an offline queue flushed after reconnecting.
 * Lifecycle events are on `client.events` (`open`, `close`, `reconnecting`, `reconnected`,
 * `reconnectFailed`, `error`, `roomNotRecovered`, `message`).
 *
 * @example
 * const client = new RoomcastClient<RoutesOf<typeof routes>>({ url: 'ws://127.0.0.1:3000/ws' });
 * await client.connect();
 * client.on('chat', 'message', data => render(data));
 * await client.joinRoom('general', { username: 'alice' });
 * const reply = await client.request('chat', 'send', { text: 'hi' });
 */
export class RoomcastClient<TRoutes extends RouteMap = RouteMap> {
  readonly events: Emitter<ClientEvents>;
  readonly #options: ResolvedClientOptions;
  readonly #pending = new PendingRequests();
  readonly #queue: OfflineQueue;
  readonly #handlers = new Map<string, Set<MessageHandler<never>>>();
  readonly #rooms = new RoomTracker(room => this.events.emit('roomNotRecovered', { room }));
  #connection: Connection | undefined;
  #ready = false;
  #closed = false;
  #everReady = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #ids: { clientId: string; nodeId: string } | undefined;
  #waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(options: ClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#queue = new OfflineQueue(this.#options.offlineQueue.max);
    this.events = new Emitter<ClientEvents>(error =>
      this.#options.logger?.error({ err: error }, 'listener failed'),
    );
  }

  /** The server's id for this connection (changes on every reconnect). */
  get clientId(): string | undefined {
    return this.#ids?.clientId;
  }
  get nodeId(): string | undefined {
    return this.#ids?.nodeId;
  }
  /** True between a completed handshake and the next close. */
  get connected(): boolean {
    return this.#ready;
  }
  /** The current raw socket (for the guide's `onConnected({ ws })`); prefer `send`/`request`. */
  get socket(): WebSocketLike | undefined {
    return this.#connection?.socket;
  }
  get rooms(): string[] {
    return this.#rooms.names();
  }
  get stats(): ClientStats {
    return { dropped: this.#queue.dropped, queued: this.#queue.size, pendingRequests: this.#pending.size };
  }

  /**
   * Resolves once connected and authenticated (`system.connected`, then the `auth.login` reply
   * when `getToken` gives a token). With reconnect on, it keeps trying until that happens.
   */
  connect(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    this.#closed = false;
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#connection && this.#retryTimer === undefined) this.#dial();
    return promise;
  }

  /** Fire and forget; queued while offline (bounded, oldest dropped). False after `close()`. */
  send<T extends RouteType<TRoutes>, A extends RouteAction<TRoutes, T>>(
    type: T,
    action: A,
    data?: RouteData<TRoutes, T, A>,
  ): boolean {
    if (this.#closed) return false;
    this.#transmit({ type, action, data });
    return true;
  }

  /** Sends with an id and resolves with the reply's `response`; rejects with a `RoomcastError`. */
  request<T extends RouteType<TRoutes>, A extends RouteAction<TRoutes, T>>(
    type: T,
    action: A,
    data?: RouteData<TRoutes, T, A>,
    options: { timeoutMs?: number } = {},
  ): Promise<RouteResponse<TRoutes, T, A>> {
    return this.#request(type, action, data, options.timeoutMs) as Promise<RouteResponse<TRoutes, T, A>>;
  }

  /** Calls `handler(data, frame)` for every pushed frame of this type/action. */
  on<TData = unknown>(type: string, action: string, handler: MessageHandler<TData>): Unsubscribe {
    const key = `${type}\u0000${action}`;
    const set = this.#handlers.get(key) ?? new Set();
    this.#handlers.set(key, set);
    set.add(handler as MessageHandler<never>);
    return () => this.off(type, action, handler);
  }

  off<TData = unknown>(type: string, action: string, handler: MessageHandler<TData>): void {
    this.#handlers.get(`${type}\u0000${action}`)?.delete(handler as MessageHandler<never>);
  }

  /**
   * Joins a room; it is rejoined (with `since` = the last offset seen) after every reconnect.
   * In a room with history, `rewind: n` first replays its newest n kept messages (a backlog), and
   * `since` the messages after an offset the app kept (across a page reload, say).
   */
  async joinRoom(name: string, options: JoinRoomOptions = {}): Promise<JoinRoomReply> {
    const { username, since, rewind } = options;
    const data: JoinRoomData = { roomName: name };
    if (username !== undefined) data.username = username;
    if (since !== undefined) data.since = since;
    if (rewind !== undefined) data.rewind = rewind;
    const reply = (await this.#request(
      SystemRoute.joinRoom.type,
      SystemRoute.joinRoom.action,
      data,
    )) as JoinRoomReply;
    this.#rooms.joined(name, username, reply);
    return reply;
  }

  leaveRoom(name: string): Promise<LeaveRoomReply> {
    // Forget it first: a reconnect before the reply must not rejoin the room.
    this.#rooms.left(name);
    const { type, action } = SystemRoute.leaveRoom;
    return this.#request(type, action, { roomName: name }) as Promise<LeaveRoomReply>;
  }

  /** Closes for good (until `connect()` again): no reconnect, pending and queued requests fail. */
  close(reason = ''): void {
    const connection = this.#connection;
    this.#shutdown(disconnected('Client closed'));
    connection?.close(CloseCode.NORMAL, reason);
  }

  // ---- connection lifecycle ---------------------------------------------------------------------

  #dial(): void {
    this.#retryTimer = undefined;
    const { WebSocket, url, heartbeatTimeoutMs } = this.#options;
    const connection: Connection = new Connection(WebSocket, url, heartbeatTimeoutMs, {
      onFrame: frame => this.#onFrame(connection, frame),
      onClose: (code, reason) => this.#onClose(connection, code, reason),
      onError: error => this.events.emit('error', error),
    });
    this.#connection = connection;
  }

  async #handshake(connection: Connection, ids: { clientId: string; nodeId: string }): Promise<void> {
    this.#ids = ids;
    try {
      const token = await this.#options.getToken?.();
      if (token) await this.#call(connection, SystemRoute.authLogin, { token });
      await this.#rejoin(connection);
    } catch (error) {
      if (connection !== this.#connection) return; // closed meanwhile: #onClose decides what next
      const failure = error instanceof Error ? error : new Error(String(error));
      this.events.emit('error', failure);
      // A refused token will be refused again: retrying would hammer the server.
      if (isRoomcastError(failure) && failure.code !== ErrorCode.TIMEOUT) this.#shutdown(failure);
      connection.close(CloseCode.NORMAL, 'handshake failed');
      return;
    }
    if (connection !== this.#connection) return;
    this.#ready = true;
    this.#attempt = 0;
    for (const frame of this.#queue.drain()) this.#write(connection, frame);
    this.events.emit(this.#everReady ? 'reconnected' : 'open', ids);
    this.#everReady = true;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  async #rejoin(connection: Connection): Promise<void> {
    const rejoin = async (roomName: string): Promise<void> => {
      try {
        const data = this.#rooms.rejoinData(roomName);
        const reply = (await this.#call(connection, SystemRoute.joinRoom, data)) as JoinRoomReply;
        this.#rooms.rejoined(roomName, reply);
      } catch (error) {
        if (
          isRoomcastError(error) &&
          (error.code === ErrorCode.DISCONNECTED || error.code === ErrorCode.TIMEOUT)
        )
          throw error;
        this.#rooms.left(roomName);
        this.events.emit('error', error as Error);
      }
    };
    await Promise.all(this.#rooms.names().map(rejoin));
  }

  #onClose(connection: Connection, code: number, reason: string): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    this.#ready = false;
    this.#pending.failSent(disconnected(`Connection closed (${code}) before the reply`));
    this.events.emit('close', { code, reason });
    if (this.#closed) return;
    const { reconnect } = this.#options;
    const stop = this.#stopReason(code);
    if (stop || !reconnect) {
      this.#shutdown(disconnected(stop ?? `Connection closed (${code})`));
      return;
    }
    const delayMs = backoffDelay(this.#attempt++, reconnect);
    this.#options.logger?.debug({ attempt: this.#attempt, delayMs }, 'roomcast client reconnecting');
    this.events.emit('reconnecting', { attempt: this.#attempt, delayMs });
    this.#retryTimer = setTimeout(() => this.#dial(), delayMs);
  }

  /** Why this close code ends the client instead of a retry; undefined when it retries. */
  #stopReason(code: number): string | undefined {
    const { reconnect, getToken } = this.#options;
    if (!reconnect) return undefined;
    if (TERMINAL_CLOSE_CODES.has(code)) return `The server refused this client (${code})`;
    if (code === CloseCode.TOKEN_EXPIRED && !getToken)
      return 'Token expired (4001) and there is no getToken to renew it';
    if (this.#attempt < reconnect.maxAttempts) return undefined;
    this.events.emit('reconnectFailed', { attempts: this.#attempt });
    return `Gave up after ${this.#attempt} reconnect attempts`;
  }

  #shutdown(error: RoomcastError): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#queue.drain();
    this.#pending.failSent(error, true);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  // ---- frames -----------------------------------------------------------------------------------

  #onFrame(connection: Connection, frame: ServerFrame): void {
    if (frame.type === 'system' && frame.action === 'connected') {
      void this.#handshake(connection, (frame as { data: { clientId: string; nodeId: string } }).data);
    }
    if (isAnswerFrame(frame)) {
      this.#onAnswer(frame);
      return;
    }
    const push = frame as PushFrame;
    if (push.room !== undefined && !this.#rooms.accept(push.room, push.offset)) return;
    this.#rooms.notice(push);
    this.events.emit('message', frame);
    for (const handler of [...(this.#handlers.get(`${frame.type}\u0000${frame.action}`) ?? [])]) {
      try {
        (handler as MessageHandler)(push.data, push);
      } catch (failure) {
        this.events.emit('error', failure as Error);
      }
    }
  }

  /**
   * A frame with `response` or `error` answers something this client sent: it settles its request,
   * or (a reply to a `send()`, or one whose request timed out) goes to the `message` event, and an
   * error also to `error`. It never reaches the handlers of its type/action, which are for events.
   */
  #onAnswer(frame: ReplyFrame | ErrorReplyFrame | UnreadableFrameError): void {
    if (frame.id !== undefined && this.#pending.settle(frame.id, frame)) return;
    this.events.emit('message', frame);
    if ('error' in frame) {
      const { code, message } = (frame.error ?? {}) as Partial<ErrorBody>;
      this.events.emit('error', new RoomcastError(code ?? ErrorCode.INTERNAL_ERROR, message ?? ''));
    }
  }

  #request(type: string, action: string, data: unknown, timeoutMs?: number): Promise<unknown> {
    if (this.#closed) return Promise.reject(disconnected('Client is closed'));
    const timeout = timeoutMs ?? this.#options.requestTimeoutMs;
    const { id, promise } = this.#pending.add(timeout, queued => this.#queue.remove(queued));
    this.#transmit({ type, action, data, id });
    return promise;
  }

  /** An internal request on a given connection, ahead of the offline queue (handshake only). */
  #call(connection: Connection, route: { type: string; action: string }, data: unknown): Promise<unknown> {
    const { id, promise } = this.#pending.add(this.#options.requestTimeoutMs, () => {});
    if (!this.#write(connection, { ...route, data, id }))
      this.#pending.fail(id, disconnected('Connection closed'));
    return promise;
  }

  #transmit(frame: ClientFrame): void {
    if (this.#ready && this.#connection && this.#write(this.#connection, frame)) return;
    for (const dropped of this.#queue.push(frame)) {
      if (dropped.id !== undefined)
        this.#pending.fail(dropped.id, disconnected('Dropped from the full offline queue'));
    }
  }

  #write(connection: Connection, frame: ClientFrame): boolean {
    if (!connection.send(frame)) return false;
    if (frame.id !== undefined) this.#pending.markSent(frame.id);
    return true;
  }
}

/**
 * Creates a client; the same as `new RoomcastClient(options)`.
 * @example
 * const client = createClient<RoutesOf<typeof routes>>({ url: 'ws://127.0.0.1:3000/ws' });
 */
export function createClient<TRoutes extends RouteMap = RouteMap>(
  options: ClientOptions,
): RoomcastClient<TRoutes> {
  return new RoomcastClient<TRoutes>(options);
}
