import type { UserId } from '@roomcast/protocol';
import type { Emitter } from '@roomcast/redis';
import { isValidRoomName } from '@roomcast/rooms';
import { type ApiReply, fieldError, ok } from './api-reply';

/** `POST /api/broadcast`: exactly one target, the frame, and options. */
export type BroadcastRequest = { data: object; excludeClientId?: string } & (
  | { to: 'room'; room: string; ephemeral: boolean }
  | { to: 'users'; users: UserId[] }
  | { to: 'clients'; clients: string[] }
  | { to: 'all' }
);

const TARGETS = ['room', 'users', 'clients', 'all'] as const;
const FIELDS = new Set<string>([...TARGETS, 'data', 'ephemeral', 'excludeClientId']);

/** Checks a decoded body; throws `fieldError` naming the first field that is wrong. */
export function parseBroadcast(body: unknown): BroadcastRequest {
  if (!isObject(body))
    throw fieldError('body', 'must be a JSON object such as { "room": "news", "data": {...} }');
  for (const name of Object.keys(body)) {
    if (!FIELDS.has(name)) {
      throw fieldError(
        name,
        'unknown field; send room | users | clients | all, data, ephemeral, excludeClientId',
      );
    }
  }
  const given = TARGETS.filter(name => body[name] !== undefined);
  if (given.length !== 1) {
    throw fieldError(given[1] ?? 'room', 'send exactly one of room, users, clients or all');
  }
  const { data, ephemeral, excludeClientId } = body;
  if (!isObject(data))
    throw fieldError(
      'data',
      'must be the frame clients get, a JSON object such as { "type", "action", "data" }',
    );
  if (ephemeral !== undefined && typeof ephemeral !== 'boolean')
    throw fieldError('ephemeral', 'must be true or false');
  if (excludeClientId !== undefined && (typeof excludeClientId !== 'string' || excludeClientId === '')) {
    throw fieldError('excludeClientId', 'must be a client id (a non-empty string)');
  }
  const common = { data, ...(excludeClientId !== undefined && { excludeClientId }) };
  switch (given[0]) {
    case 'room':
      if (!isValidRoomName(body.room)) throw fieldError('room', 'must be 1-128 of A-Z a-z 0-9 _ . : @ # / -');
      return { ...common, to: 'room', room: body.room, ephemeral: ephemeral === true };
    case 'users':
      if (!nonEmptyArray(body.users, isUserId))
        throw fieldError('users', 'must be a non-empty array of user ids');
      return { ...common, to: 'users', users: body.users };
    case 'clients':
      if (!nonEmptyArray(body.clients, isClientId))
        throw fieldError('clients', 'must be a non-empty array of client ids');
      return { ...common, to: 'clients', clients: body.clients };
    default:
      if (body.all !== true) throw fieldError('all', 'must be true');
      return { ...common, to: 'all' };
  }
}

/** Publishes through the emitter; a durable room message answers with its offset and epoch. */
export async function runBroadcast(emitter: Emitter, request: BroadcastRequest): Promise<ApiReply> {
  const { data, excludeClientId } = request;
  const exclude = excludeClientId === undefined ? {} : { excludeClientId };
  switch (request.to) {
    case 'room': {
      const { offset, epoch } = await emitter.broadcastToRoom({
        roomName: request.room,
        data,
        ephemeral: request.ephemeral,
        ...exclude,
      });
      return offset === undefined ? ok() : ok({ offset, epoch });
    }
    case 'users':
      await emitter.broadcastToUsers({ userIds: request.users, data, ...exclude });
      return ok();
    case 'clients':
      await emitter.broadcastToClients(request.clients, data);
      return ok();
    case 'all':
      await emitter.broadcastToAllClients({ data, ...exclude });
      return ok();
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyArray<T>(value: unknown, each: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.length > 0 && value.every(each);
}

function isUserId(value: unknown): value is UserId {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function isClientId(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
