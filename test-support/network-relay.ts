import { createServer, type Server, Socket } from 'node:net';

/**
 * A loopback TCP relay in front of a server, standing in for the network between a page and the
 * chat: `down()` drops every relayed connection and refuses new ones (a phone losing signal),
 * `up()` lets connections through again.
 */
export class NetworkRelay {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #down = false;

  private constructor(targetPort: number) {
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
      outbound.connect(targetPort, '127.0.0.1');
      inbound.pipe(outbound).pipe(inbound);
    });
  }

  /** Listens on a free loopback port and relays to `targetPort`; resolves with its own URL. */
  static async start(targetPort: number): Promise<{ relay: NetworkRelay; url: string }> {
    const relay = new NetworkRelay(targetPort);
    await new Promise<void>(resolve => relay.#server.listen(0, '127.0.0.1', resolve));
    const address = relay.#server.address();
    if (address === null || typeof address === 'string') throw new Error('relay has no port');
    return { relay, url: `http://127.0.0.1:${address.port}` };
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
