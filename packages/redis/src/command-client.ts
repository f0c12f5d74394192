import { createHash } from 'node:crypto';
import {
  checkConnection,
  createClient,
  isRedisClient,
  type RedisClient,
  type RedisConnection,
} from './clients';

export interface CommandClientOptions {
  /** The caller's client (a single server or a Cluster); left open on close. */
  client?: RedisClient;
  /** Instead of `client`: how to reach Redis; a client is then opened and owned. */
  connection?: RedisConnection;
}

/** Picks the caller's client or opens one; a TypeError says what to pass otherwise. */
export function resolveCommandClient(
  owner: string,
  options: CommandClientOptions,
): { client: RedisClient; owned: boolean } {
  if (options.client !== undefined && options.connection !== undefined) {
    throw new TypeError(`${owner}: pass either client or connection, not both.`);
  }
  if (options.client !== undefined) {
    if (!isRedisClient(options.client)) {
      throw new TypeError(`${owner}: client must be an ioredis Redis or Cluster client.`);
    }
    if (options.client.options.keyPrefix) {
      // The scripts build some key names from ARGV, which ioredis would not prefix.
      throw new TypeError(`${owner}: the client has ioredis keyPrefix set; use the prefix option instead.`);
    }
    return { client: options.client, owned: false };
  }
  if (options.connection !== undefined) {
    return { client: createClient(checkConnection(owner, options.connection), 'commands'), owned: true };
  }
  throw new TypeError(
    `${owner}: pass client (an ioredis Redis or Cluster) or connection ({ host, port } | { url } | { cluster }).`,
  );
}

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

export function defineScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * EVALSHA, falling back to EVAL when the server does not know the script yet (first use, or a
 * restarted server's empty script cache). The caller's client is not given new commands
 * (defineCommand would add methods to it). On a Cluster every key must share one slot.
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}
