export type {
  BusEmitterOptions,
  EmitToRoomOptions,
  EmitToUsersOptions,
  EmittedRoomMessage,
  Emitter,
} from './bus-emitter';
export { createBusEmitter } from './bus-emitter';
export type {
  RedisClient,
  RedisClusterConnection,
  RedisClusterNode,
  RedisConnection,
  RedisUrlConnection,
} from './clients';
export type { CommandClientOptions } from './command-client';
export type { ConnectRedisOptions, RedisConnections } from './connect';
export { connectRedis, DEFAULT_CONNECT_REDIS_OPTIONS } from './connect';
export { REDIS_CONNECTION_SCHEMA } from './connection-schema';
export type { EmitterOptions } from './emitter';
export { createEmitter } from './emitter';
export { defaultPrefix } from './keys';
export {
  CONNECT_REDIS_OPTIONS_SCHEMA,
  EMITTER_OPTIONS_SCHEMA,
  REDIS_BUS_OPTIONS_SCHEMA,
  REDIS_HISTORY_OPTIONS_SCHEMA,
  REDIS_ROOM_STORE_OPTIONS_SCHEMA,
} from './options-schemas';
export type { RedisBusStats } from './redis-bus';
export { RedisBus } from './redis-bus';
export type { RedisBusOptions } from './redis-bus-options';
export { DEFAULT_REDIS_BUS_OPTIONS } from './redis-bus-options';
export type { RedisHistoryOptions } from './redis-history';
export { DEFAULT_REDIS_HISTORY_OPTIONS, RedisHistory } from './redis-history';
export type { RedisRoomStoreOptions } from './redis-room-store';
export { DEFAULT_REDIS_ROOM_STORE_OPTIONS, RedisRoomStore } from './redis-room-store';
