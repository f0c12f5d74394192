import { defineConfig, type Options } from 'tsup';

/**
 * One build shape for every package: ESM (`.js`, `.d.ts`) and CommonJS (`.cjs`, `.d.cts`) beside
 * it, Node 20, no bundled dependencies. Each format gets its own declaration file so TypeScript
 * under `node16`/`nodenext` sees a CommonJS `require` as CommonJS and an `import` as ESM.
 *
 * No `shims`: no published source uses `import.meta.url` or `__dirname`, and esbuild keeps
 * `import()` as a real dynamic import in the `.cjs` files (target node20), so directory loading of
 * controllers and subscribers loads ESM and CommonJS files alike from a CommonJS app.
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    ...overrides,
  });
}
