import { invalidOptions } from '@roomcast/protocol';
/** `api` of WebApplication: the HTTP publish API, off unless a key is given. */
export interface ApiConfig {
  /** The Bearer key callers send (`Authorization: Bearer <key>`); at least 32 characters. */
  key: string;
  /**
   * How long a request waits for Redis (an append, a publish) before it is answered 503. The
   * message may still go out after that: a caller that retries can send it twice.
   */
  timeoutMs?: number;
}

export interface ResolvedApiOptions {
  key: string;
  timeoutMs: number;
}

export const DEFAULT_API_OPTIONS = Object.freeze({ timeoutMs: 5_000 });

/** Shorter keys can be guessed or brute-forced over HTTP; 32 characters is a UUID's strength. */
export const MIN_API_KEY_LENGTH = 32;

const WHERE = 'WebApplication';

/** Checks `api` at construction: a missing, short or odd key is a TypeError that says what to do. */
export function resolveApiOptions(api: ApiConfig | undefined): ResolvedApiOptions | undefined {
  if (api === undefined) return undefined;
  if (typeof api !== 'object' || api === null) {
    throw invalidOptions(WHERE, [`api must be { key } (a secret of ${MIN_API_KEY_LENGTH}+ characters)`]);
  }
  if (typeof api.key !== 'string' || api.key.length < MIN_API_KEY_LENGTH) {
    throw invalidOptions(WHERE, [
      `api.key must be a secret of at least ${MIN_API_KEY_LENGTH} characters, e.g. from \`openssl rand -hex 32\`; got ${typeof api.key === 'string' ? `${api.key.length} characters` : typeof api.key}`,
    ]);
  }
  const timeoutMs = api.timeoutMs ?? DEFAULT_API_OPTIONS.timeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw invalidOptions(WHERE, [
      `api.timeoutMs must be a positive number of milliseconds; got ${timeoutMs}`,
    ]);
  }
  return { key: api.key, timeoutMs };
}
