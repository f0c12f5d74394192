import { jsonCodec } from '@roomcast/protocol';
import { msgpackCodec } from '@roomcast/protocol/msgpack';
import type { ClientKind } from '../systems/system';
import type { ClientOptions, SwarmClient } from './client';
import { connectLightRoomcastClient, connectLightSocketIoClient } from './light-clients';
import { connectRoomcastProtocolClient } from './roomcast-protocol-client';
import { connectSocketIoClient } from './socket-io-client';

/**
 * A client of `kind`, joined. `light`: the light client of that protocol (`light-clients.ts`), for
 * scenarios that send a client process more frames than a WebSocket library reads.
 */
export function connectClient(kind: ClientKind, options: ClientOptions, light = false): Promise<SwarmClient> {
  if (light) {
    if (kind === 'roomcast') return connectLightRoomcastClient(options);
    if (kind === 'socket.io') return connectLightSocketIoClient(options);
    throw new Error(`no light client speaks ${kind}`);
  }
  if (kind === 'socket.io') return connectSocketIoClient(options);
  return connectRoomcastProtocolClient(options, kind === 'roomcast-msgpack' ? msgpackCodec : jsonCodec);
}

export type { ClientOptions, SwarmClient } from './client';
