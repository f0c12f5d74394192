// Issue 19 point 5: an emitter typed by the app's PushMap refuses a wrong push at compile time
// (`pnpm typecheck` checks every `@ts-expect-error`); the untyped default takes any frame.
import { describe, expectTypeOf, it } from 'vitest';
import type { Emitter } from './bus-emitter';
import { createEmitter } from './emitter';

type Pushes = { job: { done: { jobId: number }; progress: { jobId: number; percent: number } } };

/** Never called: its body is what the compiler checks. */
async function typed(emitter: Emitter<Pushes>) {
  await emitter.broadcastToRoom({
    roomName: 'jobs',
    data: { type: 'job', action: 'done', data: { jobId: 1 } },
  });
  const withoutPercent = { type: 'job', action: 'progress', data: { jobId: 1 } } as const;
  // @ts-expect-error percent is missing
  await emitter.broadcastToRoom({ roomName: 'jobs', data: withoutPercent });
  // @ts-expect-error not a push of this map
  await emitter.broadcastToUsers({ userIds: ['u1'], data: { type: 'job', action: 'failed', data: {} } });
  // @ts-expect-error jobId is a number
  await emitter.broadcastToClients(['c1'], { type: 'job', action: 'done', data: { jobId: 'x' } });
  await emitter.sendMessageToAll({
    data: { type: 'job', action: 'progress', data: { jobId: 1, percent: 50 } },
  });
}

async function untyped(emitter: Emitter) {
  await emitter.broadcastToAllClients({ data: 'anything' });
}

describe('typed pushes on the emitter', () => {
  it('take the PushMap from createEmitter<Pushes>()', () => {
    expectTypeOf(createEmitter<Pushes>).returns.toEqualTypeOf<Emitter<Pushes>>();
    expectTypeOf(typed).toBeFunction();
    expectTypeOf(untyped).toBeFunction();
  });
});
