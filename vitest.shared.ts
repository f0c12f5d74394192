import { defineConfig } from 'vitest/config';

/**
 * Tests resolve workspace packages through their `source` export condition, so a change in
 * `protocol` is seen by `server` tests without a rebuild. The built output is checked by publint
 * and by the e2e tests that run the chat app.
 */
export default defineConfig({
  resolve: { conditions: ['source', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'import', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
  },
});
