import { defineConfig } from 'tsup';

/**
 * Not a published package: one ESM file per process the bench starts (the orchestrator, the
 * server under test, the client swarm). Dependencies stay imports, so `@roomcast/*` is the built
 * `dist` that users get, never this package's copy of it. The test support (redis-server
 * processes) is TypeScript source in a private package, so it is bundled.
 */
export default defineConfig({
  entry: ['src/run.ts', 'src/server-process.ts', 'src/swarm-process.ts', 'src/recovery-swarm-process.ts'],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
  skipNodeModulesBundle: true,
  noExternal: ['@roomcast/test-support'],
});
