import { describe, expect, it } from 'vitest';
import type { BusListener } from '../bus';
import type { Logger } from '../contracts';
import { MemoryBus } from './memory-bus';
import type { BusTransport, TransportSink } from './transport';
import { TransportBus } from './transport-bus';

/** A transport the test drives by hand: it records what the core asked of it. */
function fakeTransport() {
  const calls: string[] = [];
  const published: string[] = [];
  const restores: { channels: string[]; settle: (error?: Error) => void }[] = [];
  const state = { sink: undefined as TransportSink | undefined, failPublish: false };
  const transport: BusTransport = {
    open(sink) {
      state.sink = sink;
    },
    async publish(channel, payload) {
      if (state.failPublish) throw new Error('publish failure (expected by the test)');
      published.push(`${channel} ${payload}`);
    },
    async subscribe(channels) {
      calls.push(`subscribe ${channels.join(',')}`);
    },
    async unsubscribe(channels) {
      calls.push(`unsubscribe ${channels.join(',')}`);
    },
    restore(channels) {
      return new Promise<void>((resolve, reject) =>
        restores.push({ channels, settle: error => (error ? reject(error) : resolve()) }),
      );
    },
    async close(channels) {
      calls.push(`close ${channels.join(',')}`);
    },
  };
  const sink = () => {
    if (!state.sink) throw new Error('open() was not called');
    return state.sink;
  };
  return { transport, calls, published, restores, state, sink };
}

function capturingLogger() {
  const entries: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (_fields: unknown, message = '') =>
      entries.push({ level, message });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, entries };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));
const record = () => {
  const got: string[] = [];
  const listener: BusListener = payload => {
    got.push(payload);
  };
  return { got, listener };
};

