export type { MemoryHistoryOptions } from './memory-history';
export { MemoryHistory } from './memory-history';
export { MemoryRoomStore } from './memory-room-store';
export type { PresenceMode, PresenceOption, PresenceSettings } from './presence-option';
export { DEFAULT_COUNT_BATCH_MS } from './presence-option';
export { cleanUsername, isValidRoomName, MAX_USERNAME_LENGTH, ROOM_NAME_PATTERN } from './room-name';
export type { RoomPattern, RoomSettings } from './room-settings';
export { createRoomSettings } from './room-settings';
