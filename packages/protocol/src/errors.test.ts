import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from './codes';
import { isRoomcastError, RoomcastError, toPublicError } from './errors';

/** A second copy of this module, as an app that installed its own @roomcast/protocol has. */
async function secondCopy(): Promise<typeof import('./errors')> {
  const path = './errors.ts?second-copy';
  return import(/* @vite-ignore */ path);
}

describe('RoomcastError', () => {
  it('carries a code, a close code and a cause', () => {
    const cause = new Error('socket reset');
    const error = new RoomcastError(ErrorCode.RATE_LIMITED, 'Too many messages', {
      closeCode: CloseCode.RATE_LIMIT_ABUSE,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(isRoomcastError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'RoomcastError', code: 'RATE_LIMITED', closeCode: 4008, cause });
  });

  it('hides anything that is not a RoomcastError behind INTERNAL_ERROR, without closing', () => {
    const hidden = toPublicError(new Error('password=hunter2 at db.ts:12'));
    expect(hidden.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(hidden.message).not.toContain('hunter2');
    expect(hidden.closeCode).toBeUndefined();
    const own = new RoomcastError(ErrorCode.FORBIDDEN, 'Not yours');
    expect(toPublicError(own)).toBe(own);
  });

  it('recognizes an error of a second copy of the package by its brand', async () => {
    const copy = await secondCopy();
    const foreign = new copy.RoomcastError(ErrorCode.FORBIDDEN, 'Not yours', {
      closeCode: CloseCode.FORBIDDEN,
    });
    expect(foreign).not.toBeInstanceOf(RoomcastError);
    expect(isRoomcastError(foreign)).toBe(true);
    expect(toPublicError(foreign)).toBe(foreign);
    expect(copy.isRoomcastError(new RoomcastError(ErrorCode.FORBIDDEN, 'x'))).toBe(true);
  });

  it('does not take a look-alike without the brand for one', () => {
    const lookAlike = Object.assign(new Error('db down'), { name: 'RoomcastError', code: 'FORBIDDEN' });
    expect(isRoomcastError(lookAlike)).toBe(false);
    expect(toPublicError(lookAlike).code).toBe(ErrorCode.INTERNAL_ERROR);
    // The brand is not enumerable: it stays out of logs, and a spread copy is a plain object.
    expect(isRoomcastError({ ...new RoomcastError(ErrorCode.FORBIDDEN, 'x') })).toBe(false);
  });

  it('has no cause unless given one, and refuses values that are not branded errors', () => {
    expect('cause' in new RoomcastError(ErrorCode.FORBIDDEN, 'x')).toBe(false);
    for (const value of [null, undefined, 'RoomcastError', 42]) expect(isRoomcastError(value)).toBe(false);
    // The brand alone is not enough: a Roomcast error always has a string code.
    const branded = Object.defineProperty({ code: 42 }, Symbol.for('roomcast.error'), { value: true });
    expect(isRoomcastError(branded)).toBe(false);
  });
});
