import {
  BusChannel,
  completeDurablePayload,
  type DurableMessage,
  decodeBusMessage,
  durableHead,
  type History,
  type HistoryOptions,
  withOffset,
} from '@roomcast/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAll, sleep, until } from './wait';

/** What `describeHistoryContract` needs from one implementation, made fresh for every test. */
export interface HistoryFixture {
  /** The history under test. Its rooms hold nothing yet (a fresh instance, prefix or backend). */
  history: History;
  /**
   * Makes the backend lose every room's messages *and* position, as a flush or a restart does
   * (Redis: FLUSHALL or a restarted server; memory: a new instance), and resolves with the
   * history to use from then on: the same object when it survives the loss, a new one otherwise.
   */
  lose(): Promise<History>;
  /**
   * A history on the same backend whose room positions (offset and epoch) live `ms` after a
   * room's last message instead of days (MemoryHistory `metaTtlMs`, RedisHistory `offsetTtlMs`).
   * Omit it only if positions never expire.
   */
  withPositionTtl?(ms: number): Promise<History>;
  /**
   * Only for a history that publishes on the bus itself (`published: true`, Redis): listens on
   * the same backend to the logical bus channel `channel` (`room:<name>`), under the prefix a
   * RedisBus of these nodes would use, and calls `onPayload` with every raw payload. Resolves once
   * listening; the function it returns stops listening. Omit it for an in-process history.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Releases what the fixture opened besides the histories (clients, servers' keys). */
  cleanup?(): Promise<void>;
}

export type MakeHistory = () => HistoryFixture | Promise<HistoryFixture>;

const KEEP: HistoryOptions = { size: 100, ttlMs: 60_000 };
const ORIGIN = 'contract-node';

/** A durable message as the server builds it: a JSON frame, its id, and the bus header's head. */
export function durableMessage(room: string, id: string, data: unknown = id): DurableMessage {
  const frame = JSON.stringify({ type: 'chat', action: 'message', room, data });
  return {
    id,
    frame,
    publish: { channel: BusChannel.room(room), head: durableHead({ origin: ORIGIN, room, id }) },
  };
}

const offsets = (entries: { offset: number }[]) => entries.map(entry => entry.offset);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The History contract (protocol `contracts.ts`): offsets from 1 per epoch, idempotent appends,
 * `since` that is `recovered` only when it can prove continuity, `latest`, TTL and size limits,
 * a new epoch after a loss, and the atomic publish of a history that has a bus.
 *
 * @example
 * describeHistoryContract('MemoryHistory', () => ({ history: new MemoryHistory(), lose: async () => new MemoryHistory() }));
 */
