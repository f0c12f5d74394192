import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// Every test here drives real redis-server processes (a 3-master cluster among them); on a
// loaded 2-core CI machine starting and restarting them takes far longer than a unit test.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 240_000 } }));
