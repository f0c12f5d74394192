import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// Each test runs the example as real processes: give them time on a loaded machine.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 120_000 } }));
