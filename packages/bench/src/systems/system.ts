import type { PresenceOption } from 'roomcast';
import type { BenchMessage } from '../message';

/**
 * How the client swarm talks to a system: Roomcast's wire protocol (also spoken by the raw ws
 * baselines), in JSON or in MessagePack (subprotocol roomcast.v1.msgpack), or Socket.IO's.
 */
export type ClientKind = 'roomcast' | 'roomcast-msgpack' | 'socket.io';

export interface SystemOptions {
  /** Run as one node of a cluster on this Redis; absent: a single node. */
  redis?: { host: string; port: number; appName: string };
  /** When set, clients must present a JWT signed with it and the server verifies it. */
  jwtSecret?: string;
  /** Where to import `@roomcast/server` from: a patched build, to measure a server change. */
  roomcastServerModule?: string;
  /** Roomcast only: every room keeps this history (durable messages), on Redis when clustered. */
  history?: { size: number; ttlMs: number };
  /** Roomcast only: every room's presence setting (`rooms.patterns[].presence`). */
  presence?: PresenceOption;
  /** `roomcast-app` only: turns on the HTTP publish API with this Bearer key (32+ characters). */
  apiKey?: string;
  /** Roomcast only: the server's `drainMs` (how `stop()` spreads its 1001 closes). */
  drainMs?: number;
  /** Roomcast only: the server's `writeDelayMs`. */
  writeDelayMs?: number;
}

/** One system under test, started: the only surface the scenarios use. */
export interface RunningSystem {
  url: string;
  clientKind: ClientKind;
  broadcastToRoom(roomName: string, message: BenchMessage): void;
  broadcastToAll(message: BenchMessage): void;
  stop(): Promise<void>;
}

export type StartSystem = (options: SystemOptions) => Promise<RunningSystem>;

export const HOST = '127.0.0.1';