export function describeHistoryContract(name: string, makeHistory: MakeHistory): void {
  describe(`History contract: ${name}`, () => {
    let fixture: HistoryFixture;
    let history: History;
    const opened = new Set<History>();

    beforeEach(async () => {
      fixture = await makeHistory();
      history = fixture.history;
      opened.add(history);
    });
    afterEach(async () => {
      try {
        await closeAll(opened);
      } finally {
        opened.clear();
        await fixture.cleanup?.();
      }
    });

    const append = (room: string, id: string, options = KEEP, h = history) =>
      h.append(room, durableMessage(room, id), options);

    it('numbers each room from 1, by one per message, concurrent appends included', async () => {
      const first = await append('a', 'a1');
      expect(first).toMatchObject({ offset: 1, duplicate: false });
      expect(typeof first.epoch).toBe('string');
      expect(first.epoch.length).toBeGreaterThan(0);
      expect(await append('a', 'a2')).toMatchObject({ offset: 2, epoch: first.epoch, duplicate: false });
      expect(await append('b', 'b1')).toMatchObject({ offset: 1, duplicate: false });
      const together = await Promise.all(range(3, 10).map(n => append('a', `a${n}`)));
      expect(together.map(r => r.offset).sort((x, y) => x - y)).toEqual(range(3, 10));
      expect(new Set(together.map(r => r.epoch))).toEqual(new Set([first.epoch]));
    });

    it('says who publishes: `published` is true exactly when the history has a bus of its own', async () => {
      const results = await Promise.all(['p1', 'p2', 'p1'].map(id => append('p', id)));
      const hasBus = fixture.listen !== undefined;
      // A history that publishes must let the suite listen (HistoryFixture.listen).
      expect(results.map(r => r.published)).toEqual([hasBus, hasBus, hasBus]);
    });

    it('keeps each frame byte-exact with its id, and gives it back with `"offset":n` spliced in (withOffset)', async () => {
      const messages = ['plain', 'héllo wörld 😀 𝄞 中文', 'line\nbreak "quoted" \\ back\tslash', ''].map(
        (data, i) => durableMessage('exact', `e${i}`, data),
      );
      for (const message of messages) await history.append('exact', message, KEEP);
      const { epoch } = await history.latest('exact', 0);
      const expected = messages.map((m, i) => ({
        offset: i + 1,
        id: m.id,
        frame: withOffset(m.frame, i + 1),
      }));
      expect((await history.since('exact', 0, epoch)).entries).toEqual(expected);
      expect((await history.latest('exact', 10)).entries).toEqual(expected);
      expect(expected.map(e => JSON.parse(e.frame).offset)).toEqual([1, 2, 3, 4]);
    });

    it('stores a retried append once: the same id answers `duplicate` with the first position', async () => {
      const first = await append('d', 'x');
      await append('d', 'y');
      const again = await append('d', 'x');
      expect(again).toEqual({ ...first, duplicate: true });
      const racing = await Promise.all([1, 2, 3].map(() => append('d', 'z')));
      expect(racing.filter(r => !r.duplicate)).toHaveLength(1);
      expect(new Set(racing.map(r => r.offset))).toEqual(new Set([3]));
      expect(await append('d', 'w')).toMatchObject({ offset: 4, duplicate: false });
      const { entries } = await history.latest('d', 10);
      expect(entries.map(e => JSON.parse(e.frame).data)).toEqual(['x', 'y', 'z', 'w']);
    });

    it('since: recovered only with the same epoch (or none, from 0) and every message after it', async () => {
      for (let n = 1; n <= 4; n++) await append('s', `s${n}`);
      const { epoch } = await history.latest('s', 0);
      const position = { offset: 4, epoch };
      const after1 = await history.since('s', 1, epoch);
      expect(after1).toMatchObject({ ...position, recovered: true });
      expect(offsets(after1.entries)).toEqual([2, 3, 4]);
      expect(offsets((await history.since('s', 0, epoch)).entries)).toEqual([1, 2, 3, 4]);
      expect(offsets((await history.since('s', 0)).entries)).toEqual([1, 2, 3, 4]);
      expect(await history.since('s', 0)).toMatchObject({ ...position, recovered: true });
      expect(await history.since('s', 4, epoch)).toEqual({ ...position, recovered: true, entries: [] });
      const refused = { ...position, recovered: false, entries: [] };
      expect(await history.since('s', 2)).toEqual(refused);
      expect(await history.since('s', 2, `${epoch}x`)).toEqual(refused);
      expect(await history.since('s', 0, `${epoch}x`)).toEqual(refused);
      expect(await history.since('s', 5, epoch)).toEqual(refused);
    });

    it('since: a gap trimmed past `size` is not recovered; what is kept still is', async () => {
      for (let n = 1; n <= 5; n++) await append('t', `t${n}`, { size: 3, ttlMs: 60_000 });
      const { epoch } = await history.latest('t', 0);
      const refused = { offset: 5, epoch, recovered: false, entries: [] };
      expect(await history.since('t', 1, epoch)).toEqual(refused);
      expect(await history.since('t', 0, epoch)).toEqual(refused);
      expect(await history.since('t', 0)).toEqual(refused);
      const kept = await history.since('t', 2, epoch);
      expect(kept).toMatchObject({ recovered: true, offset: 5, epoch });
      expect(offsets(kept.entries)).toEqual([3, 4, 5]);
    });

    it('latest: up to `count` of the newest kept messages, oldest first, and the position', async () => {
      const empty = await history.latest('l', 5);
      expect(empty).toMatchObject({ offset: 0, entries: [] });
      for (let n = 1; n <= 6; n++) await append('l', `l${n}`);
      const three = await history.latest('l', 3);
      expect(three).toMatchObject({ offset: 6, epoch: empty.epoch });
      expect(offsets(three.entries)).toEqual([4, 5, 6]);
      expect(three.entries.map(e => JSON.parse(e.frame).offset)).toEqual([4, 5, 6]);
      expect(offsets((await history.latest('l', 50)).entries)).toEqual(range(1, 6));
      expect(await history.latest('l', 0)).toEqual({ offset: 6, epoch: empty.epoch, entries: [] });
      for (let n = 7; n <= 9; n++) await append('l', `l${n}`, { size: 2, ttlMs: 60_000 });
      expect(offsets((await history.latest('l', 50)).entries)).toEqual([8, 9]);
    });

    it('a read of an unknown room creates its epoch, and the first append keeps it', async () => {
      const read = await history.since('fresh', 0);
      expect(read).toMatchObject({ recovered: true, entries: [], offset: 0 });
      expect(read.epoch.length).toBeGreaterThan(0);
      expect((await history.latest('fresh', 1)).epoch).toBe(read.epoch);
      expect((await history.since('fresh', 0)).epoch).toBe(read.epoch);
      expect(await append('fresh', 'f1')).toMatchObject({ offset: 1, epoch: read.epoch, duplicate: false });
      // A client that joined the empty room at offset 0 recovers the message it missed.
      const missed = await history.since('fresh', 0, read.epoch);
      expect(missed).toMatchObject({ recovered: true, offset: 1, epoch: read.epoch });
      expect(offsets(missed.entries)).toEqual([1]);
      const other = await history.latest('fresh-2', 0);
      expect(other.epoch).toBeTypeOf('string');
    });

    it('expired messages (ttlMs) keep the position: only `since` the last offset recovers', async () => {
      for (let n = 1; n <= 3; n++) await append('x', `x${n}`, { size: 10, ttlMs: 300 });
      const { epoch } = await history.latest('x', 0);
      await until('the messages to expire', async () => (await history.latest('x', 10)).entries.length === 0);
      expect(await history.latest('x', 10)).toEqual({ offset: 3, epoch, entries: [] });
      expect(await history.since('x', 3, epoch)).toEqual({ offset: 3, epoch, recovered: true, entries: [] });
      expect(await history.since('x', 2, epoch)).toEqual({ offset: 3, epoch, recovered: false, entries: [] });
      expect((await history.since('x', 0)).recovered).toBe(false);
      expect(await append('x', 'x4')).toMatchObject({ offset: 4, epoch, duplicate: false });
      const next = await history.since('x', 3, epoch);
      expect(next).toMatchObject({ recovered: true, offset: 4, epoch });
      expect(offsets(next.entries)).toEqual([4]);
      expect((await history.since('x', 2, epoch)).recovered).toBe(false);
    });

    it('a room’s messages expire together, ttlMs after its last one, never the older alone', async () => {
      // 1 s: the older message is not due before the newer one is in, even on a loaded machine.
      await append('together', 'g1', { size: 10, ttlMs: 1000 });
      await sleep(300);
      await append('together', 'g2', { size: 10, ttlMs: 1000 });
      await until('the messages to expire', async () => {
        const kept = offsets((await history.latest('together', 10)).entries);
        expect([[1, 2], []]).toContainEqual(kept);
        return kept.length === 0;
      });
    });

    it('an expired position starts a new epoch at 1: the old epoch recovers nothing', async ({ skip }) => {
      if (!fixture.withPositionTtl) return skip('positions of this history never expire');
      const short = await fixture.withPositionTtl(300);
      opened.add(short);
      for (let n = 1; n <= 2; n++) await append('gone', `gone${n}`, { size: 10, ttlMs: 100 }, short);
      const { epoch: old } = await short.latest('gone', 0);
      await until('the position to expire', async () => (await short.latest('gone', 0)).epoch !== old);
      const refused = await short.since('gone', 2, old);
      expect(refused).toMatchObject({ recovered: false, entries: [], offset: 0 });
      expect(refused.epoch).not.toBe(old);
      expect(await append('gone', 'gone3', KEEP, short)).toMatchObject({ offset: 1, epoch: refused.epoch });
      expect((await short.since('gone', 0, old)).recovered).toBe(false);
    });

    it('after the history is lost, a new epoch starts at 1 and the old epoch recovers nothing', async () => {
      for (let n = 1; n <= 3; n++) await append('lost', `lost${n}`);
      const { epoch: old } = await history.latest('lost', 0);
      const after = await fixture.lose();
      opened.add(after);
      const refused = await after.since('lost', 2, old);
      expect(refused).toMatchObject({ recovered: false, entries: [], offset: 0 });
      expect(refused.epoch).not.toBe(old);
      expect(await append('lost', 'lost4', KEEP, after)).toMatchObject({ offset: 1, epoch: refused.epoch });
      expect((await after.since('lost', 3, old)).recovered).toBe(false);
      expect((await after.since('lost', 0, old)).recovered).toBe(false);
      const fresh = await after.since('lost', 0, refused.epoch);
      expect(fresh).toMatchObject({ recovered: true, offset: 1, epoch: refused.epoch });
      expect(fresh.entries.map(e => JSON.parse(e.frame).data)).toEqual(['lost4']);
    });

    it('publishes each message on its room channel atomically, in offset order, a duplicate never', async ({
      skip,
    }) => {
      if (!fixture.listen) return skip('an in-process history leaves the publish to the caller');
      const payloads: string[] = [];
      const stop = await fixture.listen(BusChannel.room('pub'), payload => payloads.push(payload));
      const other: string[] = [];
      const stopOther = await fixture.listen(BusChannel.room('pub-other'), payload => other.push(payload));
      try {
        const elsewhere = durableMessage('pub-other', 'o1');
        const elsewhereResult = await history.append('pub-other', elsewhere, KEEP);
        await until('the other room’s publish to arrive', () => other.length >= 1);
        expect(other).toEqual([
          completeDurablePayload(elsewhere.publish.head, elsewhereResult, elsewhere.frame),
        ]);
        const messages = range(1, 20).map(n => durableMessage('pub', `m${n}`, { n, text: 'ünï\n😀' }));
        const results = await Promise.all(messages.map(m => history.append('pub', m, KEEP)));
        expect((await history.append('pub', messages[0]!, KEEP)).duplicate).toBe(true);
        const last = durableMessage('pub', 'last');
        const lastResult = await history.append('pub', last, KEEP);
        await until('every publish to arrive', () => payloads.length >= 21);
        // Published in order on one channel: the duplicate would have come before `last`.
        expect(payloads).toHaveLength(21);
        const decoded = payloads.map(p => decodeBusMessage(p));
        expect(decoded.map(d => (d?.header.kind === 'durable' ? d.header.offset : -1))).toEqual(range(1, 21));
        const sent = [...messages.map((m, i) => [m, results[i]!] as const), [last, lastResult] as const];
        for (const [message, result] of sent) {
          const payload = payloads[result.offset - 1];
          expect(payload).toBe(completeDurablePayload(message.publish.head, result, message.frame));
          expect(decodeBusMessage(payload!)).toEqual({
            header: { kind: 'durable', origin: ORIGIN, room: 'pub', id: message.id, ...pick(result) },
            body: message.frame,
          });
        }
        expect(other).toHaveLength(1);
      } finally {
        await stop();
        await stopOther();
      }
    });
  });
}

function pick({ offset, epoch }: { offset: number; epoch: string }) {
  return { offset, epoch };
}
