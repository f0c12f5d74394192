import { startPreFramedWs } from './pre-framed-ws';
import { startRawWs } from './raw-ws';
import { startRoomcast } from './roomcast';
import { startRoomcastApp } from './roomcast-app';
import { startSocketIo } from './socket-io';
import type { StartSystem } from './system';

/** Every system under test, by the name the table shows. */
export const SYSTEMS = {
  roomcast: options => startRoomcast(options),
  'roomcast-msgpack': options => startRoomcast(options, 'roomcast-msgpack'),
  'roomcast-app': startRoomcastApp,
  ws: startRawWs,
  'ws-preframed': options => startPreFramedWs(options, { coalesce: false }),
  'ws-preframed-coalesced': options => startPreFramedWs(options, { coalesce: true }),
  'socket.io': startSocketIo,
} satisfies Record<string, StartSystem>;

export type SystemName = keyof typeof SYSTEMS;

export type { ClientKind, RunningSystem, SystemOptions } from './system';
export { HOST } from './system';
