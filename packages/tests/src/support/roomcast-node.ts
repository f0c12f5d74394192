/**
 * Roomcast nodes in child processes, for cross-node tests: each node is a real process with its
 * own Redis connections, so a node can be SIGKILLed like a crashed worker.
 *
 *   const node = await startNode({ redis: { host: '127.0.0.1', port }, auth: { secret } });
 *   node.url                                   ws://127.0.0.1:<port>/ws (binds 127.0.0.1 only)
 *   node.nodeId, node.pid
 *   await node.server.broadcastToRoom({ roomName: 'r', data })   every node (cluster scope)
 *   await node.local.broadcastToAllClients({ data })             this node's clients only
 *   await node.service.sendToRooms(['r'], message)               WebSocketService on the server
 *   await node.server.getRoomMembers('r'), node.server.getHealth(), node.server.publish(ch, msg)
 *   await node.busStats()        RedisBus stats; receivedByChannel is a plain object
 *   await node.subscriberRuns()  runs of the config's recording subscribers, in order
 *   node.logs / node.output      every logger call of the node / its stdout+stderr, as they come
 *   await node.stop()            server.stop(), close bus/store/history/Redis, exit 0
 *   await node.kill()            SIGKILL, resolves on exit (no clean-up: presence must expire)
 *   node.exited                  resolves with { code, signal } when the process is gone
 *
 * Calls cross IPC as JSON: arguments and results must be plain data, so a `predicate` cannot be
 * passed. `config.subscribers` entries become subscribers inside the node that record each run
 * and send `{ type: 'subscriber', action: 'ran', data: { subscriber, channel, message, nodeId } }`
 * through `server.local` (or throw, with `throws: true`). `useNodes()` kills what a test started.
 *
 * The child runs `node-entry.mjs` on the packages' built `dist` (turbo builds it before tests).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JwtAuthenticatorOptions, UserRoomPolicyOptions } from '@roomcast/auth';
import type { RoomPattern } from '@roomcast/rooms';
import type {
  Broadcaster,
  WebSocketServer,
  WebSocketServerOptions,
  WebSocketService,
} from '@roomcast/server';
import { afterEach } from 'vitest';

const ENTRY = fileURLToPath(new URL('./node-entry.mjs', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const CALL_TIMEOUT_MS = 15_000;

export interface NodeConfig {
  /** ioredis-style connection: `{ host, port }`, `{ url }` or `{ cluster: [{ host, port }] }`. */
  redis: { host: string; port: number } | { url: string } | { cluster: { host: string; port: number }[] };
  /** Bus and store naming: `roomcast:<appName>:` unless `prefix` is given. Default app: `test`. */
  appName?: string;
  prefix?: string;
  nodeId?: string;
  /** Presence and history patterns (string `match` only: a RegExp cannot cross IPC). */
  rooms?: {
    patterns?: (Omit<RoomPattern, 'match'> & { match: string })[];
    maxRoomsPerClient?: number;
    /** How long a durable message may wait for the stream before it goes out live on its node. */
    maxLiveDelayMs?: number;
  };
  /** `rooms.authorizeJoin` from @roomcast/auth's userRoomPolicy / claimRoomPolicy (composed). */
  roomPolicies?: { userRoom?: UserRoomPolicyOptions; claimRoom?: { match: string; claim?: string } };
  /** createJwtAuthenticator options (a string secret). */
  auth?: Pick<JwtAuthenticatorOptions, 'required' | 'loginTimeoutMs' | 'issuer' | 'audience'> & {
    secret: string;
  };
  /** RedisRoomStore liveness: short values let a SIGKILLed node expire quickly. */
  store?: { nodeTtlMs?: number; heartbeatMs?: number; sweepMs?: number };
  subscribers?: { channel: string; throws?: boolean; name?: string; priority?: number }[];
  /** Passed to `subscriberHandlers.directory` (modules must be plain .js/.mjs). */
  subscribersDirectory?: string;
  /** Other JSON-able WebSocketServer options (limits, heartbeat, allowedOrigins, ...). */
  server?: Pick<
    WebSocketServerOptions,
    'limits' | 'heartbeat' | 'allowedOrigins' | 'disconnectInactiveClients' | 'debug'
  >;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface BusStats {
  published: number;
  received: number;
  dropped: number;
  pending: number;
  receivedByChannel: Record<string, number>;
}

