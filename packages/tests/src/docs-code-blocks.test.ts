// Every TypeScript and JavaScript block of the root README, docs/*.md and every package's and app's
// README compiles (strict, one program, against the built packages' types), and the blocks marked
// runnable run: the root README's quick start starts its server, a Node client round-trips a
// message through it, and the server stops on SIGTERM. A block that stops compiling fails here
// with its file and line. The markers are described in CONTRIBUTING.md.

import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@roomcast/test-support/redis-process';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPILED_LANGS, collectBlocks, parseBlocks } from './support/doc-blocks';
import { compileBlocks, writeBlocks } from './support/doc-compile';
import { runBlocks } from './support/doc-run';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
// Inside the workspace, so `roomcast`, `@roomcast/*` and the other dependencies of this package resolve.
const DIR = join(ROOT, 'packages/tests/.docs-blocks');

const { blocks, problems } = collectBlocks(ROOT);
const code = blocks.filter(block => COMPILED_LANGS.has(block.lang));
const compiled = code.filter(block => block.mode !== 'not-compiled');
const runnableFiles = [
  ...new Set(code.filter(block => block.mode.startsWith('run')).map(block => block.file)),
];

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

it('finds the blocks, and every fence names its language', () => {
  expect(problems).toEqual([]);
  expect(compiled.length).toBeGreaterThan(30);
  expect(runnableFiles).toContain('README.md');
  // The escape hatch stays small: each use is visible here when it grows.
  expect(
    code.filter(block => block.mode === 'not-compiled').map(block => `${block.file}:${block.line}`),
  ).toEqual([]);
});

it('compiles every TypeScript and JavaScript block of the docs', { timeout: 180_000 }, () => {
  const errors = compileBlocks(writeBlocks(compiled, DIR));
  expect(errors.join('\n')).toBe('');
});

describe('runnable blocks', () => {
  it.each(runnableFiles)('%s: its runnable blocks run and exit cleanly', { timeout: 240_000 }, async file => {
    const port = await freePort();
    const outputs = await runBlocks(
      compiled.filter(block => block.file === file && block.mode.startsWith('run')),
      join(DIR, 'run'),
      port,
    );
    if (file === 'README.md') {
      // The quick start's client printed the reply to its request and the room message it caused.
      expect(outputs[0]).toContain('reply: { ok: true }');
      expect(outputs[0]).toMatch(/message from ada: hello \(offset 1\)/);
      // The server logged its start and, on SIGTERM, its graceful stop before the process ended.
      expect(outputs[1]).toContain('"msg":"started"');
      expect(outputs[1]).toContain('"msg":"stopped"');
    }
  });
});

describe('the block parser', () => {
  const markdown = [
    '# Title', // 1
    '```ts', // 2
    'const a = 1;', // 3
    '```', // 4
    '<!-- docs: run -->', // 5
    '', // 6
    '```typescript', // 7
    'console.log(2);', // 8
    '```', // 9
    '<!-- docs: not-compiled: a sketch of an interface, not code -->', // 10
    '```ts', // 11
    'x', // 12
    '```', // 13
    '<!-- docs: run server -->', // 14
    '```ts', // 15
    '```', // 16
    '```', // 17
    'no language', // 18
    '```', // 19
    '<!-- docs: not-compiled -->', // 20
    '```json', // 21
    '{}', // 22
    '```', // 23
  ].join('\n');
  const { blocks, problems } = parseBlocks('x.md', markdown);

  it('gives each block its language, mode and the line of its first line of code', () => {
    expect(blocks.map(({ line, lang, mode, reason }) => ({ line, lang, mode, reason }))).toEqual([
      { line: 3, lang: 'ts', mode: 'compile', reason: undefined },
      { line: 8, lang: 'typescript', mode: 'run', reason: undefined },
      { line: 12, lang: 'ts', mode: 'not-compiled', reason: 'a sketch of an interface, not code' },
      { line: 16, lang: 'ts', mode: 'run-server', reason: undefined },
      { line: 18, lang: '', mode: 'compile', reason: undefined },
      { line: 22, lang: 'json', mode: 'compile', reason: undefined },
    ]);
    expect(blocks[0]?.code).toBe('const a = 1;');
  });

  it('refuses a fence without a language and a marker without a reason', () => {
    expect(problems).toEqual([
      'x.md:17: code block names no language (ts, sh, json, text, ...)',
      'x.md:21: unknown marker <!-- docs: not-compiled --> (run, run server, or not-compiled: <why>)',
    ]);
  });
});
