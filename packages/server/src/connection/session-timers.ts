const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A timer for a client's session (token expiry, the `auth.login` deadline), unref'd so it never
 * keeps a process alive. setTimeout fires at once past 2^31-1 ms (~24.8 days), so a longer wait
 * is set in steps; `store` gets each step's timer, which is the one to clear.
 */
export function setLongTimeout(ms: number, run: () => void, store: (timer: NodeJS.Timeout) => void): void {
  const step = Math.min(Math.max(ms, 0), MAX_TIMEOUT_MS);
  const timer = setTimeout(() => {
    if (ms > MAX_TIMEOUT_MS) setLongTimeout(ms - MAX_TIMEOUT_MS, run, store);
    else run();
  }, step);
  timer.unref();
  store(timer);
}
