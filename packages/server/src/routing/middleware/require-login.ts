import { type Authenticator, ErrorCode, RoomcastError, SystemRoute } from '@roomcast/protocol';
import { type Middleware, passesThrough } from './compose';
import type { PipelineContext } from './pipeline-context';

/**
 * With `authenticator.required` and no token at the upgrade, a client's only route is `auth.login`
 * until it has logged in: anything else is answered `UNAUTHORIZED`. Runs before every other route
 * middleware, so app middleware always sees a signed-in client on such a server.
 *
 * @example
 * const gate = requireLoginMiddleware(authenticator);
 */
export function requireLoginMiddleware(
  authenticator: Authenticator | undefined,
): Middleware<PipelineContext> {
  const { type, action } = SystemRoute.authLogin;
  const required = authenticator?.required === true;
  return passesThrough<Middleware<PipelineContext>>(function requireLogin(ctx, next) {
    if (required && ctx.client.user === undefined && !(ctx.type === type && ctx.action === action)) {
      throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'Send auth.login with a token first');
    }
    return next();
  });
}
