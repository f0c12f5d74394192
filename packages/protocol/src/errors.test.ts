import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from './codes';
import { isRoomcastError, RoomcastError, toPublicError } from './errors';

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

  it('hides anything that is not a RoomcastError behind INTERNAL_ERROR', () => {
    const hidden = toPublicError(new Error('password=hunter2 at db.ts:12'));
    expect(hidden.code).toBe(ErrorCode.INTERNAL_ERROR);
    expect(hidden.message).not.toContain('hunter2');
    const own = new RoomcastError(ErrorCode.FORBIDDEN, 'Not yours');
    expect(toPublicError(own)).toBe(own);
  });
});
