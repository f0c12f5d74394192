import type { PublisherOptions } from './publishers';
import { ChildRpc } from './rpc';
import type { BroadcastArgs, PacedArgs, PublishArgs } from './server-process';
import type { ConnectArgs } from './swarm-process';
import type { ClientKind, SystemName, SystemOptions } from './systems';

const SERVER_ENTRY = new URL('./server-process.js', import.meta.url).pathname;
const SWARM_ENTRY = new URL('./swarm-process.js', import.meta.url).pathname;

export interface HarnessOptions {
  /** Directory for `node --cpu-prof` profiles of the server processes; unset: no profiling. */
  cpuProfDir?: string | undefined;
  roomcastServerModule?: string | undefined;
}

export interface CpuSample {
  user: number;
  system: number;
}

/** A system under test running in its own process. */
export class ServerProcess {
  readonly #rpc: ChildRpc;
  url = '';
  clientKind: ClientKind = 'roomcast';

  private constructor(rpc: ChildRpc) {
    this.#rpc = rpc;
  }

  static async start(
    name: SystemName,
    options: SystemOptions,
    harness: HarnessOptions,
  ): Promise<ServerProcess> {
    const execArgv = ['--expose-gc'];
    if (harness.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${harness.cpuProfDir}`);
    const server = new ServerProcess(new ChildRpc(`server ${name}`, SERVER_ENTRY, execArgv));
    const withModule = harness.roomcastServerModule
      ? { ...options, roomcastServerModule: harness.roomcastServerModule }
      : options;
    try {
      const started = await server.#rpc.call<{ url: string; clientKind: ClientKind }>('start', {
        name,
        options: withModule,
      });
      server.url = started.url;
      server.clientKind = started.clientKind;
    } catch (error) {
      await server.#rpc.exit();
      throw error;
    }
    return server;
  }

  broadcast(args: BroadcastArgs, timeoutMs: number): Promise<void> {
    return this.#rpc.call('broadcast', args, timeoutMs);
  }

  paced(args: PacedArgs, timeoutMs: number): Promise<void> {
    return this.#rpc.call('paced', args, timeoutMs);
  }

  /** CPU time (user + system) this process has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    const { user, system } = await this.#rpc.call<CpuSample>('cpu');
    return user + system;
  }

  memory(): Promise<{ rss: number; heapUsed: number; external: number }> {
    return this.#rpc.call('memory');
  }

  stop(): Promise<void> {
    return this.#rpc.finish('stop');
  }

  /** SIGKILL: the node dies without a word to its clients (scenario 8). */
  kill(): void {
    this.#rpc.kill();
  }
}

/** A publisher (an emitter, or an HTTP client of the publish API) in its own process. */
export class PublisherProcess {
  readonly #rpc: ChildRpc;

  private constructor(rpc: ChildRpc) {
    this.#rpc = rpc;
  }

  static async start(options: PublisherOptions): Promise<PublisherProcess> {
    const publisher = new PublisherProcess(new ChildRpc(`publisher ${options.kind}`, SERVER_ENTRY));
    try {
      await publisher.#rpc.call('startPublisher', options);
    } catch (error) {
      await publisher.#rpc.exit();
      throw error;
    }
    return publisher;
  }

  /** Resolves with how long the publisher took until every publish was accepted. */
  async publish(args: PublishArgs, timeoutMs: number): Promise<number> {
    const { elapsedMs } = await this.#rpc.call<{ elapsedMs: number }>('publish', args, timeoutMs);
    return elapsedMs;
  }

  /** CPU time (user + system) this process has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    const { user, system } = await this.#rpc.call<CpuSample>('cpu');
    return user + system;
  }

  stop(): Promise<void> {
    return this.#rpc.finish('stop');
  }
}

/** A client swarm in its own process. */
export class SwarmProcess {
  readonly #rpc = new ChildRpc('swarm', SWARM_ENTRY);
  clients = 0;

  async connect(args: ConnectArgs, timeoutMs: number): Promise<number> {
    const { elapsedMs } = await this.#rpc.call<{ elapsedMs: number }>('connect', args, timeoutMs);
    this.clients += args.count;
    return elapsedMs;
  }

  waitReceived(atLeast: number, timeoutMs: number): Promise<number> {
    return this.#rpc.call('waitReceived', { atLeast, timeoutMs }, timeoutMs + 5_000);
  }

  /** Waits until nothing arrives for `quietMs`; see the swarm's `quiet`. */
  quiet(quietMs: number, timeoutMs: number): Promise<{ received: number; lastAfterConnectMs: number }> {
    return this.#rpc.call('quiet', { quietMs, timeoutMs }, timeoutMs + 5_000);
  }

  resetCount(): Promise<void> {
    return this.#rpc.call('resetCount');
  }

  takeLatencies(): Promise<number[]> {
    return this.#rpc.call('takeLatencies');
  }

  /** CPU time (user + system) this client process has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    const { user, system } = await this.#rpc.call<CpuSample>('cpu');
    return user + system;
  }

  stop(): Promise<void> {
    return this.#rpc.finish('closeAll');
  }
}

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Runs `body` with an `own` function that registers each process it starts; afterwards every
 * owned process is stopped, whatever happened, so a failed run leaves nothing behind.
 */
export async function withProcesses<T>(
  body: (own: <P extends Stoppable>(process: P) => P) => Promise<T>,
): Promise<T> {
  const owned: Stoppable[] = [];
  try {
    return await body(process => {
      owned.push(process);
      return process;
    });
  } finally {
    await Promise.allSettled(owned.map(process => process.stop()));
  }
}
