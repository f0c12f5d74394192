#!/usr/bin/env node
// @ts-nocheck
// `pnpm mutate [area ...]`: mutation testing (Stryker) of the code whose bugs lose messages or let
// people in, then the score per area. Incremental: a rerun tests only mutants in changed code or
// covered by changed tests. Slow (tens of minutes on two cores), so not part of `pnpm test`.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
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

/** One Stryker run per area, each with its own incremental file and reports, so areas rerun alone. */
async function mutateArea(area) {
  const dir = `reports/mutation/${area}`;
  return new Stryker({
    // pnpm keeps the plugins out of the core's reach: name them by path.
    plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'].map(name =>
      fileURLToPath(import.meta.resolve(name)),
    ),
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.mutate.config.ts' },
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.mutate.json',
    mutate: [...AREAS[area], ...NOT_MUTATED],
    // Workspace packages import each other through node_modules links to the real folders, so a
    // sandbox copy would test the unmutated code; mutants are switched in place and restored.
    inPlace: true,
    incremental: true,
    incrementalFile: `${dir}/stryker-incremental.json`,
    coverageAnalysis: 'perTest',
    ignoreStatic: true,
    concurrency: 2,
    timeoutMS: 15_000,
    reporters: ['progress', 'html', 'json'],
    htmlReporter: { fileName: `${dir}/mutation.html` },
    jsonReporter: { fileName: `${dir}/mutation.json` },
  }).runMutationTest();
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
for (const area of areas) {
  const results = await mutateArea(area);
  const detected = results.filter(r => DETECTED.has(r.status)).length;
  const survivors = results.filter(r => UNDETECTED.has(r.status));
  const score = detected + survivors.length === 0 ? 100 : (100 * detected) / (detected + survivors.length);
  rows.push({
    area,
    mutants: results.length,
    detected,
    survived: survivors.length,
    score: `${score.toFixed(1)}%`,
  });
  const lines = survivors.map(
    r =>
      `${relative('.', r.fileName)}:${r.location.start.line} ${r.status} ${r.mutatorName}: ${(r.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100)}`,
  );
  writeFileSync(`reports/mutation/${area}/survivors.txt`, `${lines.sort().join('\n')}\n`);
}
console.table(rows);
console.log('Survivors per area: reports/mutation/<area>/survivors.txt (details in mutation.html).');
