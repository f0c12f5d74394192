import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ChatProcess {
  readonly url: string;
  readonly pid: number;
  readonly output: () => string;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the chat exactly as `pnpm chat -- <args>` does (dist/main.js, built from src/main.ts, in its own process) and
 * resolves once it says where it listens. `stop()` sends SIGTERM and waits for the exit.
 */
export async function startChat(
  port: number,
  args: string[],
  env: Record<string, string> = {},
): Promise<ChatProcess> {
  const child = spawn(process.execPath, [MAIN, '--port', String(port), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chat did not start:\n${output}`)), 60_000);
    const check = () => {
      if (!output.includes(`Chat running at ${url}`)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`chat exited:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid as number,
    output: () => output,
    exited,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
