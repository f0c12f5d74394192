import type { ClientKind } from '../systems/system';
import type { ClientOptions, SwarmClient } from './client';
import { connectRoomcastProtocolClient } from './roomcast-protocol-client';
import { connectSocketIoClient } from './socket-io-client';

export function connectClient(kind: ClientKind, options: ClientOptions): Promise<SwarmClient> {
  return kind === 'socket.io' ? connectSocketIoClient(options) : connectRoomcastProtocolClient(options);
}

export type { ClientOptions, SwarmClient } from './client';
