/** What publishes into a cluster from outside it: an emitter process, or an HTTP client of the API. */
export type PublisherKind = 'roomcast-emitter' | 'socket.io-emitter' | 'http-api';

export interface PublisherOptions {
  kind: PublisherKind;
  /** The cluster's Redis and app name (the nodes' prefix, or Socket.IO's adapter key). */
  redis: { host: string; port: number; appName: string };
  /** The nodes' history: every room keeps it (roomcast-emitter's `rooms.patterns`). */
  history?: { size: number; ttlMs: number };
  /** http-api: the node's WebSocket URL (the API is on the same port) and its key. */
  url?: string;
  apiKey?: string;
}

/** A publisher, started: the only surface the scenario uses. */
export interface RunningPublisher {
  /**
   * Publishes `count` bench messages into `roomName`, at most `window` in flight, and resolves
   * once Redis (or the API) accepted every one.
   */
  publish(roomName: string, count: number, window: number): Promise<void>;
  stop(): Promise<void>;
}
