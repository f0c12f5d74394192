import { ErrorCode, type ErrorReplyFrame, type RequestId, RoomcastError } from '@roomcast/protocol';

interface Pending {
  resolve: (response: unknown) => void;
  reject: (error: RoomcastError) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Written to a socket: only these fail with DISCONNECTED when that socket closes. */
  sent: boolean;
}

/** Requests waiting for their reply, by id. Each one settles exactly once. */
export class PendingRequests {
  readonly #pending = new Map<RequestId, Pending>();
  #nextId = 0;

  /** Registers a request; `onTimeout` lets the caller forget a frame still queued offline. */
  add(timeoutMs: number, onTimeout: (id: RequestId) => void): { id: RequestId; promise: Promise<unknown> } {
    const id = ++this.#nextId;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        onTimeout(id);
        this.fail(id, new RoomcastError(ErrorCode.TIMEOUT, `No reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, sent: false });
    });
    return { id, promise };
  }

  markSent(id: RequestId): void {
    const entry = this.#pending.get(id);
    if (entry) entry.sent = true;
  }

  /** Settles the request a reply frame answers; false when no request waits for this id. */
  settle(id: RequestId, frame: { response?: unknown; error?: ErrorReplyFrame['error'] }): boolean {
    const entry = this.#take(id);
    if (!entry) return false;
    if (frame.error) {
      const { code, message, issues } = frame.error;
      entry.reject(new RoomcastError(code, message, issues ? { issues } : {}));
    } else entry.resolve(frame.response);
    return true;
  }

  fail(id: RequestId, error: RoomcastError): void {
    this.#take(id)?.reject(error);
  }

  /** Fails the requests already written to a socket that closed (all of them with `all`). */
  failSent(error: RoomcastError, all = false): void {
    for (const [id, entry] of this.#pending) if (all || entry.sent) this.fail(id, error);
  }

  get size(): number {
    return this.#pending.size;
  }

  #take(id: RequestId): Pending | undefined {
    const entry = this.#pending.get(id);
    if (!entry) return undefined;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }
}
