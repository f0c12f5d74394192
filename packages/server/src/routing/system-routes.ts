import { SystemRoute } from '@roomcast/protocol';
import { type AuthRouteDeps, registerAuthRoutes } from '../connection/auth-routes';
import { type RoomRouteDeps, registerRoomRoutes } from '../rooms/room-routes';
import type { Router } from './router';

export type SystemRouteDeps = RoomRouteDeps & AuthRouteDeps;

/** The built-in routes of SPEC section 2: rooms, auth and `system.ping`. */
export function registerSystemRoutes(router: Router, deps: SystemRouteDeps): void {
  registerRoomRoutes(router, deps);
  registerAuthRoutes(router, deps);
  router.add({ ...SystemRoute.ping, source: 'system', handler: () => 'pong' });
}
