export type { BusFixture, MakeBus } from './bus-contract';
export { describeBusContract, recorder } from './bus-contract';
export type { HistoryFixture, MakeHistory } from './history-contract';
export { describeHistoryContract, durableMessage } from './history-contract';
export type { MakeRoomStore, RoomStoreFixture } from './room-store-contract';
export { describeRoomStoreContract, member } from './room-store-contract';
