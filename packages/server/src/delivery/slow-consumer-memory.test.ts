import { fork } from 'node:child_process';
import { DEFAULT_LIMITS } from '@roomcast/protocol';
import { BROADCAST_NODE } from '@roomcast/test-support/child-processes';
import { expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';

vi.setConfig({ testTimeout: 180_000 });

/** The built package (what users run), not this source: the child process is plain Node. */
const SERVER_MODULE = new URL('../../dist/index.js', import.meta.url).href;
const BYTES = 10 * 1024;

/**
 * A bare `ws` client that only counts the `bulk` frames it gets (no parsing, nothing kept, so it
 * reads as fast as a client can) and resolves when it has `count` of them.
 */
async function counter(url: string) {
  const ws = new WebSocket(url);
  const closed = new Promise<number>(resolve => ws.once('close', code => resolve(code)));
  await new Promise(resolve => ws.once('open', resolve));
  let received = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  ws.on('message', raw => {
    if ((raw as Buffer)[9] !== 0x62) return; // {"type":"b…: a bulk frame
    received++;
    for (const waiter of waiters) if (received >= waiter.count) waiter.resolve();
  });
  return {
    ws,
    closed,
    get received() {
      return received;
    },
    reach: (count: number) =>
      new Promise<void>(resolve => (received >= count ? resolve() : waiters.push({ count, resolve }))),
  };
}

it('keeps the server’s memory bounded while a reader stalls through 20 MB of broadcasts', async () => {
  // The server runs on the built package in its own process, so its RSS is its own.
  const child = fork(BROADCAST_NODE, [SERVER_MODULE], {
    execArgv: ['--expose-gc', '--max-semi-space-size=1'],
  });
  const replies: Record<string, unknown>[] = [];
  child.on('message', message => replies.push(message as Record<string, unknown>));
  const reply = async (key: string, nth = 1) => {
    await vi.waitFor(() => expect(replies.filter(r => key in r).length).toBeGreaterThanOrEqual(nth), {
      timeout: 120_000,
    });
    return replies.filter(r => key in r)[nth - 1]?.[key];
  };
  try {
    const url = (await reply('url')) as string;
    const [fastCount, warmCount] = [await counter(url), await counter(url)];
    // Fails at once, not at the timeout, if the reading client is ever taken for a slow one.
    const fastClosed = fastCount.closed.then(code => {
      throw new Error(`the reading client was closed (${code})`);
    });
    const fastReaches = (count: number) => Promise.race([fastCount.reach(count), fastClosed]);

    // Warm up with two clients reading (30 MB each), so the heap and buffers reach their working
    // size before the baseline is taken.
    const warmup = 3_000;
    child.send({ broadcast: { count: warmup, bytes: BYTES, pace: 'every' } });
    await Promise.all([reply('done', 1), warmCount.reach(warmup), fastReaches(warmup)]);
    warmCount.ws.close();
    await warmCount.closed;

    // The stalled client is a new one that never reads. One that had read 30 MB would have a
    // receive window grown by the kernel (tcp_rmem allows 32 MB on some machines) that could
    // swallow all 20 MB without the server ever seeing a backlog. ws.pause(), not its socket's:
    // ws resumes the socket by itself when its parser drains.
    const stalled = await counter(url);
    stalled.ws.pause();
    const count = 2_000; // 20 MB
    child.send({ broadcast: { count, bytes: BYTES, pace: 'fastest' } });
    const done = (await reply('done', 2)) as { baselineRss: number; peakRss: number; dropped: number };
    const { baselineRss, peakRss } = done;
    await fastReaches(warmup + count);
    expect(fastCount.received).toBe(warmup + count);
    expect(peakRss - baselineRss).toBeLessThan(DEFAULT_LIMITS.maxBufferedBytes * 2);
    stalled.ws.resume();
    // 4009 if it reads its close frame within the server's grace time; 1006 once the server has
    // destroyed the socket of a client that could not (it sits behind 4 MiB of unread frames).
    expect([4009, 1006]).toContain(await stalled.closed);
    fastCount.ws.close();
  } finally {
    child.kill();
  }
});
