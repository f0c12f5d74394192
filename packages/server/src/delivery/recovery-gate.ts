import type { PreparedFrame } from './prepared-frame';

interface HeldFrame {
  frame: PreparedFrame;
  offset: number | undefined;
}

/**
 * Live room frames held back from a client while its missed messages are replayed (a join with
 * `since` or `rewind`). The client is a member, so nothing published during the replay is lost;
 * it just waits here. Frames the replay already carried are dropped, on release and afterwards
 * (the replay can read history ahead of the live stream), so none arrives twice.
 */
export class RecoveryGates {
  readonly #held = new Map<string, HeldFrame[]>();
  /** After a release: the replay's last offset, until the live stream passes it. */
  readonly #floors = new Map<string, number>();

  /** Starts holding `roomName`'s live frames for `clientId`. */
  hold(clientId: string, roomName: string): void {
    this.#held.set(key(clientId, roomName), []);
  }

  /** Keeps the frame if the client is recovering that room; true means "taken, do not send". */
  capture(clientId: string, roomName: string, frame: PreparedFrame, offset: number | undefined): boolean {
    if (this.#held.size === 0 && this.#floors.size === 0) return false;
    const at = key(clientId, roomName);
    const held = this.#held.get(at);
    if (held) {
      held.push({ frame, offset });
      return true;
    }
    const floor = this.#floors.get(at);
    if (floor === undefined || offset === undefined) return false;
    if (offset <= floor) return true; // the replay carried it
    this.#floors.delete(at);
    return false;
  }

  /** Stops holding and returns the frames newer than `replayedUpTo`, in arrival order. */
  release(clientId: string, roomName: string, replayedUpTo: number): PreparedFrame[] {
    const at = key(clientId, roomName);
    const held = this.#held.get(at) ?? [];
    this.#held.delete(at);
    const newer = held.filter(({ offset }) => offset === undefined || offset > replayedUpTo);
    const overtaken = held.some(({ offset }) => offset !== undefined && offset >= replayedUpTo);
    if (replayedUpTo > 0 && !overtaken) this.#floors.set(at, replayedUpTo);
    return newer.map(h => h.frame);
  }

  /** The client left the room (or went away). */
  forget(clientId: string, roomName: string): void {
    const at = key(clientId, roomName);
    this.#held.delete(at);
    this.#floors.delete(at);
  }
}

const key = (clientId: string, roomName: string) => `${clientId}\u0000${roomName}`;
