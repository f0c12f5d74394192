import {
  CloseCode,
  type Codec,
  ErrorCode,
  isRoomcastError,
  type JoinRoomData,
  type JoinRoomReply,
  type LeaveRoomReply,
  type PushAction,
  type PushData,
  type PushMap,
  type PushType,
  RoomcastError,
  type RouteMap,
  SystemRoute,
} from '@roomcast/protocol';
import { loadCodec } from './codec-loader';
import { Connection } from './connection';
import { type ClientEvents, Emitter, type MessageHandler, type Unsubscribe } from './emitter';
import { FrameRouter } from './frame-router';
import { handshake } from './handshake';
import {
  type ClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
  type WebSocketLike,
} from './options';
import { disconnected, Outbox } from './outbox';
import { Reconnector } from './reconnect';
import { RoomTracker } from './room-tracker';
import type { DataArgs, RouteAction, RouteData, RouteResponse, RouteType } from './typed-routes';

export interface ClientStats {
  /** Frames dropped from a full offline queue since the client was created. */
  dropped: number;
  queued: number;
  pendingRequests: number;
}

export type JoinRoomOptions = Pick<JoinRoomData, 'username' | 'since' | 'epoch' | 'rewind'>;

/**
 * A Roomcast connection that survives network loss: requests with replies, handlers per
 * type/action, rooms rejoined with recovery, and an offline queue flushed after reconnecting.
 * Lifecycle events are on `client.events` (`open`, `close`, `reconnecting`, `reconnected`,
 * `reconnectFailed`, `error`, `roomNotRecovered`, `message`).
 *
 * @example
 * // Pushes: a `PushMap` shared with the server, `{ chat: { message: { text: string } } }`.
 * const client = new RoomcastClient<RoutesOf<typeof routes>, Pushes>({ url: 'ws://127.0.0.1:3000/ws' });
 * await client.connect();
 * client.on('chat', 'message', data => render(data));
 * await client.joinRoom('general', { username: 'alice' });
 * const reply = await client.request('chat', 'send', { text: 'hi' });
 */
export class RoomcastClient<TRoutes extends RouteMap = RouteMap, TPushes extends PushMap = PushMap> {
  readonly events: Emitter<ClientEvents>;
  readonly #options: ResolvedClientOptions;
  readonly #outbox: Outbox;
  readonly #rooms = new RoomTracker(room => this.events.emit('roomNotRecovered', { room }));
  readonly #router: FrameRouter;
  readonly #reconnect: Reconnector;
  /** Which of `options.urls` the next dial uses: the next one after each close (round-robin). */
  #endpoint = 0;
  #connection: Connection | undefined;
  #ready = false;
  #closed = false;
  #everReady = false;
  #ids: { clientId: string; nodeId: string } | undefined;
  #waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** The wire codec, or its module still loading (MessagePack, before the first connect). */
  #codec: Codec | Promise<Codec>;

  constructor(options: ClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#outbox = new Outbox(this.#options);
    this.events = new Emitter<ClientEvents>(error =>
      this.#options.logger?.error({ err: error }, 'listener failed'),
    );
    this.#router = new FrameRouter(this.events, this.#outbox.pending, this.#rooms);
    this.#reconnect = new Reconnector(this.#options, this.events, () => this.#dial());
    this.#codec = loadCodec(this.#options.codec);
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
    return this.#outbox.stats;
  }

  /**
   * Resolves once connected and authenticated (`system.connected`, then the `auth.login` reply
   * when `getToken` gives a token). With reconnect on, it keeps trying until that happens.
   */
  connect(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    this.#closed = false;
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    const codec = this.#codec;
    if (!(codec instanceof Promise)) this.#dialIfIdle();
    else {
      codec.then(
        loaded => {
          this.#codec = loaded;
          if (!this.#closed) this.#dialIfIdle();
        },
        (cause: unknown) =>
          this.#shutdown(
            new RoomcastError(ErrorCode.DISCONNECTED, 'Could not load the MessagePack codec', { cause }),
          ),
      );
    }
    return promise;
  }

