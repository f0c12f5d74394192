const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On the first SIGTERM or SIGINT: runs `stop`, then raises the same signal again with no handler
 * left, so the process ends the way its supervisor expects (exit by signal) after a graceful stop.
 * Returns a function that removes the handlers.
 */
export function installSignalHandlers(stop: () => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    void stop()
      .catch(() => {})
      .finally(() => process.kill(process.pid, signal));
  };
  const remove = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return remove;
}
