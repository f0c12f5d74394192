import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toDefinition, withDefaultName } from './define';
import type { AnyWebSocketSubscriberDefinition } from './types';

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
// Declarations, tests and source maps sit beside compiled subscribers; none of them is one.
const SKIPPED = /\.d\.[cm]?ts$|\.(test|spec)\.[^.]+$|\.map$/;

/**
 * Imports every subscriber module in `directory` (not its subdirectories), in file-name order,
 * and returns their default exports: a definition, a plain `{ channel, handle }` object, or an
 * array of them. A subscriber without a `name` is named after its file. `.ts` files need a
 * TypeScript-aware runtime (tsx, vitest, Node's type stripping); a built app loads its `.js`.
 * Rejects with an Error naming the file whose module fails to import or exports no valid
 * subscriber.
 *
 * @example
 * ```ts
 * const subscribers = await loadSubscribersFromDirectory(path.join(baseDir, 'websocket', 'subscribers'));
 * dispatcher.add(subscribers);
 * ```
 */
export async function loadSubscribersFromDirectory(
  directory: string,
): Promise<AnyWebSocketSubscriberDefinition[]> {
  if (typeof directory !== 'string' || directory === '') {
    throw new TypeError(
      'loadSubscribersFromDirectory(directory) needs the path of a directory of subscriber modules.',
    );
  }
  const root = resolve(directory);
  let files: string[];
  try {
    const entries = await readdir(root, { withFileTypes: true });
    files = entries
      .filter(entry => entry.isFile() && isSubscriberModule(entry.name))
      .map(entry => entry.name)
      .sort();
  } catch (cause) {
    throw new Error(`Cannot read the subscribers directory ${root}: ${(cause as Error).message}`, { cause });
  }
  const definitions: AnyWebSocketSubscriberDefinition[] = [];
  for (const file of files) definitions.push(...(await loadModule(join(root, file))));
  return definitions;
}

function isSubscriberModule(file: string): boolean {
  return MODULE_EXTENSIONS.has(extname(file)) && !SKIPPED.test(file) && !file.startsWith('.');
}

async function loadModule(path: string): Promise<AnyWebSocketSubscriberDefinition[]> {
  let loaded: Record<string, unknown>;
  try {
    loaded = await import(pathToFileURL(path).href);
  } catch (cause) {
    throw new Error(`Cannot import subscriber module ${path}: ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
  }
  if (loaded.default === undefined) {
    throw new Error(
      `Subscriber module ${path} has no default export; end it with export default defineWebSocketSubscriber({ ... }).`,
    );
  }
  const exported = Array.isArray(loaded.default) ? loaded.default : [loaded.default];
  const name = basename(path, extname(path));
  return exported.map((value: unknown, index) => {
    try {
      return withDefaultName(toDefinition(value), exported.length === 1 ? name : `${name}[${index}]`);
    } catch (cause) {
      throw new Error(
        `Subscriber module ${path} does not export a valid subscriber: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  });
}
