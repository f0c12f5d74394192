import type { PushFrame, ServerFrame } from '@roomcast/protocol';

/** The client's lifecycle events and what each listener receives. */
export interface ClientEvents {
  open: { clientId: string; nodeId: string };
  close: { code: number; reason: string };
  reconnecting: { attempt: number; delayMs: number };
  reconnected: { clientId: string; nodeId: string };
  /** `reconnect.maxAttempts` ran out; the client stays closed. */
  reconnectFailed: { attempts: number };
  error: Error;
  /** A room was rejoined but the server could not replay every missed message. */
  roomNotRecovered: { room: string };
  /** Every frame the server sent (after the client's own bookkeeping). */
  message: ServerFrame;
}

export type Unsubscribe = () => void;
export type MessageHandler<TData = unknown> = (data: TData, frame: PushFrame<TData>) => void;

/**
 * A tiny typed event emitter, the same on browsers and Node (no `events` import in the browser
 * build). A throwing listener does not stop the others.
 */
export class Emitter<TEvents extends object> {
  readonly #listeners = new Map<keyof TEvents, Set<(value: never) => void>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof TEvents>(name: K, listener: (value: TEvents[K]) => void): Unsubscribe {
    const set = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, set);
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends keyof TEvents>(name: K, listener: (value: TEvents[K]) => void): void {
    this.#listeners.get(name)?.delete(listener);
  }

  emit<K extends keyof TEvents>(name: K, value: TEvents[K]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        (listener as (value: TEvents[K]) => void)(value);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  count(name: keyof TEvents): number {
    return this.#listeners.get(name)?.size ?? 0;
  }
}
