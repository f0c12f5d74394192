import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// Every file starts redis-server processes and Roomcast nodes in child processes: one file at a
// time keeps a small CI machine (and anything sharing it) responsive, and each test gets more
// time than a one-process test would need (tests wait for conditions, never for durations).
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false, testTimeout: 60_000 } }));
