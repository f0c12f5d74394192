/**
 * Runs the runnable blocks of one Markdown file, in order, each in its own Node process: a
 * `run server` block stays up (the test waits until its port accepts connections) while the `run`
 * blocks after it run, then gets SIGTERM and must exit cleanly. Port 3000 in a runnable block is
 * replaced by a free loopback port, so the docs can show the usual port and the test never takes it.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { until } from '@roomcast/test-support/helpers';
import ts from 'typescript';
import { blockFileName, type DocBlock } from './doc-blocks';

const RUN_TIMEOUT_MS = 60_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | NodeJS.Signals | null>;
}

function start(block: DocBlock, dir: string, port: number): Running {
  const source = block.code.replace(/\b3000\b/g, String(port));
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const path = join(dir, blockFileName(block, 'run.mjs'));
  writeFileSync(path, outputText);
  // As a user runs it: not under vitest's NODE_ENV=test, which silences WebApplication's logger.
  const { NODE_ENV: _, VITEST: __, ...env } = process.env;
  const child = spawn(process.execPath, [path], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', chunk => (output += chunk));
  child.stderr?.on('data', chunk => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>(resolve =>
    // 'close', not 'exit': it comes after the last of the output has been read.
    child.once('close', (code, signal) => resolve(code ?? signal)),
  );
  return { child, output: () => output, exited };
}

function failure(block: DocBlock, running: Running, what: string): Error {
  return new Error(`${block.file}:${block.line}: ${what}\n--- its output ---\n${running.output()}`);
}

/** Resolves with the exit code, or kills the process (by its pid) after `timeoutMs`. */
async function exitWithin(
  running: Running,
  timeoutMs: number,
): Promise<number | NodeJS.Signals | null | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(resolve => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([running.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout' && running.child.pid !== undefined) process.kill(running.child.pid, 'SIGKILL');
  return result;
}

function accepts(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopServer(block: DocBlock, server: Running): Promise<void> {
  server.child.kill('SIGTERM');
  const code = await exitWithin(server, RUN_TIMEOUT_MS);
  // WebApplication stops, then raises SIGTERM again with no handler left: an exit by signal.
  if (code !== 0 && code !== 'SIGTERM')
    throw failure(block, server, `the server did not exit cleanly on SIGTERM (${code})`);
}

/** Runs `blocks` (the runnable blocks of one file, in order); each output, by block, for asserts. */
export async function runBlocks(blocks: readonly DocBlock[], dir: string, port: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const outputs: string[] = [];
  let server: { block: DocBlock; running: Running } | undefined;
  try {
    for (const block of blocks) {
      const running = start(block, dir, port);
      if (block.mode === 'run-server') {
        if (server) await stopServer(server.block, server.running);
        server = { block, running };
        let exited = false;
        void running.exited.then(() => (exited = true));
        await until(
          `${block.file}:${block.line} to listen`,
          async () => exited || (await accepts(port)),
          RUN_TIMEOUT_MS,
        );
        if (exited) throw failure(block, running, 'the server exited before it listened');
        continue;
      }
      const code = await exitWithin(running, RUN_TIMEOUT_MS);
      if (code !== 0)
        throw failure(block, running, `exited with ${code} (a runnable block must exit 0 by itself)`);
      outputs.push(running.output());
    }
    if (server) {
      const { block, running } = server;
      server = undefined;
      await stopServer(block, running);
      outputs.push(running.output());
    }
  } finally {
    if (server?.running.child.pid !== undefined && server.running.child.exitCode === null) {
      process.kill(server.running.child.pid, 'SIGKILL');
    }
  }
  return outputs;
}
