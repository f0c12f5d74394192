import { afterAll, beforeAll } from 'vitest';
import { describeBusContract, describeHistoryContract, describeRoomStoreContract } from './index';
import {
  type RedisBackend,
  redisBusFixture,
  redisHistoryFixture,
  redisRoomStoreFixture,
  startCluster,
} from './test-support/redis-backends';

// One 3-master Redis Cluster for the file (starting one costs seconds); every fixture uses its
// own app name, so rooms spread over the shards and tests never share a key or a channel.
let backend: RedisBackend;
beforeAll(async () => {
  backend = await startCluster();
});
afterAll(async () => {
  await backend?.stop();
});

describeHistoryContract(
  'RedisHistory on a 3-master Redis Cluster',
  redisHistoryFixture(() => backend),
);
describeRoomStoreContract(
  'RedisRoomStore on a 3-master Redis Cluster',
  redisRoomStoreFixture(() => backend),
);
describeBusContract(
  'RedisBus on a 3-master Redis Cluster',
  redisBusFixture(() => backend),
);
