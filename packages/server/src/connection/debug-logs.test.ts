// Issue 19 point 8: debug lines for connect, join, leave and close, with ids, the close code and
// reason, and never a token or a message body.
import type { Authenticator } from '@roomcast/protocol';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const TOKEN = 'secret-token-4f9c';
const BODY = 'a message body nobody should log';

it('logs connect, join, leave and close at debug, with ids and codes only', async () => {
  const lines: { level: string; text: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object | string, msg?: string) => {
    const fields = typeof obj === 'string' ? {} : (obj as Record<string, unknown>);
    lines.push({ level, text: JSON.stringify([obj, msg]), obj: fields, msg: msg ?? String(obj) });
  };
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const authenticator: Authenticator = {
    required: false,
    loginTimeoutMs: 0,
    verify: async token => ({ userId: `user-of-${token.length}`, payload: {} }),
  };
  const { server, connect } = await start({
    logger,
    authenticator,
    nodeId: 'node-1',
    routes: [{ type: 'chat', action: 'say', handler: () => ({ ok: true }) }],
  });
  const client = await connect(`?token=${TOKEN}`);
  await client.request('system', 'joinRoom', { roomName: 'chat:a' });
  await client.request('chat', 'say', { text: BODY });
  await client.request('system', 'leaveRoom', { roomName: 'chat:a' });
  client.ws.close(4321, 'bye now');
  await expect.poll(() => lines.some(line => line.msg === 'client disconnected')).toBe(true);

  const debug = (msg: string) => lines.find(line => line.level === 'debug' && line.msg === msg)?.obj;
  const ids = { clientId: client.clientId, nodeId: 'node-1' };
  expect(debug('client connected')).toEqual({ ...ids, userId: `user-of-${TOKEN.length}` });
  expect(debug('joined room')).toEqual({ ...ids, roomName: 'chat:a' });
  expect(debug('left room')).toEqual({ ...ids, roomName: 'chat:a' });
  expect(debug('client disconnected')).toEqual({ ...ids, code: 4321, reason: 'bye now' });
  for (const line of lines) {
    expect(line.text).not.toContain(TOKEN);
    expect(line.text).not.toContain(BODY);
  }
  await server.stop();
});
