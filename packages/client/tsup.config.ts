import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'tsup';
import { packageBuild } from '../../tsup.base';

/**
 * After the package build, a self-contained browser bundle: `dist/roomcast-client.min.js` has
 * `@roomcast/protocol` inlined and is minified, so a page can import it with no bundler and no
 * import map. Its gzipped size goes to `dist/browser-size.json`; the README states it (a test
 * keeps the two in step). Built after the main build, not beside it, so `clean` cannot race it.
 */
async function buildStandaloneBundle(): Promise<void> {
  await build({
    entry: { 'roomcast-client.min': 'src/browser.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    noExternal: [/.*/],
    sourcemap: true,
    clean: false,
    dts: false,
    silent: true,
    config: false,
  });
  const bundle = readFileSync('dist/roomcast-client.min.js');
  // Self-contained: the only import left is the lazy MessagePack chunk (`import("./msgpack-…")`).
  const staticImport = /(?:^|[;}\s])(?:import|export)[^;]*?from\s*"\.\/[^"]+"/.exec(bundle.toString());
  if (staticImport) throw new Error(`the standalone bundle imports a chunk statically: ${staticImport[0]}`);
  const size = { minified: bundle.length, gzipped: gzipSync(bundle, { level: 9 }).length };
  writeFileSync('dist/browser-size.json', `${JSON.stringify(size)}\n`);
  console.log(`browser bundle: ${size.minified} bytes minified, ${size.gzipped} bytes gzipped`);
}

// Two entries: dist/index.js may import `ws`; dist/browser.js uses the global WebSocket only.
export default packageBuild({ entry: ['src/index.ts', 'src/browser.ts'], onSuccess: buildStandaloneBundle });
