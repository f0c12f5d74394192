import type { Codec } from '@roomcast/protocol';
import { WebSocket } from 'ws';
import type { ClientOptions, SwarmClient } from './client';

/** The id of the join request, which its reply carries back. */
export const JOIN_ID = 1;

/** The server URL with the client's JWT as `?token=`, as Roomcast and the raw ws baselines read it. */
export function urlWithToken(options: ClientOptions): string {
  return options.token ? `${options.url}?token=${encodeURIComponent(options.token)}` : options.url;
}

/** `system.joinRoom` for `roomName`: what every Roomcast-protocol client of the swarm sends first. */
export function joinRequest(roomName: string) {
  return { type: 'system', action: 'joinRoom', data: { roomName }, id: JOIN_ID };
}

/**
 * A bare `ws` client speaking Roomcast's wire protocol, which the raw ws baselines also answer:
 * wait for `system.connected`, send `system.joinRoom`, wait for its reply. Deliberately not
 * `@roomcast/client`, so every system's clients cost the same to run.
 */
export function connectRoomcastProtocolClient(options: ClientOptions, codec: Codec): Promise<SwarmClient> {
  const url = urlWithToken(options);
  const protocols = codec.binary ? [codec.subprotocol] : [];
  const ws = new WebSocket(url, protocols, {
    perMessageDeflate: false,
    ...(options.localAddress && { localAddress: options.localAddress }),
  });
  const read = (data: Buffer) => {
    const parsed = codec.parse(codec.binary ? data : data.toString());
    return parsed.ok ? parsed.value : undefined;
  };
  const client: SwarmClient = { close: () => ws.terminate() };
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      ws.terminate();
      reject(new Error(reason));
    };
    ws.once('error', error => fail(error.message));
    ws.once('close', code => fail(`closed ${code} before joining`));
    ws.once('unexpected-response', (_, response) => fail(`upgrade refused: HTTP ${response.statusCode}`));
    let state: 'connecting' | 'joining' = 'connecting';
    ws.on('message', function handshake(raw) {
      if (state === 'connecting') {
        state = 'joining';
        ws.send(codec.encode(joinRequest(options.roomName)));
        return;
      }
      const reply = (read(raw as Buffer) ?? {}) as { id?: unknown; error?: unknown };
      if (reply.id !== JOIN_ID) return;
      if (reply.error) return fail(`join refused: ${JSON.stringify(reply.error)}`);
      ws.off('message', handshake);
      ws.removeAllListeners('close');
      // From here on the scenario counts what arrives; a reset at teardown is not an error.
      ws.on('error', () => {});
      ws.on('message', data => options.onMessage(() => read(data as Buffer)));
      resolve(client);
    });
  });
}
