import { createServer, type Server, Socket } from 'node:net';
import { Transform } from 'node:stream';

/**
 * A loopback TCP relay in front of a server, standing in for the network (or a load balancer)
 * between a client and the servers: `down()` drops every relayed connection and refuses new ones
 * (a phone losing signal), `up()` lets connections through again, `retarget(port)` sends new
 * connections to another server. `dropReplies()` is a grey failure: every connection stays open
 * and requests still reach the server, but what the server sends back is silently thrown away
 * (a half-dead link, a stuck proxy) until `passReplies()`.
 */
export class NetworkRelay {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #down = false;
  #droppingReplies = false;
  #targetPort: number;

  private constructor(targetPort: number) {
    this.#targetPort = targetPort;
    this.#server = createServer(inbound => {
      if (this.#down) {
        inbound.destroy();
        return;
      }
      const outbound = new Socket();
      for (const socket of [inbound, outbound]) {
        this.#sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          this.#sockets.delete(socket);
          inbound.destroy();
          outbound.destroy();
        });
      }
      outbound.connect(this.#targetPort, '127.0.0.1');
      // Replies pass through a filter (with backpressure, like a plain pipe) that can discard them.
      const replies = new Transform({
        transform: (chunk, _encoding, done) => done(null, this.#droppingReplies ? undefined : chunk),
      });
      inbound.pipe(outbound).pipe(replies).pipe(inbound);
    });
  }

  /** Listens on a free loopback port and relays to `targetPort`. */
  static async start(targetPort: number): Promise<NetworkRelay> {
    const relay = new NetworkRelay(targetPort);
    await new Promise<void>(resolve => relay.#server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  /** The relay's own port: point clients here instead of at the server. */
  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('relay is not listening');
    return address.port;
  }

  /** New connections go to `port` from now on; open ones stay where they are. */
  retarget(port: number): void {
    this.#targetPort = port;
  }

  down(): void {
    this.#down = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  up(): void {
    this.#down = false;
  }

  /**
   * From now on, bytes from the server are discarded on every connection (open and new), while
   * bytes to the server still go through. The dropped bytes are gone for good: a connection that
   * lost part of a reply stream cannot be trusted afterwards, so end a grey failure the way a
   * real one ends, with `down()` (the connections reset) before `passReplies()`.
   */
  dropReplies(): void {
    this.#droppingReplies = true;
  }

  /** Bytes from the server flow to the client again. */
  passReplies(): void {
    this.#droppingReplies = false;
  }

  async stop(): Promise<void> {
    this.down();
    await new Promise(resolve => this.#server.close(resolve));
  }
}
