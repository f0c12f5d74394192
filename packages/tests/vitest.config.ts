import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared';

// Every file starts redis-server processes and Roomcast nodes in child processes: one file at a
// time keeps a small CI machine (and anything sharing it) responsive.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
