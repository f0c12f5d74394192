import { type AuthUser, userIdKey } from '@roomcast/protocol';
import { statelessRegExp } from './stateless-regexp';

/** The part of the server's client a policy reads; the server's own client type fits it. */
export interface PolicyClient {
  readonly user?: AuthUser | undefined;
}

/** What the server passes to its `rooms.authorizeJoin` hook. */
export interface PolicyJoinRequest {
  readonly client: PolicyClient;
  readonly roomName: string;
}

/** Allows (`true`) or refuses a join; the server answers a refusal with FORBIDDEN. */
export type RoomPolicy = (request: PolicyJoinRequest) => boolean | Promise<boolean>;

/** A room name, a glob (`'private:*'`, `*` matching any run of characters), a RegExp or a predicate. */
export type RoomMatch = string | RegExp | ((roomName: string) => boolean);

export interface UserRoomPolicyOptions {
  /** Rooms named `<prefix><userId>` belong to that user, e.g. `'notifications:user:'`. */
  prefix: string;
}

export interface ClaimRoomPolicyOptions {
  /** The rooms this policy guards; other rooms are allowed. */
  match: RoomMatch;
  /** The claim listing the guarded rooms the token may join. Default `'rooms'`. */
  claim?: string;
}

export const DEFAULT_CLAIM_ROOM_POLICY_OPTIONS = Object.freeze({ claim: 'rooms' });

/**
 * Gives each user a private room: `<prefix><userId>` may be joined only by the authenticated user
 * with that id (numeric ids compare as text). Anonymous clients are refused those rooms; rooms
 * without the prefix are allowed.
 *
 * @example
 * ```ts
 * const server = new WebSocketServer({
 *   rooms: { authorizeJoin: userRoomPolicy({ prefix: 'notifications:user:' }) },
 * });
 * // user 42 may join 'notifications:user:42', nobody else may
 * ```
 */
export function userRoomPolicy(options: UserRoomPolicyOptions): RoomPolicy {
  const prefix = options?.prefix;
  if (typeof prefix !== 'string' || prefix === '') {
    throw new TypeError(`userRoomPolicy: prefix must be a non-empty string, e.g. { prefix: 'user:' }.`);
  }
  return function userRoom({ client, roomName }) {
    if (!roomName.startsWith(prefix)) return true;
    const user = client.user;
    return user !== undefined && userIdKey(user.userId) === roomName.slice(prefix.length);
  };
}

/**
 * Guards rooms by a token claim: a room that `match`es may be joined only when the token's
 * `claim` (an array of room names) lists it exactly. Anonymous clients are refused those rooms;
 * rooms that do not match are allowed.
 *
 * @example
 * ```ts
 * // token: { sub: 'u1', rooms: ['private:ops'] }
 * const policy = claimRoomPolicy({ match: /^private:/, claim: 'rooms' });
 * policy({ client: { user }, roomName: 'private:ops' }); // true
 * policy({ client: { user }, roomName: 'private:hr' }); // false
 * ```
 */
export function claimRoomPolicy(options: ClaimRoomPolicyOptions): RoomPolicy {
  const matches = toMatcher(options?.match);
  const claim = options.claim ?? DEFAULT_CLAIM_ROOM_POLICY_OPTIONS.claim;
  if (typeof claim !== 'string' || claim === '') {
    throw new TypeError(`claimRoomPolicy: claim must be a non-empty claim name, e.g. 'rooms'.`);
  }
  return function claimRoom({ client, roomName }) {
    if (!matches(roomName)) return true;
    const granted = client.user?.payload[claim];
    return Array.isArray(granted) && granted.includes(roomName);
  };
}

/**
 * Joins policies: a join is allowed only when every policy returns `true` (anything else
 * refuses). They run in order and stop at the first refusal; the result is a promise only when a
 * policy returned one.
 *
 * @example
 * ```ts
 * const authorizeJoin = composePolicies(
 *   userRoomPolicy({ prefix: 'notifications:user:' }),
 *   claimRoomPolicy({ match: 'private:*' }),
 * );
 * ```
 */
export function composePolicies(...policies: RoomPolicy[]): RoomPolicy {
  if (policies.length === 0 || !policies.every(policy => typeof policy === 'function')) {
    throw new TypeError('composePolicies: pass one or more policy functions.');
  }
  return function allPolicies(request) {
    for (let index = 0; index < policies.length; index++) {
      const result = policies[index]!(request);
      if (typeof result !== 'boolean' && isThenable(result)) {
        return settle(result, policies.slice(index + 1), request);
      }
      if (result !== true) return false;
    }
    return true;
  };
}

async function settle(
  first: PromiseLike<boolean>,
  rest: RoomPolicy[],
  request: PolicyJoinRequest,
): Promise<boolean> {
  if ((await first) !== true) return false;
  for (const policy of rest) {
    if ((await policy(request)) !== true) return false;
  }
  return true;
}

function isThenable(value: unknown): value is PromiseLike<boolean> {
  return typeof (value as PromiseLike<boolean> | null)?.then === 'function';
}

function toMatcher(match: RoomMatch | undefined): (roomName: string) => boolean {
  if (typeof match === 'function') return match;
  if (match instanceof RegExp) {
    const pattern = statelessRegExp(match);
    return roomName => pattern.test(roomName);
  }
  if (typeof match === 'string' && match !== '') {
    if (!match.includes('*')) return roomName => roomName === match;
    const source = match.split('*').map(escapeRegExp).join('.*');
    const pattern = new RegExp(`^${source}$`, 's');
    return roomName => pattern.test(roomName);
  }
  throw new TypeError(
    `claimRoomPolicy: match must be a room name, a glob like 'private:*', a RegExp or a function.`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
