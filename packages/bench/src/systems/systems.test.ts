import { randomBytes } from 'node:crypto';
import { signToken } from '@roomcast/auth';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type SwarmClient } from '../clients';
import { benchMessage } from '../message';
import { type RunningSystem, SYSTEMS, type SystemName, type SystemOptions } from '.';

/**
 * Smoke test only: each adapter starts, delivers one message to a room and one to everybody,
 * and stops. It never measures anything; `pnpm bench` does.
 */

async function receiveOne(system: RunningSystem, token?: string, light = false) {
  const received: unknown[] = [];
  let arrived: () => void = () => {};
  const client = await connectClient(
    system.clientKind,
    {
      url: system.url,
      roomName: 'smoke',
      token,
      onMessage: read => {
        received.push(read());
        arrived();
      },
    },
    light,
  );
  const next = () => new Promise<void>(resolve => (arrived = resolve));
  return { client, received, next };
}

async function expectDelivery(
  sender: RunningSystem,
  receiver: RunningSystem,
  token?: string,
  light = false,
): Promise<void> {
  let client: SwarmClient | undefined;
  try {
    const swarm = await receiveOne(receiver, token, light);
    client = swarm.client;
    const toRoom = swarm.next();
    sender.broadcastToRoom('smoke', benchMessage(1));
    await toRoom;
    const toAll = swarm.next();
    sender.broadcastToAll(benchMessage(2));
    await toAll;
    expect(swarm.received).toMatchObject([
      { type: 'bench', action: 'message', data: { seq: 1 }, room: 'smoke' },
      { type: 'bench', action: 'message', data: { seq: 2 } },
    ]);
  } finally {
    client?.close();
  }
}

describe.each(Object.keys(SYSTEMS) as SystemName[])('%s', name => {
  it('delivers a room broadcast and a broadcast to all, with a JWT', async () => {
    const jwtSecret = randomBytes(16).toString('hex');
    const system = await SYSTEMS[name]({ jwtSecret });
    try {
      await expectDelivery(system, system, signToken({ sub: 'smoke' }, { secret: jwtSecret }));
    } finally {
      await system.stop();
    }
  });

  // Light clients speak JSON Roomcast and Socket.IO: every system but the MessagePack row.
  it.runIf(name !== 'roomcast-msgpack')(
    'delivers to a light client, and refuses one with a bad token',
    async () => {
      const jwtSecret = randomBytes(16).toString('hex');
      const system = await SYSTEMS[name]({ jwtSecret });
      try {
        await expectDelivery(system, system, signToken({ sub: 'smoke' }, { secret: jwtSecret }), true);
        const forged = signToken({ sub: 'smoke' }, { secret: `${jwtSecret}x` });
        await expect(receiveOne(system, forged, true)).rejects.toThrow(/refused|closed/);
      } finally {
        await system.stop();
      }
    },
  );
});

describe.each(['roomcast', 'socket.io', 'ws-preframed', 'ws-preframed-coalesced'] as const)(
  '%s on two nodes and Redis',
  name => {
    let redis: RedisProcess;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis?.stop());

    it('delivers from node 1 to a client on node 2', async () => {
      const options: SystemOptions = { redis: { host: redis.host, port: redis.port, appName: 'smoke' } };
      const origin = await SYSTEMS[name](options);
      const receiving = await SYSTEMS[name](options).catch(async (error: unknown) => {
        await origin.stop();
        throw error;
      });
      try {
        await expectDelivery(origin, receiving);
      } finally {
        await Promise.all([origin.stop(), receiving.stop()]);
      }
    });
  },
);
