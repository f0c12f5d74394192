import { ErrorCode } from '@roomcast/protocol';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

describe('system.presence', () => {
  it("lists a room's members to its members only", async () => {
    const { connect } = await start({
      // Anonymous clients may not join 'staff': they must not list it either.
      rooms: { authorizeJoin: ({ roomName }) => roomName !== 'staff' },
    });
    const [member, outsider] = [await connect(), await connect()];
    expect(
      (await member.request('system', 'joinRoom', { roomName: 'lobby', username: 'ann' })).response,
    ).toMatchObject({ success: true });
    expect((await outsider.request('system', 'joinRoom', { roomName: 'staff' })).error).toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });

    expect((await member.request('system', 'presence', { roomName: 'lobby' })).response).toEqual({
      roomName: 'lobby',
      count: 1,
      members: [{ clientId: member.clientId, userId: null, username: 'ann' }],
      nextCursor: null,
    });
    const refused = await outsider.request('system', 'presence', { roomName: 'lobby' });
    expect(refused).toMatchObject({
      type: 'system',
      action: 'presence',
      error: { code: ErrorCode.FORBIDDEN },
    });
    expect(JSON.stringify(refused)).not.toContain(member.clientId);
    expect((await outsider.request('system', 'presence', { roomName: 'staff' })).error).toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });

    // Leaving ends it.
    await member.request('system', 'leaveRoom', { roomName: 'lobby' });
    expect((await member.request('system', 'presence', { roomName: 'lobby' })).error).toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
  });
});
