/** `admin: { password }`: the dashboard under `path`, behind HTTP Basic. Off by default. */
export interface AdminConfig {
  /** At least 12 characters; never logged. */
  password: string;
  /** Default 'admin'. */
  username?: string;
  /** Where the page and its JSON are served. Default '/admin'. */
  path?: string;
  /** How long a cluster read waits for the other nodes to answer. Default 1500 ms. */
  timeoutMs?: number;
}

export interface ResolvedAdminOptions {
  username: string;
  password: string;
  path: string;
  timeoutMs: number;
}

export const MIN_ADMIN_PASSWORD_LENGTH = 12;
const WHERE = 'WebApplication admin';

/** Checks `admin` at construction, so a weak password stops the app before it listens. */
export function resolveAdminOptions(config: AdminConfig | undefined): ResolvedAdminOptions | undefined {
  if (config === undefined) return undefined;
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(`${WHERE}: pass { password: process.env.ADMIN_PASSWORD } (12+ characters).`);
  }
  const { password, username = 'admin', path = '/admin', timeoutMs = 1_500 } = config;
  // The message never repeats the password: it is checked, not shown.
  if (typeof password !== 'string' || password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new TypeError(
      `${WHERE}: password must be a string of at least ${MIN_ADMIN_PASSWORD_LENGTH} characters (it guards disconnecting clients).`,
    );
  }
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw new TypeError(`${WHERE}: username must be a non-empty string without ':' (HTTP Basic).`);
  }
  if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path === '/') {
    throw new TypeError(`${WHERE}: path must be a URL path such as '/admin'; got "${String(path)}".`);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 30_000) {
    throw new TypeError(`${WHERE}: timeoutMs must be a whole number from 100 to 30000; got ${timeoutMs}.`);
  }
  return { username, password, path: path.replace(/\/+$/, ''), timeoutMs };
}
