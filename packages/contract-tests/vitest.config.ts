import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// The Redis files drive real redis-server processes (a 3-master cluster among them); on a loaded
// 2-core CI machine starting them takes far longer than a unit test. The TTL and liveness cases
// wait for real expiries, polling with bounded deadlines.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 240_000 } }));
