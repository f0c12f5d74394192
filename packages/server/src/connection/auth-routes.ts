import {
  type Authenticator,
  type AuthUser,
  ErrorCode,
  RoomcastError,
  SystemRoute,
  sameUserId,
} from '@roomcast/protocol';
import type { Router } from '../routing/router';
import { type ClientRegistry, clientOf } from './client-registry';
import type { Connection } from './connection';

export interface AuthRouteDeps {
  clients: ClientRegistry;
  authenticator: Authenticator | undefined;
  /** Makes a verified user the client's identity (timers, frames, index). */
  signIn: (client: Connection, user: AuthUser) => void;
}

/** `auth.login` (first-message auth) and `auth.refresh` (a new token for the same user). */
export function registerAuthRoutes(router: Router, { clients, authenticator, signIn }: AuthRouteDeps): void {
  const verify = async (data: unknown): Promise<AuthUser> => {
    if (!authenticator) throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'This server has no authentication');
    const token = typeof data === 'object' && data !== null ? (data as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token === '')
      throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'token is required');
    return authenticator.verify(token);
  };
  router.add({
    ...SystemRoute.authLogin,
    source: 'system',
    handler: async function login(_ws, clientId, data) {
      const client = clientOf(clients, clientId);
      if (client.user)
        throw new RoomcastError(ErrorCode.FORBIDDEN, 'Already authenticated; use auth.refresh');
      const user = await verify(data);
      signIn(client, user);
      return { success: true, userId: user.userId };
    },
  });
  router.add({
    ...SystemRoute.authRefresh,
    source: 'system',
    handler: async function refresh(_ws, clientId, data) {
      const client = clientOf(clients, clientId);
      const user = await verify(data);
      if (client.user && !sameUserId(client.user.userId, user.userId)) {
        // Refused, and the connection keeps the identity it had.
        throw new RoomcastError(ErrorCode.FORBIDDEN, 'A refresh token must be for the same user');
      }
      signIn(client, user);
      return { success: true, userId: user.userId, expiresAt: user.expiresAt ?? null };
    },
  });
}
