import type { Logger } from '@roomcast/protocol';

// Per process, not per server: every connection of a misconfigured app would repeat it.
let warned = false;

/**
 * A token (`?token=` or `Authorization: Bearer`) sent to a server without an authenticator is
 * ignored and the client is anonymous, which looks like auth working until someone checks
 * `client.user`. Says so once per process, naming the fix; the token itself is never logged.
 */
export function warnIgnoredToken(token: string | undefined, logger: Logger): void {
  if (token === undefined || warned) return;
  warned = true;
  logger.warn(
    { fix: 'auth.jwtSecretKey' },
    'A client sent a token, but this server has no authenticator: the token is ignored and the ' +
      'client is anonymous. Set auth.jwtSecretKey in WebApplication (or pass `authenticator` to ' +
      'WebSocketServer) to verify tokens. (Logged once per process.)',
  );
}
