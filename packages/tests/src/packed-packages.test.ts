// Issue 19 points 1 and 2: what a user installs. Every published package is packed with pnpm
// (what `changeset publish` uploads), checked by scripts/check-packages.mjs (files, metadata,
// `publint --strict`; `attw` ran in each package's build), then installed with
// npm from those tarballs into a fresh CommonJS project and a fresh ESM project
// (fixtures/packed-consumers), which load every package and subpath and use each: a server that
// loads a controller and a subscriber from directories, a client talking to it, the umbrella app
// with JWT auth, the browser builds. Needs the packages built (turbo runs ^build first).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/packed-consumers/', import.meta.url));
const FORMATS = { cjs: 'main.cjs', esm: 'main.mjs' } as const;
type Format = keyof typeof FORMATS;

interface ConsumerReport {
  format: Format;
  resolved: Record<string, string>;
  checks: unknown;
}

let work: string;
let check: { ok: boolean; output: string };
let tarballs: Record<string, string>;
const installs = new Map<Format, Promise<void>>();

/** npm with the caller's npm settings but none of the `npm_*` variables pnpm sets for its scripts. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_registry', 'npm_config_cache']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || keep.has(key)),
  );
}

async function install(format: Format): Promise<void> {
  const project = join(work, format);
  await cp(join(FIXTURES, format), project, { recursive: true });
  const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
  manifest.dependencies = Object.fromEntries(
    Object.entries(tarballs).map(([name, tarball]) => [name, `file:${tarball}`]),
  );
  await writeFile(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Third-party dependencies (ws, ioredis, jsonwebtoken, pino) come from npm's cache when it has them.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: project,
    env: npmEnvironment(),
  });
}

async function consume(format: Format): Promise<ConsumerReport> {
  await installs.get(format);
  const { stdout } = await run(process.execPath, [FORMATS[format]], { cwd: join(work, format) });
  return JSON.parse(stdout) as ConsumerReport;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'roomcast-packed-'));
  await cp(join(FIXTURES, 'shared'), join(work, 'shared'), { recursive: true });
  const script = join(ROOT, 'scripts', 'check-packages.mjs');
  // attw: every package's build (a dependency of this task) ran `attw --pack .` on these files.
  const args = [script, '--out', join(work, 'tarballs'), '--skip-attw'];
  check = await run(process.execPath, args, { cwd: ROOT }).then(
    ({ stdout }) => ({ ok: true, output: stdout }),
    (error: { stdout?: string; stderr?: string }) => ({
      ok: false,
      output: `${error.stdout}${error.stderr}`,
    }),
  );
  tarballs = JSON.parse(await readFile(join(work, 'tarballs', 'tarballs.json'), 'utf8'));
  for (const format of Object.keys(FORMATS) as Format[]) installs.set(format, install(format));
  await Promise.allSettled(installs.values());
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('hold dist, README, LICENSE and CHANGELOG only, with the release metadata, publint clean', () => {
    expect(check.output).not.toMatch(/^FAIL/m);
    expect(check.ok, check.output).toBe(true);
  });

  it('cover every export of every published package in both consumers', async () => {
    const entries: string[] = JSON.parse(await readFile(join(FIXTURES, 'shared', 'entries.json'), 'utf8'));
    const exported: string[] = [];
    for (const tarball of Object.values(tarballs)) {
      const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
      const manifest = JSON.parse(stdout) as { name: string; exports: Record<string, unknown> };
      for (const subpath of Object.keys(manifest.exports)) {
        if (subpath !== './package.json') exported.push(`${manifest.name}${subpath.slice(1)}`);
      }
    }
    expect([...entries].sort()).toEqual(exported.sort());
  });

  it.each(Object.keys(FORMATS) as Format[])('install from the tarballs alone (%s)', async format => {
    await installs.get(format);
    const lock = JSON.parse(await readFile(join(work, format, 'package-lock.json'), 'utf8'));
    const roomcastEntries = Object.entries(lock.packages as Record<string, { resolved?: string }>).filter(
      ([path]) => /node_modules\/(@roomcast\/[^/]+|roomcast)$/.test(path),
    );
    // One copy of each, straight under node_modules, every one from its local tarball.
    expect(roomcastEntries.map(([path]) => path).sort()).toEqual(
      Object.keys(tarballs)
        .map(name => `node_modules/${name}`)
        .sort(),
    );
    for (const [path, { resolved }] of roomcastEntries) expect(resolved, path).toMatch(/^file:.*\.tgz$/);
  });

  it('a CommonJS project requires every package and subpath and uses them', async () => {
    const report = await consume('cjs');
    for (const [name, file] of Object.entries(report.resolved))
      expect(file, name).toMatch(/\/dist\/[\w.-]+\.cjs$/);
    expect(report.checks).toEqual(expectedChecks());
  });

  it('an ESM project imports every package and subpath and uses them', async () => {
    const report = await consume('esm');
    for (const [name, file] of Object.entries(report.resolved))
      expect(file, name).toMatch(/\/dist\/[\w.-]+\.js$/);
    expect(report.resolved['@roomcast/client/bundle']).toMatch(/roomcast-client\.min\.js$/);
    expect(report.checks).toEqual(expectedChecks());
  });
});

function expectedChecks() {
  return {
    userId: 'user-1',
    // The controller answered; the subscriber loaded from its directory broadcast what it published.
    directories: { reply: { text: 'hi' }, greeted: { text: 'hi' } },
    umbrella: { text: 'signed in' },
    browserClients: ['@roomcast/client/browser', '@roomcast/client/bundle'],
  };
}
