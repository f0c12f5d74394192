import {
  type DecodedServerFrame,
  ErrorCode,
  type ErrorReplyFrame,
  type PushFrame,
  type ReplyFrame,
  RoomcastError,
  type ServerFrameError,
  type UnreadableFrameError,
} from '@roomcast/protocol';
import type { ClientEvents, Emitter, MessageHandler } from './emitter';
import type { PendingRequests } from './pending-requests';
import type { RoomTracker } from './room-tracker';

const key = (type: string, action: string) => `${type}\u0000${action}`;

/**
 * Where each checked server frame goes: an answer settles its request (or, unawaited, goes to
 * `message` and, if an error, to `error`); any other frame passes the room tracker (a repeat
 * offset is dropped), then goes to `message` and to the `on(type, action)` handlers.
 */
export class FrameRouter {
  readonly #events: Emitter<ClientEvents>;
  readonly #pending: PendingRequests;
  readonly #rooms: RoomTracker;
  readonly #handlers = new Map<string, Set<MessageHandler<never>>>();
  readonly #reported = new Set<ServerFrameError['kind']>();

  constructor(events: Emitter<ClientEvents>, pending: PendingRequests, rooms: RoomTracker) {
    this.#events = events;
    this.#pending = pending;
    this.#rooms = rooms;
  }

  on(type: string, action: string, handler: MessageHandler<never>): void {
    const set = this.#handlers.get(key(type, action)) ?? new Set();
    this.#handlers.set(key(type, action), set);
    set.add(handler);
  }

  off(type: string, action: string, handler: MessageHandler<never>): void {
    this.#handlers.get(key(type, action))?.delete(handler);
  }

  route(decoded: DecodedServerFrame): void {
    if (decoded.kind === 'reply' || decoded.kind === 'error') {
      this.#answer(decoded.frame);
      return;
    }
    const frame: PushFrame = decoded.frame;
    if (frame.room !== undefined && !this.#rooms.accept(frame.room, frame.offset)) return;
    this.#rooms.notice(frame);
    this.#events.emit('message', frame);
    for (const handler of [...(this.#handlers.get(key(frame.type, frame.action)) ?? [])]) {
      try {
        (handler as MessageHandler)(frame.data, frame);
      } catch (failure) {
        this.#events.emit('error', failure as Error);
      }
    }
  }

  /**
   * A frame that did not decode is dropped. It is reported on `error` once per kind: a server
   * that sends one bad frame usually sends many, and one report says what to fix.
   */
  ignore(problem: ServerFrameError): void {
    if (this.#reported.has(problem.kind)) return;
    this.#reported.add(problem.kind);
    const message = `Ignored a server frame (${problem.kind}): ${problem.message}`;
    this.#events.emit(
      'error',
      new RoomcastError(ErrorCode.INVALID_MESSAGE, `${message}; more are ignored silently`),
    );
  }

  /**
   * A frame with `response` or `error` answers something this client sent: it settles its request,
   * or (a reply to a `send()`, or one whose request timed out) goes to the `message` event, and an
   * error also to `error`. It never reaches the handlers of its type/action, which are for events.
   */
  #answer(frame: ReplyFrame | ErrorReplyFrame | UnreadableFrameError): void {
    if (frame.id !== undefined && this.#pending.settle(frame.id, frame)) return;
    this.#events.emit('message', frame);
    if ('error' in frame)
      this.#events.emit('error', new RoomcastError(frame.error.code, frame.error.message));
  }
}
