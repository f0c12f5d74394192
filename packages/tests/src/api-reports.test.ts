// Issue 18 point 1: each published package's public surface is deliberate and checked in.
// scripts/api-report.mjs prints every entry point's built declarations into
// packages/<pkg>/api/*.api.md; a change to what a package exports fails here until the report
// is regenerated (`pnpm api:update`) and committed beside the change. Runs on dist.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { apiReports, staleReports } from '../../../scripts/api-report.mjs';
// @ts-expect-error: a plain .mjs script without declarations
import { publishedPackages } from '../../../scripts/check-packages.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Pkg {
  name: string;
  dir: string;
  manifest: { exports: Record<string, { source?: string }> };
}

describe('API reports', () => {
  it('match the build: run `pnpm build && pnpm api:update` and commit when this fails', async () => {
    const stale: { file: string }[] = await staleReports();
    expect(stale.map(report => relative(ROOT, report.file))).toEqual([]);
  });

  it('keep the server internals out of its surface', async () => {
    const packages: Pkg[] = await publishedPackages();
    const server = packages.find(pkg => pkg.name === '@roomcast/server') as Pkg;
    const [report] = await apiReports(server);
    for (const internal of [
      'ClientRegistry',
      'RoomManager',
      'ScopedBroadcaster',
      'Outbound',
      'Connection ',
    ]) {
      expect(report.text, internal).not.toContain(`declare class ${internal.trim()} `);
    }
    expect(report.text).toContain('interface ClientManager {');
  });

  it('come from entry points that list their exports by name (no `export *`)', async () => {
    const packages: Pkg[] = await publishedPackages();
    for (const pkg of packages) {
      for (const target of Object.values(pkg.manifest.exports)) {
        if (!target?.source) continue;
        const source = await readFile(join(pkg.dir, target.source), 'utf8');
        expect(source, `${pkg.name} ${target.source}`).not.toMatch(/^export \* from/m);
      }
    }
  });
});
