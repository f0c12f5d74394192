import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { within } from './clock';

/** Handlers a child process serves to its parent over the IPC channel. */
// `any`: each child declares its own argument shapes, which the parent mirrors by type import.
export type Handlers = Record<string, (args: any) => unknown>;

interface Request {
  id: number;
  method: string;
  args: unknown;
}
interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * Child side: answers the parent's calls. The child exits when the parent goes away, so a
 * crashed bench never leaves servers or client swarms behind.
 */
export function serveRpc(handlers: Handlers): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (request: Request) => {
    const handler = handlers[request.method];
    const reply = (body: Omit<Reply, 'id'>) => process.send?.({ id: request.id, ...body });
    if (!handler) {
      reply({ error: `unknown method ${request.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(request.args))
      .then(
        result => reply({ result }),
        (error: unknown) => reply({ error: (error instanceof Error && error.stack) || String(error) }),
      );
  });
}

const live = new Set<ChildProcess>();
// Whatever way the bench ends, the processes it started end with it (by pid, nothing else).
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Parent side: a forked child whose every call has a time limit. */
export class ChildRpc {
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  readonly #name: string;
  #nextId = 1;

  constructor(name: string, entry: string, execArgv: string[] = []) {
    this.#name = name;
    this.#child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    live.add(this.#child);
    this.#child.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (reply.error !== undefined) pending.reject(new Error(`${this.#name}: ${reply.error}`));
      else pending.resolve(reply.result);
    });
    this.#child.once('exit', code => {
      live.delete(this.#child);
      for (const pending of this.#pending.values()) pending.reject(new Error(`${name} exited (${code})`));
      this.#pending.clear();
    });
  }

  call<T>(method: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    // A child killed on purpose (the restart scenario) is asked nothing more.
    if (!this.#child.connected) return Promise.reject(new Error(`${this.#name} has exited`));
    const id = this.#nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#child.send({ id, method, args } satisfies Request);
    return within(`${this.#name}.${method}`, timeoutMs, answer) as Promise<T>;
  }

  /** Calls `method` (the child's clean-up), then makes the child exit, even if the call failed. */
  async finish(method: string, timeoutMs = 30_000): Promise<void> {
    try {
      await this.call(method, {}, timeoutMs);
    } finally {
      await this.exit();
    }
  }

  /** SIGKILL now, by pid: no clean-up, as when a machine is lost. */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  /** Asks the child to exit; kills it by pid if it has not within `timeoutMs`. */
  async exit(timeoutMs = 10_000): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.disconnect();
    try {
      await within(`${this.#name} exit`, timeoutMs, exited);
    } catch {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
