import {
  type DurableHeader,
  type History,
  type HistorySince,
  type Logger,
  type StreamPosition,
  withOffset,
} from '@roomcast/protocol';
import type { LocalDelivery } from './local-delivery';
import { prepareFrame } from './prepared-frame';

/** Live messages held while a gap is filled from history; past this the room is resynced. */
const MAX_BUFFERED = 10_000;
/** Ids of messages delivered without an offset, remembered to skip their durable copy. */
const MAX_SKIPPED_IDS = 10_000;
/** A failed catch-up read is tried again after this long. */
const RETRY_MS = 1_000;

/** One followed room stream; opaque outside this module. */
export interface Followed {
  /** Unknown until the first message or the join's read. */
  epoch: string | undefined;
  /** The last offset delivered to this node's members. */
  offset: number;
  /** Live messages after a gap, by offset, until the gap is filled. */
  buffer: Map<number, { header: DurableHeader; body: string }>;
  catchingUp: boolean;
  /** Another catch-up was asked for while one ran. */
  again: boolean;
  /** Members got messages without offsets (Redis unreachable): they must be told to resync. */
  interrupted: boolean;
  skipIds: Set<string>;
  retry: ReturnType<typeof setTimeout> | undefined;
}

export interface RoomStreamsDeps {
  history: History;
  local: LocalDelivery;
  logger: Logger;
  /** Resolves once this node's appends in flight have landed or failed (bounded). */
  appendsSettled: () => Promise<void>;
}

/**
 * Follows the stream of every history room that has members on this node, and hands its durable
 * messages to them in offset order, each once. The bus brings them in order (one atomic append
 * and publish per message); when it lost some (this node's Redis link broke), the gap is filled
 * from history, and when that cannot be done, or the stream's epoch changed, members get
 * `system.roomNotRecovered` with the position from which delivery is exact again. While Redis
 * cannot be reached, this node's own messages reach its members live without offset
 * (`system.roomInterrupted` first). Once the stream is back and those appends have landed, the
 * notice names the offset of the last of them, so no message after it is one members already had.
 */
export class RoomStreams {
  readonly #deps: RoomStreamsDeps;
  readonly #rooms = new Map<string, Followed>();

  constructor(deps: RoomStreamsDeps) {
    this.#deps = deps;
  }

