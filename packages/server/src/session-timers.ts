const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Per-client timers for auth: token expiry (close 4001 at `exp`) and the `auth.login` deadline.
 * All are unref'd and cleared on disconnect and stop, so they never keep a process alive.
 */
export class SessionTimers {
  readonly #expiry = new Map<string, NodeJS.Timeout>();
  readonly #login = new Map<string, NodeJS.Timeout>();

  /** Runs `onExpired` at `expiresAt` (ms since epoch), replacing an earlier expiry of the client. */
  expireAt(clientId: string, expiresAt: number, onExpired: () => void): void {
    this.#set(this.#expiry, clientId, expiresAt - Date.now(), onExpired);
  }

  /** The client's new token does not expire: forget the old token's expiry. */
  neverExpire(clientId: string): void {
    clearTimeout(this.#expiry.get(clientId));
    this.#expiry.delete(clientId);
  }

  loginDeadline(clientId: string, ms: number, onMissed: () => void): void {
    this.#set(this.#login, clientId, ms, onMissed);
  }

  loggedIn(clientId: string): void {
    clearTimeout(this.#login.get(clientId));
    this.#login.delete(clientId);
  }

  clear(clientId: string): void {
    this.loggedIn(clientId);
    this.neverExpire(clientId);
  }

  clearAll(): void {
    for (const timer of [...this.#expiry.values(), ...this.#login.values()]) clearTimeout(timer);
    this.#expiry.clear();
    this.#login.clear();
  }

  #set(timers: Map<string, NodeJS.Timeout>, clientId: string, ms: number, run: () => void): void {
    clearTimeout(timers.get(clientId));
    // setTimeout fires at once past 2^31-1 ms (~24.8 days): wait that long, then set the rest.
    const step = Math.min(Math.max(ms, 0), MAX_TIMEOUT_MS);
    const timer = setTimeout(() => {
      if (ms > MAX_TIMEOUT_MS) return this.#set(timers, clientId, ms - MAX_TIMEOUT_MS, run);
      timers.delete(clientId);
      run();
    }, step);
    timer.unref();
    timers.set(clientId, timer);
  }
}
