export type { MemoryHistoryOptions } from './memory-history';
export { MemoryHistory } from './memory-history';
export { MemoryRoomStore } from './memory-room-store';
export { cleanUsername, isValidRoomName, MAX_USERNAME_LENGTH, ROOM_NAME_PATTERN } from './room-name';
export type { RoomPattern, RoomSettings } from './room-settings';
export { createRoomSettings } from './room-settings';