  /** Fire and forget; queued while offline (bounded, oldest dropped). False after `close()`. */
  send<T extends RouteType<TRoutes>, A extends RouteAction<TRoutes, T>>(
    type: T,
    action: A,
    ...[data]: DataArgs<RouteData<TRoutes, T, A>>
  ): boolean {
    if (this.#closed) return false;
    this.#outbox.send({ type, action, data });
    return true;
  }

  /** Sends with an id and resolves with the reply's `response`; rejects with a `RoomcastError`. */
  request<T extends RouteType<TRoutes>, A extends RouteAction<TRoutes, T>>(
    type: T,
    action: A,
    ...[data, options]: DataArgs<RouteData<TRoutes, T, A>, [options?: { timeoutMs?: number }]>
  ): Promise<RouteResponse<TRoutes, T, A>> {
    const reply = this.#request(type, action, data, options?.timeoutMs);
    return reply as Promise<RouteResponse<TRoutes, T, A>>;
  }

  /**
   * Calls `handler(data, frame)` for every pushed frame of this type/action. With a `PushMap`
   * (the client's second type parameter) only its pushes are accepted and `data` is typed.
   */
  on<
    T extends PushType<TPushes>,
    A extends PushAction<TPushes, T>,
    TData extends PushData<TPushes, T, A> = PushData<TPushes, T, A>,
  >(type: T, action: A, handler: MessageHandler<TData>): Unsubscribe {
    this.#router.on(type, action, handler as MessageHandler<never>);
    return () => this.off(type, action, handler);
  }

  off<
    T extends PushType<TPushes>,
    A extends PushAction<TPushes, T>,
    TData extends PushData<TPushes, T, A> = PushData<TPushes, T, A>,
  >(type: T, action: A, handler: MessageHandler<TData>): void {
    this.#router.off(type, action, handler as MessageHandler<never>);
  }

  /**
   * Joins a room; it is rejoined (with `since` = the last offset seen) after every reconnect.
   * In a room with history, `rewind: n` first replays its newest n kept messages (a backlog), and
   * `since` the messages after an offset the app kept (across a page reload, say).
   */
  async joinRoom(name: string, options: JoinRoomOptions = {}): Promise<JoinRoomReply> {
    const { username, since, epoch, rewind } = options;
    const data: JoinRoomData = { roomName: name };
    if (username !== undefined) data.username = username;
    if (since !== undefined) data.since = since;
    if (epoch !== undefined) data.epoch = epoch;
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

  #dialIfIdle(): void {
    if (!this.#connection && !this.#reconnect.waiting) this.#dial();
  }

  #dial(): void {
    const { WebSocket, urls, heartbeatTimeoutMs } = this.#options;
    const url = urls[this.#endpoint % urls.length] as string;
    // Loaded: every dial comes after connect() awaited the codec.
    const codec = this.#codec as Codec;
    const connection: Connection = new Connection(
      WebSocket,
      url,
      { codec, heartbeatTimeoutMs },
      {
        onFrame: decoded => {
          if (decoded.kind === 'connected') void this.#handshake(connection, decoded.frame.data);
          this.#router.route(decoded);
        },
        onInvalidFrame: problem => this.#router.ignore(problem),
        onClose: (code, reason) => this.#onClose(connection, code, reason),
        onError: error => this.events.emit('error', error),
      },
    );
    this.#connection = connection;
  }

  async #handshake(connection: Connection, ids: { clientId: string; nodeId: string }): Promise<void> {
    this.#ids = ids;
    try {
      await handshake({
        getToken: this.#options.getToken,
        rooms: this.#rooms,
        call: (route, data) => this.#outbox.call(connection, route, data),
        onRoomError: error => this.events.emit('error', error),
      });
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
    this.#reconnect.reset();
    this.#outbox.online(connection);
    this.events.emit(this.#everReady ? 'reconnected' : 'open', ids);
    this.#everReady = true;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
  }

  #onClose(connection: Connection, code: number, reason: string): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    this.#ready = false;
    this.#outbox.offline(code);
    this.events.emit('close', { code, reason });
    if (this.#closed) return;
    // With several URLs the next dial goes elsewhere: this address just failed or went away.
    this.#endpoint++;
    const stop = this.#reconnect.retry(code);
    if (stop) this.#shutdown(disconnected(stop));
  }

  #shutdown(error: RoomcastError): void {
    this.#closed = true;
    this.#reconnect.cancel();
    this.#outbox.shutdown(error);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  #request(type: string, action: string, data: unknown, timeoutMs?: number): Promise<unknown> {
    if (this.#closed) return Promise.reject(disconnected('Client is closed'));
    return this.#outbox.request(type, action, data, timeoutMs);
  }
}

/**
 * Creates a client; the same as `new RoomcastClient(options)`.
 * @example
 * const client = createClient<RoutesOf<typeof routes>>({ url: 'ws://127.0.0.1:3000/ws' });
 */
export function createClient<TRoutes extends RouteMap = RouteMap, TPushes extends PushMap = PushMap>(
  options: ClientOptions,
): RoomcastClient<TRoutes, TPushes> {
  return new RoomcastClient<TRoutes, TPushes>(options);
}
