import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Milliseconds on the monotonic clock. `process.hrtime` reads CLOCK_MONOTONIC, which every
 * process on the machine shares, so a timestamp taken in the server process can be compared
 * with one taken in a client swarm process (latency across processes).
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Rejects with a message naming `what` when `promise` has not settled within `timeoutMs`. */
export async function within<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the monotonic clock reaches `atMs` (already past: returns at once). */
export async function sleepUntil(atMs: number): Promise<void> {
  const wait = atMs - nowMs();
  if (wait > 0) await sleep(wait);
}
