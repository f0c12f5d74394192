import type { Bus, BusListener } from '@roomcast/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAll, QUIET_MS, sleep, until } from './wait';

/** What `describeBusContract` needs from one implementation, made fresh for every test. */
export interface BusFixture {
  /** The bus under test, as one node holds it (connecting or connected). No listeners yet. */
  bus: Bus;
  /**
   * Another node's bus on the same backend (same Redis, same prefix): each delivers what the
   * other publishes. Omit it for an in-process bus; the suite then plays every node on `bus`.
   */
  peer?(): Promise<Bus>;
  /** Releases what the fixture opened besides the buses (the clients it gave them). */
  cleanup?(): Promise<void>;
}

export type MakeBus = () => BusFixture | Promise<BusFixture>;

/** A listener that keeps what it got. */
export function recorder() {
  const payloads: string[] = [];
  const channels: string[] = [];
  const listener: BusListener = (payload, channel) => {
    payloads.push(payload);
    channels.push(channel);
  };
  return { listener, payloads, channels };
}

/**
 * Proves that `bus` delivered everything `from` published on `channel` before this call: per
 * channel, one publisher's messages arrive in order, so once a marker published after them has
 * reached a probe listener, anything still to come for the others would have come already.
 */
async function settle(bus: Bus, from: Bus, channel: string): Promise<void> {
  const marker = `marker ${Math.random()}`;
  const probe = recorder();
  await bus.subscribe(channel, probe.listener);
  try {
    await from.publish(channel, marker);
    await until(`the marker on ${channel}`, () => probe.payloads.includes(marker));
  } finally {
    await bus.unsubscribe(channel, probe.listener);
  }
}

/**
 * The Bus contract (protocol `bus.ts`): delivery to every node that listens, the publisher's own
 * included; per-channel order; byte-exact payloads; ref-counted listeners; a throwing listener
 * isolated; `connected`; close().
 *
 * @example
 * describeBusContract('MemoryBus', () => ({ bus: new MemoryBus() }));
 */
