import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// One browser test at a time: two headless Chromiums at once starve a 2-core machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 90_000, fileParallelism: false } }));
