import type { Authenticator, AuthUser } from '@roomcast/protocol';
import { RawClient } from '@roomcast/test-support/raw-client';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

vi.setConfig({ testTimeout: 60_000 });

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

const raws: RawClient[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.destroy();
});

/**
 * An Authenticator over a fixed table of tokens: the upgrade gate is what is under test here,
 * the JWT one has its own suite in @roomcast/auth.
 */
function tableAuthenticator(
  users: Record<string, string>,
  { required = true, loginTimeoutMs = 0 } = {},
): Authenticator & { release: () => void; hold: () => void } {
  let held: Promise<void> | undefined;
  let release = () => {};
  return {
    required,
    loginTimeoutMs,
    async verify(token: string): Promise<AuthUser> {
      await held;
      if (token === 'not-an-error') throw 'a string, not an Error';
      const userId = users[token];
      if (userId === undefined) throw new Error('unknown token');
      return { userId, payload: {} };
    },
    hold() {
      held = new Promise(resolve => {
        release = resolve;
      });
    },
    release: () => release(),
  };
}

/** The HTTP status of an upgrade to `url` with `headers`, and the client if it was accepted. */
async function upgrade(url: string, headers: Record<string, string> = {}) {
  try {
    const client = await RawClient.upgrade(url, headers);
    raws.push(client);
    return { status: 101, client };
  } catch (error) {
    const status = Number(/ (\d{3}) /.exec((error as Error).message)?.[1]);
    return { status, client: undefined };
  }
}

const rejected = (server: WebSocketServer) =>
  Number(/^roomcast_upgrades_rejected_total(?:\{[^}]*\})? (\d+)$/m.exec(server.metrics())?.[1]);

describe('the upgrade gate', () => {
  it('refuses a client without a token with 401 when auth is required and no login is allowed', async () => {
    const { server, url } = await start({ authenticator: tableAuthenticator({ t1: 'u1' }) });
    expect((await upgrade(url)).status).toBe(401);
    expect(rejected(server)).toBe(1);
    expect((await upgrade(`${url}?token=t1`)).status).toBe(101);
    expect(rejected(server)).toBe(1);
  });

  it('lets a client without a token in when it may still log in, or when auth is optional', async () => {
    const loginLater = await start({
      authenticator: tableAuthenticator({}, { loginTimeoutMs: 5_000 }),
    });
    expect((await upgrade(loginLater.url)).status).toBe(101);
    const optional = await start({ authenticator: tableAuthenticator({}, { required: false }) });
    expect((await upgrade(optional.url)).status).toBe(101);
    expect(rejected(optional.server)).toBe(0);
  });

  it('takes the token from Authorization: Bearer, trimmed; a blank one is no token', async () => {
    const { server, url } = await start({ authenticator: tableAuthenticator({ t1: 'u1' }) });
    const { status, client } = await upgrade(url, { Authorization: 'Bearer  t1 ' });
    expect(status).toBe(101);
    expect([...server.getClientIdsOfUser('u1')]).toEqual([client?.clientId]);
    // Blank: no token at all, so the 401 of a missing token, and nothing sent to verify.
    expect((await upgrade(url, { Authorization: 'Bearer   ' })).status).toBe(401);
    // Another scheme is never read as a bearer token, even where its 8th character on would be one.
    expect((await upgrade(url, { Authorization: 'Basic  t1' })).status).toBe(401);
  });

  it('refuses a bad token with 401 and logs why, never the token', async () => {
    const { logger, lines } = recordingLogger();
    const { server, url } = await start({ authenticator: tableAuthenticator({}), logger });
    expect((await upgrade(`${url}?token=secret-token-1`)).status).toBe(401);
    expect((await upgrade(`${url}?token=not-an-error`)).status).toBe(401);
    const refusals = lines.filter(line => line.msg === 'upgrade refused: bad token');
    expect(refusals.map(line => line.fields.reason)).toEqual(['unknown token', 'invalid token']);
    expect(JSON.stringify(lines)).not.toContain('secret-token-1');
    expect(rejected(server)).toBe(2);
  });

  it('drops a client that went away while its token was being verified', async () => {
    const authenticator = tableAuthenticator({ t1: 'u1' });
    const connected: string[] = [];
    const { server, url } = await start({
      authenticator,
      events: { onConnected: ({ clientId }) => connected.push(clientId) },
    });
    authenticator.hold();
    const raw = await RawClient.open(url);
    raws.push(raw);
    raw.write(
      `GET /ws?token=t1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    // Gone before the verdict.
    await vi.waitFor(() => expect(server.getHealth().activeConnections).toBe(0));
    raw.destroy();
    await raw.closed;
    // The server's end of a loopback socket hears the close in its next poll phases.
    await new Promise(resolve => setTimeout(resolve, 100));
    authenticator.release();
    // A later client is accepted: the verdict for the first one has come and gone.
    expect((await upgrade(`${url}?token=t1`)).status).toBe(101);
    expect(connected).toHaveLength(1);
    expect(server.getHealth().activeConnections).toBe(1);
  });
});
