import { type Codec, jsonCodec } from '@roomcast/protocol';
import { msgpackCodec } from '@roomcast/protocol/msgpack';
import { type ClientOptions, WebSocket } from 'ws';

type Frame = Record<string, unknown> & { type?: string; action?: string };

export type TestClientOptions = ClientOptions & {
  /** Offers `roomcast.v1.msgpack` and speaks MessagePack binary frames. Default: JSON text. */
  codec?: 'json' | 'msgpack';
};

/** A real ws client that records every frame it receives, for assertions. */
export class TestClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  /** Per received frame: whether it came as a binary WebSocket message. */
  readonly binary: boolean[] = [];
  readonly codec: Codec;
  clientId = '';
  closed: Promise<{ code: number; reason: string }>;
  #waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(ws: WebSocket, codec: Codec) {
    this.ws = ws;
    this.codec = codec;
    this.closed = new Promise(resolve =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('message', (raw, isBinary) => {
      const parsed = codec.parse(isBinary ? (raw as Buffer) : raw.toString());
      if (!parsed.ok) throw new Error(`the server sent an unreadable frame: ${parsed.message}`);
      const frame = parsed.value as Frame;
      this.frames.push(frame);
      this.binary.push(isBinary);
      this.#waiters = this.#waiters.filter(waiter => {
        if (!waiter.match(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
  }

  static async connect(
    url: string,
    { codec = 'json', ...options }: TestClientOptions = {},
  ): Promise<TestClient> {
    const msgpack = codec === 'msgpack';
    const ws = msgpack
      ? new WebSocket(url, [msgpackCodec.subprotocol], options)
      : new WebSocket(url, options);
    const client = new TestClient(ws, msgpack ? msgpackCodec : jsonCodec);
    client.ws.on('error', () => {});
    const refused = client.closed.then(({ code }) =>
      Promise.reject(new Error(`connection closed (${code})`)),
    );
    const connected = await Promise.race([
      client.next(f => f.type === 'system' && f.action === 'connected'),
      refused,
    ]);
    client.clientId = (connected.data as { clientId: string }).clientId;
    return client;
  }

  /** Resolves with the first frame (already received or future) that matches. */
  next(match: (frame: Frame) => boolean, timeoutMs = 60_000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame in time')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: f => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Sends a frame in the client's codec (a string goes out as it is, as a text message). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : this.codec.encode(frame));
  }

  #id = 0;
  /** Sends a request with an id and resolves with its reply (or error reply). */
  request(type: string, action: string, data?: unknown): Promise<Frame> {
    const id = `r${++this.#id}`;
    this.send({ type, action, data, id });
    return this.next(f => f.id === id);
  }

  /** Frames of a type/action received so far. */
  received(type: string, action: string): Frame[] {
    return this.frames.filter(f => f.type === type && f.action === action);
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }
}

/** Resolves once every client has seen a frame with `marker` (a barrier after broadcasts). */
export async function settle(clients: TestClient[], marker: (f: Frame) => boolean): Promise<void> {
  await Promise.all(clients.map(c => c.next(marker)));
}

/** The HTTP status a refused upgrade answered with; rejects if the upgrade is accepted. */
export function upgradeStatus(
  url: string,
  options: ConstructorParameters<typeof WebSocket>[2] = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('error', () => {});
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('close', () => reject(new Error('closed without an HTTP answer')));
  });
}
