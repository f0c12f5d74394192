#!/usr/bin/env node
// Checks what `changeset publish` would upload: every published package is packed with
// `pnpm pack` (publishConfig applied, `workspace:` ranges replaced, exactly as `pnpm publish`
// does), and each tarball is checked as a user would get it:
//   - it holds dist/, README.md, LICENSE (the root one), CHANGELOG.md once released, nothing else;
//   - its manifest has the release metadata and no `source` condition or `workspace:` range, and
//     the workspace manifest's publishConfig.exports is its exports minus `source` (no drift);
//   - `publint --strict` and `attw` (node10, node16 from CJS and ESM, bundler) find no problem.
// Each package's build also runs `attw --pack .`, which packs with npm: npm ignores
// publishConfig.exports, so that lints the workspace manifest (the same map plus `source`, which
// no resolver attw models uses). Here attw reads the pnpm tarball itself: what is published.
//
// Usage: node scripts/check-packages.mjs [--out DIR] [--skip-attw]
//   --out DIR     keep the tarballs there, with DIR/tarballs.json (package name -> tarball path);
//                 default: a temp dir, removed afterwards.
//   --skip-attw   for `pnpm test`: every package's build already ran `attw --pack .` on the same
//                 files (attw is most of this script's time).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^dist\//];
const REPOSITORY = 'git+https://github.com/roomcast/roomcast.git';

/** The workspace packages that are published: every `packages/*` without `private: true`. */
export async function publishedPackages() {
  const found = [];
  for (const entry of await readdir(join(ROOT, 'packages'), { withFileTypes: true })) {
    const dir = join(ROOT, 'packages', entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, 'package.json'))) continue;
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    if (!manifest.private) found.push({ name: manifest.name, dir, manifest });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

async function pack(pkg, destination) {
  const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: pkg.dir,
  });
  const { filename, files } = JSON.parse(stdout);
  const unpacked = join(destination, 'unpacked', pkg.name.replace('/', '+'));
  await mkdir(unpacked, { recursive: true });
  await run('tar', ['-xzf', filename, '-C', unpacked]);
  return {
    ...pkg,
    tarball: filename,
    files: files.map(file => file.path),
    unpacked: join(unpacked, 'package'),
  };
}

function withoutSource(value) {
  return JSON.parse(JSON.stringify(value, (key, item) => (key === 'source' ? undefined : item)));
}

