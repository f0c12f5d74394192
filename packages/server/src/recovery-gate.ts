import type { PreparedFrame } from './prepared-frame';

interface HeldFrame {
  frame: PreparedFrame;
  offset: number | undefined;
}

/**
 * Live room frames held back from a client while its missed messages are replayed (a join with
 * `since`). The client is a member, so nothing published during the replay is lost; it just waits
 * here, and frames the replay already carried are dropped on release, so none arrives twice.
 */
export class RecoveryGates {
  readonly #held = new Map<string, HeldFrame[]>();

  /** Starts holding `roomName`'s live frames for `clientId`. */
  hold(clientId: string, roomName: string): void {
    this.#held.set(key(clientId, roomName), []);
  }

  /** Keeps the frame if the client is recovering that room; true means "taken, do not send". */
  capture(clientId: string, roomName: string, frame: PreparedFrame, offset: number | undefined): boolean {
    if (this.#held.size === 0) return false;
    const held = this.#held.get(key(clientId, roomName));
    held?.push({ frame, offset });
    return held !== undefined;
  }

  /** Stops holding and returns the frames newer than `replayedUpTo`, in arrival order. */
  release(clientId: string, roomName: string, replayedUpTo: number): PreparedFrame[] {
    const held = this.#held.get(key(clientId, roomName)) ?? [];
    this.#held.delete(key(clientId, roomName));
    return held.filter(({ offset }) => offset === undefined || offset > replayedUpTo).map(h => h.frame);
  }
}

const key = (clientId: string, roomName: string) => `${clientId}\u0000${roomName}`;
