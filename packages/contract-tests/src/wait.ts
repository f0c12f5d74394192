import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every 20 ms, at most `timeoutMs`; throws naming `what` when it never holds. */
export async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 5000 && Date.now() < deadline; attempt++) {
    if (await condition()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * How long a suite waits before it believes that something did not happen, where nothing later
 * can prove it (a closed bus has no later message to wait for). Only ever used for absences.
 */
export const QUIET_MS = 250;

export { sleep };

/** Closes each item once, in order, even when one of them fails; rethrows the first failure. */
export async function closeAll(items: Iterable<{ close(): Promise<unknown> }>): Promise<void> {
  let failure: unknown;
  for (const item of items) {
    try {
      await item.close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
