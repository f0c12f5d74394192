import { fileURLToPath } from 'node:url';
import { startProgram } from '@roomcast/test-support/program-process';
import { freePort } from '@roomcast/test-support/redis-process';
import { afterEach, expect, it } from 'vitest';

const program = (name: string) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

it('the client sends through the typed route and gets the typed push back', async () => {
  const port = await freePort();
  const server = startProgram(program('server'), { PORT: String(port) });
  stops.push(server.stop);
  await server.waitFor('listening on');

  const client = startProgram(program('client'), { URL: `ws://127.0.0.1:${port}/ws` });
  stops.push(client.stop);
  expect(await client.exited).toBe(0);
  expect(client.output()).toMatch(/sent at \d{4}-/);
  expect(client.output()).toContain('alice: hello');
  expect(client.output()).toContain('refused: INVALID_MESSAGE');
});
