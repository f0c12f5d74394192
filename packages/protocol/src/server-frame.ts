import { isRequestId } from './codec';
import type {
  AuthenticatedFrame,
  ConnectedFrame,
  ErrorReplyFrame,
  PresenceCountFrame,
  PresenceDiffFrame,
  PresenceFrame,
  PushFrame,
  ReplyFrame,
  RoomInterruptedFrame,
  RoomNotRecoveredFrame,
  UnreadableFrameError,
} from './frames';

/** A server frame whose envelope was checked, by kind: what a client should do with it. */
export type DecodedServerFrame =
  | { kind: 'reply'; frame: ReplyFrame }
  | { kind: 'error'; frame: ErrorReplyFrame | UnreadableFrameError }
  | { kind: 'connected'; frame: ConnectedFrame }
  | { kind: 'authenticated'; frame: AuthenticatedFrame }
  | { kind: 'roomInterrupted'; frame: RoomInterruptedFrame }
  | { kind: 'roomNotRecovered'; frame: RoomNotRecoveredFrame }
  | { kind: 'presence'; frame: PresenceFrame }
  | { kind: 'presenceDiff'; frame: PresenceDiffFrame }
  | { kind: 'presenceCount'; frame: PresenceCountFrame }
  | { kind: 'push'; frame: PushFrame };

export type ServerFrameKind = DecodedServerFrame['kind'];

/** Why a server frame was refused, and what it claimed to be (`frame`: not even an envelope). */
export interface ServerFrameError {
  kind: ServerFrameKind | 'frame';
  message: string;
}

export type ServerFrameResult = ({ ok: true } & DecodedServerFrame) | { ok: false; error: ServerFrameError };

type Fields = Record<string, unknown>;
type DataCheck = [ServerFrameKind, (data: Fields) => boolean, string];

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isUserId = (value: unknown) => isString(value) || typeof value === 'number';
const orNull = (value: unknown, check: (v: unknown) => boolean) => value === null || check(value);
const isOffset = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

const isMember = (d: unknown) =>
  isObject(d) && isString(d.clientId) && orNull(d.userId, isUserId) && orNull(d.username, isString);
const isMembers = (value: unknown) => Array.isArray(value) && value.every(isMember);

const PRESENCE: DataCheck = [
  'presence',
  d => isString(d.roomName) && isMember(d),
  'roomName, clientId, userId, username',
];

/** The frames the server itself sends with fixed data, by `type.action`: their kind and data check. */
const FIXED: Record<string, DataCheck> = {
  'system.connected': ['connected', d => isString(d.clientId) && isString(d.nodeId), 'clientId, nodeId'],
  'auth.authenticated': ['authenticated', d => isUserId(d.userId) && isString(d.message), 'userId, message'],
  'system.roomInterrupted': ['roomInterrupted', d => isString(d.roomName), 'roomName'],
  'system.roomNotRecovered': [
    'roomNotRecovered',
    d => isString(d.roomName) && isOffset(d.offset) && isString(d.epoch),
    'roomName, offset, epoch',
  ],
  'presence.join': PRESENCE,
  'presence.leave': PRESENCE,
  'presence.diff': [
    'presenceDiff',
    d => isString(d.roomName) && isMembers(d.joins) && isMembers(d.leaves),
    'roomName, joins, leaves',
  ],
  'presence.count': ['presenceCount', d => isString(d.roomName) && isOffset(d.count), 'roomName, count'],
};

const BAD_ID = '"id" is not a request id';

/**
 * Reads one server frame (JSON text) and checks its envelope: `type`/`action`; `response` or
 * `error: { code, message }` and the echoed `id` of a reply; the data of `system.connected`,
 * `auth.authenticated`, `system.roomInterrupted`, `system.roomNotRecovered` and presence; `room`
 * and `offset` of a push. Application data (`data`, `response`) stays as sent. Never throws.
 *
 * @example
 * const result = decodeServerFrame(event.data);
 * if (!result.ok) logger.warn(result.error, 'ignored a server frame');
 * else if (result.kind === 'connected') remember(result.frame.data.clientId);
 */
export function decodeServerFrame(text: string): ServerFrameResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('frame', 'not JSON');
  }
  return checkServerFrame(value);
}

/** `decodeServerFrame` for a frame another codec (MessagePack) already parsed. Never throws. */
export function checkServerFrame(value: unknown): ServerFrameResult {
  if (!isObject(value) || !isString(value.type) || !isString(value.action)) {
    return refuse('frame', 'not an object with string "type" and "action"');
  }
  const id = value.id;
  if ('error' in value) {
    const error = value.error;
    // Any string code: a newer server's code must still reject the request it answers.
    const body =
      isObject(error) &&
      isString(error.code) &&
      isString(error.message) &&
      (error.issues === undefined || Array.isArray(error.issues));
    if (!body) return refuse('error', '"error" is not { code, message, issues? }');
    if ('response' in value) return refuse('error', 'both "response" and "error"');
    if (id !== undefined && !isRequestId(id)) return refuse('error', BAD_ID);
    return { ok: true, kind: 'error', frame: value as unknown as ErrorReplyFrame };
  }
  if ('response' in value) {
    if (id !== undefined && !isRequestId(id)) return refuse('reply', BAD_ID);
    return { ok: true, kind: 'reply', frame: value as unknown as ReplyFrame };
  }
  const fixed = FIXED[`${value.type}.${value.action}`];
  const kind = fixed?.[0] ?? 'push';
  if (fixed && !(isObject(value.data) && fixed[1](value.data))) {
    return refuse(kind, `${value.type}.${value.action} needs data { ${fixed[2]} }`);
  }
  if (value.room !== undefined && !isString(value.room)) return refuse(kind, '"room" is not a string');
  if (value.offset !== undefined && !isOffset(value.offset)) return refuse(kind, '"offset" is not an offset');
  return { ok: true, kind, frame: value as unknown as PushFrame } as ServerFrameResult;
}

function refuse(kind: ServerFrameError['kind'], message: string): ServerFrameResult {
  return { ok: false, error: { kind, message } };
}
