import type { Logger } from '@roomcast/protocol';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

// Its own file: the warning is once per process (per test file under vitest's isolation).
const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

function recordingLogger() {
  const warnings: { fields: unknown; message: string }[] = [];
  const noop = () => {};
  const logger: Logger = {
    debug: noop,
    info: noop,
    error: noop,
    warn: (fields: unknown, message?: string) => void warnings.push({ fields, message: message ?? '' }),
  };
  return { logger, warnings };
}

it('warns once per process, naming auth.jwtSecretKey, when a token reaches a server without auth', async () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2VjcmV0LXNpZ25hdHVyZQ';
  const first = recordingLogger();
  const second = recordingLogger();
  const a = await start({ logger: first.logger });
  const b = await start({ logger: second.logger });

  // No token, nothing to say.
  await a.connect();
  expect(first.warnings).toEqual([]);
  const withQuery = await a.connect(`?token=${token}`);
  await b.connect({ headers: { Authorization: `Bearer ${token}` } });
  await a.connect(`?token=${token}`);

  const warnings = [...first.warnings, ...second.warnings];
  expect(warnings).toHaveLength(1);
  const [warning] = warnings;
  expect(warning?.message).toContain('auth.jwtSecretKey');
  expect(JSON.stringify(warning)).not.toContain(token);
  expect(JSON.stringify(warning)).not.toContain(token.split('.')[2]);
  // The token was ignored, not refused: the client is connected and anonymous.
  expect(a.server.clientManager.getClient({ clientId: withQuery.clientId })?.user).toBeUndefined();
});
