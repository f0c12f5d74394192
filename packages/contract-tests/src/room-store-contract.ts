import type { RoomMember, RoomStore } from '@roomcast/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAll, QUIET_MS, sleep, until } from './wait';

/** What `describeRoomStoreContract` needs from one implementation, made fresh for every test. */
export interface RoomStoreFixture {
  /** The store under test, as one node holds it. It has no members yet. */
  store: RoomStore;
  /**
   * Another node's store on the same backend: what either adds, both see. Omit it for an
   * in-process store; the suite then plays every node on `store`.
   */
  peer?(): Promise<RoomStore>;
  /**
   * Only for a store with `onMembersExpired`: another node's store on the same backend, and a
   * way to kill that node as a SIGKILL would (its heartbeat stops; nobody calls removeNode). Its
   * members must then vanish from `store` in a bounded time (seconds, not the production TTL).
   * The fixture closes that store itself, in `die` or `cleanup`.
   */
  mortalPeer?(): Promise<{ store: RoomStore; die(): Promise<void> }>;
  /** Releases what the fixture opened besides the stores it handed out. */
  cleanup?(): Promise<void>;
}

export type MakeRoomStore = () => RoomStoreFixture | Promise<RoomStoreFixture>;

export function member(clientId: string, nodeId: string, extra: Partial<RoomMember> = {}): RoomMember {
  return { clientId, nodeId, userId: `user-${clientId}`, username: null, ...extra };
}

const byClient = (a: RoomMember, b: RoomMember) =>
  a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0;
const sorted = (members: RoomMember[]) => [...members].sort(byClient);

/**
 * The RoomStore contract (protocol `contracts.ts`): idempotent add, harmless remove, members and
 * rooms seen alike from every node, removeNode, onMembersExpired where implemented, close.
 * `rooms()` is sorted by name (code unit order, as `Array.prototype.sort`) in every implementation.
 *
 * @example
 * describeRoomStoreContract('MemoryRoomStore', () => ({ store: new MemoryRoomStore() }));
 */
