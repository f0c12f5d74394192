import {
  anyObjectOption,
  arrayOption,
  booleanOption,
  numberOption,
  objectOption,
  stringOption,
} from '@roomcast/protocol';
import type { ConnectRedisOptions } from './connect';
import { REDIS_CONNECTION_SCHEMA } from './connection-schema';
import type { EmitterOptions } from './emitter';
import type { RedisBusOptions } from './redis-bus-options';
import type { RedisHistoryOptions } from './redis-history';
import type { RedisRoomStoreOptions } from './redis-room-store';

// The options of each public constructor, described once; each is checked before anything is
// opened, so a misspelt key is an error that names it instead of a default used in silence.
const milliseconds = numberOption(
  'a positive whole number of milliseconds',
  value => Number.isSafeInteger(value) && value > 0,
);
const client = anyObjectOption;
const connection = REDIS_CONNECTION_SCHEMA;
const prefix = stringOption;
const appName = stringOption;
const sharded = booleanOption;
const logger = anyObjectOption;

export const REDIS_BUS_OPTIONS_SCHEMA = objectOption<RedisBusOptions>({
  publisher: client,
  subscriber: client,
  connection,
  prefix,
  appName,
  maxPendingPublishes: numberOption(
    'a whole number >= 0',
    value => Number.isSafeInteger(value) && value >= 0,
  ),
  sharded,
  logger,
});

export const REDIS_ROOM_STORE_OPTIONS_SCHEMA = objectOption<RedisRoomStoreOptions>({
  client,
  connection,
  prefix,
  appName,
  nodeTtlMs: milliseconds,
  heartbeatMs: milliseconds,
  sweepMs: milliseconds,
  logger,
});

export const REDIS_HISTORY_OPTIONS_SCHEMA = objectOption<RedisHistoryOptions>({
  client,
  connection,
  prefix,
  appName,
  busPrefix: stringOption,
  offsetTtlMs: milliseconds,
  idempotencyTtlMs: milliseconds,
  sharded,
});

export const EMITTER_OPTIONS_SCHEMA = objectOption<EmitterOptions>({
  client,
  connection,
  prefix,
  appName,
  rooms: objectOption<NonNullable<EmitterOptions['rooms']>>({ patterns: arrayOption(anyObjectOption) }),
  sharded,
  offsetTtlMs: milliseconds,
  logger,
  origin: stringOption,
});

export const CONNECT_REDIS_OPTIONS_SCHEMA = objectOption<ConnectRedisOptions>({
  timeoutMs: numberOption('a positive number of milliseconds', value => value > 0 && value < Infinity),
  logger,
});
