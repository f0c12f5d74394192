import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setup } from '../test/fakes';
import { isWebSocketSubscriberDefinition, loadSubscribersFromDirectory } from './index';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roomcast-subscribers-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = (entries: Record<string, string>) =>
  Promise.all(Object.entries(entries).map(([name, text]) => writeFile(join(dir, name), text)));

describe('loadSubscribersFromDirectory', () => {
  it('imports every subscriber module in file-name order and skips the rest', async () => {
    await mkdir(join(dir, 'nested'));
    await files({
      'b-status.mjs': `export default { name: 'status', channel: 'custom', handle: ({ webSocketServer, message }) =>
        webSocketServer.sendMessageToAll({ data: message }) };`,
      'a-queue.js': `export default [
        { channels: ['queueJobCompleted'], priority: 2, handle: () => 'a0' },
        { match: /^analytics:/, handle: () => 'a1' },
      ];`,
      'c-helper.test.mjs': 'throw new Error("tests are not subscribers");',
      'types.d.ts': 'export {};',
      'a-queue.js.map': '{}',
      'notes.txt': 'not code',
      'nested/deep.mjs': 'throw new Error("not recursive");',
    });
    const subscribers = await loadSubscribersFromDirectory(dir);
    expect(subscribers.map(s => s.name)).toEqual(['a-queue[0]', 'a-queue[1]', 'status']);
    expect(subscribers.every(isWebSocketSubscriberDefinition)).toBe(true);

    const { dispatcher, server } = setup();
    dispatcher.add(subscribers);
    await dispatcher.dispatch('custom', { hello: 'world' });
    expect(server.calls).toEqual([{ method: 'sendMessageToAll', options: { data: { hello: 'world' } } }]);
  });

  it('names an unnamed single subscriber after its file', async () => {
    await files({ 'presence-audit.mjs': "export default { channel: 'clientJoinedRoom', handle() {} };" });
    const [subscriber] = await loadSubscribersFromDirectory(dir);
    expect(subscriber?.name).toBe('presence-audit');
  });

  it('rejects with an Error naming the file whose default export is not a subscriber', async () => {
    await files({
      'good.mjs': "export default { channel: 'a', handle() {} };",
      'broken.mjs': "export default { channel: 'a', match: 'b', handle() {} };",
    });
    await expect(loadSubscribersFromDirectory(dir)).rejects.toThrow(
      /broken\.mjs does not export a valid subscriber: .*exactly one of channel, channels or match/,
    );
  });

  it('rejects a module without a default export, and one that fails to import, naming the file', async () => {
    await files({ 'named.mjs': "export const subscriber = { channel: 'a', handle() {} };" });
    await expect(loadSubscribersFromDirectory(dir)).rejects.toThrow(/named\.mjs has no default export/);
    await rm(join(dir, 'named.mjs'));
    await files({ 'throws.mjs': 'throw new Error("missing dependency");' });
    await expect(loadSubscribersFromDirectory(dir)).rejects.toThrow(
      /Cannot import subscriber module .*throws\.mjs: missing dependency/,
    );
  });

  it('rejects a directory that does not exist with its path', async () => {
    await expect(loadSubscribersFromDirectory(join(dir, 'missing'))).rejects.toThrow(
      /Cannot read the subscribers directory .*missing/,
    );
  });
});
