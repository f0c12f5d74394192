import { type ClientFrame, ErrorCode, RoomcastError } from '@roomcast/protocol';
import type { Connection } from './connection';
import { OfflineQueue } from './offline-queue';
import { PendingRequests } from './pending-requests';

export const disconnected = (message: string) => new RoomcastError(ErrorCode.DISCONNECTED, message);

/**
 * What the client sends: written at once while a connection is ready, otherwise kept in the
 * bounded offline queue and written, in order, once the next handshake completes. Requests wait
 * in `pending` for their reply, timeout or failure.
 */
export class Outbox {
  readonly pending = new PendingRequests();
  readonly #queue: OfflineQueue;
  readonly #requestTimeoutMs: number;
  /** The connection whose handshake completed; undefined while offline. */
  #ready: Connection | undefined;

  constructor(options: { offlineQueue: { max: number }; requestTimeoutMs: number }) {
    this.#queue = new OfflineQueue(options.offlineQueue.max);
    this.#requestTimeoutMs = options.requestTimeoutMs;
  }

  get stats(): { dropped: number; queued: number; pendingRequests: number } {
    return { dropped: this.#queue.dropped, queued: this.#queue.size, pendingRequests: this.pending.size };
  }

  /** The handshake on `connection` completed: what waited offline goes first, then writes go straight. */
  online(connection: Connection): void {
    this.#ready = connection;
    for (const frame of this.#queue.drain()) this.#write(connection, frame);
  }

  /** The connection closed: the requests already written to it can no longer get a reply. */
  offline(code: number): void {
    this.#ready = undefined;
    this.pending.failSent(disconnected(`Connection closed (${code}) before the reply`));
  }

  /** The client closed for good: what was queued is forgotten and every request fails. */
  shutdown(error: RoomcastError): void {
    this.#queue.drain();
    this.pending.failSent(error, true);
  }

  send(frame: ClientFrame): void {
    if (this.#ready && this.#write(this.#ready, frame)) return;
    for (const dropped of this.#queue.push(frame)) {
      if (dropped.id !== undefined)
        this.pending.fail(dropped.id, disconnected('Dropped from the full offline queue'));
    }
  }

  request(type: string, action: string, data: unknown, timeoutMs = this.#requestTimeoutMs): Promise<unknown> {
    const { id, promise } = this.pending.add(timeoutMs, queued => this.#queue.remove(queued));
    this.send({ type, action, data, id });
    return promise;
  }

  /** A request on a given connection, ahead of the offline queue (the handshake's). */
  call(connection: Connection, route: { type: string; action: string }, data: unknown): Promise<unknown> {
    const { id, promise } = this.pending.add(this.#requestTimeoutMs, () => {});
    if (!this.#write(connection, { ...route, data, id }))
      this.pending.fail(id, disconnected('Connection closed'));
    return promise;
  }

  #write(connection: Connection, frame: ClientFrame): boolean {
    if (!connection.send(frame)) return false;
    if (frame.id !== undefined) this.pending.markSent(frame.id);
    return true;
  }
}
