/**
 * What a transport (Redis, NATS, the in-process one) implements to become a `Bus`: moving
 * payloads and keeping its subscriptions. Everything else (listeners counted per channel,
 * publishes kept while down, status, a throwing listener kept away from the others, stats) is the
 * core's, in `TransportBus`, so a new transport is one small file.
 *
 * Channel names here are the logical ones (`room:general`); a transport adds its own prefix.
 */
export interface BusTransport {
  /**
   * Called once, by the `TransportBus` constructor, before any other method: where the transport
   * reports its status and the messages it receives. It may call `sink.up()` before returning.
   */
  open(sink: TransportSink): void;
  /**
   * Sends one payload. The core calls it only while up, in the order `Bus.publish` was called, and
   * counts a rejection as a dropped message (so it must not retry by itself: no duplicates).
   */
  publish(channel: string, payload: string): Promise<void>;
  /**
   * These channels just got their first listener. The core calls it up or down; a transport
   * that cannot send now may skip it, because `restore` gets every wanted channel on the next up.
   * A rejection is logged, and the channel is retried by the next `restore`.
   */
  subscribe(channels: string[]): Promise<void>;
  /** These channels just lost their last listener. Same rules as `subscribe`. */
  unsubscribe(channels: string[]): Promise<void>;
  /**
   * Optional, for a client that does not resubscribe by itself after a reconnect: make the
   * transport's subscriptions exactly `channels`. Called after each `up()`; the core reports
   * connected and sends what it kept only once this settles, so nothing it publishes is missed
   * by this node. Return `undefined` when there is nothing to wait for.
   */
  restore?(channels: string[]): Promise<void> | undefined;
  /**
   * Stops everything the transport started. `channels` still had listeners: unsubscribe them,
   * unless the connection they were on is being closed anyway. Leave connections the caller gave.
   */
  close(channels: string[]): Promise<void>;
}

/** How a transport talks to the core. Calls after `close()` are ignored. */
export interface TransportSink {
  /** Messages can flow again (or for the first time). Calling it while up does nothing. */
  up(): void;
  /** Messages cannot flow: publishes wait in the core's bounded queue until `up()`. */
  down(): void;
  /** One message arrived on a logical channel (the transport's prefix removed). */
  deliver(channel: string, payload: string): void;
}
