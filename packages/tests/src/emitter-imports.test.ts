// Issue 20: the emitter runs in processes that hold no WebSocket (queue workers, cron jobs). What
// `@roomcast/redis` loads is read from its built files, following relative imports within the
// package and every @roomcast package it imports, so a stray import of `ws` or of the server
// anywhere on the path fails here, not in a user's worker.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

/** Module specifiers of `import ... from`, `export ... from`, `import(...)` and `require(...)`. */
function importsOf(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

/** The built entry of a workspace package, for one format. */
function entryOf(pkg: string, format: 'js' | 'cjs'): string {
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return resolve(dir, 'dist', `index.${format}`);
}

/** Every bare specifier reachable from `file`: relative files and @roomcast packages are followed. */
function graph(file: string, format: 'js' | 'cjs', seen = new Set<string>(), bare = new Set<string>()) {
  if (seen.has(file)) return bare;
  seen.add(file);
  for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
    if (specifier.startsWith('.')) graph(resolve(dirname(file), specifier), format, seen, bare);
    else {
      bare.add(specifier);
      if (specifier.startsWith('@roomcast/') && specifier !== '@roomcast/server')
        graph(entryOf(specifier, format), format, seen, bare);
    }
  }
  return bare;
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

describe('the import graph of the built @roomcast/redis (createEmitter)', () => {
  for (const format of ['js', 'cjs'] as const) {
    it(`dist/index.${format} reaches neither ws nor @roomcast/server`, () => {
      const reached = [...graph(entryOf('@roomcast/redis', format), format)].sort();
      // The check reads real imports: ioredis is one, so an empty graph would not pass unseen.
      expect(reached).toContain('ioredis');
      expect(reached).toContain('@roomcast/rooms');
      expect(reached.filter(name => name === 'ws' || name.startsWith('ws/'))).toEqual([]);
      expect(reached.filter(name => name.startsWith('@roomcast/server'))).toEqual([]);
      // Anything else (a new dependency) must be looked at: its own imports are not followed here.
      const expectedKinds = (name: string) =>
        name === 'ioredis' || name.startsWith('@roomcast/') || isBuiltin(name);
      expect(reached.filter(name => !expectedKinds(name))).toEqual([]);
    });
  }
});
