import { MemoryHistory, MemoryRoomStore } from '@roomcast/rooms';
import { MemoryBus } from '@roomcast/server';
import { describeBusContract, describeHistoryContract, describeRoomStoreContract } from './index';

// The embedded implementations: one process, so there is no peer; a "lost" memory history is a
// new instance, as after a restart.
describeHistoryContract('MemoryHistory', () => ({
  history: new MemoryHistory(),
  lose: async () => new MemoryHistory(),
  withPositionTtl: async ms => new MemoryHistory({ metaTtlMs: ms }),
}));

describeRoomStoreContract('MemoryRoomStore', () => ({ store: new MemoryRoomStore() }));

describeBusContract('MemoryBus', () => ({ bus: new MemoryBus() }));