export function describeBusContract(name: string, makeBus: MakeBus): void {
  describe(`Bus contract: ${name}`, () => {
    let fixture: BusFixture;
    /** This node's bus. */
    let a: Bus;
    /** The other node's bus: a peer on the same backend, or `a` itself in-process. */
    let b: Bus;
    const opened = new Set<Bus>();

    beforeEach(async () => {
      fixture = await makeBus();
      a = fixture.bus;
      opened.add(a);
      b = fixture.peer ? await fixture.peer() : a;
      opened.add(b);
      await until('both buses to connect', () => a.connected && b.connected);
    });
    afterEach(async () => {
      try {
        await closeAll(opened);
      } finally {
        opened.clear();
        await fixture.cleanup?.();
      }
    });

    it('is `connected` when up; onStatusChange returns a function that stops it', () => {
      expect(a.connected).toBe(true);
      const stop = a.onStatusChange(() => {});
      expect(stop).toBeTypeOf('function');
      stop();
    });

    it('delivers to every listener of the channel on every node, the publisher’s own included', async () => {
      const onA = recorder();
      const onB = recorder();
      const elsewhere = recorder();
      await a.subscribe('room:x', onA.listener);
      await b.subscribe('room:x', onB.listener);
      await a.subscribe('room:y', elsewhere.listener);
      await a.publish('room:x', 'from a');
      await b.publish('room:x', 'from b');
      await until('both messages on both nodes', () => onA.payloads.length >= 2 && onB.payloads.length >= 2);
      expect(onA.payloads.sort()).toEqual(['from a', 'from b']);
      expect(onB.payloads.sort()).toEqual(['from a', 'from b']);
      // The listener gets the logical channel, without the transport's prefix.
      expect([...onA.channels, ...onB.channels]).toEqual(Array(4).fill('room:x'));
      // Each arrival went to all of a node's listeners at once: room:y's got none of them.
      expect(elsewhere.payloads).toEqual([]);
    });

    it('keeps one publisher’s order on each channel', async () => {
      const x = recorder();
      const y = recorder();
      await a.subscribe('room:x', x.listener);
      await a.subscribe('room:y', y.listener);
      const sent = Array.from({ length: 200 }, (_, i) => `message ${i}`);
      // Not awaited one by one: the order a publisher calls publish in is the order it gets.
      await Promise.all(sent.flatMap(m => [b.publish('room:x', `x ${m}`), b.publish('room:y', `y ${m}`)]));
      await until('every message', () => x.payloads.length >= 200 && y.payloads.length >= 200);
      expect(x.payloads).toEqual(sent.map(m => `x ${m}`));
      expect(y.payloads).toEqual(sent.map(m => `y ${m}`));
    });

    it('delivers payloads byte-exact: newlines, unicode, NUL, empty, large', async () => {
      const got = recorder();
      await a.subscribe('room:exact', got.listener);
      const payloads = [
        '{"kind":"room"}\n{"type":"chat"}',
        'line 1\nline 2\r\n\n',
        'héllo wörld 😀 𝄞 中文 עברית',
        'nul \u0000 byte',
        '',
        'x'.repeat(256 * 1024),
      ];
      for (const payload of payloads) await b.publish('room:exact', payload);
      await until('every payload', () => got.payloads.length >= payloads.length);
      expect(got.payloads).toEqual(payloads);
    });

    it('counts listeners: one leaving keeps the others; the last leaving stops delivery', async () => {
      const first = recorder();
      const second = recorder();
      await a.subscribe('room:x', first.listener);
      await a.subscribe('room:x', second.listener);
      await b.publish('room:x', 'one');
      await until(
        'both listeners to get it',
        () => first.payloads.length === 1 && second.payloads.length === 1,
      );

      await a.unsubscribe('room:x', first.listener);
      await b.publish('room:x', 'two');
      await until('the remaining listener to get it', () => second.payloads.length === 2);
      expect(first.payloads).toEqual(['one']);

      await a.unsubscribe('room:x', second.listener);
      await b.publish('room:x', 'three');
      await settle(a, b, 'room:x');
      expect(first.payloads).toEqual(['one']);
      expect(second.payloads).toEqual(['one', 'two']);

      // Subscribing again after the last one left works like the first time.
      await a.subscribe('room:x', second.listener);
      await b.publish('room:x', 'four');
      await until('the listener that came back to get it', () => second.payloads.includes('four'));
      expect(second.payloads).toEqual(['one', 'two', 'four']);
    });

    it('a listener that throws, or rejects, does not stop the others', async () => {
      let thrown = 0;
      let rejected = 0;
      const throwing: BusListener = () => {
        thrown++;
        throw new Error('listener failure (expected by the test)');
      };
      const rejecting: BusListener = async () => {
        rejected++;
        throw new Error('async listener failure (expected by the test)');
      };
      const good = recorder();
      await a.subscribe('room:x', throwing);
      await a.subscribe('room:x', rejecting);
      await a.subscribe('room:x', good.listener);
      await b.publish('room:x', 'one');
      await b.publish('room:x', 'two');
      await until('the good listener to get both', () => good.payloads.length === 2);
      expect(good.payloads).toEqual(['one', 'two']);
      expect([thrown, rejected]).toEqual([2, 2]);
    });

    it('close() stops delivery to its listeners', async () => {
      const closing = recorder();
      const staying = recorder();
      await a.subscribe('room:x', closing.listener);
      if (b !== a) await b.subscribe('room:x', staying.listener);
      await a.close();
      opened.delete(a);
      if (b === a) {
        // In-process, the closed bus is the only node: publishing on it is either refused or lost.
        await a.publish('room:x', 'after close').catch(() => {});
      } else {
        await b.publish('room:x', 'after close');
        await until('the open node to get it', () => staying.payloads.length === 1);
      }
      await sleep(QUIET_MS); // nothing later can prove an absence on a closed bus
      expect(closing.payloads).toEqual([]);
    });
  });
}