  /** The room got its first member here (and is about to be subscribed): start following it. */
  open(roomName: string): void {
    if (!this.#rooms.has(roomName)) this.#rooms.set(roomName, followed(undefined));
  }

  /** A join read the room's position: follow from there, unless a message already said where. */
  follow(roomName: string, position: StreamPosition): void {
    const state = this.#rooms.get(roomName);
    if (!state) this.#rooms.set(roomName, followed(position));
    else if (state.epoch === undefined) {
      state.epoch = position.epoch;
      state.offset = position.offset;
    }
  }

  /** The room as followed now, or undefined when it has no members here. */
  following(roomName: string): Followed | undefined {
    return this.#rooms.get(roomName);
  }

  /** The room's last member here left. */
  forget(roomName: string): void {
    clearTimeout(this.#rooms.get(roomName)?.retry);
    this.#rooms.delete(roomName);
  }

  /** A durable message from the bus (this node's own ones too). */
  receive(header: DurableHeader, body: string): void {
    const { room } = header;
    const state = this.#rooms.get(room);
    if (!state) return; // no members here any more
    if (state.epoch === undefined) {
      // Subscribed, and the join's read has not come back yet: follow from this message.
      state.epoch = header.epoch;
      state.offset = header.offset - 1;
    }
    if (state.catchingUp || state.interrupted) {
      // Interrupted: the stream is back, and the resync read says where exact delivery resumes.
      this.#hold(room, state, header, body);
      return;
    }
    if (header.epoch !== state.epoch) {
      // The stream restarted (history lost): exact from here on; what came before may be gone.
      this.#notRecovered(room, state, { epoch: header.epoch, offset: header.offset - 1 });
    }
    if (header.offset <= state.offset) return; // already delivered (a catch-up overlapped)
    if (header.offset > state.offset + 1) this.#hold(room, state, header, body);
    else this.#deliver(room, state, header, body);
  }

  /**
   * Delivers this node's own durable message to its members without an offset, because the
   * stream did not bring it in time (Redis unreachable or not answering).
   */
  deliverLive(
    roomName: string,
    followedAt: Followed,
    message: { id: string; frame: string; exclude: string | undefined },
  ): void {
    // Followed since the publish: members who came later get the message from history.
    const state = this.#rooms.get(roomName);
    if (state !== followedAt) return;
    if (!state.interrupted) {
      state.interrupted = true;
      this.#toMembers(roomName, { type: 'system', action: 'roomInterrupted', data: { roomName } });
    }
    state.skipIds.add(message.id);
    if (state.skipIds.size > MAX_SKIPPED_IDS) state.skipIds.delete(state.skipIds.values().next().value!);
    this.#deps.local.toRoom(roomName, prepareFrame(message.frame), { exclude: message.exclude });
  }

  /** The bus is back: every followed room reads what it missed (or resyncs, if interrupted). */
  resume(): void {
    for (const [roomName, state] of this.#rooms)
      if (state.epoch !== undefined) this.#catchUp(roomName, state);
  }

  close(): void {
    for (const state of this.#rooms.values()) clearTimeout(state.retry);
    this.#rooms.clear();
  }

  #deliver(room: string, state: Followed, header: DurableHeader, body: string): void {
    state.offset = header.offset;
    if (state.skipIds.delete(header.id)) return; // members had it live, without offset
    const frame = prepareFrame(withOffset(body, header.offset));
    this.#deps.local.toRoom(room, frame, { exclude: header.exclude }, header.offset);
  }

  #hold(room: string, state: Followed, header: DurableHeader, body: string): void {
    if (state.buffer.size >= MAX_BUFFERED) {
      // Too far behind to hold: drop what is held; the next read takes it from history.
      state.buffer.clear();
      state.again = true;
    }
    state.buffer.set(header.offset, { header, body });
    if (!state.catchingUp) this.#catchUp(room, state);
  }

  #catchUp(room: string, state: Followed): void {
    if (state.catchingUp) {
      state.again = true;
      return;
    }
    state.catchingUp = true;
    void this.#read(room, state).then(
      () => {
        state.catchingUp = false;
        if (this.#rooms.get(room) !== state) return;
        if (state.again) {
          state.again = false;
          this.#catchUp(room, state);
        }
      },
      (error: unknown) => {
        state.catchingUp = false;
        this.#deps.logger.warn({ err: error, roomName: room }, 'room catch-up read failed; retrying');
        clearTimeout(state.retry);
        state.retry = setTimeout(() => this.#catchUp(room, state), RETRY_MS);
        state.retry.unref?.();
      },
    );
  }

  async #read(room: string, state: Followed): Promise<void> {
    const { history } = this.#deps;
    // The messages members got live must be in the stream (or have failed) before it is read.
    if (state.interrupted) await this.#deps.appendsSettled();
    const read: HistorySince =
      state.epoch === undefined
        ? { ...(await history.latest(room, 0)), recovered: false }
        : await history.since(room, state.offset, state.epoch);
    if (this.#rooms.get(room) !== state) return;
    if (!read.recovered) this.#notRecovered(room, state, read);
    else if (state.interrupted) {
      // Members had some of these live, out of order with the rest: exact delivery resumes after
      // the last of them, and they learn that what came before may not be complete.
      let resumeAt = state.offset;
      for (const entry of read.entries) if (state.skipIds.has(entry.id)) resumeAt = entry.offset;
      this.#notRecovered(room, state, { epoch: read.epoch, offset: resumeAt });
    }
    for (const entry of read.entries) {
      if (entry.offset <= state.offset) continue;
      state.offset = entry.offset;
      this.#deps.local.toRoom(room, prepareFrame(entry.frame), {}, entry.offset);
    }
    this.#drain(room, state);
  }

  /** Delivers held messages that now follow on, and drops the ones already covered. */
  #drain(room: string, state: Followed): void {
    const held = [...state.buffer.values()].sort((a, b) => a.header.offset - b.header.offset);
    state.buffer.clear();
    for (const { header, body } of held) {
      if (header.epoch !== state.epoch || header.offset <= state.offset) continue;
      if (header.offset > state.offset + 1) {
        // Still a gap (lost again meanwhile): hold the rest and read once more.
        for (const rest of held)
          if (rest.header.offset >= header.offset) state.buffer.set(rest.header.offset, rest);
        state.again = true;
        return;
      }
      this.#deliver(room, state, header, body);
    }
  }

  #notRecovered(room: string, state: Followed, position: StreamPosition): void {
    state.epoch = position.epoch;
    state.offset = position.offset;
    state.interrupted = false;
    this.#toMembers(room, {
      type: 'system',
      action: 'roomNotRecovered',
      data: { roomName: room, offset: position.offset, epoch: position.epoch },
    });
  }

  #toMembers(room: string, message: unknown): void {
    this.#deps.local.toRoom(room, prepareFrame(message));
  }
}

function followed(position: StreamPosition | undefined): Followed {
  return {
    epoch: position?.epoch,
    offset: position?.offset ?? 0,
    buffer: new Map(),
    catchingUp: false,
    again: false,
    interrupted: false,
    skipIds: new Set(),
    retry: undefined,
  };
}
