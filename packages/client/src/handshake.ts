import { ErrorCode, isRoomcastError, type JoinRoomReply, SystemRoute } from '@roomcast/protocol';
import type { ResolvedClientOptions } from './options';
import type { RoomTracker } from './room-tracker';

type Route = { type: string; action: string };

export interface HandshakeSteps {
  getToken: ResolvedClientOptions['getToken'];
  rooms: RoomTracker;
  /** A request on the new connection, ahead of the offline queue. */
  call(route: Route, data: unknown): Promise<unknown>;
  /** A room that could not be rejoined (it is forgotten); the handshake goes on. */
  onRoomError(error: Error): void;
}

/**
 * What a new connection does after `system.connected`, before the client counts as connected:
 * `auth.login` with a fresh token (when `getToken` gives one), then every room rejoined with
 * `{ since, epoch }` so the server replays what was missed. Rejects when the login is refused,
 * or when the connection cannot carry the rejoins (DISCONNECTED, TIMEOUT).
 */
export async function handshake(steps: HandshakeSteps): Promise<void> {
  const token = await steps.getToken?.();
  if (token) await steps.call(SystemRoute.authLogin, { token });
  const { rooms } = steps;
  const rejoin = async (roomName: string): Promise<void> => {
    try {
      const reply = (await steps.call(SystemRoute.joinRoom, rooms.rejoinData(roomName))) as JoinRoomReply;
      rooms.rejoined(roomName, reply);
    } catch (error) {
      if (
        isRoomcastError(error) &&
        (error.code === ErrorCode.DISCONNECTED || error.code === ErrorCode.TIMEOUT)
      )
        throw error;
      rooms.left(roomName);
      steps.onRoomError(error as Error);
    }
  };
  await Promise.all(rooms.names().map(rejoin));
}
