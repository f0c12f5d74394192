import type { JoinRoomData, JoinRoomReply } from '@roomcast/protocol';
import { RoomOffsets } from './room-offsets';

interface RoomState {
  username: string | undefined;
  /** What the room has shown; its latest offset is the `since` of the rejoin after a reconnect. */
  offsets: RoomOffsets;
  /** The epoch the offsets belong to: sent back with `since`, or the server cannot recover. */
  epoch: string | undefined;
  /** The server said its live messages here came without offsets: the position is not exact. */
  interrupted: boolean;
}

/**
 * The rooms a client is in and where it stands in each, so a reconnect rejoins them with
 * `{ since, epoch }` and gets exactly what it missed, or learns it did not (`roomNotRecovered`).
 */
export class RoomTracker {
  readonly #rooms = new Map<string, RoomState>();
  readonly #notRecovered: (room: string) => void;

  constructor(notRecovered: (room: string) => void) {
    this.#notRecovered = notRecovered;
  }

  /** A join the app asked for was accepted. */
  joined(name: string, username: string | undefined, reply: JoinRoomReply): void {
    this.#rooms.set(name, {
      username,
      offsets: new RoomOffsets(reply.offset),
      epoch: reply.epoch,
      interrupted: false,
    });
  }

  left(name: string): void {
    this.#rooms.delete(name);
  }

  names(): string[] {
    return [...this.#rooms.keys()];
  }

  /** What to send to rejoin `name` after a reconnect. */
  rejoinData(name: string): JoinRoomData {
    const state = this.#rooms.get(name);
    const data: JoinRoomData = { roomName: name };
    if (!state) return data;
    if (state.username !== undefined) data.username = state.username;
    if (!state.interrupted && state.offsets.latest !== undefined) {
      data.since = state.offsets.latest;
      if (state.epoch !== undefined) data.epoch = state.epoch;
    }
    return data;
  }

  /** The server's answer to a rejoin. */
  rejoined(name: string, reply: JoinRoomReply): void {
    const state = this.#rooms.get(name);
    if (!state) return;
    const exact = reply.recovered === true && !state.interrupted;
    // Not recovered: offsets may restart (new epoch), so the old ones would hide new frames.
    if (!exact) state.offsets.reset(reply.offset);
    state.epoch = reply.epoch;
    if (reply.recovered === false || state.interrupted) {
      state.interrupted = false;
      this.#notRecovered(name);
    }
  }

  /** True when a room frame is new to the client (each offset is shown once). */
  accept(room: string, offset: unknown): boolean {
    const state = this.#rooms.get(room);
    return !state || typeof offset !== 'number' || state.offsets.accept(offset);
  }

  /** `system.roomInterrupted` / `system.roomNotRecovered`; other frames are not its business. */
  notice(frame: { type: string; action: string; data?: unknown }): void {
    if (frame.type !== 'system') return;
    const data = (frame.data ?? {}) as { roomName?: unknown; offset?: unknown; epoch?: unknown };
    const state = typeof data.roomName === 'string' ? this.#rooms.get(data.roomName) : undefined;
    if (!state) return;
    if (frame.action === 'roomInterrupted') state.interrupted = true;
    else if (frame.action === 'roomNotRecovered' && typeof data.offset === 'number') {
      state.offsets.reset(data.offset);
      state.epoch = typeof data.epoch === 'string' ? data.epoch : undefined;
      state.interrupted = false;
      this.#notRecovered(data.roomName as string);
    }
  }
}
