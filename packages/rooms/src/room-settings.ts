import type { HistoryOptions } from '@roomcast/protocol';
import { type PresenceOption, type PresenceSettings, resolvePresence } from './presence-option';

/** Settings for the rooms whose names match `match` (`'chat:*'` glob or RegExp). */
export interface RoomPattern {
  match: string | RegExp;
  /**
   * Members learn who is in the room: `true` a frame per join and leave, `{ batchMs }` one diff
   * per interval, `'count'` only the number of members (see PresenceOption).
   */
  presence?: PresenceOption;
  /** Messages get offsets and the last `size` are kept for `ttlMs` so clients can recover. */
  history?: HistoryOptions;
}

export interface RoomSettings {
  /** The room has presence in any form (`presenceMode` says which). */
  presence: boolean;
  presenceMode: PresenceSettings;
  history: HistoryOptions | undefined;
}

const PLAIN: RoomSettings = Object.freeze({
  presence: false,
  presenceMode: Object.freeze({ mode: 'off', batchMs: 0 }),
  history: undefined,
});
const CACHE_LIMIT = 10_000;

/**
 * Resolves the settings of a room from the first pattern that matches its name. Results are
 * cached because this runs on every room broadcast.
 *
 * @example
 * const settings = createRoomSettings([{ match: 'chat:*', presence: true, history: { size: 100, ttlMs: 60_000 } }]);
 * settings('chat:general').presence; // true
 */
export function createRoomSettings(
  patterns: readonly RoomPattern[] = [],
): (roomName: string) => RoomSettings {
  const compiled = patterns.map(pattern => {
    const presenceMode = resolvePresence(pattern.presence, `rooms.patterns[${String(pattern.match)}]`);
    const settings = {
      presence: presenceMode.mode !== 'off',
      presenceMode: Object.freeze(presenceMode),
      history: checkHistory(pattern),
    };
    return { test: toMatcher(pattern.match), settings: Object.freeze(settings) };
  });
  const cache = new Map<string, RoomSettings>();
  return function roomSettings(roomName) {
    let settings = cache.get(roomName);
    if (settings) return settings;
    settings = compiled.find(entry => entry.test(roomName))?.settings ?? PLAIN;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(roomName, settings);
    return settings;
  };
}

function toMatcher(match: string | RegExp): (name: string) => boolean {
  if (match instanceof RegExp) return name => match.test(name);
  if (typeof match !== 'string' || match === '') {
    throw new TypeError(
      'rooms.patterns[].match must be a non-empty string (a glob like "chat:*") or a RegExp',
    );
  }
  const source = match.split('*').map(escapeRegExp).join('.*');
  const regexp = new RegExp(`^${source}$`);
  return name => regexp.test(name);
}

function checkHistory(pattern: RoomPattern): HistoryOptions | undefined {
  const history = pattern.history;
  if (history === undefined) return undefined;
  if (!(Number.isInteger(history.size) && history.size > 0) || !(history.ttlMs > 0)) {
    throw new TypeError(
      `rooms.patterns[${String(pattern.match)}].history needs a positive integer size and a positive ttlMs`,
    );
  }
  return Object.freeze({ size: history.size, ttlMs: history.ttlMs });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
