#!/usr/bin/env node
// `pnpm mutate [area ...]`: mutation testing (Stryker) of the code whose bugs lose messages or let
// people in, then the score per area. Incremental: a rerun tests only mutants in changed code or
// covered by changed tests. Slow (tens of minutes on two cores), so not part of `pnpm test`.
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';

const AREAS = {
  protocol: [
    'packages/protocol/src/{codec,frames,errors,server-frame,limits,user-id}.ts',
    'packages/protocol/src/codecs/*.ts',
  ],
  delivery: [
    'packages/server/src/delivery/{outbound,local-delivery,recovery-gate,broadcaster,prepared-frame}.ts',
    'packages/server/src/http/{upgrade,handshake-guard,connection-limits}.ts',
    'packages/server/src/routing/middleware/{rate-limit,rate-limiter}.ts',
  ],
  rooms: ['packages/rooms/src/*.ts'],
  auth: ['packages/auth/src/*.ts'],
  redis: ['packages/redis/src/{history-scripts,store-scripts,redis-history,redis-room-store}.ts'],
};
const NOT_MUTATED = ['!**/*.test.ts', '!**/index.ts'];

const asked = process.argv.slice(2);
const unknown = asked.filter(name => !(name in AREAS));
if (unknown.length > 0) {
  console.error(`unknown area ${unknown.join(', ')}; the areas: ${Object.keys(AREAS).join(', ')}`);
  process.exit(2);
}
const areas = asked.length > 0 ? asked : Object.keys(AREAS);

const results = await new Stryker({
  // pnpm keeps the plugins out of the core's reach: name them by path.
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'].map(name =>
    fileURLToPath(import.meta.resolve(name)),
  ),
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutate.json',
  mutate: [...areas.flatMap(area => AREAS[area]), ...NOT_MUTATED],
  // Workspace packages import each other through node_modules links to the real folders, so a
  // sandbox copy would test the unmutated code; mutants are switched in place and restored.
  inPlace: true,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 15_000,
  reporters: ['progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
}).runMutationTest();

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = areas.map(area => {
  const prefixes = AREAS[area].map(glob => glob.slice(0, glob.lastIndexOf('/') + 1));
  const mine = results.filter(r =>
    prefixes.some(prefix => r.fileName.replaceAll('\\', '/').includes(prefix)),
  );
  const detected = mine.filter(r => DETECTED.has(r.status)).length;
  const undetected = mine.filter(r => UNDETECTED.has(r.status)).length;
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
  return { area, mutants: mine.length, detected, survived: undetected, score: `${score.toFixed(1)}%` };
});
console.table(rows);
console.log('Survivors: reports/mutation/mutation.html (or mutation.json).');
