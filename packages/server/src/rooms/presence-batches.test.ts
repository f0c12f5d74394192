import { afterEach, describe, expect, it, vi } from 'vitest';
import { PresenceBatches, type PresenceDiff } from './presence-batches';

const member = (clientId: string, username: string | null = null) => ({ clientId, userId: null, username });

describe('PresenceBatches', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands on the net change of each member once per interval', () => {
    vi.useFakeTimers();
    const sent: [string, PresenceDiff][] = [];
    const batches = new PresenceBatches((roomName, diff) => sent.push([roomName, diff]));
    batches.note('r', member('a'), 'join', 100);
    batches.note('r', member('b'), 'join', 100);
    batches.note('r', member('b'), 'leave', 100); // joined and left: nobody needs to know
    batches.note('r', member('c'), 'leave', 100);
    batches.note('r', member('c', 'new name'), 'join', 100); // left and came back: listed as a join
    batches.note('r', member('d'), 'leave', 100);
    batches.note('s', member('a'), 'join', 100);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([
      ['r', { joins: [member('a'), member('c', 'new name')], leaves: [member('d')] }],
      ['s', { joins: [member('a')], leaves: [] }],
    ]);

    // A join and leave within one interval that cancel out send nothing at all.
    batches.note('r', member('e'), 'join', 100);
    batches.note('r', member('e'), 'leave', 100);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);

    batches.note('r', member('f'), 'join', 100);
    batches.stop();
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });
});
