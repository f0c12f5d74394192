import {
  type ClientFrame,
  type Codec,
  checkServerFrame,
  type DecodedServerFrame,
  decodeServerFrame,
  jsonCodec,
  type ServerFrameError,
  type ServerFrameResult,
  SystemRoute,
} from '@roomcast/protocol';
import type { WebSocketConstructor, WebSocketLike } from './options';

export interface ConnectionHandlers {
  /** A frame whose envelope `decodeServerFrame` checked. */
  onFrame: (decoded: DecodedServerFrame) => void;
  /** A frame that did not decode (wrong codec, unreadable, a malformed envelope); it is dropped. */
  onInvalidFrame: (problem: ServerFrameError) => void;
  /** Called exactly once, whoever ended the connection. */
  onClose: (code: number, reason: string) => void;
  onError: (error: Error) => void;
}

const OPEN = 1;
const noop = (): void => {};
const refused = (message: string): ServerFrameResult => ({ ok: false, error: { kind: 'frame', message } });

/**
 * One socket, from dial to close: checks each frame it receives and watches for silence. Browsers never show
 * protocol pings to scripts, so liveness is judged on frames: after half the timeout of silence
 * it sends `system.ping` (the server answers `pong`), after the full timeout it gives up.
 */
export class Connection {
  readonly socket: WebSocketLike;
  readonly #handlers: ConnectionHandlers;
  readonly #halfTimeoutMs: number;
  /** The codec asked for: binary frames are read with it. */
  readonly #requested: Codec;
  /** What frames are sent in: the codec of the server's first frame (an older server speaks JSON). */
  #codec: Codec | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #probed = false;
  #ended = false;

  constructor(
    WebSocket: WebSocketConstructor,
    url: string,
    { codec, heartbeatTimeoutMs }: { codec: Codec; heartbeatTimeoutMs: number },
    handlers: ConnectionHandlers,
  ) {
    this.#handlers = handlers;
    this.#halfTimeoutMs = heartbeatTimeoutMs / 2;
    this.#requested = codec;
    // No subprotocol for JSON: the default of SPEC section 2, which every server version speaks.
    this.socket = codec.binary ? new WebSocket(url, [codec.subprotocol]) : new WebSocket(url);
    if (codec.binary) this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => this.#alive();
    this.socket.onmessage = event => this.#receive(event.data);
    this.socket.onclose = event => this.#end(event.code, event.reason);
    // The close event follows every error, so errors are only reported, never acted on.
    this.socket.onerror = () => handlers.onError(new Error(`WebSocket error on ${url}`));
  }

  get open(): boolean {
    return !this.#ended && this.socket.readyState === OPEN;
  }

  send(frame: ClientFrame): boolean {
    if (!this.open) return false;
    this.socket.send((this.#codec ?? this.#requested).encode(frame));
    return true;
  }

  /** Ends the connection now: the close handler runs synchronously, not when the peer answers. */
  close(code: number, reason: string): void {
    if (this.#ended) return;
    try {
      this.socket.close(code >= 3000 || code === 1000 ? code : 1000, reason);
    } catch {
      // A socket still connecting may refuse close(); it is abandoned either way.
    }
    this.#end(code, reason);
  }

  #receive(data: unknown): void {
    this.#alive();
    const result = this.#decode(data);
    if (result.ok) this.#handlers.onFrame(result);
    else this.#handlers.onInvalidFrame(result.error);
  }

  /** Text frames are JSON and binary ones MessagePack, whatever was negotiated. */
  #decode(data: unknown): ServerFrameResult {
    const text = typeof data === 'string';
    this.#codec ??= text ? jsonCodec : this.#requested;
    if (text) return decodeServerFrame(data);
    if (!(data instanceof ArrayBuffer) || !this.#requested.binary) return refused('not a text frame');
    const parsed = this.#requested.parse(new Uint8Array(data));
    return parsed.ok ? checkServerFrame(parsed.value) : refused(parsed.message);
  }

  #alive(): void {
    this.#probed = false;
    this.#arm();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#silent(), this.#halfTimeoutMs);
  }

  #silent(): void {
    if (this.#probed) {
      this.close(4000, 'heartbeat timeout');
      return;
    }
    this.#probed = true;
    this.send({ ...SystemRoute.ping });
    this.#arm();
  }

  #end(code: number, reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    // Keep no-op listeners: `ws` throws on an 'error' event that has no listener.
    this.socket.onopen = noop;
    this.socket.onmessage = noop;
    this.socket.onclose = noop;
    this.socket.onerror = noop;
    this.#handlers.onClose(code, reason);
  }
}
