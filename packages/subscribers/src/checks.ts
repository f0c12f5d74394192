/**
 * Internal: argument checks shared by the factories, so every misuse fails at definition time
 * with a TypeError that says what to pass, instead of on the first bus message.
 */

export function assertFunction(value: unknown, what: string): void {
  if (typeof value !== 'function') {
    throw new TypeError(`${what} must be a function, got ${typeof value}.`);
  }
}

export function assertPositiveInteger(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${what} must be a positive integer, got ${String(value)}.`);
  }
}

export function assertNonNegativeInteger(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${what} must be an integer of 0 or more, got ${String(value)}.`);
  }
}

export function assertDuration(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${what} must be a number of milliseconds (0 or more), got ${String(value)}.`);
  }
}

/** Handlers may throw anything; hooks and logs are promised an Error. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${String(thrown)}`, {
    cause: thrown,
  });
}

export function assertWindow(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${what} must be a window length in milliseconds above 0, got ${String(value)}.`);
  }
}