async function contentProblems(packed, rootLicense) {
  const problems = [];
  const stray = packed.files.filter(file => !ALLOWED.some(pattern => pattern.test(file)));
  if (stray.length > 0)
    problems.push(`ships files outside dist/, README, LICENSE, CHANGELOG: ${stray.join(', ')}`);
  for (const file of ['README.md', 'LICENSE', 'package.json']) {
    if (!packed.files.includes(file)) problems.push(`has no ${file}`);
  }
  if (!packed.files.some(file => file.startsWith('dist/'))) problems.push('has no dist/ (run pnpm build)');
  if (packed.manifest.version !== '0.0.0' && !packed.files.includes('CHANGELOG.md')) {
    problems.push('has no CHANGELOG.md (pnpm changeset version writes it)');
  }
  if (packed.files.includes('LICENSE')) {
    const license = await readFile(join(packed.unpacked, 'LICENSE'), 'utf8');
    if (license !== rootLicense) problems.push(`LICENSE differs from the root LICENSE`);
  }

  const published = JSON.parse(await readFile(join(packed.unpacked, 'package.json'), 'utf8'));
  const text = JSON.stringify(published);
  if (/"source":/.test(JSON.stringify(published.exports))) problems.push('published exports keep `source`');
  if (text.includes('"workspace:')) problems.push('published manifest keeps a workspace: range');
  const expected = {
    license: 'MIT',
    author: 'Roomcast contributors',
    sideEffects: false,
    'engines.node': '>=20',
    'publishConfig.access': 'public',
    'repository.type': 'git',
    'repository.url': REPOSITORY,
    'repository.directory': relative(ROOT, packed.dir),
  };
  for (const [path, value] of Object.entries(expected)) {
    const actual = path.split('.').reduce((object, key) => object?.[key], published);
    if (actual !== value)
      problems.push(`${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
  }
  for (const field of ['description', 'homepage', 'bugs', 'keywords', 'main', 'module', 'types']) {
    if (!published[field] || published[field].length === 0) problems.push(`has no ${field}`);
  }
  if (!isDeepStrictEqual(packed.manifest.publishConfig?.exports, withoutSource(packed.manifest.exports))) {
    problems.push('package.json publishConfig.exports is not exports without `source`: keep them in step');
  }
  return problems;
}

async function tool(command, args) {
  try {
    const { stdout } = await run(join(BIN, command), args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout };
  } catch (error) {
    return { ok: false, stdout: `${error.stdout ?? ''}${error.stderr ?? error.message}` };
  }
}

async function publint(packed) {
  const result = await tool('publint', ['--strict', packed.tarball]);
  const verdict = result.stdout.includes('All good!') ? 'all good' : 'problems';
  return { ok: result.ok && verdict === 'all good', summary: verdict, detail: result.stdout };
}

const short = file => file?.replace(/^.*\/dist\//, '') ?? 'none';

async function attw(packed) {
  const json = await tool('attw', ['--format', 'json', packed.tarball]);
  let analysis;
  try {
    analysis = JSON.parse(json.stdout);
  } catch {
    return { ok: false, summary: 'did not run', detail: json.stdout };
  }
  const problems = analysis.analysis.problems ?? [];
  const lines = Object.entries(analysis.analysis.entrypoints)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, { resolutions }]) => {
      const kinds = Object.entries(resolutions).map(([kind, { resolution, implementationResolution }]) => {
        const js = implementationResolution?.fileName;
        return `${kind} ${short(resolution?.fileName)}${js && js !== resolution?.fileName ? `→${short(js)}` : ''}`;
      });
      return `    ${subpath.padEnd(10)} ${kinds.join(' | ')}`;
    });
  if (problems.length === 0) return { ok: json.ok, summary: 'no problems', detail: lines.join('\n') };
  const table = await tool('attw', ['--format', 'table-flipped', '--no-color', packed.tarball]);
  return { ok: false, summary: `${problems.length} problem(s)`, detail: table.stdout };
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of `items`. */
async function mapLimited(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Packs and checks every published package; resolves with the tarballs and whether all passed. */
export async function checkPackages({ out, skipAttw = false } = {}) {
  const destination = out ? resolve(out) : await mkdtemp(join(tmpdir(), 'roomcast-pack-'));
  await mkdir(destination, { recursive: true });
  const rootLicense = await readFile(join(ROOT, 'LICENSE'), 'utf8');
  const packages = await publishedPackages();
  const packed = await mapLimited(packages, 4, pkg => pack(pkg, destination));
  const reports = await mapLimited(packed, Math.max(2, availableParallelism()), async item => ({
    item,
    content: await contentProblems(item, rootLicense),
    publint: await publint(item),
    attw: skipAttw ? { ok: true, summary: 'skipped (the build ran it)', detail: '' } : await attw(item),
  }));
  let ok = true;
  for (const { item, content, publint: lint, attw: types } of reports) {
    const passed = content.length === 0 && lint.ok && types.ok;
    ok &&= passed;
    console.log(
      `${passed ? 'ok  ' : 'FAIL'} ${item.name}@${item.manifest.version}: ${item.files.length} files, ` +
        `publint --strict: ${lint.summary}, attw: ${types.summary}`,
    );
    for (const problem of content) console.log(`    ${problem}`);
    if (!lint.ok) console.log(lint.detail);
    if (types.detail) console.log(types.detail);
  }
  const tarballs = Object.fromEntries(packed.map(({ name, tarball }) => [name, tarball]));
  if (out) await writeFile(join(destination, 'tarballs.json'), `${JSON.stringify(tarballs, null, 2)}\n`);
  else await rm(destination, { recursive: true, force: true });
  return { ok, destination, tarballs };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex === -1 ? undefined : process.argv[outIndex + 1];
  const { ok } = await checkPackages({ out, skipAttw: process.argv.includes('--skip-attw') });
  if (!ok) {
    console.error('package check failed');
    process.exit(1);
  }
}