export function describeRoomStoreContract(name: string, makeStore: MakeRoomStore): void {
  describe(`RoomStore contract: ${name}`, () => {
    let fixture: RoomStoreFixture;
    let store: RoomStore;
    /** The second node: a peer store on the same backend, or `store` itself in-process. */
    let other: RoomStore;
    const opened = new Set<RoomStore>();

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      opened.add(store);
      other = fixture.peer ? await fixture.peer() : store;
      opened.add(other);
    });
    afterEach(async () => {
      try {
        await closeAll(opened);
      } finally {
        opened.clear();
        await fixture.cleanup?.();
      }
    });

    it('records members as given; members() of an unknown room is empty', async () => {
      const ada = member('c1', 'n1', { userId: 'u1', username: 'Ada' });
      const numeric = member('c2', 'n1', { userId: 42, username: 'Grace' });
      const anonymous = member('c3', 'n1', { userId: null, username: null });
      for (const m of [ada, numeric, anonymous]) await store.add('general', m);
      expect(sorted(await store.members('general'))).toEqual([ada, numeric, anonymous]);
      expect(await store.members('nobody-here')).toEqual([]);
    });

    it('add is idempotent for the same clientId: one entry, with the latest details', async () => {
      await store.add('general', member('c1', 'n1', { username: 'Ada' }));
      await store.add('general', member('c1', 'n1', { username: 'Ada' }));
      await store.add('general', member('c1', 'n1', { username: 'Ada L.' }));
      expect(await store.members('general')).toEqual([member('c1', 'n1', { username: 'Ada L.' })]);
      expect(await store.rooms()).toEqual(['general']);
    });

    it('remove takes a member out; removing a non-member is not an error', async () => {
      await store.add('general', member('c1', 'n1'));
      await store.add('general', member('c2', 'n1'));
      await store.remove('general', 'c1');
      await store.remove('general', 'c1');
      await store.remove('general', 'nobody');
      await store.remove('no-such-room', 'c2');
      expect(await store.members('general')).toEqual([member('c2', 'n1')]);
      await store.remove('general', 'c2');
      expect(await store.members('general')).toEqual([]);
      expect(await store.rooms()).toEqual([]);
    });

    it('rooms() names the rooms with at least one member, sorted by name', async () => {
      const names = ['zeta', 'alpha', 'chat:b', 'Beta', 'chat:a', 'room-10', 'room-9', 'room-1'];
      for (const [i, room] of names.entries()) await store.add(room, member(`c${i}`, 'n1'));
      await store.add('alpha', member('extra', 'n1'));
      expect(await store.rooms()).toEqual([...names].sort());
      for (const [i, room] of names.entries())
        if (room.startsWith('room-')) await store.remove(room, `c${i}`);
      expect(await store.rooms()).toEqual(['Beta', 'alpha', 'chat:a', 'chat:b', 'zeta']);
    });

    it('every node sees the same members and rooms, whoever added them', async () => {
      await store.add('general', member('c1', 'node-a'));
      await other.add('general', member('c2', 'node-b'));
      await other.add('random', member('c2', 'node-b'));
      const both = [member('c1', 'node-a'), member('c2', 'node-b')];
      expect(sorted(await store.members('general'))).toEqual(both);
      expect(sorted(await other.members('general'))).toEqual(both);
      expect(await store.rooms()).toEqual(['general', 'random']);
      expect(await other.rooms()).toEqual(['general', 'random']);
      // A client leaves through a node other than the one that added it.
      await other.remove('general', 'c1');
      expect(await store.members('general')).toEqual([member('c2', 'node-b')]);
    });

    it('removeNode forgets exactly that node’s members, on every node', async () => {
      await store.add('one', member('a1', 'node-a'));
      await store.add('two', member('a1', 'node-a'));
      await store.add('two', member('a2', 'node-a'));
      await other.add('two', member('b1', 'node-b'));
      await other.add('three', member('b1', 'node-b'));
      // A client that moved to node-b (re-added from there) now belongs to node-b only.
      await store.add('two', member('moved', 'node-a'));
      await other.add('two', member('moved', 'node-b'));
      await store.removeNode('node-a');
      await store.removeNode('node-that-never-was');
      for (const view of [store, other]) {
        expect(await view.members('one')).toEqual([]);
        expect(sorted(await view.members('two'))).toEqual([
          member('b1', 'node-b'),
          member('moved', 'node-b'),
        ]);
        expect(await view.members('three')).toEqual([member('b1', 'node-b')]);
        expect(await view.rooms()).toEqual(['three', 'two']);
      }
    });

    it('hands out copies: changing a member after add, or a result, changes nothing stored', async () => {
      const given = member('c1', 'n1', { username: 'Ada' });
      await store.add('general', given);
      given.username = 'changed';
      const [got] = await store.members('general');
      expect(got).toEqual(member('c1', 'n1', { username: 'Ada' }));
      if (got) got.username = 'changed too';
      expect(await store.members('general')).toEqual([member('c1', 'n1', { username: 'Ada' })]);
      const rooms = await store.rooms();
      rooms.push('invented');
      expect(await store.rooms()).toEqual(['general']);
    });

    it('onMembersExpired: a dead node’s members vanish and are reported once per room', async ({ skip }) => {
      if (!store.onMembersExpired) {
        if (fixture.mortalPeer) throw new Error('mortalPeer given, but the store has no onMembersExpired');
        return skip('this store has no liveness (in-process)');
      }
      if (!fixture.mortalPeer)
        throw new Error('a store with onMembersExpired needs RoomStoreFixture.mortalPeer');
      const mortal = await fixture.mortalPeer();
      const reports: [string, RoomMember[]][] = [];
      const stopped: string[] = [];
      for (const view of new Set([store, other])) {
        view.onMembersExpired?.((room, members) => reports.push([room, sorted(members)]));
        view.onMembersExpired?.(room => stopped.push(room))();
      }
      await store.add('general', member('alive', 'node-live'));
      await mortal.store.add('general', member('d1', 'node-dead'));
      await mortal.store.add('general', member('d2', 'node-dead'));
      await mortal.store.add('side', member('d1', 'node-dead'));
      expect(await store.members('general')).toHaveLength(3);
      await mortal.die();

      await until(
        'the dead node’s members to vanish',
        async () => (await store.members('general')).length === 1,
      );
      expect(await other.members('general')).toEqual([member('alive', 'node-live')]);
      expect(await store.rooms()).toEqual(['general']);
      await until('both rooms to be reported', () => reports.length >= 2);
      await sleep(QUIET_MS); // several more sweeps: none may report the same members again
      expect(Object.fromEntries(reports)).toEqual({
        general: [member('d1', 'node-dead'), member('d2', 'node-dead')],
        side: [member('d1', 'node-dead')],
      });
      expect(reports).toHaveLength(2);
      expect(stopped).toEqual([]);
    });

    it('close() resolves and leaves the other nodes’ members to them', async () => {
      await other.add('general', member('c2', 'node-b'));
      if (other === store) {
        await store.close();
        opened.delete(store);
        return;
      }
      await store.add('general', member('c1', 'node-a'));
      await store.close();
      opened.delete(store);
      expect(await other.members('general')).toContainEqual(member('c2', 'node-b'));
    });
  });
}
