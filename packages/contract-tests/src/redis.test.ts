import { afterAll, beforeAll } from 'vitest';
import { describeBusContract, describeHistoryContract, describeRoomStoreContract } from './index';
import {
  type RedisBackend,
  redisBusFixture,
  redisHistoryFixture,
  redisRoomStoreFixture,
  startSingleServer,
} from './test-support/redis-backends';

// One redis-server for the file; every fixture uses its own app name (key and channel prefix).
let backend: RedisBackend;
beforeAll(async () => {
  backend = await startSingleServer();
});
afterAll(async () => {
  await backend?.stop();
});

describeHistoryContract(
  'RedisHistory on one redis-server',
  redisHistoryFixture(() => backend),
);
describeRoomStoreContract(
  'RedisRoomStore on one redis-server',
  redisRoomStoreFixture(() => backend),
);
describeBusContract(
  'RedisBus on one redis-server',
  redisBusFixture(() => backend),
);
