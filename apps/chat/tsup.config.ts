import { defineConfig } from 'tsup';

// The chat is an app, not a library: one ESM entry for Node 20, its dependencies left as imports.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
});
