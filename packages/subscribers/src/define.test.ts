import { describe, expect, it } from 'vitest';
import {
  type AnyWebSocketSubscriberConfig,
  defineWebSocketSubscriber,
  isWebSocketSubscriberDefinition,
  SubscriberDispatcher,
} from './index';

const handle = () => {};
// Misuse that TypeScript would reject, as a JavaScript user could write it.
const define = (config: unknown) => defineWebSocketSubscriber(config as AnyWebSocketSubscriberConfig);

describe('defineWebSocketSubscriber', () => {
  it('normalizes channel, channels and match into a frozen definition', () => {
    const one = defineWebSocketSubscriber({ channel: 'custom', handle });
    expect(one).toMatchObject({
      name: 'custom',
      priority: 0,
      channels: ['custom'],
      match: [],
      middleware: [],
    });
    expect(Object.isFrozen(one)).toBe(true);
    expect(Object.isFrozen(one.channels)).toBe(true);
    expect(isWebSocketSubscriberDefinition(one)).toBe(true);
    expect(isWebSocketSubscriberDefinition({ channel: 'custom', handle })).toBe(false);

    const many = defineWebSocketSubscriber({ channels: ['a', 'b', 'a'], handle, priority: 5, name: 'ab' });
    expect(many).toMatchObject({ name: 'ab', channels: ['a', 'b'], priority: 5 });

    const matching = defineWebSocketSubscriber({ match: /^x/, handle, description: 'x things' });
    expect(matching).toMatchObject({ name: 'match(/^x/)', channels: [], description: 'x things' });
    expect(matching.match).toHaveLength(1);
  });

  it("takes '*' in channel and channels for every channel, as the guide's Troubleshooting does", async () => {
    for (const config of [{ channels: ['*'] }, { channel: '*' }, { channels: ['updates', '*'] }]) {
      const everything = define({ ...config, handle });
      expect(everything).toMatchObject({ channels: [], match: ['*'] });
    }
    // Through a dispatcher: every channel, and once per message even when also listed by name.
    const seen: string[] = [];
    const dispatcher = new SubscriberDispatcher().add([
      { channels: ['updates', '*'], handle: ({ channel }) => void seen.push(channel) },
    ]);
    for (const channel of ['updates', 'clientConnected', 'custom']) await dispatcher.dispatch(channel, {});
    expect(seen).toEqual(['updates', 'clientConnected', 'custom']);
  });

  it('drops the g and y flags so a RegExp matches the same channel every time', () => {
    const { match } = defineWebSocketSubscriber({ match: [/^room:/gi, /a/y], handle });
    expect(match.map(String)).toEqual(['/^room:/i', '/a/']);
  });

  it.each([
    [{ handle }, /needs one of channel, channels or match/],
    [
      { channel: 'a', match: 'b', handle },
      /exactly one of channel, channels or match; got channel and match/,
    ],
    [{ channel: 'a', channels: ['b'], handle }, /got channel and channels/],
    [{ channel: 'a' }, /needs a handle function/],
    [{ channel: 'a', handler: handle }, /the key is handle, not handler/],
    [{ channel: '', handle }, /channel names must be non-empty strings/],
    [{ channel: 'chat:*', handle }, /use match: 'chat:\*'/],
    [{ channels: [], handle }, /at least one channel/],
    [{ match: [], handle }, /match must not be an empty array/],
    [{ match: 42, handle }, /match entries must be a string, a RegExp or a predicate/],
    [{ match: '', handle }, /use '\*' for every channel/],
    [{ channel: 'a', handle, priority: Number.NaN }, /priority must be a finite number/],
    [{ channel: 'a', handle, priority: '1' }, /priority must be a finite number/],
    [{ channel: 'a', handle, name: '' }, /name must be a non-empty string/],
    [{ channel: 'a', handle, description: 3 }, /description must be a string/],
    [{ channel: 'a', handle, middleware: {} }, /middleware must be an array/],
    [{ channel: 'a', handle, middleware: [{ onBefore: handle }] }, /middleware\[0\] needs a name/],
    [
      { channel: 'a', handle, middleware: [{ name: 'm', onAfter: 1 }] },
      /middleware\[0\]\.onAfter must be a function/,
    ],
  ])('throws a TypeError for %o', (config, message) => {
    expect(() => define(config)).toThrow(TypeError);
    expect(() => define(config)).toThrow(message);
  });

  it('names the subscriber in its errors when it has a name', () => {
    expect(() => define({ name: 'audit', handle })).toThrow(/defineWebSocketSubscriber\(audit\)/);
  });

  it('rejects what is not an object', () => {
    expect(() => define(null)).toThrow(/expects an object like \{ channel, handle \}, got null/);
    expect(() => define([])).toThrow(TypeError);
  });
});
