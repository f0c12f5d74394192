import { defineConfig, type Options } from 'tsup';

/** One build shape for every package: ESM + .d.ts, Node 20, no bundled dependencies. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    ...overrides,
  });
}
