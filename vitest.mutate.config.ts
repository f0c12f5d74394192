import { defineConfig } from 'vitest/config';

/**
 * The tests `pnpm mutate` runs against each mutant: the packages whose code is mutated, plus the
 * contract suites that hold the in-memory and Redis stores to one contract. Redis Cluster files
 * are left out: they start six redis-server processes, and a mutant reruns its tests many times.
 */
const withoutCluster = (root: string) => ({
  extends: `./${root}/vitest.config.ts`,
  test: { root, exclude: ['**/node_modules/**', '**/*cluster*.test.ts'] },
});

export default defineConfig({
  test: {
    projects: [
      'packages/protocol',
      'packages/rooms',
      'packages/auth',
      'packages/server',
      withoutCluster('packages/redis'),
      withoutCluster('packages/contract-tests'),
    ],
  },
});
