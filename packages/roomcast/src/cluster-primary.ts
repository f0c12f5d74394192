import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@roomcast/protocol';

export interface ClusterPrimaryOptions {
  workers: number;
  logger: Logger;
  /** How long `stop()` waits for a worker's graceful stop before SIGKILL. */
  stopTimeoutMs?: number;
  restart?: Partial<RestartPolicy>;
}

/**
 * How a dead worker is replaced. A worker that dies within `stableMs` of listening died "early":
 * each early death in a row doubles the pause before the next fork (from `initialDelayMs` up to
 * `maxDelayMs`), and after `maxEarlyDeaths` of them the worker is not replaced (logged as an
 * error), so a crash loop neither spins the CPU nor floods the log. A worker that lived longer is
 * replaced after `initialDelayMs`.
 */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  stableMs: number;
  maxEarlyDeaths: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableMs: 10_000,
  maxEarlyDeaths: 5,
});

/**
 * The primary of `cluster: { workers }`: forks workers that run the same entry script (each one
 * builds the same WebApplication and listens; node:cluster shares the port), replaces any worker
 * that dies, and stops them all with SIGTERM so each one shuts down gracefully.
 */
export class ClusterPrimary {
  readonly #options: ClusterPrimaryOptions;
  readonly #workers = new Set<Worker>();
  readonly #restart: RestartPolicy;
  #stopping = false;

  constructor(options: ClusterPrimaryOptions) {
    this.#options = options;
    this.#restart = { ...DEFAULT_RESTART_POLICY, ...options.restart };
  }

  /** Forks every worker; resolves with the shared port once all listen, rejects if one dies first. */
  async start(): Promise<number> {
    const ports = await Promise.all(Array.from({ length: this.#options.workers }, () => this.#fork()));
    return ports[0] ?? 0;
  }

  get size(): number {
    return this.#workers.size;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const timeoutMs = this.#options.stopTimeoutMs ?? 10_000;
    await Promise.all(
      [...this.#workers].map(
        worker =>
          new Promise<void>(resolve => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  /** `earlyDeaths`: how many workers in this slot died early in a row before this one. */
  #fork(earlyDeaths = 0): Promise<number> {
    const worker = cluster.fork();
    this.#workers.add(worker);
    return new Promise((resolve, reject) => {
      let listening = false;
      let listeningAt = 0;
      worker.once('listening', address => {
        listening = true;
        listeningAt = Date.now();
        this.#options.logger.info({ pid: worker.process.pid, port: address.port }, 'worker listening');
        resolve(address.port);
      });
      worker.once('exit', (code, signal) => {
        this.#workers.delete(worker);
        if (!listening) {
          reject(new Error(`A cluster worker exited before listening (code ${code}, signal ${signal})`));
          return;
        }
        if (this.#stopping) return;
        const policy = this.#restart;
        const early = Date.now() - listeningAt < policy.stableMs ? earlyDeaths + 1 : 0;
        const { pid } = worker.process;
        if (early >= policy.maxEarlyDeaths) {
          const message = `worker died ${early} times in a row within ${policy.stableMs} ms of starting; not restarting it`;
          this.#options.logger.error({ pid, code, signal }, message);
          return;
        }
        const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, early - 1));
        this.#options.logger.warn({ pid, code, signal, delayMs }, 'worker died; starting another');
        setTimeout(() => {
          if (!this.#stopping)
            this.#fork(early).catch(error => this.#options.logger.error({ err: error }, 'restart failed'));
        }, delayMs).unref();
      });
    });
  }
}
