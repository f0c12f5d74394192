import type { RecoveryConnectArgs, RecoveryTally } from './recovery-swarm-process';
import { ChildRpc } from './rpc';

const ENTRY = new URL('./recovery-swarm-process.js', import.meta.url).pathname;

/** The restart scenario's swarm of `@roomcast/client` clients, in its own process. */
export class RecoverySwarmProcess {
  readonly #rpc = new ChildRpc('recovery swarm', ENTRY);

  async connect(args: RecoveryConnectArgs, timeoutMs: number): Promise<number> {
    const { elapsedMs } = await this.#rpc.call<{ elapsedMs: number }>('connect', args, timeoutMs);
    return elapsedMs;
  }

  /** Per client, how long after `since` (monotonic ms), and after its own close, it was back in its room. */
  waitRecovered(since: number, timeoutMs: number): Promise<{ afterStop: number; afterClose: number }[]> {
    return this.#rpc.call('waitRecovered', { since, timeoutMs }, timeoutMs + 5_000);
  }

  /** Distinct messages shown so far, over every client. */
  shown(): Promise<number> {
    return this.#rpc.call('shown');
  }

  tally(perRoom: number): Promise<RecoveryTally> {
    return this.#rpc.call('tally', { perRoom });
  }

  stop(): Promise<void> {
    return this.#rpc.finish('closeAll');
  }
}
