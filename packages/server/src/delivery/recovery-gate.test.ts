import { describe, expect, it } from 'vitest';
import { type PreparedFrame, prepareFrame } from './prepared-frame';
import { RecoveryGates } from './recovery-gate';

const frame = (offset: number | string) => prepareFrame({ type: 'msg', offset });
const text = (frames: PreparedFrame[]) => frames.map(f => JSON.parse(f.payload.toString()).offset as unknown);

describe('RecoveryGates: live room frames during and after a join replay', () => {
  it('passes every frame through while nothing is held', () => {
    const gates = new RecoveryGates();
    expect(gates.capture('c1', 'r', frame(1), 1)).toBe(false);
    expect(gates.capture('c1', 'r', frame('x'), undefined)).toBe(false);
  });

  it('holds only the recovering client and room, and releases the frames newer than the replay in order', () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    expect(gates.capture('c2', 'r', frame(1), 1)).toBe(false);
    expect(gates.capture('c1', 'other', frame(1), 1)).toBe(false);
    const live = [frame(4), frame(5), frame(6), frame('typing')];
    expect(gates.capture('c1', 'r', live[0] as PreparedFrame, 4)).toBe(true);
    expect(gates.capture('c1', 'r', live[1] as PreparedFrame, 5)).toBe(true);
    expect(gates.capture('c1', 'r', live[2] as PreparedFrame, 6)).toBe(true);
    expect(gates.capture('c1', 'r', live[3] as PreparedFrame, undefined)).toBe(true);
    // The replay carried up to 5: only 6 and the ephemeral frame are still to send.
    expect(text(gates.release('c1', 'r', 5))).toEqual([6, 'typing']);
    // The live stream is past the replay: nothing more is held or dropped.
    expect(gates.capture('c1', 'r', frame(7), 7)).toBe(false);
  });

  it('after a release, drops live frames the replay carried (its last offset too) and delivers the next once', () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    gates.capture('c1', 'r', frame('typing'), undefined);
    expect(text(gates.release('c1', 'r', 10))).toEqual(['typing']);
    expect(gates.capture('c1', 'r', frame(9), 9)).toBe(true);
    expect(gates.capture('c1', 'r', frame(10), 10)).toBe(true);
    expect(gates.capture('c1', 'r', frame('typing'), undefined)).toBe(false);
    expect(gates.capture('c2', 'r', frame(10), 10)).toBe(false);
    expect(gates.capture('c1', 'r', frame(11), 11)).toBe(false);
    // The floor is gone once passed: an old offset is no longer taken for a replayed one.
    expect(gates.capture('c1', 'r', frame(10), 10)).toBe(false);
  });

  it("keeps no floor when a held frame already reached the replay's last offset", () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    gates.capture('c1', 'r', frame(5), 5);
    expect(text(gates.release('c1', 'r', 5))).toEqual([]);
    // The live stream overtook the replay while held, so later frames all go out.
    expect(gates.capture('c1', 'r', frame(5), 5)).toBe(false);
    expect(gates.capture('c1', 'r', frame(3), 3)).toBe(false);
  });

  it('keeps no floor when any held frame overtook the replay, even if others did not', () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    gates.capture('c1', 'r', frame(2), 2);
    gates.capture('c1', 'r', frame(8), 8);
    expect(text(gates.release('c1', 'r', 4))).toEqual([8]);
    expect(gates.capture('c1', 'r', frame(4), 4)).toBe(false);
  });

  it("keeps a floor when the held frames are all older than the replay's end", () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    gates.capture('c1', 'r', frame(2), 2);
    gates.capture('c1', 'r', frame(3), 3);
    expect(text(gates.release('c1', 'r', 4))).toEqual([]);
    expect(gates.capture('c1', 'r', frame(4), 4)).toBe(true);
    expect(gates.capture('c1', 'r', frame(5), 5)).toBe(false);
  });

  it('keeps no floor when the replay carried nothing', () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    expect(gates.release('c1', 'r', 0)).toEqual([]);
    expect(gates.capture('c1', 'r', frame(0), 0)).toBe(false);
    gates.hold('c1', 'r');
    expect(gates.release('c1', 'r', -1)).toEqual([]);
    expect(gates.capture('c1', 'r', frame(-1), -1)).toBe(false);
  });

  it('forget clears what is held and the floor of that client and room only', () => {
    const gates = new RecoveryGates();
    gates.hold('c1', 'r');
    gates.capture('c1', 'r', frame(1), 1);
    gates.forget('c1', 'r');
    expect(gates.capture('c1', 'r', frame(2), 2)).toBe(false);
    expect(gates.release('c1', 'r', 0)).toEqual([]);

    gates.hold('c1', 'r');
    gates.hold('c2', 'r');
    gates.release('c1', 'r', 5);
    gates.release('c2', 'r', 5);
    gates.forget('c1', 'r');
    expect(gates.capture('c1', 'r', frame(3), 3)).toBe(false);
    expect(gates.capture('c2', 'r', frame(3), 3)).toBe(true);
  });
});
