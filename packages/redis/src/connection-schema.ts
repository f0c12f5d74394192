import {
  anyObjectOption,
  anyOption,
  arrayOption,
  booleanOption,
  functionOption,
  numberOption,
  objectOption,
  pickOption,
  requiredOption,
  stringOption,
} from '@roomcast/protocol';
import type { RedisOptions } from 'ioredis';
import type { RedisClusterConnection, RedisClusterNode, RedisUrlConnection } from './clients';

const port = numberOption(
  'a whole number from 1 to 65535',
  value => Number.isInteger(value) && value > 0 && value < 65_536,
);
const wholeNumber = numberOption('a whole number >= 0', value => Number.isInteger(value) && value >= 0);

/**
 * Every key ioredis's `RedisOptions` has (5.x): they go to ioredis untouched, so a key that is
 * not one of them (`hots`) would be dropped silently and the client would connect to
 * 127.0.0.1:6379 instead. The ones a user writes most get their types; ioredis checks the rest.
 */
const IOREDIS_OPTIONS = objectOption<RedisOptions>({
  host: stringOption,
  port,
  path: stringOption,
  family: numberOption(),
  username: stringOption,
  password: stringOption,
  db: wholeNumber,
  name: stringOption,
  tls: anyObjectOption,
  keyPrefix: stringOption,
  lazyConnect: booleanOption,
  connectTimeout: wholeNumber,
  commandTimeout: wholeNumber,
  maxRetriesPerRequest: anyOption,
  retryStrategy: functionOption,
  reconnectOnError: anyOption,
  enableOfflineQueue: booleanOption,
  enableReadyCheck: booleanOption,
  connectionName: stringOption,
  sentinels: arrayOption(anyObjectOption),
  role: anyOption,
  Connector: anyOption,
  blockingTimeout: anyOption,
  blockingTimeoutGrace: anyOption,
  socketTimeout: anyOption,
  keepAlive: anyOption,
  noDelay: anyOption,
  disableClientInfo: anyOption,
  clientInfoTag: anyOption,
  autoResubscribe: anyOption,
  autoResendUnfulfilledCommands: anyOption,
  stringNumbers: anyOption,
  monitor: anyOption,
  maxLoadingRetryTime: anyOption,
  enableAutoPipelining: anyOption,
  autoPipeliningIgnoredCommands: anyOption,
  offlineQueue: anyOption,
  commandQueue: anyOption,
  scripts: anyOption,
  showFriendlyErrorStack: anyOption,
  sentinelUsername: anyOption,
  sentinelPassword: anyOption,
  sentinelRetryStrategy: anyOption,
  sentinelReconnectStrategy: anyOption,
  preferredSlaves: anyOption,
  disconnectTimeout: anyOption,
  sentinelCommandTimeout: anyOption,
  enableTLSForSentinelMode: anyOption,
  sentinelTLS: anyOption,
  natMap: anyOption,
  updateSentinels: anyOption,
  sentinelMaxConnections: anyOption,
  failoverDetector: anyOption,
  readOnly: anyOption,
});

const URL_CONNECTION = objectOption<RedisUrlConnection>({
  url: requiredOption(stringOption),
  // Extra ioredis options beside a URL: any ioredis key, so not held to the list above.
  options: anyObjectOption,
});

const CLUSTER_CONNECTION = objectOption<RedisClusterConnection>({
  cluster: requiredOption(
    arrayOption(
      objectOption<RedisClusterNode>({ host: requiredOption(stringOption), port: requiredOption(port) }),
    ),
  ),
  password: stringOption,
  username: stringOption,
  options: anyObjectOption,
});

/**
 * How to reach Redis (`RedisConnection`): `{ url }`, `{ cluster: [...] }`, or ioredis options
 * checked against ioredis's own keys, so `{ hots: 'redis' }` is refused with "did you mean host?".
 */
export const REDIS_CONNECTION_SCHEMA = pickOption(
  '{ host, port }, { url } or { cluster: [{ host, port }] }',
  value => {
    const keys = typeof value === 'object' && value !== null ? value : {};
    if ('cluster' in keys) return CLUSTER_CONNECTION;
    return 'url' in keys ? URL_CONNECTION : IOREDIS_OPTIONS;
  },
);