describe('TransportBus', () => {
  it('keeps publishes while down, drops the oldest past the bound, and sends them in order once restored', async () => {
    const fake = fakeTransport();
    const bus = new TransportBus(fake.transport, { maxPendingPublishes: 2 });
    expect(bus.connected).toBe(false);
    await bus.subscribe('room:r', () => {});
    for (const n of [1, 2, 3]) await bus.publish('room:r', `m${n}`);
    expect(bus.stats).toMatchObject({ pending: 2, dropped: 1, published: 0 });

    fake.sink().up();
    // Not connected before the transport has its subscriptions back: nothing is sent yet.
    expect(bus.connected).toBe(false);
    expect(fake.restores.map(r => r.channels)).toEqual([['room:r']]);
    fake.restores[0]?.settle();
    await tick();
    expect(bus.connected).toBe(true);
    expect(fake.published).toEqual(['room:r m2', 'room:r m3']);
    expect(bus.stats).toMatchObject({ pending: 0, dropped: 1, published: 2 });
  });

  it('ignores a restore that outlived its connection and connects after the next one', async () => {
    const fake = fakeTransport();
    const bus = new TransportBus(fake.transport);
    fake.sink().up();
    fake.sink().down();
    fake.restores[0]?.settle();
    await tick();
    expect(bus.connected).toBe(false);
    fake.sink().up();
    fake.restores[1]?.settle(new Error('restore failure (expected by the test)'));
    await tick();
    // A failed restore still connects: the next reconnect retries the subscriptions.
    expect(bus.connected).toBe(true);
  });

  it('asks the transport to subscribe on a channel’s first listener and unsubscribe on its last', async () => {
    const fake = fakeTransport();
    const bus = new TransportBus(fake.transport);
    const first = record();
    const second = record();
    await bus.subscribe('room:a', first.listener);
    await bus.subscribe('room:a', second.listener);
    await bus.subscribe('room:a', second.listener);
    await bus.unsubscribe('room:a', first.listener);
    expect(fake.calls).toEqual(['subscribe room:a']);
    fake.sink().deliver('room:a', 'hello');
    expect([first.got, second.got]).toEqual([[], ['hello']]);
    await bus.unsubscribe('room:a', second.listener);
    expect(fake.calls).toEqual(['subscribe room:a', 'unsubscribe room:a']);
    expect(bus.channels()).toEqual([]);
  });

  it('keeps a throwing or rejecting listener from the others and logs it', async () => {
    const fake = fakeTransport();
    const { logger, entries } = capturingLogger();
    const bus = new TransportBus(fake.transport, { name: 'TestBus', logger });
    const good = record();
    await bus.subscribe('room:a', () => {
      throw new Error('listener failure (expected by the test)');
    });
    await bus.subscribe('room:a', async () => {
      throw new Error('async listener failure (expected by the test)');
    });
    await bus.subscribe('room:a', good.listener);
    fake.sink().deliver('room:a', 'one');
    await tick();
    expect(good.got).toEqual(['one']);
    expect(entries.filter(e => e.level === 'error').map(e => e.message)).toEqual([
      'TestBus: a listener threw; the others still got the message',
      'TestBus: a listener threw; the others still got the message',
    ]);
    expect(bus.stats.receivedByChannel.get('room:a')).toBe(1);
  });

  it('fans out status changes, once per change, past a throwing status listener', async () => {
    const fake = fakeTransport();
    const { logger, entries } = capturingLogger();
    const bus = new TransportBus(fake.transport, { name: 'TestBus', peer: 'the test', logger });
    const seen: boolean[] = [];
    bus.onStatusChange(() => {
      throw new Error('status listener failure (expected by the test)');
    });
    const stop = bus.onStatusChange(connected => seen.push(connected));
    fake.sink().up();
    fake.restores[0]?.settle();
    await tick();
    fake.sink().up();
    fake.sink().down();
    fake.sink().down();
    stop();
    fake.sink().up();
    fake.restores.at(-1)?.settle();
    await tick();
    expect(seen).toEqual([true, false]);
    expect(entries.map(e => e.message)).toContain(
      'TestBus disconnected: publishes are kept until the test is back',
    );
    expect(entries.filter(e => e.message === 'TestBus: a status listener threw')).toHaveLength(3);
  });

  it('counts a publish the transport refused as dropped', async () => {
    const fake = fakeTransport();
    const bus = new TransportBus(fake.transport, { startConnected: true });
    fake.state.failPublish = true;
    await bus.publish('room:a', 'lost');
    expect(bus.stats).toMatchObject({ dropped: 1, published: 0 });
  });

  it('on close: drops what was pending, hands the transport its channels, refuses new work, ignores the transport', async () => {
    const fake = fakeTransport();
    const bus = new TransportBus(fake.transport);
    const got = record();
    await bus.subscribe('room:a', got.listener);
    await bus.publish('room:a', 'pending');
    await bus.close();
    await bus.close();
    expect(fake.calls).toEqual(['subscribe room:a', 'close room:a']);
    expect(bus.stats).toMatchObject({ pending: 0, dropped: 1 });
    await expect(bus.publish('room:a', 'late')).rejects.toThrow(/closed/);
    await expect(bus.subscribe('room:a', got.listener)).rejects.toThrow(/closed/);
    fake.sink().up();
    fake.sink().deliver('room:a', 'late');
    expect(bus.connected).toBe(false);
    expect(got.got).toEqual([]);
  });

  it('refuses misuse with a TypeError that says what to do', async () => {
    const { transport } = fakeTransport();
    const bus = new TransportBus(transport, { name: 'TestBus', startConnected: true });
    await expect(bus.publish('', 'x')).rejects.toThrow(/TestBus: channel must be a non-empty string/);
    await expect(bus.publish('room:a', {} as string)).rejects.toThrow(TypeError);
    await expect(bus.subscribe('room:a', 'nope' as unknown as BusListener)).rejects.toThrow(/function/);
    expect(() => new TransportBus(transport, { maxPendingPublishes: -1 })).toThrow(/maxPendingPublishes/);
    expect(() => new TransportBus({ ...transport, publish: undefined } as unknown as BusTransport)).toThrow(
      /no publish\(\)/,
    );
  });
});

describe('MemoryBus', () => {
  it('is always connected and ignores calls after close', async () => {
    const bus = new MemoryBus();
    const got = record();
    await bus.subscribe('room:a', got.listener);
    expect(bus.channels).toEqual(['room:a']);
    await bus.publish('room:a', 'one');
    await bus.publish('room:b', 'nobody listens');
    await tick();
    expect(got.got).toEqual(['one']);
    await bus.close();
    expect(bus.connected).toBe(true);
    await bus.publish('room:a', 'after close');
    await bus.subscribe('room:a', got.listener);
    await tick();
    expect(got.got).toEqual(['one']);
    expect(bus.channels).toEqual([]);
  });
});
