import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@roomcast/protocol';

export interface ClusterPrimaryOptions {
  workers: number;
  logger: Logger;
  /** How long `stop()` waits for a worker's graceful stop before SIGKILL. */
  stopTimeoutMs?: number;
}

/** A worker that died is replaced after this pause, so a worker that crashes at once cannot spin the CPU. */
const RESTART_DELAY_MS = 500;

/**
 * The primary of `cluster: { workers }`: forks workers that run the same entry script (each one
 * builds the same WebApplication and listens; node:cluster shares the port), replaces any worker
 * that dies, and stops them all with SIGTERM so each one shuts down gracefully.
 */
export class ClusterPrimary {
  readonly #options: ClusterPrimaryOptions;
  readonly #workers = new Set<Worker>();
  #stopping = false;

  constructor(options: ClusterPrimaryOptions) {
    this.#options = options;
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

  #fork(): Promise<number> {
    const worker = cluster.fork();
    this.#workers.add(worker);
    return new Promise((resolve, reject) => {
      let listening = false;
      worker.once('listening', address => {
        listening = true;
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
        this.#options.logger.warn({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
        setTimeout(() => {
          if (!this.#stopping)
            this.#fork().catch(error => this.#options.logger.error({ err: error }, 'restart failed'));
        }, RESTART_DELAY_MS).unref();
      });
    });
  }
}
