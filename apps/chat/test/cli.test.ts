// Issue 19 point 8: `pnpm chat -- --help` prints the usage; a bad flag prints what to fix and the
// usage, never a stack trace. Runs the real entry point.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

async function chat(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the chat command line', () => {
  it('prints the usage for --help and -h (after the `--` pnpm passes) and exits 0', async () => {
    for (const flags of [['--help'], ['--', '-h']]) {
      const { code, stdout } = await chat(...flags);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: pnpm chat -- \[options\]/);
      expect(stdout).toContain('--workers <n>');
    }
  });

  it.each([
    [['--nope'], /Unknown option '--nope'/],
    [['--port', 'abc'], /--port must be a port number \(0-65535\), got "abc"/],
    [['--workers', '0'], /--workers must be a whole number of at least 1, got "0"/],
    [['--redis', 'localhost:6379'], /--redis must be a redis:\/\/ or rediss:\/\/ URL/],
    [
      ['--peers', 'ws://127.0.0.1:3001'],
      /--peers takes http\(s\):\/\/host:port addresses, got "ws:\/\/127.0.0.1:3001"/,
    ],
  ])('%j: says what to fix, prints the usage, exits 2 without a stack trace', async (flags, message) => {
    const { code, stderr } = await chat(...flags);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: pnpm chat');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
