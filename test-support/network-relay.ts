import { createServer, type Server, Socket } from 'node:net';

/**
 * A loopback TCP relay in front of a server, standing in for the network (or a load balancer)
 * between a client and the servers: `down()` drops every relayed connection and refuses new ones
 * (a phone losing signal), `up()` lets connections through again, `retarget(port)` sends new
 * connections to another server.
 */
export class NetworkRelay {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #down = false;
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
      inbound.pipe(outbound).pipe(inbound);
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

  async stop(): Promise<void> {
    this.down();
    await new Promise(resolve => this.#server.close(resolve));
  }
}
