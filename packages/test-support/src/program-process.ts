import { type ChildProcess, spawn } from 'node:child_process';

export interface ProgramProcess {
  readonly pid: number | undefined;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once `text` appears in its output; rejects if it exits first or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves once it has exited: its exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM by its pid, SIGKILL after 10 s; resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs a Node program (an example's built `dist/*.js`) in its own process with `env` added, as a
 * user would run it, so a test checks the real program and not a copy of its code.
 */
export function startProgram(file: string, env: Record<string, string> = {}): ProgramProcess {
  const child: ChildProcess = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | NodeJS.Signals | null>(resolve =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of [...listeners]) listener();
  });

  const waitFor = (text: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        listeners.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (output.includes(text)) finish();
        else if (done) finish(new Error(`${file} exited before printing "${text}":\n${output}`));
      };
      const timer = setTimeout(() => finish(new Error(`no "${text}" from ${file}:\n${output}`)), timeoutMs);
      listeners.add(check);
      check();
    });

  const stop = async () => {
    if (!done && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (!done && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  return { pid: child.pid, output: () => output, waitFor, exited, stop };
}
