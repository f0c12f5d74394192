import type { PresenceMember } from '@roomcast/protocol';

type Action = 'join' | 'leave';

interface Change {
  /** What the member was before this interval: a first `leave` means it was in the room. */
  wasIn: boolean;
  isIn: boolean;
  member: PresenceMember;
}

interface Batch {
  changes: Map<string, Change>;
  timer: ReturnType<typeof setTimeout>;
}

export interface PresenceDiff {
  joins: PresenceMember[];
  leaves: PresenceMember[];
}

/**
 * This node's presence changes per room, collected for one interval and handed on as one diff:
 * the cost of presence grows with the intervals, not with joins times members. Only the net
 * change of each member is listed: one that joined and left within the interval is in neither
 * list (nobody saw it), one that left and came back is in `joins` (its details may have changed).
 */
export class PresenceBatches {
  readonly #batches = new Map<string, Batch>();
  readonly #flush: (roomName: string, diff: PresenceDiff) => void;

  constructor(flush: (roomName: string, diff: PresenceDiff) => void) {
    this.#flush = flush;
  }

  note(roomName: string, member: PresenceMember, action: Action, batchMs: number): void {
    let batch = this.#batches.get(roomName);
    if (!batch) {
      const timer = setTimeout(() => this.#send(roomName), batchMs);
      timer.unref?.();
      batch = { changes: new Map(), timer };
      this.#batches.set(roomName, batch);
    }
    const change = batch.changes.get(member.clientId);
    const isIn = action === 'join';
    if (change) {
      change.isIn = isIn;
      change.member = member;
    } else {
      batch.changes.set(member.clientId, { wasIn: !isIn, isIn, member });
    }
  }

  /** Drops what is pending and its timers (the server is stopping). */
  stop(): void {
    for (const batch of this.#batches.values()) clearTimeout(batch.timer);
    this.#batches.clear();
  }

  #send(roomName: string): void {
    const batch = this.#batches.get(roomName);
    if (!batch) return;
    this.#batches.delete(roomName);
    const diff: PresenceDiff = { joins: [], leaves: [] };
    for (const { wasIn, isIn, member } of batch.changes.values()) {
      if (isIn) diff.joins.push(member);
      else if (wasIn) diff.leaves.push(member);
    }
    if (diff.joins.length > 0 || diff.leaves.length > 0) this.#flush(roomName, diff);
  }
}
