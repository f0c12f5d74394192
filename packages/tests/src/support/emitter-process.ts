/**
 * An emitter in a child process that holds nothing else (`emitter-entry.mjs`, on the built
 * `@roomcast/redis`), as a queue worker or cron job would run it:
 *
 *   const emitter = await startEmitter({ connection, appName, rooms: { patterns } });
 *   await emitter.call('broadcastToRoom', { roomName: 'r', data })   // { offset, epoch } or {}
 *   await emitter.close()                                             // close(), then the process exits
 *
 * `useEmitters()` kills what a test left running (by pid).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Emitter, EmitterOptions } from '@roomcast/redis';
import { afterEach } from 'vitest';
import type { NodeConfig } from './roomcast-node';

const ENTRY = fileURLToPath(new URL('./emitter-entry.mjs', import.meta.url));
const TIMEOUT_MS = 15_000;

type Calls = Exclude<keyof Emitter, 'origin' | 'close'>;
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type FromChild = Reply | { ready: { origin: string } } | { failed: string };

export interface EmitterProcess {
  readonly origin: string;
  readonly pid: number;
  call<M extends Calls>(method: M, ...args: Parameters<Emitter[M]>): Promise<Awaited<ReturnType<Emitter[M]>>>;
  close(): Promise<void>;
  kill(): Promise<void>;
}

/** JSON-able options only: `connection` (never a client object), naming, room patterns. */
export type EmitterProcessOptions = Omit<EmitterOptions, 'client' | 'logger' | 'connection' | 'rooms'> & {
  connection: NodeConfig['redis'];
  rooms?: NodeConfig['rooms'];
};

export async function startEmitter(options: EmitterProcessOptions): Promise<EmitterProcess> {
  const child = fork(ENTRY, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ready = new Promise<{ origin: string }>((resolve, reject) => {
    child.on('message', (message: FromChild) => {
      if ('ready' in message) resolve(message.ready);
      else if ('failed' in message) reject(new Error(`emitter failed to start: ${message.failed}`));
      else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(new Error(message.error));
      }
    });
    void exited.then(() =>
      reject(new Error('the emitter process exited before it was ready; is dist built?')),
    );
  });
  void exited.then(() => {
    for (const call of pending.values()) call.reject(new Error('the emitter process exited'));
    pending.clear();
  });
  child.send({ start: options });
  const { origin } = await withTimeout(ready, 'the emitter to start').catch(error => {
    child.kill('SIGKILL');
    throw error;
  });
  let nextId = 0;
  const request = (method: string, args: unknown[]): Promise<unknown> => {
    if (!child.connected) return Promise.reject(new Error('the emitter process is gone'));
    const id = ++nextId;
    const reply = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    child.send({ id, method, args });
    return withTimeout(reply, `emitter.${method}`);
  };
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    origin,
    pid: child.pid ?? -1,
    call: (method, ...args) => request(method, args) as never,
    close: async () => {
      if (gone()) return;
      await request('close', []).catch(() => {});
      await exited;
    },
    kill: async () => {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `startEmitter`, killing whatever a test left running after it. */
export function useEmitters(): typeof startEmitter {
  const started: EmitterProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(emitter => emitter.kill()));
  });
  return async options => {
    const emitter = await startEmitter(options);
    started.push(emitter);
    return emitter;
  };
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`)),
      TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
