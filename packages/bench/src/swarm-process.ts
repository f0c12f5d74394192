/**
 * A client swarm: a child process holding many clients of one system, counting (and, for the
 * latency scenario, timing) what they receive. It runs apart from the server so the server's
 * `process.cpuUsage` is the server's alone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { signToken } from '@roomcast/auth';
import { connectClient, type SwarmClient } from './clients';
import { nowMs, within } from './clock';
import { sentAtOf } from './message';
import { serveRpc } from './rpc';
import type { ClientKind } from './systems';

export interface ConnectArgs {
  kind: ClientKind;
  url: string;
  roomName: string;
  count: number;
  /** Handshakes in flight at once. */
  concurrency: number;
  jwtSecret?: string;
  recordLatency?: boolean;
  /** Source address of every connection (the scale scenario gives each swarm its own). */
  localAddress?: string;
  /** Times one message in this many (default 1: every one), so a busy swarm parses fewer. */
  latencySampleEvery?: number;
  /** Light clients (`clients/light-clients.ts`) instead of the WebSocket libraries. */
  light?: boolean;
}

// Latency samples kept at most: 5 s at 100 clients x 100 messages/s is 50,000.
const MAX_SAMPLES = 1_000_000;
const CONNECT_TIMEOUT_MS = 30_000;

const clients: SwarmClient[] = [];
let received = 0;
/** When the last message arrived and when the last `connect` finished (every join answered). */
let lastMessageAt = 0;
let connectedAt = 0;
let recordLatency = false;
let latencySampleEvery = 1;
let latencies: number[] = [];
let waiter: { atLeast: number; resolve: () => void } | undefined;

function onMessage(read: () => unknown): void {
  received++;
  lastMessageAt = nowMs();
  if (recordLatency && received % latencySampleEvery === 0 && latencies.length < MAX_SAMPLES) {
    const sentAt = sentAtOf(read());
    if (sentAt !== undefined) latencies.push(nowMs() - sentAt);
  }
  if (waiter && received >= waiter.atLeast) {
    waiter.resolve();
    waiter = undefined;
  }
}

async function connect(args: ConnectArgs): Promise<{ elapsedMs: number }> {
  recordLatency = args.recordLatency ?? false;
  latencySampleEvery = args.latencySampleEvery ?? 1;
  const first = clients.length;
  // Signed before the clock starts: the scenario times the server, not the token issuer.
  const tokens = Array.from({ length: args.count }, (_, i) =>
    args.jwtSecret ? signToken({ sub: `user-${first + i}` }, { secret: args.jwtSecret }) : undefined,
  );
  const started = nowMs();
  let next = 0;
  const worker = async () => {
    while (next < args.count) {
      const token = tokens[next++];
      const options = {
        url: args.url,
        roomName: args.roomName,
        token,
        localAddress: args.localAddress,
        onMessage,
      };
      clients.push(
        await within('client connect', CONNECT_TIMEOUT_MS, connectClient(args.kind, options, args.light)),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.count) }, worker));
  connectedAt = nowMs();
  return { elapsedMs: connectedAt - started };
}

serveRpc({
  connect,
  waitReceived: ({ atLeast, timeoutMs }: { atLeast: number; timeoutMs: number }) => {
    if (received >= atLeast) return received;
    const reached = new Promise<void>(resolve => {
      waiter = { atLeast, resolve };
    });
    return within(`waiting for ${atLeast} messages (have ${received})`, timeoutMs, reached).then(
      () => received,
    );
  },
  /**
   * Resolves once nothing has arrived for `quietMs` (bounded by `timeoutMs`): how many messages
   * came, and how long after the last join the last one arrived (0: none after it).
   */
  quiet: async ({ quietMs, timeoutMs }: { quietMs: number; timeoutMs: number }) => {
    const deadline = nowMs() + timeoutMs;
    while (nowMs() - Math.max(lastMessageAt, connectedAt) < quietMs) {
      if (nowMs() > deadline) throw new Error(`still receiving after ${timeoutMs} ms (have ${received})`);
      await sleep(50);
    }
    return { received, lastAfterConnectMs: Math.max(0, lastMessageAt - connectedAt) };
  },
  resetCount: () => {
    received = 0;
    latencies = [];
  },
  takeLatencies: () => {
    const taken = latencies;
    latencies = [];
    return taken;
  },
  cpu: () => process.cpuUsage(),
  closeAll: () => {
    for (const client of clients.splice(0)) client.close();
  },
});
