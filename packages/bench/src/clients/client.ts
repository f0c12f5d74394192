/** One connected client of the swarm, already in its room. */
export interface SwarmClient {
  close(): void;
}

export interface ClientOptions {
  url: string;
  roomName: string;
  /** A JWT to present at the connection (Roomcast and raw ws: `?token=`; Socket.IO: `auth`). */
  token?: string | undefined;
  /** The client side's source address (many connections: one address runs out of ports). */
  localAddress?: string | undefined;
  /**
   * Called for every message after the join; `read` parses it, for the scenarios that look inside.
   * Call `read` during the call or not at all (a light client's payload is a view into its read buffer).
   */
  onMessage(read: () => unknown): void;
}
