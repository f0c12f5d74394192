// Issue 19 point 8: the primary backs off while workers crash-loop and gives up on a slot after
// `maxEarlyDeaths` early deaths in a row; a worker that lived past `stableMs` is replaced at once.
// Real forks of a real worker script (test-fixtures/short-lived-worker.mjs).
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterPrimary, type RestartPolicy } from './cluster-primary';

const WORKER = fileURLToPath(new URL('../test-fixtures/short-lived-worker.mjs', import.meta.url));

function recordingLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object | string, msg?: string) =>
    void lines.push({
      level,
      obj: typeof obj === 'string' ? {} : (obj as Record<string, unknown>),
      msg: msg ?? '',
    });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

let primary: ClusterPrimary | undefined;
afterEach(async () => {
  await primary?.stop();
  primary = undefined;
});

function start(liveMs: number, restart: RestartPolicy) {
  cluster.setupPrimary({ exec: WORKER });
  process.env.LIVE_MS = String(liveMs);
  const { lines, logger } = recordingLogger();
  primary = new ClusterPrimary({ workers: 1, logger, restart, stopTimeoutMs: 2_000 });
  return { lines, started: primary.start() };
}

describe('ClusterPrimary restarts', () => {
  it('doubles the pause while a worker crash-loops, then stops restarting it', async () => {
    const { lines, started } = start(20, {
      initialDelayMs: 20,
      maxDelayMs: 60,
      stableMs: 10_000,
      maxEarlyDeaths: 4,
    });
    await started;
    await expect.poll(() => lines.some(line => line.level === 'error'), { timeout: 30_000 }).toBe(true);
    const restarts = lines.filter(line => line.msg === 'worker died; starting another');
    expect(restarts.map(line => line.obj.delayMs)).toEqual([20, 40, 60]);
    expect(lines.filter(line => line.level === 'error').map(line => line.msg)).toEqual([
      'worker died 4 times in a row within 10000 ms of starting; not restarting it',
    ]);
    await expect.poll(() => primary?.size, { timeout: 5_000 }).toBe(0);
  });

  it('replaces a worker that lived past stableMs after the first pause, every time', async () => {
    // Lives 1 s, stable after 0.1 s: a wide margin for a busy machine's IPC.
    const { lines, started } = start(1_000, {
      initialDelayMs: 20,
      maxDelayMs: 60,
      stableMs: 100,
      maxEarlyDeaths: 2,
    });
    await started;
    const restarts = () => lines.filter(line => line.msg === 'worker died; starting another');
    await expect.poll(() => restarts().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(restarts().map(line => line.obj.delayMs)).toEqual(restarts().map(() => 20));
    expect(lines.some(line => line.level === 'error')).toBe(false);
  });
});
