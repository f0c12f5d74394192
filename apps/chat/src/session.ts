import { randomBytes } from 'node:crypto';
import { signToken } from 'roomcast';

export interface Session {
  name: string;
  token: string;
  /** When the token expires (ms since the epoch); the page renews it before then. */
  expiresAt: number;
}

export interface Sessions {
  readonly secret: string;
  sign(name: string): Session;
}

const DEFAULT_TTL_SECONDS = 12 * 60 * 60;

/**
 * Signs login tokens. The secret is CHAT_JWT_SECRET, or a random one put in the environment so
 * that cluster workers (forked with this environment) verify the tokens any worker signed.
 * CHAT_TOKEN_TTL (seconds, default 12 h) is how long a token lives.
 */
export function chatSessions(env: NodeJS.ProcessEnv = process.env): Sessions {
  env.CHAT_JWT_SECRET ??= randomBytes(32).toString('hex');
  const secret = env.CHAT_JWT_SECRET;
  const ttl = Number(env.CHAT_TOKEN_TTL ?? DEFAULT_TTL_SECONDS);
  if (!(Number.isInteger(ttl) && ttl >= 10))
    throw new TypeError(
      `CHAT_TOKEN_TTL must be a whole number of seconds >= 10, got "${env.CHAT_TOKEN_TTL}"`,
    );
  return {
    secret,
    sign: name => ({
      name,
      token: signToken({ sub: name }, { secret, expiresIn: ttl }),
      expiresAt: Date.now() + ttl * 1000,
    }),
  };
}
