import { jsonCodec } from '@roomcast/protocol';
import { msgpackCodec } from '@roomcast/protocol/msgpack';
import type { ClientKind } from '../systems/system';
import type { ClientOptions, SwarmClient } from './client';
import { connectRoomcastProtocolClient } from './roomcast-protocol-client';
import { connectSocketIoClient } from './socket-io-client';

export function connectClient(kind: ClientKind, options: ClientOptions): Promise<SwarmClient> {
  if (kind === 'socket.io') return connectSocketIoClient(options);
  return connectRoomcastProtocolClient(options, kind === 'roomcast-msgpack' ? msgpackCodec : jsonCodec);
}

export type { ClientOptions, SwarmClient } from './client';
