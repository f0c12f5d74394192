import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client on a bare TCP socket (node:net): it can stop half-way through its headers,
 * send any X-Forwarded-For, stop reading, or never answer a close frame — what an attacker or a
 * broken client does and what `ws` as a client will not.
 */
export class RawClient {
  readonly socket: Socket;
  /** Every byte received, in order. */
  received = Buffer.alloc(0);
  readonly closed: Promise<void>;
  #onData: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('error', () => {});
    socket.on('data', chunk => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const wake of this.#onData.splice(0)) wake();
    });
    this.closed = new Promise(resolve => socket.once('close', () => resolve()));
  }

  /** Opens a TCP connection to the server of `url` (ws://host:port/...) and sends nothing. */
  static async open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /**
   * Opens a connection and completes the upgrade to `url`, resolving once the 101 and the
   * `system.connected` frame arrived (with the clientId), or rejecting with the HTTP status line.
   */
  static async upgrade(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<RawClient & { clientId: string }> {
    const client = await RawClient.open(url);
    client.write(upgradeRequest(url, headers));
    const status = await client.statusLine();
    if (!status.includes(' 101 ')) throw new Error(`upgrade refused: ${status}`);
    const connected = await client.nextFrame(frame => frame.includes('"connected"'));
    const { clientId } = (JSON.parse(connected) as { data: { clientId: string } }).data;
    return Object.assign(client, { clientId });
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends one masked text frame, as every client must (RFC 6455 section 5.3). */
  sendText(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const length = payload.length;
    const head =
      length < 126
        ? Buffer.from([0x81, 0x80 | length])
        : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
    this.write(Buffer.concat([head, mask, masked]));
  }

  /** The first line of the HTTP answer ('' if the connection closed without one). */
  async statusLine(): Promise<string> {
    await this.#until(() => this.received.includes('\r\n\r\n')).catch(() => {});
    return this.received.toString('latin1').split('\r\n')[0] ?? '';
  }

  /** The next text frame after the HTTP answer that matches, as text. */
  async nextFrame(match: (text: string) => boolean): Promise<string> {
    let found: string | undefined;
    await this.#until(() => {
      found = this.frames().find(match);
      return found !== undefined;
    });
    return found as string;
  }

  /** Every complete text frame received after the HTTP answer. */
  frames(): string[] {
    const start = this.received.indexOf('\r\n\r\n');
    if (start < 0) return [];
    const frames: string[] = [];
    let at = start + 4;
    while (at + 2 <= this.received.length) {
      const second = this.received[at + 1] ?? 0;
      let length = second & 0x7f;
      let head = 2;
      if (length === 126) {
        if (at + 4 > this.received.length) break;
        length = this.received.readUInt16BE(at + 2);
        head = 4;
      } else if (length === 127) {
        if (at + 10 > this.received.length) break;
        length = Number(this.received.readBigUInt64BE(at + 2));
        head = 10;
      }
      if (at + head + length > this.received.length) break;
      if (((this.received[at] ?? 0) & 0x0f) === 0x01) {
        frames.push(this.received.subarray(at + head, at + head + length).toString());
      }
      at += head + length;
    }
    return frames;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Waits until `done()`; rejects if the connection closes first. */
  async #until(done: () => boolean): Promise<void> {
    let closed = false;
    void this.closed.then(() => {
      closed = true;
    });
    while (!done()) {
      if (closed) throw new Error('the server closed the connection');
      await Promise.race([new Promise<void>(resolve => this.#onData.push(resolve)), this.closed]);
    }
  }
}

/** A complete WebSocket upgrade request for `url`, with `headers` added. */
export function upgradeRequest(url: string, headers: Record<string, string> = {}): string {
  const { host, pathname, search } = new URL(url);
  const lines = [
    `GET ${pathname}${search} HTTP/1.1`,
    `Host: ${host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
