// The login session: POST /api/login, kept in sessionStorage so a reload (same tab) stays signed
// in, and renewed over the WebSocket (session.renew, then auth.refresh) before the token expires.
const KEY = 'chat.session';
/** Renew when this share of the token's remaining life is left. */
const RENEW_AT = 0.5;

/** The stored session, if its token still has a few seconds to live. */
export function savedSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return session && session.expiresAt - Date.now() > 5_000 ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function forgetSession() {
  sessionStorage.clear();
}

/** Signs in as `name`; throws an Error whose message the page can show as it is. */
export async function login(name) {
  let response;
  try {
    response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
  } catch {
    throw new Error('Cannot reach the chat server. Check your connection and try again.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `Login failed (HTTP ${response.status})`);
  saveSession(body);
  return body;
}

/**
 * Keeps the session's token fresh: at half its remaining life, asks the server for a new one and
 * hands it to auth.refresh, so the connection is never closed for an expired token. Offline, it
 * tries again a little later. Returns a function that stops it.
 */
export function keepFresh(client, session, onRenewed) {
  let timer;
  const schedule = delayMs => {
    clearTimeout(timer);
    timer = setTimeout(renew, Math.max(1_000, delayMs));
  };
  const renew = async () => {
    try {
      const fresh = await client.request('session', 'renew');
      await client.request('auth', 'refresh', { token: fresh.token });
      Object.assign(session, fresh);
      saveSession(session);
      onRenewed?.(session);
      schedule((session.expiresAt - Date.now()) * RENEW_AT);
    } catch {
      schedule(3_000);
    }
  };
  schedule((session.expiresAt - Date.now()) * RENEW_AT);
  return () => clearTimeout(timer);
}