export interface SubscriberRun {
  subscriber: string;
  channel: string;
  message: unknown;
}

type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};
type BroadcastCalls =
  | 'broadcastToRoom'
  | 'broadcastToAllClients'
  | 'broadcastToUsers'
  | 'broadcastToClient'
  | 'broadcastToClients'
  | 'sendMessageToAll'
  | 'sendCustomMessage'
  | 'publish';
type ServerCalls = BroadcastCalls | 'getRoomMembers' | 'getRooms' | 'getHealth' | 'disconnectClient';
type ServiceCalls =
  | 'broadcast'
  | 'sendToRooms'
  | 'sendToClients'
  | 'sendUserMessage'
  | 'sendSystemMessage'
  | 'sendErrorMessage';

export interface RoomcastNode {
  readonly url: string;
  readonly nodeId: string;
  readonly pid: number;
  readonly server: Remote<Pick<WebSocketServer, ServerCalls>>;
  readonly local: Remote<Pick<Broadcaster, BroadcastCalls>>;
  readonly service: Remote<Pick<WebSocketService, ServiceCalls>>;
  readonly logs: LogLine[];
  readonly output: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  busStats(): Promise<BusStats>;
  subscriberRuns(): Promise<SubscriberRun[]>;
  stop(options?: { timeoutMs?: number }): Promise<void>;
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A crashed test run must not leave nodes behind (they also exit when the IPC channel closes).
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type FromChild = Reply | { log: LogLine } | { ready: { url: string; nodeId: string } } | { failed: string };

/** Forks a node, sends it `config`, resolves once it accepts WebSocket connections. */
export async function startNode(config: NodeConfig): Promise<RoomcastNode> {
  // execArgv: [] so the child does not inherit vitest's loader flags.
  const child = fork(ENTRY, [], { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  live.add(child);
  const logs: LogLine[] = [];
  let output = '';
  child.stdout?.on('data', chunk => (output += chunk));
  child.stderr?.on('data', chunk => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  void exited.then(({ code, signal }) => {
    for (const call of pending.values()) call.reject(new Error(`node exited (${signal ?? code})`));
    pending.clear();
  });
  const ready = new Promise<{ url: string; nodeId: string }>((resolve, reject) => {
    child.on('message', (message: FromChild) => {
      if ('log' in message) logs.push(message.log);
      else if ('ready' in message) resolve(message.ready);
      else if ('failed' in message) reject(new Error(`node failed to start: ${message.failed}`));
      else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(new Error(message.error));
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`node exited before it was ready (${signal ?? code}); is dist built?\n${output}`)),
    );
  });
  child.send({ start: config });
  const started = await withTimeout(ready, START_TIMEOUT_MS, 'the node to start').catch(error => {
    child.kill('SIGKILL');
    throw error;
  });

  let nextId = 0;
  const request = (method: string, ...args: unknown[]): Promise<unknown> => {
    if (!child.connected) return Promise.reject(new Error('node is gone'));
    const id = ++nextId;
    const reply = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    child.send({ id, method, args });
    return withTimeout(reply, CALL_TIMEOUT_MS, `${method}(${JSON.stringify(args).slice(0, 80)})`);
  };
  const scope = <T extends object>(name: string) =>
    new Proxy({} as T, {
      // Not a thenable: `await node.server` must not call the node.
      get: (_target, method) =>
        method === 'then' ? undefined : (...args: unknown[]) => request('call', name, String(method), args),
    });

  return {
    ...started,
    pid: child.pid ?? -1,
    server: scope('server'),
    local: scope('local'),
    service: scope('service'),
    logs,
    get output() {
      return output;
    },
    exited,
    busStats: () => request('busStats') as Promise<BusStats>,
    subscriberRuns: () => request('subscriberRuns') as Promise<SubscriberRun[]>,
    stop: async options => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await request('stop', options ?? {}).catch(() => {});
      await exited;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `start()` for each config, tracked so `afterEach` kills whatever the test left running. */
export function useNodes(): (config: NodeConfig) => Promise<RoomcastNode> {
  const started: RoomcastNode[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(node => node.kill()));
  });
  return async config => {
    const node = await startNode(config);
    started.push(node);
    return node;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
